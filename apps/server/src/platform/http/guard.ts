import { Readable } from 'node:stream';
import { PERMISSIONS } from '@govflow/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
export function installGuard(
  app: FastifyInstance,
  authenticate: Authenticate,
  verifyApp: (req: FastifyRequest) => Promise<void> = async () => {
    throw new AppError('UNAUTHENTICATED', 401, '需要应用签名');
  },
  /** How many idle minutes end a session, for the hint of SESSION_EXPIRED. */
  sessions?: { idleMinutes: number },
): void {
  const idleHint = sessions ? `${sessions.idleMinutes} 分钟无操作会自动退出` : '长时间无操作会自动退出';
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionProblem', null);
  app.decorateRequest('rawBody', null);

  // A signed call's signature covers the body's exact bytes: keep them before parsing.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (req.routeOptions.config?.access !== 'app-signature') return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > (app.initialConfig.bodyLimit ?? 1024 * 1024))
        throw new AppError('PAYLOAD_TOO_LARGE', 413, '请求体过大');
      chunks.push(chunk as Buffer);
    }
    req.rawBody = Buffer.concat(chunks);
    const replay = Readable.from([req.rawBody]) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = req.rawBody.length;
    return replay;
  });

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access) {
      throw new Error(`route ${route.method} ${route.url} does not declare config.access`);
    }
  });

  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    if (access === 'app-signature') return verifyApp(req);
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      const r = await authenticate(token);
      if ('actor' in r) req.actor = r.actor;
      else req.sessionProblem = r.problem;
    }
    if (req.actor?.mustChangePassword && !req.routeOptions.config?.beforePasswordChange) {
      // Until the password an administrator chose is replaced, the session counts for nothing else.
      if (access === 'public') req.actor = null;
      else
        throw new AppError(
          'PASSWORD_CHANGE_REQUIRED',
          403,
          '请先修改管理员设置的初始密码',
          '首次登录须修改密码，修改前只能查看本人信息、修改密码或退出登录',
        );
    }
    if (access === 'public') return;
    if (!req.actor) {
      if (req.sessionProblem === 'SESSION_EXPIRED') {
        throw new AppError('SESSION_EXPIRED', 401, '会话已超时，请重新登录', idleHint);
      }
      throw new AppError('UNAUTHENTICATED', 401, '请先登录');
    }
    if (access !== 'authenticated' && !hasPermission(req.actor, access)) {
      throw new AppError('FORBIDDEN', 403, `没有“${PERMISSIONS[access] ?? access}”权限`);
    }
  });
}
