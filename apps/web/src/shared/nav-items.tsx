import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BookOutlined,
  CompassOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DesktopOutlined,
  FileSearchOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  ProfileOutlined,
  SearchOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Me } from './api-types';
import { HOMES } from './home-kind';

export const ACCOUNT_PATH = '/account';

export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
}

/** The three administrators' pages (accounts, roles) are theirs: those who write accounts or roles, and the auditor. */
export function isAdministrator(me: Me): boolean {
  return ['user:write', 'role:write', 'audit:read'].some((p) => me.permissions.includes(p));
}
export const ADMINISTRATORS_ONLY = '此页面供系统管理员、安全管理员和审计管理员使用';

/** The side menu: the account's home, then what its permissions open. */
export function navItemsFor(me: Me): NavItem[] {
  const home = HOMES[me.homeKind];
  const items: NavItem[] = [
    {
      path: home.path,
      label: home.title,
      icon: me.homeKind === 'citizen' ? <HomeOutlined /> : <DesktopOutlined />,
    },
  ];
  if (me.permissions.includes('org:read')) {
    items.push({ path: '/workbench/orgs', label: '组织机构', icon: <ApartmentOutlined /> });
  }
  if (me.permissions.includes('catalog:read')) {
    items.push({ path: '/workbench/catalog', label: '事项库', icon: <BookOutlined /> });
  }
  if (me.permissions.includes('datahub:proof-query')) {
    items.push({ path: '/workbench/datahub/proof-query', label: '证明查询', icon: <IdcardOutlined /> });
  }
  if (me.permissions.includes('datahub:read')) {
    items.push({ path: '/workbench/datahub/resources', label: '数据资源目录', icon: <DatabaseOutlined /> });
    items.push({
      path: '/workbench/datahub/access-requests',
      label: '共享申请',
      icon: <FileSearchOutlined />,
    });
  }
  if (me.permissions.includes('datahub:manage')) {
    items.push({ path: '/workbench/datahub/apps', label: '接入应用', icon: <ApiOutlined /> });
  }
  if (me.permissions.includes('datahub:call-log')) {
    items.push({ path: '/workbench/datahub/call-log', label: '调用日志', icon: <ProfileOutlined /> });
    items.push({ path: '/workbench/datahub/monitor', label: '运行监测', icon: <DashboardOutlined /> });
  }
  // The auditor reads what the other two administrators did to accounts and roles.
  const administers = isAdministrator(me);
  if (administers && me.permissions.includes('user:read')) {
    items.push({ path: '/admin/accounts', label: '账号管理', icon: <TeamOutlined /> });
  }
  if (administers && me.permissions.includes('role:read')) {
    items.push({ path: '/admin/roles', label: '角色与权限', icon: <KeyOutlined /> });
  }
  if (me.permissions.includes('audit:read')) {
    items.push({ path: '/admin/audit', label: '审计日志', icon: <AuditOutlined /> });
  }
  if (me.kind === 'citizen') {
    // The public portal (search, navigation, guides) in its own frame; its header leads back home.
    items.push({ path: '/search', label: '事项搜索', icon: <SearchOutlined /> });
    items.push({ path: '/navigate', label: '分类导航', icon: <CompassOutlined /> });
  }
  // Password, sessions and (for staff) two-step verification: the same pages for every account.
  items.push({ path: ACCOUNT_PATH, label: '我的账号', icon: <UserOutlined /> });
  return items;
}
