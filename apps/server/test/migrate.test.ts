import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/platform/db/connect';
import { migrateToLatest, pendingMigrations } from '../src/platform/db/migrate';
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
