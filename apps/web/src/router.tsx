import { createBrowserRouter, Navigate } from 'react-router';
import { AdminHome } from './admin/admin-home';
import { AuditPage } from './admin/audit-page';
import { PortalHome } from './portal/portal-home';
import { HomeRedirect, RequireHomeKind, RequirePermission, RequireStaff } from './shared/access-guards';
import { AppLayout } from './shared/app-layout';
import { RequireLogin } from './shared/auth-context';
import { LoginPage } from './shared/login-page';
import { RouteError } from './shared/route-error';
import { SessionsPage } from './shared/sessions-page';
import { TotpPage } from './shared/totp-page';
import { OrgTreePage } from './workbench/org-tree-page';
import { WorkbenchHome } from './workbench/workbench-home';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    errorElement: <RouteError />,
    element: (
      <RequireLogin>
        <AppLayout />
      </RequireLogin>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'portal',
        element: (
          <RequireHomeKind kind="citizen">
            <PortalHome />
          </RequireHomeKind>
        ),
      },
      {
        path: 'workbench',
        element: (
          <RequireHomeKind kind="staff">
            <WorkbenchHome />
          </RequireHomeKind>
        ),
      },
      {
        path: 'workbench/orgs',
        element: (
          <RequirePermission permission="org:read">
            <OrgTreePage />
          </RequirePermission>
        ),
      },
      {
        path: 'admin',
        element: (
          <RequireHomeKind kind="admin">
            <AdminHome />
          </RequireHomeKind>
        ),
      },
      {
        path: 'admin/audit',
        element: (
          <RequirePermission permission="audit:read">
            <AuditPage />
          </RequirePermission>
        ),
      },
      { path: 'account/sessions', element: <SessionsPage /> },
      {
        path: 'account/totp',
        element: (
          <RequireStaff>
            <TotpPage />
          </RequireStaff>
        ),
      },
      { path: '*', element: <Navigate to="/" replace /> },
    ],
  },
]);
