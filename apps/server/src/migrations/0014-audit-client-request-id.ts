import type { Kysely } from 'kysely';
import type { MigrationDefinition } from '../platform/db/migrate';

/**
 * The request id in the audit trail is the server's own; the id a client sent (X-Request-Id) is
 * kept beside it in a column of its own, labelled as the client's.
 */
export const auditClientRequestId: MigrationDefinition = {
  name: '0014-audit-client-request-id',
  build: () => ({
    // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
    async up(db: Kysely<any>) {
      await db.schema.alterTable('audit_entries').addColumn('client_request_id', 'text').execute();
    },
    async down() {
      throw new Error('GovFlow migrations are forward-only');
    },
  }),
};
