import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Space, Typography } from 'antd';
import { useLogout } from './auth-context';
import { PasswordFields, useChangePassword } from './change-password';
import { meQuery } from './me-query';

/**
 * An account whose password an administrator chose sees only this page until it sets its own:
 * the server refuses everything else (PASSWORD_CHANGE_REQUIRED) meanwhile.
 */
export function FirstPasswordPage({ displayName, username }: { displayName: string; username: string }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const change = useChangePassword(() => {
    message.success('密码已修改，请使用新密码登录其他设备');
    queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
  });

  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Card style={{ width: 420 }} data-testid="first-password">
        <Typography.Title level={4}>首次登录，请修改密码</Typography.Title>
        <Typography.Paragraph type="secondary">
          {displayName}
          ，您的初始密码由管理员设置。为保证只有您本人知道密码，请先设置新密码，之后才能使用系统。
        </Typography.Paragraph>
        <PasswordFields
          form={form}
          username={username}
          error={change.error}
          onFinish={(values) => change.mutate(values)}
          currentLabel="初始密码"
        />
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Button onClick={() => logout.mutate()} loading={logout.isPending}>
            退出登录
          </Button>
          <Button
            type="primary"
            onClick={() => form.submit()}
            loading={change.isPending}
            data-testid="password-submit"
          >
            修改密码并进入系统
          </Button>
        </Space>
      </Card>
    </Flex>
  );
}
