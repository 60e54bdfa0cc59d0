import { LoginOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Grid, Layout, Menu, Space, Typography } from 'antd';
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
  // On a phone the brand shortens and the paddings shrink, so the three menu entries keep their room.
  const narrow = !Grid.useBreakpoint().md;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: narrow ? 4 : 24,
          padding: narrow ? '0 8px' : undefined,
        }}
      >
        <Link to="/">
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            {narrow ? '一网通办' : 'GovFlow 一网通办'}
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
          <Button
            ghost
            size={narrow ? 'small' : 'middle'}
            icon={<UserOutlined />}
            onClick={() => navigate(HOMES[me.data.homeKind].path)}
          >
            {me.data.displayName}
          </Button>
        ) : (
          <Space>
            <Button
              type="primary"
              size={narrow ? 'small' : 'middle'}
              icon={narrow ? undefined : <LoginOutlined />}
              onClick={() => navigate('/login')}
              data-testid="portal-login"
            >
              登录
            </Button>
          </Space>
        )}
      </Layout.Header>
      <Layout.Content style={{ padding: narrow ? 12 : 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
      <Layout.Footer style={{ textAlign: 'center', color: '#999' }}>
        GovFlow 政务服务与行权管控平台
      </Layout.Footer>
    </Layout>
  );
}
