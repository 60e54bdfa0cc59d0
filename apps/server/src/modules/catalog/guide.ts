import {
  AUDIENCES,
  BODY_NATURES,
  CASE_TYPES,
  CHANNELS,
  EXERCISE_LEVELS,
  type Fee,
  ITEM_TYPES,
  type ItemType,
  MATERIAL_FORMS,
  MATERIAL_SOURCES,
  TIME_UNITS,
  type TimeLimit,
  TONGBAN_SCOPES,
} from '@govflow/shared';
import type { ItemContent } from './repository';
import type { CatalogItemRow, CatalogVersionRow } from './tables';

const limit = (t: TimeLimit) => `${t.days} 个${TIME_UNITS[t.unit]}`;
const yuan = (fen: number) => `${(fen / 100).toFixed(fen % 100 === 0 ? 0 : 2)} 元`;
const zh = <T extends Record<string, string>>(table: T, key: string) => table[key as keyof T] ?? key;

function feeText(f: Fee): string {
  if (f.kind === 'fixed') return `${f.name}：${yuan(f.amountFen)}`;
  if (f.kind === 'per-unit') return `${f.name}：每${f.unit} ${yuan(f.amountFen)}`;
  return `${f.name}（按${f.input}，每${f.unit}）：${f.rows.map((r) => `${r.label} ${yuan(r.amountFen)}`).join('；')}`;
}

/**
 * The public service guide (办事指南) of a published item: its 22 elements in the order a guide
 * lists them, plus the structured parts (materials by scenario, conditions, fees) a page renders.
 */
export function buildGuide(item: CatalogItemRow, version: CatalogVersionRow, content: ItemContent) {
  const { legal, service } = content;
  const channels = service.channels.map((c) => zh(CHANNELS, c));
  const elements: { key: string; title: string; value: string }[] = [
    { key: 'name', title: '事项名称', value: legal.name },
    { key: 'code', title: '实施编码', value: item.impl_code },
    { key: 'basicCode', title: '基本编码', value: item.basic_code },
    { key: 'type', title: '事项类型', value: ITEM_TYPES[legal.type as ItemType]?.zh ?? legal.type },
    { key: 'legalBasis', title: '设定依据', value: legal.legalBasis },
    {
      key: 'body',
      title: '实施主体',
      value: `${legal.implementingBody}（${zh(BODY_NATURES, legal.bodyNature)}）`,
    },
    { key: 'level', title: '行使层级', value: zh(EXERCISE_LEVELS, legal.exerciseLevel) },
    { key: 'audience', title: '服务对象', value: legal.audience.map((a) => zh(AUDIENCES, a)).join('、') },
    { key: 'conditions', title: '受理条件', value: service.conditions.map((c) => c.text).join('；') || '无' },
    { key: 'materials', title: '申请材料', value: `${service.materials.length} 项，见材料清单` },
    {
      key: 'process',
      title: '办理流程',
      value: service.processDescription || content.control.process.nodes.map((n) => n.name).join(' → '),
    },
    { key: 'statutoryLimit', title: '法定办结时限', value: limit(legal.statutoryLimit) },
    { key: 'promisedLimit', title: '承诺办结时限', value: limit(service.promisedLimit) },
    { key: 'caseType', title: '办件类型', value: zh(CASE_TYPES, service.caseType) },
    { key: 'fees', title: '收费标准', value: legal.hasFee ? service.fees.map(feeText).join('；') : '不收费' },
    { key: 'feeBasis', title: '收费依据', value: legal.hasFee ? legal.feeBasis : '—' },
    { key: 'result', title: '审批结果', value: legal.resultName || '—' },
    { key: 'channels', title: '办理方式', value: channels.join('、') },
    { key: 'visits', title: '到办事现场次数', value: `${service.visitsRequired} 次` },
    { key: 'tongban', title: '通办范围', value: zh(TONGBAN_SCOPES, service.tongbanScope) },
    {
      key: 'placeAndHours',
      title: '办理地点和时间',
      value: [service.location, service.officeHours].filter(Boolean).join('；') || '—',
    },
    {
      key: 'phones',
      title: '咨询和监督电话',
      value: `咨询：${service.enquiryPhone || '—'}；监督投诉：${service.supervisionPhone || '—'}`,
    },
  ];
  const scenarioName = new Map(service.scenarios.map((s) => [s.key, s.name]));
  const offers = (c: keyof typeof CHANNELS) => service.channels.includes(c);
  return {
    itemId: item.id,
    catalogCode: item.basic_code + item.impl_code,
    implCode: item.impl_code,
    versionNo: version.version_no,
    publishedAt: version.published_at,
    name: legal.name,
    elements,
    scenarios: service.scenarios,
    materials: service.materials.map((m) => ({
      key: m.key,
      name: m.name,
      form: zh(MATERIAL_FORMS, m.form),
      source: zh(MATERIAL_SOURCES, m.source),
      copies: m.copies,
      required: m.required,
      scenario: m.scenarioKey ? (scenarioName.get(m.scenarioKey) ?? null) : null,
      acceptanceStandard: m.acceptanceStandard,
      deferrable: m.deferrable,
      waivable: m.waivable,
      sampleUrl: m.sampleUrl || null,
    })),
    conditions: service.conditions.map((c) => ({
      text: c.text,
      required: c.required,
      scenario: c.scenarioKey ? (scenarioName.get(c.scenarioKey) ?? null) : null,
    })),
    fees: legal.hasFee ? service.fees.map((f) => ({ ...f, text: feeText(f) })) : [],
    faq: service.faq,
    howToApply: {
      /**
       * GovFlow takes no applications online yet: an item its settings put online says the
       * service is coming (`coming`), never that it is open; `none` when the item is not offered online.
       */
      online: offers('online') ? ('coming' as const) : ('none' as const),
      /** Applied for at the department's window (walk-in or by appointment). */
      window: offers('window') || offers('appointment'),
      appointment: offers('appointment'),
      courier: offers('courier'),
      payment: offers('payment'),
      department: legal.implementingBody,
      location: service.location,
      officeHours: service.officeHours,
      enquiryPhone: service.enquiryPhone,
      supervisionPhone: service.supervisionPhone,
      visitsRequired: service.visitsRequired,
    },
    intermediaryServices: service.intermediaryServices,
    jointAgencies: service.jointAgencies,
    quantityLimit: legal.quantityLimit,
    navigation: {
      lifeEvents: service.lifeEvents,
      targetGroups: service.targetGroups,
      themes: service.themes,
      businessActivities: service.businessActivities,
      enterpriseTypes: service.enterpriseTypes,
    },
  };
}

export type ServiceGuide = ReturnType<typeof buildGuide>;
