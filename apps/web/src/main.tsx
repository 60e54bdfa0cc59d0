import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'antd/dist/reset.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { PUBLIC_ROUTE_ID, router } from './router';
import { ApiError, setSessionGoneHandler } from './shared/api-client';
import { loginStateAfter } from './shared/login-page';

dayjs.locale('zh-cn');

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change on retry; only transient failures are worth a second try.
      retry: (failureCount, error) => failureCount < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

setSessionGoneHandler((error) => {
  const { pathname } = router.state.location;
  // Visitors may stay on the public pages (the portal and its not-found page), which ask "who am I"
  // only to show the login button.
  const onPublicPage = router.state.matches.some((m) => m.route.id === PUBLIC_ROUTE_ID);
  if (pathname === '/login' || onPublicPage) return;
  queryClient.clear();
  void router.navigate('/login', { replace: true, state: loginStateAfter(error) });
});

// People who asked their system for less motion get none: dialogs and menus appear at once.
const prefersReducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: { motion: !prefersReducedMotion } }}>
      <AntdApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  </StrictMode>,
);
