import type { HomeKind } from '@govflow/shared';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useMe } from './auth-context';
import { HOMES } from './home-kind';

/** A home page belongs to one kind of account; others are sent to their own home. */
export function RequireHomeKind({ kind, children }: { kind: HomeKind; children: ReactNode }) {
  const me = useMe();
  if (me.homeKind !== kind) return <Navigate to={HOMES[me.homeKind].path} replace />;
  return children;
}

/** Pages for staff accounts (officers and administrators), not for citizens. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.kind !== 'staff') return <Navigate to={HOMES[me.homeKind].path} replace />;
  return children;
}

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useMe();
  if (!me.permissions.includes(permission)) {
    return <Result status="403" title="无权访问" subTitle={`需要权限：${permission}`} />;
  }
  return children;
}

export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={HOMES[me.homeKind].path} replace />;
}
