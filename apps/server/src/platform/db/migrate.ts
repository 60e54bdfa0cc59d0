import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from '../../migrations';
import type { Db, DialectName } from './connect';

export interface MigrationDefinition {
  name: string;
  build(dialect: DialectName): Migration;
}

/**
 * The schema Kysely keeps its migration tables in. Without one it looks for them in any schema
 * and may find another tenant's (then reads its lock table through search_path, and fails), so on
 * PostgreSQL it is always named: the target's schema, or the connection's current schema (a
 * search_path set in DATABASE_URL's options included).
 */
async function migrationSchema(db: Db): Promise<string | undefined> {
  if (db.dialect !== 'postgres') return undefined;
  if (db.schema) return db.schema;
  const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely);
  return r.rows[0]?.schema;
}

async function migrator(db: Db): Promise<Migrator> {
  const schema = await migrationSchema(db);
  return new Migrator({
    db: db.kysely as Kysely<unknown>,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: {
      getMigrations: async () => Object.fromEntries(migrations.map((m) => [m.name, m.build(db.dialect)])),
    },
  });
}

/**
 * Kysely looks for its own tables by listing every table of the database (its introspector). On
 * PostgreSQL that listing fails when another schema's tables are dropped while it runs (another
 * tenant removed, a test schema cleaned up): "relation … does not exist" (42P01) or "schema …
 * does not exist" (3F000) naming the other schema. Those are retried; migrations themselves run
 * under Kysely's lock and in transactions, so a retry repeats nothing.
 */
const RACING_DROP = new Set(['42P01', '3F000']);

async function retryingRacingDrops<T>(db: Db, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (db.dialect !== 'postgres' || !code || !RACING_DROP.has(code) || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return retryingRacingDrops(db, async () => {
    const result = await (await migrator(db)).migrateToLatest();
    if (result.error) throw result.error;
    return result;
  });
}

/** Names of migrations known to the code but not yet applied to the database. */
export function pendingMigrations(db: Db): Promise<string[]> {
  return retryingRacingDrops(db, async () => {
    const all = await (await migrator(db)).getMigrations();
    return all.filter((m) => !m.executedAt).map((m) => m.name);
  });
}
