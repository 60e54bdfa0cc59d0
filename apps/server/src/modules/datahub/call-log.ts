import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database';
import type { Clock } from '../../platform/clock';
import type { Actor } from '../../platform/http/actor';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { CallOutcome, DhAppRow, DhCallLogRow, DhRefusalCountRow } from './tables';

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
  /** The client address (honouring TRUST_PROXY): refusals are capped per application and address. */
  source?: string | null;
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

/** Refusals logged one row each per application, client address and minute; the rest are counted. */
export const REFUSALS_LOGGED_PER_MINUTE = 20;
/**
 * Refusals logged one row each per application and minute, all addresses together: a captured call
 * replayed from many addresses (cheap with IPv6) still adds a bounded number of rows.
 */
export const REFUSALS_LOGGED_PER_APP_PER_MINUTE = 100;
/** Windows tracked at once; past it, a new address shares one window per application. */
const MAX_REFUSAL_WINDOWS = 10_000;
const OVERFLOW_SOURCE = '*';

/** Outcomes that are not refusals: the call was answered. */
const ANSWERED: CallOutcome[] = ['ok', 'not-found'];

/** The answer to a refused call once its application and address are over the cap this minute. */
export function tooManyRefusals(last: AppError): AppError {
  return new AppError(
    'RATE_LIMITED',
    429,
    `被拒绝的调用过多：每分钟逐条记录 ${REFUSALS_LOGGED_PER_MINUTE} 次，其余只计数，请稍后再试`,
    `最近一次被拒的原因：${last.message}`,
  );
}

interface RefusalWindow {
  logged: number;
  counted: Map<CallOutcome, number>;
}

/**
 * Every query a registered application makes, answered or refused: who, which resource, for what
 * purpose, when, with what outcome, which fields went out, the subject masked. Append-only
 * (database triggers refuse UPDATE and DELETE).
 */
export class CallLog {
  /** Refusals this instance saw, by minute, application and address (`minute\napp\nsource`). */
  private readonly refusals = new Map<string, RefusalWindow>();
  /** Rows logged per minute and application, all addresses together (`minute\napp`). */
  private readonly loggedPerApp = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  /**
   * A refusal whose signature was never verified (a bad signature, a body that could not be read):
   * nothing vouches for the body, so it is logged without it. Capped as every refusal is.
   */
  async recordUnverified(
    c: Pick<CallRecord, 'outcome' | 'httpStatus' | 'ms' | 'requestId' | 'at' | 'source'> & {
      app: CallRecord['app'];
    },
  ): Promise<boolean> {
    return this.recordRefusal({ ...c, resourceCode: null, purpose: null, subjectMasked: null, fields: [] });
  }

  /**
   * A refused call of any kind (bad signature, replay, stale timestamp, unknown or disabled app,
   * rate limit, no access, invalid input …). Anyone holding a captured call or an app key can send
   * refusals at will, so only the first few per application and client address a minute get a
   * row each; the rest are counted, one row per window and outcome (`flushRefusalCounts`). A call
   * that names no registered application is only counted. False when the call was counted, not
   * logged: the caller then answers 429.
   */
  async recordRefusal(c: CallRecord): Promise<boolean> {
    if (!this.admitRefusal(c)) return false;
    if (c.app) await this.insert(c);
    return true;
  }

  private admitRefusal(c: CallRecord): boolean {
    const minute = Math.floor(c.at.getTime() / 60_000);
    const app = c.app?.id ?? '';
    let key = `${minute}\n${app}\n${c.source ?? ''}`;
    let w = this.refusals.get(key);
    if (!w && this.refusals.size >= MAX_REFUSAL_WINDOWS) {
      key = `${minute}\n${app}\n${OVERFLOW_SOURCE}`;
      w = this.refusals.get(key);
    }
    if (!w) {
      w = { logged: 0, counted: new Map() };
      this.refusals.set(key, w);
    }
    const appKey = `${minute}\n${app}`;
    const appLogged = this.loggedPerApp.get(appKey) ?? 0;
    if (w.logged < REFUSALS_LOGGED_PER_MINUTE && appLogged < REFUSALS_LOGGED_PER_APP_PER_MINUTE) {
      w.logged++;
      this.loggedPerApp.set(appKey, appLogged + 1);
      return true;
    }
    w.counted.set(c.outcome, (w.counted.get(c.outcome) ?? 0) + 1);
    return false;
  }

  /**
   * Adds the refusals counted since the last flush to `dh_refusal_counts` in one transaction and
   * forgets the windows of past minutes. Run on a timer and at shutdown (`flushPeriodically`).
   */
  async flushRefusalCounts(): Promise<number> {
    const minute = Math.floor(this.clock.now().getTime() / 60_000);
    const rows: DhRefusalCountRow[] = [];
    for (const [key, w] of this.refusals) {
      const [m, appId, source] = key.split('\n');
      for (const [outcome, refusals] of w.counted)
        rows.push({
          window_start: new Date(Number(m) * 60_000).toISOString(),
          app_id: appId,
          source,
          outcome,
          refusals,
        });
      w.counted.clear();
      if (Number(m) < minute) this.refusals.delete(key);
    }
    for (const key of this.loggedPerApp.keys()) {
      if (Number(key.split('\n')[0]) < minute) this.loggedPerApp.delete(key);
    }
    if (rows.length === 0) return 0;
    try {
      await this.writeRefusalCounts(rows);
    } catch (err) {
      // Not lost: the counts go back into their windows (recreated if forgotten) for the next flush.
      for (const r of rows) {
        const key = `${Math.floor(new Date(r.window_start).getTime() / 60_000)}\n${r.app_id}\n${r.source}`;
        let w = this.refusals.get(key);
        if (!w) {
          w = { logged: REFUSALS_LOGGED_PER_MINUTE, counted: new Map() };
          this.refusals.set(key, w);
        }
        w.counted.set(r.outcome, (w.counted.get(r.outcome) ?? 0) + r.refusals);
      }
      throw err;
    }
    return rows.length;
  }

  private async writeRefusalCounts(rows: DhRefusalCountRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500) {
        await trx
          .insertInto('dh_refusal_counts')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) =>
            oc
              .columns(['window_start', 'app_id', 'source', 'outcome'])
              .doUpdateSet({ refusals: sql`dh_refusal_counts.refusals + excluded.refusals` }),
          )
          .execute();
      }
    });
  }

  /** An answered call (or a refusal: see recordRefusal). */
  async record(c: CallRecord): Promise<void> {
    if (!ANSWERED.includes(c.outcome)) {
      await this.recordRefusal(c);
      return;
    }
    await this.insert(c);
  }

  private async insert(c: CallRecord): Promise<void> {
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
