import type { Generated } from 'kysely';

/**
 * The search index's own tables; only platform/search queries them. PostgreSQL adds generated
 * tsvector columns and a `title_fuzzy` text for pg_trgm, reached only through this folder's SQL.
 */
export interface SearchDocumentRow {
  /** Small integer key: the FTS5 rowid (SQLite), and the index of in-memory facet arrays. */
  seq: Generated<number>;
  id: string;
  collection: string;
  title: string;
  body: string;
  boost: number;
  updated_at: string;
  /** Space-joined tokens from tokenizer.ts: title and keywords, body, pinyin of title and keywords. */
  title_tokens: string;
  body_tokens: string;
  pinyin_tokens: string;
}

export interface SearchFacetRow {
  doc_id: string;
  collection: string;
  name: string;
  value: string;
}

/** Bumped in every transaction that writes a collection's documents; readers reload their caches. */
export interface SearchCollectionRow {
  collection: string;
  version: number;
}

export interface SearchTables {
  search_documents: SearchDocumentRow;
  search_facets: SearchFacetRow;
  search_collections: SearchCollectionRow;
}
