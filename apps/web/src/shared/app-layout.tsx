import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Grid, Layout, Menu, Space, Typography } from 'antd';
import { useState } from 'react';
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
  // On a phone the brand shortens, the buttons keep only their icons, and the menu folds away
  // after each choice (its tab at the left edge opens it again).
  const narrow = !Grid.useBreakpoint().md;
  const [menuFolded, setMenuFolded] = useState<boolean | undefined>(undefined);
  // The longest menu path that prefixes the current path is the selected entry.
  const selected = items
    .map((item) => item.path)
    .filter((path) => pathname === path || pathname.startsWith(`${path}/`))
    .sort((a, b) => b.length - a.length)[0];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          padding: narrow ? '0 12px' : undefined,
        }}
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {narrow ? '一网通办' : 'GovFlow 一网通办'}
        </Typography.Title>
        <Space size={narrow ? 'small' : 'middle'}>
          <Link to={ACCOUNT_PATH} title="我的账号" style={{ color: '#fff', whiteSpace: 'nowrap' }}>
            <Space size={4}>
              <UserOutlined />
              <span data-testid="current-user">{me.displayName}</span>
            </Space>
          </Link>
          <Button
            ghost
            icon={<KeyOutlined />}
            title="修改密码"
            aria-label="修改密码"
            onClick={() => navigate(`${ACCOUNT_PATH}/password`)}
          >
            {narrow ? null : '修改密码'}
          </Button>
          <Button
            ghost
            icon={<LogoutOutlined />}
            title="退出"
            aria-label="退出"
            loading={logout.isPending}
            onClick={() => logout.mutate()}
            data-testid="logout"
          >
            {narrow ? null : '退出'}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider
          width={200}
          theme="light"
          breakpoint="lg"
          collapsedWidth={0}
          collapsed={menuFolded}
          onCollapse={setMenuFolded}
        >
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={items.map((item) => ({ key: item.path, icon: item.icon, label: item.label }))}
            onClick={({ key }) => {
              navigate(key);
              if (narrow) setMenuFolded(true);
            }}
            style={{ height: '100%', borderInlineEnd: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
