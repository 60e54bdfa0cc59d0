import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Result, Spin } from 'antd';
import { createContext, type ReactNode, useContext } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, api } from './api-client';
import type { Me } from './api-types';
import { FirstPasswordPage } from './first-password-page';
import { loginStateAfter } from './login-page';
import { meQuery } from './me-query';

const MeContext = createContext<Me | null>(null);

/**
 * Renders its children only for a logged-in account; anyone else goes to /login, and an account
 * that must still change its first password sees only that form.
 */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { data: me, error, isPending, refetch } = useQuery(meQuery);

  if (isPending) {
    return (
      <Flex justify="center" align="center" style={{ minHeight: '100vh' }}>
        <Spin size="large" />
      </Flex>
    );
  }
  if (error) {
    if (error instanceof ApiError && error.status === 401) {
      return <Navigate to="/login" replace state={loginStateAfter(error)} />;
    }
    return (
      <Result
        status="error"
        title="无法获取当前用户"
        subTitle={error.message}
        extra={<Button onClick={() => refetch()}>重试</Button>}
      />
    );
  }
  // Before anything else, an account whose password an administrator chose sets its own.
  if (me.mustChangePassword) return <FirstPasswordPage displayName={me.displayName} username={me.username} />;
  return <MeContext value={me}>{children}</MeContext>;
}

/** The logged-in account; only valid below RequireLogin. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() used outside RequireLogin');
  return me;
}

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      queryClient.clear();
      navigate('/login', { replace: true });
    },
  });
}
