import { type AuditNames, nameMap } from '../../platform/audit/names';
import type { ServiceDeps } from '../../platform/service-deps';

/** What the audit trail calls the identity module's objects: one query per type and page. */
export function registerIdentityAuditNames(names: AuditNames, { db }: Pick<ServiceDeps, 'db'>): void {
  names.define('user', {
    label: '账号',
    lookup: (ids) =>
      nameMap(db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', ids).execute()),
  });
  names.define('org', {
    label: '机构',
    lookup: (ids) => nameMap(db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
  names.define('role', {
    label: '角色',
    lookup: (ids) => nameMap(db.selectFrom('roles').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
  names.define('role-code', {
    label: '角色',
    detailOnly: true,
    lookup: (codes) =>
      nameMap(db.selectFrom('roles').select(['code as id', 'name']).where('code', 'in', codes).execute()),
  });
  names.define('person', {
    label: '自然人',
    lookup: (ids) =>
      nameMap(db.selectFrom('persons').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
  names.define('legal-person', {
    label: '法人',
    lookup: (ids) =>
      nameMap(db.selectFrom('legal_persons').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
  names.define('session', {
    label: '会话',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.id', 'users.display_name'])
        .where('sessions.id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id, `${r.display_name}的会话`]));
    },
  });
  names.defineActorSearch(async (name) =>
    (await db.selectFrom('users').select('id').where('display_name', '=', name).execute()).map((r) => r.id),
  );
}
