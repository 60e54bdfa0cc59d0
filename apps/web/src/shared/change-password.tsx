import { checkPasswordPolicy } from '@govflow/shared';
import { useMutation } from '@tanstack/react-query';
import { Alert, Form, type FormInstance, Input } from 'antd';
import { api } from './api-client';

export interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Changing the password revokes every session; the server sets a fresh cookie for this one. */
export function useChangePassword(onSuccess: () => void) {
  return useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordForm) =>
      api.post<void>('/me/password', { currentPassword, newPassword }),
    onSuccess,
  });
}

/** The three fields and their checks, shared by 我的账号 and the first-login page. */
export function PasswordFields({
  form,
  error,
  onFinish,
  currentLabel = '当前密码',
  username,
}: {
  form: FormInstance<PasswordForm>;
  error: Error | null;
  onFinish: (values: PasswordForm) => void;
  currentLabel?: string;
  /** The account's own username, which the new password may not contain. */
  username: string;
}) {
  return (
    <>
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item
          name="currentPassword"
          label={currentLabel}
          rules={[{ required: true, message: `请输入${currentLabel}` }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，不含用户名"
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: async (_, value: string | undefined) => {
                if (!value) return;
                const verdict = checkPasswordPolicy(value, username);
                if (!verdict.ok) throw new Error(verdict.reason);
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword'))
                  throw new Error('两次输入的新密码不一致');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
      </Form>
    </>
  );
}
