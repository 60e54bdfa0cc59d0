import { Button, Card, Flex, Typography } from 'antd';
import { Link } from 'react-router';
import { SearchBox } from './search-box';

/**
 * Finding the service to apply for: the portal's landing for visitors, and the top of a citizen's
 * home (smaller there).
 */
export function PortalSearchCard({ size = 'compact' }: { size?: 'hero' | 'compact' }) {
  const hero = size === 'hero';
  return (
    <Card>
      <Flex vertical align="center" gap={hero ? 16 : 12} style={{ padding: hero ? '32px 0' : '16px 0' }}>
        <Typography.Title level={hero ? 2 : 4} style={{ margin: 0 }}>
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
