import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database';
import type { SnapshotData } from './collection-snapshot';
import { type MatchScope, type PreparedDocument, TokenSearchIndex } from './token-search-index';
import type { MatchExpr } from './tokenizer';

/** bm25 column weights of search_fts: title and keywords, body, pinyin of the title. */
const BM25 = sql.raw('bm25(search_fts, 10.0, 1.0, 4.0)');

/**
 * An FTS5 MATCH expression. Tokens hold only Han characters and [a-z0-9] (tokenizer.ts), and each
 * is quoted anyway, so nothing a user types can reach FTS5's query syntax.
 */
export function fts5Query(e: MatchExpr, scope: MatchScope): string {
  if (e.op === 'term') {
    const columns =
      e.field === 'pinyin'
        ? 'pinyin_tokens'
        : e.field === 'title' || scope === 'title'
          ? 'title_tokens'
          : '{title_tokens body_tokens}';
    return `${columns} : "${e.token.replaceAll('"', '""')}"${e.prefix ? ' *' : ''}`;
  }
  return `(${e.of.map((x) => fts5Query(x, scope)).join(e.op === 'and' ? ' AND ' : ' OR ')})`;
}

/**
 * SQLite FTS5 over the pre-tokenised columns, with the unicode61 tokenizer: the tokens contain no
 * separator, so it only splits on the spaces between them. The FTS5 index spans collections; the
 * collection snapshot drops other collections' matches without a join.
 */
export class SqliteSearchIndex extends TokenSearchIndex {
  protected read<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return fn(this.db);
  }

  /** A transaction: in WAL mode, a reader's consistent view while other processes write. */
  protected consistentRead<T>(_db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  protected async matchSeqs(
    db: Kysely<Database>,
    _collection: string,
    expr: MatchExpr,
    scope: MatchScope,
  ): Promise<number[]> {
    const { rows } = await sql<{ seq: number }>`select rowid as seq from search_fts
      where search_fts match ${fts5Query(expr, scope)}`.execute(db);
    return rows.map((r) => r.seq);
  }

  protected async scoreSeqs(
    db: Kysely<Database>,
    _collection: string,
    expr: MatchExpr,
    scope: MatchScope,
    seqs: number[],
  ): Promise<Map<number, number>> {
    // bm25 per rowid in one pass: a `rowid IN (…)` constraint would re-run the match per rowid.
    const { rows } = await sql<{ seq: number; score: number }>`select rowid as seq, -${BM25} as score
      from search_fts where search_fts match ${fts5Query(expr, scope)}`.execute(db);
    const wanted = new Set(seqs);
    return new Map(rows.filter((r) => wanted.has(r.seq)).map((r) => [r.seq, r.score]));
  }

  protected async facetSeqs(db: Kysely<Database>, collection: string): Promise<SnapshotData['facets']> {
    const { rows } = await sql<{ name: string; value: string; seqs: string }>`select f.name, f.value,
        group_concat(d.seq) as seqs
      from search_facets f join search_documents d on d.id = f.doc_id
      where f.collection = ${collection} group by f.name, f.value`.execute(db);
    return rows.map((r) => ({ name: r.name, value: r.value, seqs: r.seqs.split(',').map(Number) }));
  }

  protected async writeDocuments(trx: Kysely<Database>, docs: PreparedDocument[]): Promise<void> {
    // An update keeps the row's seq; the triggers of search_documents re-index it in search_fts.
    await trx
      .insertInto('search_documents')
      .values(
        docs.map(({ doc, analyzed }) => ({
          id: doc.id,
          collection: doc.collection,
          title: doc.title,
          body: doc.body,
          boost: doc.boost ?? 1,
          updated_at: doc.updatedAt,
          title_tokens: analyzed.titleTokens,
          body_tokens: analyzed.bodyTokens,
          pinyin_tokens: analyzed.pinyinTokens,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          collection: eb.ref('excluded.collection'),
          title: eb.ref('excluded.title'),
          body: eb.ref('excluded.body'),
          boost: eb.ref('excluded.boost'),
          updated_at: eb.ref('excluded.updated_at'),
          title_tokens: eb.ref('excluded.title_tokens'),
          body_tokens: eb.ref('excluded.body_tokens'),
          pinyin_tokens: eb.ref('excluded.pinyin_tokens'),
        })),
      )
      .execute();
  }
}
