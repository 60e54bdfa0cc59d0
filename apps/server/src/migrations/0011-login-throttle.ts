import type { Kysely } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * Failed logins counted per account and source address, so a stranger's guessing locks out only
 * the stranger's address; the row with source `*` counts an account's failures from everywhere
 * (the guard against guessing spread over many addresses). Accounts are keyed by the SM3 of the
 * username as typed, so unknown usernames are counted exactly like known ones, and an ID number
 * typed as a username is not kept in clear.
 */
export const loginThrottle: MigrationDefinition = {
  name: '0011-login-throttle',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('login_throttles')
          .addColumn('account_key', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', t.timestamp)
          .addColumn('locked_until', t.timestamp)
          .addColumn('lockouts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_success_at', t.timestamp)
          .addPrimaryKeyConstraint('login_throttles_pk', ['account_key', 'source'])
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
