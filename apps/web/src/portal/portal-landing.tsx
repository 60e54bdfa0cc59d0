import { useQuery } from '@tanstack/react-query';
import { Col, Flex, Row, Spin } from 'antd';
import { Navigate } from 'react-router';
import { HOMES } from '../shared/home-kind';
import { meQuery } from '../shared/me-query';
import { HotItems } from './hot-items';
import { PortalSearchCard } from './portal-search-card';

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
        <PortalSearchCard size="hero" />
      </Col>
      <Col xs={24} md={12}>
        <HotItems />
      </Col>
    </Row>
  );
}
