import { FileSearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import type { AccessRequest, DataResource } from '../shared/api-types';
import { formatBeijingTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';

const SHOWN = 8;

/**
 * A data owner's home: requests to use the unit's data that wait for its decision, and resources
 * registered on its behalf that wait for its confirmation.
 */
export function DatahubDecisionsCard() {
  const requests = useQuery({
    queryKey: ['datahub', 'access-requests', { view: 'to-decide', status: 'requested' }],
    queryFn: () =>
      api.get<{ items: AccessRequest[] }>('/datahub/access-requests', {
        view: 'to-decide',
        status: 'requested',
      }),
  });
  const resources = useQuery({
    queryKey: ['datahub', 'resources'],
    queryFn: () => api.get<{ items: DataResource[] }>('/datahub/resources'),
  });
  const waiting = requests.data?.items ?? [];
  const toConfirm = (resources.data?.items ?? []).filter((r) => r.canConfirm);

  return (
    <Card
      title={
        <Space>
          <FileSearchOutlined />
          待本单位审批的数据共享申请
          {waiting.length > 0 && <Badge count={waiting.length} overflowCount={999} />}
        </Space>
      }
      extra={<Link to="/workbench/datahub/access-requests?view=to-decide">全部申请</Link>}
    >
      <QueryError error={requests.error ?? resources.error} />
      <List
        loading={requests.isPending}
        dataSource={waiting.slice(0, SHOWN)}
        locale={{ emptyText: '暂无待审批的共享申请。其他单位申请使用本单位的数据资源时会出现在这里。' }}
        renderItem={(r) => (
          <List.Item
            data-testid="decision-item"
            extra={<Link to="/workbench/datahub/access-requests?view=to-decide">去审批</Link>}
          >
            <List.Item.Meta
              title={
                <span>
                  {r.requesterOrgName ?? '—'} 申请使用「{r.resourceName ?? r.resourceCode ?? '—'}」
                </span>
              }
              description={`用途：${r.purpose} · ${r.fields.length} 个字段 · ${r.days} 天 · 申请于 ${formatBeijingTime(r.createdAt)}`}
            />
          </List.Item>
        )}
      />
      {waiting.length > SHOWN && (
        <Typography.Text type="secondary">
          另有 {waiting.length - SHOWN} 项，请在共享申请页查看。
        </Typography.Text>
      )}
      {toConfirm.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="resources-to-confirm">
          另有 {toConfirm.length} 项代为登记的数据资源待本单位确认：
          {toConfirm.map((r) => r.name).join('、')}。<Link to="/workbench/datahub/resources">去确认</Link>
        </Typography.Paragraph>
      )}
    </Card>
  );
}
