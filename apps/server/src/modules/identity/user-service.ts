import {
  ADMIN_CLASSES,
  type AdminClass,
  ALL_PERMISSIONS,
  CLASS_BOUND_PERMISSIONS,
  maskPhone,
  type Permission,
} from '@govflow/shared';
import { type ActorPost, inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { homeKindOf, loadPosts, loadPostsOfUsers } from './actor-loader';
import type { OrgService } from './org-service';
import { assertPasswordPolicy, hashPassword } from './passwords';
import type { RoleRow, UserRow } from './tables';

export interface PostInput {
  orgId: string;
  roleCode: string;
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

export interface RoleView {
  id: string;
  code: string;
  name: string;
  description: string;
  parentCode: string | null;
  adminClass: RoleRow['admin_class'];
  scope: RoleRow['scope'];
  permissions: Permission[];
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

  private get db() {
    return this.deps.db;
  }

  async view(userId: string): Promise<UserView> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', 404, '用户不存在 (user not found)');
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
      throw new AppError('OUT_OF_SCOPE', 403, '无权访问该用户 (user outside your organisation scope)');
    }
    return view;
  }

  async getInScope(caller: Caller, userId: string): Promise<UserView> {
    return this.visibleTo(caller, await this.assertUserInScope(caller, 'user:read', userId));
  }

  /** Staff with a post in `orgId`'s subtree (or in the whole scope when no org is given). */
  async list(caller: Caller, orgId?: string): Promise<UserView[]> {
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
    const posts = await loadPostsOfUsers(
      this.db,
      users.map((u) => u.id),
    );
    return users.map((u) => this.visibleTo(caller, toUserView(u, posts.get(u.id) ?? [])));
  }

  async roleByCode(code: string): Promise<RoleRow> {
    const role = await this.db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst();
    if (!role) throw new AppError('NOT_FOUND', 404, `角色 ${code} 不存在 (role not found)`);
    return role;
  }

  async create(caller: Caller, input: CreateUserInput): Promise<UserView> {
    assertPasswordPolicy(input.password);
    const username = input.username.trim();
    if (await this.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) {
      throw new AppError('DUPLICATE', 409, `用户名 ${username} 已存在 (username taken)`);
    }
    const kind = input.kind ?? 'staff';
    if (kind === 'staff' && caller.actor && input.posts.length === 0) {
      throw new AppError('VALIDATION_FAILED', 400, '工作人员至少需要一个岗位 (staff need at least one post)');
    }
    const planned = await Promise.all(input.posts.map((p) => this.planPost(caller, p)));
    const adminClass = separatedClass(planned.map((p) => p.role));
    if (adminClass && planned.some((p) => !p.role.admin_class)) throw mixedAccount();
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
            role_id: p.role.id,
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
          posts: planned.map((p) => ({ orgId: p.orgId, role: p.role.code })),
        },
      });
    });
    return this.viewFor(caller, id);
  }

  /**
   * Ordinary posts are granted by whoever holds user:write over the org (the system administrator);
   * posts carrying one of the three administrator roles only by the security administrator
   * (role:write), through their own route.
   */
  private async planPost(caller: Caller, input: PostInput, grant: PostGrant = 'ordinary') {
    const org = await this.orgs.getOrThrow(input.orgId);
    const role = await this.roleByCode(input.roleCode);
    if (caller.actor) {
      this.orgs.assertInScope(caller, grant === 'admin' ? 'role:write' : 'user:write', org);
      if (grant === 'ordinary' && role.admin_class) {
        throw new AppError(
          'FORBIDDEN',
          403,
          '只有安全管理员可以授予管理员角色 (only the security administrator grants admin roles)',
          '使用 POST /api/v1/users/:id/admin-posts',
        );
      }
    }
    if (grant === 'admin' && !role.admin_class) {
      throw new AppError(
        'VALIDATION_FAILED',
        422,
        `${role.name}不是管理员角色 (not an administrator role)`,
        '普通岗位由系统管理员授予',
      );
    }
    return { orgId: org.id, role, title: input.title.trim() };
  }

  async addPost(
    caller: Caller,
    userId: string,
    input: PostInput,
    grant: PostGrant = 'ordinary',
  ): Promise<UserView> {
    if (caller.actor?.userId === userId) {
      throw new AppError('FORBIDDEN', 403, '不能给自己授予岗位 (nobody grants posts to themselves)');
    }
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw new AppError('NOT_FOUND', 404, '用户不存在 (user not found)');
    const p = await this.planPost(caller, input, grant);
    const cls = p.role.admin_class;
    const now = this.deps.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      // First statement: a conditional update of the user's row. It locks the row on PostgreSQL,
      // so two grants to one account are decided one after the other, never both on stale reads.
      let claim = trx
        .updateTable('users')
        .set({ admin_class: cls, updated_at: now })
        .where('id', '=', userId);
      claim = cls
        ? claim.where((eb) => eb.or([eb('admin_class', 'is', null), eb('admin_class', '=', cls)]))
        : claim.where('admin_class', 'is', null);
      if (Number((await claim.executeTakeFirst()).numUpdatedRows) !== 1) throw mixedAccount();
      const held = await trx
        .selectFrom('posts')
        .innerJoin('roles', 'roles.id', 'posts.role_id')
        .select(['posts.org_id', 'posts.role_id', 'roles.admin_class'])
        .where('posts.user_id', '=', userId)
        .execute();
      if (cls && held.some((h) => h.admin_class === null)) throw mixedAccount();
      if (held.some((h) => h.org_id === p.orgId && h.role_id === p.role.id)) {
        throw new AppError('DUPLICATE', 409, '该用户已有此岗位 (the user already holds this post)');
      }
      const postId = uuidv7();
      await trx
        .insertInto('posts')
        .values({
          id: postId,
          user_id: userId,
          org_id: p.orgId,
          role_id: p.role.id,
          title: p.title,
          created_at: now,
        })
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.post-add',
        target: { type: 'user', id: userId },
        detail: { postId, orgId: p.orgId, role: p.role.code },
      });
    });
    return this.viewFor(caller, userId);
  }

  async removePost(
    caller: Caller,
    userId: string,
    postId: string,
    grant: PostGrant = 'ordinary',
  ): Promise<UserView> {
    const post = await this.db
      .selectFrom('posts')
      .innerJoin('orgs', 'orgs.id', 'posts.org_id')
      .innerJoin('roles', 'roles.id', 'posts.role_id')
      .select(['posts.id', 'orgs.path', 'orgs.name', 'roles.admin_class'])
      .where('posts.id', '=', postId)
      .where('posts.user_id', '=', userId)
      .executeTakeFirst();
    if (!post) throw new AppError('NOT_FOUND', 404, '岗位不存在 (post not found)');
    if (Boolean(post.admin_class) !== (grant === 'admin')) {
      throw new AppError(
        'FORBIDDEN',
        403,
        post.admin_class
          ? '管理员岗位只能由安全管理员撤销 (only the security administrator removes admin posts)'
          : '普通岗位由系统管理员撤销 (ordinary posts are removed by the system administrator)',
      );
    }
    this.orgs.assertInScope(caller, grant === 'admin' ? 'role:write' : 'user:write', post);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('posts').where('id', '=', postId).execute();
      if (post.admin_class) {
        // The account stops being an administrator with its last administrator post.
        const left = await trx
          .selectFrom('posts')
          .innerJoin('roles', 'roles.id', 'posts.role_id')
          .select('posts.id')
          .where('posts.user_id', '=', userId)
          .where('roles.admin_class', 'is not', null)
          .executeTakeFirst();
        if (!left)
          await trx.updateTable('users').set({ admin_class: null }).where('id', '=', userId).execute();
      }
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'user.post-remove',
        target: { type: 'user', id: userId },
        detail: { postId },
      });
    });
    return this.viewFor(caller, userId);
  }

  async unlock(caller: Caller, userId: string): Promise<UserView> {
    return this.securityReset(caller, userId, 'user.unlock', { failed_logins: 0, locked_until: null });
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
    action: string,
    changes: Partial<UserRow>,
  ): Promise<UserView> {
    await this.assertUserInScope(caller, 'account:unlock', userId);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set(changes).where('id', '=', userId).execute();
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

  async listRoles(): Promise<RoleView[]> {
    const rows = await this.db.selectFrom('roles').selectAll().orderBy('code').execute();
    const codeById = new Map(rows.map((r) => [r.id, r.code]));
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      parentCode: r.parent_id ? (codeById.get(r.parent_id) ?? null) : null,
      adminClass: r.admin_class,
      scope: r.scope,
      permissions: JSON.parse(r.permissions),
    }));
  }

  /** Roles nest at most three deep and a child never holds a permission its parent lacks. */
  async createRole(caller: Caller, input: CreateRoleInput): Promise<RoleView> {
    checkRolePermissions(input.permissions, input.adminClass ?? null);
    if (await this.db.selectFrom('roles').select('id').where('code', '=', input.code).executeTakeFirst()) {
      throw new AppError('DUPLICATE', 409, `角色代码 ${input.code} 已存在 (role code taken)`);
    }
    let parent: RoleRow | null = null;
    if (input.parentCode) {
      parent = await this.roleByCode(input.parentCode);
      const parentPerms = new Set(JSON.parse(parent.permissions) as Permission[]);
      const extra = input.permissions.filter((p) => !parentPerms.has(p));
      if (extra.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `子角色权限必须是上级角色的子集，多出 ${extra.join(', ')}`,
          'a child role’s permissions must be a subset of its parent’s',
        );
      }
      let depth = 1;
      for (let p: RoleRow | undefined = parent; p?.parent_id; depth++) {
        p = await this.db.selectFrom('roles').selectAll().where('id', '=', p.parent_id).executeTakeFirst();
      }
      if (depth + 1 > MAX_ROLE_DEPTH) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `角色最多 ${MAX_ROLE_DEPTH} 级 (roles nest at most ${MAX_ROLE_DEPTH} levels)`,
        );
      }
      if ((parent.admin_class ?? null) !== (input.adminClass ?? null)) {
        throw new AppError(
          'SEPARATION_OF_DUTIES',
          409,
          '子角色须与上级角色属于同一管理员类别 (a child role keeps its parent’s admin class)',
        );
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
    return (await this.listRoles()).find((r) => r.id === row.id) as RoleView;
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
      if (role.parent_id) {
        const parent = await this.db
          .selectFrom('roles')
          .selectAll()
          .where('id', '=', role.parent_id)
          .executeTakeFirstOrThrow();
        const parentPerms = JSON.parse(parent.permissions) as Permission[];
        const extra = missing.filter((p) => !parentPerms.includes(p));
        if (extra.length)
          throw new AppError(
            'VALIDATION_FAILED',
            400,
            `子角色权限必须是上级角色的子集，多出 ${extra.join(', ')}`,
          );
      }
      const won = await this.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('roles')
          .set({ permissions: JSON.stringify(next), updated_at: this.deps.clock.now().toISOString() })
          .where('id', '=', role.id)
          .where('permissions', '=', role.permissions)
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
    throw new AppError('CONFLICT', 409, `角色 ${code} 正被同时修改，请重试 (the role kept changing)`);
  }
}

/** A role's permissions: all known, and 三员分立 kept (class-bound ones in their class, no business ones in an admin role). */
function checkRolePermissions(permissions: Permission[], adminClass: AdminClass | null): void {
  const unknown = permissions.filter((p) => !ALL_PERMISSIONS.includes(p));
  if (unknown.length)
    throw new AppError('VALIDATION_FAILED', 400, `未知权限 ${unknown.join(', ')} (unknown permissions)`);
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
      `管理员角色不能包含业务权限：${businessInAdmin.join('、')} (administrator roles carry no business permissions)`,
    );
  }
  if (misplaced.length) {
    const names = misplaced
      .map((p) => `${p}（${ADMIN_CLASSES[CLASS_BOUND_PERMISSIONS[p] as AdminClass]}）`)
      .join('、');
    throw new AppError(
      'SEPARATION_OF_DUTIES',
      409,
      `这些权限只属于对应的管理员类别：${names} (permissions reserved to another administrator class)`,
      '三员分立：系统、安全、审计管理员的权限不能放进其他角色',
    );
  }
}

/** Administrator accounts hold administrator posts only, and of one class. */
function mixedAccount(): AppError {
  return new AppError(
    'SEPARATION_OF_DUTIES',
    409,
    '管理员账号只能担任同一类管理员岗位，不能兼任其他管理员或业务岗位 (an administrator account holds posts of its own class only)',
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
      `同一账号不能同时担任${names} (one account cannot hold two administrator classes)`,
      '系统管理员、安全管理员、审计管理员须由不同账号担任',
    );
  }
  return [...classes][0] ?? null;
}
