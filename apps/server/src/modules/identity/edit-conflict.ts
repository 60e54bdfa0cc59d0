import { beijingTimeInWords } from '@govflow/shared';
import { AppError } from '../../platform/http/errors';
import type { ServiceDeps } from '../../platform/service-deps';

/**
 * The 409 for an edit made on a stale version of an org or a role: it names the object, and who
 * changed it last and when (from the audit trail), so that the editor knows whom to ask before
 * saving again over a refreshed form.
 */
export async function staleEdit(
  db: ServiceDeps['db'],
  what: string,
  target: { type: 'org' | 'role'; id: string },
  expectedVersion: number,
  currentVersion: number,
): Promise<AppError> {
  const last = await db
    .selectFrom('audit_entries')
    .leftJoin('users', 'users.id', 'audit_entries.actor_id')
    .select(['audit_entries.at', 'audit_entries.actor_id', 'users.display_name'])
    .where('audit_entries.target_type', '=', target.type)
    .where('audit_entries.target_id', '=', target.id)
    .where('audit_entries.outcome', '=', 'success')
    .orderBy('audit_entries.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const who = last
    ? `${last.actor_id ? (last.display_name ?? '已删除的账号') : '系统'}，${beijingTimeInWords(last.at)}`
    : null;
  return new AppError(
    'CONFLICT',
    409,
    `${what}已被他人修改，请刷新后重试${who ? `（最近修改：${who}）` : ''}`,
    `您打开的是第 ${expectedVersion} 版，现在是第 ${currentVersion} 版；刷新后看一下对方的修改，再决定是否重新保存`,
  );
}
