import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../shared/api-client';
import type { AccessRequest, AccessRequestStatus } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { REQUEST_STATUSES, RequestStatusTag } from './labels';
import { useOrgNames } from './org-select';
import { useResources } from './resources-page';

type View = 'mine' | 'to-decide';

/** The day, with the full time on hover. */
function formatDate(value: string | null | undefined) {
  if (!value) return '—';
  return (
    <Tooltip title={formatTime(value)}>
      <span>{formatTime(value).slice(0, 10)}</span>
    </Tooltip>
  );
}
type Decision = 'approve' | 'reject';

/** 共享申请: the unit's own requests, and the requests for its resources awaiting a decision. */
export function AccessRequestsPage() {
  const me = useMe();
  const canDecide = me.permissions.includes('datahub:approve');
  const [params, setParams] = useSearchParams();
  const view: View = canDecide && params.get('view') === 'to-decide' ? 'to-decide' : 'mine';
  const status = (params.get('status') ?? '') as AccessRequestStatus | '';
  const [deciding, setDeciding] = useState<{ request: AccessRequest; decision: Decision } | null>(null);

  const list = useQuery({
    queryKey: ['datahub', 'access-requests', { view, status }],
    queryFn: () => api.get<{ items: AccessRequest[] }>('/datahub/access-requests', { view, status }),
    placeholderData: keepPreviousData,
  });
  // Field names are shown with their labels when the catalogue is at hand.
  const resources = useResources();
  const orgName = useOrgNames();
  const fieldLabel = (resourceId: string, name: string) =>
    resources.data?.items.find((r) => r.id === resourceId)?.fields.find((f) => f.name === name)?.label ??
    name;

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }

  const table = (
    <>
      <Space style={{ marginBottom: 16 }}>
        <span>状态</span>
        <Select<AccessRequestStatus>
          allowClear
          placeholder="全部"
          style={{ width: 120 }}
          value={status || undefined}
          onChange={(value) => update({ status: value ?? '' })}
          options={Object.entries(REQUEST_STATUSES).map(([value, { label }]) => ({
            value: value as AccessRequestStatus,
            label,
          }))}
          data-testid="requests-filter-status"
        />
      </Space>
      <QueryError error={list.error} />
      <Table<AccessRequest>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        locale={{
          emptyText: (
            <Empty
              description={
                view === 'mine'
                  ? '本单位还没有提出共享申请。在“数据资源目录”选中资源，点“申请使用”即可申请。'
                  : '没有等待本单位审批的共享申请。'
              }
            />
          ),
        }}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, showTotal: (total) => `共 ${total} 条`, hideOnSinglePage: true }}
        onRow={() => ({ 'data-testid': 'request-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '数据资源',
            key: 'resource',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <span>
                  {r.resourceName ??
                    resources.data?.items.find((x) => x.id === r.resourceId)?.name ??
                    r.resourceId}
                </span>
                {r.resourceCode && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.resourceCode}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: '申请单位',
            key: 'org',
            render: (_, r) => r.requesterOrgName ?? orgName(r.requesterOrgId),
          },
          {
            title: '字段',
            dataIndex: 'fields',
            render: (fields: string[], r) => (
              <Space size={[0, 4]} wrap style={{ maxWidth: 220 }}>
                {fields.map((f) => (
                  <Tag key={f}>{fieldLabel(r.resourceId, f)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '用途',
            dataIndex: 'purpose',
            render: (purpose: string) => (
              <Typography.Paragraph
                ellipsis={{ rows: 2, tooltip: purpose }}
                style={{ margin: 0, maxWidth: 180 }}
              >
                {purpose}
              </Typography.Paragraph>
            ),
          },
          { title: '期限', dataIndex: 'days', render: (days: number) => `${days} 天` },
          {
            title: '状态',
            key: 'status',
            render: (_, r) =>
              r.decisionNote ? (
                <Tooltip title={`审批意见：${r.decisionNote}`}>
                  <span>
                    <RequestStatusTag request={r} />
                  </span>
                </Tooltip>
              ) : (
                <RequestStatusTag request={r} />
              ),
          },
          { title: '有效期至', dataIndex: 'expiresAt', render: formatDate },
          { title: '申请时间', dataIndex: 'createdAt', render: formatDate },
          ...(view === 'to-decide'
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, r: AccessRequest) =>
                    r.status === 'requested' ? (
                      <Space>
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => setDeciding({ request: r, decision: 'approve' })}
                          data-testid="request-approve"
                        >
                          批准
                        </Button>
                        <Button
                          size="small"
                          danger
                          onClick={() => setDeciding({ request: r, decision: 'reject' })}
                          data-testid="request-reject"
                        >
                          驳回
                        </Button>
                      </Space>
                    ) : (
                      <Typography.Text type="secondary">{formatDate(r.decidedAt)} 已处理</Typography.Text>
                    ),
                },
              ]
            : []),
        ]}
      />
    </>
  );

  return (
    <Card title="共享申请">
      <Tabs
        activeKey={view}
        onChange={(key) => update({ view: key === 'mine' ? '' : key })}
        items={[
          { key: 'mine', label: '我的申请', children: view === 'mine' ? table : null },
          ...(canDecide
            ? [{ key: 'to-decide', label: '待我审批', children: view === 'to-decide' ? table : null }]
            : []),
        ]}
      />
      <DecisionDialog target={deciding} onClose={() => setDeciding(null)} />
    </Card>
  );
}

function DecisionDialog({
  target,
  onClose,
}: {
  target: { request: AccessRequest; decision: Decision } | null;
  onClose: () => void;
}) {
  const [note, setNote] = useState('');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: Decision }) =>
      api.post<AccessRequest>(`/datahub/access-requests/${id}/${decision}`, { note: note.trim() }),
    onSuccess: (_data, { decision }) => {
      message.success(decision === 'approve' ? '已批准' : '已驳回');
      queryClient.invalidateQueries({ queryKey: ['datahub', 'access-requests'] });
      close();
    },
    onError: (error) => {
      // Someone else decided first: the list is stale.
      if (error instanceof ApiError && error.status === 409) {
        queryClient.invalidateQueries({ queryKey: ['datahub', 'access-requests'] });
      }
    },
  });

  function close() {
    setNote('');
    decide.reset();
    onClose();
  }

  const approve = target?.decision === 'approve';
  return (
    <Modal
      title={approve ? '批准申请' : '驳回申请'}
      open={target !== null}
      okText={approve ? '批准' : '驳回'}
      okButtonProps={{ danger: !approve, 'data-testid': 'decision-submit' }}
      cancelText="取消"
      confirmLoading={decide.isPending}
      onOk={() => target && decide.mutate({ id: target.request.id, decision: target.decision })}
      onCancel={close}
      destroyOnHidden
    >
      {decide.error && (
        <Alert type="error" showIcon title={decide.error.message} style={{ marginBottom: 16 }} />
      )}
      {target && (
        <Typography.Paragraph>
          {target.request.requesterOrgName ?? target.request.requesterOrgId} 申请使用 「
          {target.request.resourceName ?? target.request.resourceId}」的 {target.request.fields.length}{' '}
          个字段，期限 {target.request.days} 天。用途：{target.request.purpose}
        </Typography.Paragraph>
      )}
      <Input.TextArea
        rows={3}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={approve ? '审批意见（可选）' : '驳回理由（可选）'}
        data-testid="decision-note"
      />
    </Modal>
  );
}
