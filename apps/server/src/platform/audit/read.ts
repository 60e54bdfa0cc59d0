import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../database';
import { auditActionName, auditOutcomeName, isAuditAction, systemActorName } from './actions';
import type { AuditNames, AuditRef } from './names';
import { detailRefs, summariseDetail } from './summary';
import type { AuditEntryRow } from './tables';

/** What the trail can be filtered by: the same for the list and the export. */
export const auditFilters = {
  /** A whole action code, or the start of one (`user.`: every account action). */
  action: z.string().trim().max(64).optional(),
  /** A username as stored, or a person's display name. */
  actor: z.string().trim().max(64).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

export const auditFilterSchema = z.strictObject(auditFilters);
export type AuditFilters = z.infer<typeof auditFilterSchema>;

/** The entries the filters select, newest first once ordered by the caller. */
export async function filteredEntries(db: Kysely<Database>, names: AuditNames, f: AuditFilters) {
  let q = db.selectFrom('audit_entries');
  if (f.action) {
    q = isAuditAction(f.action)
      ? q.where('action', '=', f.action)
      : q.where('action', 'like', `${f.action.replace(/[%_]/g, '')}%`);
  }
  if (f.actor) {
    const actor = f.actor;
    const ids = await names.actorsNamed(actor);
    q = q.where((eb) =>
      ids.length > 0
        ? eb.or([eb('actor_name', '=', actor), eb('actor_id', 'in', ids)])
        : eb('actor_name', '=', actor),
    );
  }
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', new Date(f.from).toISOString());
  if (f.to) q = q.where('at', '<=', new Date(f.to).toISOString());
  return q;
}

/** One entry as the auditor reads it: the stored fields, and their names resolved now. */
export interface ReadableEntry {
  seq: number;
  id: string;
  at: string;
  actorId: string | null;
  /** As stored: the username (or what was typed at the login form, masked). */
  actorName: string | null;
  /** The account's display name now, or a known program's Chinese name; null for an unknown username. */
  actorDisplayName: string | null;
  action: string;
  actionName: string;
  targetType: string | null;
  targetTypeName: string | null;
  targetId: string | null;
  /** The target's name now; `（已不存在）` when it is gone. */
  targetName: string | null;
  targetMissing: boolean;
  outcome: AuditEntryRow['outcome'];
  outcomeName: string;
  /** The detail in Chinese; `detail` keeps it as stored. */
  summary: string;
  requestId: string | null;
  clientRequestId: string | null;
  ip: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export const MISSING_TARGET = '（已不存在）';

/** Names a page of entries: one lookup per type of object for the whole page. */
export async function readableEntries(rows: AuditEntryRow[], names: AuditNames): Promise<ReadableEntry[]> {
  const details = rows.map((e) => parseDetail(e.detail));
  const refs: AuditRef[] = [];
  rows.forEach((e, i) => {
    if (e.actor_id) refs.push({ type: 'user', id: e.actor_id });
    if (e.target_type && e.target_id) refs.push({ type: e.target_type, id: e.target_id });
    detailRefs(e.action, details[i], refs);
  });
  const book = await names.resolve(refs);
  return rows.map((e, i) => {
    const target = e.target_type && e.target_id ? book.name(e.target_type, e.target_id) : undefined;
    return {
      seq: Number(e.seq),
      id: e.id,
      at: e.at,
      actorId: e.actor_id,
      actorName: e.actor_name,
      // A person by their name now; a program (a seed, the command line, an application) by what
      // it is. A name typed at a failed login stays as typed (masked).
      actorDisplayName: e.actor_id
        ? book.name('user', e.actor_id) || null
        : e.actor_name
          ? systemActorName(e.actor_name, e.ip)
          : null,
      action: e.action,
      actionName: auditActionName(e.action),
      targetType: e.target_type,
      targetTypeName: e.target_type ? names.typeLabel(e.target_type) : null,
      targetId: e.target_id,
      targetName: target === null ? MISSING_TARGET : (target ?? e.target_id),
      targetMissing: target === null,
      outcome: e.outcome,
      outcomeName: auditOutcomeName(e.outcome),
      summary: summariseDetail(e.action, details[i], book),
      requestId: e.request_id,
      clientRequestId: e.client_request_id,
      ip: e.ip,
      detail: details[i],
      prevHash: e.prev_hash,
      hash: e.hash,
    };
  });
}

function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
