import { ITEM_TYPES, type ItemType } from '@govflow/shared';
import { useQuery } from '@tanstack/react-query';
import {
  Breadcrumb,
  Card,
  Collapse,
  Descriptions,
  Empty,
  List,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';
import { api } from '../shared/api-client';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import type { Guide, GuideMaterial } from './portal-api';

const COMMON = '通用（所有申请人）';

/** Materials ordered common first, then by scenario, with the scenario cell spanning its group. */
function groupedMaterials(materials: GuideMaterial[]) {
  const groups = new Map<string, GuideMaterial[]>();
  for (const m of materials) {
    const group = m.scenario ?? COMMON;
    groups.set(group, [...(groups.get(group) ?? []), m]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === COMMON ? -1 : b === COMMON ? 1 : 0));
  return ordered.flatMap(([group, rows]) =>
    rows.map((m, index) => ({ ...m, group, groupSpan: index === 0 ? rows.length : 0 })),
  );
}

/** `/guide/:id`: the public service guide (办事指南) of a published item. */
export function GuidePage() {
  const { id = '' } = useParams();
  const guide = useQuery({
    queryKey: ['public', 'guide', id],
    queryFn: () => api.get<Guide>(`/public/items/${encodeURIComponent(id)}/guide`),
  });

  if (guide.isPending) return <Spin />;
  if (!guide.data) return <QueryError error={guide.error} />;
  const g = guide.data;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/search">事项搜索</Link> },
          { title: g.name },
        ]}
      />
      <Card>
        <Typography.Title level={3} data-testid="guide-title" style={{ marginTop: 0 }}>
          {g.name}
        </Typography.Title>
        <Typography.Text type="secondary">
          第 {g.versionNo} 版{g.publishedAt && `，发布于 ${formatTime(g.publishedAt)}`}
        </Typography.Text>
      </Card>
      <Card title="基本信息">
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          items={g.elements.map((e) => ({
            key: e.key,
            label: e.title,
            span: e.value.length > 40 ? 'filled' : 1,
            children: (
              <span data-testid={`guide-element-${e.key}`} style={{ whiteSpace: 'pre-wrap' }}>
                {e.value}
              </span>
            ),
          }))}
        />
      </Card>
      {g.scenarios.length > 0 && (
        <Card title="办理情形">
          <List
            size="small"
            dataSource={g.scenarios}
            renderItem={(s) => (
              <List.Item>
                <List.Item.Meta title={s.name} description={s.description || undefined} />
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card title="申请材料">
        <Table
          data-testid="guide-materials"
          rowKey={(m) => `${m.group}/${m.key}`}
          size="small"
          pagination={false}
          bordered
          scroll={{ x: 'max-content' }}
          dataSource={groupedMaterials(g.materials)}
          locale={{ emptyText: '无需提交材料' }}
          columns={[
            {
              title: '适用情形',
              dataIndex: 'group',
              onCell: (m) => ({ rowSpan: m.groupSpan }),
            },
            { title: '材料名称', dataIndex: 'name' },
            {
              title: '要求',
              dataIndex: 'required',
              render: (required: boolean, m) => (
                <Space size={2} wrap>
                  {required ? <Tag color="red">必要</Tag> : <Tag>非必要</Tag>}
                  {m.deferrable && <Tag color="orange">可容缺</Tag>}
                  {m.waivable && <Tag color="green">可免提交</Tag>}
                </Space>
              ),
            },
            { title: '材料形式', dataIndex: 'form' },
            { title: '份数', dataIndex: 'copies' },
            { title: '来源渠道', dataIndex: 'source' },
            { title: '受理标准', dataIndex: 'acceptanceStandard', render: (t: string) => t || '—' },
            {
              title: '样表',
              dataIndex: 'sampleUrl',
              render: (url: string | null) =>
                url ? (
                  <a href={url} target="_blank" rel="noreferrer">
                    下载
                  </a>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      <Card title="受理条件">
        {g.conditions.length === 0 ? (
          <Empty description="无特别条件" />
        ) : (
          <List
            size="small"
            dataSource={g.conditions}
            renderItem={(c, index) => (
              <List.Item data-testid="guide-condition">
                <Space wrap>
                  <span>
                    {index + 1}. {c.text}
                  </span>
                  {c.required ? <Tag color="red">必须</Tag> : <Tag>可选</Tag>}
                  {c.scenario && <Tag color="blue">{c.scenario}</Tag>}
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card title="收费标准">
        {g.fees.length === 0 ? (
          <Typography.Text>不收费</Typography.Text>
        ) : (
          <List size="small" dataSource={g.fees} renderItem={(f) => <List.Item>{f.text}</List.Item>} />
        )}
      </Card>
      {g.faq.length > 0 && (
        <Card title="常见问题">
          <Collapse items={g.faq.map((f, index) => ({ key: String(index), label: f.q, children: f.a }))} />
        </Card>
      )}
      {g.related && g.related.length > 0 && (
        <Card title="相关事项">
          <List
            data-testid="guide-related"
            size="small"
            dataSource={g.related}
            renderItem={(r) => (
              <List.Item>
                <Space wrap>
                  <Link to={`/guide/${encodeURIComponent(r.id)}`}>{r.name}</Link>
                  <Tag>{ITEM_TYPES[r.type as ItemType]?.zh ?? r.type}</Tag>
                  <Typography.Text type="secondary">{r.catalogCode}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}
