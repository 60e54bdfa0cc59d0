import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, api } from './api-client';
import { HOMES } from './home-kind';
import { meQuery } from './me-query';

/** What a page sending the user to /login may say why (the session expired, with the server's hint). */
export interface LoginPageState {
  notice?: { message: string; hint?: string };
}

/** The state to go to /login with after `error`: an expired session is explained there. */
export function loginStateAfter(error: ApiError): LoginPageState | undefined {
  return error.code === 'SESSION_EXPIRED'
    ? { notice: { message: error.message, hint: error.hint } }
    : undefined;
}

interface Credentials {
  username: string;
  password: string;
  totp?: string;
}

export function LoginPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [totpRequired, setTotpRequired] = useState(false);
  const notice = (useLocation().state as LoginPageState | null)?.notice;

  const login = useMutation({
    mutationFn: async (credentials: Credentials) => {
      await api.post('/auth/login', credentials);
      // The home page depends on the account, so ask the server who we are now.
      queryClient.removeQueries();
      return queryClient.fetchQuery(meQuery);
    },
    onSuccess: (me) => navigate(HOMES[me.homeKind].path, { replace: true }),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'TOTP_REQUIRED') setTotpRequired(true);
    },
  });

  const error = login.error;
  const askingForTotp = error instanceof ApiError && error.code === 'TOTP_REQUIRED';

  return (
    <Flex justify="center" align="center" style={{ minHeight: '100vh', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ textAlign: 'center' }}>
          GovFlow 一网通办
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          政务服务与行权管控平台
        </Typography.Paragraph>
        {notice && !error && (
          <Alert
            type="warning"
            showIcon
            title={<span data-testid="login-notice">{notice.message}</span>}
            description={notice.hint && <span data-testid="login-notice-hint">{notice.hint}</span>}
            style={{ marginBottom: 16 }}
          />
        )}
        {error &&
          (askingForTotp ? (
            <Alert
              type="info"
              showIcon
              title="请输入身份验证器中的 6 位动态码"
              style={{ marginBottom: 16 }}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={<span data-testid="login-error">{error.message}</span>}
              description={error instanceof ApiError ? error.hint : undefined}
              style={{ marginBottom: 16 }}
            />
          ))}
        <Form<Credentials> layout="vertical" onFinish={(values) => login.mutate(values)} requiredMark={false}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          {totpRequired && (
            <Form.Item
              name="totp"
              label="动态验证码"
              rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字动态码' }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                maxLength={6}
                inputMode="numeric"
                autoComplete="one-time-code"
                autoFocus
                data-testid="login-totp"
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            登录
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
