import { ITEM_TYPES, type ItemType } from '@govflow/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api-client';
import { useMe } from '../../shared/auth-context';
import { formatTime } from '../../shared/format-time';
import { QueryError } from '../../shared/query-error';
import { ApproveButton } from './approve-button';
import {
  type CatalogDiff,
  type CatalogItemDetail,
  type CatalogVersion,
  type CatalogVersionSummary,
  ITEM_STATUSES,
  VERSION_ACTS,
  VERSION_STATUSES,
} from './catalog-types';

type ReasonAction =
  | { kind: 'reject'; versionId: string }
  | { kind: 'suspend' | 'resume' | 'cancel'; versionId?: undefined };

const REASON_TITLES = { reject: '退回修改', suspend: '暂停事项', resume: '恢复事项', cancel: '取消事项' };

/** One item: its versions, the lifecycle actions the account may take, and a diff of two versions. */
export function CatalogItemPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const can = (permission: string) => me.permissions.includes(permission);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null);
  const [reasonForm] = Form.useForm<{ reason: string }>();

  const item = useQuery({
    queryKey: ['catalog', 'item', id],
    queryFn: () => api.get<CatalogItemDetail>(`/catalog/items/${id}`),
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['catalog'] });

  const newDraft = useMutation({
    mutationFn: () => api.post<CatalogVersion>(`/catalog/items/${id}/drafts`),
    onSuccess: async (version) => {
      await refresh();
      navigate(`/workbench/catalog/${id}/versions/${version.versionNo}/edit`);
    },
  });
  const versionAction = useMutation({
    mutationFn: ({ versionId, action }: { versionId: string; action: 'submit' | 'approve' }) =>
      api.post<unknown>(`/catalog/versions/${versionId}/${action}`),
    onSuccess: async (_data, { action }) => {
      message.success(action === 'submit' ? '已提交审核' : '已审核发布');
      await refresh();
    },
  });
  const reasonAction = useMutation({
    mutationFn: ({ action, reason }: { action: ReasonAction; reason: string }) =>
      action.kind === 'reject'
        ? api.post<unknown>(`/catalog/versions/${action.versionId}/reject`, { reason })
        : api.post<unknown>(`/catalog/items/${id}/${action.kind}`, { reason }),
    onSuccess: async (_data, { action }) => {
      message.success(`${REASON_TITLES[action.kind]}：已完成`);
      setReasonFor(null);
      reasonForm.resetFields();
      await refresh();
    },
  });

  if (item.isPending) return <Spin />;
  if (!item.data) return <QueryError error={item.error} />;
  const it = item.data;
  const versions = [...it.versions].sort((a, b) => b.versionNo - a.versionNo);
  const open = versions.some((v) => v.status === 'draft' || v.status === 'in-review');
  const status = ITEM_STATUSES[it.status];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/workbench/catalog">事项库</Link>
            <span>/</span>
            <span data-testid="item-name">{it.name}</span>
          </Space>
        }
        extra={
          <Space wrap>
            {can('catalog:edit-service') && it.status !== 'cancelled' && (
              <Button
                type="primary"
                disabled={open}
                title={open ? '已有未发布的版本' : undefined}
                loading={newDraft.isPending}
                onClick={() => newDraft.mutate()}
                data-testid="item-new-draft"
              >
                新建版本
              </Button>
            )}
            {can('catalog:review') && it.status === 'published' && (
              <Button danger onClick={() => setReasonFor({ kind: 'suspend' })} data-testid="item-suspend">
                暂停
              </Button>
            )}
            {can('catalog:review') && it.status === 'suspended' && (
              <Button onClick={() => setReasonFor({ kind: 'resume' })} data-testid="item-resume">
                恢复
              </Button>
            )}
            {can('catalog:review') && it.status !== 'cancelled' && (
              <Button danger onClick={() => setReasonFor({ kind: 'cancel' })} data-testid="item-cancel">
                取消
              </Button>
            )}
          </Space>
        }
      >
        <QueryError error={newDraft.error ?? versionAction.error} />
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'status',
              label: '状态',
              children: <Tag color={status?.color}>{status?.label ?? it.status}</Tag>,
            },
            { key: 'type', label: '类型', children: ITEM_TYPES[it.type as ItemType]?.zh ?? it.type },
            {
              key: 'basic',
              label: '基本编码',
              children: <Typography.Text code>{it.basicCode}</Typography.Text>,
            },
            {
              key: 'impl',
              label: '实施编码',
              children: <Typography.Text code>{it.implCode}</Typography.Text>,
            },
            {
              key: 'current',
              label: '当前发布版本',
              children: it.currentVersionNo ? `v${it.currentVersionNo}` : '—',
            },
            {
              key: 'guide',
              label: '办事指南',
              children:
                it.status === 'published' ? (
                  <Link to={`/guide/${it.id}`} target="_blank">
                    查看
                  </Link>
                ) : (
                  '未发布'
                ),
            },
          ]}
        />
      </Card>
      <Card title="版本历史">
        <Table<CatalogVersionSummary>
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={versions}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '版本', dataIndex: 'versionNo', render: (no: number) => `v${no}` },
            {
              title: '状态',
              dataIndex: 'status',
              render: (s: CatalogVersionSummary['status']) => (
                <Tag color={VERSION_STATUSES[s]?.color} data-testid="version-status">
                  {VERSION_STATUSES[s]?.label ?? s}
                </Tag>
              ),
            },
            { title: '名称', dataIndex: 'name' },
            {
              // Who made the version what it is: the reviewer sees whose work is approved.
              title: '经办人',
              key: 'people',
              render: (_, v) =>
                v.approvalBarred.length === 0 ? (
                  <Typography.Text type="secondary">系统导入</Typography.Text>
                ) : (
                  <Space direction="vertical" size={0} data-testid="version-people">
                    {v.approvalBarred.map((b) => (
                      <span key={b.userId}>
                        {b.displayName}
                        <Typography.Text type="secondary">
                          （{b.acts.map((a) => VERSION_ACTS[a] ?? a).join('、')}）
                        </Typography.Text>
                      </span>
                    ))}
                  </Space>
                ),
            },
            { title: '更新时间', dataIndex: 'updatedAt', render: formatTime },
            { title: '发布时间', dataIndex: 'publishedAt', render: formatTime },
            { title: '审核意见', dataIndex: 'reviewNote', render: (note: string | null) => note || '—' },
            {
              title: '操作',
              key: 'actions',
              render: (_, v) => (
                <Space size={4} wrap>
                  <Link to={`/workbench/catalog/${id}/versions/${v.versionNo}/edit`}>
                    {v.status === 'draft' ? '编辑' : '查看'}
                  </Link>
                  {v.status === 'draft' && can('catalog:edit-service') && (
                    <Button
                      size="small"
                      type="primary"
                      loading={versionAction.isPending}
                      onClick={() => versionAction.mutate({ versionId: v.id, action: 'submit' })}
                      data-testid="item-submit"
                    >
                      提交审核
                    </Button>
                  )}
                  {v.status === 'in-review' && can('catalog:review') && (
                    <>
                      <ApproveButton
                        size="small"
                        version={v}
                        loading={versionAction.isPending}
                        onApprove={() => versionAction.mutateAsync({ versionId: v.id, action: 'approve' })}
                      />
                      <Button
                        size="small"
                        danger
                        onClick={() => setReasonFor({ kind: 'reject', versionId: v.id })}
                        data-testid="item-reject"
                      >
                        退回
                      </Button>
                    </>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <VersionDiff key={versions.length} itemId={id} versions={versions} />
      <Modal
        open={reasonFor !== null}
        title={reasonFor ? REASON_TITLES[reasonFor.kind] : ''}
        okText="确定"
        confirmLoading={reasonAction.isPending}
        onCancel={() => setReasonFor(null)}
        onOk={() => reasonForm.submit()}
        destroyOnHidden
      >
        <QueryError error={reasonAction.error} />
        <Form
          form={reasonForm}
          layout="vertical"
          onFinish={({ reason }) => reasonFor && reasonAction.mutate({ action: reasonFor, reason })}
        >
          <Form.Item
            name="reason"
            label="理由"
            rules={[{ required: true, whitespace: true, message: '请填写理由' }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="reason-input" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Two versions side by side: every changed path with its old and new value. */
function VersionDiff({ itemId, versions }: { itemId: string; versions: CatalogVersionSummary[] }) {
  const numbers = versions.map((v) => v.versionNo).sort((a, b) => a - b);
  const [from, setFrom] = useState<number | undefined>(numbers.at(-2));
  const [to, setTo] = useState<number | undefined>(numbers.at(-1));
  const ready = from !== undefined && to !== undefined && from !== to;
  const diff = useQuery({
    queryKey: ['catalog', 'diff', itemId, from, to],
    queryFn: () => api.get<CatalogDiff>(`/catalog/items/${itemId}/diff`, { from, to }),
    enabled: ready,
  });
  const options = numbers.map((no) => ({ value: no, label: `v${no}` }));

  return (
    <Card
      title="版本对比"
      extra={
        <Space>
          <Select style={{ width: 90 }} value={from} options={options} onChange={setFrom} placeholder="从" />
          <span>→</span>
          <Select style={{ width: 90 }} value={to} options={options} onChange={setTo} placeholder="到" />
        </Space>
      }
    >
      <QueryError error={diff.error} />
      {!ready ? (
        <Empty description="请选择两个不同的版本" />
      ) : (
        <Table
          data-testid="version-diff"
          rowKey="path"
          size="small"
          loading={diff.isFetching}
          dataSource={diff.data?.changes ?? []}
          pagination={false}
          locale={{ emptyText: '两个版本内容相同' }}
          columns={[
            { title: '内容', dataIndex: 'label' },
            {
              title: `v${from}`,
              dataIndex: 'fromText',
              render: (v: string) => <Typography.Text delete>{v}</Typography.Text>,
            },
            {
              title: `v${to}`,
              dataIndex: 'toText',
              render: (v: string) => <Typography.Text type="success">{v}</Typography.Text>,
            },
          ]}
        />
      )}
    </Card>
  );
}
