import { beijingTime } from '@govflow/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { attachment, XLSX_MIME } from '../files/xlsx';
import { auditStamp, callerOf } from '../http/caller';
import { AUDIT_ACTION_GROUPS, AUDIT_ACTIONS, AUDIT_OUTCOMES } from './actions';
import { AUDIT_EXPORT_MAX_ROWS, exportAuditTrail } from './export';
import { auditFilterSchema, auditFilters, filteredEntries, readableEntries } from './read';
import type { BrokenEntry } from './trail';

const listQuery = z.strictObject({
  ...auditFilters,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** The auditor's home asks for a verification when none was made for this long. */
const VERIFICATION_INTERVAL_MS = 24 * 3600_000;

/** Read access to the trail: the audit administrator only (permission audit:read). */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { names } = ctx.audit;

  r.get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: '查询审计日志 (query the audit trail)', querystring: listQuery },
    config: { access: 'audit:read' },
    handler: async (req) => {
      const { page, pageSize, ...filters } = req.query;
      const base = await filteredEntries(ctx.db, names, filters);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('seq', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      await ctx.audit.appendAlone({
        ...auditStamp(callerOf(req)),
        action: 'audit.query',
        detail: { filters, page },
      });
      return { items: await readableEntries(rows, names), total: Number(count.n), page, pageSize };
    },
  });

  r.get('/api/v1/audit/actions', {
    schema: {
      tags: ['audit'],
      summary: '审计操作、结果与对象类型的中文名称 (the names the trail is filtered by)',
    },
    config: { access: 'audit:read' },
    handler: async () => ({
      actions: Object.entries(AUDIT_ACTIONS).map(([code, spec]) => ({
        code,
        name: spec.name,
        group: code.slice(0, code.indexOf('.')),
      })),
      groups: Object.entries(AUDIT_ACTION_GROUPS).map(([code, name]) => ({ code, name })),
      outcomes: Object.entries(AUDIT_OUTCOMES).map(([code, name]) => ({ code, name })),
      targetTypes: names.targetTypes().map(({ type, label }) => ({ code: type, name: label })),
      exportMaxRows: AUDIT_EXPORT_MAX_ROWS,
    }),
  });

  r.get('/api/v1/audit/export.xlsx', {
    schema: {
      tags: ['audit'],
      summary: '导出审计日志（xlsx，与查询相同的筛选条件，最多 100,000 条）(export the filtered trail)',
      querystring: auditFilterSchema,
    },
    config: { access: 'audit:read' },
    handler: async (req, reply) => {
      const exported = await exportAuditTrail(ctx, req.query);
      try {
        await ctx.audit.appendAlone({
          ...auditStamp(callerOf(req)),
          action: 'audit.export',
          detail: { filters: req.query, rows: exported.rows, upToSeq: exported.upToSeq },
        });
      } catch (err) {
        exported.stream.destroy();
        throw err;
      }
      void exported.done.then(({ outcome, written, chunks, error }) => {
        const at = { rows: exported.rows, written, chunks, upToSeq: exported.upToSeq };
        if (outcome === 'cancelled')
          req.log.warn(at, 'audit export cancelled: the client went away or took nothing for too long');
        else if (outcome === 'failed') req.log.error({ ...at, err: error }, 'audit export failed');
      });
      const stamp = beijingTime(ctx.clock.now()).replace(/[-: ]/g, '').slice(0, 12);
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', attachment(`audit-trail-${stamp}.xlsx`, `审计日志-${stamp}.xlsx`))
        .send(exported.stream);
    },
  });

  r.get('/api/v1/audit/chain', {
    schema: {
      tags: ['audit'],
      summary: '哈希链概况：记录数、最新记录与最近一次校验（不做校验）(the chain at a glance)',
    },
    config: { access: 'audit:read' },
    // Two lookups by index; unaudited like /audit/actions: it shows the head, not the trail.
    handler: async () => {
      const [head, verification] = await Promise.all([
        ctx.db.selectFrom('audit_entries').selectAll().orderBy('seq', 'desc').limit(1).execute(),
        ctx.db
          .selectFrom('audit_entries')
          .selectAll()
          .where('action', '=', 'audit.verify')
          .orderBy('seq', 'desc')
          .limit(1)
          .execute(),
      ]);
      const [newest, last] = await Promise.all([
        readableEntries(head, names),
        readableEntries(verification, names),
      ]);
      const detail = (last[0]?.detail ?? {}) as {
        checked?: number;
        brokenCount?: number;
        firstBroken?: BrokenEntry | null;
      };
      const lastVerification = last[0]
        ? {
            at: last[0].at,
            actorName: last[0].actorName,
            actorDisplayName: last[0].actorDisplayName,
            ok: last[0].outcome === 'success',
            checked: detail.checked ?? 0,
            brokenCount: detail.brokenCount ?? (detail.firstBroken ? 1 : 0),
            firstBroken: detail.firstBroken ?? null,
          }
        : null;
      return {
        /** The newest entry's sequence number: the chain's length while it is intact. */
        size: newest[0]?.seq ?? 0,
        newest: newest[0] ?? null,
        lastVerification,
        verificationDue:
          !lastVerification ||
          ctx.clock.now().getTime() - new Date(lastVerification.at).getTime() > VERIFICATION_INTERVAL_MS,
      };
    },
  });

  r.get('/api/v1/audit/verify', {
    schema: { tags: ['audit'], summary: '校验哈希链 (verify the hash chain)' },
    config: { access: 'audit:read' },
    handler: async (req) => {
      const result = await ctx.audit.verify();
      await ctx.audit.appendAlone({
        ...auditStamp(callerOf(req)),
        action: 'audit.verify',
        outcome: result.ok ? 'success' : 'failure',
        detail: { checked: result.checked, brokenCount: result.brokenCount, firstBroken: result.firstBroken },
      });
      return result;
    },
  });
}
