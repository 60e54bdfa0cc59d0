import type { HomeKind } from '@govflow/shared';

/** Where each kind of account lands after login, and what its home page is called. */
export const HOMES: Record<HomeKind, { path: string; title: string }> = {
  citizen: { path: '/portal', title: '个人首页' },
  staff: { path: '/workbench', title: '工作台' },
  admin: { path: '/admin', title: '管理控制台' },
};
