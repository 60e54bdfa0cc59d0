import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config';
import type { Database } from '../../database';
import { sm3 } from '../../platform/crypto/hash';
import { clientNetwork } from '../../platform/http/client-network';
import type { LoginThrottleRow } from './tables';

/** The account-wide row's source: failures from every address. */
const EVERYWHERE = '*';
/** However often it is renewed, the account-wide guard lasts at most a day. */
const MAX_GUARD_MINUTES = 24 * 60;

type Limits = Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCK_MINUTES' | 'LOGIN_ACCOUNT_MAX_FAILURES'>;

export interface FailureOutcome {
  /** Failures counted from this address since its last success or lock. */
  failures: number;
  /** Set when this failure locked the address out of the account. */
  addressLockedUntil: string | null;
  /** Set when this failure started the account-wide guard. */
  guardUntil: string | null;
  /** Until when this address is now refused (its own lock, or the guard if it is unfamiliar). */
  refusedUntil: string | null;
}

/**
 * Failed logins counted per account and source address (see docs/architecture.md): an address
 * that reaches LOGIN_MAX_FAILURES is locked out of that account alone; LOGIN_ACCOUNT_MAX_FAILURES
 * from all addresses together start a guard that refuses every address which has never logged in
 * to the account. Accounts are keyed by the SM3 of the username, known or not, so an unknown
 * username is counted, locked and answered exactly like a known one.
 */
export function accountKey(username: string): string {
  return sm3(username);
}

/** The address the lock applies to; a caller without one (the CLI) shares one bucket. */
export function sourceOf(ip: string | null): string {
  return clientNetwork(ip);
}

function refusal(rows: LoginThrottleRow[], source: string, now: Date): string | null {
  const own = rows.find((r) => r.source === source);
  const all = rows.find((r) => r.source === EVERYWHERE);
  if (own?.locked_until && new Date(own.locked_until) > now) return own.locked_until;
  if (all?.locked_until && new Date(all.locked_until) > now && !own?.last_success_at) return all.locked_until;
  return null;
}

function rowsFor(db: Kysely<Database>, username: string, source: string) {
  return db
    .selectFrom('login_throttles')
    .selectAll()
    .where('account_key', '=', accountKey(username))
    .where('source', 'in', [source, EVERYWHERE])
    .execute();
}

/** Until when logins to this account from this address are refused, or null. */
export async function refusedUntil(
  db: Kysely<Database>,
  username: string,
  source: string,
  now: Date,
): Promise<string | null> {
  return refusal(await rowsFor(db, username, source), source, now);
}

/** Counts one failure for the address and for the account, locking either at its limit. */
export async function countFailure(
  trx: Kysely<Database>,
  limits: Limits,
  username: string,
  source: string,
  now: Date,
): Promise<FailureOutcome> {
  const key = accountKey(username);
  const at = now.toISOString();
  const lockMs = limits.LOGIN_LOCK_MINUTES * 60_000;
  const own = await trx
    .insertInto('login_throttles')
    .values({ ...emptyRow(key, source), failures: 1, last_failure_at: at })
    .onConflict((oc) =>
      oc
        .columns(['account_key', 'source'])
        .doUpdateSet({ failures: sql`login_throttles.failures + 1`, last_failure_at: at }),
    )
    .returning(['failures', 'last_success_at'])
    .executeTakeFirstOrThrow();
  // Failures further apart than a lock period start the account's count afresh: a year of typos
  // never adds up to a guard, guessing spread over many addresses does.
  const quietSince = new Date(now.getTime() - lockMs).toISOString();
  const all = await trx
    .insertInto('login_throttles')
    .values({ ...emptyRow(key, EVERYWHERE), failures: 1, last_failure_at: at })
    .onConflict((oc) =>
      oc.columns(['account_key', 'source']).doUpdateSet({
        failures: sql`case when login_throttles.last_failure_at < ${quietSince} then 1 else login_throttles.failures + 1 end`,
        last_failure_at: at,
      }),
    )
    .returning(['failures', 'lockouts'])
    .executeTakeFirstOrThrow();

  let addressLockedUntil: string | null = null;
  if (own.failures >= limits.LOGIN_MAX_FAILURES) {
    addressLockedUntil = new Date(now.getTime() + lockMs).toISOString();
    await trx
      .updateTable('login_throttles')
      .set({ failures: 0, locked_until: addressLockedUntil })
      .where('account_key', '=', key)
      .where('source', '=', source)
      .execute();
  }
  let guardUntil: string | null = null;
  if (all.failures >= limits.LOGIN_ACCOUNT_MAX_FAILURES) {
    // Each guard since the account's last successful login lasts twice the one before.
    const minutes = Math.min(limits.LOGIN_LOCK_MINUTES * 2 ** Math.min(all.lockouts, 16), MAX_GUARD_MINUTES);
    guardUntil = new Date(now.getTime() + minutes * 60_000).toISOString();
    await trx
      .updateTable('login_throttles')
      .set({ failures: 0, locked_until: guardUntil, lockouts: all.lockouts + 1 })
      .where('account_key', '=', key)
      .where('source', '=', EVERYWHERE)
      .execute();
  }
  return {
    failures: own.failures,
    addressLockedUntil,
    guardUntil,
    refusedUntil: addressLockedUntil ?? (own.last_success_at ? null : guardUntil),
  };
}

/**
 * In the login's transaction: succeeds only if neither lock has been set meanwhile (a right
 * password racing wrong ones cannot undo a lock), then clears the address's count, marks the
 * address as one the owner uses, and restarts the growth of the account-wide guard.
 */
export async function claimSuccess(
  trx: Kysely<Database>,
  username: string,
  source: string,
  now: Date,
): Promise<boolean> {
  if (refusal(await rowsFor(trx, username, source), source, now)) return false;
  const key = accountKey(username);
  const at = now.toISOString();
  const r = await trx
    .insertInto('login_throttles')
    .values({ ...emptyRow(key, source), last_success_at: at })
    .onConflict((oc) =>
      oc
        .columns(['account_key', 'source'])
        .doUpdateSet({ failures: 0, locked_until: null, last_success_at: at })
        .where((eb) =>
          eb.or([
            eb('login_throttles.locked_until', 'is', null),
            eb('login_throttles.locked_until', '<=', at),
          ]),
        ),
    )
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
  await trx
    .updateTable('login_throttles')
    .set({ lockouts: 0 })
    .where('account_key', '=', key)
    .where('source', '=', EVERYWHERE)
    .execute();
  return true;
}

/** The security administrator's unlock: every address's count and lock, and the guard, of a user. */
export async function clearLoginFailures(trx: Kysely<Database>, userId: string): Promise<void> {
  const { username } = await trx
    .selectFrom('users')
    .select('username')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('login_throttles')
    .set({ failures: 0, locked_until: null, lockouts: 0 })
    .where('account_key', '=', accountKey(username))
    .execute();
}

function emptyRow(account_key: string, source: string): LoginThrottleRow {
  return {
    account_key,
    source,
    failures: 0,
    last_failure_at: null,
    locked_until: null,
    lockouts: 0,
    last_success_at: null,
  };
}
