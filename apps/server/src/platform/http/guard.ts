import type { FastifyInstance } from 'fastify';
import type { Actor } from './actor';
import { hasPermission } from './actor';
import { AppError } from './errors';
import './route-config';

export const SESSION_COOKIE = 'gf_session';

export type Authenticate = (
  token: string,
) => Promise<{ actor: Actor } | { problem: 'UNAUTHENTICATED' | 'SESSION_EXPIRED' }>;

/**
 * Every API route must say what it needs (`config.access`); the process refuses to start otherwise.
 * The session cookie is resolved to an actor before the handler runs, and the access is enforced.
 */
export function installGuard(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionProblem', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      const r = await authenticate(token);
      if ('actor' in r) req.actor = r.actor;
      else req.sessionProblem = r.problem;
    }
    if (access === 'public') return;
    if (!req.actor) {
      if (req.sessionProblem === 'SESSION_EXPIRED') {
        throw new AppError(
          'SESSION_EXPIRED',
          401,
          '会话已超时，请重新登录 (session expired)',
          '30 分钟无操作会自动退出',
        );
      }
      throw new AppError('UNAUTHENTICATED', 401, '请先登录 (log in first)');
    }
    if (access !== 'authenticated' && !hasPermission(req.actor, access)) {
      throw new AppError('FORBIDDEN', 403, `没有“${access}”权限 (missing permission ${access})`);
    }
  });
}
