import { Tag } from 'antd';
import type {
  AccessRequest,
  CallOutcome,
  ProviderStatus,
  ResourceSource,
  ShareType,
  UpdateCycle,
} from '../shared/api-types';

interface Labelled {
  label: string;
  color?: string;
}

export const SHARE_TYPES: Record<ShareType, Labelled> = {
  unconditional: { label: '无条件共享', color: 'green' },
  conditional: { label: '有条件共享', color: 'blue' },
  none: { label: '不予共享', color: 'default' },
};

export const UPDATE_CYCLES: Record<UpdateCycle, Labelled> = {
  realtime: { label: '实时' },
  daily: { label: '每日' },
  weekly: { label: '每周' },
  monthly: { label: '每月' },
  yearly: { label: '每年' },
};

export const RESOURCE_SOURCES: Record<ResourceSource, Labelled> = {
  population: { label: '人口库' },
  'minimum-income': { label: '低保对象库' },
  'social-insurance': { label: '社保参保库' },
  'legal-entities': { label: '法人库' },
};

export const PROVIDER_STATUSES: Record<ProviderStatus, Labelled> = {
  ok: { label: '正常', color: 'green' },
  late: { label: '超时', color: 'orange' },
  failed: { label: '失败', color: 'red' },
};

export const REQUEST_STATUSES: Record<AccessRequest['status'], Labelled> = {
  requested: { label: '待审批', color: 'processing' },
  approved: { label: '已批准', color: 'success' },
  rejected: { label: '已驳回', color: 'error' },
};

export const CALL_OUTCOMES: Record<CallOutcome, Labelled> = {
  ok: { label: '成功', color: 'success' },
  'not-found': { label: '无记录', color: 'default' },
  'no-access': { label: '未授权', color: 'error' },
  expired: { label: '授权过期', color: 'warning' },
  'rate-limited': { label: '超出频率', color: 'orange' },
  'bad-signature': { label: '签名无效', color: 'red' },
  replayed: { label: '重放', color: 'magenta' },
  invalid: { label: '参数错误', color: 'volcano' },
  failed: { label: '处理失败', color: 'red' },
};

/** A tag for a value of one of the tables above; an unknown value is shown as it came. */
export function LabelTag<K extends string>({
  table,
  value,
  testId,
}: {
  table: Record<K, Labelled>;
  value: string;
  testId?: string;
}) {
  const known = (table as Record<string, Labelled | undefined>)[value];
  return (
    <Tag color={known?.color} data-testid={testId}>
      {known?.label ?? value}
    </Tag>
  );
}

export function labelOf<K extends string>(
  table: Record<K, Labelled>,
  value: string | null | undefined,
): string {
  if (!value) return '—';
  return (table as Record<string, Labelled | undefined>)[value]?.label ?? value;
}

/** A request's status tag; an approval that has run out shows 已过期 instead. */
export function RequestStatusTag({ request }: { request: AccessRequest }) {
  if (request.status === 'approved' && request.expired) {
    return (
      <Tag color="warning" data-testid="request-status">
        已过期
      </Tag>
    );
  }
  return <LabelTag table={REQUEST_STATUSES} value={request.status} testId="request-status" />;
}
