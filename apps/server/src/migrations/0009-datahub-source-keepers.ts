import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Which department keeps each local library the query API serves from: only the keeper's own
 * resources may be served from its library. And a resource registered on an owner's behalf by
 * someone who cannot decide for that owner waits for the owner's confirmation (`status`).
 */
export const datahubSourceKeepers: MigrationDefinition = {
  name: '0009-datahub-source-keepers',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('dh_source_keepers')
          .addColumn('source', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('assigned_at', t.timestamp, (c) => c.notNull())
          .execute();
        await db.schema
          .alterTable('dh_resources')
          .addColumn('status', 'text', (c) =>
            c.notNull().defaultTo('active').check(sql`status in ('pending', 'active')`),
          )
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
