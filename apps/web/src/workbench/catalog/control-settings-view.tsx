import { CONTROL_SETTINGS, type ControlSettingKey, type ControlSettings, TIME_UNITS } from '@govflow/shared';
import { Collapse, type CollapseProps, Descriptions, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';

/** Chinese names of the fields inside the control settings; unknown fields show their key. */
const FIELD_LABELS: Record<string, string> = {
  category: '类别',
  template: '模板',
  summary: '概述',
  legalBasisArticles: '法律依据条款',
  law: '法律法规',
  article: '条款',
  cycle: '办理周期',
  handlingMode: '办理方式',
  processKey: '流程定义',
  nodes: '流程节点',
  key: '节点编码',
  name: '名称',
  tasks: '任务',
  risks: '风险点',
  decisions: '办理结果',
  nodeKey: '节点',
  orgLevel: '层级',
  roleCode: '角色',
  sealRequired: '需盖章',
  signatureRequired: '需签名',
  amountLimitFen: '金额上限（元）',
  blockingNodeKey: '材料阻断节点',
  licenceLibraryFirst: '优先调用证照库',
  validationRules: '校验规则',
  materialKey: '材料',
  conditionKey: '条件',
  rule: '规则',
  comparisons: '比对规则',
  validations: '校验规则',
  exclusions: '互斥事项',
  basicCode: '基本编码',
  reason: '原因',
  overall: '总时限',
  perNode: '节点时限',
  limit: '时限',
  overtimeStandard: '超时标准',
  warningAtPercent: '预警阈值（%）',
  alarmAtPercent: '告警阈值（%）',
  themeDatabase: '主题库',
  disciplineDatabase: '纪检库',
  feedback: '反馈',
  enabled: '启用',
  targets: '轮巡对象',
  everyDays: '周期（天）',
  publicityDays: '公示天数',
  ratingEnabled: '启用评价',
  publishResult: '公开结果',
  condition: '触发条件',
  level: '级别',
  channels: '推送渠道',
  content: '内容',
  rules: '规则',
  analysis: '分析',
  reportTemplate: '报告模板',
  reportCycle: '报告周期',
};

const VALUE_LABELS: Record<string, string> = {
  online: '网上',
  window: '窗口',
  both: '网上和窗口',
  grant: '准予',
  refuse: '不予',
  complete: '办结',
  'not-complete': '未办结',
  withdrawn: '撤回',
  delivered: '已送达',
  community: '社区',
  street: '街道',
  district: '区县',
  city: '市',
  province: '省',
  system: '系统消息',
  sms: '短信',
  email: '邮件',
  cockpit: '驾驶舱',
  warning: '预警',
  alarm: '告警',
  'yellow-card': '黄牌',
  'red-card': '红牌',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  yearly: '每年',
  materials: '材料',
  conditions: '条件',
};

const label = (field: string) => FIELD_LABELS[field] ?? field;

function isTimeLimit(v: unknown): v is { days: number; unit: keyof typeof TIME_UNITS } {
  return typeof v === 'object' && v !== null && 'days' in v && 'unit' in v && Object.keys(v).length === 2;
}

/** One value, whatever its shape: scalars as text, lists as tags or tables, objects as descriptions. */
function renderValue(value: unknown, field = ''): ReactNode {
  if (value === null || value === undefined || value === '')
    return <Typography.Text type="secondary">—</Typography.Text>;
  if (field === 'amountLimitFen' && typeof value === 'number') return (value / 100).toFixed(2);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string') return VALUE_LABELS[value] ?? value;
  if (typeof value === 'number') return String(value);
  if (isTimeLimit(value)) return `${value.days} 个${TIME_UNITS[value.unit] ?? value.unit}`;
  if (Array.isArray(value)) return renderArray(value);
  if (typeof value === 'object') return renderObject(value as Record<string, unknown>);
  return String(value);
}

function renderArray(rows: unknown[]): ReactNode {
  if (rows.length === 0) return <Typography.Text type="secondary">无</Typography.Text>;
  if (rows.every((r) => typeof r !== 'object' || r === null)) {
    return (
      <span>
        {rows.map((r, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list of plain values
          <Tag key={i}>{renderValue(r)}</Tag>
        ))}
      </span>
    );
  }
  const objects = rows as Record<string, unknown>[];
  const fields = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return (
    <Table<Record<string, unknown> & { __row: number }>
      size="small"
      pagination={false}
      rowKey="__row"
      dataSource={objects.map((o, i) => ({ ...o, __row: i }))}
      columns={fields.map((f) => ({
        title: label(f),
        key: f,
        render: (_, row) => renderValue(row[f], f),
      }))}
    />
  );
}

function renderObject(value: Record<string, unknown>): ReactNode {
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      items={Object.entries(value).map(([f, v]) => ({
        key: f,
        label: label(f),
        children: renderValue(v, f),
      }))}
    />
  );
}

/** All 14 control settings of a version, read-only, one collapsible panel each. */
export function ControlSettingsView({ control }: { control: ControlSettings }) {
  const items: CollapseProps['items'] = (Object.keys(CONTROL_SETTINGS) as ControlSettingKey[]).map((key) => ({
    key,
    label: CONTROL_SETTINGS[key],
    children: renderValue(control[key]),
    ...({ 'data-testid': `control-setting-${key}` } as object),
  }));
  return (
    <div style={{ marginTop: 24 }} data-testid="control-settings">
      <Typography.Title level={5}>全部管控设置（只读）</Typography.Title>
      <Collapse items={items} />
    </div>
  );
}
