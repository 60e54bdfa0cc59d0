/**
 * The 14 control settings of an item (制度管控轴, REQUIREMENTS §1). Each is a typed structure;
 * later parts of the engine execute them (permissions per node, checks, time limits, patrol …).
 * Node keys refer to the nodes of the item's process (setting 3).
 */
import { z } from 'zod';
import { timeLimitSchema } from './catalog';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).default('');
const nodeKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);

export const CONTROL_SETTINGS = {
  category: '1 类别与模板',
  content: '2 事项内容',
  process: '3 流程',
  nodePermissions: '4 节点权限',
  materials: '5 材料管控',
  conditions: '6 条件管控',
  rules: '7 规则',
  timeLimits: '8 时限',
  dataComparison: '9 数据比对',
  patrol: '10 轮巡周期',
  publicity: '11 公开与评价',
  supervisionNodes: '12 监察节点',
  violationWarnings: '13 违规预警',
  problemControl: '14 问题管控',
} as const;

export type ControlSettingKey = keyof typeof CONTROL_SETTINGS;

const channel = z.enum(['system', 'sms', 'email', 'cockpit']);

export const controlSettingsSchema = z.strictObject({
  category: z.strictObject({ category: text(60), template: optionalText(60) }),
  content: z.strictObject({
    summary: optionalText(2000),
    legalBasisArticles: z
      .array(z.strictObject({ law: text(120), article: text(60) }))
      .max(50)
      .default([]),
    cycle: optionalText(60),
    handlingMode: z.enum(['online', 'window', 'both']).default('both'),
  }),
  process: z.strictObject({
    /** The BPMN process definition bound to the item (set when a process is imported). */
    processKey: z.string().trim().max(80).nullable().default(null),
    nodes: z
      .array(
        z.strictObject({
          key: nodeKey,
          name: text(60),
          tasks: z.array(text(200)).max(20).default([]),
          risks: z.array(text(200)).max(20).default([]),
        }),
      )
      .min(1)
      .max(40),
    decisions: z
      .array(z.enum(['grant', 'refuse', 'complete', 'not-complete', 'withdrawn', 'delivered']))
      .default([]),
  }),
  nodePermissions: z
    .array(
      z.strictObject({
        nodeKey,
        orgLevel: z.enum(['community', 'street', 'district', 'city', 'province']),
        roleCode: z.string().trim().max(64).nullable().default(null),
        sealRequired: z.boolean().default(false),
        signatureRequired: z.boolean().default(true),
        /** Largest amount (fen) this node may decide; null when the node decides no amount. */
        amountLimitFen: z.number().int().min(0).nullable().default(null),
      }),
    )
    .max(40)
    .default([]),
  materials: z.strictObject({
    /** Missing required materials stop the case before this node. */
    blockingNodeKey: nodeKey.nullable().default(null),
    licenceLibraryFirst: z.boolean().default(true),
    validationRules: z
      .array(z.strictObject({ materialKey: nodeKey, rule: text(300) }))
      .max(100)
      .default([]),
  }),
  conditions: z.strictObject({
    validationRules: z
      .array(z.strictObject({ conditionKey: nodeKey, rule: text(300) }))
      .max(100)
      .default([]),
  }),
  rules: z.strictObject({
    comparisons: z.array(text(300)).max(50).default([]),
    validations: z.array(text(300)).max(50).default([]),
    /** Items whose benefit excludes this one (conflicting-benefit exclusion), by basic code. */
    exclusions: z
      .array(z.strictObject({ basicCode: z.string().regex(/^\d{10}$/), reason: text(200) }))
      .max(50)
      .default([]),
  }),
  timeLimits: z.strictObject({
    overall: timeLimitSchema,
    perNode: z
      .array(z.strictObject({ nodeKey, limit: timeLimitSchema }))
      .max(40)
      .default([]),
    overtimeStandard: optionalText(300),
    /** Warning and alarm as percentages of the limit used. */
    warningAtPercent: z.number().int().min(1).max(100).default(80),
    alarmAtPercent: z.number().int().min(1).max(200).default(100),
  }),
  dataComparison: z
    .array(
      z.strictObject({
        nodeKey,
        rule: text(300),
        themeDatabase: text(60),
        disciplineDatabase: z.boolean().default(false),
        feedback: optionalText(300),
      }),
    )
    .max(40)
    .default([]),
  patrol: z.strictObject({
    enabled: z.boolean().default(false),
    targets: z.array(z.enum(['rules', 'conditions', 'materials'])).default([]),
    everyDays: z.number().int().min(1).max(366).default(30),
  }),
  publicity: z.strictObject({
    publicityDays: z.number().int().min(0).max(365).default(0),
    ratingEnabled: z.boolean().default(true),
    publishResult: z.boolean().default(false),
  }),
  supervisionNodes: z
    .array(z.strictObject({ nodeKey, reason: text(200) }))
    .max(40)
    .default([]),
  violationWarnings: z
    .array(
      z.strictObject({
        condition: text(300),
        level: z.enum(['warning', 'alarm', 'yellow-card', 'red-card']),
        channels: z.array(channel).min(1),
        content: text(500),
      }),
    )
    .max(40)
    .default([]),
  problemControl: z.strictObject({
    rules: z.array(text(300)).max(50).default([]),
    analysis: optionalText(1000),
    reportTemplate: optionalText(120),
    reportCycle: z.enum(['weekly', 'monthly', 'quarterly', 'yearly']).default('monthly'),
  }),
});

export type ControlSettings = z.infer<typeof controlSettingsSchema>;

/**
 * Consistency across settings that a per-field schema cannot see: every node key used by
 * settings 4, 5, 8, 9 and 12 must be a node of the process (setting 3), and the warning
 * threshold must come before the alarm.
 */
export function controlSettingsProblems(s: ControlSettings): string[] {
  const nodes = new Set(s.process.nodes.map((n) => n.key));
  const problems: string[] = [];
  const check = (where: ControlSettingKey, what: string, k: string | null) => {
    if (k !== null && !nodes.has(k))
      problems.push(`管控设置“${CONTROL_SETTINGS[where]}”的${what}：节点 ${k} 不在流程中`);
  };
  for (const p of s.nodePermissions) check('nodePermissions', '节点权限', p.nodeKey);
  check('materials', '材料阻断节点', s.materials.blockingNodeKey);
  for (const n of s.timeLimits.perNode) check('timeLimits', '节点时限', n.nodeKey);
  for (const d of s.dataComparison) check('dataComparison', '比对节点', d.nodeKey);
  for (const n of s.supervisionNodes) check('supervisionNodes', '监察节点', n.nodeKey);
  if (s.timeLimits.warningAtPercent >= s.timeLimits.alarmAtPercent) {
    problems.push(`管控设置“${CONTROL_SETTINGS.timeLimits}”：预警阈值须小于告警阈值`);
  }
  return problems;
}
