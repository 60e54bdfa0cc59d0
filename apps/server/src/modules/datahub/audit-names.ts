import { type AuditNames, nameMap } from '../../platform/audit/names';
import type { ServiceDeps } from '../../platform/service-deps';
import { RESOURCE_SOURCES } from './resource-sources';

/** What the audit trail calls the data hub's objects. */
export function registerDatahubAuditNames(names: AuditNames, { db }: Pick<ServiceDeps, 'db'>): void {
  names.define('data-resource', {
    label: '数据资源',
    lookup: (ids) =>
      nameMap(db.selectFrom('dh_resources').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
  names.define('data-resource-code', {
    label: '数据资源',
    detailOnly: true,
    lookup: (codes) =>
      nameMap(
        db.selectFrom('dh_resources').select(['code as id', 'name']).where('code', 'in', codes).execute(),
      ),
  });
  names.define('data-source', {
    label: '数据源',
    lookup: async (ids) => {
      const titles: Record<string, { title: string }> = RESOURCE_SOURCES;
      return new Map(ids.filter((id) => Object.hasOwn(titles, id)).map((id) => [id, titles[id].title]));
    },
  });
  names.define('access-grant', {
    label: '数据使用申请',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('dh_access_grants')
        .innerJoin('dh_resources', 'dh_resources.id', 'dh_access_grants.resource_id')
        .select(['dh_access_grants.id', 'dh_resources.name'])
        .where('dh_access_grants.id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id, `${r.name}的使用申请`]));
    },
  });
  names.define('proof-query', {
    label: '证明查询',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('dh_proof_queries')
        .select(['id', 'id_number_masked'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id, `身份证 ${r.id_number_masked} 的证明查询`]));
    },
  });
  names.define('data-app', {
    label: '接入应用',
    lookup: (ids) =>
      nameMap(db.selectFrom('dh_apps').select(['id', 'name']).where('id', 'in', ids).execute()),
  });
}
