import { ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Progress,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api-client';
import type { CallOutcome, DatahubMonitor, MonitorApp, MonitorProvider } from '../shared/api-types';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { CALL_OUTCOMES, PROVIDER_STATUSES } from './labels';

const WINDOWS = [
  { value: 1, label: '1 小时' },
  { value: 24, label: '24 小时' },
  { value: 168, label: '7 天' },
  { value: 720, label: '30 天' },
];

const DEFAULT_HOURS = 24;

/** A count with its status colour; zero is shown plain so the problems stand out. */
function CountTag({ n, color, label }: { n: number; color?: string; label: string }) {
  return (
    <Tooltip title={label}>
      <Tag color={n > 0 ? color : undefined} style={{ minWidth: 32, textAlign: 'center' }}>
        {n}
      </Tag>
    </Tooltip>
  );
}

function SuccessRate({ ok, total }: { ok: number; total: number }) {
  if (total === 0) return <Typography.Text type="secondary">无查询</Typography.Text>;
  const percent = Math.round((ok / total) * 1000) / 10;
  return (
    <Progress
      percent={percent}
      size="small"
      style={{ width: 160, margin: 0 }}
      status={percent >= 99 ? 'success' : percent >= 90 ? 'normal' : 'exception'}
      format={(p) => `${p}%`}
    />
  );
}

const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);

/** The hub's own libraries are registered under a technical name; remote providers under their own. */
const providerLabel = (name: string) => (name === 'local-libraries' ? '本地基础库' : name);

/** 运行监测: how the 一证通办 proof providers answered and how the registered applications called. */
export function MonitorPage() {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('hours'));
  const hours = WINDOWS.some((w) => w.value === asked) ? asked : DEFAULT_HOURS;
  const monitor = useQuery({
    queryKey: ['datahub', 'monitor', hours],
    queryFn: () => api.get<DatahubMonitor>('/datahub/monitor', { hours }),
    refetchInterval: 60_000,
  });
  const data = monitor.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="运行监测"
        extra={
          <Space>
            <Segmented<number>
              options={WINDOWS}
              value={hours}
              onChange={(value) => setParams(new URLSearchParams({ hours: String(value) }))}
              data-testid="monitor-window"
            />
            <Button
              icon={<ReloadOutlined />}
              loading={monitor.isFetching}
              onClick={() => monitor.refetch()}
              aria-label="刷新"
            />
          </Space>
        }
      >
        <Typography.Text type="secondary">
          {data
            ? `统计区间：${formatTime(data.window.from)} 至 ${formatTime(data.window.to)}`
            : '统计区间：—'}
        </Typography.Text>
      </Card>
      <QueryError error={monitor.error} />
      <Card title="证明提供方（一证通办）" size="small">
        {data?.truncated && (
          <Alert
            type="warning"
            showIcon
            title="区间内查询过多，仅统计了最近的部分记录，请缩短统计区间"
            style={{ marginBottom: 16 }}
          />
        )}
        <Table<MonitorProvider>
          rowKey="name"
          size="middle"
          loading={monitor.isLoading}
          dataSource={data?.providers ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={() => ({ 'data-testid': 'monitor-provider-row' }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: '提供方',
              dataIndex: 'name',
              render: (name: string) =>
                providerLabel(name) === name ? (
                  name
                ) : (
                  <Tooltip title={name}>
                    <span>{providerLabel(name)}</span>
                  </Tooltip>
                ),
            },
            { title: '查询次数', dataIndex: 'queries', align: 'right' },
            {
              title: '正常 / 超时 / 失败',
              key: 'statuses',
              render: (_, p) => (
                <Space size={4}>
                  <CountTag n={p.ok} color={PROVIDER_STATUSES.ok.color} label={PROVIDER_STATUSES.ok.label} />
                  <CountTag
                    n={p.late}
                    color={PROVIDER_STATUSES.late.color}
                    label={PROVIDER_STATUSES.late.label}
                  />
                  <CountTag
                    n={p.failed}
                    color={PROVIDER_STATUSES.failed.color}
                    label={PROVIDER_STATUSES.failed.label}
                  />
                </Space>
              ),
            },
            { title: '耗时中位数', dataIndex: 'p50Ms', align: 'right', render: ms },
            { title: '95% 请求耗时不超过', dataIndex: 'p95Ms', align: 'right', render: ms },
            {
              title: '成功率',
              key: 'rate',
              render: (_, p) => <SuccessRate ok={p.ok} total={p.queries} />,
            },
            {
              title: '最近失败',
              dataIndex: 'lastFailureAt',
              render: (at: string | null) =>
                at ? <Typography.Text type="danger">{formatTime(at)}</Typography.Text> : '—',
            },
          ]}
        />
      </Card>
      <Card title="接入应用" size="small">
        <Table<MonitorApp>
          rowKey="appId"
          size="middle"
          loading={monitor.isLoading}
          dataSource={data?.apps ?? []}
          locale={{ emptyText: <Empty description="统计区间内没有接入应用调用数据资源。" /> }}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={() => ({ 'data-testid': 'monitor-app-row' }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: '应用',
              dataIndex: 'name',
              render: (name: string, a) => (
                <Link to={`/workbench/datahub/call-log?appId=${encodeURIComponent(a.appId)}`}>{name}</Link>
              ),
            },
            { title: '所属单位', dataIndex: 'orgName', render: (n: string | null) => n ?? '—' },
            {
              title: '状态',
              dataIndex: 'status',
              render: (status: MonitorApp['status']) =>
                status === 'active' ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>,
            },
            {
              title: '频率上限',
              dataIndex: 'rateLimitPerMinute',
              align: 'right',
              render: (n: number) => `${n} 次/分钟`,
            },
            { title: '调用次数', dataIndex: 'calls', align: 'right' },
            {
              title: '调用结果',
              key: 'outcomes',
              render: (_, a) => {
                const entries = (Object.keys(CALL_OUTCOMES) as CallOutcome[]).filter(
                  (o) => (a.byOutcome[o] ?? 0) > 0,
                );
                if (entries.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
                return (
                  <Space size={[4, 4]} wrap style={{ maxWidth: 360 }}>
                    {entries.map((o) => (
                      <Tag key={o} color={CALL_OUTCOMES[o].color}>
                        {CALL_OUTCOMES[o].label} {a.byOutcome[o]}
                      </Tag>
                    ))}
                  </Space>
                );
              },
            },
            { title: '最近调用', dataIndex: 'lastCallAt', render: formatTime },
          ]}
        />
      </Card>
    </Space>
  );
}
