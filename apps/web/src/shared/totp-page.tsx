import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, QRCode, Result, Space, Steps, Typography } from 'antd';
import { api } from './api-client';
import type { TotpEnrolment } from './api-types';
import { useMe } from './auth-context';
import { meQuery } from './me-query';

/** Enrols an authenticator app (TOTP): the server issues a secret, the user proves it with one code. */
export function TotpPage() {
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const enrol = useMutation({
    mutationFn: (password: string) => api.post<TotpEnrolment>('/me/totp/enroll', { password }),
  });
  const confirm = useMutation({
    mutationFn: (code: string) => api.post<void>('/me/totp/confirm', { code }),
    onSuccess: () => {
      message.success('两步验证已启用');
      queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });

  if (me.totpEnrolled) {
    return (
      <div>
        <Result
          status="success"
          title="两步验证已启用"
          subTitle="登录时除密码外还需输入身份验证器中的 6 位动态码。"
        />
      </div>
    );
  }

  const enrolment = enrol.data;
  return (
    <div>
      <Steps
        current={enrolment ? 1 : 0}
        items={[{ title: '生成密钥' }, { title: '扫码并输入动态码' }, { title: '完成' }]}
        style={{ marginBottom: 24 }}
      />
      {enrol.error && (
        <Alert type="error" showIcon title={enrol.error.message} style={{ marginBottom: 16 }} />
      )}
      {!enrolment ? (
        <Space orientation="vertical">
          <Typography.Paragraph>
            启用两步验证后，登录时除密码外还需输入身份验证器（如 FreeOTP、Google
            Authenticator、微信小程序“腾讯身份验证器”）生成的动态码。
          </Typography.Paragraph>
          <Form layout="inline" onFinish={({ password }: { password: string }) => enrol.mutate(password)}>
            <Form.Item name="password" rules={[{ required: true, message: '请再次输入登录密码' }]}>
              <Input.Password
                placeholder="登录密码"
                autoComplete="current-password"
                data-testid="totp-password"
              />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={enrol.isPending} data-testid="totp-start">
                开始绑定
              </Button>
            </Form.Item>
          </Form>
        </Space>
      ) : (
        <Space align="start" size="large" wrap>
          <QRCode value={enrolment.otpauthUrl} size={180} />
          <Space orientation="vertical" style={{ maxWidth: 480 }}>
            <Typography.Text>用身份验证器扫描二维码，或手动输入密钥：</Typography.Text>
            <Typography.Text code copyable data-testid="totp-secret">
              {enrolment.secret}
            </Typography.Text>
            <Typography.Text
              type="secondary"
              copyable={{ text: enrolment.otpauthUrl }}
              style={{ wordBreak: 'break-all' }}
            >
              {enrolment.otpauthUrl}
            </Typography.Text>
            {confirm.error && <Alert type="error" showIcon title={confirm.error.message} />}
            <Form layout="inline" onFinish={({ code }: { code: string }) => confirm.mutate(code)}>
              <Form.Item
                name="code"
                rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字动态码' }]}
              >
                <Input
                  placeholder="6 位动态码"
                  maxLength={6}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  data-testid="totp-code"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={confirm.isPending} data-testid="totp-confirm">
                确认启用
              </Button>
            </Form>
          </Space>
        </Space>
      )}
    </div>
  );
}
