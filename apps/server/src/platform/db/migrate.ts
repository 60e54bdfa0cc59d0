import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from '../../migrations';
import type { Db, DialectName } from './connect';

export interface MigrationDefinition {
  name: string;
  build(dialect: DialectName): Migration;
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely as Kysely<unknown>,
    // Without it Kysely looks for its tables in any schema and may find another tenant's.
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
    provider: {
      getMigrations: async () => Object.fromEntries(migrations.map((m) => [m.name, m.build(db.dialect)])),
    },
  });
}

export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** Names of migrations known to the code but not yet applied to the database. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
