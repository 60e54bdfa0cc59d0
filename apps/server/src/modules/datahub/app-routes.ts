import { CALL_OUTCOMES } from '@govflow/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { callerOf, requireActor } from '../../platform/http/caller';
import { clientNetwork } from '../../platform/http/client-network';
import { AppError } from '../../platform/http/errors';
import { tooManyRefusals } from './call-log';
import { maskSubject } from './data-query';
import { SIGNATURE_HEADERS } from './signing';
import type { DhAppRow } from './tables';

declare module 'fastify' {
  interface FastifyRequest {
    /** The registered application a signed call came from (routes with access `app-signature`). */
    dataApp: DhAppRow | null;
    callStarted: number;
    /** Set once the call log holds this call. */
    callLogged: boolean;
  }
}

/** What a body says about itself, read loosely: for the call log of a call refused before validation. */
function claimed(body: unknown) {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const subject = text(b.subject);
  return {
    resourceCode: text(b.resource),
    purpose: text(b.purpose),
    subjectMasked: subject ? maskSubject(subject) : null,
  };
}

/**
 * The guard's check of a signed call (access `app-signature`): identifies the application and
 * checks timestamp, signature, nonce and rate limit; a refusal of a known application is written
 * to the call log before the 401/429 goes out. Past a few refusals a minute from one address for
 * one application, refusals are counted instead and answered 429; a valid call is still verified
 * and answered, so a flood of replays does not shut the application itself out.
 */
export function verifySignedCall(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    req.callStarted = performance.now();
    const r = await ctx.datahub.apps.authenticate(req.headers, {
      method: req.method,
      path: req.url,
      body: req.rawBody ?? '',
    });
    if ('refused' in r) {
      const refusal = {
        app: r.app,
        outcome: r.refused.outcome,
        httpStatus: r.refused.status,
        ms: performance.now() - req.callStarted,
        requestId: String(req.id),
        at: ctx.clock.now(),
        source: clientNetwork(req.ip),
      };
      // Only a verified signature vouches for the body: an unverified one is logged without it.
      const logged =
        r.refused.outcome === 'bad-signature'
          ? await ctx.datahub.queries.log.recordUnverified(refusal)
          : await ctx.datahub.queries.log.recordRefusal({ ...refusal, ...claimed(req.body), fields: [] });
      if (!logged) throw tooManyRefusals(r.refused);
      ctx.log.warn({ reqId: req.id, code: r.refused.code, app: r.app?.app_key }, 'signed call refused');
      throw r.refused;
    }
    req.dataApp = r.app;
  };
}

const queryBody = z.strictObject({
  resource: z.string().trim().min(1).max(64),
  /** One ID number or credit code: one subject per call, never a list. */
  subject: z.string().trim().min(1).max(32),
  purpose: z.string().trim().min(4).max(500),
});

export function datahubAppRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('dataApp', null);
  app.decorateRequest('callStarted', 0);
  app.decorateRequest('callLogged', false);
  // A signed call refused while its body was read (unreadable JSON, wrong content type, too
  // large) never reached verifySignedCall, which sets callStarted: logged here, when the app key
  // names a registered application, as an unverified refusal (the signature was never checked).
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.config?.access !== 'app-signature' || req.callStarted !== 0) return;
    if (reply.statusCode < 400) return;
    const appKey = req.headers[SIGNATURE_HEADERS.appKey];
    if (typeof appKey !== 'string' || appKey.length > 64) return;
    try {
      const dataApp = await ctx.db
        .selectFrom('dh_apps')
        .selectAll()
        .where('app_key', '=', appKey)
        .executeTakeFirst();
      if (!dataApp) return;
      await ctx.datahub.queries.log.recordUnverified({
        app: dataApp,
        outcome: reply.statusCode >= 500 ? 'failed' : 'invalid',
        httpStatus: reply.statusCode,
        ms: reply.elapsedTime,
        requestId: String(req.id),
        at: ctx.clock.now(),
        source: clientNetwork(req.ip),
      });
    } catch (err) {
      ctx.log.error({ reqId: req.id, err: (err as Error).message }, 'call log write failed');
    }
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  const apps = ctx.datahub.apps;

  r.post('/api/v1/datahub/query', {
    schema: {
      tags: ['datahub'],
      summary:
        '接入应用查询一条数据：只返回已批准的字段 (a registered application reads one record; approved fields only)',
      description:
        'Signed with HMAC-SM3: headers X-GF-App-Key, X-GF-Timestamp (unix seconds), X-GF-Nonce (16–64 of A-Za-z0-9_-), ' +
        'X-GF-Signature = hex HMAC-SM3(secret, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex SM3(body)).',
      body: queryBody,
      security: [],
    },
    attachValidation: true,
    config: { access: 'app-signature' },
    // A verified call refused on the way to the handler (input hygiene) is logged all the same.
    onResponse: async (req, reply) => {
      if (!req.dataApp || req.callLogged) return;
      await ctx.datahub.queries.log
        .recordRefusal({
          app: req.dataApp,
          ...claimed(req.body),
          outcome: reply.statusCode >= 500 ? 'failed' : 'invalid',
          httpStatus: reply.statusCode,
          fields: [],
          ms: performance.now() - req.callStarted,
          requestId: String(req.id),
          at: ctx.clock.now(),
          source: clientNetwork(req.ip),
        })
        .catch((err: Error) => ctx.log.error({ reqId: req.id, err: err.message }, 'call log write failed'));
    },
    handler: async (req) => {
      const dataApp = req.dataApp as DhAppRow;
      req.callLogged = true;
      if (req.validationError) {
        const invalid = new AppError(
          'VALIDATION_FAILED',
          400,
          '请求参数无效：每次只能查询一个对象',
          undefined,
          req.validationError.message,
        );
        const logged = await ctx.datahub.queries.log.recordRefusal({
          app: dataApp,
          ...claimed(req.body),
          outcome: 'invalid',
          httpStatus: 400,
          fields: [],
          ms: performance.now() - req.callStarted,
          requestId: String(req.id),
          at: ctx.clock.now(),
          source: clientNetwork(req.ip),
        });
        throw logged ? invalid : tooManyRefusals(invalid);
      }
      return ctx.datahub.queries.query(dataApp, req.body, String(req.id), req.callStarted, req.ip);
    },
  });

  // A registered application browses the catalogue and asks for access for its own unit, signed
  // like its queries; the unit's owner approves as for any department's request.
  const appCaller = (req: FastifyRequest) => ({
    ...callerOf(req),
    systemName: `app:${(req.dataApp as DhAppRow).name}`,
  });

  r.get('/api/v1/datahub/app/resources', {
    schema: {
      tags: ['datahub'],
      summary:
        '接入应用浏览资源目录及本单位的授权 (an application browses the catalogue and its unit’s access)',
      security: [],
    },
    config: { access: 'app-signature' },
    handler: async (req) => {
      const dataApp = req.dataApp as DhAppRow;
      const [resources, grants] = await Promise.all([
        ctx.datahub.sharing.listResources(),
        ctx.datahub.sharing.requestsOf(dataApp.org_id),
      ]);
      const now = ctx.clock.now().toISOString();
      return {
        items: resources.map((res) => {
          const mine = grants.filter((g) => g.resource_id === res.id);
          const live = mine.filter((g) => g.status === 'approved' && g.expires_at && g.expires_at > now);
          return {
            code: res.code,
            name: res.name,
            description: res.description,
            ownerOrgName: res.owner_org_name,
            shareType: res.share_type,
            updateCycle: res.update_cycle,
            queryable: res.source !== null,
            status: res.status,
            fields: JSON.parse(res.fields),
            approvedFields: [...new Set(live.flatMap((g) => JSON.parse(g.fields) as string[]))],
            approvedUntil:
              live
                .map((g) => g.expires_at as string)
                .sort()
                .at(-1) ?? null,
            pendingRequests: mine.filter((g) => g.status === 'requested').length,
          };
        }),
      };
    },
  });

  r.post('/api/v1/datahub/app/access-requests', {
    schema: {
      tags: ['datahub'],
      summary: '接入应用为本单位申请数据资源 (an application requests access for its unit)',
      body: z.strictObject({
        resource: z.string().trim().min(1).max(64),
        fields: z.array(z.string().min(1).max(40)).min(1).max(200),
        purpose: z.string().trim().min(4).max(500),
        days: z.number().int().min(1).max(366),
      }),
      security: [],
    },
    config: { access: 'app-signature' },
    handler: async (req, reply) => {
      const dataApp = req.dataApp as DhAppRow;
      const resource = await ctx.datahub.sharing.resourceByCode(req.body.resource);
      const grant = await ctx.datahub.sharing.requestAccess(appCaller(req), resource.id, {
        requesterOrgId: dataApp.org_id,
        fields: req.body.fields,
        purpose: req.body.purpose,
        days: req.body.days,
      });
      const g = await ctx.datahub.sharing.request(grant.id);
      return reply.status(201).send({
        id: g.id,
        resource: g.resource_code,
        requesterOrgName: g.requester_org_name,
        fields: JSON.parse(g.fields),
        purpose: g.purpose,
        days: g.days,
        status: g.status,
        expiresAt: g.expires_at,
      });
    },
  });

  const appView = (a: DhAppRow & { org_name?: string }) => ({
    id: a.id,
    name: a.name,
    orgId: a.org_id,
    orgName: a.org_name ?? null,
    appKey: a.app_key,
    rateLimitPerMinute: a.rate_limit_per_minute,
    status: a.status,
    createdAt: a.created_at,
  });

  r.get('/api/v1/datahub/apps', {
    schema: { tags: ['datahub'], summary: '接入应用 (registered applications)' },
    config: { access: 'datahub:manage' },
    handler: async (req) => ({ items: (await apps.list(callerOf(req))).map(appView) }),
  });

  r.post('/api/v1/datahub/apps', {
    schema: {
      tags: ['datahub'],
      summary: '注册接入应用：密钥只显示这一次 (register an application; the secret is shown once)',
      body: z.strictObject({
        name: z.string().trim().min(2).max(100),
        orgId: z.string().min(1).max(64),
        rateLimitPerMinute: z.number().int().min(1).max(10_000).default(60),
      }),
    },
    config: { access: 'datahub:manage' },
    handler: async (req, reply) => {
      const { app: a, secret } = await apps.register(callerOf(req), req.body);
      reply.header('cache-control', 'no-store');
      return reply.status(201).send({ ...appView(a), appSecret: secret });
    },
  });

  const idParam = z.strictObject({ id: z.string().min(1).max(64) });
  r.post('/api/v1/datahub/apps/:id/disable', {
    schema: { tags: ['datahub'], summary: '停用接入应用 (disable an application)', params: idParam },
    config: { access: 'datahub:manage' },
    handler: async (req) => appView(await apps.change(callerOf(req), req.params.id, 'disable')),
  });

  r.post('/api/v1/datahub/apps/:id/rotate-secret', {
    schema: {
      tags: ['datahub'],
      summary: '重置应用密钥：旧密钥立即失效 (issue a new secret; the old one stops working)',
      params: idParam,
    },
    config: { access: 'datahub:manage' },
    handler: async (req, reply) => {
      const a = await apps.change(callerOf(req), req.params.id, 'rotate-secret');
      reply.header('cache-control', 'no-store');
      return { ...appView(a), appSecret: apps.secretOf(a) };
    },
  });

  r.get('/api/v1/datahub/call-log', {
    schema: {
      tags: ['datahub'],
      summary: '数据调用日志 (the call log of registered applications)',
      querystring: z.strictObject({
        appId: z.string().max(64).optional(),
        resource: z.string().max(64).optional(),
        outcome: z.enum(CALL_OUTCOMES).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    config: { access: 'datahub:call-log' },
    handler: async (req) => ctx.datahub.queries.log.list(requireActor(callerOf(req)), req.query),
  });
}
