import type { HomeKind, Permission } from '@govflow/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { Actor, ActorPost } from '../../platform/http/actor';
import type { UserRow } from './tables';

export function ancestorIds(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export function homeKindOf(user: Pick<UserRow, 'kind' | 'admin_class'>): HomeKind {
  if (user.admin_class) return 'admin';
  return user.kind === 'citizen' ? 'citizen' : 'staff';
}

export interface PostView extends ActorPost {
  roleScope: 'unit' | 'region' | null;
  permissions: Permission[];
  /** Path of the subtree this post's permissions cover. */
  scopePath: string;
}

/** A user's posts with their roles and the subtree each one covers. */
export async function loadPosts(db: Kysely<Database>, userId: string): Promise<PostView[]> {
  return (await loadPostsOfUsers(db, [userId])).get(userId) ?? [];
}

/** Posts of many users at once: two queries, whatever the number of users and posts. */
export async function loadPostsOfUsers(
  db: Kysely<Database>,
  userIds: string[],
): Promise<Map<string, PostView[]>> {
  const byUser = new Map<string, PostView[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('posts')
    .leftJoin('roles', 'roles.id', 'posts.role_id')
    .innerJoin('orgs', 'orgs.id', 'posts.org_id')
    .where('posts.user_id', 'in', userIds)
    .select([
      'posts.id',
      'posts.user_id',
      'posts.title',
      'posts.org_id',
      'orgs.name as org_name',
      'orgs.path as org_path',
      'orgs.kind as org_kind',
      'roles.code as role_code',
      'roles.name as role_name',
      'roles.scope as role_scope',
      'roles.permissions',
    ])
    .orderBy('posts.created_at')
    .orderBy('posts.id')
    .execute();
  const needRegion = rows.filter((r) => r.role_scope === 'region' && r.org_kind !== 'region');
  const ancestors = needRegion.length
    ? await db
        .selectFrom('orgs')
        .select(['id', 'path', 'kind'])
        .where('id', 'in', [...new Set(needRegion.flatMap((r) => ancestorIds(r.org_path)))])
        .execute()
    : [];
  const byId = new Map(ancestors.map((a) => [a.id, a]));
  for (const r of rows) {
    let scopePath = r.org_path;
    if (r.role_scope === 'region' && r.org_kind !== 'region') {
      const region = ancestorIds(r.org_path)
        .map((id) => byId.get(id))
        .filter((o) => o?.kind === 'region')
        .at(-1);
      if (region) scopePath = region.path;
    }
    const list = byUser.get(r.user_id) ?? [];
    list.push({
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      orgPath: r.org_path,
      orgKind: r.org_kind,
      roleCode: r.role_code,
      roleName: r.role_name,
      roleScope: r.role_scope,
      permissions: r.permissions ? (JSON.parse(r.permissions) as Permission[]) : [],
      title: r.title,
      scopePath,
    });
    byUser.set(r.user_id, list);
  }
  return byUser;
}

export function scopesOf(posts: PostView[]): Map<Permission, string[]> {
  const scopes = new Map<Permission, string[]>();
  for (const post of posts) {
    for (const p of post.permissions) {
      const roots = scopes.get(p) ?? [];
      if (!roots.some((root) => post.scopePath.startsWith(root))) {
        scopes.set(p, [...roots.filter((root) => !root.startsWith(post.scopePath)), post.scopePath]);
      }
    }
  }
  return scopes;
}

export function buildActor(user: UserRow, posts: PostView[], sessionId: string): Actor {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    kind: user.kind,
    adminClass: user.admin_class,
    homeKind: homeKindOf(user),
    personId: user.person_id,
    sessionId,
    mustChangePassword: Boolean(user.must_change_password),
    posts: posts.map(({ permissions: _p, scopePath: _s, roleScope: _r, ...post }) => post),
    scopes: scopesOf(posts),
  };
}
