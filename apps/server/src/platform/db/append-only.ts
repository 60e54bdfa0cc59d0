import { type Kysely, sql } from 'kysely';
import type { DialectName } from './connect';

/**
 * Makes a table append-only for everyone, the application's own database role included:
 * triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) with `message`.
 */
export async function makeAppendOnly(
  // biome-ignore lint/suspicious/noExplicitAny: used by migrations, before the typed schema exists
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
  message: string,
): Promise<void> {
  if (!/^[a-z_]+$/.test(table) || /'/.test(message)) throw new Error('unsafe trigger name or message');
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${message}'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION ${table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '${message}'; END; $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
            FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
            FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db);
}
