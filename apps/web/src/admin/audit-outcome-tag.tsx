import { Tag } from 'antd';
import type { AuditOutcome } from '../shared/api-types';

export const OUTCOMES: Record<AuditOutcome, { label: string; color: string }> = {
  success: { label: '成功', color: 'success' },
  failure: { label: '失败', color: 'warning' },
  denied: { label: '拒绝', color: 'error' },
};

export function AuditOutcomeTag({ outcome }: { outcome: AuditOutcome }) {
  const known = OUTCOMES[outcome];
  return <Tag color={known?.color}>{known?.label ?? outcome}</Tag>;
}
