import { SafetyCertificateOutlined } from '@ant-design/icons';
import { beijingDayStart } from '@govflow/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, List, Row, Space, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import type { AuditChainState, AuditEntry, AuditVerification, Page } from '../shared/api-types';
import { formatBeijingTime, formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';

const DENIALS_SHOWN = 5;
const CHAIN_KEY = ['audit', 'home', 'chain'];

/** The reason a denial gives, when its detail holds one. */
function reasonOf(entry: AuditEntry): string | null {
  const detail = entry.detail as { reason?: unknown } | null;
  return detail && typeof detail.reason === 'string' ? detail.reason : null;
}

/** What the last verification found, and whether one is due; verifying itself waits for the button. */
function ChainVerdict({ state }: { state: AuditChainState }) {
  const last = state.lastVerification;
  if (!last)
    return (
      <Alert
        type="warning"
        showIcon
        title="哈希链尚未校验过"
        description="无法确认审计日志未被篡改，请点击「立即校验」。"
      />
    );
  const by = last.actorDisplayName ?? last.actorName ?? '系统';
  const when = `${formatBeijingTime(last.at)} 由${by}校验`;
  if (!last.ok)
    return (
      <Alert
        type="error"
        showIcon
        title={`上次校验发现哈希链断裂：${last.brokenCount} 处`}
        description={`${last.firstBroken ? `首个断点：${last.firstBroken.reason}。` : ''}${when}，共校验 ${last.checked} 条记录。`}
      />
    );
  if (state.verificationDue)
    return (
      <Alert
        type="warning"
        showIcon
        title="已超过 24 小时未校验哈希链"
        description={`上次校验：${when}，哈希链完整，共 ${last.checked} 条记录。之后写入的记录尚未校验，请点击「立即校验」。`}
      />
    );
  return (
    <Alert
      type="success"
      showIcon
      title="哈希链完整，未发现篡改"
      description={`${when}，共 ${last.checked} 条记录均已校验。`}
    />
  );
}

/**
 * The auditor's home: the hash chain's last verification (verifying the whole trail on every visit
 * would re-hash it each time; the button does it on demand), how long the chain is and when it last
 * grew, and the permission denials of today (Beijing day).
 */
export function AuditStateCard() {
  const queryClient = useQueryClient();
  // The chain first, so that its newest entry is not this page's own reading of the trail.
  const chain = useQuery({
    queryKey: CHAIN_KEY,
    queryFn: () => api.get<AuditChainState>('/audit/chain'),
  });
  const from = beijingDayStart();
  const denials = useQuery({
    queryKey: ['audit', 'home', 'denials', from],
    queryFn: () =>
      api.get<Page<AuditEntry>>('/audit', { outcome: 'denied', from, page: 1, pageSize: DENIALS_SHOWN }),
    enabled: chain.isSuccess,
  });
  const verify = useMutation({
    mutationFn: () => api.get<AuditVerification>('/audit/verify'),
    onSettled: () => queryClient.invalidateQueries({ queryKey: CHAIN_KEY }),
  });
  const state = chain.data;
  const latest = state?.newest;
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
      <QueryError error={chain.error ?? verify.error ?? denials.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div data-testid="audit-chain-state">
              {verify.isPending ? (
                <Alert
                  type="info"
                  showIcon
                  title="正在校验哈希链…"
                  description="逐条重算全部记录的哈希，记录多时需要一些时间。"
                />
              ) : state ? (
                <ChainVerdict state={state} />
              ) : (
                chain.isPending && <Alert type="info" showIcon title="正在读取哈希链概况…" />
              )}
            </div>
            <Space wrap>
              <Button
                size="small"
                type={state?.verificationDue || state?.lastVerification?.ok === false ? 'primary' : 'default'}
                icon={<SafetyCertificateOutlined />}
                loading={verify.isPending}
                disabled={!chain.isSuccess}
                onClick={() => verify.mutate()}
                data-testid="audit-verify-now"
              >
                立即校验
              </Button>
              <Typography.Text type="secondary" data-testid="audit-size">
                哈希链共 {state ? state.size.toLocaleString('zh-CN') : '…'} 条记录
              </Typography.Text>
            </Space>
            <Typography.Text type="secondary" data-testid="audit-newest">
              最新记录：
              {latest
                ? `${formatTime(latest.at)}，${latest.actorDisplayName ?? latest.actorName ?? '系统'} ${latest.actionName}`
                : chain.isPending
                  ? '…'
                  : '暂无'}
            </Typography.Text>
          </Space>
        </Col>
        <Col xs={24} lg={12}>
          <div data-testid="audit-denials-count">
            <Statistic
              title="今日（北京时间）拒绝访问"
              value={denialCount ?? '—'}
              suffix={denialCount === undefined ? undefined : '次'}
              loading={denials.isPending && chain.isSuccess}
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
                  {formatTime(entry.at).slice(11)} {entry.actorDisplayName ?? entry.actorName ?? '未登录访问'}
                  ：{reasonOf(entry) ?? entry.actionName ?? entry.action}
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
