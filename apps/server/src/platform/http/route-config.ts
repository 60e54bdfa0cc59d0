import type { Permission } from '@govflow/shared';
import type { Actor } from './actor';

/** What a route needs: a named permission, any logged-in user, or nothing. */
export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when a session cookie was presented but is no longer valid. */
    sessionProblem: 'SESSION_EXPIRED' | 'UNAUTHENTICATED' | null;
  }
}
