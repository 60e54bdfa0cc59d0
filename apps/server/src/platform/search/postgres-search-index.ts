import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database';
import type { SnapshotData } from './collection-snapshot';
import { trigramSchema } from './postgres-trigram';
import type { SearchDocument } from './search-index';
import {
  type MatchScope,
  type PreparedDocument,
  RANK_CANDIDATES,
  TokenSearchIndex,
} from './token-search-index';
import { fuzzyText, type MatchExpr, type MatchTerm } from './tokenizer';

/**
 * A tsquery over one tsvector column. Lexemes are quoted and hold only Han characters and [a-z0-9]
 * (tokenizer.ts), so nothing a user types reaches the tsquery syntax.
 */
export function tsQuery(e: MatchExpr): string {
  if (e.op === 'term') return `'${e.token.replaceAll("'", "''")}'${e.prefix ? ':*' : ''}`;
  return `(${e.of.map(tsQuery).join(e.op === 'and' ? ' & ' : ' | ')})`;
}

type TsColumn = 'text_tsv' | 'title_tsv' | 'pinyin_tsv';

function columnOf(t: MatchTerm, scope: MatchScope): TsColumn {
  if (t.field === 'pinyin') return 'pinyin_tsv';
  return t.field === 'title' || scope === 'title' ? 'title_tsv' : 'text_tsv';
}

function columns(e: MatchExpr, scope: MatchScope, out = new Set<TsColumn>()): Set<TsColumn> {
  if (e.op === 'term') out.add(columnOf(e, scope));
  else for (const x of e.of) columns(x, scope, out);
  return out;
}

/**
 * The expression as SQL over the tsvector columns: text terms against text_tsv (title and body)
 * or, in the title scope, title_tsv; title terms against title_tsv, pinyin terms against
 * pinyin_tsv; each column's part becomes one tsquery.
 */
function tsMatch(e: MatchExpr, scope: MatchScope): RawBuilder<unknown> {
  const c = columns(e, scope);
  if (c.size === 1) return sql`${sql.ref([...c][0])} @@ cast(${tsQuery(e)} as tsquery)`;
  if (e.op === 'term') throw new Error('unreachable');
  const parts = e.of.map((x) => tsMatch(x, scope));
  return sql`(${sql.join(parts, e.op === 'and' ? sql` and ` : sql` or `)})`;
}

/** Only the text terms, any of them: what ts_rank weighs against the title. */
function textTerms(e: MatchExpr): string[] {
  if (e.op === 'term') return e.field === 'pinyin' ? [] : [e.token];
  return e.of.flatMap(textTerms);
}

/**
 * PostgreSQL: unweighted tsvectors in the narrow search_terms table matched through GIN indexes,
 * ts_rank over the title for ranking, pg_trgm over title words and pinyin for typos.
 */
export class PostgresSearchIndex extends TokenSearchIndex {
  private trigram: Promise<string | null> | undefined;

  /** The schema of pg_trgm, looked up once: its functions are called qualified (postgres-trigram.ts). */
  private trigramSchema(): Promise<string | null> {
    this.trigram ??= trigramSchema(this.db).catch(() => null);
    return this.trigram;
  }

  /**
   * One repeatable-read transaction: the match, the snapshot (when it is reloaded) and the page
   * see the same state, and a reload needs no second pooled connection (several searches each
   * holding one while waiting for another could exhaust the pool). Sequential scans are off: a
   * common word matches half the table, the planner then prefers one, and it decompresses every
   * row's tsvector where the GIN indexes answer without reading them. BEGIN and the settings go
   * in one round trip (a query without parameters may hold several statements).
   */
  protected read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.connection().execute(async (conn) => {
      await sql
        .raw('begin isolation level repeatable read read only; set local enable_seqscan = off')
        .execute(conn);
      try {
        const result = await fn(conn);
        await sql.raw('commit').execute(conn);
        return result;
      } catch (err) {
        await sql
          .raw('rollback')
          .execute(conn)
          .catch(() => undefined);
        throw err;
      }
    });
  }

  /** `db` is the transaction of read(), which already sees one state. */
  protected consistentRead<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return fn(db);
  }

  /**
   * On search_terms, with no collection condition: the collection snapshot drops other
   * collections' matches, and GIN bitmap scans over that narrow table read few pages.
   */
  protected async matchSeqs(
    db: Kysely<Database>,
    _collection: string,
    expr: MatchExpr,
    scope: MatchScope,
  ): Promise<number[]> {
    const { rows } = await sql<{ seqs: number[] }>`select coalesce(array_agg(seq), '{}') as seqs
      from search_terms where ${tsMatch(expr, scope)}`.execute(db);
    return rows[0].seqs;
  }

  protected async scoreSeqs(
    db: Kysely<Database>,
    _collection: string,
    expr: MatchExpr,
    _scope: MatchScope,
    seqs: number[],
  ): Promise<Map<number, number>> {
    const terms = [...new Set(textTerms(expr))];
    // Pinyin alone: every match is a title match, and boost and recency order them.
    if (terms.length === 0 || seqs.length === 0) return new Map();
    const query = terms.map((t) => `'${t.replaceAll("'", "''")}'`).join(' | ');
    // ts_rank, not ts_rank_cd: a sixth of the cost per title (measured: 0.8 vs 5 ms per 1,000),
    // and cover density says little about titles a few tokens long.
    const { rows } = await sql<{ seq: number; score: number }>`select seq,
        ts_rank(title_tsv, cast(${query} as tsquery)) as score
      from search_documents where seq = any(cast(${`{${seqs.join(',')}}`} as integer[]))`.execute(db);
    return new Map(rows.map((r) => [r.seq, r.score]));
  }

  /** Across collections, like matchSeqs; the most similar RANK_CANDIDATES titles. */
  protected override async fuzzySeqs(
    db: Kysely<Database>,
    _collection: string,
    text: string,
  ): Promise<Map<number, number> | null> {
    const schema = await this.trigramSchema();
    if (!schema) return null;
    const s = sql.id(schema);
    // `<%`: the query is similar enough (pg_trgm.word_similarity_threshold) to some extent of the title.
    const { rows } = await sql<{ seq: number; score: number }>`select seq,
        ${s}.word_similarity(${text}, title_fuzzy) as score
      from search_documents where ${text} operator(${s}.<%) title_fuzzy
      order by score desc limit ${RANK_CANDIDATES}`.execute(db);
    return new Map(rows.map((r) => [r.seq, r.score]));
  }

  /**
   * GIN keeps new entries in a pending list that every query scans linearly until vacuum merges
   * it; merging it at once, in bulk, is cheaper than inserting entries one by one and keeps
   * queries fast right after an import.
   */
  override async upsertMany(trx: Kysely<Database>, docs: SearchDocument[]): Promise<void> {
    await super.upsertMany(trx, docs);
    if (docs.length === 0) return;
    await sql`select gin_clean_pending_list(i) from unnest(array[
        to_regclass('search_terms_text_tsv'), to_regclass('search_terms_pinyin_tsv'),
        to_regclass('search_terms_title_tsv'), to_regclass('search_documents_fuzzy')]) as i
      where i is not null`.execute(trx);
  }

  protected async facetSeqs(db: Kysely<Database>, collection: string): Promise<SnapshotData['facets']> {
    const { rows } = await sql<SnapshotData['facets'][number]>`select f.name, f.value,
        array_agg(d.seq) as seqs
      from search_facets f join search_documents d on d.id = f.doc_id
      where f.collection = ${collection} group by f.name, f.value`.execute(db);
    return rows;
  }

  protected async writeDocuments(trx: Kysely<Database>, docs: PreparedDocument[]): Promise<void> {
    const rows = docs.map(({ doc, analyzed }) => ({
      id: doc.id,
      collection: doc.collection,
      title: doc.title,
      body: doc.body,
      boost: doc.boost ?? 1,
      updated_at: doc.updatedAt,
      title_tokens: analyzed.titleTokens,
      body_tokens: analyzed.bodyTokens,
      pinyin_tokens: analyzed.pinyinTokens,
      title_fuzzy: fuzzyText([doc.title, ...(doc.keywords ?? [])]),
    }));
    await trx
      .insertInto('search_documents')
      // title_fuzzy is PostgreSQL's own column, outside the shared row type.
      .values(rows as never)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          collection: sql`excluded.collection`,
          title: sql`excluded.title`,
          body: sql`excluded.body`,
          boost: sql`excluded.boost`,
          updated_at: sql`excluded.updated_at`,
          title_tokens: sql`excluded.title_tokens`,
          body_tokens: sql`excluded.body_tokens`,
          pinyin_tokens: sql`excluded.pinyin_tokens`,
          title_fuzzy: sql`excluded.title_fuzzy`,
        } as never),
      )
      .execute();
    const tsv = (tokens: RawBuilder<unknown>) => sql`to_tsvector('simple'::regconfig, ${tokens})`;
    await sql`insert into search_terms (seq, text_tsv, pinyin_tsv, title_tsv)
      select seq, ${tsv(sql`title_tokens || ' ' || body_tokens`)}, ${tsv(sql`pinyin_tokens`)}, title_tsv
      from search_documents where id in (${sql.join(docs.map((d) => d.doc.id))})
      on conflict (seq) do update set text_tsv = excluded.text_tsv, pinyin_tsv = excluded.pinyin_tsv,
        title_tsv = excluded.title_tsv`.execute(trx);
  }
}
