import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Which department keeps each local library the query API serves from. Only the keeper's own
 * resources may be served from its library: nobody else can publish its data.
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
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
