import {
  CONTROL_SETTINGS,
  type ControlSettingKey,
  type ControlSettings,
  fieldLabel,
  TIME_UNITS,
} from '@govflow/shared';
import { Collapse, type CollapseProps, Descriptions, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';

/**
 * Field names that read differently inside the control settings than elsewhere; every other field
 * is named as the API names it (shared `fieldLabel`).
 */
const CONTROL_FIELD_LABELS: Record<string, string> = {
  key: '节点编码',
  reason: '原因',
  limit: '时限',
  targets: '轮巡对象',
  channels: '推送渠道',
  amountLimitFen: '金额上限（元）',
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

const label = (field: string) => CONTROL_FIELD_LABELS[field] ?? fieldLabel(field);

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
