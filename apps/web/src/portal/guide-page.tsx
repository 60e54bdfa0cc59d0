import { ITEM_TYPES, type ItemType } from '@govflow/shared';
import { useQuery } from '@tanstack/react-query';
import {
  Breadcrumb,
  Card,
  Collapse,
  Descriptions,
  type DescriptionsProps,
  Empty,
  Grid,
  List,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../shared/api-client';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { HowToApply } from './guide-how-to-apply';
import { GuideMaterials } from './guide-materials';
import { NotFoundPage } from './not-found-page';
import type { Guide } from './portal-api';

/** Shown in 如何办理 rather than among the elements. */
const IN_HOW_TO_APPLY = new Set(['channels', 'visits', 'placeAndHours', 'phones']);

const LONG_VALUE = 24;

/**
 * The elements as Descriptions items, two to a row on wide screens: a long value takes a row of its
 * own (the short one before it fills its row), so short values beside each other keep their width.
 */
function elementItems(elements: Guide['elements']): DescriptionsProps['items'] {
  return elements.map((e, index) => {
    const long = e.value.length > LONG_VALUE;
    const next = elements[index + 1];
    const beforeLong = !long && next !== undefined && next.value.length > LONG_VALUE;
    // Whether this short element opens its row: count the short ones since the last long one.
    let shortBefore = 0;
    for (let i = index - 1; i >= 0 && elements[i].value.length <= LONG_VALUE; i--) shortBefore++;
    const opensRow = shortBefore % 2 === 0;
    return {
      key: e.key,
      label: e.title,
      span: long ? { xs: 1, md: 2 } : beforeLong && opensRow ? 'filled' : 1,
      children: (
        <span data-testid={`guide-element-${e.key}`} style={{ whiteSpace: 'pre-wrap' }}>
          {e.value}
        </span>
      ),
    };
  });
}

/** `/guide/:id`: the public service guide (办事指南) of a published item. */
export function GuidePage() {
  const { id = '' } = useParams();
  const screens = Grid.useBreakpoint();
  // Until the first measurement, assume a wide screen (as antd's grid does).
  const narrow = screens.md === false;
  const tableFits = screens.lg !== false;
  const guide = useQuery({
    queryKey: ['public', 'guide', id],
    queryFn: () => api.get<Guide>(`/public/items/${encodeURIComponent(id)}/guide`),
  });

  if (guide.isPending) return <Spin />;
  if (guide.error instanceof ApiError && guide.error.status === 404)
    return <NotFoundPage title="没有找到这个事项" subTitle="它可能已被取消或尚未公开，也可能是链接有误。" />;
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
      <HowToApply how={g.howToApply} narrow={narrow} />
      <Card title="基本信息">
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2 }}
          layout={narrow ? 'vertical' : 'horizontal'}
          styles={{ label: { whiteSpace: 'nowrap' }, content: { overflowWrap: 'anywhere' } }}
          items={elementItems(g.elements.filter((e) => !IN_HOW_TO_APPLY.has(e.key)))}
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
        <GuideMaterials materials={g.materials} narrow={!tableFits} />
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
                <Space wrap size={[8, 2]}>
                  <Link to={`/guide/${encodeURIComponent(r.id)}`}>{r.name}</Link>
                  <Tag>{ITEM_TYPES[r.type as ItemType]?.zh ?? r.type}</Tag>
                  <Typography.Text type="secondary">{r.department}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}
