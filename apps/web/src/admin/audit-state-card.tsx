import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { beijingDayStart } from '@govflow/shared';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, List, Row, Space, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import type { AuditEntry, AuditVerification, Page } from '../shared/api-types';
import { formatBeijingTime, formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';

/** An entry as the list answers it; newer servers add the action's Chinese name. */
type ListedEntry = AuditEntry & { actionName?: string | null };

const DENIALS_SHOWN = 5;

/** The reason a denial gives, when its detail holds one. */
function reasonOf(entry: ListedEntry): string | null {
  const detail = entry.detail as { reason?: unknown } | null;
  return detail && typeof detail.reason === 'string' ? detail.reason : null;
}

/**
 * The auditor's home: whether the hash chain is intact, how long it is and when it last grew, and
 * the permission denials of today (Beijing day).
 */
export function AuditStateCard() {
  // The newest entry first, so that it is not this page's own reading of the trail.
  const newest = useQuery({
    queryKey: ['audit', 'home', 'newest'],
    queryFn: () => api.get<Page<ListedEntry>>('/audit', { page: 1, pageSize: 1 }),
  });
  const from = beijingDayStart();
  const denials = useQuery({
    queryKey: ['audit', 'home', 'denials', from],
    queryFn: () =>
      api.get<Page<ListedEntry>>('/audit', { outcome: 'denied', from, page: 1, pageSize: DENIALS_SHOWN }),
    enabled: newest.isSuccess,
  });
  const verify = useQuery({
    queryKey: ['audit', 'home', 'verify'],
    queryFn: () => api.get<AuditVerification>('/audit/verify'),
    enabled: newest.isSuccess,
    staleTime: 5 * 60_000,
  });
  const latest = newest.data?.items[0];
  const denialCount = denials.data?.total;

  return (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          审计日志状况
        </Space>
      }
      extra={<Link to="/admin/audit">查阅审计日志</Link>}
    >
      <QueryError error={newest.error ?? verify.error ?? denials.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div data-testid="audit-chain-state">
              {verify.isPending || verify.isFetching ? (
                <Alert type="info" showIcon title="正在校验哈希链…" />
              ) : verify.data?.ok ? (
                <Alert
                  type="success"
                  showIcon
                  title="哈希链完整，未发现篡改"
                  description={`共 ${verify.data.checked} 条记录，均已校验（${formatBeijingTime(new Date(verify.dataUpdatedAt).toISOString())} 校验）。`}
                />
              ) : verify.data ? (
                <Alert
                  type="error"
                  showIcon
                  title={`哈希链断裂：共 ${verify.data.checked} 条记录`}
                  description={
                    verify.data.firstBroken
                      ? `首个断点：序号 ${verify.data.firstBroken.seq}，原因：${verify.data.firstBroken.reason}`
                      : undefined
                  }
                />
              ) : null}
            </div>
            <Space wrap>
              <Button
                size="small"
                icon={<ReloadOutlined />}
                loading={verify.isFetching}
                disabled={!newest.isSuccess}
                onClick={() => verify.refetch()}
              >
                重新校验
              </Button>
              <Typography.Text type="secondary" data-testid="audit-newest">
                最新记录：
                {latest
                  ? `${formatTime(latest.at)}，${latest.actorName ?? '系统'} ${latest.actionName ?? latest.action}`
                  : newest.isPending
                    ? '…'
                    : '暂无'}
              </Typography.Text>
            </Space>
          </Space>
        </Col>
        <Col xs={24} lg={12}>
          <div data-testid="audit-denials-count">
            <Statistic
              title="今日（北京时间）拒绝访问"
              value={denialCount ?? '—'}
              suffix={denialCount === undefined ? undefined : '次'}
              loading={denials.isPending && newest.isSuccess}
              styles={denialCount ? { content: { color: '#cf1322' } } : undefined}
            />
          </div>
          <List
            size="small"
            dataSource={denials.data?.items ?? []}
            locale={{ emptyText: '今日暂无拒绝访问记录' }}
            renderItem={(entry) => (
              <List.Item data-testid="denial-item">
                <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
                  {formatTime(entry.at).slice(11)} {entry.actorName ?? '未登录访问'}：
                  {reasonOf(entry) ?? entry.actionName ?? entry.action}
                </Typography.Text>
              </List.Item>
            )}
          />
          {denialCount !== undefined && denialCount > 0 && (
            <Link to={`/admin/audit?outcome=denied&from=${encodeURIComponent(from)}`}>
              查看今日全部拒绝记录
            </Link>
          )}
        </Col>
      </Row>
    </Card>
  );
}
