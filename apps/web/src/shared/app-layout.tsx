import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useMe } from './auth-context';
import { ACCOUNT_PATH, navItemsFor } from './nav-items';

/** Frame of every page after login: brand and account in the header, menu at the side. */
export function AppLayout() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items = navItemsFor(me);
  // The longest menu path that prefixes the current path is the selected entry.
  const selected = items
    .map((item) => item.path)
    .filter((path) => pathname === path || pathname.startsWith(`${path}/`))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          GovFlow 一网通办
        </Typography.Title>
        <Space size="middle">
          <Link to={ACCOUNT_PATH} title="我的账号" style={{ color: '#fff' }}>
            <Space>
              <UserOutlined />
              <span data-testid="current-user">{me.displayName}</span>
            </Space>
          </Link>
          <Button ghost icon={<KeyOutlined />} onClick={() => navigate(`${ACCOUNT_PATH}/password`)}>
            修改密码
          </Button>
          <Button
            ghost
            icon={<LogoutOutlined />}
            loading={logout.isPending}
            onClick={() => logout.mutate()}
            data-testid="logout"
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items.map((item) => ({ key: item.path, icon: item.icon, label: item.label }))}
            onClick={({ key }) => navigate(key)}
            style={{ height: '100%', borderInlineEnd: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
