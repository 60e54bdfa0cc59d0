import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/platform/db/connect';
import { migrateTo, migrateToLatest, pendingMigrations } from '../src/platform/db/migrate';
import { createTestDatabase, testDialects } from './support/harness';

// Several GovFlow databases in one PostgreSQL database, one schema each (a province's cities, or
// the test suite): migrating one must never read another's migration tables.
if (testDialects().includes('postgres')) {
  describe('migrations on PostgreSQL next to another schema [postgres]', () => {
    it('migrates while other schemas are being dropped (another tenant removed, tests cleaning up)', async () => {
      const base = process.env.TEST_DATABASE_URL as string;
      let stop = false;
      const churn = async (id: number) => {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        for (let i = 0; !stop; i++) {
          const s = `gf_t_churn_${process.pid}_${id}_${i}`;
          await c.query(`create schema ${s}`);
          for (let k = 0; k < 20; k++)
            await c.query(`create table ${s}.t${k} (id serial primary key, v text)`);
          await c.query(`drop schema ${s} cascade`);
        }
        await c.end();
      };
      const churners = [churn(1), churn(2)];
      try {
        // With Kysely's own introspector, which lists every schema's tables, about one migration in
        // five failed here, naming a dropped schema, relation or column.
        for (let n = 0; n < 20; n++) {
          const target = await createTestDatabase('postgres');
          const db = connect(target.target);
          try {
            await migrateToLatest(db);
            assert.deepEqual(await pendingMigrations(db), []);
          } finally {
            await db.destroy();
            await target.drop();
          }
        }
      } finally {
        stop = true;
        await Promise.all(churners);
      }
    });

    it('migrates a schema named only by search_path in DATABASE_URL, beside an already migrated one', async () => {
      const other = await createTestDatabase('postgres');
      const base = process.env.TEST_DATABASE_URL as string;
      const schema = `gf_t_path_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      try {
        const first = connect(other.target);
        await migrateToLatest(first);
        await first.destroy();

        const url = new URL(base);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const second = connect({ dialect: 'postgres', url: url.toString() });
        try {
          const result = await migrateToLatest(second);
          assert.ok((result.results ?? []).length > 0, 'every migration ran in the new schema');
          assert.deepEqual(await pendingMigrations(second), []);
          const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
            where table_schema = ${schema} and table_name in ('kysely_migration', 'audit_entries', 'dh_call_log')`.execute(
            second.kysely,
          );
          assert.equal(r.rows[0].n, 3);
          // What the migrator sees: this schema's tables, not the other one's next to it.
          const seen = await second.kysely.introspection.getTables({ withInternalKyselyTables: true });
          assert.deepEqual([...new Set(seen.map((t) => t.schema))], [schema]);
          assert.ok(seen.some((t) => t.name === 'kysely_migration'));
          const audit = seen.find((t) => t.name === 'audit_entries');
          assert.ok(audit?.columns.some((c) => c.name === 'id'));
        } finally {
          await second.destroy();
        }
      } finally {
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
        await other.drop();
      }
    });
  });
}

for (const dialect of testDialects()) {
  describe(`upgrading a database whose units repeat names [${dialect}]`, () => {
    it('tells repeated sibling names apart, never onto a name a sibling has, roots included', async () => {
      const target = await createTestDatabase(dialect);
      const db = connect(target.target);
      try {
        await migrateTo(db, '0017-org-and-role-versions');
        const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
        let i = 0;
        const org = (id: string, parent: string | null, name: string) => ({
          id,
          parent_id: parent,
          kind: parent ? 'unit' : 'region',
          name,
          code: null,
          region_level: null,
          path: parent ? `/r1/${id}/` : `/${id}/`,
          depth: parent ? 1 : 0,
          sort: 0,
          version: 1,
          created_at: at(i),
          updated_at: at(i++),
        });
        // biome-ignore lint/suspicious/noExplicitAny: the schema as of 0017, untyped
        const k = db.kysely as any;
        await k
          .insertInto('orgs')
          .values([
            org('r1', null, '沈阳市'),
            org('r2', null, '沈阳市'),
            org('a', 'r1', '办公室'),
            org('b', 'r1', '办公室（2）'),
            org('c', 'r1', '办公室'),
            org('d', 'r1', '办公室'),
          ])
          .execute();
        await migrateToLatest(db);
        const names = await k.selectFrom('orgs').select(['id', 'name']).orderBy('id').execute();
        assert.deepEqual(Object.fromEntries(names.map((r: { id: string; name: string }) => [r.id, r.name])), {
          a: '办公室',
          b: '办公室（2）',
          c: '办公室（3）',
          d: '办公室（4）',
          r1: '沈阳市',
          r2: '沈阳市（2）',
        });
        // The index holds from now on, for roots too.
        await assert.rejects(
          k
            .insertInto('orgs')
            .values(org('r3', null, '沈阳市'))
            .execute(),
        );
        await assert.rejects(
          k
            .insertInto('orgs')
            .values(org('e', 'r1', '办公室'))
            .execute(),
        );
      } finally {
        await db.destroy();
        await target.drop();
      }
    });
  });
}
