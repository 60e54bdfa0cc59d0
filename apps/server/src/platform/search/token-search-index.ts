import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database';
import { CollectionSnapshot, type SnapshotData } from './collection-snapshot';
import { highlightBody, highlightTitle } from './highlight';
import {
  MAX_PAGE_SIZE,
  MAX_SUGGESTIONS,
  type SearchDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
  type Suggestion,
  type SuggestQuery,
} from './search-index';
import {
  type AnalyzedDocument,
  allOf,
  analyzeDocument,
  analyzePrefix,
  analyzeQuery,
  anyOf,
  type MatchExpr,
} from './tokenizer';

/**
 * Result sets up to this size are scored by the database (SQLite bm25, PostgreSQL ts_rank). Larger
 * ones (许可证 matches half a catalogue) are ranked by tiers instead: documents whose title matches
 * every word first, then the others, each by boost and recency. Scoring 10,000 matches costs more
 * than the whole latency budget (bench/search.ts), and among thousands of titles that all contain
 * the words, boost and recency are as good an order as any.
 */
export const RANK_CANDIDATES = 1000;

/** Text terms match title and body (`all`) or only the title (`title`: suggestions, title tier). */
export type MatchScope = 'all' | 'title';

export interface StoredHit {
  seq: number;
  id: string;
  title: string;
  body: string;
}

/** A document ready to store: what the caller gave, and its tokens. */
export interface PreparedDocument {
  doc: SearchDocument;
  analyzed: AnalyzedDocument;
}

const DOCUMENT_CHUNK = 100;
const FACET_CHUNK = 500;
const DEFAULT_SUGGESTIONS = 10;

function clampInt(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

function normalizeFilters(filters: Record<string, string[]> | undefined): [string, string[]][] {
  return Object.entries(filters ?? {})
    .map(([name, values]): [string, string[]] => [name, [...new Set(values)]])
    .filter(([, values]) => values.length > 0);
}

function facetRows(doc: SearchDocument) {
  return Object.entries(doc.facets).flatMap(([name, values]) =>
    [...new Set(values)].map((value) => ({ doc_id: doc.id, collection: doc.collection, name, value })),
  );
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How one attempt matches: token expressions (to match, to score) or, for typos, title similarity. */
type Attempt = { mode: 'all' | 'any'; match: MatchExpr; score: MatchExpr } | { mode: 'fuzzy'; text: string };

interface RankedPage {
  seqs: number[];
  scores: Map<number, number>;
}

/**
 * Everything but the SQL: the database finds matching documents (FTS5 | tsvector) and scores small
 * result sets; filters, facet counts, tiers and paging run over a CollectionSnapshot in memory.
 */
export abstract class TokenSearchIndex implements SearchIndex {
  private readonly snapshots = new Map<string, CollectionSnapshot>();
  private readonly loading = new Map<string, Promise<CollectionSnapshot>>();

  constructor(protected readonly db: Kysely<Database>) {}

  /** Runs the reads of one search (PostgreSQL: in a transaction tuned for index scans). */
  protected abstract read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs fn (from within read(), on its `db`) so that it sees one consistent state of the database. */
  protected abstract consistentRead<T>(
    db: Kysely<Database>,
    fn: (db: Kysely<Database>) => Promise<T>,
  ): Promise<T>;
  /** All matching documents, unranked; may include other collections' (the snapshot drops them). */
  protected abstract matchSeqs(
    db: Kysely<Database>,
    collection: string,
    expr: MatchExpr,
    scope: MatchScope,
  ): Promise<number[]>;
  /** Relevance of the given matching seqs (`expr` is a scoring expression), higher is better; missing means 0. */
  protected abstract scoreSeqs(
    db: Kysely<Database>,
    collection: string,
    expr: MatchExpr,
    scope: MatchScope,
    seqs: number[],
  ): Promise<Map<number, number>>;
  /** Similar titles with their similarity, for typos; null when the back end cannot. */
  protected async fuzzySeqs(
    _db: Kysely<Database>,
    _collection: string,
    _text: string,
  ): Promise<Map<number, number> | null> {
    return null;
  }
  /** Every facet value of the collection with the seqs of its documents, in one grouped query. */
  protected abstract facetSeqs(db: Kysely<Database>, collection: string): Promise<SnapshotData['facets']>;
  /** Inserts the documents or replaces those with the same id (facets are written by the caller). */
  protected abstract writeDocuments(trx: Kysely<Database>, docs: PreparedDocument[]): Promise<void>;

  async upsert(trx: Kysely<Database>, doc: SearchDocument): Promise<void> {
    await this.upsertMany(trx, [doc]);
  }

  async upsertMany(trx: Kysely<Database>, docs: SearchDocument[]): Promise<void> {
    // The last version of a document given twice wins, as if upserted one after the other.
    const latest = [...new Map(docs.map((d) => [d.id, d])).values()];
    const touched = new Set(latest.map((d) => d.collection));
    for (const chunk of chunks(latest, DOCUMENT_CHUNK)) {
      const ids = chunk.map((d) => d.id);
      // A document moving to another collection changes the old one too.
      const before = await trx
        .selectFrom('search_documents')
        .select('collection')
        .distinct()
        .where('id', 'in', ids)
        .execute();
      for (const b of before) touched.add(b.collection);
      await this.writeDocuments(
        trx,
        chunk.map((doc) => ({ doc, analyzed: analyzeDocument(doc) })),
      );
      await trx.deleteFrom('search_facets').where('doc_id', 'in', ids).execute();
      for (const rows of chunks(chunk.flatMap(facetRows), FACET_CHUNK)) {
        await trx.insertInto('search_facets').values(rows).execute();
      }
    }
    await this.bumpVersions(trx, touched);
  }

  async remove(trx: Kysely<Database>, id: string): Promise<void> {
    await trx.deleteFrom('search_facets').where('doc_id', '=', id).execute();
    const gone = await trx
      .deleteFrom('search_documents')
      .where('id', '=', id)
      .returning('collection')
      .execute();
    await this.bumpVersions(trx, new Set(gone.map((g) => g.collection)));
  }

  private async bumpVersions(trx: Kysely<Database>, collections: Set<string>): Promise<void> {
    for (const collection of [...collections].sort()) {
      await trx
        .insertInto('search_collections')
        .values({ collection, version: 1 })
        .onConflict((oc) =>
          oc.column('collection').doUpdateSet({ version: sql`search_collections.version + 1` }),
        )
        .execute();
    }
  }

  /** The collection's snapshot, reloaded when a writer has bumped its version since it was taken. */
  private async snapshot(db: Kysely<Database>, collection: string): Promise<CollectionSnapshot> {
    const row = await db
      .selectFrom('search_collections')
      .select('version')
      .where('collection', '=', collection)
      .executeTakeFirst();
    const version = row?.version ?? 0;
    const cached = this.snapshots.get(collection);
    if (cached && cached.version >= version) return cached;
    const pending = this.loading.get(collection);
    if (pending) {
      const s = await pending;
      if (s.version >= version) return s;
    }
    const load = this.consistentRead(db, (trx) =>
      loadSnapshotData(trx, collection, (d, c) => this.facetSeqs(d, c)),
    )
      .then((data) => CollectionSnapshot.build(data))
      .finally(() => this.loading.delete(collection));
    this.loading.set(collection, load);
    const snapshot = await load;
    this.snapshots.set(collection, snapshot);
    return snapshot;
  }

  /**
   * The page of matches from `offset`. Documents matching more of the query's words come first
   * (`coverage`, in the relaxed search); among equals, by score when the back end scored them or
   * there are few enough to score, else title tier first; ties by boost, then newest.
   */
  private async rankPage(
    db: Kysely<Database>,
    snap: CollectionSnapshot,
    collection: string,
    attempt: Attempt,
    scope: MatchScope,
    filtered: { matched: number[]; inCollection: number },
    fuzzyScores: Map<number, number> | null,
    coverage: Map<number, number> | null,
    offset: number,
    limit: number,
  ): Promise<RankedPage> {
    const { matched, inCollection } = filtered;
    const covered = (seq: number) => coverage?.get(seq) ?? 0;
    let scores = fuzzyScores;
    if (!scores && attempt.mode !== 'fuzzy' && inCollection <= RANK_CANDIDATES) {
      scores = await this.scoreSeqs(db, collection, attempt.score, scope, matched);
    }
    if (scores) {
      const s = scores;
      const relevance = new Map(matched.map((seq) => [seq, (s.get(seq) ?? 0) * snap.boostOf(seq)]));
      // Reported scores keep the order: a document matching more words outscores any matching fewer.
      const step = Math.max(0, ...relevance.values()) + 1;
      const score = new Map(
        matched.map((seq) => [seq, covered(seq) * step + (relevance.get(seq) as number)]),
      );
      const seqs = [...matched]
        .sort(
          (a, b) =>
            (score.get(b) as number) - (score.get(a) as number) ||
            snap.staticRankOf(a) - snap.staticRankOf(b),
        )
        .slice(offset, offset + limit);
      return { seqs, scores: score };
    }
    const inTitle =
      attempt.mode === 'fuzzy' || scope === 'title'
        ? null
        : new Set(await this.matchSeqs(db, collection, attempt.match, 'title'));
    // Tiers, best first: by coverage, then title matches before body-only ones.
    const tiers = new Map<number, number[]>();
    for (const seq of matched) {
      const tier = covered(seq) * 2 + (inTitle?.has(seq) ? 1 : 0);
      const list = tiers.get(tier);
      if (list) list.push(seq);
      else tiers.set(tier, [seq]);
    }
    const end = offset + limit;
    const seqs: number[] = [];
    const scoreOf = new Map<number, number>();
    let before = 0;
    for (const tier of [...tiers.keys()].sort((a, b) => b - a)) {
      const members = tiers.get(tier) as number[];
      if (before < end && before + members.length > offset) {
        const ordered = snap.staticOrder(members, end - before);
        for (const seq of ordered.slice(Math.max(0, offset - before))) {
          seqs.push(seq);
          scoreOf.set(seq, (tier + 1) * snap.boostOf(seq));
        }
      }
      before += members.length;
      if (before >= end) break;
    }
    return { seqs, scores: scoreOf };
  }

  private async hits(db: Kysely<Database>, seqs: number[]): Promise<Map<number, StoredHit>> {
    if (seqs.length === 0) return new Map();
    const rows = await db
      .selectFrom('search_documents')
      .select(['seq', 'id', 'title', 'body'])
      .where('seq', 'in', seqs)
      .execute();
    return new Map(rows.map((r) => [r.seq, r]));
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const analyzed = analyzeQuery(query.q ?? '');
    if (analyzed.groups.length === 0) return { total: 0, items: [], facets: {}, match: 'none' };
    const pageSize = clampInt(query.pageSize, 1, MAX_PAGE_SIZE);
    const page = clampInt(query.page, 1, Math.floor(Number.MAX_SAFE_INTEGER / pageSize));
    const offset = (page - 1) * pageSize;
    const filters = normalizeFilters(query.filters);
    const collection = query.collection;

    // Every word must match; failing that, a similar title (typos); failing that, some of the
    // words, those matching more of them first.
    const attempts: Attempt[] = [
      { mode: 'all', match: allOf(analyzed.groups, 'match'), score: allOf(analyzed.groups, 'score') },
    ];
    if (analyzed.plain) attempts.push({ mode: 'fuzzy', text: analyzed.plain });
    const anyMatch = anyOf(analyzed.groups, 'match');
    const anyScore = anyOf(analyzed.groups, 'score');
    if (anyMatch && anyScore) attempts.push({ mode: 'any', match: anyMatch, score: anyScore });

    return this.read(async (db) => {
      const snap = await this.snapshot(db, collection);
      for (const attempt of attempts) {
        let found: number[];
        let fuzzyScores: Map<number, number> | null = null;
        let coverage: Map<number, number> | null = null;
        if (attempt.mode === 'fuzzy') {
          fuzzyScores = await this.fuzzySeqs(db, collection, attempt.text);
          if (!fuzzyScores) continue;
          found = [...fuzzyScores.keys()];
        } else if (attempt.mode === 'any') {
          // One match a word: the union is the result, and how many words each document matched ranks it.
          const counts = new Map<number, number>();
          const finding = new Set<number>();
          for (const group of analyzed.groups) {
            for (const seq of await this.matchSeqs(db, collection, group.match, 'all')) {
              counts.set(seq, (counts.get(seq) ?? 0) + 1);
              if (!group.narrowsOnly) finding.add(seq);
            }
          }
          coverage = counts;
          found = [...finding];
        } else {
          found = await this.matchSeqs(db, collection, attempt.match, 'all');
        }
        const filtered = snap.filter(found, filters);
        if (filtered.matched.length === 0) continue;
        const ranked = await this.rankPage(
          db,
          snap,
          collection,
          attempt,
          'all',
          filtered,
          fuzzyScores,
          coverage,
          offset,
          pageSize,
        );
        const stored = await this.hits(db, ranked.seqs);
        const items = ranked.seqs.flatMap((seq) => {
          const h = stored.get(seq);
          if (!h) return []; // removed since the match: gone from this page
          return [
            {
              id: h.id,
              score: ranked.scores.get(seq) ?? 0,
              title: h.title,
              highlight: { title: highlightTitle(h.title, analyzed), body: highlightBody(h.body, analyzed) },
            },
          ];
        });
        return { total: filtered.matched.length, items, facets: filtered.facets, match: attempt.mode };
      }
      return { total: 0, items: [], facets: {}, match: 'none' as const };
    });
  }

  async suggest(query: SuggestQuery): Promise<Suggestion[]> {
    const analyzed = analyzePrefix(query.prefix ?? '');
    if (analyzed.groups.length === 0) return [];
    const limit = clampInt(query.limit ?? DEFAULT_SUGGESTIONS, 1, MAX_SUGGESTIONS);
    const attempt: Attempt = {
      mode: 'all',
      match: allOf(analyzed.groups, 'match'),
      score: allOf(analyzed.groups, 'score'),
    };
    return this.read(async (db) => {
      const snap = await this.snapshot(db, query.collection);
      const found = await this.matchSeqs(db, query.collection, attempt.match, 'title');
      const filtered = snap.filter(found, []);
      const ranked = await this.rankPage(
        db,
        snap,
        query.collection,
        attempt,
        'title',
        filtered,
        null,
        null,
        0,
        limit,
      );
      const stored = await this.hits(db, ranked.seqs);
      return ranked.seqs.flatMap((seq) => {
        const h = stored.get(seq);
        return h ? [{ id: h.id, title: h.title, highlight: highlightTitle(h.title, analyzed) }] : [];
      });
    });
  }
}

async function loadSnapshotData(
  db: Kysely<Database>,
  collection: string,
  facets: (db: Kysely<Database>, collection: string) => Promise<SnapshotData['facets']>,
): Promise<SnapshotData> {
  const version = await db
    .selectFrom('search_collections')
    .select('version')
    .where('collection', '=', collection)
    .executeTakeFirst();
  const documents = await db
    .selectFrom('search_documents')
    .select(['seq', 'boost'])
    .where('collection', '=', collection)
    .orderBy('boost', 'desc')
    .orderBy('updated_at', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  return { version: version?.version ?? 0, documents, facets: await facets(db, collection) };
}
