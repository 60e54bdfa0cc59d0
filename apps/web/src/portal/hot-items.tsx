import { FireOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import { QueryError } from '../shared/query-error';
import type { HotItem } from './portal-api';

/** The most viewed items, each linking to its guide. */
export function HotItems({ limit = 10 }: { limit?: number }) {
  const hot = useQuery({
    queryKey: ['public', 'hot', limit],
    queryFn: () => api.get<{ items: HotItem[] }>('/public/hot', { limit }),
    staleTime: 60_000,
  });
  return (
    <Card
      size="small"
      title={
        <span>
          <FireOutlined style={{ color: '#fa541c' }} /> 热门事项
        </span>
      }
    >
      <QueryError error={hot.error} />
      <List
        size="small"
        loading={hot.isPending}
        dataSource={hot.data?.items ?? []}
        locale={{ emptyText: '暂无' }}
        renderItem={(item, index) => (
          <List.Item data-testid="hot-item">
            <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
              <Tag color={index < 3 ? 'volcano' : undefined}>{index + 1}</Tag>
              <Link to={`/guide/${item.id}`}>{item.name}</Link>
            </Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}
