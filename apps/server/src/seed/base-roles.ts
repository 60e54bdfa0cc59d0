import type { Permission } from '@govflow/shared';
import type { AppContext } from '../context';
import type { RoleRow } from '../modules/identity/tables';
import { systemCaller } from '../platform/http/caller';

/** The three separated administrators every installation has (等保三级 三员分立). */
export const BASE_ROLES: {
  code: string;
  name: string;
  adminClass: RoleRow['admin_class'];
  scope: RoleRow['scope'];
  permissions: Permission[];
}[] = [
  {
    code: 'sys-admin',
    name: '系统管理员',
    adminClass: 'system',
    scope: 'region',
    permissions: ['org:read', 'org:write', 'user:read', 'user:write', 'role:read'],
  },
  {
    code: 'sec-admin',
    name: '安全管理员',
    adminClass: 'security',
    scope: 'region',
    permissions: ['org:read', 'user:read', 'role:read', 'role:write', 'account:unlock', 'session:revoke'],
  },
  {
    code: 'audit-admin',
    name: '审计管理员',
    adminClass: 'audit',
    scope: 'region',
    permissions: ['org:read', 'user:read', 'role:read', 'audit:read', 'datahub:call-log'],
  },
];

export const ADMIN_ROLE_OF_CLASS = {
  system: 'sys-admin',
  security: 'sec-admin',
  audit: 'audit-admin',
} as const;

/**
 * Creates the base roles that are missing, and gives the existing ones the permissions a newer
 * release added to them (never taking any away); returns how many roles it created.
 */
export async function ensureBaseRoles(ctx: AppContext): Promise<number> {
  const existing = new Set((await ctx.identity.users.listRoles()).map((r) => r.code));
  let created = 0;
  for (const role of BASE_ROLES) {
    if (existing.has(role.code)) {
      await ctx.identity.users.addRolePermissions(systemCaller('bootstrap'), role.code, role.permissions);
      continue;
    }
    await ctx.identity.users.createRole(systemCaller('bootstrap'), role);
    created++;
  }
  return created;
}
