import { type Kysely, sql } from 'kysely';
import { makeAppendOnly } from '../platform/db/append-only';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Registered applications that call the data hub with signed requests, the nonces they have used,
 * the call log (append-only), and which local library a resource is served from.
 */
export const datahubApps: MigrationDefinition = {
  name: '0006-datahub-apps',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema.alterTable('dh_resources').addColumn('source', 'text').execute();
        await db.schema
          .createTable('dh_apps')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('org_path', 'text', (c) => c.notNull())
          .addColumn('app_key', 'text', (c) => c.notNull().unique())
          .addColumn('secret_version', 'integer', (c) => c.notNull())
          .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addCheckConstraint('dh_apps_status', sql`status in ('active', 'disabled')`)
          .execute();
        await db.schema
          .createTable('dh_app_nonces')
          .addColumn('app_id', 'text', (c) => c.notNull().references('dh_apps.id'))
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('at', t.timestamp, (c) => c.notNull())
          .addPrimaryKeyConstraint('dh_app_nonces_pk', ['app_id', 'nonce'])
          .execute();
        await db.schema.createIndex('dh_app_nonces_at').on('dh_app_nonces').column('at').execute();
        await db.schema
          .createTable('dh_call_log')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', t.timestamp, (c) => c.notNull())
          .addColumn('app_id', 'text')
          .addColumn('app_name', 'text')
          .addColumn('org_id', 'text')
          .addColumn('org_path', 'text')
          .addColumn('resource_code', 'text')
          .addColumn('purpose', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('http_status', 'integer', (c) => c.notNull())
          .addColumn('subject_masked', 'text')
          .addColumn('fields', t.json, (c) => c.notNull())
          .addColumn('ms', 'integer', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .execute();
        await db.schema.createIndex('dh_call_log_at').on('dh_call_log').column('at').execute();
        await db.schema.createIndex('dh_call_log_app').on('dh_call_log').columns(['app_id', 'id']).execute();

        // Like the audit trail, the call log is append-only.
        await makeAppendOnly(db, dialect, 'dh_call_log', 'the call log is append-only');
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
