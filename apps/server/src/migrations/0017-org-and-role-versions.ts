import type { Kysely } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Orgs and roles carry a version number for optimistic locking. An edit names the version its
 * form showed (`expectedVersion`) and is written only while the row still has it, raising it by
 * one: a form opened before someone else's change, or a second edit in the same millisecond, is
 * refused (409) instead of silently undoing the other. Timestamps could not tell two such edits
 * apart. Existing rows start at version 1.
 */
export const orgAndRoleVersions: MigrationDefinition = {
  name: '0017-org-and-role-versions',
  build: () => ({
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      for (const table of ['orgs', 'roles']) {
        await db.schema
          .alterTable(table)
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .execute();
      }
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
