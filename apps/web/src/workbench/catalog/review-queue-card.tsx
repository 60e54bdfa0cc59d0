import { AuditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, List, Space, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../../shared/api-client';
import { formatBeijingTime } from '../../shared/format-time';
import { QueryError } from '../../shared/query-error';

/** One version waiting in GET /catalog/review-queue. */
export interface ReviewQueueEntry {
  versionId: string;
  versionNo: number;
  itemId: string;
  catalogCode: string;
  name: string;
  department: string;
  submittedAt: string | null;
  /** Why this reviewer may not approve it (four eyes), or null. */
  barredReason: string | null;
}

const SHOWN = 10;

/** A reviewer's home: the versions submitted for review in their scope, oldest first. */
export function ReviewQueueCard() {
  const queue = useQuery({
    queryKey: ['catalog', 'review-queue', SHOWN],
    queryFn: () =>
      api.get<{ total: number; items: ReviewQueueEntry[] }>('/catalog/review-queue', { limit: SHOWN }),
  });
  const total = queue.data?.total ?? 0;

  return (
    <Card
      title={
        <Space>
          <AuditOutlined />
          待我审核的事项
          {total > 0 && <Badge count={total} overflowCount={999} />}
        </Space>
      }
      extra={<Link to="/workbench/catalog">事项库</Link>}
    >
      <QueryError error={queue.error} />
      {queue.data && total > 0 && (
        <Typography.Paragraph type="secondary">
          共 {total} 项待审核，先提交的排在前面
          {total > SHOWN ? `；此处列出前 ${SHOWN} 项` : ''}。
        </Typography.Paragraph>
      )}
      <List
        loading={queue.isPending}
        dataSource={queue.data?.items ?? []}
        locale={{ emptyText: '暂无待审核的事项版本。部门提交审核后会出现在这里。' }}
        renderItem={(entry) => (
          <List.Item
            data-testid="review-queue-item"
            extra={
              entry.barredReason ? (
                <Tooltip title={`您${entry.barredReason}`}>
                  <Tag>需他人审核</Tag>
                </Tooltip>
              ) : (
                <Link to={`/workbench/catalog/${entry.itemId}`}>去审核</Link>
              )
            }
          >
            <List.Item.Meta
              title={<Link to={`/workbench/catalog/${entry.itemId}`}>{entry.name}</Link>}
              description={`${entry.department} · 第 ${entry.versionNo} 版 · 提交于 ${formatBeijingTime(entry.submittedAt)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
