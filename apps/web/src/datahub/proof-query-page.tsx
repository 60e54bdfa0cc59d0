import { IdcardOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Radio,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { ApiError, api } from '../shared/api-client';
import type {
  CardRead,
  ProofQueryResult,
  ProofRecord,
  ProofTypeOption,
  WindowPost,
} from '../shared/api-types';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { LabelTag, PROVIDER_STATUSES } from './labels';

/** Readable names of the fields the proof providers return; other keys are shown as they come. */
const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  regionCode: '户籍地区划',
  address: '住址',
  householdNo: '户号',
  maritalStatus: '婚姻状况',
  onMinimumIncome: '享受低保',
  since: '起始日期',
  level: '残疾等级',
  insured: '参保',
  alive: '存活',
  deathDate: '死亡日期',
  passedOn: '合格日期',
  score: '成绩',
  school: '学校',
};

const MARITAL_STATUSES: Record<string, string> = {
  single: '未婚',
  married: '已婚',
  divorced: '离异',
  widowed: '丧偶',
};

function showValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (key === 'maritalStatus' && typeof value === 'string') return MARITAL_STATUSES[value] ?? value;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/**
 * 证明查询 (一证通办): the clerk chooses the window they sit at (when they have several), reads the
 * applicant's ID card, picks the proofs, and the data hub asks every source in parallel. The number
 * comes only from the reader and stays on the server: the page holds a single-use token of the read
 * and the masked number, and there is no field to type a number in.
 */
export function ProofQueryPage() {
  const [chosenPostId, setChosenPostId] = useState<string | null>(null);
  const [card, setCard] = useState<CardRead | null>(null);
  const [types, setTypes] = useState<string[]>([]);
  const windowPosts = useQuery({
    queryKey: ['datahub', 'card-reader', 'posts'],
    queryFn: () => api.get<{ items: WindowPost[] }>('/datahub/card-reader/posts'),
  });
  const proofTypes = useQuery({
    queryKey: ['datahub', 'proof-types'],
    queryFn: () => api.get<{ items: ProofTypeOption[] }>('/datahub/proof-types'),
  });
  const query = useMutation({
    mutationFn: (input: { cardReadToken: string; postId: string; proofTypes: string[] }) =>
      api.post<ProofQueryResult>('/datahub/proof-queries', input),
  });
  const read = useMutation({
    mutationFn: (postId: string) => api.post<CardRead>('/datahub/card-reader/read', { postId }),
    onMutate: () => query.reset(),
    onSuccess: (next) => setCard(next),
    onError: () => setCard(null),
  });
  const posts = windowPosts.data?.items ?? [];
  const postId = chosenPostId ?? (posts.length === 1 ? posts[0].id : null);
  const choosePost = (id: string) => {
    // A read belongs to the window it was made at: another window needs its own.
    setChosenPostId(id);
    setCard(null);
    read.reset();
    query.reset();
  };
  // Each read serves one query: after it (or once the server says it is spent), read the card again.
  const spent =
    query.error instanceof ApiError && ['CARD_READ_USED', 'CARD_READ_EXPIRED'].includes(query.error.code);
  const used = card !== null && query.variables?.cardReadToken === card.token && (query.isSuccess || spent);
  const options = proofTypes.data?.items ?? [];
  const noReader = read.error instanceof ApiError && read.error.code === 'NO_CARD_READER';

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="证明查询"
        extra={<Typography.Text type="secondary">一证通办：凭身份证查询证明</Typography.Text>}
      >
        <Alert
          type="info"
          showIcon
          title="证明数据不落地保存，仅记录查询日志"
          description="身份证号码须由读卡器读取，不能手工录入；每次读卡只能查询一次，五分钟内有效。"
          style={{ marginBottom: 16 }}
        />
        <QueryError error={windowPosts.error} />
        {windowPosts.isSuccess && posts.length === 0 && (
          <Alert
            type="warning"
            showIcon
            title="您没有窗口岗位，不能读卡"
            description="证明查询须在窗口岗位上读取身份证。"
            style={{ marginBottom: 16 }}
            data-testid="proof-no-window"
          />
        )}
        {noReader ? (
          <Alert
            type="warning"
            showIcon
            title="未连接身份证读卡器"
            description="请连接身份证读卡器并放置身份证后重试。"
            style={{ marginBottom: 16 }}
            data-testid="proof-no-reader"
          />
        ) : (
          <QueryError error={read.error} />
        )}
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: 'window',
              label: '办理窗口',
              span: { xs: 1, md: 3 },
              children:
                posts.length > 1 ? (
                  <Radio.Group
                    optionType="button"
                    value={postId}
                    onChange={(e) => choosePost(e.target.value as string)}
                    options={posts.map((p) => ({ value: p.id, label: p.orgName }))}
                    data-testid="proof-window-post"
                  />
                ) : (
                  <span data-testid="proof-window-post">{posts[0]?.orgName ?? '—'}</span>
                ),
            },
            {
              key: 'reader',
              label: '身份证',
              children: (
                <Space wrap>
                  <Button
                    type="primary"
                    icon={<IdcardOutlined />}
                    loading={read.isPending}
                    disabled={!postId}
                    onClick={() => postId && read.mutate(postId)}
                    data-testid="proof-read-card"
                  >
                    {card ? '重新读卡' : '读取身份证'}
                  </Button>
                  {!postId && posts.length > 1 && (
                    <Typography.Text type="secondary">请先选择办理窗口</Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              key: 'name',
              label: '姓名',
              children: <span data-testid="proof-card-name">{card?.name ?? '—'}</span>,
            },
            {
              key: 'number',
              label: '公民身份号码',
              children: (
                <Typography.Text code={Boolean(card)} data-testid="proof-card-number">
                  {card ? card.idNumberMasked : '—'}
                </Typography.Text>
              ),
            },
            ...(card
              ? [
                  {
                    key: 'expires',
                    label: '读卡凭证',
                    span: { xs: 1, md: 3 },
                    children: used ? (
                      <Typography.Text type="secondary" data-testid="proof-card-state">
                        已使用，再次查询请重新读卡
                      </Typography.Text>
                    ) : (
                      <Typography.Text data-testid="proof-card-state">
                        一次有效，{formatTime(card.expiresAt)} 前使用
                      </Typography.Text>
                    ),
                  },
                ]
              : []),
          ]}
        />
        <div style={{ marginBottom: 8 }}>
          <Typography.Text strong>查询的证明</Typography.Text>
          {options.length > 0 && (
            <Space size={4} style={{ marginLeft: 12 }}>
              <Button size="small" type="link" onClick={() => setTypes(options.map((o) => o.type))}>
                全选
              </Button>
              <Button size="small" type="link" onClick={() => setTypes([])}>
                清空
              </Button>
            </Space>
          )}
        </div>
        <QueryError error={proofTypes.error} />
        {proofTypes.isPending ? (
          <Spin />
        ) : (
          <Checkbox.Group
            value={types}
            onChange={(values) => setTypes(values as string[])}
            options={options.map((o) => ({ value: o.type, label: o.title }))}
            style={{ marginBottom: 16, rowGap: 8 }}
            data-testid="proof-types"
          />
        )}
        <div>
          <Button
            type="primary"
            icon={<SearchOutlined />}
            disabled={!card || used || types.length === 0}
            loading={query.isPending}
            onClick={() =>
              card && query.mutate({ cardReadToken: card.token, postId: card.post.id, proofTypes: types })
            }
            data-testid="proof-submit"
          >
            查询
          </Button>
          {(!card || used) && (
            <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
              {card ? '每次读卡只能查询一次，请重新读卡' : '请先读取身份证'}
            </Typography.Text>
          )}
        </div>
      </Card>
      {query.error && <QueryError error={query.error} />}
      {query.data && <ProofResults result={query.data} card={card} options={options} />}
    </Space>
  );
}

function ProofResults({
  result,
  card,
  options,
}: {
  result: ProofQueryResult;
  card: CardRead | null;
  options: ProofTypeOption[];
}) {
  const answered = new Set([...Object.keys(result.proofs), ...result.missing]);
  // In the order of the list of proof types; anything else the server sent at the end.
  const requested = [
    ...options.map((o) => o.type).filter((t) => answered.has(t)),
    ...[...answered].filter((t) => !options.some((o) => o.type === t)),
  ];
  const titles = new Map(options.map((o) => [o.type, o.title]));
  return (
    <Card
      title={
        <Space>
          <span>查询结果</span>
          {card && <span>{card.name}</span>}
          <Typography.Text code>{result.idNumberMasked}</Typography.Text>
        </Space>
      }
      extra={<Typography.Text type="secondary">查询编号：{result.queryId}</Typography.Text>}
      data-testid="proof-results"
    >
      {result.missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={`${result.missing.length} 项证明未能获取（数据源超时或失败），可稍后重试`}
          style={{ marginBottom: 16 }}
        />
      )}
      {requested.length === 0 ? (
        <Empty />
      ) : (
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
            gap: 16,
            marginBottom: 24,
          }}
        >
          {requested.map((type) => (
            <ProofCard
              key={type}
              title={result.proofs[type]?.title ?? titles.get(type) ?? type}
              record={result.proofs[type]}
            />
          ))}
        </div>
      )}
      <Typography.Title level={5}>数据源</Typography.Title>
      <Table
        rowKey="name"
        size="small"
        pagination={false}
        dataSource={result.providers}
        data-testid="proof-providers"
        columns={[
          { title: '数据源', dataIndex: 'name' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (status: string) => (
              <LabelTag table={PROVIDER_STATUSES} value={status} testId="proof-provider-status" />
            ),
          },
          { title: '耗时', dataIndex: 'ms', render: (ms: number) => `${ms} ms` },
          {
            title: '说明',
            dataIndex: 'error',
            render: (error?: string) => error ?? '—',
          },
        ]}
      />
    </Card>
  );
}

function ProofCard({ title, record }: { title: string; record: ProofRecord | undefined }) {
  if (!record) {
    return (
      <Card size="small" title={title} extra={<Tag color="warning">未能获取</Tag>} data-testid="proof-card">
        <Typography.Text type="secondary">数据源未在时限内答复</Typography.Text>
      </Card>
    );
  }
  const entries = Object.entries(record.data);
  return (
    <Card
      size="small"
      title={title}
      extra={record.found ? <Tag color="success">已查到</Tag> : <Tag>无记录</Tag>}
      data-testid="proof-card"
    >
      {record.found ? (
        entries.length ? (
          <Descriptions
            size="small"
            column={1}
            items={entries.map(([key, value]) => ({
              key,
              label: FIELD_LABELS[key] ?? key,
              children: showValue(key, value),
            }))}
          />
        ) : (
          <Typography.Text>有记录</Typography.Text>
        )
      ) : (
        <Typography.Text type="secondary">无记录</Typography.Text>
      )}
      <div style={{ marginTop: 8 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          来源：{record.provider}
        </Typography.Text>
      </div>
    </Card>
  );
}
