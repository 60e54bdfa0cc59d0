import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, List, Row, Space, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api-client';
import { QueryError } from '../shared/query-error';
import { HotItems } from './hot-items';
import { FACET_KEYS, FACET_NAMES, type FacetName, type SearchResult } from './portal-api';
import { SearchBox } from './search-box';
import './highlight.css';

const PAGE_SIZE = 20;

/** `/search`: words and facet filters live in the URL, so a result list can be shared. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const filters = Object.fromEntries(FACET_KEYS.map((k) => [k, params.getAll(k)])) as Record<
    FacetName,
    string[]
  >;
  const hasFilter = FACET_KEYS.some((k) => filters[k].length > 0);
  const searching = q.trim() !== '' || hasFilter;

  const result = useQuery({
    queryKey: ['public', 'search', q, filters, page],
    queryFn: () => api.get<SearchResult>('/public/search', { q, ...filters, page, pageSize: PAGE_SIZE }),
    enabled: searching,
    placeholderData: keepPreviousData,
  });

  function toggle(name: FacetName, value: string, checked: boolean) {
    const next = new URLSearchParams(params);
    const values = next.getAll(name).filter((v) => v !== value);
    if (checked) values.push(value);
    next.delete(name);
    for (const v of values) next.append(name, v);
    next.delete('page');
    setParams(next);
  }

  function goToPage(p: number) {
    const next = new URLSearchParams(params);
    next.set('page', String(p));
    setParams(next);
  }

  const facets = result.data?.facets ?? {};

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <SearchBox initial={q} />
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={17}>
          <QueryError error={result.error} />
          {searching && (
            <Card size="small" style={{ marginBottom: 16 }}>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {FACET_KEYS.map((name) => {
                  const values = facets[name] ?? [];
                  const selected = filters[name];
                  // Keep chosen values visible even when the server no longer lists them.
                  const shown = [
                    ...values,
                    ...selected
                      .filter((s) => !values.some((v) => v.value === s))
                      .map((value) => ({ value, count: 0 })),
                  ];
                  if (shown.length === 0) return null;
                  return (
                    <Flex key={name} gap={8} wrap align="baseline" data-testid={`facet-${name}`}>
                      <Typography.Text type="secondary" style={{ width: 72, flex: 'none' }}>
                        {FACET_NAMES[name]}
                      </Typography.Text>
                      <Flex wrap gap={4} style={{ flex: 1 }}>
                        {shown.map((v) => (
                          <Tag.CheckableTag
                            key={v.value}
                            checked={selected.includes(v.value)}
                            onChange={(checked) => toggle(name, v.value, checked)}
                          >
                            {v.value}
                            <span style={{ color: '#999', marginInlineStart: 4 }}>{v.count}</span>
                          </Tag.CheckableTag>
                        ))}
                      </Flex>
                    </Flex>
                  );
                })}
              </Space>
            </Card>
          )}
          {!searching ? (
            <Empty description="请输入要查找的事项，或从分类导航中选择" />
          ) : (
            <List
              loading={result.isFetching}
              dataSource={result.data?.items ?? []}
              locale={{ emptyText: <Empty description="没有找到相关事项，换个说法试试" /> }}
              header={
                result.data && (
                  <span data-testid="search-total">
                    {result.data.match === 'any'
                      ? `没有同时包含全部词语的事项；以下 ${result.data.total} 个事项包含其中一部分，包含越多越靠前`
                      : result.data.match === 'fuzzy'
                        ? `没有完全匹配的事项；以下 ${result.data.total} 个事项与输入相近`
                        : `共找到 ${result.data.total} 个事项`}
                  </span>
                )
              }
              pagination={
                (result.data?.total ?? 0) > PAGE_SIZE && {
                  current: page,
                  pageSize: PAGE_SIZE,
                  total: result.data?.total ?? 0,
                  showSizeChanger: false,
                  onChange: goToPage,
                }
              }
              renderItem={(hit) => (
                <List.Item data-testid="search-result">
                  <List.Item.Meta
                    title={
                      <Link to={`/guide/${hit.id}`} data-testid="search-result-link">
                        <span
                          className="gf-highlight"
                          // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the server except <em>
                          dangerouslySetInnerHTML={{ __html: hit.highlight?.title || hit.name }}
                        />
                      </Link>
                    }
                    description={
                      <Space orientation="vertical" size={4}>
                        {hit.highlight?.body && (
                          <Typography.Text type="secondary">
                            <span
                              className="gf-highlight"
                              style={{ whiteSpace: 'pre-line' }}
                              // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the server except <em>
                              dangerouslySetInnerHTML={{ __html: hit.highlight.body }}
                            />
                          </Typography.Text>
                        )}
                        <Space size={4} wrap>
                          <Tag color="blue">{hit.type}</Tag>
                          <Tag>{hit.department}</Tag>
                          {hit.promisedLimit && <Tag color="green">承诺 {hit.promisedLimit}</Tag>}
                          {hit.channels?.map((c) => (
                            <Tag key={c} bordered={false}>
                              {c}
                            </Tag>
                          ))}
                        </Space>
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Col>
        <Col xs={24} lg={7}>
          <HotItems />
        </Col>
      </Row>
    </Space>
  );
}
