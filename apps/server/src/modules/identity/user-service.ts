import {
  ADMIN_CLASSES,
  type AdminClass,
  ALL_PERMISSIONS,
  CLASS_BOUND_PERMISSIONS,
  maskPhone,
  PERMISSIONS,
  type Permission,
} from '@govflow/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../database';
import type { AuditAction } from '../../platform/audit/actions';
import { type Actor, type ActorPost, inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { homeKindOf, loadPosts, loadPostsOfUsers } from './actor-loader';
import { revokeSessions } from './auth-service';
import { staleEdit } from './edit-conflict';
import { clearLoginFailures } from './login-throttle';
import type { OrgService } from './org-service';
import { assertPasswordPolicy, hashPassword } from './passwords';
import type { RoleRow, UserRow } from './tables';

export interface PostInput {
  orgId: string;
  /** Only the security administrator (or the system itself: CLI, seed) sets a role. */
  roleCode?: string | null;
  title: string;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  kind?: 'staff' | 'citizen';
  staffNo?: string | null;
  phone?: string | null;
  personId?: string | null;
  posts: PostInput[];
  /** Created by the system itself (CLI, seed): whether the password must be changed first. */
  mustChangePassword?: boolean;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  kind: UserRow['kind'];
  adminClass: UserRow['admin_class'];
  homeKind: ReturnType<typeof homeKindOf>;
  staffNo: string | null;
  phoneMasked: string | null;
  status: UserRow['status'];
  mustChangePassword: boolean;
  lockedUntil: string | null;
  totpEnrolled: boolean;
  posts: ActorPost[];
}

export function toUserView(u: UserRow, posts: ActorPost[]): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    kind: u.kind,
    adminClass: u.admin_class,
    homeKind: homeKindOf(u),
    staffNo: u.staff_no,
    phoneMasked: maskPhone(u.phone),
    status: u.status,
    mustChangePassword: Boolean(u.must_change_password),
    lockedUntil: u.locked_until,
    totpEnrolled: Boolean(u.totp_secret),
    posts: posts.map(({ id, orgId, orgName, orgPath, orgKind, roleCode, roleName, title }) => ({
      id,
      orgId,
      orgName,
      orgPath,
      orgKind,
      roleCode,
      roleName,
      title,
    })),
  };
}

/** A row of the staff list: the account and when it last logged in (its newest session). */
export interface UserListItem extends UserView {
  lastLoginAt: string | null;
}

export interface RoleView {
  id: string;
  code: string;
  name: string;
  description: string;
  parentCode: string | null;
  adminClass: RoleRow['admin_class'];
  scope: RoleRow['scope'];
  permissions: Permission[];
  /** How many posts hold the role (all orgs: roles are the same city-wide). */
  postCount: number;
  /** The version an edit names back as `expectedVersion`. */
  version: number;
  /**
   * Why the caller may not edit the role (a 三员 role; a post holding it, or a role below it,
   * outside the caller's role:write scope; no role:write at all), or null when he may.
   */
  readOnlyReason: string | null;
}

/** What the security administrator may change on a business role; its code, parent and class stay. */
export interface UpdateRoleInput {
  name?: string;
  description?: string;
  scope?: RoleRow['scope'];
  permissions?: Permission[];
  /** The version the editor's form showed: the edit is refused (409) once the role has moved on. */
  expectedVersion: number;
}

export interface CreateRoleInput {
  code: string;
  name: string;
  description?: string;
  parentCode?: string | null;
  adminClass?: RoleRow['admin_class'];
  scope: RoleRow['scope'];
  permissions: Permission[];
}

export type PostGrant = 'ordinary' | 'admin';

/** What an administrator role may hold besides its own class's permissions. */
const ADMIN_READABLE: Permission[] = ['org:read', 'user:read', 'role:read'];
/** Business records an administrator class reviews: the audit administrator reads the data call log. */
const ADMIN_REVIEWS: Partial<Record<AdminClass, Permission[]>> = { audit: ['datahub:call-log'] };

const MAX_ROLE_DEPTH = 3;
/** A staff list is for people, not exports: past this, narrow it with orgId. */
const LIST_LIMIT = 500;

export class UserService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly orgs: OrgService,
  ) {}

  /**
   * Display names of accounts by id, in one read, for other modules that keep user ids as opaque
   * columns (who edited a catalogue version). Unknown ids are left out.
   */
  async displayNames(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.deps.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', unique)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  private get db() {
    return this.deps.db;
  }

  async view(userId: string): Promise<UserView> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', 404, '用户不存在');
    return toUserView(user, await loadPosts(this.db, userId));
  }

  /** A user is in scope when at least one of their posts lies in the caller's subtree for `permission`. */
  /** A user's posts outside the caller's user:read scope are not the caller's business. */
  private visibleTo(caller: Caller, view: UserView): UserView {
    const actor = caller.actor;
    if (!actor) return view;
    return { ...view, posts: view.posts.filter((p) => inScope(actor, 'user:read', p.orgPath)) };
  }

  private async viewFor(caller: Caller, userId: string): Promise<UserView> {
    return this.visibleTo(caller, await this.view(userId));
  }

  private async assertUserInScope(caller: Caller, permission: Permission, userId: string): Promise<UserView> {
    const view = await this.view(userId);
    const actor = requireActor(caller);
    if (!view.posts.some((p) => inScope(actor, permission, p.orgPath))) {
      throw new AppError('OUT_OF_SCOPE', 403, '无权访问该用户');
    }
    return view;
  }

  async getInScope(caller: Caller, userId: string): Promise<UserView> {
    return this.visibleTo(caller, await this.assertUserInScope(caller, 'user:read', userId));
  }

  /** Staff with a post in `orgId`'s subtree (or in the whole scope when no org is given). */
  async list(caller: Caller, orgId?: string): Promise<UserListItem[]> {
    const actor = requireActor(caller);
    let roots = actor.scopes.get('user:read') ?? [];
    if (orgId) {
      const org = await this.orgs.getInScope(caller, orgId, 'user:read');
      roots = [org.path];
    }
    if (roots.length === 0) return [];
    const users = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('posts')
          .innerJoin('orgs', 'orgs.id', 'posts.org_id')
          .select('posts.user_id')
          .where((w) => w.or(roots.map((root) => w('orgs.path', 'like', `${root}%`)))),
      )
      .orderBy('username')
      .limit(LIST_LIMIT)
      .execute();
    const ids = users.map((u) => u.id);
    const posts = await loadPostsOfUsers(this.db, ids);
    const logins = ids.length
      ? await this.db
          .selectFrom('sessions')
          .select(['user_id', (eb) => eb.fn.max('created_at').as('last')])
          .where('user_id', 'in', ids)
          .groupBy('user_id')
          .execute()
      : [];
    const lastLogin = new Map(logins.map((l) => [l.user_id, l.last]));
    return users.map((u) => ({
      ...this.visibleTo(caller, toUserView(u, posts.get(u.id) ?? [])),
      lastLoginAt: lastLogin.get(u.id) ?? null,
    }));
  }

  async roleByCode(code: string): Promise<RoleRow> {
    const role = await this.db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
    if (!role) throw new AppError('NOT_FOUND', 404, `角色 ${code} 不存在`);
    return role;
  }

  async create(caller: Caller, input: CreateUserInput): Promise<UserView> {
    const username = input.username.trim();
    assertPasswordPolicy(input.password, username);
    if (await this.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
      throw new AppError('DUPLICATE', 409, `用户名 ${username} 已存在`);
    }
    const kind = input.kind ?? 'staff';
    if (kind === 'staff' && caller.actor && input.posts.length === 0) {
      throw new AppError('VALIDATION_FAILED', 400, '工作人员至少需要一个岗位');
    }
    if (kind !== 'staff' && input.posts.length > 0) throw notStaff();
    const planned = await Promise.all(input.posts.map((p) => this.planPost(caller, p)));
    const roles = planned.flatMap((p) => (p.role ? [p.role] : []));
    const adminClass = separatedClass(roles);
    if (adminClass && planned.some((p) => !p.role?.admin_class)) throw mixedAccount();
    // Whoever chose the password for someone else: the holder replaces it at first login.
    const mustChangePassword = Boolean(caller.actor) || (input.mustChangePassword ?? false);
    const now = this.deps.clock.now().toISOString();
    const id = uuidv7();
    const row: UserRow = {
      id,
      username,
      display_name: input.displayName.trim(),
      kind,
      staff_no: input.staffNo ?? null,
      phone: input.phone ?? null,
      person_id: input.personId ?? null,
      password_hash: await hashPassword(input.password),
      password_changed_at: now,
      admin_class: adminClass,
      status: 'active',
      must_change_password: mustChangePassword ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(row).execute();
      for (const p of planned) {
        await trx
          .insertInto('posts')
          .values({
            id: uuidv7(),
            user_id: id,
            org_id: p.orgId,
            role_id: p.role?.id ?? null,
            title: p.title,
            created_at: now,
          })
          .execute();
      }
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.create',
        target: { type: 'user', id },
        detail: {
          username,
          kind,
          adminClass,
          mustChangePassword,
          posts: planned.map((p) => ({ orgId: p.orgId, title: p.title, role: p.role?.code ?? null })),
        },
      });
    });
    return this.viewFor(caller, id);
  }

  /**
   * 三员分立: the system administrator (user:write over the org) creates posts without roles; a
   * role is attached by the security administrator (role:write), on an existing post or, for the
   * administrator roles, with a post of its own through /admin-posts. The system itself (CLI,
   * seed) may create a post with its role.
   */
  private async planPost(caller: Caller, input: PostInput, grant: PostGrant = 'ordinary') {
    const org = await this.orgs.getOrThrow(input.orgId);
    const role = input.roleCode ? await this.roleByCode(input.roleCode) : null;
    if (caller.actor) {
      this.orgs.assertInScope(caller, grant === 'admin' ? 'role:write' : 'user:write', org);
      if (grant === 'ordinary' && role) throw roleGrantForbidden();
    }
    if (grant === 'admin' && !role?.admin_class) {
      throw new AppError(
        'VALIDATION_FAILED',
        422,
        `${role?.name ?? '岗位'}不是管理员角色`,
        '业务角色由安全管理员在岗位上授予',
      );
    }
    return { orgId: org.id, role, title: input.title.trim() };
  }

  /**
   * The staff account a post or role is given to, in the caller's scope for `permission`
   * (user:write for an ordinary post, role:write for a role).
   */
  private async staffAccount(caller: Caller, userId: string, permission: Permission): Promise<UserRow> {
    if (caller.actor?.userId === userId) {
      throw new AppError('FORBIDDEN', 403, '不能给自己授予岗位');
    }
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', 404, '用户不存在');
    if (user.kind !== 'staff') throw notStaff();
    // An account with posts is placed by whoever's scope covers one of them; an account with none
    // (created without posts, or whose posts were all removed) grants nothing and belongs nowhere
    // yet, so any holder of the permission may place it — in an org of their own scope, which
    // adding the post checks.
    const placed = await this.db
      .selectFrom('posts')
      .select('id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (caller.actor && placed) await this.assertUserInScope(caller, permission, userId);
    return user;
  }

  /**
   * Inside the transaction that gives `userId` a post with `role` (or, with `role` null, a
   * role-less post): claims the role's administrator class for the account and returns the posts
   * it already holds, but `postId`, the role-less post the role is being attached to. The first
   * statement is a conditional update of the user's row: it locks the row on PostgreSQL, so two
   * grants to one account are decided one after the other, never both on stale reads. An
   * administrator account holds posts of its own class only, never a role-less or business post.
   */
  private async claimRole(
    trx: Transaction<Database>,
    userId: string,
    role: RoleRow | null,
    now: string,
    postId?: string,
  ) {
    const cls = role?.admin_class ?? null;
    let claim = trx.updateTable('users').set({ admin_class: cls, updated_at: now }).where('id', '=', userId);
    claim = cls
      ? claim.where((eb) => eb.or([eb('admin_class', 'is', null), eb('admin_class', '=', cls)]))
      : claim.where('admin_class', 'is', null);
    if (Number((await claim.executeTakeFirst()).numUpdatedRows) !== 1) throw mixedAccount();
    let others = trx
      .selectFrom('posts')
      .leftJoin('roles', 'roles.id', 'posts.role_id')
      .select(['posts.org_id', 'posts.role_id', 'roles.admin_class'])
      .where('posts.user_id', '=', userId);
    if (postId) others = others.where('posts.id', '!=', postId);
    const held = await others.execute();
    if (cls && held.some((h) => h.admin_class === null)) throw mixedAccount();
    return held;
  }

  /** The account stops being an administrator with its last administrator role. */
  private async releaseAdminClass(trx: Transaction<Database>, userId: string): Promise<void> {
    const left = await trx
      .selectFrom('posts')
      .innerJoin('roles', 'roles.id', 'posts.role_id')
      .select('posts.id')
      .where('posts.user_id', '=', userId)
      .where('roles.admin_class', 'is not', null)
      .executeTakeFirst();
    if (!left) await trx.updateTable('users').set({ admin_class: null }).where('id', '=', userId).execute();
  }

  async addPost(
    caller: Caller,
    userId: string,
    input: PostInput,
    grant: PostGrant = 'ordinary',
  ): Promise<UserView> {
    const user = await this.staffAccount(caller, userId, grant === 'admin' ? 'role:write' : 'user:write');
    const p = await this.planPost(caller, input, grant);
    const now = this.deps.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const held = await this.claimRole(trx, userId, p.role, now);
      if (held.some((h) => h.org_id === p.orgId && h.role_id === (p.role?.id ?? null))) throw duplicatePost();
      const postId = uuidv7();
      await trx
        .insertInto('posts')
        .values({
          id: postId,
          user_id: userId,
          org_id: p.orgId,
          role_id: p.role?.id ?? null,
          title: p.title,
          created_at: now,
        })
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.post-add',
        target: { type: 'user', id: userId },
        detail: {
          username: user.username,
          postId,
          orgId: p.orgId,
          title: p.title,
          role: p.role?.code ?? null,
        },
      });
    });
    return this.viewFor(caller, userId);
  }

  private async postOf(userId: string, postId: string) {
    const post = await this.db
      .selectFrom('posts')
      .innerJoin('orgs', 'orgs.id', 'posts.org_id')
      .leftJoin('roles', 'roles.id', 'posts.role_id')
      .select([
        'posts.id',
        'posts.org_id',
        'posts.role_id',
        'orgs.path',
        'orgs.name',
        'roles.code as role_code',
        'roles.admin_class',
      ])
      .where('posts.id', '=', postId)
      .where('posts.user_id', '=', userId)
      .executeTakeFirst();
    if (!post) throw new AppError('NOT_FOUND', 404, '岗位不存在');
    return post;
  }

  async removePost(
    caller: Caller,
    userId: string,
    postId: string,
    grant: PostGrant = 'ordinary',
  ): Promise<UserView> {
    const post = await this.postOf(userId, postId);
    if (Boolean(post.admin_class) !== (grant === 'admin')) {
      throw new AppError(
        'FORBIDDEN',
        403,
        post.admin_class ? '管理员岗位只能由安全管理员撤销' : '普通岗位由系统管理员撤销',
      );
    }
    this.orgs.assertInScope(caller, grant === 'admin' ? 'role:write' : 'user:write', post);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('posts').where('id', '=', postId).execute();
      if (post.admin_class) await this.releaseAdminClass(trx, userId);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.post-remove',
        target: { type: 'user', id: userId },
        detail: { postId, orgId: post.org_id, role: post.role_code },
      });
    });
    return this.viewFor(caller, userId);
  }

  /**
   * The security administrator attaches a role to a post that has none: a business role, or an
   * administrator role (one class per account, never beside business roles).
   */
  async attachRole(caller: Caller, userId: string, postId: string, roleCode: string): Promise<UserView> {
    const user = await this.staffAccount(caller, userId, 'role:write');
    const post = await this.postOf(userId, postId);
    this.orgs.assertInScope(caller, 'role:write', post);
    if (post.role_id) {
      throw postHasRole();
    }
    const role = await this.roleByCode(roleCode);
    const now = this.deps.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const held = await this.claimRole(trx, userId, role, now, postId);
      if (held.some((h) => h.org_id === post.org_id && h.role_id === role.id)) throw duplicatePost();
      const r = await trx
        .updateTable('posts')
        .set({ role_id: role.id })
        .where('id', '=', postId)
        .where('role_id', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw postHasRole();
      }
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.role-attach',
        target: { type: 'user', id: userId },
        detail: {
          username: user.username,
          postId,
          orgId: post.org_id,
          orgName: post.name,
          role: role.code,
          roleName: role.name,
          adminClass: role.admin_class,
        },
      });
    });
    return this.viewFor(caller, userId);
  }

  /** The security administrator takes a post's role away; the post stays, granting nothing. */
  async removeRole(caller: Caller, userId: string, postId: string): Promise<UserView> {
    const user = await this.staffAccount(caller, userId, 'role:write');
    const post = await this.postOf(userId, postId);
    this.orgs.assertInScope(caller, 'role:write', post);
    if (!post.role_id) throw new AppError('CONFLICT', 409, '该岗位没有角色', '无需移除');
    await this.db.transaction().execute(async (trx) => {
      // A role-less post is held once per org: when the account has one there already, the post
      // whose role goes is removed rather than becoming its duplicate (a revocation never fails).
      const roleLessTwin = await trx
        .selectFrom('posts')
        .select('id')
        .where('user_id', '=', userId)
        .where('org_id', '=', post.org_id)
        .where('role_id', 'is', null)
        .executeTakeFirst();
      const r = roleLessTwin
        ? await trx
            .deleteFrom('posts')
            .where('id', '=', postId)
            .where('role_id', '=', post.role_id)
            .executeTakeFirst()
        : await trx
            .updateTable('posts')
            .set({ role_id: null })
            .where('id', '=', postId)
            .where('role_id', '=', post.role_id)
            .executeTakeFirst();
      const changed = 'numDeletedRows' in r ? r.numDeletedRows : r.numUpdatedRows;
      if (Number(changed) !== 1) {
        throw new AppError('CONFLICT', 409, '该岗位的角色刚被他人修改，请刷新后重试');
      }
      if (post.admin_class) await this.releaseAdminClass(trx, userId);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.role-remove',
        target: { type: 'user', id: userId },
        detail: {
          username: user.username,
          postId,
          orgId: post.org_id,
          orgName: post.name,
          role: post.role_code,
          postRemoved: Boolean(roleLessTwin),
        },
      });
    });
    return this.viewFor(caller, userId);
  }

  async disable(caller: Caller, userId: string): Promise<UserView> {
    return this.setStatus(caller, userId, 'disabled');
  }

  async enable(caller: Caller, userId: string): Promise<UserView> {
    return this.setStatus(caller, userId, 'active');
  }

  /**
   * The system administrator disables or re-enables an account in scope: the status change, the end
   * of every session of a disabled account and the audit entry are one transaction. Nobody changes
   * their own status, and the last active holder of an administrator class stays: without them
   * nobody could grant roles, or read the trail, until someone with the CLI stepped in.
   */
  private async setStatus(caller: Caller, userId: string, status: UserRow['status']): Promise<UserView> {
    if (requireActor(caller).userId === userId) {
      throw new AppError('FORBIDDEN', 403, '不能停用或启用自己的账号', '请由另一位系统管理员操作');
    }
    const view = await this.assertUserInScope(caller, 'user:write', userId);
    const now = this.deps.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const cls = view.adminClass;
      if (status === 'disabled' && cls) {
        // Locks the class's active holders on PostgreSQL: two administrators disabled at once are
        // decided one after the other (SQLite runs one write transaction at a time anyway).
        let holders = trx
          .selectFrom('users')
          .select('id')
          .where('admin_class', '=', cls)
          .where('status', '=', 'active');
        if (this.deps.dialect === 'postgres') holders = holders.forUpdate();
        if (!(await holders.execute()).some((h) => h.id !== userId)) {
          throw new AppError(
            'LAST_ADMINISTRATOR',
            409,
            `该账号是唯一在用的${ADMIN_CLASSES[cls]}，不能停用`,
            `请先为另一账号授予${ADMIN_CLASSES[cls]}角色`,
          );
        }
      }
      const r = await trx
        .updateTable('users')
        .set({ status, updated_at: now })
        .where('id', '=', userId)
        .where('status', '!=', status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new AppError('CONFLICT', 409, status === 'disabled' ? '该账号已停用' : '该账号已是启用状态');
      }
      const sessionsRevoked =
        status === 'disabled' ? await revokeSessions(trx, { userId }, 'account-disabled', now) : 0;
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        target: { type: 'user', id: userId },
        detail: { username: view.username, sessionsRevoked },
      });
    });
    return this.viewFor(caller, userId);
  }

  async unlock(caller: Caller, userId: string): Promise<UserView> {
    return this.securityReset(
      caller,
      userId,
      'user.unlock',
      { failed_logins: 0, locked_until: null },
      (trx) => clearLoginFailures(trx, userId),
    );
  }

  /** Clears a lost second factor so the user can log in with the password and enrol again. */
  async resetTotp(caller: Caller, userId: string): Promise<UserView> {
    return this.securityReset(caller, userId, 'user.totp-reset', {
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
    });
  }

  /** The security administrator's account repairs: in scope, one audited transaction. */
  private async securityReset(
    caller: Caller,
    userId: string,
    action: AuditAction,
    changes: Partial<UserRow>,
    alsoClear?: (trx: ServiceDeps['db']) => Promise<void>,
  ): Promise<UserView> {
    await this.assertUserInScope(caller, 'account:unlock', userId);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(changes).where('id', '=', userId).execute();
      await alsoClear?.(trx);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action,
        target: { type: 'user', id: userId },
      });
    });
    return this.viewFor(caller, userId);
  }

  async assertCanRevokeSessions(caller: Caller, userId: string): Promise<void> {
    await this.assertUserInScope(caller, 'session:revoke', userId);
  }

  /**
   * Every role, with how many posts hold it and, for `caller`, why he may not edit it. The system
   * itself (seed, CLI; no actor) may edit every business role.
   */
  async listRoles(caller?: Caller): Promise<RoleView[]> {
    const rows = await this.db.selectFrom('roles').selectAll().orderBy('code').execute();
    const counts = await this.db
      .selectFrom('posts')
      .select(['role_id', (eb) => eb.fn.countAll().as('n')])
      .where('role_id', 'is not', null)
      .groupBy('role_id')
      .execute();
    const postCount = new Map(counts.map((c) => [c.role_id, Number(c.n)]));
    const codeById = new Map(rows.map((r) => [r.id, r.code]));
    const outside = caller?.actor ? await this.holdersOutside(caller.actor, rows) : null;
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      parentCode: r.parent_id ? (codeById.get(r.parent_id) ?? null) : null,
      adminClass: r.admin_class,
      scope: r.scope,
      permissions: JSON.parse(r.permissions),
      postCount: postCount.get(r.id) ?? 0,
      version: r.version,
      readOnlyReason: r.admin_class
        ? ADMIN_ROLE_FIXED
        : caller?.actor && !caller.actor.scopes.has('role:write')
          ? '角色由安全管理员维护'
          : outside?.get(r.id)?.length
            ? `${outsideReason(outside.get(r.id) ?? [])}。修改会改变这些岗位的权限，须由管理范围覆盖它们的安全管理员进行`
            : null,
    }));
  }

  private async roleView(id: string, caller?: Caller): Promise<RoleView> {
    return (await this.listRoles(caller)).find((r) => r.id === id) as RoleView;
  }

  /**
   * For each role, the orgs (by name) of the posts holding it or a role below it that lie outside
   * the actor's role:write scope. Editing a role changes the powers of every post holding it, city
   * wide: only an administrator who could grant or take the role on each of those posts may.
   */
  private async holdersOutside(actor: Actor, roles: RoleRow[]): Promise<Map<string, string[]>> {
    const held = await this.db
      .selectFrom('posts')
      .innerJoin('orgs', 'orgs.id', 'posts.org_id')
      .select(['posts.role_id', 'orgs.name', 'orgs.path'])
      .where('posts.role_id', 'is not', null)
      .distinct()
      .execute();
    const outsideOwn = new Map<string, Set<string>>();
    for (const h of held) {
      if (!h.role_id || inScope(actor, 'role:write', h.path)) continue;
      const names = outsideOwn.get(h.role_id) ?? new Set<string>();
      names.add(h.name);
      outsideOwn.set(h.role_id, names);
    }
    const children = new Map<string, string[]>();
    for (const r of roles) {
      if (r.parent_id) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
    }
    const family = (id: string): string[] => [id, ...(children.get(id) ?? []).flatMap(family)];
    return new Map(
      roles.map((r) => [
        r.id,
        [...new Set(family(r.id).flatMap((id) => [...(outsideOwn.get(id) ?? [])]))].sort(),
      ]),
    );
  }

  /** 403 unless the caller's role:write scope covers every post holding the role or a role below it. */
  private async assertCoversHolders(caller: Caller, role: RoleRow, doing: string): Promise<void> {
    if (!caller.actor) return;
    const roles = await this.db.selectFrom('roles').selectAll().execute();
    const outside = (await this.holdersOutside(caller.actor, roles)).get(role.id) ?? [];
    if (outside.length) {
      throw new AppError(
        'OUT_OF_SCOPE',
        403,
        `不能${doing}：${outsideReason(outside)}`,
        '角色全市通用，修改会改变担任它的每个岗位的权限；请联系管理范围覆盖这些机构的安全管理员',
      );
    }
  }

  /**
   * The security administrator edits a business role: name, description, scope, permissions. An
   * administrator role (三员) is defined by the system and changes only with a release: one
   * administrator could otherwise strip another's powers, or hand his own to a business role.
   * The permissions stay within the parent's and keep every child's.
   */
  async updateRole(caller: Caller, code: string, input: UpdateRoleInput): Promise<RoleView> {
    const role = await this.roleByCode(code);
    if (role.admin_class) {
      throw new AppError(
        'SEPARATION_OF_DUTIES',
        409,
        `${role.name}是管理员角色（三员），由系统定义，不能修改`,
        '三员的权限随版本固定；业务角色可以修改',
      );
    }
    await this.assertCoversHolders(caller, role, `修改角色“${role.name}”`);
    if (role.version !== input.expectedVersion) throw await this.staleRole(role, input.expectedVersion);
    const held = JSON.parse(role.permissions) as Permission[];
    const permissions = input.permissions ? [...new Set(input.permissions)] : held;
    if (input.permissions) {
      checkRolePermissions(permissions, null);
      await this.assertFitsFamily(role, permissions);
    }
    const next = {
      name: input.name?.trim() ?? role.name,
      description: input.description?.trim() ?? role.description,
      scope: input.scope ?? role.scope,
      permissions: JSON.stringify(permissions),
    };
    const added = permissions.filter((p) => !held.includes(p));
    const removed = held.filter((p) => !permissions.includes(p));
    const changes: Record<string, unknown> = {};
    if (next.name !== role.name) changes.name = { from: role.name, to: next.name };
    if (next.description !== role.description)
      changes.description = { from: role.description, to: next.description };
    if (next.scope !== role.scope) changes.scope = { from: role.scope, to: next.scope };
    if (added.length) changes.added = added;
    if (removed.length) changes.removed = removed;
    if (Object.keys(changes).length === 0) return this.roleView(role.id, caller);
    const won = await this.db.transaction().execute(async (trx) => {
      // Written only while the role still has the version the editor saw: a change made meanwhile
      // (even in the same millisecond, or by a release at start) is never overwritten.
      const r = await trx
        .updateTable('roles')
        .set({ ...next, version: role.version + 1, updated_at: this.deps.clock.now().toISOString() })
        .where('id', '=', role.id)
        .where('version', '=', role.version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'role.update',
        target: { type: 'role', id: role.id },
        detail: { code, roleName: role.name, ...changes },
      });
      return true;
    });
    if (!won) throw await this.staleRole(role, input.expectedVersion);
    return this.roleView(role.id, caller);
  }

  private async staleRole(role: RoleRow, expectedVersion: number): Promise<AppError> {
    const current = await this.db
      .selectFrom('roles')
      .select('version')
      .where('id', '=', role.id)
      .executeTakeFirst();
    return staleEdit(
      this.db,
      `角色“${role.name}”`,
      { type: 'role', id: role.id },
      expectedVersion,
      current?.version ?? role.version,
    );
  }

  /** A role's permissions: within its parent's, and covering each child's. */
  private async assertFitsFamily(role: RoleRow, permissions: Permission[]): Promise<void> {
    await this.assertWithinParent(role, permissions);
    const children = await this.db.selectFrom('roles').selectAll().where('parent_id', '=', role.id).execute();
    for (const child of children) {
      const lost = (JSON.parse(child.permissions) as Permission[]).filter((p) => !permissions.includes(p));
      if (lost.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `下级角色“${child.name}”仍有这些权限，不能从上级角色移除：${lost.map(permissionName).join('、')}`,
          '请先从下级角色移除这些权限',
        );
      }
    }
  }

  /** A child role never holds a permission its parent lacks. */
  private async assertWithinParent(role: RoleRow, permissions: Permission[]): Promise<void> {
    if (!role.parent_id) return;
    const parent = await this.db
      .selectFrom('roles')
      .selectAll()
      .where('id', '=', role.parent_id)
      .executeTakeFirstOrThrow();
    const parentPerms = JSON.parse(parent.permissions) as Permission[];
    const extra = permissions.filter((p) => !parentPerms.includes(p));
    if (extra.length) {
      throw new AppError(
        'VALIDATION_FAILED',
        400,
        `子角色的权限必须是上级角色“${parent.name}”权限的子集，多出：${extra.map(permissionName).join('、')}`,
        '请先为上级角色增加这些权限',
      );
    }
  }

  /** Roles nest at most three deep and a child never holds a permission its parent lacks. */
  async createRole(caller: Caller, input: CreateRoleInput): Promise<RoleView> {
    checkRolePermissions(input.permissions, input.adminClass ?? null);
    if (await this.db.selectFrom('roles').select('id').where('code', '=', input.code).executeTakeFirst()) {
      throw new AppError('DUPLICATE', 409, `角色代码 ${input.code} 已存在`);
    }
    let parent: RoleRow | null = null;
    if (input.parentCode) {
      parent = await this.roleByCode(input.parentCode);
      // A child binds its parent (which may not then drop what the child holds): only someone who
      // may edit the parent may hang a role below it.
      await this.assertCoversHolders(caller, parent, `在角色“${parent.name}”之下新建角色`);
      const parentPerms = new Set(JSON.parse(parent.permissions) as Permission[]);
      const extra = input.permissions.filter((p) => !parentPerms.has(p));
      if (extra.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `子角色权限必须是上级角色的子集，多出：${extra.map((p) => PERMISSIONS[p] ?? p).join('、')}`,
          '子角色只能拥有上级角色已有的权限',
        );
      }
      let depth = 1;
      for (let p: RoleRow | undefined = parent; p?.parent_id; depth++) {
        p = await this.db.selectFrom('roles').selectAll().where('id', '=', p.parent_id).executeTakeFirst();
      }
      if (depth + 1 > MAX_ROLE_DEPTH) {
        throw new AppError('VALIDATION_FAILED', 400, `角色最多 ${MAX_ROLE_DEPTH} 级`);
      }
      if ((parent.admin_class ?? null) !== (input.adminClass ?? null)) {
        throw new AppError('SEPARATION_OF_DUTIES', 409, '子角色须与上级角色属于同一管理员类别');
      }
    }
    const now = this.deps.clock.now().toISOString();
    const row: RoleRow = {
      id: uuidv7(),
      code: input.code,
      name: input.name,
      description: input.description ?? '',
      parent_id: parent?.id ?? null,
      admin_class: input.adminClass ?? null,
      scope: input.scope,
      permissions: JSON.stringify([...new Set(input.permissions)]),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('roles').values(row).execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'role.create',
        target: { type: 'role', id: row.id },
        detail: { code: row.code, permissions: input.permissions, parent: input.parentCode ?? null },
      });
    });
    return this.roleView(row.id, caller);
  }
  /**
   * Adds permissions a newer release gives a role the code defines (base and demo roles), never
   * removing any; a child role's parent must already hold them. Returns what was added.
   */
  async addRolePermissions(caller: Caller, code: string, wanted: Permission[]): Promise<Permission[]> {
    // Another instance starting at the same time may change the role between the read and the
    // write: the write is conditional on what was read, and read again when it loses.
    for (let attempt = 0; attempt < 5; attempt++) {
      const role = await this.roleByCode(code);
      const held = JSON.parse(role.permissions) as Permission[];
      const missing = wanted.filter((p) => !held.includes(p));
      if (missing.length === 0) return [];
      const next = [...held, ...missing];
      checkRolePermissions(next, role.admin_class);
      await this.assertWithinParent(role, missing);
      const won = await this.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('roles')
          .set({
            permissions: JSON.stringify(next),
            version: role.version + 1,
            updated_at: this.deps.clock.now().toISOString(),
          })
          .where('id', '=', role.id)
          .where('version', '=', role.version)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await this.deps.audit.append(trx, {
          ...auditStamp(caller),
          action: 'role.permissions-add',
          target: { type: 'role', id: role.id },
          detail: { code, added: missing },
        });
        return true;
      });
      if (won) return missing;
    }
    throw new AppError('CONFLICT', 409, `角色 ${code} 正被同时修改，请重试`);
  }
}

/** A role's permissions: all known, and 三员分立 kept (class-bound ones in their class, no business ones in an admin role). */
function checkRolePermissions(permissions: Permission[], adminClass: AdminClass | null): void {
  const unknown = permissions.filter((p) => !ALL_PERMISSIONS.includes(p));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', 400, `未知权限：${unknown.join('、')}`);
  const misplaced = permissions.filter((p) => {
    const owner = CLASS_BOUND_PERMISSIONS[p];
    return owner && owner !== adminClass;
  });
  const businessInAdmin = adminClass
    ? permissions.filter(
        (p) =>
          !CLASS_BOUND_PERMISSIONS[p] &&
          !ADMIN_READABLE.includes(p) &&
          !(ADMIN_REVIEWS[adminClass] ?? []).includes(p),
      )
    : [];
  if (businessInAdmin.length) {
    throw new AppError(
      'SEPARATION_OF_DUTIES',
      409,
      `管理员角色不能包含业务权限：${businessInAdmin.map((p) => PERMISSIONS[p]).join('、')}`,
    );
  }
  if (misplaced.length) {
    const names = misplaced
      .map((p) => `${PERMISSIONS[p]}（${ADMIN_CLASSES[CLASS_BOUND_PERMISSIONS[p] as AdminClass]}）`)
      .join('、');
    throw new AppError(
      'SEPARATION_OF_DUTIES',
      409,
      `这些权限只属于对应的管理员类别：${names}`,
      '三员分立：系统、安全、审计管理员的权限不能放进其他角色',
    );
  }
}

const ADMIN_ROLE_FIXED = '三员的管理员角色由系统定义，不能修改';

/** Why a role is out of the caller's reach: where its holders sit outside his scope. */
function outsideReason(orgNames: string[]): string {
  const more = orgNames.length > 3 ? `等 ${orgNames.length} 个机构` : '';
  return `担任此角色（或其下级角色）的岗位有的在您的管理范围之外：${orgNames.slice(0, 3).join('、')}${more}`;
}

function permissionName(p: Permission): string {
  return PERMISSIONS[p] ?? p;
}

function roleGrantForbidden(): AppError {
  return new AppError(
    'ROLE_GRANT_FORBIDDEN',
    403,
    '系统管理员只创建账号和岗位，不能授予角色；角色由安全管理员在岗位上授予',
    '三员分立：请去掉岗位中的角色后再提交，并请安全管理员授予角色',
  );
}

function notStaff(): AppError {
  return new AppError(
    'NOT_A_STAFF_ACCOUNT',
    422,
    '居民账号不能担任工作人员或管理员岗位',
    '岗位只能授予工作人员账号，请先由系统管理员创建工作人员账号',
  );
}

function postHasRole(): AppError {
  return new AppError('CONFLICT', 409, '该岗位已有角色，请先移除原角色', '一个岗位只担任一个角色');
}

function duplicatePost(): AppError {
  return new AppError('DUPLICATE', 409, '该用户已有此岗位');
}

/** Administrator accounts hold administrator posts only, and of one class. */
function mixedAccount(): AppError {
  return new AppError(
    'SEPARATION_OF_DUTIES',
    409,
    '管理员账号只能担任同一类管理员岗位，不能兼任其他管理员或业务岗位',
    '系统管理员、安全管理员、审计管理员与业务人员须由不同账号担任',
  );
}

/** 三员分立: the admin class a set of roles implies; two different classes on one account is refused. */
function separatedClass(roles: Pick<RoleRow, 'admin_class'>[]): RoleRow['admin_class'] {
  const classes = new Set(
    roles.map((r) => r.admin_class).filter((c): c is NonNullable<typeof c> => c !== null),
  );
  if (classes.size > 1) {
    const names = [...classes].map((c) => ADMIN_CLASSES[c]).join('、');
    throw new AppError(
      'SEPARATION_OF_DUTIES',
      409,
      `同一账号不能同时担任${names}`,
      '系统管理员、安全管理员、审计管理员须由不同账号担任',
    );
  }
  return [...classes][0] ?? null;
}
