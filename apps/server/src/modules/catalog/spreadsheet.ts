/**
 * The implementation-list workbook (事项实施清单): one sheet of items and one sheet per kind of
 * child row (情形, 材料, 条件, 收费, 常见问题), joined by 基本编码 + 办理项编码, with Chinese headers
 * and Chinese labels for every enumerated value, as departments keep these lists in practice.
 *
 * Import goes through `CatalogService.create`, one transaction per item, so a bad row never leaves
 * half an item; every rejected row is counted, and the first hundred (all of them for the CLI) are
 * reported with their spreadsheet row number and a reason.
 *
 * Not carried by the workbook: the 14 control settings (an imported item gets the defaults derived
 * from its content, as a newly created one does) and an item's popularity.
 */
import {
  AUDIENCES,
  BASIC_CODE_PROBLEMS,
  BODY_NATURES,
  CASE_TYPES,
  CHANNELS,
  checkBasicCode,
  conditionSchema,
  EXERCISE_LEVELS,
  fieldLabel,
  ITEM_TYPES,
  legalFieldsSchema,
  MANAGEMENT_AREAS,
  MATERIAL_FORMS,
  MATERIAL_SOURCES,
  materialSchema,
  REUSE_CLASSES,
  scenarioSchema,
  serviceFieldsSchema,
  TIME_UNITS,
  TONGBAN_SCOPES,
} from '@govflow/shared';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { checkWorkbookLimits, excerpt, NotAZip, WORKBOOK_LIMITS } from '../../platform/files/workbook-limits';
import type { Caller } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { findBadText } from '../../platform/http/input-hygiene';
import { type ItemContent, loadContent } from './repository';
import type { CatalogItemRow, CatalogVersionRow } from './tables';

export { XLSX_MIME } from '../../platform/files/xlsx';

const ITEM_TYPE_LABELS = Object.fromEntries(Object.entries(ITEM_TYPES).map(([k, v]) => [k, v.zh]));
const MEDIUMS = { paper: '纸质', electronic: '电子', both: '纸质和电子' } as const;
const FEE_KINDS = { fixed: '固定金额', 'per-unit': '按单位计费', table: '分档计费' } as const;
const YES = '是';
const NO = '否';
const LIST_SEPARATOR = '、';

type Labels = Record<string, string>;

const SHEETS = {
  items: '事项',
  scenarios: '情形',
  materials: '材料',
  conditions: '条件',
  fees: '收费',
  faq: '常见问题',
} as const;
type ChildSheet = Exclude<keyof typeof SHEETS, 'items'>;

const KEY_HEADERS = ['基本编码', '办理项编码'];

const ITEM_HEADERS = [
  ...KEY_HEADERS,
  '实施部门',
  '事项名称',
  '事项类型',
  '管理领域',
  '设定依据',
  '行使层级',
  '实施主体',
  '主体性质',
  '服务对象',
  '法定时限',
  '法定时限单位',
  '承诺时限',
  '承诺时限单位',
  '办件类型',
  '办理方式',
  '到现场次数',
  '通办范围',
  '是否收费',
  '收费依据',
  '数量限制',
  '审批结果',
  '结果样本',
  '办理地点',
  '办理时间',
  '咨询电话',
  '监督电话',
  '事项描述',
  '办理流程',
  '联办机构',
  '中介服务',
  '主题',
  '人生事件',
  '对象群体',
  '经营活动',
  '企业类型',
  '关键词',
  '版本状态',
];

const CHILD_HEADERS: Record<ChildSheet, string[]> = {
  scenarios: [...KEY_HEADERS, '情形键', '情形名称', '说明'],
  materials: [
    ...KEY_HEADERS,
    '材料键',
    '材料名称',
    '材料形式',
    '来源',
    '份数',
    '介质',
    '必需',
    '情形键',
    '受理标准',
    '样表地址',
    '电子表单',
    '需电子件',
    '容缺',
    '可免提交',
    '签章要求',
    '有效期天数',
    '核验部门',
    '复用类型',
  ],
  conditions: [...KEY_HEADERS, '条件键', '条件', '必需', '情形键', '规则'],
  fees: [
    ...KEY_HEADERS,
    '收费名称',
    '计费方式',
    '收费依据',
    '计费单位',
    '金额（元）',
    '分档依据',
    '分档标准',
  ],
  faq: [...KEY_HEADERS, '问题', '回答'],
};

/**
 * Which column of a child sheet a schema field comes from, where the column is not named as the
 * field is everywhere else (`fieldLabel`), to name it in a rejection reason.
 */
const CHILD_FIELD_HEADERS: Record<ChildSheet, Record<string, string>> = {
  scenarios: { key: '情形键', name: '情形名称', description: '说明' },
  materials: { key: '材料键', name: '材料名称', source: '来源' },
  conditions: { key: '条件键', text: '条件' },
  fees: { name: '收费名称', kind: '计费方式', basis: '收费依据', unit: '计费单位', amountFen: '金额（元）' },
  faq: { q: '问题', a: '回答' },
};

function childColumn(sheet: ChildSheet, field: string): string {
  return CHILD_FIELD_HEADERS[sheet][field] ?? fieldLabel(field);
}

/** Which column a schema field comes from, to name it in a rejection reason. */
const FIELD_HEADERS: Record<string, string> = {
  'legal.name': '事项名称',
  'legal.type': '事项类型',
  'legal.managementArea': '管理领域',
  'legal.legalBasis': '设定依据',
  'legal.exerciseLevel': '行使层级',
  'legal.implementingBody': '实施主体',
  'legal.bodyNature': '主体性质',
  'legal.audience': '服务对象',
  'legal.statutoryLimit': '法定时限',
  'legal.quantityLimit': '数量限制',
  'legal.resultName': '审批结果',
  'legal.hasFee': '是否收费',
  'legal.feeBasis': '收费依据',
  'service.promisedLimit': '承诺时限',
  'service.caseType': '办件类型',
  'service.channels': '办理方式',
  'service.visitsRequired': '到现场次数',
  'service.tongbanScope': '通办范围',
  'service.description': '事项描述',
  'service.processDescription': '办理流程',
  'service.jointAgencies': '联办机构',
  'service.intermediaryServices': '中介服务',
  'service.resultSample': '结果样本',
  'service.location': '办理地点',
  'service.officeHours': '办理时间',
  'service.enquiryPhone': '咨询电话',
  'service.supervisionPhone': '监督电话',
  'service.themes': '主题',
  'service.lifeEvents': '人生事件',
  'service.targetGroups': '对象群体',
  'service.businessActivities': '经营活动',
  'service.enterpriseTypes': '企业类型',
  'service.keywords': '关键词',
};

// ------------------------------------------------------------------------------------- export

export interface ExportFilter {
  /** Org paths whose subtrees are exported (the caller's catalog:read scope); all when omitted. */
  scopeRoots?: string[];
  /** 'published': each published item's current version (default); 'latest': every item's newest version. */
  versions?: 'published' | 'latest';
}

interface ExportedItem {
  item: CatalogItemRow;
  version: CatalogVersionRow;
  content: ItemContent;
  department: string;
}

async function itemsToExport(ctx: AppContext, filter: ExportFilter): Promise<ExportedItem[]> {
  const roots = filter.scopeRoots;
  if (roots && roots.length === 0) return [];
  let q = ctx.db.selectFrom('catalog_items').selectAll().orderBy('basic_code').orderBy('impl_code');
  if (roots) q = q.where((eb) => eb.or(roots.map((root) => eb('org_path', 'like', `${root}%`))));
  if ((filter.versions ?? 'published') === 'published')
    q = q.where('status', '=', 'published').where('current_version_id', 'is not', null);
  const items = await q.execute();
  const names = await departmentNamesById(ctx);
  const out: ExportedItem[] = [];
  for (const item of items) {
    const version = item.current_version_id
      ? await ctx.catalog.versionRow(item.current_version_id)
      : undefined;
    const chosen =
      filter.versions === 'latest' ? (await ctx.catalog.versions(item.id)).at(-1) : (version ?? undefined);
    if (!chosen) continue;
    out.push({
      item,
      version: chosen,
      content: await loadContent(ctx.db, chosen),
      department: names.get(item.org_id) ?? item.org_id,
    });
  }
  return out;
}

/** Writes the implementation-list workbook of the items the filter selects. */
export async function exportItems(ctx: AppContext, filter: ExportFilter = {}): Promise<Buffer> {
  const items = await itemsToExport(ctx, filter);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'GovFlow';
  const sheet = (name: string, headers: string[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(headers).font = { bold: true };
    ws.columns.forEach((c, i) => {
      c.width = Math.max(10, (headers[i]?.length ?? 4) * 2 + 4);
    });
    return ws;
  };
  const wsItems = sheet(SHEETS.items, ITEM_HEADERS);
  const ws = Object.fromEntries(
    (Object.keys(CHILD_HEADERS) as ChildSheet[]).map((k) => [k, sheet(SHEETS[k], CHILD_HEADERS[k])]),
  ) as Record<ChildSheet, ExcelJS.Worksheet>;

  for (const { item, version, content, department } of items) {
    const { legal, service } = content;
    const keyCells = [item.basic_code, item.impl_code.slice(-2)];
    wsItems.addRow([
      ...keyCells,
      department,
      legal.name,
      ITEM_TYPE_LABELS[legal.type] ?? legal.type,
      legal.managementArea ? label(MANAGEMENT_AREAS, legal.managementArea) : '',
      legal.legalBasis,
      label(EXERCISE_LEVELS, legal.exerciseLevel),
      legal.implementingBody,
      label(BODY_NATURES, legal.bodyNature),
      legal.audience.map((a) => label(AUDIENCES, a)).join(LIST_SEPARATOR),
      legal.statutoryLimit.days,
      label(TIME_UNITS, legal.statutoryLimit.unit),
      service.promisedLimit.days,
      label(TIME_UNITS, service.promisedLimit.unit),
      label(CASE_TYPES, service.caseType),
      service.channels.map((c) => label(CHANNELS, c)).join(LIST_SEPARATOR),
      service.visitsRequired,
      label(TONGBAN_SCOPES, service.tongbanScope),
      yesNo(legal.hasFee),
      legal.feeBasis,
      legal.quantityLimit,
      legal.resultName,
      service.resultSample,
      service.location,
      service.officeHours,
      service.enquiryPhone,
      service.supervisionPhone,
      service.description,
      service.processDescription,
      service.jointAgencies,
      service.intermediaryServices,
      service.themes.join(LIST_SEPARATOR),
      service.lifeEvents.join(LIST_SEPARATOR),
      service.targetGroups.join(LIST_SEPARATOR),
      service.businessActivities.join(LIST_SEPARATOR),
      service.enterpriseTypes.join(LIST_SEPARATOR),
      service.keywords.join(LIST_SEPARATOR),
      version.status,
    ]);
    for (const s of service.scenarios) ws.scenarios.addRow([...keyCells, s.key, s.name, s.description]);
    for (const m of service.materials) {
      ws.materials.addRow([
        ...keyCells,
        m.key,
        m.name,
        label(MATERIAL_FORMS, m.form),
        label(MATERIAL_SOURCES, m.source),
        m.copies,
        label(MEDIUMS, m.medium),
        yesNo(m.required),
        m.scenarioKey ?? '',
        m.acceptanceStandard,
        m.sampleUrl,
        yesNo(m.eform),
        yesNo(m.ecopyRequired),
        yesNo(m.deferrable),
        yesNo(m.waivable),
        m.sealRequirement,
        m.validityDays ?? '',
        m.verifyingDepartment,
        label(REUSE_CLASSES, m.reuseClass),
      ]);
    }
    for (const c of service.conditions)
      ws.conditions.addRow([...keyCells, c.key, c.text, yesNo(c.required), c.scenarioKey ?? '', c.rule]);
    for (const f of service.fees) {
      ws.fees.addRow([
        ...keyCells,
        f.name,
        FEE_KINDS[f.kind],
        f.basis,
        f.kind === 'fixed' ? '' : f.unit,
        f.kind === 'table' ? '' : yuan(f.amountFen),
        f.kind === 'table' ? f.input : '',
        f.kind === 'table' ? f.rows.map((r) => `${r.label}:${yuan(r.amountFen)}`).join('；') : '',
      ]);
    }
    for (const x of service.faq) ws.faq.addRow([...keyCells, x.q, x.a]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ------------------------------------------------------------------------------------- import

export interface RejectedRow {
  sheet: string;
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  basicCode: string;
  reason: string;
}

export interface ImportReport {
  imported: number;
  /** Items found in the workbook (rows of the 事项 sheet). */
  total: number;
  /** Rows not imported, all sheets together. */
  rejectedCount: number;
  /** The first of them (`ImportOptions.listRejected`), in sheet and row order. */
  rejected: RejectedRow[];
}

/** Rejected rows an answer lists by default: enough to fix a file, short for any workbook. */
export const REJECTED_LISTED = 100;

export interface ImportOptions {
  /** Publish each imported item at once: a bulk load by the system actor only (CLI), never a person's. */
  publish?: boolean;
  /** How many rejected rows the report lists (REJECTED_LISTED unless given); all are counted. */
  listRejected?: number;
  onProgress?: (done: number, total: number) => void;
}

interface SheetRow {
  sheet: string;
  row: number;
  cells: Record<string, string>;
}

interface ChildRow<T> {
  src: SheetRow;
  value?: T;
  problem?: string;
}

interface ItemGroup {
  src: SheetRow;
  basicCode: string;
  handlingItem: string;
  problems: string[];
  children: Record<ChildSheet, ChildRow<unknown>[]>;
}

class RowProblem extends Error {}

/** Parses a workbook and creates one draft (or published) item per row of the 事项 sheet. */
export async function importItems(
  ctx: AppContext,
  caller: Caller,
  buffer: Buffer,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const wb = await readWorkbook(buffer);
  const itemRows = readSheet(wb, SHEETS.items, true);
  const rejected: RejectedRow[] = [];
  const reject = (src: SheetRow, reason: string) =>
    rejected.push({
      sheet: src.sheet,
      row: src.row,
      basicCode: excerpt(src.cells.基本编码 ?? ''),
      // Values are quoted as excerpts where the reason is written; this bounds what else it holds.
      reason: excerpt(reason, 500),
    });

  const groups = new Map<string, ItemGroup>();
  const ordered: ItemGroup[] = [];
  for (const src of itemRows) {
    const basicCode = src.cells.基本编码;
    const handlingItem = src.cells.办理项编码 || '00';
    const group: ItemGroup = {
      src,
      basicCode,
      handlingItem,
      problems: [],
      children: { scenarios: [], materials: [], conditions: [], fees: [], faq: [] },
    };
    const key = `${basicCode}/${handlingItem}`;
    const first = groups.get(key);
    if (first) {
      reject(src, `事项重复：与第 ${first.src.row} 行的基本编码和办理项编码相同`);
      continue;
    }
    groups.set(key, group);
    ordered.push(group);
  }

  for (const sheet of Object.keys(CHILD_HEADERS) as ChildSheet[]) {
    for (const src of readSheet(wb, SHEETS[sheet], false)) {
      const group = groups.get(`${src.cells.基本编码}/${src.cells.办理项编码 || '00'}`);
      if (!group) {
        reject(
          src,
          `“事项”表中没有基本编码 ${excerpt(src.cells.基本编码) || '（空）'}、办理项编码 ${excerpt(src.cells.办理项编码) || '00'} 的事项`,
        );
        continue;
      }
      group.children[sheet].push(parseChild(sheet, src));
    }
  }

  const departments = await departmentIdsByName(ctx);
  let imported = 0;
  for (const [n, group] of ordered.entries()) {
    if (await importGroup(ctx, caller, group, departments, options, reject)) imported++;
    options.onProgress?.(n + 1, ordered.length);
  }
  rejected.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || a.row - b.row);
  return {
    imported,
    total: itemRows.length,
    rejectedCount: rejected.length,
    rejected: rejected.slice(0, options.listRejected ?? REJECTED_LISTED),
  };
}

async function importGroup(
  ctx: AppContext,
  caller: Caller,
  group: ItemGroup,
  departments: Map<string, string[]>,
  options: ImportOptions,
  reject: (src: SheetRow, reason: string) => void,
): Promise<boolean> {
  const { src, children } = group;
  const childRows = Object.values(children).flat();
  /** The item is not imported: its row says why, each child row says its own problem or points at the item. */
  const fail = (reason: string, badChildren = new Map<ChildRow<unknown>, string>()) => {
    reject(src, reason);
    for (const c of childRows) {
      const own = badChildren.get(c) ?? c.problem;
      reject(c.src, own ?? `所属事项（“事项”表第 ${src.row} 行）未导入`);
    }
    return false;
  };

  let legal: Record<string, unknown>;
  let service: Record<string, unknown>;
  let orgId: string;
  try {
    ({ legal, service } = parseItemRow(src));
    orgId = resolveDepartment(departments, src.cells.实施部门);
    const basic = checkBasicCode(group.basicCode);
    if (!basic.ok) {
      throw new RowProblem(
        `基本编码${quote(group.basicCode)}无效：${BASIC_CODE_PROBLEMS[basic.problem]}；应为 10 位数字：类型 2 位 + 主项 5 位 + 子项 3 位`,
      );
    }
    if (!/^\d{2}$/.test(group.handlingItem))
      throw new RowProblem(`办理项编码${quote(group.handlingItem)}应为 2 位数字`);
  } catch (err) {
    if (err instanceof RowProblem) return fail(err.message);
    throw err;
  }

  // Child rows: their own problems first, then scenario references within the item.
  const scenarioKeys = new Set(
    children.scenarios.flatMap((c) => (c.value ? [(c.value as { key: string }).key] : [])),
  );
  for (const c of [...children.materials, ...children.conditions]) {
    const ref = (c.value as { scenarioKey?: string | null } | undefined)?.scenarioKey;
    if (!c.problem && ref && !scenarioKeys.has(ref)) {
      c.problem = `情形键${quote(ref)}在“情形”表中不存在`;
    }
  }
  const badRows = childRows.filter((c) => c.problem);
  if (badRows.length) {
    return fail(
      `事项未导入：其下 ${badRows.length} 行有误：${badRows
        .map((c) => `${c.src.sheet} 第 ${c.src.row} 行`)
        .join('、')}`,
    );
  }
  service.scenarios = children.scenarios.map((c) => c.value);
  service.materials = children.materials.map((c) => c.value);
  service.conditions = children.conditions.map((c) => c.value);
  service.fees = children.fees.map((c) => c.value);
  service.faq = children.faq.map((c) => c.value);

  // The schemas, with each problem pinned to its column or child row.
  const issues: string[] = [];
  const badChildren = new Map<ChildRow<unknown>, string>();
  for (const [group_, schema, data] of [
    ['legal', legalFieldsSchema, legal],
    ['service', serviceFieldsSchema, service],
  ] as const) {
    const r = schema.safeParse(data);
    if (r.success) continue;
    for (const issue of r.error.issues) {
      const [head, index, ...rest] = issue.path.map(String);
      const childSheet = (
        {
          scenarios: 'scenarios',
          materials: 'materials',
          conditions: 'conditions',
          fees: 'fees',
          faq: 'faq',
        } as const
      )[head as ChildSheet];
      if (group_ === 'service' && childSheet && index !== undefined && children[childSheet][Number(index)]) {
        const child = children[childSheet][Number(index)];
        const column = rest[0] ? childColumn(childSheet, rest[0]) : head;
        badChildren.set(child, `“${column}”有误：${issue.message}`);
        issues.push(`${SHEETS[childSheet]} 第 ${child.src.row} 行`);
      } else {
        const field = `${group_}.${head}`;
        issues.push(`“${FIELD_HEADERS[field] ?? field}”${issue.message}`);
      }
    }
  }
  if (issues.length) return fail(`内容有误：${issues.join('；')}`, badChildren);

  try {
    const item = await ctx.catalog.create(caller, {
      orgId,
      basicCode: group.basicCode,
      handlingItem: group.handlingItem,
      legal,
      service,
    });
    if (options.publish) {
      try {
        const [draft] = await ctx.catalog.versions(item.id);
        await ctx.catalog.publishBySystem(caller, draft.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        reject(src, `已导入为草稿，但发布失败: ${err.message}`);
      }
    }
    return true;
  } catch (err) {
    if (err instanceof AppError) return fail(`${err.message}${err.hint ? `（${err.hint}）` : ''}`);
    throw err;
  }
}

function parseItemRow(src: SheetRow): { legal: Record<string, unknown>; service: Record<string, unknown> } {
  const c = src.cells;
  if (!c.事项名称) throw new RowProblem('事项名称为空');
  const type = fromLabel(ITEM_TYPE_LABELS, c.事项类型, '事项类型');
  if (!type) throw new RowProblem('事项类型为空');
  const legal = {
    name: c.事项名称,
    type,
    managementArea: fromLabel(MANAGEMENT_AREAS, c.管理领域, '管理领域') ?? null,
    legalBasis: c.设定依据,
    exerciseLevel: fromLabel(EXERCISE_LEVELS, c.行使层级, '行使层级'),
    implementingBody: c.实施主体,
    bodyNature: fromLabel(BODY_NATURES, c.主体性质, '主体性质'),
    audience: list(c.服务对象).map((a) => fromLabel(AUDIENCES, a, '服务对象')),
    statutoryLimit: {
      days: int(c.法定时限, '法定时限'),
      unit: fromLabel(TIME_UNITS, c.法定时限单位 || TIME_UNITS.working, '法定时限单位'),
    },
    quantityLimit: c.数量限制,
    resultName: c.审批结果,
    hasFee: bool(c.是否收费, '是否收费') ?? false,
    feeBasis: c.收费依据,
  };
  const service = {
    promisedLimit: {
      days: int(c.承诺时限, '承诺时限'),
      unit: fromLabel(TIME_UNITS, c.承诺时限单位 || TIME_UNITS.working, '承诺时限单位'),
    },
    caseType: fromLabel(CASE_TYPES, c.办件类型, '办件类型'),
    channels: list(c.办理方式).map((x) => fromLabel(CHANNELS, x, '办理方式')),
    visitsRequired: int(c.到现场次数, '到现场次数') ?? 0,
    tongbanScope: fromLabel(TONGBAN_SCOPES, c.通办范围, '通办范围'),
    description: c.事项描述,
    jointAgencies: c.联办机构,
    intermediaryServices: c.中介服务,
    processDescription: c.办理流程,
    resultSample: c.结果样本,
    location: c.办理地点,
    officeHours: c.办理时间,
    enquiryPhone: c.咨询电话,
    supervisionPhone: c.监督电话,
    themes: list(c.主题),
    lifeEvents: list(c.人生事件),
    targetGroups: list(c.对象群体),
    businessActivities: list(c.经营活动),
    enterpriseTypes: list(c.企业类型),
    keywords: list(c.关键词),
  };
  return { legal: dropUndefined(legal), service: dropUndefined(service) };
}

function parseChild(sheet: ChildSheet, src: SheetRow): ChildRow<unknown> {
  const c = src.cells;
  try {
    const value = (() => {
      switch (sheet) {
        case 'scenarios':
          return checked(
            scenarioSchema,
            { key: c.情形键, name: c.情形名称, description: c.说明 },
            'scenarios',
          );
        case 'materials':
          return checked(
            materialSchema,
            dropUndefined({
              key: c.材料键,
              name: c.材料名称,
              form: fromLabel(MATERIAL_FORMS, c.材料形式, '材料形式'),
              source: fromLabel(MATERIAL_SOURCES, c.来源, '来源'),
              copies: int(c.份数, '份数'),
              medium: fromLabel(MEDIUMS, c.介质, '介质'),
              required: bool(c.必需, '必需'),
              scenarioKey: c.情形键 || null,
              acceptanceStandard: c.受理标准,
              sampleUrl: c.样表地址,
              eform: bool(c.电子表单, '电子表单'),
              ecopyRequired: bool(c.需电子件, '需电子件'),
              deferrable: bool(c.容缺, '容缺'),
              waivable: bool(c.可免提交, '可免提交'),
              sealRequirement: c.签章要求,
              validityDays: c.有效期天数 ? int(c.有效期天数, '有效期天数') : null,
              verifyingDepartment: c.核验部门,
              reuseClass: fromLabel(REUSE_CLASSES, c.复用类型, '复用类型'),
            }),
            'materials',
          );
        case 'conditions':
          return checked(
            conditionSchema,
            dropUndefined({
              key: c.条件键,
              text: c.条件,
              required: bool(c.必需, '必需'),
              scenarioKey: c.情形键 || null,
              rule: c.规则,
            }),
            'conditions',
          );
        case 'fees':
          return parseFee(c);
        case 'faq':
          return { q: c.问题, a: c.回答 };
      }
    })();
    return { src, value };
  } catch (err) {
    if (err instanceof RowProblem) return { src, problem: err.message };
    throw err;
  }
}

/** Fixed and per-unit fees carry an amount; a table fee carries its rows as “label:amount；…”. */
function parseFee(c: Record<string, string>): unknown {
  const kind = fromLabel(FEE_KINDS, c.计费方式, '计费方式');
  const base = { name: c.收费名称, basis: c.收费依据 };
  if (kind === 'table') {
    const rows = c.分档标准
      .split(/[；;\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const m = /^(.+?)\s*[:：]\s*([\d.]+)\s*元?$/.exec(s);
        if (!m) throw new RowProblem(`分档标准${quote(s)}应写作“名称:金额”`);
        return { label: m[1], amountFen: fen(m[2], '分档标准') };
      });
    return { kind, ...base, unit: c.计费单位, input: c.分档依据, rows };
  }
  const amountFen = fen(c['金额（元）'], '金额（元）');
  return kind === 'fixed' ? { kind, ...base, amountFen } : { kind, ...base, unit: c.计费单位, amountFen };
}

// ------------------------------------------------------------------------------------- helpers

async function readWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const notXlsx = () =>
    new AppError('INVALID_ITEM', 422, '文件不是有效的 xlsx 工作簿', '请使用导出的模板（.xlsx）填写后上传');
  // An xlsx file is a zip archive: refuse anything else before handing it to the parser.
  if (buffer.length < 4 || buffer.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  // Sizes, rows and cell lengths are capped while the entries inflate, before the parser builds
  // the workbook in memory.
  try {
    await checkWorkbookLimits(buffer);
  } catch (err) {
    if (err instanceof NotAZip) throw notXlsx();
    throw err;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  if (!wb.getWorksheet(SHEETS.items)) {
    throw new AppError('INVALID_ITEM', 422, `工作簿中没有“${SHEETS.items}”表`, '请使用导出的模板填写');
  }
  return wb;
}

/** The rows of a sheet below its header, as header → trimmed text; blank rows are skipped. */
function readSheet(wb: ExcelJS.Workbook, name: string, required: boolean): SheetRow[] {
  const ws = wb.getWorksheet(name);
  if (!ws) {
    if (required) throw new AppError('INVALID_ITEM', 422, `工作簿中没有“${name}”表`);
    return [];
  }
  const headers: string[] = [];
  ws.getRow(1).eachCell((cell, col) => {
    headers[col] = cellText(cell);
  });
  const missing = KEY_HEADERS.filter((h) => !headers.includes(h));
  if (missing.length) {
    throw new AppError(
      'INVALID_ITEM',
      422,
      `“${name}”表缺少列：${missing.join('、')}`,
      '请使用导出的模板填写',
    );
  }
  const rows: SheetRow[] = [];
  ws.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    for (const h of headers) if (h) cells[h] = '';
    row.eachCell((cell, col) => {
      const h = headers[col];
      if (h) cells[h] = cellText(cell);
      // A rich-text cell is several texts in the XML, each under the cap the reader checked.
      if (h && cells[h].length > WORKBOOK_LIMITS.cellChars)
        throw new AppError(
          'INVALID_ITEM',
          422,
          `“${name}”表第 ${rowNumber} 行的“${excerpt(h)}”超过 ${WORKBOOK_LIMITS.cellChars} 个字符的上限：${quote(cells[h])}`,
          '请缩短该单元格的内容',
        );
    });
    if (Object.values(cells).every((v) => v === '')) return;
    rows.push({ sheet: name, row: rowNumber, cells: cleanCells(cells) });
  });
  return rows;
}

/** Control characters and broken Unicode are refused by the API; here they are dropped from cells. */
function cleanCells(cells: Record<string, string>): Record<string, string> {
  if (!findBadText(cells)) return cells;
  return Object.fromEntries(
    Object.entries(cells).map(([k, v]) => [
      k,
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      v.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ''),
    ]),
  );
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim();
  return (cell.text ?? '').trim();
}

/** A cell's value as a rejection reason quotes it: its first characters only. */
function quote(text: string): string {
  return `“${excerpt(text)}”`;
}

function label(table: Labels, key: string): string {
  return table[key] ?? key;
}

/** The key of a label (the key itself is accepted too); undefined for an empty cell. */
function fromLabel(table: Labels, text: string | undefined, column: string): string | undefined {
  if (!text) return undefined;
  const found = Object.entries(table).find(([k, zh]) => zh === text || k === text)?.[0];
  if (!found) {
    throw new RowProblem(`${column}${quote(text)}不是可选值；可选：${Object.values(table).join('、')}`);
  }
  return found;
}

function int(text: string | undefined, column: string): number | undefined {
  if (!text) return undefined;
  if (!/^\d+$/.test(text)) throw new RowProblem(`${column}${quote(text)}应为整数`);
  return Number(text);
}

function fen(text: string | undefined, column: string): number {
  if (!text || !/^\d+(\.\d{1,2})?$/.test(text))
    throw new RowProblem(`${column}${quote(text ?? '')}应为金额（元，最多两位小数）`);
  return Math.round(Number(text) * 100);
}

function yuan(amountFen: number): string {
  return (amountFen / 100).toFixed(2).replace(/\.00$/, '');
}

function bool(text: string | undefined, column: string): boolean | undefined {
  if (!text) return undefined;
  if (text === YES) return true;
  if (text === NO) return false;
  throw new RowProblem(`${column}${quote(text)}应为“是”或“否”`);
}

function yesNo(b: boolean): string {
  return b ? YES : NO;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[、,，;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The row's value, or a problem naming each column by its header. */
function checked<T>(schema: z.ZodType<T>, data: unknown, sheet: ChildSheet): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const column = (path: PropertyKey[]) => childColumn(sheet, String(path[0]));
  throw new RowProblem(
    `内容有误：${r.error.issues.map((i) => (i.path.length ? `“${column(i.path)}”${i.message}` : i.message)).join('；')}`,
  );
}

function sheetOrder(sheet: string): number {
  return Object.values(SHEETS).indexOf(sheet as (typeof SHEETS)[keyof typeof SHEETS]);
}

// Departments by name. Names are read from the org table as the demo seed does; scope is enforced
// by CatalogService.create for the org that the name resolves to.
async function departmentIdsByName(ctx: AppContext): Promise<Map<string, string[]>> {
  const rows = await ctx.db
    .selectFrom('orgs')
    .select(['id', 'name'])
    .where('kind', '=', 'department')
    .execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.name, [...(map.get(r.name) ?? []), r.id]);
  return map;
}

async function departmentNamesById(ctx: AppContext): Promise<Map<string, string>> {
  const rows = await ctx.db.selectFrom('orgs').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function resolveDepartment(departments: Map<string, string[]>, name: string): string {
  if (!name) throw new RowProblem('实施部门为空');
  const ids = departments.get(name) ?? [];
  if (ids.length === 0) throw new RowProblem(`实施部门${quote(name)}不存在`);
  if (ids.length > 1) throw new RowProblem(`实施部门${quote(name)}不唯一`);
  return ids[0];
}
