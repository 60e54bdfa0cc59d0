import { type Kysely, sql } from 'kysely';

/**
 * pg_trgm lives in one schema per database while each GovFlow instance (and each test) may have its
 * own search_path, so the extension is put in `public`, never in a tenant's schema (dropping that
 * schema would drop the extension for everyone), and its functions are always called qualified.
 */

// biome-ignore lint/suspicious/noExplicitAny: used by migrations, before the typed schema exists
type AnyDb = Kysely<any>;

/** The schema pg_trgm is installed in, or null when it is not installed. */
export async function trigramSchema(db: AnyDb): Promise<string | null> {
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.schema ?? null;
}

/**
 * Installs pg_trgm if it is missing and the role may install it. Returns its schema, or null when
 * it cannot be had: search then works without the typo-tolerant fallback. A failed CREATE inside the
 * migration's transaction is rolled back to a savepoint so the migration goes on.
 */
export async function ensureTrigramExtension(db: AnyDb): Promise<string | null> {
  const existing = await trigramSchema(db);
  if (existing) return existing;
  const savepoint = db.isTransaction;
  if (savepoint) await sql`savepoint search_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm schema public`.execute(db);
    if (savepoint) await sql`release savepoint search_pg_trgm`.execute(db);
  } catch {
    // No right to create extensions, no public schema, or another session created it just now.
    if (savepoint) await sql`rollback to savepoint search_pg_trgm`.execute(db);
  }
  return trigramSchema(db);
}
