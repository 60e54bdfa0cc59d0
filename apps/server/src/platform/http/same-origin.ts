import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether `origin` is this server as the browser addressed it: the same host and port (forwarded by
 * a trusted proxy), and https when the request came over https. An https origin is accepted for a
 * request that reached us over plain http: a TLS-terminating proxy that is not trusted (or trusted
 * by hop count, which fastify does not trust for forwarded headers) cannot tell us the scheme, and
 * only whoever holds this host's certificate can show an https page on it. Current browsers send
 * `Sec-Fetch-Site` too, which tells the schemes apart on its own.
 */
function isOwnOrigin(origin: string, req: FastifyRequest): boolean {
  let claimed: URL;
  try {
    claimed = new URL(origin);
  } catch {
    // `null` (a sandboxed frame, a redirect across sites) and anything unparseable.
    return false;
  }
  if (claimed.protocol !== 'https:' && !(claimed.protocol === 'http:' && req.protocol === 'http'))
    return false;
  try {
    return new URL(`${claimed.protocol}//${req.host}`).host === claimed.host;
  } catch {
    return false;
  }
}

/**
 * Refuses state-changing requests a browser sends on behalf of another site (CSRF), on every
 * route a browser may call: the session cookie's SameSite is not the only defence. A browser says
 * where a request comes from in `Sec-Fetch-Site` and `Origin`; a request with neither (curl, the
 * CLI, another server) is no browser's cross-site request and passes. Calls signed by a data hub
 * application carry no cookie and prove themselves by signature.
 *
 * The `text/plain` body parser is removed as well: it is the one body type a cross-site form can
 * send without a preflight, and no route takes it.
 */
export function installSameOriginCheck(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method)) return;
    if (req.routeOptions.config?.access === 'app-signature') return;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    const crossSite = site === 'cross-site' || site === 'same-site';
    if (!crossSite && (origin === undefined || isOwnOrigin(origin, req))) return;
    req.log.warn(
      { origin, secFetchSite: site, host: req.host, protocol: req.protocol },
      'refused a cross-site request',
    );
    throw new AppError(
      'CROSS_SITE_REQUEST',
      403,
      `拒绝来自其他站点的跨站请求（来源：${origin ?? site}）`,
      '请在本系统的页面中操作',
    );
  });
}
