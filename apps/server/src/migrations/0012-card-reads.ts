import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * ID card reads at a window: each read is a short-lived, single-use token bound to the session and
 * the window post it was read at. The token is kept only as its SM3; the number only sealed, and
 * only until the read is used or expires.
 */
export const cardReads: MigrationDefinition = {
  name: '0012-card-reads',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('card_reads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('id_number_sealed', 'text')
          .addColumn('id_number_masked', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('reader', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
          // No foreign key: a post may be removed later, and the read stays on record.
          .addColumn('post_id', 'text', (c) => c.notNull())
          .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
          .addColumn('created_at', t.timestamp, (c) => c.notNull())
          .addColumn('expires_at', t.timestamp, (c) => c.notNull())
          .addColumn('consumed_at', t.timestamp)
          .addColumn('consumed_for', 'text')
          .execute();
        await db.schema.createIndex('card_reads_expires').on('card_reads').column('expires_at').execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
