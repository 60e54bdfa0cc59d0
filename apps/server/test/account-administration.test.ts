import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, it } from 'node:test';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_PASSWORD } from '../src/seed/demo-city';
import {
  auditEntries,
  childEnv,
  describeEachDialect,
  sessionCookie,
  type TestApp,
  userIdOf,
} from './support/harness';

const root = path.resolve(import.meta.dirname, '../../..');
const FIRST_PASSWORD = 'Given#Pass2026';
const OWN_PASSWORD = 'Mine#Secret2026';

interface PostItem {
  id: string;
  orgId: string;
  roleCode: string | null;
  title: string;
}

async function orgIdByName(t: TestApp, name: string): Promise<string> {
  return (await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;
}

function login(t: TestApp, username: string, password: string) {
  return t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
}

describeEachDialect(
  'three administrators: the system administrator creates, the security administrator grants',
  (get) => {
    let sysadmin: string;
    let secadmin: string;
    let auditor: string;
    let market: string;

    before(async () => {
      const t = get();
      sysadmin = await t.login('sysadmin');
      secadmin = await t.login('secadmin');
      auditor = await t.login('auditor');
      market = await orgIdByName(t, '沈阳市市场监督管理局');
    });

    const createAccount = (t: TestApp, username: string, posts: object[]) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: sysadmin },
        payload: { username, displayName: '新同事', password: FIRST_PASSWORD, posts },
      });

    it('the system administrator creating an account with a business role is 403 and creates nothing', async () => {
      const t = get();
      const res = await createAccount(t, 'rolefromsys', [
        { orgId: market, roleCode: 'dept-officer', title: '科员' },
      ]);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'ROLE_GRANT_FORBIDDEN');
      assert.match(res.json().message, /安全管理员/);
      const row = await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'rolefromsys')
        .executeTakeFirst();
      assert.equal(row, undefined);
    });

    it('an account the system administrator creates has role-less posts, no powers, and must change its password first', async () => {
      const t = get();
      const created = await createAccount(t, 'newclerk', [{ orgId: market, title: '科员' }]);
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json() as { id: string; posts: PostItem[]; mustChangePassword: boolean };
      assert.equal(body.posts.length, 1);
      assert.equal(body.posts[0].roleCode, null);
      assert.equal(body.mustChangePassword, true);

      const sysAddsRole = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${body.id}/posts`,
        headers: { cookie: sysadmin },
        payload: { orgId: market, roleCode: 'dept-officer', title: '兼职' },
      });
      assert.equal(sysAddsRole.statusCode, 403, sysAddsRole.body);
      assert.equal(sysAddsRole.json().code, 'ROLE_GRANT_FORBIDDEN');

      const res = await login(t, 'newclerk', FIRST_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().user.mustChangePassword, true);
      assert.deepEqual(res.json().user.permissions, []);
      const cookie = sessionCookie(res);

      const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().mustChangePassword, true);
      const sessions = await t.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie } });
      assert.equal(sessions.statusCode, 403, sessions.body);
      assert.equal(sessions.json().code, 'PASSWORD_CHANGE_REQUIRED');

      const changed = await t.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie },
        payload: { currentPassword: FIRST_PASSWORD, newPassword: OWN_PASSWORD },
      });
      assert.equal(changed.statusCode, 204, changed.body);
      const fresh = sessionCookie(changed);
      const after = await t.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie: fresh } });
      assert.equal(after.statusCode, 200, after.body);
      const meAfter = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: fresh } });
      assert.equal(meAfter.json().mustChangePassword, false);
    });

    it('the security administrator attaches a business role to the post and removes it again; the system administrator cannot', async () => {
      const t = get();
      const userId = await userIdOf(t, 'newclerk');
      const view = await t.inject({
        method: 'GET',
        url: `/api/v1/users/${userId}`,
        headers: { cookie: secadmin },
      });
      const postId = (view.json().posts as PostItem[])[0].id;
      const roleUrl = `/api/v1/users/${userId}/posts/${postId}/role`;

      const bySys = await t.inject({
        method: 'PUT',
        url: roleUrl,
        headers: { cookie: sysadmin },
        payload: { roleCode: 'dept-officer' },
      });
      assert.equal(bySys.statusCode, 403, bySys.body);

      const attached = await t.inject({
        method: 'PUT',
        url: roleUrl,
        headers: { cookie: secadmin },
        payload: { roleCode: 'dept-officer' },
      });
      assert.equal(attached.statusCode, 200, attached.body);
      assert.equal((attached.json().posts as PostItem[])[0].roleCode, 'dept-officer');

      const clerk = await t.login('newclerk', OWN_PASSWORD);
      const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: clerk } });
      assert.ok(me.json().permissions.includes('person:read'), me.body);

      const removed = await t.inject({ method: 'DELETE', url: roleUrl, headers: { cookie: secadmin } });
      assert.equal(removed.statusCode, 200, removed.body);
      assert.equal((removed.json().posts as PostItem[])[0].roleCode, null);
      const meAfter = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: clerk } });
      assert.deepEqual(meAfter.json().permissions, []);
    });

    it('the auditor reads the account, the post and both role changes in the audit trail, naming actor, target and role', async () => {
      const t = get();
      const userId = await userIdOf(t, 'newclerk');
      const res = await t.inject({
        method: 'GET',
        url: '/api/v1/audit?action=user.&pageSize=100',
        headers: { cookie: auditor },
      });
      assert.equal(res.statusCode, 200, res.body);
      const items = (
        res.json().items as {
          actorName: string;
          action: string;
          targetId: string;
          detail: Record<string, unknown>;
        }[]
      ).filter((e) => e.targetId === userId);
      const create = items.find((e) => e.action === 'user.create');
      assert.ok(create, 'user.create is in the trail');
      assert.equal(create.actorName, 'sysadmin');
      assert.equal((create.detail.posts as { role: string | null }[])[0].role, null);
      const attach = items.find((e) => e.action === 'user.role-attach');
      assert.equal(attach?.actorName, 'secadmin');
      assert.equal(attach?.detail.role, 'dept-officer');
      assert.equal(attach?.detail.username, 'newclerk');
      const detach = items.find((e) => e.action === 'user.role-remove');
      assert.equal(detach?.actorName, 'secadmin');
      assert.equal(detach?.detail.role, 'dept-officer');
    });

    it('an administrator role attaches to a role-less post of a fresh account only when it is the account’s only post', async () => {
      const t = get();
      const shenhe = await orgIdByName(t, '沈河区政务服务中心');
      const created = await createAccount(t, 'newauditor', [
        { orgId: market, title: '审计' },
        { orgId: shenhe, title: '兼职' },
      ]);
      const { id, posts } = created.json() as { id: string; posts: PostItem[] };
      const auditPost = posts.find((p) => p.orgId === market) as PostItem;
      const otherPost = posts.find((p) => p.orgId === shenhe) as PostItem;
      const attach = (postId: string, roleCode: string) =>
        t.inject({
          method: 'PUT',
          url: `/api/v1/users/${id}/posts/${postId}/role`,
          headers: { cookie: secadmin },
          payload: { roleCode },
        });
      const beside = await attach(auditPost.id, 'audit-admin');
      assert.equal(beside.statusCode, 409, beside.body);
      assert.equal(beside.json().code, 'SEPARATION_OF_DUTIES', 'not beside an ordinary post');

      const removed = await t.inject({
        method: 'DELETE',
        url: `/api/v1/users/${id}/posts/${otherPost.id}`,
        headers: { cookie: sysadmin },
      });
      assert.equal(removed.statusCode, 200, removed.body);
      const attached = await attach(auditPost.id, 'audit-admin');
      assert.equal(attached.statusCode, 200, attached.body);
      assert.equal(attached.json().adminClass, 'audit');
    });

    it('the system administrator cannot give an administrator account an ordinary post (409), and nothing is added', async () => {
      const t = get();
      for (const username of ['secadmin', 'newauditor']) {
        const id = await userIdOf(t, username);
        const res = await t.inject({
          method: 'POST',
          url: `/api/v1/users/${id}/posts`,
          headers: { cookie: sysadmin },
          payload: { orgId: await orgIdByName(t, '沈河区政务服务中心'), title: '挂名' },
        });
        assert.equal(res.statusCode, 409, `${username}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        assert.equal(res.json().code, 'SEPARATION_OF_DUTIES');
        const roleLess = await t.ctx.db
          .selectFrom('posts')
          .select('id')
          .where('user_id', '=', id)
          .where('role_id', 'is', null)
          .execute();
        assert.equal(roleLess.length, 0, `${username} holds no role-less post`);
      }
    });

    it('a role-less post is held once per account and org: a second add is 409, two at once leave one', async () => {
      const t = get();
      const id = await userIdOf(t, 'liuyang');
      const add = (orgId: string) =>
        t.inject({
          method: 'POST',
          url: `/api/v1/users/${id}/posts`,
          headers: { cookie: sysadmin },
          payload: { orgId, title: '科员' },
        });
      const civil = await orgIdByName(t, '沈河区民政局');
      assert.equal((await add(civil)).statusCode, 200);
      const again = await add(civil);
      assert.equal(again.statusCode, 409, `${again.statusCode}: now ${again.json().posts?.length} posts`);
      assert.equal(again.json().code, 'DUPLICATE');

      const centre = await orgIdByName(t, '沈河区政务服务中心');
      const both = await Promise.all([add(centre), add(centre)]);
      assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409], both.map((r) => r.body).join('\n'));
      const roleLessPosts = async (orgId: string) =>
        (
          await t.ctx.db
            .selectFrom('posts')
            .select('id')
            .where('user_id', '=', id)
            .where('org_id', '=', orgId)
            .where('role_id', 'is', null)
            .execute()
        ).length;
      assert.equal(await roleLessPosts(civil), 1);
      assert.equal(await roleLessPosts(centre), 1);
      // Taking away the role of his post at the same org still works: that post goes, one stays.
      const roled = await t.ctx.db
        .selectFrom('posts')
        .select('id')
        .where('user_id', '=', id)
        .where('org_id', '=', centre)
        .where('role_id', 'is not', null)
        .executeTakeFirstOrThrow();
      const revoked = await t.inject({
        method: 'DELETE',
        url: `/api/v1/users/${id}/posts/${roled.id}/role`,
        headers: { cookie: secadmin },
      });
      assert.equal(revoked.statusCode, 200, revoked.body);
      const atCentre = (revoked.json().posts as PostItem[]).filter((p) => p.orgId === centre);
      assert.deepEqual(
        atCentre.map((p) => p.roleCode),
        [null],
      );
      // The database holds the rule too, for any writer that skips the service.
      await assert.rejects(
        t.ctx.db
          .insertInto('posts')
          .values({
            id: crypto.randomUUID(),
            user_id: id,
            org_id: civil,
            role_id: null,
            title: '科员',
            created_at: '2026-01-01T00:00:00.000Z',
          })
          .execute(),
      );
    });

    it('a district system administrator gives posts only to accounts in his district', async () => {
      const t = get();
      const shenhe = await orgIdByName(t, '沈河区政务服务中心');
      await t.ctx.identity.users.create(systemCaller('test'), {
        username: 'shenhesys',
        displayName: '沈河系统管理员',
        password: DEMO_PASSWORD,
        posts: [{ orgId: shenhe, roleCode: 'sys-admin', title: '系统管理员' }],
      });
      const districtSys = await t.login('shenhesys');
      const addTo = async (username: string) =>
        t.inject({
          method: 'POST',
          url: `/api/v1/users/${await userIdOf(t, username)}/posts`,
          headers: { cookie: districtSys },
          payload: { orgId: shenhe, title: '借调' },
        });
      const outside = await addTo('zhangwei');
      assert.equal(outside.statusCode, 403, outside.body);
      assert.equal(outside.json().code, 'OUT_OF_SCOPE');
      const created = await createAccount(t, 'shenheclerk', [
        { orgId: await orgIdByName(t, '沈河区民政局'), title: '科员' },
      ]);
      assert.equal(created.statusCode, 201, created.body);
      const inside = await addTo('shenheclerk');
      assert.equal(inside.statusCode, 200, inside.body);
    });

    it('a citizen account gets neither an administrator post nor a staff post (422), and the audit trail stays closed to it', async () => {
      const t = get();
      const citizenId = await userIdOf(t, 'citizen');
      const city = (
        await t.ctx.db.selectFrom('orgs').select('id').where('code', '=', '210100').executeTakeFirstOrThrow()
      ).id;
      const adminPost = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${citizenId}/admin-posts`,
        headers: { cookie: secadmin },
        payload: { orgId: city, roleCode: 'audit-admin', title: '审计管理员' },
      });
      assert.equal(adminPost.statusCode, 422, adminPost.body);
      assert.equal(adminPost.json().code, 'NOT_A_STAFF_ACCOUNT');
      assert.match(adminPost.json().message, /居民/);
      const staffPost = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${citizenId}/posts`,
        headers: { cookie: sysadmin },
        payload: { orgId: market, title: '科员' },
      });
      assert.equal(staffPost.statusCode, 422, staffPost.body);
      const posts = await t.ctx.db
        .selectFrom('posts')
        .select('id')
        .where('user_id', '=', citizenId)
        .execute();
      assert.equal(posts.length, 0);
      const citizen = await t.login('citizen');
      const trail = await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: citizen } });
      assert.equal(trail.statusCode, 403);
    });

    it('the seeded demo accounts need no password change', async () => {
      const t = get();
      const res = await login(t, 'zhangwei', DEMO_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().user.mustChangePassword, false);
    });

    it('an administrator created with the CLI must change its password at first login', async () => {
      const t = get();
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'apps/server/src/cli/main.ts',
          'create-admin',
          '--username',
          'clisecurity',
          '--display-name',
          '命令行安全员',
          '--class',
          'security',
          '--password',
          FIRST_PASSWORD,
        ],
        { cwd: root, encoding: 'utf8', env: childEnv(t.database.url) },
      );
      assert.equal(r.status, 0, r.stderr);
      const res = await login(t, 'clisecurity', FIRST_PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().user.mustChangePassword, true);
      const users = await t.inject({
        method: 'GET',
        url: '/api/v1/users',
        headers: { cookie: sessionCookie(res) },
      });
      assert.equal(users.statusCode, 403);
      assert.equal(users.json().code, 'PASSWORD_CHANGE_REQUIRED');
    });
  },
);

describeEachDialect('the system administrator disables and re-enables accounts', (get) => {
  let sysadmin: string;
  let secadmin: string;

  before(async () => {
    const t = get();
    sysadmin = await t.login('sysadmin');
    secadmin = await t.login('secadmin');
  });

  const act = (t: TestApp, cookie: string, userId: string, what: 'disable' | 'enable') =>
    t.inject({ method: 'POST', url: `/api/v1/users/${userId}/${what}`, headers: { cookie } });

  it('disabling ends the account’s sessions at once and refuses its login; re-enabling lets it log in again', async () => {
    const t = get();
    const liuyangId = await userIdOf(t, 'liuyang');
    const liuyang = await t.login('liuyang');
    const disabled = await act(t, sysadmin, liuyangId, 'disable');
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json().status, 'disabled');

    const old = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: liuyang } });
    assert.equal(old.statusCode, 401);
    const live = await t.ctx.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', liuyangId)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 0, 'every session of the account is revoked');
    const refused = await login(t, 'liuyang', DEMO_PASSWORD);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'ACCOUNT_DISABLED');

    const entry = (await auditEntries(t, 'user.disable'))[0];
    assert.equal(entry.actor_name, 'sysadmin');
    assert.equal(entry.target_id, liuyangId);
    assert.equal(JSON.parse(entry.detail).sessionsRevoked >= 1, true);

    const again = await act(t, sysadmin, liuyangId, 'disable');
    assert.equal(again.statusCode, 409, again.body);

    const enabled = await act(t, sysadmin, liuyangId, 'enable');
    assert.equal(enabled.statusCode, 200, enabled.body);
    assert.equal(enabled.json().status, 'active');
    assert.equal((await auditEntries(t, 'user.enable'))[0].actor_name, 'sysadmin');
    const stillOld = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: liuyang } });
    assert.equal(stillOld.statusCode, 401, 'an old session does not come back with the account');
    assert.equal((await login(t, 'liuyang', DEMO_PASSWORD)).statusCode, 200);
  });

  it('the staff list says when each account last logged in (its newest session), and nothing for one that never did', async () => {
    const t = get();
    const list = async () => {
      const res = await t.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: sysadmin } });
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as { username: string; lastLoginAt: string | null }[];
      return new Map(items.map((u) => [u.username, u.lastLoginAt]));
    };
    assert.equal((await list()).get('chenjing'), null);
    t.clock.advance(60_000);
    const at = t.clock.now().toISOString();
    await t.login('chenjing');
    assert.equal((await list()).get('chenjing'), at);
    t.clock.advance(60_000);
    await t.login('chenjing');
    assert.equal((await list()).get('chenjing'), t.clock.now().toISOString());
  });

  it('a wrong password to a disabled account is answered like any wrong password: only the right one learns it is disabled', async () => {
    const t = get();
    const wangfangId = await userIdOf(t, 'wangfang');
    assert.equal((await act(t, sysadmin, wangfangId, 'disable')).statusCode, 200);
    try {
      const wrong = await login(t, 'wangfang', 'Not#HerPassword1');
      const unknown = await login(t, 'nobody-here', 'Not#HerPassword1');
      assert.equal(wrong.statusCode, unknown.statusCode, wrong.body);
      assert.equal(wrong.json().code, unknown.json().code);
      assert.equal(wrong.json().message, unknown.json().message);
      const right = await login(t, 'wangfang', DEMO_PASSWORD);
      assert.equal(right.statusCode, 403);
      assert.equal(right.json().code, 'ACCOUNT_DISABLED');
    } finally {
      assert.equal((await act(t, sysadmin, wangfangId, 'enable')).statusCode, 200);
    }
  });

  it('only the system administrator disables accounts', async () => {
    const t = get();
    const before = (await auditEntries(t, 'user.disable')).length;
    const res = await act(t, secadmin, await userIdOf(t, 'wangfang'), 'disable');
    assert.equal(res.statusCode, 403, res.body);
    assert.equal((await auditEntries(t, 'user.disable')).length, before, 'no account was disabled');
  });

  it('nobody disables themselves, nor the last active holder of an administrator class', async () => {
    const t = get();
    const self = await act(t, sysadmin, await userIdOf(t, 'sysadmin'), 'disable');
    assert.equal(self.statusCode, 403, self.body);
    assert.match(self.json().message, /自己/);
    const lastSecurity = await act(t, sysadmin, await userIdOf(t, 'secadmin'), 'disable');
    assert.equal(lastSecurity.statusCode, 409, lastSecurity.body);
    assert.equal(lastSecurity.json().code, 'LAST_ADMINISTRATOR');
    const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: secadmin } });
    assert.equal(me.statusCode, 200, 'the security administrator keeps working');
  });
});
