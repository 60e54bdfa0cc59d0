import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import type { HTMLAttributes } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api-client';
import type { CallLogEntry, CallOutcome, CursorPage, DatahubApp } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { beijingDayOf, beijingDayRange } from '../shared/beijing-days';
import { FilterButtons } from '../shared/filter-buttons';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { CALL_OUTCOMES, LabelTag } from './labels';

interface FilterForm {
  appId?: string;
  resource?: string;
  outcome?: CallOutcome;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE_SIZE = 50;

/** 调用日志: every call of the data hub's API, read only; filters in the URL, pages by cursor. */
export function CallLogPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterForm>();
  const filters = {
    appId: params.get('appId') ?? '',
    resource: params.get('resource') ?? '',
    outcome: params.get('outcome') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const log = useInfiniteQuery({
    queryKey: ['datahub', 'call-log', filters],
    queryFn: ({ pageParam }) =>
      api.get<CursorPage<CallLogEntry>>('/datahub/call-log', {
        ...filters,
        limit: PAGE_SIZE,
        cursor: pageParam,
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  // The app list needs datahub:manage; without it the app is filtered by its id.
  const canListApps = me.permissions.includes('datahub:manage');
  const apps = useQuery({
    queryKey: ['datahub', 'apps'],
    queryFn: () => api.get<{ items: DatahubApp[] }>('/datahub/apps'),
    enabled: canListApps,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  function search(values: FilterForm) {
    const [from, to] = values.range ?? [];
    const next = new URLSearchParams();
    const set = (key: string, value: string | undefined) => value && next.set(key, value);
    set('appId', values.appId?.trim());
    set('resource', values.resource?.trim());
    set('outcome', values.outcome);
    const range = beijingDayRange(from, to);
    set('from', range.from);
    set('to', range.to);
    setParams(next);
  }

  return (
    <Card title="调用日志">
      <Form<FilterForm>
        form={form}
        layout="inline"
        onFinish={search}
        initialValues={{
          appId: filters.appId || undefined,
          resource: filters.resource,
          outcome: (filters.outcome || undefined) as CallOutcome | undefined,
          range: filters.from || filters.to ? [beijingDayOf(filters.from), beijingDayOf(filters.to)] : null,
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="appId" label="应用">
          {canListApps ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部"
              style={{ width: 180 }}
              options={(apps.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
            />
          ) : (
            <Input placeholder="应用 ID" allowClear />
          )}
        </Form.Item>
        <Form.Item name="resource" label="资源代码">
          <Input placeholder="如 POPULATION" allowClear data-testid="call-log-filter-resource" />
        </Form.Item>
        <Form.Item name="outcome" label="结果">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 120 }}
            options={Object.entries(CALL_OUTCOMES).map(([value, { label }]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="range" label="时间">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <FilterButtons
          submitTestId="call-log-submit"
          onReset={() => {
            form.setFieldsValue({ appId: undefined, resource: '', outcome: undefined, range: null });
            setParams(new URLSearchParams());
          }}
        />
      </Form>
      <QueryError error={log.error} />
      <Table<CallLogEntry>
        rowKey="id"
        size="middle"
        loading={log.isFetching && !log.isFetchingNextPage}
        dataSource={items}
        locale={{
          emptyText: (
            <Empty description="这段时间、这些条件下没有调用记录。接入应用每调用一次数据资源，这里记一条。" />
          ),
        }}
        scroll={{ x: 'max-content' }}
        pagination={false}
        onRow={() => ({ 'data-testid': 'call-log-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '时间', dataIndex: 'at', render: formatTime },
          {
            title: '应用',
            key: 'app',
            render: (_, e) => (
              <Space orientation="vertical" size={0}>
                <span>{e.appName ?? e.appId ?? '—'}</span>
                {e.orgName && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.orgName}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: '资源',
            dataIndex: 'resourceCode',
            render: (code: string | null) => (code ? <Typography.Text code>{code}</Typography.Text> : '—'),
          },
          {
            title: '结果',
            dataIndex: 'outcome',
            render: (outcome: string) => <LabelTag table={CALL_OUTCOMES} value={outcome} />,
          },
          { title: '响应状态码', dataIndex: 'httpStatus' },
          { title: '查询对象', dataIndex: 'subjectMasked', render: (s: string | null) => s ?? '—' },
          {
            title: '字段',
            dataIndex: 'fields',
            render: (fields: string[]) =>
              fields.length === 0 ? (
                '—'
              ) : (
                <Tooltip title={fields.join('、')}>
                  <Space size={[0, 4]} wrap style={{ maxWidth: 240 }}>
                    {fields.slice(0, 4).map((f) => (
                      <Tag key={f}>{f}</Tag>
                    ))}
                    {fields.length > 4 && <Tag>+{fields.length - 4}</Tag>}
                  </Space>
                </Tooltip>
              ),
          },
          {
            title: '用途',
            dataIndex: 'purpose',
            render: (purpose: string | null) =>
              purpose ? (
                <Typography.Paragraph
                  ellipsis={{ rows: 1, tooltip: purpose }}
                  style={{ margin: 0, maxWidth: 200 }}
                >
                  {purpose}
                </Typography.Paragraph>
              ) : (
                '—'
              ),
          },
          { title: '耗时', dataIndex: 'ms', render: (ms: number) => `${ms} ms` },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {log.hasNextPage ? (
          <Button
            loading={log.isFetchingNextPage}
            onClick={() => log.fetchNextPage()}
            data-testid="call-log-more"
          >
            加载更多
          </Button>
        ) : (
          items.length > 0 && <Typography.Text type="secondary">已显示全部 {items.length} 条</Typography.Text>
        )}
      </div>
    </Card>
  );
}
