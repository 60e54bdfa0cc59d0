import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database';
import { AppError } from '../../platform/http/errors';
import type { VersionEditorAct } from './tables';

/**
 * Four eyes (四眼原则): whoever created, edited or submitted a catalogue version may not approve
 * it. Every such act is recorded per person, so an earlier editor stays barred after someone else
 * edits last.
 */

/** In the order a version goes through them, which is the order a reason names them. */
const ACT_LABELS: Record<VersionEditorAct, string> = {
  create: '创建了此版本',
  'edit-legal': '编辑了法定要素',
  'edit-service': '编辑了服务要素',
  'edit-control': '编辑了管控设置',
  submit: '提交了审核',
};
const ACT_ORDER = Object.keys(ACT_LABELS) as VersionEditorAct[];

/** A person who may not approve a version, and why (a sentence without a subject). */
export interface BarredReviewer {
  userId: string;
  acts: VersionEditorAct[];
  reason: string;
}

export function barReason(acts: VersionEditorAct[]): string {
  return `${acts.map((a) => ACT_LABELS[a]).join('、')}，按四眼原则不能审核发布此版本`;
}

/** Notes that `userId` did `act` to the version; the system actor (no user) is not a person. */
export async function recordVersionEditor(
  trx: Transaction<Database>,
  versionId: string,
  userId: string | null | undefined,
  act: VersionEditorAct,
  now: string,
): Promise<void> {
  if (!userId) return;
  await trx
    .insertInto('catalog_version_editors')
    .values({ version_id: versionId, user_id: userId, act, first_at: now })
    .onConflict((oc) => oc.columns(['version_id', 'user_id', 'act']).doNothing())
    .execute();
}

/** For each of the versions, the people barred from approving it (every version has an entry). */
export async function barredReviewers(
  db: Kysely<Database>,
  versionIds: string[],
): Promise<Map<string, BarredReviewer[]>> {
  const out = new Map<string, BarredReviewer[]>(versionIds.map((id) => [id, []]));
  if (versionIds.length === 0) return out;
  const rows = await db
    .selectFrom('catalog_version_editors')
    .select(['version_id', 'user_id', 'act'])
    .where('version_id', 'in', versionIds)
    .orderBy('first_at')
    .orderBy('user_id')
    .execute();
  const acts = new Map<string, Map<string, Set<VersionEditorAct>>>();
  for (const r of rows) {
    const byUser = acts.get(r.version_id) ?? new Map<string, Set<VersionEditorAct>>();
    acts.set(r.version_id, byUser);
    byUser.set(r.user_id, (byUser.get(r.user_id) ?? new Set()).add(r.act));
  }
  for (const [versionId, byUser] of acts) {
    out.set(
      versionId,
      [...byUser].map(([userId, set]) => {
        const ordered = ACT_ORDER.filter((a) => set.has(a));
        return { userId, acts: ordered, reason: barReason(ordered) };
      }),
    );
  }
  return out;
}

/** Refuses the approval (409) when the reviewer took part in the version, naming what they did. */
export async function assertNotOwnWork(
  trx: Transaction<Database>,
  versionId: string,
  userId: string,
): Promise<void> {
  const rows = await trx
    .selectFrom('catalog_version_editors')
    .select('act')
    .where('version_id', '=', versionId)
    .where('user_id', '=', userId)
    .execute();
  if (rows.length === 0) return;
  const acts = ACT_ORDER.filter((a) => rows.some((r) => r.act === a));
  throw new AppError(
    'FOUR_EYES',
    409,
    `您${barReason(acts)}`,
    '请由未参与创建、编辑和提交此版本的其他审核人员审核发布',
  );
}
