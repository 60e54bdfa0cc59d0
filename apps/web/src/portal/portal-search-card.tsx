import { Button, Card, Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { SearchBox } from './search-box';

/** A citizen's home starts where the portal does: finding the service to apply for. */
export function PortalSearchCard() {
  return (
    <Card>
      <Flex vertical align="center" gap={12} style={{ padding: '16px 0' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          查找政务服务事项
        </Typography.Title>
        <Typography.Text type="secondary">办事指南、申请材料、办理时限，一站查询</Typography.Text>
        <SearchBox />
        <Link to="/navigate">
          <Button type="link">按人生事件、主题或部门浏览 →</Button>
        </Link>
      </Flex>
    </Card>
  );
}
