import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, DatePicker, Form, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api-client';
import type { AuditEntry, AuditOutcome, Page } from '../shared/api-types';
import { beijingDayOf, beijingDayRange } from '../shared/beijing-days';
import { FilterButtons } from '../shared/filter-buttons';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { AuditOutcomeTag, OUTCOMES } from './audit-outcome-tag';
import { AuditVerifyButton } from './audit-verify-button';

interface FilterForm {
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const DEFAULT_PAGE_SIZE = 20;

/** The audit trail, read only. Filters and page live in the URL so a view can be shared. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterForm>();
  const filters = {
    action: params.get('action') ?? '',
    actor: params.get('actor') ?? '',
    outcome: params.get('outcome') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    page: Number(params.get('page')) || 1,
    pageSize: Number(params.get('pageSize')) || DEFAULT_PAGE_SIZE,
  };
  const audit = useQuery({
    queryKey: ['audit', filters],
    queryFn: () => api.get<Page<AuditEntry>>('/audit', filters),
    placeholderData: keepPreviousData,
  });

  function update(changes: Partial<Record<keyof typeof filters, string | number>>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '' || value === undefined) next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next);
  }

  function search(values: FilterForm) {
    const [from, to] = values.range ?? [];
    update({
      action: values.action?.trim() ?? '',
      actor: values.actor?.trim() ?? '',
      outcome: values.outcome ?? '',
      ...beijingDayRange(from, to),
      page: '',
    });
  }

  return (
    <Card title="审计日志">
      <div style={{ marginBottom: 16 }}>
        <AuditVerifyButton />
      </div>
      <Form<FilterForm>
        form={form}
        layout="inline"
        onFinish={search}
        initialValues={{
          action: filters.action,
          actor: filters.actor,
          outcome: filters.outcome || undefined,
          range: filters.from || filters.to ? [beijingDayOf(filters.from), beijingDayOf(filters.to)] : null,
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="action" label="操作">
          <Input placeholder="如 auth.login" allowClear data-testid="audit-filter-action" />
        </Form.Item>
        <Form.Item name="actor" label="操作人">
          <Input placeholder="用户名" allowClear />
        </Form.Item>
        <Form.Item name="outcome" label="结果">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 110 }}
            options={Object.entries(OUTCOMES).map(([value, { label }]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <FilterButtons
          onReset={() => {
            form.setFieldsValue({ action: '', actor: '', outcome: undefined, range: null });
            setParams(new URLSearchParams());
          }}
        />
      </Form>
      <QueryError error={audit.error} />
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={audit.isFetching}
        dataSource={audit.data?.items}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 条`,
          onChange: (page, pageSize) => update({ page, pageSize }),
        }}
        expandable={{ expandedRowRender: (entry) => <AuditEntryDetail entry={entry} /> }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 80 },
          { title: '时间', dataIndex: 'at', render: formatTime },
          {
            title: '操作人',
            key: 'actor',
            render: (_, entry) =>
              entry.actorName ?? entry.actorId ?? <Typography.Text type="secondary">系统</Typography.Text>,
          },
          {
            title: '操作',
            dataIndex: 'action',
            render: (action: string) => <Typography.Text code>{action}</Typography.Text>,
          },
          {
            title: '对象',
            key: 'target',
            render: (_, entry) =>
              entry.targetType ? (
                <Space size={4}>
                  <span>{entry.targetType}</span>
                  {entry.targetId && (
                    <Tooltip title={entry.targetId}>
                      <Typography.Text type="secondary">…{entry.targetId.slice(-8)}</Typography.Text>
                    </Tooltip>
                  )}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '结果',
            dataIndex: 'outcome',
            render: (outcome: AuditOutcome) => <AuditOutcomeTag outcome={outcome} />,
          },
          { title: 'IP', dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
          {
            title: '哈希',
            dataIndex: 'hash',
            render: (hash: string) => (
              <Tooltip title={<span style={{ wordBreak: 'break-all' }}>{hash}</span>}>
                <Typography.Text code>{hash.slice(0, 12)}…</Typography.Text>
              </Tooltip>
            ),
          },
        ]}
      />
    </Card>
  );
}

function AuditEntryDetail({ entry }: { entry: AuditEntry }) {
  return (
    <Space orientation="vertical" size={4} style={{ fontSize: 12 }}>
      <span>记录 ID：{entry.id}</span>
      <span>请求编号：{entry.requestId ?? '—'}</span>
      {entry.clientRequestId && <span>客户端自报请求编号：{entry.clientRequestId}</span>}
      <span style={{ wordBreak: 'break-all' }}>哈希：{entry.hash}</span>
      <span style={{ wordBreak: 'break-all' }}>前序哈希：{entry.prevHash ?? '—'}</span>
      <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(entry.detail ?? null, null, 2)}</pre>
    </Space>
  );
}
