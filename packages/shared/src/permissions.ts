/** Every permission a route may require. Roles grant subsets of these. */
export const PERMISSIONS = {
  'org:read': '查看组织机构',
  'org:write': '维护组织机构',
  'user:read': '查看用户',
  'user:write': '维护用户与岗位',
  'role:read': '查看角色',
  'role:write': '维护角色与权限',
  'account:unlock': '解锁账号',
  'session:revoke': '吊销会话',
  'audit:read': '查阅审计日志',
  'person:read': '查看自然人',
  'person:read-pii': '查看自然人完整证件号码',
  'person:write': '登记自然人',
  'legal-person:read': '查看法人',
  'legal-person:write': '登记法人',
  'catalog:read': '查看事项库（含草稿）',
  'catalog:edit-legal': '编辑事项法定要素（编办、司法部门）',
  'catalog:edit-service': '编辑事项服务要素、新建事项（本部门）',
  'catalog:edit-control': '编辑事项管控设置',
  'catalog:review': '审核发布、暂停、取消、拆分合并事项',
  'datahub:proof-query': '一证通办：读卡查询证明',
  'datahub:read': '浏览数据资源目录',
  'datahub:request': '为本单位申请数据资源',
  'datahub:approve': '审批本单位数据资源的使用申请',
  'datahub:manage': '登记数据资源、管理接入应用',
  'datahub:call-log': '查阅数据调用日志',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/**
 * The three separated administrators of classified protection level 3 (等保三级 三员分立).
 * One account holds at most one of these classes.
 */
export const ADMIN_CLASSES = {
  system: '系统管理员',
  security: '安全管理员',
  audit: '审计管理员',
} as const;

export type AdminClass = keyof typeof ADMIN_CLASSES;

/**
 * Permissions that belong to exactly one administrator class: a role carrying one of them must be
 * of that class, so no account can collect another administrator's powers through an ordinary role.
 */
export const CLASS_BOUND_PERMISSIONS: Partial<Record<Permission, AdminClass>> = {
  'org:write': 'system',
  'user:write': 'system',
  'role:write': 'security',
  'account:unlock': 'security',
  'session:revoke': 'security',
  'audit:read': 'audit',
};

export type UserKind = 'citizen' | 'staff';

/** What the web app shows as home: derived from the account, never stored twice. */
export type HomeKind = 'citizen' | 'staff' | 'admin';

/** How far a role's permissions reach from the post's organisation. */
export const ROLE_SCOPES = {
  unit: '本机构及下级',
  region: '所在行政区划全域',
} as const;
export type RoleScope = keyof typeof ROLE_SCOPES;
