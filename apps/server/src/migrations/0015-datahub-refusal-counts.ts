import type { Kysely } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Refused signed calls beyond the few logged per application, client address and minute: counted
 * here, one row per window and outcome, instead of one call-log row each.
 */
export const datahubRefusalCounts: MigrationDefinition = {
  name: '0015-datahub-refusal-counts',
  build: () => ({
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('dh_refusal_counts')
        .addColumn('window_start', 'text', (c) => c.notNull())
        // '' when the call named no registered application.
        .addColumn('app_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('refusals', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('dh_refusal_counts_pk', ['window_start', 'app_id', 'source', 'outcome'])
        .execute();
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
