import type { Permission } from '@govflow/shared';
import type { Actor } from './actor';

/**
 * What a route needs: a named permission, any logged-in user, nothing, or a call signed by a
 * registered application of the data hub (`app-signature`, checked by the guard's `verifyApp`).
 */
export type RouteAccess = Permission | 'authenticated' | 'public' | 'app-signature';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Open to a session that must still change its administrator-given password. */
    beforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Set when a session cookie was presented but is no longer valid. */
    sessionProblem: 'SESSION_EXPIRED' | 'UNAUTHENTICATED' | null;
    /** The bytes of the body as received, kept for `app-signature` routes (the signature covers them). */
    rawBody: Buffer | null;
  }
}
