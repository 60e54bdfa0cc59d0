import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { auditStamp, callerOf } from '../http/caller';

const query = z.strictObject({
  action: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

/** Read access to the trail: the audit administrator only (permission audit:read). */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: '查询审计日志 (query the audit trail)', querystring: query },
    config: { access: 'audit:read' },
    handler: async (req) => {
      const q = req.query;
      let base = ctx.db.selectFrom('audit_entries');
      if (q.action) base = base.where('action', 'like', `${q.action.replace(/[%_]/g, '')}%`);
      if (q.actor) base = base.where('actor_name', '=', q.actor);
      if (q.outcome) base = base.where('outcome', '=', q.outcome);
      if (q.from) base = base.where('at', '>=', new Date(q.from).toISOString());
      if (q.to) base = base.where('at', '<=', new Date(q.to).toISOString());
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('seq', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      await ctx.audit.appendAlone({
        ...auditStamp(callerOf(req)),
        action: 'audit.query',
        detail: {
          filters: { action: q.action, actor: q.actor, outcome: q.outcome, from: q.from, to: q.to },
          page: q.page,
        },
      });
      return {
        items: rows.map((e) => ({
          seq: e.seq,
          id: e.id,
          at: e.at,
          actorId: e.actor_id,
          actorName: e.actor_name,
          action: e.action,
          targetType: e.target_type,
          targetId: e.target_id,
          outcome: e.outcome,
          requestId: e.request_id,
          clientRequestId: e.client_request_id,
          ip: e.ip,
          detail: JSON.parse(e.detail),
          prevHash: e.prev_hash,
          hash: e.hash,
        })),
        total: Number(count.n),
        page: q.page,
        pageSize: q.pageSize,
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
        detail: { checked: result.checked, firstBroken: result.firstBroken },
      });
      return result;
    },
  });
}
