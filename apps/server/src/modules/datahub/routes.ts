import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { inScope } from '../../platform/http/actor';
import { callerOf, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { datahubAppRoutes } from './app-routes';
import { datahubMonitorRoutes } from './monitor';
import { PROOF_TYPES, type ProofType } from './proof-providers';
import { connectRelayProviders } from './provider-config';
import { RESOURCE_SOURCE_NAMES, RESOURCE_SOURCES, type ResourceSource } from './resource-sources';
import type { DhAccessGrantRow, DhResourceRow } from './tables';

const proofQueryBody = z.strictObject({
  /** The token of a card read at this window post (`POST /api/v1/datahub/card-reader/read`). */
  cardReadToken: z.string().min(20).max(100),
  postId: z.string().min(1).max(64),
  proofTypes: z
    .array(z.enum(Object.keys(PROOF_TYPES) as [ProofType, ...ProofType[]]))
    .min(1)
    .max(Object.keys(PROOF_TYPES).length),
});

/** Reading a card, and using the read, are window work of the proof query. */
const PROOF_QUERY = 'datahub:proof-query';

export function datahubRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  datahubAppRoutes(app, ctx);
  datahubMonitorRoutes(app, ctx);
  const closeRelays = connectRelayProviders(ctx.datahub.proofs, ctx.config, ctx.log);
  app.addHook('onClose', closeRelays);

  r.post('/api/v1/datahub/proof-queries', {
    schema: {
      tags: ['datahub'],
      summary:
        '一证通办：凭读卡凭证并行查询证明，不落地 (one ID card: query proofs in parallel; nothing stored)',
      body: proofQueryBody,
    },
    config: { access: PROOF_QUERY },
    // A number sent by the browser is self-declared, whatever it says about where it came from:
    // refused with its own code before the body's shape is looked at.
    preValidation: async (req) => {
      const body = req.body as Record<string, unknown> | null;
      if (body && typeof body === 'object' && ('idNumber' in body || 'idNumbers' in body))
        throw new AppError(
          'CARD_READ_REQUIRED',
          400,
          '证明查询不接受直接提交的身份证号码，须凭读卡凭证查询',
          '请用读卡器读取身份证后再查询',
        );
    },
    handler: async (req) => {
      const caller = callerOf(req);
      const card = await ctx.cardReads.consume(caller, {
        token: req.body.cardReadToken,
        postId: req.body.postId,
        purpose: 'datahub.proof-query',
        permission: PROOF_QUERY,
      });
      return ctx.datahub.proofs.query(caller, card.idNumber, req.body.proofTypes);
    },
  });

  r.get('/api/v1/datahub/proof-types', {
    schema: { tags: ['datahub'], summary: '一证通办可查询的证明 (the proofs a window may ask for)' },
    config: { access: 'datahub:proof-query' },
    handler: async () => ({
      items: Object.entries(PROOF_TYPES).map(([type, title]) => ({ type, title })),
    }),
  });

  r.get('/api/v1/datahub/card-reader/posts', {
    schema: {
      tags: ['datahub'],
      summary: '本人可读卡办理证明查询的窗口岗位 (my window posts where I may read cards)',
    },
    config: { access: PROOF_QUERY },
    handler: async (req) => ({
      items: ctx.cardReads.windowPosts(requireActor(callerOf(req)), PROOF_QUERY),
    }),
  });

  // A read takes the next card (it changes the reader's state) and is audited with the number
  // masked. The browser gets a single-use token for this session and window post, and the masked
  // number: the number itself stays on the server until the query uses the read.
  r.post('/api/v1/datahub/card-reader/read', {
    schema: {
      tags: ['datahub'],
      summary: '读取身份证，得到一次性读卡凭证（演示环境的模拟读卡器）(read an ID card: a single-use token)',
      // No body (or no post) names the clerk's only window post.
      body: z.strictObject({ postId: z.string().min(1).max(64).optional() }).nullish(),
    },
    config: { access: PROOF_QUERY },
    handler: async (req) => {
      const caller = callerOf(req);
      const actor = requireActor(caller);
      const noReader = () =>
        new AppError('NO_CARD_READER', 404, '未连接身份证读卡器', '演示环境之外请连接读卡器');
      const reader = ctx.datahub.cardReader;
      if (!reader) throw noReader();
      // The post is checked before the reader moves on to its next card.
      const post = ctx.cardReads.windowPost(actor, PROOF_QUERY, req.body?.postId);
      const card = await reader.read(actor.userId);
      if (!card) throw noReader();
      return ctx.cardReads.read(caller, {
        card,
        reader: reader.name,
        permission: PROOF_QUERY,
        postId: post.id,
      });
    },
  });

  const idParam = z.strictObject({ id: z.string().min(1).max(64) });
  const sharing = ctx.datahub.sharing;
  const resourceView = (r: DhResourceRow & { owner_org_name?: string }) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    ownerOrgId: r.owner_org_id,
    ownerOrgName: r.owner_org_name ?? null,
    shareType: r.share_type,
    updateCycle: r.update_cycle,
    source: r.source,
    status: r.status,
    fields: JSON.parse(r.fields),
  });
  const grantView = (
    g: DhAccessGrantRow & { resource_code?: string; resource_name?: string; requester_org_name?: string },
  ) => ({
    id: g.id,
    resourceId: g.resource_id,
    resourceCode: g.resource_code ?? null,
    resourceName: g.resource_name ?? null,
    requesterOrgId: g.requester_org_id,
    requesterOrgName: g.requester_org_name ?? null,
    fields: JSON.parse(g.fields),
    purpose: g.purpose,
    days: g.days,
    status: g.status,
    expiresAt: g.expires_at,
    expired:
      g.status === 'approved' && g.expires_at !== null && g.expires_at <= ctx.clock.now().toISOString(),
    decisionNote: g.decision_note,
    createdAt: g.created_at,
    decidedAt: g.decided_at,
  });

  r.get('/api/v1/datahub/resources', {
    schema: { tags: ['datahub'], summary: '数据资源目录 (the catalogue of shared data resources)' },
    config: { access: 'datahub:read' },
    handler: async (req) => {
      const actor = callerOf(req).actor;
      return {
        items: (await sharing.listResources()).map((r) => ({
          ...resourceView(r),
          // For the page: whether this user may confirm a resource awaiting its owner.
          canConfirm:
            r.status === 'pending' && actor !== null && inScope(actor, 'datahub:approve', r.owner_org_path),
        })),
      };
    },
  });

  r.get('/api/v1/datahub/resource-sources', {
    schema: {
      tags: ['datahub'],
      summary: '可在线查询的本地基础库及其字段 (local libraries a resource can be served from)',
    },
    config: { access: 'datahub:read' },
    handler: async () => ({
      items: await Promise.all(
        RESOURCE_SOURCE_NAMES.map(async (name) => {
          const s: ResourceSource = RESOURCE_SOURCES[name];
          const keeper = await sharing.keeperOf(name);
          return {
            name,
            title: s.title,
            subject: s.subject,
            keeper: keeper ? { orgId: keeper.org_id, orgName: keeper.name } : null,
            fields: Object.entries(s.fields).map(([field, label]) => ({ name: field, label })),
          };
        }),
      ),
    }),
  });

  r.get('/api/v1/datahub/access-requests', {
    schema: {
      tags: ['datahub'],
      summary: '共享申请：本单位的申请，或待本单位审批的申请 (access requests: mine, or to decide)',
      querystring: z.strictObject({
        view: z.enum(['mine', 'to-decide']).default('mine'),
        status: z.enum(['requested', 'approved', 'rejected']).optional(),
      }),
    },
    config: { access: 'datahub:read' },
    handler: async (req) => ({
      items: (await sharing.listRequests(callerOf(req), req.query.view, req.query.status)).map(grantView),
    }),
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
        source: z.enum(RESOURCE_SOURCE_NAMES).nullable().default(null),
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

  r.post('/api/v1/datahub/resources/:id/confirm', {
    schema: {
      tags: ['datahub'],
      summary: '提供部门确认代为登记的资源 (the owner confirms a resource registered on its behalf)',
      params: idParam,
    },
    config: { access: 'datahub:approve' },
    handler: async (req) => {
      const r = await sharing.confirmResource(callerOf(req), req.params.id);
      return resourceView({
        ...r,
        owner_org_name: (await ctx.identity.orgs.getOrThrow(r.owner_org_id)).name,
      });
    },
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
      reply
        .status(201)
        .send(
          grantView(
            await sharing.request((await sharing.requestAccess(callerOf(req), req.params.id, req.body)).id),
          ),
        ),
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
      handler: async (req) => {
        const { id } = req.params as { id: string };
        await sharing.decide(callerOf(req), id, decision === 'approve', (req.body as { note: string }).note);
        return grantView(await sharing.request(id));
      },
    });
  }
}
