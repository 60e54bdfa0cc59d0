import {
  controlSettingsSchema,
  ITEM_TYPE_KEYS,
  legalFieldsSchema,
  serviceFieldsSchema,
} from '@govflow/shared';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { callerOf } from '../../platform/http/caller';
import { clientNetwork } from '../../platform/http/client-network';
import { buildGuide } from './guide';
import type { FacetName } from './public-catalog';
import { type FieldGroup, GROUP_PERMISSION, type StatusAction } from './service';

const idParam = z.strictObject({ id: z.string().min(1).max(64) });
/** Guide reads per client address a minute: far above a person reading, far below a script. */
const GUIDE_VIEWS_PER_MINUTE = 120;
const codeParam = z.strictObject({ code: z.string().min(1).max(64) });
const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

const createBody = z.strictObject({
  orgId: z.string().min(1).max(64),
  basicCode: z.string().trim().max(16),
  handlingItem: z.string().trim().max(4).optional(),
  legal: legalFieldsSchema,
  service: serviceFieldsSchema,
  control: controlSettingsSchema.optional(),
});

const listQuery = z.strictObject({
  status: z.enum(['draft', 'published', 'suspended', 'cancelled']).optional(),
  type: z.enum(ITEM_TYPE_KEYS as [string, ...string[]]).optional(),
  name: z.string().trim().max(60).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const GROUP_SCHEMAS = {
  legal: legalFieldsSchema,
  service: serviceFieldsSchema,
  control: controlSettingsSchema,
};
const GROUP_TITLES = { legal: '法定要素', service: '服务要素', control: '管控设置' };

export function catalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const catalog = ctx.catalog;
  const tags = ['catalog'];

  r.get('/api/v1/catalog/items', {
    schema: { tags, summary: '事项列表，限于数据范围 (items in your scope)', querystring: listQuery },
    config: { access: 'catalog:read' },
    handler: async (req) => catalog.list(callerOf(req), req.query as Parameters<typeof catalog.list>[1]),
  });

  r.post('/api/v1/catalog/items', {
    schema: { tags, summary: '新建事项（草稿）(create an item as a draft)', body: createBody },
    config: { access: 'catalog:edit-service' },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const item = await catalog.create(caller, req.body);
      return reply.status(201).send(await catalog.detail(caller, item.id));
    },
  });

  r.get('/api/v1/catalog/review-queue', {
    schema: {
      tags,
      summary: '待审核的事项版本，限于审核范围 (versions waiting for review in your scope)',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
    },
    config: { access: 'catalog:review' },
    handler: async (req) => catalog.reviewQueue(callerOf(req), req.query.limit),
  });

  r.get('/api/v1/catalog/items/:id', {
    schema: { tags, summary: '事项与版本历史 (item and its versions)', params: idParam },
    config: { access: 'catalog:read' },
    handler: async (req) => catalog.detail(callerOf(req), req.params.id),
  });

  r.get('/api/v1/catalog/items/:id/versions/:no', {
    schema: {
      tags,
      summary: '某一版本的完整内容 (one version in full)',
      params: z.strictObject({ id: z.string().min(1).max(64), no: z.coerce.number().int().min(1) }),
    },
    config: { access: 'catalog:read' },
    handler: async (req) => catalog.version(callerOf(req), req.params.id, req.params.no),
  });

  r.get('/api/v1/catalog/items/:id/diff', {
    schema: {
      tags,
      summary: '两个版本的差异 (differences between two versions)',
      params: idParam,
      querystring: z.strictObject({
        from: z.coerce.number().int().min(1),
        to: z.coerce.number().int().min(1),
      }),
    },
    config: { access: 'catalog:read' },
    handler: async (req) => catalog.diff(callerOf(req), req.params.id, req.query.from, req.query.to),
  });

  r.post('/api/v1/catalog/items/:id/drafts', {
    schema: { tags, summary: '基于最新版本新建草稿 (start the next version)', params: idParam },
    config: { access: 'catalog:edit-service' },
    handler: async (req, reply) =>
      reply.status(201).send(await catalog.newDraft(callerOf(req), req.params.id)),
  });

  for (const group of Object.keys(GROUP_SCHEMAS) as FieldGroup[]) {
    r.put(`/api/v1/catalog/versions/:id/${group}`, {
      schema: {
        tags,
        summary: `修改草稿的${GROUP_TITLES[group]} (replace the ${group} fields of a draft)`,
        params: idParam,
        body: GROUP_SCHEMAS[group],
      },
      config: { access: GROUP_PERMISSION[group] },
      handler: async (req) =>
        catalog.updateGroup(callerOf(req), (req.params as { id: string }).id, group, req.body),
    });
  }

  r.post('/api/v1/catalog/versions/:id/submit', {
    schema: { tags, summary: '提交审核 (submit for review)', params: idParam },
    config: { access: 'catalog:edit-service' },
    handler: async (req) => catalog.submit(callerOf(req), req.params.id),
  });

  r.post('/api/v1/catalog/versions/:id/approve', {
    schema: { tags, summary: '审核通过并发布 (approve and publish)', params: idParam },
    config: { access: 'catalog:review' },
    handler: async (req) => catalog.approve(callerOf(req), req.params.id),
  });

  r.post('/api/v1/catalog/versions/:id/reject', {
    schema: { tags, summary: '退回修改 (send back with a note)', params: idParam, body: reasonBody },
    config: { access: 'catalog:review' },
    handler: async (req) => catalog.reject(callerOf(req), req.params.id, req.body.reason),
  });

  for (const action of ['suspend', 'resume', 'cancel'] as StatusAction[]) {
    r.post(`/api/v1/catalog/items/:id/${action}`, {
      schema: {
        tags,
        summary: `${{ suspend: '暂停', resume: '恢复', cancel: '取消' }[action]}事项 (${action})`,
        params: idParam,
        body: reasonBody,
      },
      config: { access: 'catalog:review' },
      handler: async (req) =>
        catalog.detail(
          callerOf(req),
          (
            await catalog.changeStatus(
              callerOf(req),
              (req.params as { id: string }).id,
              action,
              (req.body as { reason: string }).reason,
            )
          ).id,
        ),
    });
  }

  r.post('/api/v1/catalog/items/:id/split', {
    schema: {
      tags,
      summary: '拆分事项 (split into new draft items)',
      params: idParam,
      body: z.strictObject({
        parts: z
          .array(
            z.strictObject({
              name: z.string().trim().min(1).max(120),
              handlingItem: z.string().regex(/^\d{2}$/),
            }),
          )
          .min(2)
          .max(20),
      }),
    },
    config: { access: 'catalog:review' },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const parts = await catalog.split(caller, req.params.id, req.body.parts);
      return reply
        .status(201)
        .send({ items: await Promise.all(parts.map((p) => catalog.detail(caller, p.id))) });
    },
  });

  r.post('/api/v1/catalog/merge', {
    schema: {
      tags,
      summary: '合并事项 (merge items into a new draft item)',
      body: z.strictObject({ itemIds: z.array(z.string().min(1).max(64)).min(2).max(20), into: createBody }),
    },
    config: { access: 'catalog:review' },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const merged = await catalog.merge(caller, req.body.itemIds, req.body.into);
      return reply.status(201).send(await catalog.detail(caller, merged.id));
    },
  });

  // ---- public: what citizens and companies see
  const list = z
    .union([z.string().trim().max(60), z.array(z.string().trim().max(60)).max(20)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  const searchQuery = z.strictObject({
    q: z.string().trim().max(100).default(''),
    type: list,
    department: list,
    level: list,
    audience: list,
    theme: list,
    lifeEvent: list,
    targetGroup: list,
    businessActivity: list,
    enterpriseType: list,
    page: z.coerce.number().int().min(1).max(500).default(1),
    pageSize: z.coerce.number().int().min(1).max(50).default(20),
  });

  r.get('/api/v1/public/search', {
    schema: {
      tags: ['public'],
      summary: '搜索事项，分面筛选 (search published items, with facets)',
      querystring: searchQuery,
    },
    config: { access: 'public' },
    handler: async (req) => {
      const { q, page, pageSize, ...filters } = req.query;
      return ctx.publicCatalog.search(q, filters satisfies Record<FacetName, string[]>, page, pageSize);
    },
  });

  r.get('/api/v1/public/suggest', {
    schema: {
      tags: ['public'],
      summary: '搜索建议 (titles as the user types, Han or pinyin)',
      querystring: z.strictObject({
        prefix: z.string().trim().min(1).max(40),
        limit: z.coerce.number().int().min(1).max(20).default(10),
      }),
    },
    config: { access: 'public' },
    handler: async (req) => ({ items: await ctx.publicCatalog.suggest(req.query.prefix, req.query.limit) }),
  });

  r.get('/api/v1/public/hot', {
    schema: {
      tags: ['public'],
      summary: '热门事项 (most viewed items)',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
    },
    config: { access: 'public' },
    handler: async (req) => ({ items: await ctx.publicCatalog.hot(req.query.limit) }),
  });

  r.get('/api/v1/public/navigation', {
    schema: { tags: ['public'], summary: '导航：个人、法人、部门 (navigation axes with counts)' },
    config: { access: 'public' },
    handler: async () => ctx.publicCatalog.navigation(),
  });

  r.get('/api/v1/public/items/:code/guide', {
    schema: {
      tags: ['public'],
      summary: '办事指南 (the service guide of a published item)',
      params: codeParam,
    },
    config: {
      access: 'public',
      rateLimit: { max: GUIDE_VIEWS_PER_MINUTE, timeWindow: '1 minute' },
    },
    handler: async (req) => {
      const { item, version, content } = await catalog.published(req.params.code);
      // The visitor is the client address (req.ip honours TRUST_PROXY); a cookie would let a
      // script count again by dropping it.
      catalog.countView(item.id, clientNetwork(req.ip));
      return { ...buildGuide(item, version, content), related: await ctx.publicCatalog.related(item.id) };
    },
  });
}
