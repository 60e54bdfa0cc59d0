import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../database';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector';

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseTarget =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; schema?: string };

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema the connection's search_path points at, when not the default. */
  schema?: string;
  destroy(): Promise<void>;
}

const toIso = (v: string) => new Date(v).toISOString();

/** pg returns timestamps as Date and bigints as strings; normalise to what SQLite gives back. */
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 1184 || oid === 1114) return toIso; // timestamptz, timestamp
    if (oid === 20) return (v: string) => Number(v); // int8: counts and sequences
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing is a tenth of a simple request's CPU. Queries are
 * built from a fixed set of shapes, so a small cache keyed by SQL text reuses the statements.
 */
function withStatementCache(sqlite: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = sqlite.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

export function connect(target: DatabaseTarget): Db {
  if (target.dialect === 'sqlite') {
    if (target.file !== ':memory:')
      fs.mkdirSync(path.dirname(path.resolve(target.file)), { recursive: true });
    const sqlite = new Sqlite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    return { kysely, dialect: 'sqlite', destroy: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 10,
    types: pgTypes,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', schema: target.schema, destroy: () => kysely.destroy() };
}
