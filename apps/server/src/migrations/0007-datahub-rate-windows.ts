import type { Kysely } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Per-application call counts per minute, in the database so that every instance of the hub
 * counts against the same limit (a sliding window over this minute and the last).
 */
export const datahubRateWindows: MigrationDefinition = {
  name: '0007-datahub-rate-windows',
  build: () => ({
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('dh_app_rate_windows')
        .addColumn('app_id', 'text', (c) => c.notNull().references('dh_apps.id'))
        .addColumn('minute', 'integer', (c) => c.notNull())
        .addColumn('calls', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('dh_app_rate_windows_pk', ['app_id', 'minute'])
        .execute();
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
