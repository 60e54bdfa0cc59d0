import { type Kysely, sql } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Two units of one parent may not share a name: people pick units by name (the account dialog,
 * the tree), a double-clicked 新增 made two identical 科室 that could never be told apart, and
 * orgs cannot be deleted. Names already repeated under one parent are told apart first by a
 * suffix (“（2）”, or the next number no sibling has), so the index builds on any existing database.
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
      // Every name taken under each parent (roots: ''), the suffixes given here included.
      const taken = new Map<string, Set<string>>();
      for (const r of rows) {
        const names = taken.get(r.parent_id ?? '') ?? new Set<string>();
        taken.set(r.parent_id ?? '', names.add(r.name));
      }
      const kept = new Set<string>();
      for (const r of rows) {
        const key = `${r.parent_id ?? ''}\u0000${r.name}`;
        if (!kept.has(key)) {
          kept.add(key);
          continue;
        }
        const names = taken.get(r.parent_id ?? '') as Set<string>;
        let n = 2;
        while (names.has(`${r.name}（${n}）`)) n++;
        const name = `${r.name}（${n}）`;
        names.add(name);
        await db.updateTable('orgs').set({ name }).where('id', '=', r.id).execute();
      }
      // Roots have no parent, and NULLs are distinct in a unique index: the key reads them as ''.
      await sql`create unique index orgs_parent_name_unique on orgs ((coalesce(parent_id, '')), name)`.execute(
        db,
      );
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
