import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../platform/db/column-types';
import type { MigrationDefinition } from '../platform/db/migrate';
import { ensureTrigramExtension } from '../platform/search/postgres-trigram';

/**
 * The search index (platform/search): documents with pre-tokenised text, an FTS5 table (SQLite) or
 * tsvectors with GIN indexes and pg_trgm (PostgreSQL), facet values, and a version per collection
 * that tells readers when their in-memory facet data is stale.
 */
export const search: MigrationDefinition = {
  name: '0002-search',
  build: (dialect) => {
    const t = columnTypes(dialect);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
      async up(db: Kysely<any>) {
        if (dialect === 'sqlite') {
          // seq is the rowid alias the FTS5 index points at; an explicit one survives VACUUM.
          await db.schema
            .createTable('search_documents')
            .addColumn('seq', 'integer', (c) => c.primaryKey())
            .addColumn('id', 'text', (c) => c.notNull().unique())
            .addColumn('collection', 'text', (c) => c.notNull())
            .addColumn('boost', 'real', (c) => c.notNull().defaultTo(1))
            .addColumn('updated_at', t.timestamp, (c) => c.notNull())
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('body', 'text', (c) => c.notNull())
            .addColumn('title_tokens', 'text', (c) => c.notNull())
            .addColumn('body_tokens', 'text', (c) => c.notNull())
            .addColumn('pinyin_tokens', 'text', (c) => c.notNull())
            .execute();
          // External content: the tokens are stored once, in search_documents; the triggers keep
          // the index in step with every insert, update and delete, inside the writer's transaction.
          await sql`CREATE VIRTUAL TABLE search_fts USING fts5(
              title_tokens, body_tokens, pinyin_tokens,
              content='search_documents', content_rowid='seq',
              tokenize='unicode61 remove_diacritics 0')`.execute(db);
          const cols = 'title_tokens, body_tokens, pinyin_tokens';
          const insertNew = `INSERT INTO search_fts(rowid, ${cols}) VALUES (new.seq, new.title_tokens, new.body_tokens, new.pinyin_tokens);`;
          const deleteOld = `INSERT INTO search_fts(search_fts, rowid, ${cols}) VALUES ('delete', old.seq, old.title_tokens, old.body_tokens, old.pinyin_tokens);`;
          await sql
            .raw(`CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN ${insertNew} END`)
            .execute(db);
          await sql
            .raw(`CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN ${deleteOld} END`)
            .execute(db);
          await sql
            .raw(
              `CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN ${deleteOld} ${insertNew} END`,
            )
            .execute(db);
        } else {
          await db.schema
            .createTable('search_documents')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('seq', 'integer', (c) => c.generatedByDefaultAsIdentity().notNull().unique())
            .addColumn('collection', 'text', (c) => c.notNull())
            .addColumn('boost', 'double precision', (c) => c.notNull().defaultTo(1))
            .addColumn('updated_at', t.timestamp, (c) => c.notNull())
            .addColumn('title', 'text', (c) => c.notNull())
            .addColumn('body', 'text', (c) => c.notNull())
            .addColumn('title_tokens', 'text', (c) => c.notNull())
            .addColumn('body_tokens', 'text', (c) => c.notNull())
            .addColumn('pinyin_tokens', 'text', (c) => c.notNull())
            // Title words and their pinyin, space-separated, for typo-tolerant trigram matching.
            .addColumn('title_fuzzy', 'text', (c) => c.notNull().defaultTo(''))
            // Scored (ts_rank) for every candidate of a query: kept in the row, never in TOAST.
            .addColumn('title_tsv', sql`tsvector`, (c) =>
              c.generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, title_tokens)`).stored(),
            )
            .execute();
          // Body and tokens to TOAST: rows read per candidate stay small.
          await sql`ALTER TABLE search_documents SET (toast_tuple_target = 128)`.execute(db);
          await sql`ALTER TABLE search_documents ALTER COLUMN title_tsv SET STORAGE MAIN,
            ALTER COLUMN title_fuzzy SET STORAGE MAIN`.execute(db);

          // What queries match on, apart and narrow: a common word matches thousands of rows, and
          // a bitmap scan then reads every heap page they are on. The vectors live in TOAST (GIN
          // answers without reading them: they are unweighted, so no recheck), leaving ~60-byte rows.
          await sql`CREATE TABLE search_terms (
              seq integer PRIMARY KEY REFERENCES search_documents (seq) ON DELETE CASCADE,
              text_tsv tsvector NOT NULL,
              pinyin_tsv tsvector NOT NULL,
              title_tsv tsvector NOT NULL
            ) WITH (toast_tuple_target = 128)`.execute(db);
          await sql`ALTER TABLE search_terms ALTER COLUMN text_tsv SET STORAGE EXTERNAL,
            ALTER COLUMN pinyin_tsv SET STORAGE EXTERNAL, ALTER COLUMN title_tsv SET STORAGE EXTERNAL`.execute(
            db,
          );
          // New entries wait in GIN's pending list, which every query scans linearly (measured:
          // 1.7 ms instead of 0.25 ms for a 200-row match after an import of 20,000). Batches
          // flush it (PostgresSearchIndex.upsertMany); single writes leave it short.
          for (const column of ['text_tsv', 'pinyin_tsv', 'title_tsv']) {
            await sql`CREATE INDEX ${sql.id(`search_terms_${column}`)} ON search_terms
              USING gin (${sql.id(column)})`.execute(db);
          }
          const trgmSchema = await ensureTrigramExtension(db);
          if (trgmSchema) {
            await sql`CREATE INDEX search_documents_fuzzy ON search_documents
              USING gin (title_fuzzy ${sql.id(trgmSchema)}.gin_trgm_ops)`.execute(db);
          }
        }
        await db.schema
          .createIndex('search_documents_collection')
          .on('search_documents')
          .column('collection')
          .execute();

        await db.schema
          .createTable('search_facets')
          .addColumn('doc_id', 'text', (c) =>
            c.notNull().references('search_documents.id').onDelete('cascade'),
          )
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('search_facets_pk', ['doc_id', 'name', 'value'])
          .execute();
        await db.schema
          .createIndex('search_facets_value')
          .on('search_facets')
          .columns(['collection', 'name', 'value', 'doc_id'])
          .execute();

        await db.schema
          .createTable('search_collections')
          .addColumn('collection', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();
      },
      async down() {
        throw new Error('GovFlow migrations are forward-only');
      },
    };
  },
};
