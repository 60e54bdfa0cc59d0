import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, Row, Spin, Typography } from 'antd';
import { Link, Navigate } from 'react-router';
import { HOMES } from '../shared/home-kind';
import { meQuery } from '../shared/me-query';
import { HotItems } from './hot-items';
import { SearchBox } from './search-box';

/** `/`: a logged-in account goes to its home; a visitor gets the service search. */
export function PortalLanding() {
  const me = useQuery(meQuery);
  if (me.isPending) {
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (me.data) return <Navigate to={HOMES[me.data.homeKind].path} replace />;

  return (
    <Row gutter={[24, 24]}>
      <Col span={24}>
        <Card>
          <Flex vertical align="center" gap={16} style={{ padding: '32px 0' }}>
            <Typography.Title level={2} style={{ margin: 0 }}>
              查找政务服务事项
            </Typography.Title>
            <Typography.Text type="secondary">办事指南、申请材料、办理时限，一站查询</Typography.Text>
            <SearchBox />
            <Link to="/navigate">
              <Button type="link">按人生事件、主题或部门浏览 →</Button>
            </Link>
          </Flex>
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <HotItems />
      </Col>
    </Row>
  );
}
