import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { Database } from '../../database';
import type { Clock } from '../../platform/clock';
import type { Actor } from '../../platform/http/actor';
import { callerOf, requireActor } from '../../platform/http/caller';
import type { ProviderStatus } from './proof-query';
import type { CallOutcome, DhAppRow } from './tables';

/** At most this many proof queries are read for one window; beyond it the figures say `truncated`. */
export const MONITOR_MAX_PROOF_QUERIES = 100_000;

export interface ProviderFigures {
  name: string;
  queries: number;
  ok: number;
  late: number;
  failed: number;
  /** Over every answer in the window, late and failed ones included (what the window waited). */
  p50Ms: number | null;
  p95Ms: number | null;
  /** The last time the provider did not answer in time: late or failed. */
  lastFailureAt: string | null;
}

export interface AppFigures {
  appId: string;
  name: string;
  orgName: string | null;
  status: DhAppRow['status'];
  rateLimitPerMinute: number;
  calls: number;
  byOutcome: Partial<Record<CallOutcome, number>>;
  /** The application's latest call, in the window or before it. */
  lastCallAt: string | null;
}

export interface MonitorOverview {
  window: { from: string; to: string; hours: number };
  providers: ProviderFigures[];
  /** True when the window held more proof queries than were read (the newest were kept). */
  truncated: boolean;
  apps: AppFigures[];
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/**
 * Monitoring of the data hub (运行监测): how each 一证通办 proof provider answered over a window,
 * from the proof-query log, and how much each registered application called and with what
 * outcome, from the call log. Applications are those in the reader's `datahub:call-log` scope.
 */
export class DatahubMonitor {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The providers registered now: those not asked in the window are listed with zeros. */
    private readonly providerNames: () => string[],
    private readonly maxProofQueries = MONITOR_MAX_PROOF_QUERIES,
  ) {}

  async overview(actor: Actor, hours: number): Promise<MonitorOverview> {
    const to = this.clock.now();
    const from = new Date(to.getTime() - hours * 3_600_000);
    const window = { from: from.toISOString(), to: to.toISOString(), hours };
    const [{ providers, truncated }, apps] = await Promise.all([
      this.providers(window.from, window.to),
      this.apps(actor, window.from, window.to),
    ]);
    return { window, providers, truncated, apps };
  }

  private async providers(from: string, to: string) {
    const rows = await this.db
      .selectFrom('dh_proof_queries')
      .select(['at', 'providers'])
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at', 'desc')
      .limit(this.maxProofQueries + 1)
      .execute();
    const truncated = rows.length > this.maxProofQueries;
    const acc = new Map<
      string,
      { ok: number; late: number; failed: number; ms: number[]; lastFailureAt: string | null }
    >();
    const entry = (name: string) => {
      let e = acc.get(name);
      if (!e) {
        e = { ok: 0, late: 0, failed: 0, ms: [], lastFailureAt: null };
        acc.set(name, e);
      }
      return e;
    };
    for (const name of this.providerNames()) entry(name);
    for (const row of rows.slice(0, this.maxProofQueries)) {
      let answers: { name?: unknown; status?: unknown; ms?: unknown }[];
      try {
        answers = JSON.parse(row.providers);
      } catch {
        continue;
      }
      if (!Array.isArray(answers)) continue;
      for (const a of answers) {
        if (typeof a?.name !== 'string') continue;
        const status = a.status as ProviderStatus;
        if (status !== 'ok' && status !== 'late' && status !== 'failed') continue;
        const e = entry(a.name);
        e[status]++;
        if (typeof a.ms === 'number' && Number.isFinite(a.ms)) e.ms.push(a.ms);
        // Rows come newest first: the first failure seen is the last one.
        if (status !== 'ok' && e.lastFailureAt === null) e.lastFailureAt = row.at;
      }
    }
    const providers: ProviderFigures[] = [...acc].map(([name, e]) => {
      const ms = e.ms.sort((a, b) => a - b);
      return {
        name,
        queries: e.ok + e.late + e.failed,
        ok: e.ok,
        late: e.late,
        failed: e.failed,
        p50Ms: percentile(ms, 50),
        p95Ms: percentile(ms, 95),
        lastFailureAt: e.lastFailureAt,
      };
    });
    return { providers, truncated };
  }

  private async apps(actor: Actor, from: string, to: string): Promise<AppFigures[]> {
    const roots = actor.scopes.get('datahub:call-log') ?? [];
    if (roots.length === 0) return [];
    const apps = await this.db
      .selectFrom('dh_apps')
      .leftJoin('orgs', 'orgs.id', 'dh_apps.org_id')
      .select([
        'dh_apps.id',
        'dh_apps.name',
        'dh_apps.status',
        'dh_apps.rate_limit_per_minute',
        'orgs.name as org_name',
      ])
      .where((eb) => eb.or(roots.map((r) => eb('dh_apps.org_path', 'like', `${r}%`))))
      .orderBy('dh_apps.created_at')
      .orderBy('dh_apps.id')
      .execute();
    if (apps.length === 0) return [];
    const counts = await this.db
      .selectFrom('dh_call_log')
      .select((eb) => ['dh_call_log.app_id', 'dh_call_log.outcome', eb.fn.countAll<number>().as('n')])
      .where('dh_call_log.at', '>=', from)
      .where('dh_call_log.at', '<=', to)
      .where('dh_call_log.app_id', 'is not', null)
      .where((eb) => eb.or(roots.map((r) => eb('dh_call_log.org_path', 'like', `${r}%`))))
      .groupBy(['dh_call_log.app_id', 'dh_call_log.outcome'])
      .execute();
    // The latest call of each application, one index seek each (dh_call_log_app: app_id, id).
    const last = await Promise.all(
      apps.map((a) =>
        this.db
          .selectFrom('dh_call_log')
          .select('at')
          .where('app_id', '=', a.id)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst(),
      ),
    );
    return apps.map((a, i) => {
      const byOutcome: Partial<Record<CallOutcome, number>> = {};
      let calls = 0;
      for (const c of counts) {
        if (c.app_id !== a.id) continue;
        const n = Number(c.n);
        byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + n;
        calls += n;
      }
      return {
        appId: a.id,
        name: a.name,
        orgName: a.org_name ?? null,
        status: a.status,
        rateLimitPerMinute: a.rate_limit_per_minute,
        calls,
        byOutcome,
        lastCallAt: last[i]?.at ?? null,
      };
    });
  }
}

export function datahubMonitorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const monitor = new DatahubMonitor(ctx.db, ctx.clock, () => ctx.datahub.proofs.providerNames());
  r.get('/api/v1/datahub/monitor', {
    schema: {
      tags: ['datahub'],
      summary:
        '运行监测：证明提供方与接入应用在时间窗口内的情况 (monitoring: proof providers and applications over a window)',
      querystring: z.strictObject({
        hours: z.coerce.number().int().min(1).max(720).default(24),
      }),
    },
    config: { access: 'datahub:call-log' },
    handler: async (req) => monitor.overview(requireActor(callerOf(req)), req.query.hours),
  });
}
