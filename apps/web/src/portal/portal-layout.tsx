import { LoginOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { HOMES } from '../shared/home-kind';
import { meQuery } from '../shared/me-query';

const MENU = [
  { key: '/', label: '首页' },
  { key: '/search', label: '事项搜索' },
  { key: '/navigate', label: '分类导航' },
];

/** Frame of the public portal pages: open to visitors, with a login button in the header. */
export function PortalLayout() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // Visitors get 401 here; that only decides between the login button and the account link.
  const me = useQuery(meQuery);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
        <Link to="/">
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            GovFlow 一网通办
          </Typography.Title>
        </Link>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[pathname]}
          items={MENU}
          onClick={({ key }) => navigate(key)}
          style={{ flex: 1, minWidth: 0 }}
        />
        {me.data ? (
          <Button ghost icon={<UserOutlined />} onClick={() => navigate(HOMES[me.data.homeKind].path)}>
            {me.data.displayName}
          </Button>
        ) : (
          <Space>
            <Button
              type="primary"
              icon={<LoginOutlined />}
              onClick={() => navigate('/login')}
              data-testid="portal-login"
            >
              登录
            </Button>
          </Space>
        )}
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#999' }}>
        GovFlow 政务服务与行权管控平台
      </Layout.Footer>
    </Layout>
  );
}
