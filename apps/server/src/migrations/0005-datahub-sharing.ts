import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/** The resource catalogue of shared data and the access that departments request and owners approve. */
export const datahubSharing: MigrationDefinition = {
  name: '0005-datahub-sharing',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('dh_resources')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('code', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('owner_org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('owner_org_path', 'text', (c) => c.notNull())
          .addColumn('share_type', 'text', (c) => c.notNull())
          .addColumn('update_cycle', 'text', (c) => c.notNull())
          .addColumn('fields', t.json, (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint(
            'dh_resources_share',
            sql`share_type in ('unconditional', 'conditional', 'none')`,
          )
          .execute();
        await db.schema
          .createTable('dh_access_grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('resource_id', 'text', (c) => c.notNull().references('dh_resources.id'))
          .addColumn('requester_org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('fields', t.json, (c) => c.notNull())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('days', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('expires_at', t.timestamp)
          .addColumn('requested_by', 'text')
          .addColumn('decided_by', 'text')
          .addColumn('decided_at', t.timestamp)
          .addColumn('decision_note', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addCheckConstraint('dh_access_status', sql`status in ('requested', 'approved', 'rejected')`)
          .execute();
        await db.schema
          .createIndex('dh_access_grants_lookup')
          .on('dh_access_grants')
          .columns(['requester_org_id', 'resource_id'])
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
