import { AppstoreOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useMe } from '../shared/auth-context';
import { HOMES } from '../shared/home-kind';
import { ACCOUNT_PATH, navItemsFor } from '../shared/nav-items';

/** The pages this account's permissions open, one click from home (the side menu's entries). */
export function ShortcutsCard() {
  const me = useMe();
  const navigate = useNavigate();
  const items = navItemsFor(me).filter(
    (item) => item.path !== HOMES[me.homeKind].path && item.path !== ACCOUNT_PATH,
  );
  return (
    <Card
      title={
        <Space>
          <AppstoreOutlined />
          常用功能
        </Space>
      }
    >
      {items.length === 0 && (
        <Typography.Text type="secondary">
          您的岗位尚未授予角色，暂无可用功能。角色由安全管理员授予，授予后刷新页面即可使用。
        </Typography.Text>
      )}
      <Row gutter={[8, 8]}>
        {items.map((item) => (
          <Col key={item.path} xs={12} md={8}>
            <Button block icon={item.icon} onClick={() => navigate(item.path)}>
              {item.label}
            </Button>
          </Col>
        ))}
      </Row>
    </Card>
  );
}
