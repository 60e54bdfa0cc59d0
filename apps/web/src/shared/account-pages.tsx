import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Tabs } from 'antd';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useMe } from './auth-context';
import { PasswordFields, type PasswordForm, useChangePassword } from './change-password';
import { ProfileCard } from './profile-card';

/** The pages of "我的账号", the same for citizens and staff; two-step verification is for staff. */
export const ACCOUNT_PAGES: { path: string; label: string; staffOnly?: boolean }[] = [
  { path: '/account', label: '基本信息' },
  { path: '/account/password', label: '修改密码' },
  { path: '/account/sessions', label: '我的会话' },
  { path: '/account/totp', label: '两步验证', staffOnly: true },
];

/** The frame of "我的账号": one tab a page, the tab in the URL. */
export function AccountLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const pages = ACCOUNT_PAGES.filter((p) => !p.staffOnly || me.kind === 'staff');
  return (
    <Card title="我的账号">
      <Tabs
        activeKey={pathname}
        onChange={(key) => navigate(key)}
        items={pages.map((p) => ({ key: p.path, label: p.label }))}
      />
      <Outlet />
    </Card>
  );
}

export function ProfilePanel() {
  return <ProfileCard />;
}

/** Changing the password: every other session ends; this one stays. */
export function PasswordPanel() {
  const me = useMe();
  const [form] = Form.useForm<PasswordForm>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const change = useChangePassword(() => {
    message.success('密码已修改，其他设备上的会话已全部退出');
    form.resetFields();
    queryClient.invalidateQueries({ queryKey: ['sessions'] });
  });
  return (
    <div style={{ maxWidth: 480 }}>
      <PasswordFields
        form={form}
        username={me.username}
        error={change.error}
        onFinish={(values) => change.mutate(values)}
      />
      <Button
        type="primary"
        loading={change.isPending}
        onClick={() => form.submit()}
        data-testid="password-submit"
      >
        确认修改
      </Button>
    </div>
  );
}
