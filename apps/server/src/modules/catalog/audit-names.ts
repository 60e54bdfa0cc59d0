import type { AuditNames } from '../../platform/audit/names';
import type { ServiceDeps } from '../../platform/service-deps';

/** What the audit trail calls catalogue items and versions: the item's name, as now published. */
export function registerCatalogAuditNames(names: AuditNames, { db }: Pick<ServiceDeps, 'db'>): void {
  names.define('catalog-item', {
    label: '事项',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('catalog_items')
        .innerJoin('catalog_versions', 'catalog_versions.item_id', 'catalog_items.id')
        .select([
          'catalog_items.id',
          'catalog_items.current_version_id',
          'catalog_versions.id as version_id',
          'catalog_versions.name',
        ])
        .where('catalog_items.id', 'in', ids)
        .orderBy('catalog_versions.version_no')
        .execute();
      // The current version's name, or the newest version's for an item never published.
      const current = new Map<string, string>();
      const newest = new Map<string, string>();
      for (const r of rows) {
        newest.set(r.id, r.name);
        if (r.current_version_id === r.version_id) current.set(r.id, r.name);
      }
      return new Map([...newest].map(([id, name]) => [id, current.get(id) ?? name]));
    },
  });
  names.define('catalog-version', {
    label: '事项版本',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('catalog_versions')
        .select(['id', 'name', 'version_no'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id, `${r.name}（第 ${r.version_no} 版）`]));
    },
  });
}
