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

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await (await migrator(db)).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Migrates up to and including the named migration: for tests of an upgrade from an older release. */
export async function migrateTo(db: Db, name: string): Promise<MigrationResultSet> {
  const result = await (await migrator(db)).migrateTo(name);
  if (result.error) throw result.error;
  return result;
}

/** Names of migrations known to the code but not yet applied to the database. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
