/**
 * The service catalogue's item content (事项实施清单要素), as typed, validated structures shared by
 * the API, the spreadsheet import and the web forms. Elements are split into the three field groups
 * that different offices own: legal (establishment / legal-affairs offices), service (service
 * administration) and control (the 14 control settings, 制度管控).
 */
import { z } from 'zod';
import { ITEM_TYPE_KEYS } from './item-codes';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');
const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, '小写字母、数字和连字符');

export const TIME_UNITS = { working: '工作日', natural: '自然日' } as const;
export const timeLimitSchema = z.strictObject({
  days: z.number().int().min(0).max(3650),
  unit: z.enum(['working', 'natural']),
});
export type TimeLimit = z.infer<typeof timeLimitSchema>;

export const EXERCISE_LEVELS = {
  national: '国家级',
  provincial: '省级',
  city: '市级',
  district: '县级',
  township: '乡镇（街道）级',
  village: '村（社区）级',
} as const;
export const AUDIENCES = { 'natural-person': '自然人', 'legal-person': '法人' } as const;
export const BODY_NATURES = {
  statutory: '法定机关',
  authorised: '法律法规授权组织',
  entrusted: '受委托组织',
} as const;
export const CASE_TYPES = { immediate: '即办件', promised: '承诺件' } as const;
export const TONGBAN_SCOPES = {
  none: '不通办',
  city: '全市通办',
  province: '全省通办',
  'cross-province': '跨省通办',
} as const;
export const MANAGEMENT_AREAS = {
  projects: '项目',
  funds: '资金',
  assets: '资产',
  personnel: '人事',
} as const;

/** Elements owned by the establishment and legal-affairs offices. */
export const legalFieldsSchema = z.strictObject({
  name: text(120),
  type: z.enum(ITEM_TYPE_KEYS as [string, ...string[]]),
  managementArea: z
    .enum(Object.keys(MANAGEMENT_AREAS) as [string, ...string[]])
    .nullable()
    .default(null),
  legalBasis: text(8000),
  exerciseLevel: z.enum(Object.keys(EXERCISE_LEVELS) as [string, ...string[]]),
  implementingBody: text(120),
  bodyNature: z.enum(Object.keys(BODY_NATURES) as [string, ...string[]]),
  audience: z
    .array(z.enum(Object.keys(AUDIENCES) as [string, ...string[]]))
    .min(1)
    .max(2),
  statutoryLimit: timeLimitSchema,
  quantityLimit: optionalText(500),
  resultName: optionalText(200),
  hasFee: z.boolean(),
  feeBasis: optionalText(2000),
});
export type LegalFields = z.infer<typeof legalFieldsSchema>;

export const MATERIAL_SOURCES = {
  applicant: '申请人自备',
  government: '政府部门核发',
  intermediary: '中介机构出具',
} as const;
export const MATERIAL_FORMS = {
  original: '原件',
  copy: '复印件',
  'original-and-copy': '原件和复印件',
  electronic: '电子证照',
  form: '申请表',
} as const;
export const REUSE_CLASSES = {
  unconditional: '无条件复用',
  'not-reusable': '不可复用',
  'while-valid': '有效期内复用',
  'after-check': '核验后复用',
} as const;

export const scenarioSchema = z.strictObject({
  key,
  name: text(120),
  description: optionalText(1000),
});
export type Scenario = z.infer<typeof scenarioSchema>;

export const materialSchema = z.strictObject({
  key,
  name: text(200),
  form: z.enum(Object.keys(MATERIAL_FORMS) as [string, ...string[]]),
  source: z.enum(Object.keys(MATERIAL_SOURCES) as [string, ...string[]]),
  copies: z.number().int().min(0).max(99).default(1),
  medium: z.enum(['paper', 'electronic', 'both']).default('both'),
  required: z.boolean().default(true),
  /** The scenario (情形) this material belongs to; null when every applicant needs it. */
  scenarioKey: key.nullable().default(null),
  acceptanceStandard: optionalText(1000),
  sampleUrl: z.string().trim().max(500).default(''),
  eform: z.boolean().default(false),
  ecopyRequired: z.boolean().default(false),
  deferrable: z.boolean().default(false),
  waivable: z.boolean().default(false),
  sealRequirement: optionalText(200),
  validityDays: z.number().int().min(1).max(36500).nullable().default(null),
  verifyingDepartment: optionalText(120),
  reuseClass: z.enum(Object.keys(REUSE_CLASSES) as [string, ...string[]]).default('not-reusable'),
});
export type Material = z.infer<typeof materialSchema>;

export const conditionSchema = z.strictObject({
  key,
  text: text(1000),
  required: z.boolean().default(true),
  scenarioKey: key.nullable().default(null),
  /** A rule the checks engine evaluates against the data hub (e.g. `person.alive`). */
  rule: z.string().trim().max(500).default(''),
});
export type Condition = z.infer<typeof conditionSchema>;

/** Fee standards: a fixed amount, an amount per unit, or a table of amounts per category. */
export const feeSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('fixed'),
    name: text(120),
    basis: optionalText(1000),
    amountFen: z.number().int().min(0),
  }),
  z.strictObject({
    kind: z.literal('per-unit'),
    name: text(120),
    basis: optionalText(1000),
    unit: text(20),
    amountFen: z.number().int().min(0),
  }),
  z.strictObject({
    kind: z.literal('table'),
    name: text(120),
    basis: optionalText(1000),
    unit: text(20),
    /** The applicant attribute that picks the row, e.g. 路面类型. */
    input: text(40),
    rows: z
      .array(z.strictObject({ label: text(60), amountFen: z.number().int().min(0) }))
      .min(1)
      .max(100),
  }),
]);
export type Fee = z.infer<typeof feeSchema>;

export const CHANNELS = {
  online: '网上办理',
  window: '窗口办理',
  appointment: '预约办理',
  payment: '网上支付',
  courier: '物流快递',
} as const;

/** Elements owned by the service administration. */
export const serviceFieldsSchema = z.strictObject({
  promisedLimit: timeLimitSchema,
  caseType: z.enum(Object.keys(CASE_TYPES) as [string, ...string[]]),
  channels: z.array(z.enum(Object.keys(CHANNELS) as [string, ...string[]])).min(1),
  visitsRequired: z.number().int().min(0).max(5),
  tongbanScope: z.enum(Object.keys(TONGBAN_SCOPES) as [string, ...string[]]).default('none'),
  description: optionalText(2000),
  jointAgencies: optionalText(500),
  intermediaryServices: optionalText(500),
  processDescription: optionalText(2000),
  resultSample: z.string().trim().max(500).default(''),
  location: optionalText(300),
  officeHours: optionalText(200),
  enquiryPhone: optionalText(60),
  supervisionPhone: optionalText(60),
  faq: z
    .array(z.strictObject({ q: text(300), a: text(2000) }))
    .max(50)
    .default([]),
  scenarios: z.array(scenarioSchema).max(50).default([]),
  materials: z.array(materialSchema).max(100).default([]),
  conditions: z.array(conditionSchema).max(100).default([]),
  fees: z.array(feeSchema).max(50).default([]),
  lifeEvents: z.array(text(30)).max(20).default([]),
  targetGroups: z.array(text(30)).max(20).default([]),
  themes: z.array(text(30)).max(20).default([]),
  businessActivities: z.array(text(30)).max(20).default([]),
  enterpriseTypes: z.array(text(30)).max(20).default([]),
  keywords: z.array(text(30)).max(30).default([]),
});
export type ServiceFields = z.infer<typeof serviceFieldsSchema>;
