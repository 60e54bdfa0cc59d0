import { maskPiiInText } from '@govflow/shared';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../database';
import type { Clock } from '../clock';
import { sm3 } from '../crypto/hash';
import type { DialectName } from '../db/connect';
import { uuidv7 } from '../ids';
import type { AuditEntryRow } from './tables';

export const GENESIS_HASH = '0'.repeat(64);

/** Any value that fits in pg_advisory_xact_lock; serialises appends to the one chain. */
const CHAIN_LOCK_KEY = 7_324_811;

export interface AuditActor {
  id: string | null;
  name: string | null;
}

export interface AuditInput {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id: string | null } | null;
  outcome?: AuditEntryRow['outcome'];
  detail?: Record<string, unknown>;
  requestId?: string | null;
  ip?: string | null;
}

/** The exact bytes that are hashed: every stored field except the hashes, in a fixed order. */
export function canonicalEntry(e: Omit<AuditEntryRow, 'prev_hash' | 'hash'>): string {
  return JSON.stringify([
    e.seq,
    e.id,
    e.at,
    e.actor_id,
    e.actor_name,
    e.action,
    e.target_type,
    e.target_id,
    e.outcome,
    e.request_id,
    e.ip,
    e.detail,
  ]);
}

export function entryHash(prevHash: string, e: Omit<AuditEntryRow, 'prev_hash' | 'hash'>): string {
  return sm3(prevHash + canonicalEntry(e));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; reason: string };
}

/**
 * The append-only audit trail. Each entry is chained to the previous one by
 * hash = SM3(prev_hash ‖ canonical entry); the database refuses UPDATE and DELETE on the table.
 * Appends happen inside the caller's transaction, so a write and its audit entry commit together.
 */
export class AuditTrail {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly clock: Clock,
  ) {}

  async append(trx: Transaction<Database>, input: AuditInput): Promise<AuditEntryRow> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(trx);
    const last = await trx
      .selectFrom('audit_entries')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const body = {
      seq: (last?.seq ?? 0) + 1,
      id: uuidv7(),
      at: this.clock.now().toISOString(),
      actor_id: input.actor?.id ?? null,
      actor_name: input.actor?.name ?? null,
      action: input.action,
      target_type: input.target?.type ?? null,
      target_id: input.target?.id ?? null,
      outcome: input.outcome ?? 'success',
      request_id: input.requestId ?? null,
      ip: input.ip ?? null,
      detail: maskPiiInText(JSON.stringify(input.detail ?? {})),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const row: AuditEntryRow = { ...body, prev_hash: prevHash, hash: entryHash(prevHash, body) };
    await trx.insertInto('audit_entries').values(row).execute();
    return row;
  }

  /** Appends in a transaction of its own: for events with no other write (a denial, a failed login). */
  appendAlone(input: AuditInput): Promise<AuditEntryRow> {
    return this.db.transaction().execute((trx) => this.append(trx, input));
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Walks the whole chain in order and names the first entry whose link or hash does not hold. */
  async verify(
    onProgress?: (checked: number, total: number) => void,
    batchSize = 2000,
  ): Promise<VerifyResult> {
    const total = await this.count();
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const broken = (reason: string): VerifyResult => ({
          ok: false,
          checked,
          firstBroken: { seq: row.seq, id: row.id, reason },
        });
        if (row.seq !== expectedSeq) return broken(`sequence gap: expected ${expectedSeq}, found ${row.seq}`);
        if (row.prev_hash !== prevHash) return broken('prev_hash does not match the previous entry');
        const { prev_hash: _p, hash: _h, ...body } = row;
        if (entryHash(row.prev_hash, { ...body, seq: Number(body.seq) }) !== row.hash) {
          return broken('hash does not match the entry content');
        }
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
      onProgress?.(checked, total);
    }
    return { ok: true, checked, firstBroken: null };
  }
}
