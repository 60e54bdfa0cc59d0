import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemCaller } from '../src/platform/http/caller';
import { auditEntries, describeEachDialect, orgIdOf, type TestApp } from './support/harness';

interface PostItem {
  id: string;
  orgId: string;
  roleCode: string;
  title: string;
}
interface UserBody {
  id: string;
  username: string;
  adminClass: string | null;
  homeKind: string;
  posts: PostItem[];
  permissions?: string[];
}

async function orgIdByCode(t: TestApp, code: string): Promise<string> {
  return (await t.ctx.db.selectFrom('orgs').select('id').where('code', '=', code).executeTakeFirstOrThrow())
    .id;
}

async function userRow(t: TestApp, username: string) {
  return t.ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** The roles of a user's posts, straight from the database. */
async function roleCodesOf(t: TestApp, userId: string): Promise<string[]> {
  const rows = await t.ctx.db
    .selectFrom('posts')
    .innerJoin('roles', 'roles.id', 'posts.role_id')
    .select('roles.code')
    .where('posts.user_id', '=', userId)
    .execute();
  return rows.map((r) => r.code).sort();
}

describeEachDialect('separation of duties (三员分立) and roles', (get) => {
  let cityId: string;
  let sysadminId: string;
  let sysadmin: string;
  let secadmin: string;

  before(async () => {
    const t = get();
    cityId = await orgIdByCode(t, '210100');
    sysadminId = (await userRow(t, 'sysadmin'))?.id as string;
    sysadmin = await t.login('sysadmin');
    secadmin = await t.login('secadmin');
  });

  it('the security administrator adding an audit-admin post to the system administrator is 409 SEPARATION_OF_DUTIES', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${sysadminId}/admin-posts`,
      headers: { cookie: secadmin },
      payload: { orgId: cityId, roleCode: 'audit-admin', title: '审计管理员' },
    });
    const row = await userRow(t, 'sysadmin');
    assert.equal(row?.admin_class, 'system', "sysadmin's admin class is unchanged");
    assert.deepEqual(await roleCodesOf(t, sysadminId), ['sys-admin'], "sysadmin's posts are unchanged");
    assert.equal((await auditEntries(t, 'user.post-add')).length, 0, 'no post was added');
    assert.equal(res.statusCode, 409, `expected 409 SEPARATION_OF_DUTIES, got ${res.statusCode} ${res.body}`);
    assert.equal(res.json().code, 'SEPARATION_OF_DUTIES');
  });

  it('the security administrator lacks user:write: creating a user is 403', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: secadmin },
      payload: {
        username: 'secmade',
        displayName: '安全员所建',
        password: 'Strong#Pass2026',
        posts: [{ orgId: cityId, roleCode: 'dept-officer', title: '科员' }],
      },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
    assert.equal(await userRow(t, 'secmade'), undefined);
    const [denial] = await auditEntries(t, 'permission.denied');
    assert.equal(denial.actor_name, 'secadmin');
    assert.equal(denial.target_id, 'POST /api/v1/users');
  });

  it('the system administrator cannot grant an administrator role: 403, no account created', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: sysadmin },
      payload: {
        username: 'secadmin2',
        displayName: '第二安全员',
        password: 'Strong#Pass2026',
        posts: [{ orgId: cityId, roleCode: 'sec-admin', title: '安全管理员' }],
      },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'ROLE_GRANT_FORBIDDEN');
    assert.equal(await userRow(t, 'secadmin2'), undefined);
    const [denial] = await auditEntries(t, 'permission.denied');
    assert.equal(denial.actor_name, 'sysadmin');
    assert.equal(denial.outcome, 'denied');
  });

  it('the system administrator cannot give itself the audit-admin role either', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${sysadminId}/posts`,
      headers: { cookie: sysadmin },
      payload: { orgId: cityId, roleCode: 'audit-admin', title: '审计管理员' },
    });
    assert.ok(res.statusCode === 403 || res.statusCode === 409, `got ${res.statusCode}`);
    assert.deepEqual(await roleCodesOf(t, sysadminId), ['sys-admin']);
    assert.equal((await userRow(t, 'sysadmin'))?.admin_class, 'system');
  });

  it('one person, several posts: a user with two posts is created, the security administrator gives each its role, and /me lists both', async () => {
    const t = get();
    const hepingHall = await orgIdOf(t, '和平区政务服务中心');
    const market = await orgIdOf(t, '沈阳市市场监督管理局');
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: sysadmin },
      payload: {
        username: 'chenjie',
        displayName: '陈静',
        password: 'Strong#Pass2026',
        posts: [
          { orgId: hepingHall, title: '业务主管' },
          { orgId: market, title: '审批科科员' },
        ],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const created = res.json() as UserBody;
    for (const post of created.posts) {
      const attach = await t.inject({
        method: 'PUT',
        url: `/api/v1/users/${created.id}/posts/${post.id}/role`,
        headers: { cookie: secadmin },
        payload: { roleCode: post.orgId === hepingHall ? 'district-officer' : 'dept-officer' },
      });
      assert.equal(attach.statusCode, 200, attach.body);
    }
    assert.equal(created.username, 'chenjie');
    assert.equal(created.adminClass, null);
    assert.equal(created.homeKind, 'staff');
    assert.equal(created.posts.length, 2);
    assert.equal(
      (await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'chenjie').execute()).length,
      1,
      'one account',
    );

    const cookie = await t.login('chenjie', 'Strong#Pass2026');
    const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    assert.equal(me.statusCode, 200);
    const body = me.json() as UserBody;
    assert.equal(body.id, created.id);
    assert.deepEqual(
      body.posts.map((p) => `${p.orgId}:${p.roleCode}:${p.title}`).sort(),
      [`${hepingHall}:district-officer:业务主管`, `${market}:dept-officer:审批科科员`].sort(),
    );
    // The permissions are the union of both posts: person:write comes only from district-officer.
    assert.ok(body.permissions?.includes('person:write'));
    assert.ok(body.permissions?.includes('org:read'));
    assert.ok(!body.permissions?.includes('user:write'));
  });

  it('a child role with a permission its parent lacks is 400', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: secadmin },
      payload: {
        code: 'dept-writer',
        name: '部门登记员',
        parentCode: 'dept-officer',
        scope: 'unit',
        permissions: ['org:read', 'person:write'],
      },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'VALIDATION_FAILED');
    assert.match(res.json().message, /多出：登记自然人/);
    assert.equal(
      await t.ctx.db.selectFrom('roles').select('id').where('code', '=', 'dept-writer').executeTakeFirst(),
      undefined,
    );
  });

  it('a valid child role is 201 and a fourth nesting level is 400', async () => {
    const t = get();
    // district-officer (1) → window-clerk (2) → window-junior (3) → window-trainee (4, refused)
    const third = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: secadmin },
      payload: {
        code: 'window-junior',
        name: '窗口见习受理员',
        parentCode: 'window-clerk',
        scope: 'unit',
        permissions: ['org:read', 'person:read'],
      },
    });
    assert.equal(third.statusCode, 201, third.body);
    const role = third.json();
    assert.equal(role.code, 'window-junior');
    assert.equal(role.parentCode, 'window-clerk');
    assert.deepEqual([...role.permissions].sort(), ['org:read', 'person:read']);
    assert.equal(role.adminClass, null);
    const [entry] = await auditEntries(t, 'role.create');
    assert.equal(entry.actor_name, 'secadmin');
    assert.equal(entry.target_id, role.id);

    const fourth = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: secadmin },
      payload: {
        code: 'window-trainee',
        name: '窗口实习生',
        parentCode: 'window-junior',
        scope: 'unit',
        permissions: ['org:read'],
      },
    });
    assert.equal(fourth.statusCode, 400);
    assert.equal(fourth.json().code, 'VALIDATION_FAILED');
    assert.equal(
      await t.ctx.db.selectFrom('roles').select('id').where('code', '=', 'window-trainee').executeTakeFirst(),
      undefined,
    );
  });

  it('the system administrator may not create roles (role:write is the security administrator’s)', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: sysadmin },
      payload: { code: 'sys-made', name: '系统员所建', scope: 'unit', permissions: ['org:read'] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
  });
});

/**
 * Administrator posts are granted by the security administrator through /admin-posts; the
 * one-account-one-class rule holds there, and in the service for the CLI and seeders.
 */
describeEachDialect('one account never holds two administrator classes', (get) => {
  let cityId: string;
  let sysadminId: string;
  let grantor: string;

  before(async () => {
    const t = get();
    cityId = await orgIdByCode(t, '210100');
    sysadminId = (await userRow(t, 'sysadmin'))?.id as string;
    grantor = await t.login('secadmin');
  });

  it('adding an audit-admin post to the system administrator is 409 and leaves the account unchanged', async () => {
    const t = get();
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${sysadminId}/admin-posts`,
      headers: { cookie: grantor },
      payload: { orgId: cityId, roleCode: 'audit-admin', title: '审计管理员' },
    });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'SEPARATION_OF_DUTIES');
    assert.equal((await userRow(t, 'sysadmin'))?.admin_class, 'system');
    assert.deepEqual(await roleCodesOf(t, sysadminId), ['sys-admin']);
    assert.equal((await auditEntries(t, 'user.post-add')).length, 0);
    const cookie = await t.login('sysadmin');
    const audit = await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie } });
    assert.equal(audit.statusCode, 403, 'sysadmin still cannot read the trail');
  });

  it('creating an account with two administrator classes is 409 and creates nothing', async () => {
    const t = get();
    await assert.rejects(
      t.ctx.identity.users.create(systemCaller('test'), {
        username: 'superadmin',
        displayName: '超级管理员',
        password: 'Strong#Pass2026',
        posts: [
          { orgId: cityId, roleCode: 'sys-admin', title: '系统管理员' },
          { orgId: cityId, roleCode: 'audit-admin', title: '审计管理员' },
        ],
      }),
      (err: { code?: string }) => err.code === 'SEPARATION_OF_DUTIES',
    );
    assert.equal(await userRow(t, 'superadmin'), undefined);
  });

  it('an ordinary role cannot be granted through /admin-posts, nor an admin post removed through /posts', async () => {
    const t = get();
    const zhangwei = (await userRow(t, 'zhangwei'))?.id as string;
    const ordinary = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${zhangwei}/admin-posts`,
      headers: { cookie: grantor },
      payload: { orgId: cityId, roleCode: 'dept-officer', title: '科员' },
    });
    assert.equal(ordinary.statusCode, 422, ordinary.body);
    const auditorId = (await userRow(t, 'auditor'))?.id as string;
    const post = await t.ctx.db
      .selectFrom('posts')
      .select('id')
      .where('user_id', '=', auditorId)
      .executeTakeFirstOrThrow();
    const sysadmin = await t.login('sysadmin');
    const removed = await t.inject({
      method: 'DELETE',
      url: `/api/v1/users/${auditorId}/posts/${post.id}`,
      headers: { cookie: sysadmin },
    });
    assert.equal(removed.statusCode, 403, 'the system administrator cannot strip the auditor');
    assert.deepEqual(await roleCodesOf(t, auditorId), ['audit-admin']);
  });

  it('a second post of the same class is allowed (the rule is about classes, not posts)', async () => {
    const t = get();
    const auditorId = (await userRow(t, 'auditor'))?.id as string;
    const district = await orgIdByCode(t, '210102');
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${auditorId}/admin-posts`,
      headers: { cookie: grantor },
      payload: { orgId: district, roleCode: 'audit-admin', title: '和平区审计' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().adminClass, 'audit');
    assert.equal(res.json().posts.length, 2);
  });

  it('the system administrator cannot reach the audit trail through a class-less role carrying audit:read', async () => {
    const t = get();
    const secadmin = await t.login('secadmin');
    const sysadmin = await t.login('sysadmin');
    const role = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: secadmin },
      payload: { code: 'audit-reader', name: '审计查阅', scope: 'region', permissions: ['audit:read'] },
    });
    let steps = `POST /roles → ${role.statusCode}`;
    if (role.statusCode === 201) {
      const post = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${sysadminId}/posts`,
        headers: { cookie: sysadmin },
        payload: { orgId: cityId, roleCode: 'audit-reader', title: '审计查阅' },
      });
      steps += `; sysadmin adds the post to itself → ${post.statusCode}`;
    } else {
      assert.ok(
        role.statusCode === 400 || role.statusCode === 409,
        `refusing the role: got ${role.statusCode}`,
      );
    }
    const fresh = await t.login('sysadmin');
    const audit = await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: fresh } });
    assert.equal(
      audit.statusCode,
      403,
      `the system administrator must never read the audit trail (${steps}; GET /audit → ${audit.statusCode})`,
    );
  });
});
