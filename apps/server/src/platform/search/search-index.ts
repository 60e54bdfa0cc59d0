import type { Kysely } from 'kysely';
import type { Database } from '../../database';

/**
 * Full-text search over documents that domain modules feed in. The index knows nothing of what a
 * document is: a module maps its rows to SearchDocument, writes them in the same transaction as
 * its own change, and maps hits back by id.
 *
 * Matching: every word of the query must match the title, keywords or body (Han words through
 * their characters and bigrams, so 社保 is found in 社保卡; ASCII words exactly, and as the start
 * of the title's pinyin: yaoshi, ys, zyys). A query is text, never syntax: function words (的, 我想)
 * and operator words (AND, OR, NOT, NEAR) are dropped, and so is a lone letter or digit beside
 * longer words (the 1 of 药师 AND 1=1); a query of a single character looks in titles only. When no
 * document matches every word, PostgreSQL tries titles similar to the query (pg_trgm, for typos),
 * then both dialects accept documents matching some of the words, those matching more words first
 * (a single Han character beside longer words narrows, but finds nothing by itself).
 *
 * Ranking: title and keyword matches above body matches, then boost, then the newest. Up to
 * RANK_CANDIDATES matches are scored by the database (SQLite bm25; PostgreSQL ts_rank over the
 * title); beyond that, by those tiers alone.
 *
 * Facets are counted from an in-memory snapshot per collection and process, reloaded when a write
 * has bumped the collection's version (search_collections); the first search after a write pays
 * for the reload (bench/search.ts: firstSearchAfterWriteMs).
 */

export interface SearchDocument {
  /** The owner's id of the thing indexed (unique across collections). */
  id: string;
  /** A namespace, e.g. 'catalog-items'; every query is inside one collection. */
  collection: string;
  title: string;
  body: string;
  /** Matched like the title and ranked like it, never shown (synonyms, short names, codes). */
  keywords?: string[];
  /** Values to filter and count by, e.g. { type: ['许可'], department: ['市卫健委'] }. */
  facets: Record<string, string[]>;
  /** Multiplies the score; 1 when absent. */
  boost?: number;
  /** ISO-8601 UTC; breaks ties in ranking (newer first). */
  updatedAt: string;
}

export interface SearchQuery {
  collection: string;
  q: string;
  /**
   * Facet name → accepted values. A document must have one of the values of every name given
   * (OR within a name, AND across names). Empty lists are ignored.
   */
  filters?: Record<string, string[]>;
  /** From 1. */
  page: number;
  /** 1 to MAX_PAGE_SIZE; larger values are cut. */
  pageSize: number;
}

export interface SearchHit {
  id: string;
  /** Higher is better; comparable only within one result. */
  score: number;
  title: string;
  /** HTML-safe: matched characters in <em>, the rest escaped. `body` is a snippet around the first match. */
  highlight: { title: string; body: string };
}

export interface FacetCount {
  value: string;
  count: number;
}

/**
 * How the documents were found: `all` every word of the query matched; when nothing did, `fuzzy`
 * the title is similar (PostgreSQL pg_trgm, for typos; at most RANK_CANDIDATES), then `any` some
 * words matched (those matching more words ranked first); `none` nothing did, or the query had
 * nothing worth searching for.
 */
export type MatchMode = 'all' | 'fuzzy' | 'any' | 'none';

export interface SearchResult {
  total: number;
  items: SearchHit[];
  /**
   * Facet name → values with the number of matching documents, most frequent first. Counts for a
   * name that is filtered on ignore that name's own filter (and apply all the others), so a user
   * sees how many documents each alternative value would give.
   */
  facets: Record<string, FacetCount[]>;
  match: MatchMode;
}

export interface SuggestQuery {
  collection: string;
  /** What the user has typed so far: Han text, or pinyin (full or initials), the last word possibly incomplete. */
  prefix: string;
  /** 1 to MAX_SUGGESTIONS; 10 when absent. */
  limit?: number;
}

export interface Suggestion {
  id: string;
  title: string;
  /** HTML-safe, matched characters in <em>. */
  highlight: string;
}

export const MAX_PAGE_SIZE = 100;
export const MAX_SUGGESTIONS = 50;

export interface SearchIndex {
  /**
   * Adds or replaces a document. Pass the transaction of the write that changed the document so
   * both commit or neither does. It bumps the collection's version row, so on PostgreSQL writers of
   * one collection wait for each other's commit from that point on.
   */
  upsert(trx: Kysely<Database>, doc: SearchDocument): Promise<void>;
  /** upsert for many documents at once (reindexing, imports). */
  upsertMany(trx: Kysely<Database>, docs: SearchDocument[]): Promise<void>;
  /** Removes a document; removing one that is not there is not an error. */
  remove(trx: Kysely<Database>, id: string): Promise<void>;
  /**
   * Ranked, highlighted, faceted results. A query with nothing to search for finds nothing. Reads
   * through the index's own connection: on SQLite, never call it inside a transaction callback
   * (the single connection is held by the transaction).
   */
  search(query: SearchQuery): Promise<SearchResult>;
  /** Titles for a search box as the user types, best first. */
  suggest(query: SuggestQuery): Promise<Suggestion[]>;
}
