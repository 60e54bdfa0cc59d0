import { createBrowserRouter } from 'react-router';
import { AccountsPage } from './admin/accounts-page';
import { AdminHome } from './admin/admin-home';
import { AuditPage } from './admin/audit-page';
import { RolesPage } from './admin/roles-page';
import { AccessRequestsPage } from './datahub/access-requests-page';
import { AppsPage } from './datahub/apps-page';
import { CallLogPage } from './datahub/call-log-page';
import { MonitorPage } from './datahub/monitor-page';
import { ProofQueryPage } from './datahub/proof-query-page';
import { ResourcesPage } from './datahub/resources-page';
import { GuidePage } from './portal/guide-page';
import { NavigatePage } from './portal/navigate-page';
import { NotFoundPage } from './portal/not-found-page';
import { PortalHome } from './portal/portal-home';
import { PortalLanding } from './portal/portal-landing';
import { PortalLayout } from './portal/portal-layout';
import { SearchPage } from './portal/search-page';
import { HomeRedirect, RequireHomeKind, RequirePermission, RequireStaff } from './shared/access-guards';
import { AccountLayout, PasswordPanel, ProfilePanel } from './shared/account-pages';
import { AppLayout } from './shared/app-layout';
import { RequireLogin } from './shared/auth-context';
import { LoginPage } from './shared/login-page';
import { ADMINISTRATORS_ONLY, isAdministrator } from './shared/nav-items';
import { RouteError } from './shared/route-error';
import { SessionsPage } from './shared/sessions-page';
import { TotpPage } from './shared/totp-page';
import { CatalogImportPage } from './workbench/catalog/catalog-import-page';
import { CatalogItemPage } from './workbench/catalog/catalog-item-page';
import { CatalogListPage } from './workbench/catalog/catalog-list-page';
import { VersionEditorPage } from './workbench/catalog/version-editor-page';
import { OrgTreePage } from './workbench/org-tree-page';
import { WorkbenchHome } from './workbench/workbench-home';

/** The route holding the public pages: visitors without a session stay on them. */
export const PUBLIC_ROUTE_ID = 'public';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    // The public portal: open to visitors; `/` sends a logged-in account to its own home.
    id: PUBLIC_ROUTE_ID,
    errorElement: <RouteError />,
    element: <PortalLayout />,
    children: [
      { index: true, element: <PortalLanding /> },
      { path: 'search', element: <SearchPage /> },
      { path: 'navigate', element: <NavigatePage /> },
      { path: 'guide/:id', element: <GuidePage /> },
      // Unknown addresses, for visitors and signed-in accounts alike (not a detour through login).
      { path: '*', element: <NotFoundPage /> },
    ],
  },
  {
    errorElement: <RouteError />,
    element: (
      <RequireLogin>
        <AppLayout />
      </RequireLogin>
    ),
    children: [
      { path: 'home', element: <HomeRedirect /> },
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
        path: 'workbench/catalog',
        element: (
          <RequirePermission permission="catalog:read">
            <CatalogListPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/catalog/import',
        element: (
          <RequirePermission permission="catalog:edit-service">
            <CatalogImportPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/catalog/:id',
        element: (
          <RequirePermission permission="catalog:read">
            <CatalogItemPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/catalog/:id/versions/:no/edit',
        element: (
          <RequirePermission permission="catalog:read">
            <VersionEditorPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/proof-query',
        element: (
          <RequirePermission permission="datahub:proof-query">
            <ProofQueryPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/resources',
        element: (
          <RequirePermission permission="datahub:read">
            <ResourcesPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/access-requests',
        element: (
          <RequirePermission permission="datahub:read">
            <AccessRequestsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/apps',
        element: (
          <RequirePermission permission="datahub:manage">
            <AppsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/call-log',
        element: (
          <RequirePermission permission="datahub:call-log">
            <CallLogPage />
          </RequirePermission>
        ),
      },
      {
        path: 'workbench/datahub/monitor',
        element: (
          <RequirePermission permission="datahub:call-log">
            <MonitorPage />
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
        path: 'admin/accounts',
        element: (
          <RequirePermission permission="user:read" when={isAdministrator} whyNot={ADMINISTRATORS_ONLY}>
            <AccountsPage />
          </RequirePermission>
        ),
      },
      {
        path: 'admin/roles',
        element: (
          <RequirePermission permission="role:read" when={isAdministrator} whyNot={ADMINISTRATORS_ONLY}>
            <RolesPage />
          </RequirePermission>
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
      {
        // 我的账号: the same pages for citizens and staff (two-step verification for staff).
        path: 'account',
        element: <AccountLayout />,
        children: [
          { index: true, element: <ProfilePanel /> },
          { path: 'password', element: <PasswordPanel /> },
          { path: 'sessions', element: <SessionsPage /> },
          {
            path: 'totp',
            element: (
              <RequireStaff>
                <TotpPage />
              </RequireStaff>
            ),
          },
        ],
      },
    ],
  },
]);
