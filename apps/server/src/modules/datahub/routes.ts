import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { callerOf } from '../../platform/http/caller';
import { PROOF_TYPES, type ProofType } from './proof-providers';

const proofQueryBody = z.strictObject({
  idNumber: z.string().trim().min(1).max(32),
  /** The number must come from the ID card reader; typing it in is refused for this query. */
  source: z.literal('card-reader', {
    message: '身份证号码须由读卡器读取，不能手工录入 (read the ID card; manual entry is refused)',
  }),
  proofTypes: z
    .array(z.enum(Object.keys(PROOF_TYPES) as [ProofType, ...ProofType[]]))
    .min(1)
    .max(Object.keys(PROOF_TYPES).length),
});

export function datahubRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/v1/datahub/proof-queries', {
    schema: {
      tags: ['datahub'],
      summary: '一证通办：读卡后并行查询证明，不落地 (one ID card: query proofs in parallel; nothing stored)',
      body: proofQueryBody,
    },
    config: { access: 'datahub:proof-query' },
    handler: async (req) => ctx.datahub.proofs.query(callerOf(req), req.body.idNumber, req.body.proofTypes),
  });

  const idParam = z.strictObject({ id: z.string().min(1).max(64) });
  const sharing = ctx.datahub.sharing;
  const resourceView = (r: Awaited<ReturnType<typeof sharing.resource>>) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    ownerOrgId: r.owner_org_id,
    shareType: r.share_type,
    updateCycle: r.update_cycle,
    fields: JSON.parse(r.fields),
  });
  const grantView = (g: Awaited<ReturnType<typeof sharing.decide>>) => ({
    id: g.id,
    resourceId: g.resource_id,
    requesterOrgId: g.requester_org_id,
    fields: JSON.parse(g.fields),
    purpose: g.purpose,
    days: g.days,
    status: g.status,
    expiresAt: g.expires_at,
    decisionNote: g.decision_note,
  });

  r.get('/api/v1/datahub/resources', {
    schema: { tags: ['datahub'], summary: '数据资源目录 (the catalogue of shared data resources)' },
    config: { access: 'datahub:read' },
    handler: async () => ({ items: (await sharing.listResources()).map(resourceView) }),
  });

  r.post('/api/v1/datahub/resources', {
    schema: {
      tags: ['datahub'],
      summary: '登记数据资源 (register a data resource)',
      body: z.strictObject({
        code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/),
        name: z.string().trim().min(1).max(100),
        description: z.string().trim().max(1000).default(''),
        ownerOrgId: z.string().min(1).max(64),
        shareType: z.enum(['unconditional', 'conditional', 'none']),
        updateCycle: z.enum(['realtime', 'daily', 'weekly', 'monthly', 'yearly']),
        fields: z
          .array(
            z.strictObject({
              name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/),
              label: z.string().trim().min(1).max(40),
              sensitive: z.boolean().default(false),
            }),
          )
          .min(1)
          .max(200),
      }),
    },
    config: { access: 'datahub:manage' },
    handler: async (req, reply) =>
      reply.status(201).send(resourceView(await sharing.createResource(callerOf(req), req.body))),
  });

  r.post('/api/v1/datahub/resources/:id/access-requests', {
    schema: {
      tags: ['datahub'],
      summary: '申请使用数据资源 (request access to chosen fields for a purpose)',
      params: idParam,
      body: z.strictObject({
        requesterOrgId: z.string().min(1).max(64),
        fields: z.array(z.string().min(1).max(40)).min(1).max(200),
        purpose: z.string().trim().min(4).max(500),
        days: z.number().int().min(1).max(366),
      }),
    },
    config: { access: 'datahub:request' },
    handler: async (req, reply) =>
      reply.status(201).send(grantView(await sharing.requestAccess(callerOf(req), req.params.id, req.body))),
  });

  for (const decision of ['approve', 'reject'] as const) {
    r.post(`/api/v1/datahub/access-requests/:id/${decision}`, {
      schema: {
        tags: ['datahub'],
        summary: decision === 'approve' ? '批准申请 (approve)' : '驳回申请 (reject)',
        params: idParam,
        body: z.strictObject({ note: z.string().trim().max(500).default('') }),
      },
      config: { access: 'datahub:approve' },
      handler: async (req) =>
        grantView(
          await sharing.decide(
            callerOf(req),
            (req.params as { id: string }).id,
            decision === 'approve',
            (req.body as { note: string }).note,
          ),
        ),
    });
  }
}
