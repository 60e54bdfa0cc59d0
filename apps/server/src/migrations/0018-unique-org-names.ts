import { type Kysely, sql } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Two units of one parent may not share a name: people pick units by name (the account dialog,
 * the tree), a double-clicked 新增 made two identical 科室 that could never be told apart, and
 * orgs cannot be deleted. Names already repeated under one parent are told apart first by a
 * suffix (“（2）”), so the index can be built on any existing database.
 */
export const uniqueOrgNames: MigrationDefinition = {
  name: '0018-unique-org-names',
  build: () => ({
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      const rows: { id: string; parent_id: string | null; name: string }[] = await db
        .selectFrom('orgs')
        .select(['id', 'parent_id', 'name'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const seen = new Map<string, number>();
      for (const r of rows) {
        const key = `${r.parent_id ?? ''}\u0000${r.name}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        if (n > 1) {
          await db
            .updateTable('orgs')
            .set({ name: sql`${r.name} || ${`（${n}）`}` })
            .where('id', '=', r.id)
            .execute();
        }
      }
      await db.schema
        .createIndex('orgs_parent_name_unique')
        .on('orgs')
        .columns(['parent_id', 'name'])
        .unique()
        .execute();
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
