import { Button, type ButtonProps, Popconfirm, Tooltip } from 'antd';
import { useMe } from '../../shared/auth-context';
import type { BarredReviewer } from './catalog-types';

interface Props {
  version: { versionNo: number; approvalBarred: BarredReviewer[] };
  size?: 'small' | 'middle';
  loading?: boolean;
  onApprove: () => Promise<unknown>;
}

/**
 * 审核发布 under four eyes: whoever created, edited or submitted the version sees it disabled with
 * the reason; anyone else confirms first, since publishing replaces what the public sees.
 */
export function ApproveButton({ version, size, loading, onApprove }: Props) {
  const me = useMe();
  const barred = version.approvalBarred.find((b) => b.userId === me.id);
  if (barred) {
    const reason = `您${barred.reason}，请由其他审核人员审核发布`;
    return (
      <Tooltip title={reason}>
        <Button size={size} type="primary" disabled aria-label={reason} data-testid="item-approve">
          审核发布
        </Button>
      </Tooltip>
    );
  }
  return (
    <Popconfirm
      title={`审核发布 v${version.versionNo}`}
      description="发布后公众即看到此版本，原发布版本被替代。确认发布？"
      okText="发布"
      cancelText="取消"
      okButtonProps={{ 'data-testid': 'approve-confirm' } as ButtonProps}
      onConfirm={() => onApprove().catch(() => {})}
    >
      <Button size={size} type="primary" loading={loading} data-testid="item-approve">
        审核发布
      </Button>
    </Popconfirm>
  );
}
