import { KeyOutlined, LaptopOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, type DescriptionsProps, Space, Tag } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { ACCOUNT_PAGES } from './account-pages';
import { useMe } from './auth-context';

/** "我的账号" on every home: who is logged in (personal data masked) and the account's own pages. */
export function AccountSummaryCard() {
  const me = useMe();
  const navigate = useNavigate();
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: '姓名', children: me.displayName },
    { key: 'username', label: '用户名', children: me.username },
  ];
  if (me.person) items.push({ key: 'id', label: '身份证号', children: me.person.idNumberMasked });
  if (me.phoneMasked) items.push({ key: 'phone', label: '手机号', children: me.phoneMasked });
  if (me.posts.length > 0) {
    items.push({
      key: 'posts',
      label: '岗位',
      children: (
        <Space size={[4, 4]} wrap>
          {me.posts.map((p) => (
            <Tag key={p.id}>
              {p.orgName}
              {p.roleName ? ` · ${p.roleName}` : ''}
            </Tag>
          ))}
        </Space>
      ),
    });
  }
  if (me.kind === 'staff') {
    items.push({
      key: 'totp',
      label: '两步验证',
      children: me.totpEnrolled ? <Tag color="green">已启用</Tag> : <Tag>未启用</Tag>,
    });
  }
  const pages = ACCOUNT_PAGES.filter((p) => p.path !== '/account' && (!p.staffOnly || me.kind === 'staff'));
  const icons: Record<string, ReactNode> = {
    '/account/password': <KeyOutlined />,
    '/account/sessions': <LaptopOutlined />,
    '/account/totp': <SafetyOutlined />,
  };

  return (
    <Card
      title={
        <Space>
          <UserOutlined />
          我的账号
        </Space>
      }
      extra={
        <Link to="/account" data-testid="account-link">
          账号设置
        </Link>
      }
    >
      <Descriptions column={1} size="small" items={items} />
      <Space wrap style={{ marginTop: 12 }}>
        {pages.map((p) => (
          <Button key={p.path} icon={icons[p.path]} onClick={() => navigate(p.path)}>
            {p.label}
          </Button>
        ))}
      </Space>
    </Card>
  );
}
