import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { Actor } from '../../platform/http/actor';
import { uuidv7 } from '../../platform/ids';
import type { CallOutcome, DhAppRow, DhCallLogRow } from './tables';

export interface CallRecord {
  app: Pick<DhAppRow, 'id' | 'name' | 'org_id' | 'org_path'> | null;
  resourceCode: string | null;
  purpose: string | null;
  outcome: CallOutcome;
  httpStatus: number;
  /** Already masked: the log never holds a full ID number or credit code. */
  subjectMasked: string | null;
  fields: string[];
  ms: number;
  requestId: string | null;
  at: Date;
}

export interface CallLogFilter {
  appId?: string;
  resource?: string;
  outcome?: CallOutcome;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

/** Unverified refusals logged per application per minute; the rest go to the server log only. */
const UNVERIFIED_LOG_PER_MINUTE = 20;

/**
 * Every query a registered application makes, answered or refused: who, which resource, for what
 * purpose, when, with what outcome, which fields went out, the subject masked. Append-only
 * (database triggers refuse UPDATE and DELETE).
 */
export class CallLog {
  private readonly unverified = new Map<string, { minute: number; count: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * A refusal whose signature was never verified (a bad signature, a body that could not be read):
   * nothing vouches for the body, so it is logged without it; and anyone who knows an app key can
   * send such calls, so a few a minute per application are logged, not a flood. False when over.
   */
  async recordUnverified(
    c: Pick<CallRecord, 'outcome' | 'httpStatus' | 'ms' | 'requestId' | 'at'> & {
      app: NonNullable<CallRecord['app']>;
    },
  ): Promise<boolean> {
    const minute = Math.floor(c.at.getTime() / 60_000);
    const w = this.unverified.get(c.app.id);
    if (!w || w.minute !== minute) this.unverified.set(c.app.id, { minute, count: 1 });
    else if (++w.count > UNVERIFIED_LOG_PER_MINUTE) return false;
    await this.record({ ...c, resourceCode: null, purpose: null, subjectMasked: null, fields: [] });
    return true;
  }

  async record(c: CallRecord): Promise<void> {
    const row: DhCallLogRow = {
      id: uuidv7(c.at.getTime()),
      at: c.at.toISOString(),
      app_id: c.app?.id ?? null,
      app_name: c.app?.name ?? null,
      org_id: c.app?.org_id ?? null,
      org_path: c.app?.org_path ?? null,
      resource_code: c.resourceCode?.slice(0, 64) ?? null,
      purpose: c.purpose?.slice(0, 500) ?? null,
      outcome: c.outcome,
      http_status: c.httpStatus,
      subject_masked: c.subjectMasked,
      fields: JSON.stringify(c.fields),
      ms: Math.round(c.ms),
      request_id: c.requestId,
    };
    await this.db.insertInto('dh_call_log').values(row).execute();
  }

  /** Newest first, the calls of applications in the reader's scope (refusals of unknown keys: city-wide readers only). */
  async list(actor: Actor, f: CallLogFilter) {
    const roots = actor.scopes.get('datahub:call-log') ?? [];
    if (roots.length === 0) return { items: [], nextCursor: null };
    const cityWide = roots.some((r) => r.split('/').filter(Boolean).length <= 1);
    let q = this.db
      .selectFrom('dh_call_log')
      .leftJoin('orgs', 'orgs.id', 'dh_call_log.org_id')
      .selectAll('dh_call_log')
      .select('orgs.name as org_name')
      .where((eb) =>
        eb.or([
          ...roots.map((r) => eb('dh_call_log.org_path', 'like', `${r}%`)),
          ...(cityWide ? [eb('dh_call_log.org_path', 'is', null)] : []),
        ]),
      );
    if (f.appId) q = q.where('dh_call_log.app_id', '=', f.appId);
    if (f.resource) q = q.where('dh_call_log.resource_code', '=', f.resource);
    if (f.outcome) q = q.where('dh_call_log.outcome', '=', f.outcome);
    if (f.from) q = q.where('dh_call_log.at', '>=', new Date(f.from).toISOString());
    if (f.to) q = q.where('dh_call_log.at', '<=', new Date(f.to).toISOString());
    if (f.cursor) q = q.where('dh_call_log.id', '<', f.cursor);
    const rows = await q
      .orderBy('dh_call_log.id', 'desc')
      .limit(f.limit + 1)
      .execute();
    const page = rows.slice(0, f.limit);
    return {
      items: page.map((r) => ({
        id: r.id,
        at: r.at,
        appId: r.app_id,
        appName: r.app_name,
        orgName: r.org_name,
        resourceCode: r.resource_code,
        purpose: r.purpose,
        outcome: r.outcome,
        httpStatus: r.http_status,
        subjectMasked: r.subject_masked,
        fields: JSON.parse(r.fields) as string[],
        ms: r.ms,
        requestId: r.request_id,
      })),
      nextCursor: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }
}
