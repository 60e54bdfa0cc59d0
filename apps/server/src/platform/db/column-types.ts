import type { DialectName } from './connect';

/**
 * Column types that differ between the dialects, for migrations. Timestamps are ISO-8601 UTC text
 * in SQLite and timestamptz in PostgreSQL (the pg driver is set to give them back as ISO strings);
 * flags are 0/1 integers on both, since better-sqlite3 cannot bind booleans.
 */
export function columnTypes(dialect: DialectName) {
  return {
    timestamp: dialect === 'postgres' ? ('timestamptz' as const) : ('text' as const),
    json: 'text' as const,
    flag: 'integer' as const,
  };
}
