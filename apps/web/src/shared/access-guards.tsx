import { type HomeKind, PERMISSIONS, type Permission } from '@govflow/shared';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import type { Me } from './api-types';
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

/**
 * A page for holders of one permission, and, where the menu asks more of an account (`when`), the
 * same: a page the menu does not offer does not open from its address either.
 */
export function RequirePermission({
  permission,
  when,
  whyNot,
  children,
}: {
  permission: Permission;
  when?: (me: Me) => boolean;
  /** Said when `when` refuses. */
  whyNot?: string;
  children: ReactNode;
}) {
  const me = useMe();
  if (!me.permissions.includes(permission)) {
    return <Result status="403" title="无权访问" subTitle={`需要“${PERMISSIONS[permission]}”权限`} />;
  }
  if (when && !when(me)) return <Result status="403" title="无权访问" subTitle={whyNot} />;
  return children;
}

export function HomeRedirect() {
  const me = useMe();
  return <Navigate to={HOMES[me.homeKind].path} replace />;
}
