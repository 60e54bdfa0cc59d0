import { maskIdNumber, type Permission } from '@govflow/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { ActorPost } from '../../platform/http/actor';
import { callerOf, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { SESSION_COOKIE } from '../../platform/http/guard';
import { loadPosts } from './actor-loader';
import { toOrgView } from './org-service';
import {
  changePasswordBody,
  createOrgBody,
  createRoleBody,
  createUserBody,
  idParam,
  legalPersonBody,
  listUsersQuery,
  loginBody,
  personBody,
  personQuery,
  postBody,
  roleBody,
  roleCodeParam,
  staffPostBody,
  totpConfirmBody,
  totpEnrollBody,
  updateOrgBody,
  updateRoleBody,
} from './schemas';
import { toUserView } from './user-service';

export function identityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { auth, orgs, users, persons } = ctx.identity;

  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.config.COOKIE_SECURE,
      maxAge: ctx.config.SESSION_MAX_HOURS * 3600,
    });

  const me = async (userId: string, posts: ActorPost[], permissions: Permission[]) => {
    const user = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    const view = toUserView(user, posts);
    const person = user.person_id ? await persons.get(user.person_id) : null;
    return {
      ...view,
      person: person ? { name: person.name, idNumberMasked: maskIdNumber(person.id_number) } : null,
      permissions,
    };
  };

  // ---- authentication
  r.post('/api/v1/auth/login', {
    schema: { tags: ['auth'], summary: '登录 (log in)', body: loginBody },
    config: {
      access: 'public',
      rateLimit: { max: ctx.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' },
    },
    handler: async (req, reply) => {
      const { token, user, sessionId } = await auth.login(callerOf(req), req.body);
      setSession(reply, token);
      const posts = await loadPosts(ctx.db, user.id);
      const permissions = [...new Set(posts.flatMap((p) => p.permissions))];
      return { user: await me(user.id, posts, permissions), sessionId };
    },
  });

  r.post('/api/v1/auth/logout', {
    schema: { tags: ['auth'], summary: '退出 (log out)' },
    config: { access: 'authenticated', beforePasswordChange: true },
    handler: async (req, reply) => {
      await auth.logout(callerOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });

  // ---- the current user
  r.get('/api/v1/me', {
    schema: { tags: ['me'], summary: '当前用户 (who am I)' },
    config: { access: 'authenticated', beforePasswordChange: true },
    handler: async (req) => {
      const actor = requireActor(callerOf(req));
      return me(actor.userId, actor.posts, [...actor.scopes.keys()]);
    },
  });

  r.post('/api/v1/me/password', {
    schema: {
      tags: ['me'],
      summary: '修改密码，吊销全部会话 (change password; revokes every session)',
      body: changePasswordBody,
    },
    config: {
      access: 'authenticated',
      beforePasswordChange: true,
      rateLimit: { max: ctx.config.AUTH_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' },
    },
    handler: async (req, reply) => {
      const { token } = await auth.changePassword(
        callerOf(req),
        req.body.currentPassword,
        req.body.newPassword,
      );
      setSession(reply, token);
      return reply.status(204).send();
    },
  });

  r.get('/api/v1/me/sessions', {
    schema: { tags: ['me'], summary: '我的会话 (my live sessions)' },
    config: { access: 'authenticated' },
    handler: async (req) => ({ items: await auth.listSessions(callerOf(req)) }),
  });

  r.delete('/api/v1/me/sessions/:id', {
    schema: { tags: ['me'], summary: '吊销一个会话 (revoke one of my sessions)', params: idParam },
    config: { access: 'authenticated' },
    handler: async (req, reply) => {
      await auth.revokeOwnSession(callerOf(req), req.params.id);
      return reply.status(204).send();
    },
  });

  r.post('/api/v1/me/totp/enroll', {
    schema: {
      tags: ['me'],
      summary: '开始绑定动态口令，需再次输入密码 (start TOTP enrolment; password again)',
      body: totpEnrollBody,
    },
    config: { access: 'authenticated' },
    handler: async (req) => {
      const actor = requireActor(callerOf(req));
      if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', 403, '仅工作人员可绑定动态口令');
      return auth.enrollTotp(callerOf(req), req.body.password);
    },
  });

  r.post('/api/v1/me/totp/confirm', {
    schema: { tags: ['me'], summary: '确认动态口令 (confirm TOTP enrolment)', body: totpConfirmBody },
    config: { access: 'authenticated' },
    handler: async (req, reply) => {
      await auth.confirmTotp(callerOf(req), req.body.code);
      return reply.status(204).send();
    },
  });

  // ---- organisations
  r.get('/api/v1/orgs', {
    schema: { tags: ['orgs'], summary: '组织机构树，限于数据范围 (org tree within your scope)' },
    config: { access: 'org:read' },
    handler: async (req) => ({ items: (await orgs.listInScope(callerOf(req), 'org:read')).map(toOrgView) }),
  });

  r.get('/api/v1/orgs/:id', {
    schema: { tags: ['orgs'], summary: '机构详情 (one organisation)', params: idParam },
    config: { access: 'org:read' },
    handler: async (req) => toOrgView(await orgs.getInScope(callerOf(req), req.params.id)),
  });

  r.post('/api/v1/orgs', {
    schema: { tags: ['orgs'], summary: '新增机构 (create an organisation)', body: createOrgBody },
    config: { access: 'org:write' },
    handler: async (req, reply) =>
      reply.status(201).send(toOrgView(await orgs.create(callerOf(req), req.body))),
  });

  r.patch('/api/v1/orgs/:id', {
    schema: {
      tags: ['orgs'],
      summary: '修改机构：名称、类型、信用代码、排序 (edit an organisation)',
      params: idParam,
      body: updateOrgBody,
    },
    config: { access: 'org:write' },
    handler: async (req) => toOrgView(await orgs.update(callerOf(req), req.params.id, req.body)),
  });

  // ---- users, posts, roles
  r.get('/api/v1/users', {
    schema: {
      tags: ['users'],
      summary: '用户列表，限于数据范围 (users within your scope)',
      querystring: listUsersQuery,
    },
    config: { access: 'user:read' },
    handler: async (req) => ({ items: await users.list(callerOf(req), req.query.orgId) }),
  });

  r.get('/api/v1/users/:id', {
    schema: { tags: ['users'], summary: '用户详情 (one user)', params: idParam },
    config: { access: 'user:read' },
    handler: async (req) => users.getInScope(callerOf(req), req.params.id),
  });

  r.post('/api/v1/users', {
    schema: {
      tags: ['users'],
      summary: '新增工作人员，岗位不带角色；首次登录须改密码 (create a staff account; posts carry no role)',
      body: createUserBody,
    },
    config: { access: 'user:write' },
    handler: async (req, reply) =>
      reply.status(201).send(await users.create(callerOf(req), { ...req.body, kind: 'staff' })),
  });

  r.post('/api/v1/users/:id/posts', {
    schema: {
      tags: ['users'],
      summary: '增加岗位，不带角色 (add a post without a role)',
      params: idParam,
      body: staffPostBody,
    },
    config: { access: 'user:write' },
    handler: async (req) => users.addPost(callerOf(req), req.params.id, req.body),
  });

  r.delete('/api/v1/users/:id/posts/:postId', {
    schema: {
      tags: ['users'],
      summary: '撤销岗位 (remove a post)',
      params: z.strictObject({ id: z.string().max(64), postId: z.string().max(64) }),
    },
    config: { access: 'user:write' },
    handler: async (req) => users.removePost(callerOf(req), req.params.id, req.params.postId),
  });

  const postParams = z.strictObject({ id: z.string().min(1).max(64), postId: z.string().min(1).max(64) });

  r.put('/api/v1/users/:id/posts/:postId/role', {
    schema: {
      tags: ['users'],
      summary: '为岗位授予角色，三员分立 (attach a role to a post; security administrator)',
      params: postParams,
      body: roleBody,
    },
    config: { access: 'role:write' },
    handler: async (req) =>
      users.attachRole(callerOf(req), req.params.id, req.params.postId, req.body.roleCode),
  });

  r.delete('/api/v1/users/:id/posts/:postId/role', {
    schema: {
      tags: ['users'],
      summary: '移除岗位的角色 (remove a post’s role; security administrator)',
      params: postParams,
    },
    config: { access: 'role:write' },
    handler: async (req) => users.removeRole(callerOf(req), req.params.id, req.params.postId),
  });

  r.post('/api/v1/users/:id/disable', {
    schema: {
      tags: ['users'],
      summary: '停用账号，立即结束其全部会话 (disable an account; ends its sessions)',
      params: idParam,
    },
    config: { access: 'user:write' },
    handler: async (req) => users.disable(callerOf(req), req.params.id),
  });

  r.post('/api/v1/users/:id/enable', {
    schema: { tags: ['users'], summary: '重新启用账号 (re-enable an account)', params: idParam },
    config: { access: 'user:write' },
    handler: async (req) => users.enable(callerOf(req), req.params.id),
  });

  r.post('/api/v1/users/:id/admin-posts', {
    schema: {
      tags: ['users'],
      summary: '授予管理员岗位，三员分立 (grant an administrator post; security administrator)',
      params: idParam,
      body: postBody,
    },
    config: { access: 'role:write' },
    handler: async (req) => users.addPost(callerOf(req), req.params.id, req.body, 'admin'),
  });

  r.delete('/api/v1/users/:id/admin-posts/:postId', {
    schema: {
      tags: ['users'],
      summary: '撤销管理员岗位 (remove an administrator post)',
      params: z.strictObject({ id: z.string().max(64), postId: z.string().max(64) }),
    },
    config: { access: 'role:write' },
    handler: async (req) => users.removePost(callerOf(req), req.params.id, req.params.postId, 'admin'),
  });

  r.post('/api/v1/users/:id/unlock', {
    schema: { tags: ['users'], summary: '解锁账号 (unlock an account)', params: idParam },
    config: { access: 'account:unlock' },
    handler: async (req) => users.unlock(callerOf(req), req.params.id),
  });

  r.post('/api/v1/users/:id/totp/reset', {
    schema: {
      tags: ['users'],
      summary: '重置两步验证（设备丢失）(reset a lost second factor)',
      params: idParam,
    },
    config: { access: 'account:unlock' },
    handler: async (req) => users.resetTotp(callerOf(req), req.params.id),
  });

  r.post('/api/v1/users/:id/sessions/revoke', {
    schema: {
      tags: ['users'],
      summary: '吊销该用户全部会话 (revoke all sessions of a user)',
      params: idParam,
    },
    config: { access: 'session:revoke' },
    handler: async (req) => {
      const caller = callerOf(req);
      await users.assertCanRevokeSessions(caller, req.params.id);
      return { revoked: await auth.revokeAllSessions(caller, req.params.id, 'revoked-by-security-admin') };
    },
  });

  r.get('/api/v1/roles', {
    schema: { tags: ['roles'], summary: '角色列表 (roles)' },
    config: { access: 'role:read' },
    handler: async (req) => ({ items: await users.listRoles(callerOf(req)) }),
  });

  r.post('/api/v1/roles', {
    schema: { tags: ['roles'], summary: '新增角色 (create a role)', body: createRoleBody },
    config: { access: 'role:write' },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await users.createRole(callerOf(req), req.body as Parameters<typeof users.createRole>[1])),
  });

  r.patch('/api/v1/roles/:code', {
    schema: {
      tags: ['roles'],
      summary: '修改业务角色：名称、说明、数据范围、权限 (edit a business role)',
      params: roleCodeParam,
      body: updateRoleBody,
    },
    config: { access: 'role:write' },
    handler: async (req) =>
      users.updateRole(callerOf(req), req.params.code, req.body as Parameters<typeof users.updateRole>[2]),
  });

  // ---- natural and legal persons
  r.post('/api/v1/persons', {
    schema: { tags: ['persons'], summary: '登记自然人 (register a natural person)', body: personBody },
    config: { access: 'person:write' },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      return reply.status(201).send(await persons.present(caller, await persons.register(caller, req.body)));
    },
  });

  r.get('/api/v1/persons', {
    schema: { tags: ['persons'], summary: '按身份证号码查找 (find by ID number)', querystring: personQuery },
    config: { access: 'person:read' },
    handler: async (req) => {
      const p = await persons.findByIdNumber(req.query.idNumber);
      return { items: p ? [await persons.present(callerOf(req), p)] : [] };
    },
  });

  r.get('/api/v1/persons/:id', {
    schema: { tags: ['persons'], summary: '自然人详情 (one natural person)', params: idParam },
    config: { access: 'person:read' },
    handler: async (req) => persons.present(callerOf(req), await persons.get(req.params.id)),
  });

  r.post('/api/v1/legal-persons', {
    schema: {
      tags: ['persons'],
      summary: '登记法人并绑定法定代表人 (register a legal person)',
      body: legalPersonBody,
    },
    config: { access: 'legal-person:write' },
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const { lp, rep } = await persons.registerLegalPerson(caller, req.body);
      return reply.status(201).send(await persons.legalPersonView(caller, lp, rep));
    },
  });

  r.get('/api/v1/legal-persons/:id', {
    schema: { tags: ['persons'], summary: '法人详情 (one legal person)', params: idParam },
    config: { access: 'legal-person:read' },
    handler: async (req) => {
      const { lp, rep } = await persons.getLegalPerson(req.params.id);
      return persons.legalPersonView(callerOf(req), lp, rep);
    },
  });
}
