import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from './context';
import { catalogRoutes } from './modules/catalog/routes';
import { catalogSpreadsheetRoutes } from './modules/catalog/spreadsheet-routes';
import { verifySignedCall } from './modules/datahub/app-routes';
import { datahubRoutes } from './modules/datahub/routes';
import { identityRoutes } from './modules/identity/routes';
import { auditRoutes } from './platform/audit/routes';
import { flushPeriodically } from './platform/flush-periodically';
import { clientNetwork } from './platform/http/client-network';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  installErrorHandling,
  routeNotFound,
} from './platform/http/error-handler';
import { installGuard } from './platform/http/guard';
import { healthRoutes } from './platform/http/health';
import { installInputHygiene } from './platform/http/input-hygiene';
import { clientRequestId } from './platform/http/request-id';
import { installSameOriginCheck } from './platform/http/same-origin';
import { uuidv7 } from './platform/ids';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

/** Registers the platform plugins, then every module's routes. Does not listen. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // fastify accepts a hop count at run time though its types leave numbers out.
    trustProxy: ctx.config.TRUST_PROXY as string | boolean,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // The server names every request; a client's own X-Request-Id is only logged beside it.
    genReqId: () => uuidv7(),
    childLoggerFactory: (logger, bindings, opts, raw) => {
      const clientId = clientRequestId(raw.headers);
      return logger.child(clientId ? { ...bindings, clientRequestId: clientId } : bindings, opts);
    },
    ajv: { customOptions: { removeAdditional: false } },
    // Errors before a route is found answer in the one error shape too.
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  trackInFlight(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd and the API docs page set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        // Only a site served over https may ask browsers to upgrade its requests: on plain http
        // under any name but localhost (an intranet address) the upgraded scripts never load.
        upgradeInsecureRequests: ctx.config.COOKIE_SECURE ? [] : null,
      },
    },
  });
  await app.register(rateLimit, { global: false, keyGenerator: (req) => clientNetwork(req.ip) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'GovFlow API', version: '0.1.0', description: '政务服务与行权管控平台 API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gf_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installErrorHandling(app, ctx.audit);
  installSameOriginCheck(app);
  installGuard(app, (token) => ctx.identity.auth.authenticate(token), verifySignedCall(ctx), {
    idleMinutes: ctx.config.SESSION_IDLE_MINUTES,
  });
  installInputHygiene(app);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, ctx);
  identityRoutes(app, ctx);
  catalogRoutes(app, ctx);
  datahubRoutes(app, ctx);
  catalogSpreadsheetRoutes(app, ctx);
  auditRoutes(app, ctx);
  flushPeriodically(app, {
    guideViews: () => ctx.catalog.flushViews(),
    refusalCounts: () => ctx.datahub.queries.log.flushRefusalCounts(),
  });

  serveWebApp(app, ctx.config.WEB_DIST ?? DEFAULT_WEB_DIST);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves once no handler is still running (a client may have gone while its handler works on). */
    drained(timeoutMs: number): Promise<boolean>;
  }
}

/** Counts requests from arrival until their reply is produced, for shutdown to wait on. */
function trackInFlight(app: FastifyInstance): void {
  const inFlight = new Set<unknown>();
  app.addHook('onRequest', async (req) => {
    inFlight.add(req);
  });
  const settle = async (req: unknown) => {
    inFlight.delete(req);
  };
  app.addHook('onSend', settle);
  app.addHook('onResponse', settle);
  app.decorate('drained', async (timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (inFlight.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return inFlight.size === 0;
  });
}

/** The built React app, with every non-API GET that accepts HTML falling back to index.html. */
function serveWebApp(app: FastifyInstance, dist: string): void {
  const built = fs.existsSync(path.join(dist, 'index.html'));
  if (built) app.register(fastifyStatic, { root: dist, wildcard: false, index: ['index.html'] });
  else app.log.warn({ dist }, 'web app not built; run `npm run build` to serve it');
  app.setNotFoundHandler((req, reply) => {
    const isPage =
      built &&
      req.method === 'GET' &&
      !/^\/(api|healthz|docs)(\/|$)/.test(req.url) &&
      (req.headers.accept ?? '').includes('text/html');
    if (isPage) return reply.type('text/html').sendFile('index.html');
    return routeNotFound(req, reply, app);
  });
}
