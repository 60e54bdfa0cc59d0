import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database';

export interface KeyFingerprintsTable {
  key_fingerprints: { name: string; fingerprint: string; created_at: string };
}

/** Names a key without revealing it: HMAC-SM3 of a fixed label under the key. */
export function fingerprint(key: string): string {
  return createHmac('sm3', key).update('govflow key fingerprint').digest('hex').slice(0, 16);
}

/**
 * The first start records each key's fingerprint; every later start, on any instance, must
 * present the same keys. Instances with their own DATA_DIR (and so their own generated keys) or a
 * mistyped variable are stopped at boot with the variable to set, instead of failing logins and
 * signed calls one by one.
 */
export async function verifyKeyFingerprints(
  db: Kysely<Database>,
  keys: Record<string, { key: string; variable: string }>,
  now: Date,
): Promise<void> {
  const problems: string[] = [];
  for (const [name, { key, variable }] of Object.entries(keys)) {
    const fp = fingerprint(key);
    await db
      .insertInto('key_fingerprints')
      .values({ name, fingerprint: fp, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('key_fingerprints')
      .select('fingerprint')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    if (row.fingerprint !== fp) {
      problems.push(
        `${variable}: this instance's key (fingerprint ${fp}) is not the one the database was set up with (${row.fingerprint}); give every instance the same ${variable}, or restore the key file`,
      );
    }
  }
  if (problems.length) throw new Error(`GovFlow cannot start:\n  - ${problems.join('\n  - ')}`);
}
