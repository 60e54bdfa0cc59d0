import type { FastifyRequest } from 'fastify';
import type { AuditInput } from '../audit/trail';
import { type Actor, auditActor } from './actor';
import { clientRequestId } from './request-id';

/** Who asked and from where: services take it first, and every audit entry is stamped with it. */
export interface Caller {
  actor: Actor | null;
  requestId: string | null;
  /** The id the client sent in X-Request-Id, if any: its own label, never the request id. */
  clientRequestId?: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Names a non-human caller (the CLI, a timer) in the audit trail. */
  systemName?: string;
  /** Who ran the CLI: the OS account and the command line, recorded with administrative acts. */
  operator?: { osUser: string; command: string };
}

export function callerOf(req: FastifyRequest): Caller {
  return {
    actor: req.actor,
    requestId: String(req.id),
    clientRequestId: clientRequestId(req.headers),
    ip: req.ip ?? null,
    userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
  };
}

/** The system itself (CLI, seeders, timers). */
export function systemCaller(name = 'govflow-cli'): Caller {
  return { actor: null, requestId: null, ip: null, userAgent: null, systemName: name };
}

export function auditStamp(
  caller: Caller,
): Pick<AuditInput, 'actor' | 'requestId' | 'clientRequestId' | 'ip'> {
  const actor = caller.actor
    ? auditActor(caller.actor)
    : caller.systemName
      ? { id: null, name: caller.systemName }
      : null;
  return {
    actor,
    requestId: caller.requestId,
    clientRequestId: caller.clientRequestId ?? null,
    ip: caller.ip,
  };
}

export function requireActor(caller: Caller): Actor {
  if (!caller.actor) throw new Error('this operation needs an authenticated caller');
  return caller.actor;
}
