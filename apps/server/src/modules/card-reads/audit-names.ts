import type { AuditNames } from '../../platform/audit/names';
import type { ServiceDeps } from '../../platform/service-deps';

/** A card read is named by the masked number it read: the full number is never kept in clear. */
export function registerCardReadAuditNames(names: AuditNames, { db }: Pick<ServiceDeps, 'db'>): void {
  names.define('card-read', {
    label: '身份证读取',
    lookup: async (ids) => {
      const rows = await db
        .selectFrom('card_reads')
        .select(['id', 'id_number_masked'])
        .where('id', 'in', ids)
        .execute();
      return new Map(rows.map((r) => [r.id, `身份证 ${r.id_number_masked}`]));
    },
  });
}
