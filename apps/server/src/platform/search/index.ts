import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { DialectName } from '../db/connect';
import { PostgresSearchIndex } from './postgres-search-index';
import type { SearchIndex } from './search-index';
import { SqliteSearchIndex } from './sqlite-search-index';

export type * from './search-index';
export { MAX_PAGE_SIZE, MAX_SUGGESTIONS } from './search-index';
export { RANK_CANDIDATES } from './token-search-index';
export { warmUpTokenizer } from './tokenizer';

/**
 * The search index of the database's dialect: SQLite FTS5, or PostgreSQL tsvector + pg_trgm.
 * Create one per process (in the app context) and share it: it caches each collection's facet
 * snapshot, and a new instance pays for loading it again (~100 ms for 20,000 documents).
 */
export function createSearchIndex(db: Kysely<Database>, dialect: DialectName): SearchIndex {
  return dialect === 'postgres' ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db);
}
