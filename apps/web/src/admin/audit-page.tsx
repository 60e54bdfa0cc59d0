import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api-client';
import type { AuditEntry, AuditOutcome, AuditVocabulary, Page } from '../shared/api-types';
import { beijingDayOf, beijingDayRange } from '../shared/beijing-days';
import { FilterButtons } from '../shared/filter-buttons';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { AuditOutcomeTag, OUTCOMES } from './audit-outcome-tag';
import { AuditVerifyButton } from './audit-verify-button';

interface FilterForm {
  targetType?: string;
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
    targetType: params.get('targetType') ?? '',
    targetId: params.get('targetId') ?? '',
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
  const vocabulary = useQuery({
    queryKey: ['audit-vocabulary'],
    queryFn: () => api.get<AuditVocabulary>('/audit/actions'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const { page: _page, pageSize: _pageSize, ...exportFilters } = filters;
  const exportHref = `/api/v1/audit/export.xlsx${queryString(exportFilters)}`;
  const total = audit.data?.total ?? 0;
  const exportMax = vocabulary.data?.exportMaxRows ?? Number.POSITIVE_INFINITY;
  const filteredTarget = filters.targetId
    ? audit.data?.items.find((e) => e.targetId === filters.targetId)
    : undefined;

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
      targetType: values.targetType ?? '',
      action: values.action?.trim() ?? '',
      actor: values.actor?.trim() ?? '',
      outcome: values.outcome ?? '',
      ...beijingDayRange(from, to),
      page: '',
    });
  }

  return (
    <Card
      title="审计日志"
      extra={
        <Tooltip
          title={
            total > exportMax
              ? `共 ${total.toLocaleString('zh-CN')} 条，超过单次导出上限 ${exportMax.toLocaleString('zh-CN')} 条，请缩小时间范围或增加筛选条件`
              : '按当前筛选条件导出全部记录（北京时间）'
          }
        >
          {/* A plain link: the browser downloads the workbook with the session cookie. */}
          <Button
            icon={<DownloadOutlined />}
            href={total > exportMax ? undefined : exportHref}
            download
            disabled={total > exportMax}
            data-testid="audit-export"
          >
            导出表格
          </Button>
        </Tooltip>
      }
    >
      <div style={{ marginBottom: 16 }}>
        <AuditVerifyButton />
      </div>
      <Form<FilterForm>
        form={form}
        layout="inline"
        onFinish={search}
        initialValues={{
          targetType: filters.targetType || undefined,
          action: filters.action || undefined,
          actor: filters.actor,
          outcome: filters.outcome || undefined,
          range: filters.from || filters.to ? [beijingDayOf(filters.from), beijingDayOf(filters.to)] : null,
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="action" label="操作">
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            allowClear
            placeholder="全部操作"
            style={{ width: 220 }}
            options={actionOptions(vocabulary.data)}
            data-testid="audit-filter-action"
          />
        </Form.Item>
        <Form.Item name="actor" label="操作人">
          <Input placeholder="用户名或姓名" allowClear style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="targetType" label="对象类型">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 130 }}
            options={vocabulary.data?.targetTypes.map((t) => ({ value: t.code, label: t.name }))}
          />
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
          submitTestId="audit-search"
          onReset={() => {
            form.setFieldsValue({ targetType: undefined });
            form.setFieldsValue({ action: '', actor: '', outcome: undefined, range: null });
            setParams(new URLSearchParams());
          }}
        />
      </Form>
      {filters.targetId && (
        <Tag
          closable
          onClose={() => update({ targetId: '', page: '' })}
          style={{ marginBottom: 12 }}
          data-testid="audit-filter-target"
        >
          只看对象：{filteredTarget?.targetName ?? filters.targetId}
        </Tag>
      )}
      <QueryError error={audit.error} />
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={audit.isFetching}
        dataSource={audit.data?.items}
        scroll={{ x: 1080 }}
        locale={{ emptyText: '没有符合条件的审计记录' }}
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
          { title: '时间', dataIndex: 'at', width: 165, render: formatTime },
          { title: '操作人', key: 'actor', width: 140, render: (_, entry) => <AuditActor entry={entry} /> },
          {
            title: '操作',
            dataIndex: 'actionName',
            width: 140,
            render: (name: string, entry) => (
              <Tooltip title={entry.action}>
                <span data-testid="audit-action-name">{name}</span>
              </Tooltip>
            ),
          },
          {
            title: '对象',
            key: 'target',
            width: 210,
            render: (_, entry) =>
              entry.targetType && entry.targetId ? (
                <Space size={4} wrap={false} align="start">
                  <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                    {entry.targetTypeName}
                  </Typography.Text>
                  <Tooltip title="只看这个对象的记录">
                    <Typography.Link
                      type={entry.targetMissing ? 'secondary' : undefined}
                      onClick={() => {
                        form.setFieldsValue({ targetType: entry.targetType ?? undefined });
                        update({
                          targetType: entry.targetType ?? '',
                          targetId: entry.targetId ?? '',
                          page: '',
                        });
                      }}
                      data-testid="audit-target-name"
                    >
                      {entry.targetName}
                    </Typography.Link>
                  </Tooltip>
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '结果',
            dataIndex: 'outcome',
            width: 70,
            render: (outcome: AuditOutcome) => <AuditOutcomeTag outcome={outcome} />,
          },
          {
            title: '摘要',
            dataIndex: 'summary',
            render: (summary: string) =>
              summary ? (
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: summary }} style={{ marginBottom: 0 }}>
                  {summary}
                </Typography.Paragraph>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
          { title: 'IP', dataIndex: 'ip', width: 115, render: (ip: string | null) => ip ?? '—' },
        ]}
      />
    </Card>
  );
}

function AuditActor({ entry }: { entry: AuditEntry }) {
  if (!entry.actorId) {
    // A program (the demo seed, start-up) by what it is; a name typed at a failed login as typed.
    if (entry.actorDisplayName)
      return <Typography.Text type="secondary">系统：{entry.actorDisplayName}</Typography.Text>;
    if (entry.actorName) return <span>{entry.actorName}（未登录）</span>;
    return <Typography.Text type="secondary">系统</Typography.Text>;
  }
  return (
    <Space size={4}>
      <span>{entry.actorDisplayName ?? entry.actorName}</span>
      {entry.actorDisplayName && entry.actorName && entry.actorName !== entry.actorDisplayName && (
        <Typography.Text type="secondary">{entry.actorName}</Typography.Text>
      )}
    </Space>
  );
}

/** The action filter's choices: each area's "all" first, then its actions by Chinese name. */
function actionOptions(vocabulary: AuditVocabulary | undefined) {
  if (!vocabulary) return [];
  return vocabulary.groups.map((g) => ({
    label: g.name,
    title: g.name,
    options: [
      { value: `${g.code}.`, label: `全部${g.name}操作` },
      ...vocabulary.actions.filter((a) => a.group === g.code).map((a) => ({ value: a.code, label: a.name })),
    ],
  }));
}

function queryString(filters: Record<string, string>): string {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== ''));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function AuditEntryDetail({ entry }: { entry: AuditEntry }) {
  return (
    <Space orientation="vertical" size={4} style={{ fontSize: 12 }}>
      <span>序号：{entry.seq}</span>
      <span>记录 ID：{entry.id}</span>
      <span>
        操作代码：<Typography.Text code>{entry.action}</Typography.Text>
      </span>
      {entry.targetType && (
        <span>
          对象：{entry.targetTypeName}（{entry.targetType}）编号 {entry.targetId ?? '—'}
        </span>
      )}
      <span>请求编号：{entry.requestId ?? '—'}</span>
      {entry.clientRequestId && <span>客户端自报请求编号：{entry.clientRequestId}</span>}
      <span style={{ wordBreak: 'break-all' }}>哈希：{entry.hash}</span>
      <span style={{ wordBreak: 'break-all' }}>前序哈希：{entry.prevHash ?? '—'}</span>
      <span>原始详情（存储内容，哈希链覆盖）：</span>
      <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(entry.detail ?? null, null, 2)}</pre>
    </Space>
  );
}
