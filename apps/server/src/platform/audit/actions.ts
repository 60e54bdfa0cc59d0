import {
  ADMIN_CLASSES,
  ITEM_STATUS_NAMES,
  ITEM_TYPES,
  ORG_KIND_NAMES,
  PERMISSIONS,
  ROLE_SCOPES,
} from '@govflow/shared';
import type { AuditEntryRow } from './tables';

/**
 * How one detail field reads: its Chinese label, and how its value is shown. Names are resolved at
 * read time; the stored detail (what the hash chain covers) never changes.
 */
export interface DetailField {
  label: string;
  /** The value is the id (or code) of a row of this target type: shown by that row's name. */
  ref?: string;
  /** Chinese for the value's codes. */
  values?: Readonly<Record<string, string>>;
  /** A value the summary leaves out (an id already shown by name elsewhere); the raw detail keeps it. */
  hidden?: true;
  /** A list of changes: shown as how many. */
  count?: true;
  /** The value is an audit action code (or the start of one): shown by its Chinese name. */
  actionCode?: true;
}

export interface AuditActionSpec {
  /** What the auditor reads in the trail's 操作 column. */
  name: string;
  /** Labels for this action's detail that differ from the common ones (`from`, `to` …). */
  fields?: Readonly<Record<string, DetailField>>;
}

const REASONS = {
  password: '密码登录',
  'password+totp': '密码 + 动态口令登录',
  locked: '账号或来源地址已锁定',
  disabled: '账号已停用',
  'totp-required': '未填写动态口令',
  'unknown-user': '用户名不存在',
  'wrong-password': '密码错误',
  'wrong-totp': '动态口令错误或已使用',
  'wrong-current-password': '当前密码错误',
  'account-locked': '账号锁定',
  'password-changed': '已修改密码',
  'revoked-by-user': '本人注销',
  'revoked-by-security-admin': '安全管理员注销',
  logout: '退出登录',
};

const ITEM_STATUS = ITEM_STATUS_NAMES;
/** An item's suspend, resume and cancel record the status it left and the one it took. */
const ITEM_STATUS_CHANGE = {
  from: { label: '原状态', values: ITEM_STATUS },
  to: { label: '新状态', values: ITEM_STATUS },
};
const PERMISSION_NAMES: Record<string, string> = PERMISSIONS;
/** A query of the trail records its filter: a time range, not a change's old and new value. */
const AUDIT_FILTER_FIELDS = { from: { label: '起始时间' }, to: { label: '截止时间' } };

/** The programs that write to the trail without a person (seeds, start-up, the command line), by name. */
const SYSTEM_ACTOR_NAMES: Record<string, string> = {
  'demo-seed': '演示数据导入',
  'govflow-seed': '演示数据导入',
  bootstrap: '系统初始化',
  'govflow-cli': '命令行工具',
};
const ITEM_TYPE_NAMES = Object.fromEntries(Object.entries(ITEM_TYPES).map(([k, v]) => [k, v.zh]));

/**
 * Every action the server writes to the trail, with its Chinese name. `AuditInput.action` takes only
 * these keys, so an action without a name does not compile, and the audit-readable test walks the
 * source for action codes the type cannot see.
 */
export const AUDIT_ACTIONS = {
  'auth.login': { name: '登录', fields: { reason: { label: '说明', values: REASONS } } },
  'auth.logout': { name: '退出登录' },
  'auth.account-locked': { name: '锁定账号' },
  'auth.password-change': { name: '修改密码' },
  'auth.session-revoke': { name: '注销会话' },
  'auth.sessions-revoke-all': { name: '注销全部会话' },
  'auth.totp-enroll-start': { name: '开始绑定动态口令' },
  'auth.totp-enrolled': { name: '绑定动态口令' },

  'user.create': { name: '创建账号' },
  'user.post-add': { name: '添加岗位' },
  'user.post-remove': { name: '移除岗位' },
  'user.role-attach': { name: '授予角色' },
  'user.role-remove': { name: '撤销角色' },
  'user.disable': { name: '停用账号' },
  'user.enable': { name: '启用账号' },
  'user.unlock': { name: '解锁账号' },
  'user.totp-reset': { name: '重置动态口令' },

  'role.create': { name: '创建角色' },
  'role.permissions-add': { name: '角色增加权限' },
  'role.update': {
    name: '修改角色',
    fields: {
      roleName: { label: '角色' },
      removed: { label: '移除权限', values: PERMISSION_NAMES },
      description: { label: '说明' },
      scope: { label: '数据范围', values: ROLE_SCOPES },
    },
  },

  'org.create': { name: '创建机构' },
  'org.update': {
    name: '修改机构',
    fields: { changes: { label: '修改' }, sort: { label: '排序' } },
  },
  'org.rename': {
    name: '机构更名',
    fields: { from: { label: '原名称' }, to: { label: '新名称' } },
  },

  'person.register': { name: '登记自然人', fields: { name: { label: '姓名' } } },
  'person.read-pii': { name: '查看完整证件号码' },
  'legal-person.register': { name: '登记法人' },

  'catalog.item-create': { name: '新建事项' },
  'catalog.draft-create': {
    name: '新建事项版本',
    fields: { from: { label: '复制自版本' }, versionNo: { label: '新版本号' } },
  },
  'catalog.version-edit-legal': { name: '编辑事项法定要素' },
  'catalog.version-edit-service': { name: '编辑事项服务要素' },
  'catalog.version-edit-control': { name: '编辑事项管控设置' },
  'catalog.version-submit': { name: '提交事项审核' },
  'catalog.version-reject': { name: '退回事项版本', fields: { note: { label: '退回意见' } } },
  'catalog.version-publish': { name: '审核发布事项' },
  'catalog.version-publish-administrative': { name: '系统直接发布事项' },
  'catalog.item-suspend': {
    name: '暂停事项',
    fields: ITEM_STATUS_CHANGE,
  },
  'catalog.item-resume': {
    name: '恢复事项',
    fields: ITEM_STATUS_CHANGE,
  },
  'catalog.item-cancel': {
    name: '取消事项',
    fields: ITEM_STATUS_CHANGE,
  },
  'catalog.split': { name: '拆分事项' },
  'catalog.merge': { name: '合并事项' },

  'datahub.resource-create': { name: '登记数据资源' },
  'datahub.resource-confirm': { name: '确认数据资源' },
  'datahub.source-keeper': { name: '指定数据源管理部门' },
  'datahub.access-request': { name: '申请使用数据资源' },
  'datahub.access-approve': { name: '批准数据资源使用' },
  'datahub.access-reject': { name: '驳回数据资源使用' },
  'datahub.proof-query': { name: '查询证明材料' },
  'datahub.app-register': { name: '注册接入应用' },
  'datahub.app-disable': { name: '停用接入应用' },
  'datahub.app-rotate-secret': { name: '更换接入应用密钥' },

  'card-read.read': { name: '读取身份证' },
  'card-read.consume': { name: '使用身份证读取结果' },

  'permission.denied': {
    name: '越权访问被拒绝',
    fields: { reason: { label: '说明' }, url: { label: '请求地址' }, code: { label: '错误码' } },
  },

  'audit.query': { name: '查询审计日志', fields: AUDIT_FILTER_FIELDS },
  'audit.verify': {
    name: '校验审计哈希链',
    // The reason already says it in Chinese; the code stays in the raw detail for scripts.
    fields: {
      checked: { label: '已校验条数' },
      brokenCount: { label: '断裂处数' },
      code: { label: '断裂类型', hidden: true },
    },
  },
  'audit.export': { name: '导出审计日志', fields: AUDIT_FILTER_FIELDS },
} as const satisfies Record<string, AuditActionSpec>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/**
 * The name a program that wrote to the trail reads under (the trail stores the program's own
 * name): seeds and start-up (which run without a request or an address), the command line, a
 * registered application of the data hub (`app:<its name>`). Null for anything else, such as a
 * name typed at a failed login.
 */
export function systemActorName(name: string, ip: string | null): string | null {
  if (name.startsWith('app:')) return `接入应用“${name.slice('app:'.length)}”`;
  if (ip) return null;
  if (Object.hasOwn(SYSTEM_ACTOR_NAMES, name)) return SYSTEM_ACTOR_NAMES[name];
  return name.startsWith('govflow-cli') ? SYSTEM_ACTOR_NAMES['govflow-cli'] : null;
}

const SPECS: Record<string, AuditActionSpec> = AUDIT_ACTIONS;

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(SPECS, code);
}

/** The action's Chinese name; an entry written by another version of the software says so. */
export function auditActionName(code: string): string {
  return isAuditAction(code) ? SPECS[code].name : `未登记的操作（${code}）`;
}

/** The first part of an action code, as the filter offers it ("全部登录与会话"). */
export const AUDIT_ACTION_GROUPS: Readonly<Record<string, string>> = {
  auth: '登录与会话',
  user: '账号',
  role: '角色',
  org: '组织机构',
  person: '自然人',
  'legal-person': '法人',
  catalog: '事项目录',
  datahub: '数据共享',
  'card-read': '身份证读取',
  permission: '权限',
  audit: '审计',
};

export const AUDIT_OUTCOMES: Readonly<Record<AuditEntryRow['outcome'], string>> = {
  success: '成功',
  failure: '失败',
  denied: '拒绝',
};

export function auditOutcomeName(outcome: string): string {
  return (AUDIT_OUTCOMES as Record<string, string>)[outcome] ?? outcome;
}

/** Labels of the detail fields the code writes, shared by every action unless it says otherwise. */
export const DETAIL_FIELDS: Readonly<Record<string, DetailField>> = {
  reason: { label: '原因', values: REASONS },
  failuresFromAddress: { label: '该地址连续失败次数' },
  failures: { label: '失败次数' },
  scope: { label: '锁定范围', values: { address: '来源地址', account: '账号' } },
  source: { label: '来源地址' },
  lockedUntil: { label: '锁定至' },
  sessionsRevoked: { label: '注销会话数' },
  revoked: { label: '注销会话数' },

  username: { label: '用户名' },
  // `kind` is an account's kind (user.create) or an org's (org.create, org.update): the org tree's
  // names come from shared, as the workbench shows them.
  kind: { label: '类别', values: { staff: '工作人员', citizen: '群众', ...ORG_KIND_NAMES } },
  adminClass: { label: '管理员类别', values: ADMIN_CLASSES },
  mustChangePassword: { label: '首次登录须改密码' },
  posts: { label: '岗位' },
  postId: { label: '岗位', hidden: true },
  orgId: { label: '机构', ref: 'org' },
  orgName: { label: '机构', hidden: true },
  title: { label: '职务' },
  role: { label: '角色', ref: 'role-code' },
  roleName: { label: '角色名称', hidden: true },
  postRemoved: { label: '同时移除岗位' },

  code: { label: '编码' },
  permissions: { label: '权限', values: PERMISSION_NAMES },
  added: { label: '新增权限', values: PERMISSION_NAMES },
  parent: { label: '上级角色', ref: 'role-code' },

  name: { label: '名称' },
  parentId: { label: '上级机构', ref: 'org' },
  idNumber: { label: '身份证号' },
  creditCode: { label: '统一社会信用代码' },
  legalRepPersonId: { label: '法定代表人', ref: 'person' },

  implCode: { label: '实施编码' },
  basicCode: { label: '基本编码' },
  type: { label: '事项类型', values: ITEM_TYPE_NAMES },
  itemId: { label: '事项', ref: 'catalog-item' },
  versionNo: { label: '版本号' },
  changes: { label: '修改', count: true },
  note: { label: '意见' },
  warning: { label: '提示' },
  from: { label: '原值' },
  to: { label: '新值' },
  actorKind: { label: '操作方', values: { system: '系统' } },
  system: { label: '系统', values: SYSTEM_ACTOR_NAMES },
  operator: { label: '服务器操作员' },
  command: { label: '命令' },
  relation: { label: '关系', values: { 'split-from': '拆分自', 'merged-from': '合并自' } },
  relatedItemId: { label: '关联事项', ref: 'catalog-item' },

  shareType: {
    label: '共享类型',
    values: { unconditional: '无条件共享', conditional: '有条件共享', none: '不予共享' },
  },
  fields: { label: '字段' },
  status: {
    label: '状态',
    values: {
      pending: '待确认',
      active: '有效',
      requested: '待审批',
      approved: '已批准',
      rejected: '已驳回',
      disabled: '已停用',
    },
  },
  keeper: { label: '管理部门', ref: 'org' },
  keeperName: { label: '管理部门', hidden: true },
  previous: { label: '原管理部门', ref: 'org' },
  resource: { label: '数据资源', ref: 'data-resource-code' },
  requester: { label: '申请单位' },
  purpose: { label: '用途', values: { 'datahub.proof-query': '查询证明材料' } },
  expiresAt: { label: '有效期至' },
  proofTypes: { label: '证明类型' },
  providers: { label: '提供方' },
  org: { label: '所属单位' },
  appKey: { label: '应用标识' },
  rateLimit: { label: '每分钟调用上限' },
  secretVersion: { label: '密钥版本' },
  reader: { label: '读卡器', values: { simulated: '模拟读卡器' } },
  window: { label: '窗口' },

  url: { label: '地址' },
  filters: { label: '筛选条件' },
  action: { label: '操作', actionCode: true },
  actor: { label: '操作人' },
  outcome: { label: '结果', values: AUDIT_OUTCOMES },
  targetType: { label: '对象类型' },
  targetId: { label: '对象', hidden: true },
  page: { label: '页码' },
  rows: { label: '导出条数' },
  upToSeq: { label: '截至序号' },
  checked: { label: '已校验条数' },
  firstBroken: { label: '首个断链记录' },
  seq: { label: '序号' },
  id: { label: '记录', hidden: true },
};

/** The detail fields this action labels itself, in the order its summary shows them first. */
export function ownFields(action: string): Readonly<Record<string, DetailField>> {
  return (isAuditAction(action) ? SPECS[action].fields : undefined) ?? {};
}

/** The field's spec for this action: the action's own label first, then the common one. */
export function detailField(action: string, key: string): DetailField | undefined {
  return ownFields(action)[key] ?? DETAIL_FIELDS[key];
}
