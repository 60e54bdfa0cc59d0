import type { AdminClass, HomeKind, Permission, UserKind } from '@govflow/shared';

/** A post the actor holds: where, as what. */
export interface ActorPost {
  id: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  /** The org's kind: a post at a `window` is where a clerk reads ID cards. */
  orgKind: string;
  /** Null while the post has no role yet (it grants nothing). */
  roleCode: string | null;
  roleName: string | null;
  title: string;
}

/** Who is calling, resolved from the session on every request. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  kind: UserKind;
  adminClass: AdminClass | null;
  homeKind: HomeKind;
  personId: string | null;
  sessionId: string;
  /** The password was chosen by an administrator: only /me, a password change and logout until changed. */
  mustChangePassword?: boolean;
  posts: ActorPost[];
  /** For each permission the actor holds, the org paths whose subtrees it covers. */
  scopes: Map<Permission, string[]>;
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.scopes.has(permission);
}

/** Whether `orgPath` lies in a subtree where the actor holds `permission`. */
export function inScope(actor: Actor, permission: Permission, orgPath: string): boolean {
  return (actor.scopes.get(permission) ?? []).some((root) => orgPath.startsWith(root));
}

export function auditActor(actor: Actor | null) {
  return actor ? { id: actor.userId, name: actor.username } : null;
}
