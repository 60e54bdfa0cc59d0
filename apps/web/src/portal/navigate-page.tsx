import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, Row, Spin, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api } from '../shared/api-client';
import { QueryError } from '../shared/query-error';
import { HotItems } from './hot-items';
import type { FacetName, FacetValue, Navigation } from './portal-api';

/** One axis: its values as tags, each opening the search filtered by that value. */
function Axis({ title, facet, values }: { title: string; facet: FacetName; values: FacetValue[] }) {
  return (
    <Card size="small" title={title} style={{ marginBottom: 16 }}>
      {values.length === 0 ? (
        <Typography.Text type="secondary">暂无</Typography.Text>
      ) : (
        <Flex wrap gap={8}>
          {values.map((v) => (
            <Link key={v.value} to={`/search?${new URLSearchParams({ [facet]: v.value }).toString()}`}>
              <Tag color="blue" style={{ cursor: 'pointer', padding: '2px 10px' }} data-testid="nav-value">
                {v.value} <span style={{ color: '#999' }}>{v.count}</span>
              </Tag>
            </Link>
          ))}
        </Flex>
      )}
    </Card>
  );
}

/** `/navigate`: browse the catalogue by life event, target group, theme, company axes and department. */
export function NavigatePage() {
  const nav = useQuery({
    queryKey: ['public', 'navigation'],
    queryFn: () => api.get<Navigation>('/public/navigation'),
    staleTime: 300_000,
  });
  const data = nav.data;

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={17}>
        <QueryError error={nav.error} />
        {nav.isPending ? (
          <Spin />
        ) : !data ? (
          <Empty />
        ) : (
          <Card>
            <Tabs
              items={[
                {
                  key: 'persons',
                  label: '个人办事',
                  children: (
                    <>
                      <Axis title="按人生事件" facet="lifeEvent" values={data.persons?.lifeEvent ?? []} />
                      <Axis title="按特定人群" facet="targetGroup" values={data.persons?.targetGroup ?? []} />
                      <Axis title="按主题" facet="theme" values={data.persons?.theme ?? []} />
                    </>
                  ),
                },
                {
                  key: 'companies',
                  label: '法人办事',
                  children: (
                    <>
                      <Axis
                        title="按经营活动"
                        facet="businessActivity"
                        values={data.companies?.businessActivity ?? []}
                      />
                      <Axis
                        title="按企业类型"
                        facet="enterpriseType"
                        values={data.companies?.enterpriseType ?? []}
                      />
                      <Axis title="按主题" facet="theme" values={data.companies?.theme ?? []} />
                    </>
                  ),
                },
                {
                  key: 'departments',
                  label: '部门办事',
                  children: <Axis title="按实施部门" facet="department" values={data.departments ?? []} />,
                },
              ]}
            />
          </Card>
        )}
      </Col>
      <Col xs={24} lg={7}>
        <HotItems />
      </Col>
    </Row>
  );
}
