import { z } from 'zod';

/**
 * Chinese names of the API's input fields, for validation messages ("用户名最多 60 个字符").
 * A field missing here is shown by its key.
 */
export const FIELD_LABELS: Record<string, string> = {
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  totp: '动态验证码',
  code: '代码',
  displayName: '姓名',
  name: '名称',
  title: '标题',
  description: '说明',
  reason: '理由',
  note: '备注',
  kind: '类型',
  type: '类型',
  status: '状态',
  orgId: '机构',
  parentId: '上级机构',
  parentCode: '上级代码',
  postId: '岗位',
  posts: '岗位',
  roleCode: '角色',
  roles: '角色',
  permissions: '权限',
  adminClass: '管理员类别',
  staffNo: '工号',
  idNumber: '身份证号码',
  creditCode: '统一社会信用代码',
  mobile: '手机号码',
  phone: '电话',
  address: '地址',
  q: '搜索词',
  page: '页码',
  pageSize: '每页条数',
  cursor: '翻页位置',
  limit: '条数',
  sort: '排序',
  from: '开始时间',
  to: '结束时间',
  days: '天数',
  hours: '小时数',
  action: '操作',
  actor: '操作人',
  outcome: '结果',
  resource: '数据资源',
  resourceId: '数据资源',
  subject: '查询对象',
  purpose: '用途',
  fields: '字段',
  source: '数据来源',
  appId: '应用',
  url: '网址',
  scope: '范围',
  proofTypes: '证明类型',
  cardReadToken: '读卡凭证',
  rateLimitPerMinute: '每分钟调用上限',
  shareType: '共享类型',
  updateCycle: '更新周期',
  ownerOrgId: '提供部门',
  requesterOrgId: '申请部门',
  basicCode: '基本编码',
  handlingItem: '办理项编码',
  legal: '法定要素',
  service: '服务要素',
  control: '管控设置',
  materials: '材料',
  conditions: '受理条件',
  scenarios: '情形',
  fees: '收费标准',
  amountFen: '金额（分）',
  channels: '办理方式',
  themes: '主题',
  lifeEvents: '人生事件',
  keywords: '关键词',
  audience: '服务对象',
  timeLimits: '时限',
  statutoryDays: '法定时限',
  promisedDays: '承诺时限',
  visitsRequired: '跑动次数',
  validityDays: '有效期天数',
  copies: '份数',
  medium: '介质',
  required: '必需',
  label: '名称',
  unit: '单位',
  content: '内容',
  level: '级别',
  enabled: '启用',
  rules: '规则',
  rule: '规则',
  targets: '对象',
  data: '数据',
  view: '视图',
  category: '类别',
  key: '键',
  // The catalogue's item fields, named as the implementation-list workbook's columns name them.
  managementArea: '管理领域',
  legalBasis: '设定依据',
  exerciseLevel: '行使层级',
  implementingBody: '实施主体',
  bodyNature: '主体性质',
  statutoryLimit: '法定时限',
  promisedLimit: '承诺时限',
  quantityLimit: '数量限制',
  resultName: '审批结果',
  hasFee: '是否收费',
  feeBasis: '收费依据',
  caseType: '办件类型',
  tongbanScope: '通办范围',
  processDescription: '办理流程',
  jointAgencies: '联办机构',
  intermediaryServices: '中介服务',
  resultSample: '结果样本',
  location: '办理地点',
  officeHours: '办理时间',
  enquiryPhone: '咨询电话',
  supervisionPhone: '监督电话',
  targetGroups: '对象群体',
  businessActivities: '经营活动',
  enterpriseTypes: '企业类型',
  faq: '常见问题',
  form: '材料形式',
  acceptanceStandard: '受理标准',
  sampleUrl: '样表地址',
  eform: '电子表单',
  ecopyRequired: '需电子件',
  deferrable: '容缺',
  waivable: '可免提交',
  sealRequirement: '签章要求',
  verifyingDepartment: '核验部门',
  reuseClass: '复用类型',
  scenarioKey: '情形键',
  text: '内容',
  basis: '依据',
  input: '分档依据',
  rows: '分档标准',
  value: '数值',
  process: '流程',
  nodes: '流程节点',
  nodeKey: '节点',
  nodePermissions: '节点权限',
  dataComparison: '数据比对',
  supervisionNodes: '监察节点',
  publicity: '公开与评价',
  patrol: '轮巡周期',
  problemControl: '问题管控',
  violationWarnings: '违规预警',
  // Inside the control settings (管控设置), as the catalogue page names them.
  template: '模板',
  summary: '概述',
  legalBasisArticles: '法律依据条款',
  law: '法律法规',
  article: '条款',
  cycle: '办理周期',
  handlingMode: '办理方式',
  processKey: '流程定义',
  tasks: '任务',
  risks: '风险点',
  decisions: '办理结果',
  orgLevel: '层级',
  sealRequired: '需盖章',
  signatureRequired: '需签名',
  amountLimitFen: '金额上限（分）',
  blockingNodeKey: '材料阻断节点',
  licenceLibraryFirst: '优先调用证照库',
  validationRules: '校验规则',
  materialKey: '材料',
  conditionKey: '条件',
  comparisons: '比对规则',
  validations: '校验规则',
  exclusions: '互斥事项',
  overall: '总时限',
  perNode: '节点时限',
  overtimeStandard: '超时标准',
  warningAtPercent: '预警阈值（%）',
  alarmAtPercent: '告警阈值（%）',
  themeDatabase: '主题库',
  disciplineDatabase: '纪检库',
  feedback: '反馈',
  everyDays: '周期（天）',
  publicityDays: '公示天数',
  ratingEnabled: '启用评价',
  publishResult: '公开结果',
  condition: '触发条件',
  analysis: '分析',
  reportTemplate: '报告模板',
  reportCycle: '报告周期',
};

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key;
}

/** A field's path in Chinese where its names are known: `materials.0.name` → 材料第 1 项的名称. */
export function describeFieldPath(segments: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) parts.push(`第 ${Number(s) + 1} 项`);
    else parts.push(`${parts.length ? '的' : ''}${fieldLabel(s)}`);
  }
  return parts.join('');
}

/** Chinese names of the value types a schema expects or receives. */
const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '是或否',
  array: '列表',
  object: '对象',
  date: '日期',
  null: '空值',
  undefined: '空',
  nan: '非数字',
  file: '文件',
  map: '映射',
  set: '集合',
  function: '函数',
  symbol: '符号',
};

const FORMAT_NAMES: Record<string, string> = {
  email: '电子邮件地址',
  url: '网址',
  uuid: '编号',
  uuidv4: '编号',
  uuidv6: '编号',
  uuidv7: '编号',
  guid: '编号',
  datetime: '带时区的日期时间',
  date: '日期（如 2026-01-31）',
  time: '时间（如 09:00）',
  ipv4: '地址',
  ipv6: '地址',
  base64: '编码',
  base64url: '编码',
  json_string: 'JSON 文本',
};

const UNITS: Record<string, string> = { string: '个字符', array: '项', set: '项', map: '项', file: '字节' };

function typeName(t: unknown): string {
  return TYPE_NAMES[String(t)] ?? '其他类型';
}

function received(input: unknown): string {
  if (input === null) return '空值';
  if (Array.isArray(input)) return '列表';
  if (typeof input === 'number' && Number.isNaN(input)) return '非数字';
  return typeName(typeof input);
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `“${v}”` : String(v);
}

/** zod's issues in Chinese, with no English words: field names are added by whoever shows them. */
export const chineseErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '必填';
      return `应为${typeName(issue.expected)}，收到的是${received(issue.input)}`;
    case 'invalid_value':
      // Codes such as “licensing” are English: the API documentation lists them, the message does not.
      if (issue.values.some((v) => typeof v === 'string' && /[A-Za-z]{2}/.test(v))) return '不是可选的值';
      if (issue.values.length === 1) return `应为 ${shown(issue.values[0])}`;
      return `应为以下之一：${issue.values.map(shown).join('、')}`;
    case 'too_big': {
      const unit = UNITS[issue.origin];
      const max = String(issue.maximum);
      if (unit) return issue.inclusive ? `最多 ${max} ${unit}` : `应少于 ${max} ${unit}`;
      if (issue.origin === 'date') return issue.inclusive ? `不能晚于 ${max}` : `应早于 ${max}`;
      return issue.inclusive ? `不能大于 ${max}` : `应小于 ${max}`;
    }
    case 'too_small': {
      const unit = UNITS[issue.origin];
      const min = String(issue.minimum);
      if (unit === '个字符' && issue.inclusive && Number(issue.minimum) === 1) return '不能为空';
      if (unit === '项' && issue.inclusive && Number(issue.minimum) === 1) return '至少要有 1 项';
      if (unit) return issue.inclusive ? `至少 ${min} ${unit}` : `应多于 ${min} ${unit}`;
      if (issue.origin === 'date') return issue.inclusive ? `不能早于 ${min}` : `应晚于 ${min}`;
      return issue.inclusive ? `不能小于 ${min}` : `应大于 ${min}`;
    }
    case 'invalid_format':
      if (issue.format === 'starts_with') return `应以“${issue.prefix}”开头`;
      if (issue.format === 'ends_with') return `应以“${issue.suffix}”结尾`;
      if (issue.format === 'includes') return `应包含“${issue.includes}”`;
      return FORMAT_NAMES[issue.format] ? `不是有效的${FORMAT_NAMES[issue.format]}` : '格式不正确';
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的整数倍`;
    case 'unrecognized_keys':
      return `含有不接受的字段：${issue.keys.join('、')}`;
    case 'invalid_key':
      return '含有无效的键';
    case 'invalid_element':
      return '含有无效的值';
    case 'invalid_union':
      return '不符合任何一种允许的形式';
    default:
      return '无效';
  }
};

/**
 * Makes zod's own messages Chinese everywhere in this process (schemas that give their own
 * message keep it). Messages people read are Chinese; the English stays in the error code.
 */
export function installChineseValidationMessages(): void {
  z.config({ localeError: chineseErrorMap });
}
