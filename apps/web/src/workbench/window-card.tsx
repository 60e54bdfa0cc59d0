import { BookOutlined, IdcardOutlined, ShopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, List, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../shared/api-client';
import type { WindowPost } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { QueryError } from '../shared/query-error';

/** A window clerk's home: the windows they sit at, and what they can do there today. */
export function WindowCard() {
  const me = useMe();
  const navigate = useNavigate();
  const posts = useQuery({
    queryKey: ['datahub', 'card-reader', 'posts'],
    queryFn: () => api.get<{ items: WindowPost[] }>('/datahub/card-reader/posts'),
  });

  return (
    <Card
      title={
        <Space>
          <ShopOutlined />
          窗口受理
        </Space>
      }
    >
      <QueryError error={posts.error} />
      <List
        size="small"
        header={<Typography.Text type="secondary">您的窗口岗位</Typography.Text>}
        loading={posts.isPending}
        dataSource={posts.data?.items ?? []}
        locale={{ emptyText: '您没有可读卡的窗口岗位' }}
        renderItem={(post) => (
          <List.Item>
            <Typography.Text>{post.orgName}</Typography.Text>
            <Typography.Text type="secondary">
              {post.roleName}
              {post.title ? ` · ${post.title}` : ''}
            </Typography.Text>
          </List.Item>
        )}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        今天可以：读取申请人身份证，一证通办查询其证明材料；为申请人查询事项的办事指南。
      </Typography.Paragraph>
      <Space wrap>
        <Button
          type="primary"
          icon={<IdcardOutlined />}
          onClick={() => navigate('/workbench/datahub/proof-query')}
        >
          证明查询（一证通办）
        </Button>
        {me.permissions.includes('catalog:read') && (
          <Button icon={<BookOutlined />} onClick={() => navigate('/workbench/catalog')}>
            查询事项
          </Button>
        )}
      </Space>
    </Card>
  );
}
