import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { api } from '../shared/api-client';
import type { DataResource, ResourceField, ShareType } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { QueryError } from '../shared/query-error';
import { CreateResourceDialog } from './create-resource-dialog';
import { LabelTag, labelOf, RESOURCE_SOURCES, SHARE_TYPES, UPDATE_CYCLES } from './labels';
import { useOrgNames } from './org-select';
import { RequestAccessDialog } from './request-access-dialog';

export function useResources() {
  return useQuery({
    queryKey: ['datahub', 'resources'],
    queryFn: () => api.get<{ items: DataResource[] }>('/datahub/resources'),
  });
}

/** 数据资源目录: what each department shares, on which terms; request or register resources. */
export function ResourcesPage() {
  const me = useMe();
  const can = (permission: string) => me.permissions.includes(permission);
  const resources = useResources();
  const orgName = useOrgNames();
  const [text, setText] = useState('');
  const [shareType, setShareType] = useState<ShareType | undefined>();
  const [requesting, setRequesting] = useState<DataResource | null>(null);
  const [creating, setCreating] = useState(false);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: (r: DataResource) => api.post<DataResource>(`/datahub/resources/${r.id}/confirm`, {}),
    onSuccess: (r) => {
      message.success(`已确认发布 ${r.name}`);
      queryClient.invalidateQueries({ queryKey: ['datahub', 'resources'] });
    },
    onError: (e: Error) => message.error(e.message),
  });

  const needle = text.trim().toLowerCase();
  const items = (resources.data?.items ?? []).filter(
    (r) =>
      (!needle || r.name.toLowerCase().includes(needle) || r.code.toLowerCase().includes(needle)) &&
      (!shareType || r.shareType === shareType),
  );

  return (
    <Card
      title="数据资源目录"
      extra={
        can('datahub:manage') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="resource-create"
          >
            登记资源
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="资源名称或代码"
          allowClear
          onSearch={setText}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 240 }}
          data-testid="resource-filter-text"
        />
        <Select<ShareType>
          allowClear
          placeholder="共享类型"
          style={{ width: 140 }}
          value={shareType}
          onChange={setShareType}
          options={Object.entries(SHARE_TYPES).map(([value, { label }]) => ({
            value: value as ShareType,
            label,
          }))}
        />
      </Space>
      <QueryError error={resources.error} />
      <Table<DataResource>
        rowKey="id"
        size="middle"
        loading={resources.isFetching}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, showTotal: (total) => `共 ${total} 项`, hideOnSinglePage: true }}
        onRow={(r) => ({ 'data-testid': 'resource-row', 'data-code': r.code }) as HTMLAttributes<HTMLElement>}
        expandable={{ expandedRowRender: (r) => <ResourceDetail resource={r} /> }}
        columns={[
          {
            title: '资源代码',
            dataIndex: 'code',
            render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
          },
          {
            title: '资源名称',
            key: 'name',
            render: (_, r) => (
              <Space size={4}>
                {r.name}
                {r.status === 'pending' && (
                  <Tag color="orange" data-testid="resource-pending">
                    待提供单位确认
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: '提供单位',
            key: 'owner',
            render: (_, r) => r.ownerOrgName ?? orgName(r.ownerOrgId),
          },
          {
            title: '共享类型',
            dataIndex: 'shareType',
            render: (t: string) => <LabelTag table={SHARE_TYPES} value={t} />,
          },
          {
            title: '更新周期',
            dataIndex: 'updateCycle',
            render: (c: string) => labelOf(UPDATE_CYCLES, c),
          },
          {
            title: '数据来源',
            dataIndex: 'source',
            render: (s: string | null | undefined) => labelOf(RESOURCE_SOURCES, s),
          },
          {
            title: '字段',
            key: 'fields',
            render: (_, r) => `${r.fields.length} 项`,
          },
          ...(can('datahub:request') || can('datahub:approve')
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, r: DataResource) =>
                    r.canConfirm ? (
                      <Button
                        size="small"
                        type="primary"
                        loading={confirm.isPending && confirm.variables?.id === r.id}
                        onClick={() => confirm.mutate(r)}
                        data-testid="resource-confirm"
                      >
                        确认发布
                      </Button>
                    ) : r.status === 'pending' ? (
                      <Typography.Text type="secondary">待提供单位确认</Typography.Text>
                    ) : r.shareType === 'none' ? (
                      <Typography.Text type="secondary">不予共享</Typography.Text>
                    ) : can('datahub:request') ? (
                      <Button size="small" onClick={() => setRequesting(r)} data-testid="resource-request">
                        申请使用
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <RequestAccessDialog resource={requesting} onClose={() => setRequesting(null)} />
      <CreateResourceDialog open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}

function ResourceDetail({ resource }: { resource: DataResource }) {
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {resource.description && <Typography.Text>{resource.description}</Typography.Text>}
      <Table<ResourceField>
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={resource.fields}
        style={{ maxWidth: 640 }}
        columns={[
          {
            title: '字段名',
            dataIndex: 'name',
            render: (n: string) => <Typography.Text code>{n}</Typography.Text>,
          },
          { title: '中文名', dataIndex: 'label' },
          {
            title: '敏感',
            dataIndex: 'sensitive',
            render: (s: boolean) => (s ? <Tag color="red">敏感</Tag> : '—'),
          },
        ]}
      />
    </Space>
  );
}
