import { maskPiiInText } from '@govflow/shared';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../database';
import type { Clock } from '../clock';
import { sm3 } from '../crypto/hash';
import type { DialectName } from '../db/connect';
import { uuidv7 } from '../ids';
import type { AuditAction } from './actions';
import { AuditNames } from './names';
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
  /** One of the registered actions (actions.ts), each with its Chinese name. */
  action: AuditAction;
  target?: { type: string; id: string | null } | null;
  outcome?: AuditEntryRow['outcome'];
  detail?: Record<string, unknown>;
  requestId?: string | null;
  /** What the client called its request (X-Request-Id): kept beside the server's id, never as it. */
  clientRequestId?: string | null;
  ip?: string | null;
}

/**
 * The exact bytes that are hashed: every stored field except the hashes, in a fixed order. The
 * client's request id, added later, is appended only when present, so entries written before it
 * existed keep their hashes.
 */
export function canonicalEntry(e: Omit<AuditEntryRow, 'prev_hash' | 'hash'>): string {
  const fields: unknown[] = [
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
  ];
  if (e.client_request_id !== null) fields.push(e.client_request_id);
  return JSON.stringify(fields);
}

export function entryHash(prevHash: string, e: Omit<AuditEntryRow, 'prev_hash' | 'hash'>): string {
  return sm3(prevHash + canonicalEntry(e));
}

/**
 * Why an entry does not hold, as a code (for scripts and searching the operations manual) and the
 * Chinese sentence shown to the auditor, the operator and stored in the `audit.verify` entry.
 */
export type ChainBreakCode =
  | 'SEQUENCE_GAP'
  | 'PREV_HASH_MISMATCH'
  | 'HASH_MISMATCH'
  | 'ANCHOR_MISSING'
  | 'ANCHOR_REWRITTEN';

/** The one place the reasons are worded; `expected` is the sequence number the walk expected. */
export function chainBreakReason(code: ChainBreakCode, seq: number, expected?: number): string {
  switch (code) {
    case 'SEQUENCE_GAP': {
      const from = expected ?? seq - 1;
      const missing = from === seq - 1 ? `${from}` : `${from}–${seq - 1}`;
      return `序号 ${seq} 的记录之前缺少序号 ${missing} 的记录：记录被删除过`;
    }
    case 'PREV_HASH_MISMATCH':
      return `序号 ${seq} 的记录所记的前一条哈希与序号 ${seq - 1} 的记录不符：前一条记录被替换或重算过`;
    case 'HASH_MISMATCH':
      return `序号 ${seq} 的记录内容与其哈希不符：该记录被改动过`;
    case 'ANCHOR_MISSING':
      return `锚点所记的序号 ${seq} 的记录已不存在：日志末尾被截去`;
    case 'ANCHOR_REWRITTEN':
      return `序号 ${seq} 的记录的哈希与锚点所记的不同：日志被改写过`;
  }
}

export interface BrokenEntry {
  seq: number;
  id: string;
  code: ChainBreakCode;
  /** In Chinese, naming the entry's sequence number (chainBreakReason). */
  reason: string;
}

function broken(code: ChainBreakCode, seq: number, id: string, expected?: number): BrokenEntry {
  return { seq, id, code, reason: chainBreakReason(code, seq, expected) };
}

export interface AuditAnchor {
  seq: number;
  hash: string;
  at: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: BrokenEntry | null;
  /** Every broken entry found (at most MAX_REPORTED); the walk goes on past the first. */
  broken: BrokenEntry[];
  brokenCount: number;
}

const MAX_REPORTED = 100;

/** What the databases store for a string: well-formed, no NUL (PostgreSQL refuses it). */
function storable(text: string): string;
function storable(text: string | null): string | null;
function storable(text: string | null): string | null {
  return text === null ? null : text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/**
 * The append-only audit trail. Each entry is chained to the previous one by
 * hash = SM3(prev_hash ‖ canonical entry); the database refuses UPDATE and DELETE on the table.
 * Appends happen inside the caller's transaction, so a write and its audit entry commit together.
 */
export class AuditTrail {
  /** How the objects entries point at are named when the trail is read; modules register theirs. */
  readonly names = new AuditNames();

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
      actor_id: storable(input.actor?.id ?? null),
      // A name typed at the login form may be anything, an ID number included.
      actor_name: input.actor?.name ? maskPiiInText(storable(input.actor.name)) : null,
      action: storable(input.action),
      target_type: storable(input.target?.type ?? null),
      target_id: storable(input.target?.id ?? null),
      outcome: input.outcome ?? 'success',
      request_id: storable(input.requestId ?? null),
      client_request_id: storable(input.clientRequestId ?? null),
      ip: storable(input.ip ?? null),
      detail: maskPiiInText(storable(JSON.stringify(input.detail ?? {}))),
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

  /** The newest entry: what an operator records outside the database as an anchor. */
  async head(): Promise<AuditAnchor | null> {
    const row = await this.db
      .selectFrom('audit_entries')
      .select(['seq', 'hash', 'at'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), hash: row.hash, at: row.at } : null;
  }

  /**
   * Anchors recorded earlier must still be in the chain with the same hash. The chain alone cannot
   * notice its newest entries being cut off, or the whole chain being recomputed by someone with
   * write access; an anchor kept elsewhere can.
   */
  async checkAnchors(anchors: AuditAnchor[]): Promise<BrokenEntry[]> {
    const problems: BrokenEntry[] = [];
    for (const a of anchors) {
      const row = await this.db
        .selectFrom('audit_entries')
        .select(['id', 'hash'])
        .where('seq', '=', a.seq)
        .executeTakeFirst();
      if (!row) problems.push(broken('ANCHOR_MISSING', a.seq, ''));
      else if (row.hash !== a.hash) problems.push(broken('ANCHOR_REWRITTEN', a.seq, row.id));
    }
    return problems;
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Walks the whole chain in order and reports every entry whose link or hash does not hold
   * (the first one, and up to 100 in all): a break does not hide later tampering.
   */
  async verify(
    onProgress?: (checked: number, total: number) => void,
    batchSize = 2000,
  ): Promise<VerifyResult> {
    const total = await this.count();
    const found: BrokenEntry[] = [];
    let brokenCount = 0;
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
        const { prev_hash: _p, hash: _h, ...body } = row;
        const code: ChainBreakCode | null =
          row.seq !== expectedSeq
            ? 'SEQUENCE_GAP'
            : row.prev_hash !== prevHash
              ? 'PREV_HASH_MISMATCH'
              : entryHash(row.prev_hash, { ...body, seq: Number(body.seq) }) !== row.hash
                ? 'HASH_MISMATCH'
                : null;
        if (code) {
          brokenCount++;
          if (found.length < MAX_REPORTED) found.push(broken(code, row.seq, row.id, expectedSeq));
        }
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
        checked++;
      }
      onProgress?.(checked, total);
    }
    return { ok: brokenCount === 0, checked, firstBroken: found[0] ?? null, broken: found, brokenCount };
  }
}
