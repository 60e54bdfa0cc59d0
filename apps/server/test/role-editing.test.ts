import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_PASSWORD } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, orgIdOf, type TestApp, userIdOf } from './support/harness';

interface RoleItem {
  code: string;
  name: string;
  adminClass: string | null;
  scope: string;
  permissions: string[];
  postCount: number;
  version: number;
  /** Why the caller may not edit the role; null when he may. */
  readOnlyReason: string | null;
}

async function storedRole(t: TestApp, code: string) {
  return t.ctx.db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
}

describeEachDialect('the security administrator edits roles; the others read them', (get) => {
  let sysadmin: string;
  let secadmin: string;
  let auditor: string;

  before(async () => {
    const t = get();
    sysadmin = await t.login('sysadmin');
    secadmin = await t.login('secadmin');
    auditor = await t.login('auditor');
  });

  const listRoles = async (cookie: string) => {
    const res = await get().inject({ method: 'GET', url: '/api/v1/roles', headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as RoleItem[];
  };
  // The edits here are not about versions: each names the version stored now.
  const patch = async (code: string, payload: Record<string, unknown>, cookie = secadmin) => {
    const stored = await get()
      .ctx.db.selectFrom('roles')
      .select('version')
      .where('code', '=', code)
      .executeTakeFirst();
    return get().inject({
      method: 'PATCH',
      url: `/api/v1/roles/${code}`,
      headers: { cookie },
      payload: { expectedVersion: stored?.version ?? 1, ...payload },
    });
  };

  it('the auditor and the system administrator read every role with how many posts hold it', async () => {
    const t = get();
    for (const cookie of [auditor, sysadmin]) {
      const roles = await listRoles(cookie);
      const held = await t.ctx.db
        .selectFrom('posts')
        .innerJoin('roles', 'roles.id', 'posts.role_id')
        .select('roles.code')
        .execute();
      for (const code of ['district-officer', 'window-clerk', 'sec-admin', 'legal-affairs']) {
        const role = roles.find((r) => r.code === code);
        assert.ok(role, code);
        assert.equal(role.postCount, held.filter((h) => h.code === code).length, code);
      }
      assert.equal(roles.find((r) => r.code === 'window-clerk')?.postCount, 2, 'zhangwei at two windows');
    }
  });

  it('edits a business role’s name, scope and permissions; holders gain and lose them at once; audited', async () => {
    const t = get();
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/roles',
      headers: { cookie: secadmin },
      payload: { code: 'reader', name: '查询员', scope: 'unit', permissions: ['org:read'] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const market = (
      await t.ctx.db
        .selectFrom('orgs')
        .select('id')
        .where('name', '=', '沈阳市市场监督管理局')
        .executeTakeFirstOrThrow()
    ).id;
    await t.ctx.identity.users.create(systemCaller('test'), {
      username: 'duzhe',
      displayName: '读者',
      password: DEMO_PASSWORD,
      posts: [{ orgId: market, roleCode: 'reader', title: '科员' }],
    });
    const holder = await t.login('duzhe');
    const permissionsOf = async () =>
      (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: holder } })).json()
        .permissions as string[];
    assert.deepEqual(await permissionsOf(), ['org:read']);

    const res = await patch('reader', {
      name: '事项查询员',
      description: '查看事项库',
      scope: 'region',
      permissions: ['catalog:read'],
    });
    assert.equal(res.statusCode, 200, res.body);
    const role = res.json() as RoleItem;
    assert.equal(role.name, '事项查询员');
    assert.equal(role.scope, 'region');
    assert.deepEqual(role.permissions, ['catalog:read']);
    assert.equal(role.postCount, 1);
    assert.deepEqual(await permissionsOf(), ['catalog:read'], 'the holder’s next request sees the new set');

    const [entry] = await auditEntries(t, 'role.update');
    assert.equal(entry.actor_name, 'secadmin');
    const detail = JSON.parse(entry.detail);
    assert.equal(detail.code, 'reader');
    assert.deepEqual(detail.added, ['catalog:read']);
    assert.deepEqual(detail.removed, ['org:read']);
    assert.deepEqual(detail.name, { from: '查询员', to: '事项查询员' });
    assert.deepEqual(detail.scope, { from: 'unit', to: 'region' });
    // The auditor reads it in Chinese: permissions and scopes by name, each change as old → new.
    const trail = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?action=role.update',
      headers: { cookie: await t.login('auditor') },
    });
    const [read] = trail.json().items;
    assert.equal(read.actionName, '修改角色');
    assert.match(read.summary, /数据范围：本机构及下级 → 所在行政区划全域/);
    assert.match(read.summary, /名称：查询员 → 事项查询员/);
    assert.doesNotMatch(read.summary, /catalog:read|org:read|unit|region/);
  });

  it('a business role never gets an administrator’s permission (409), and nothing changes', async () => {
    const t = get();
    for (const permission of ['user:write', 'role:write', 'audit:read', 'account:unlock']) {
      const res = await patch('reader', { permissions: ['catalog:read', permission] });
      assert.equal(res.statusCode, 409, `${permission}: ${res.body}`);
      assert.equal(res.json().code, 'SEPARATION_OF_DUTIES');
    }
    assert.deepEqual(JSON.parse((await storedRole(t, 'reader')).permissions), ['catalog:read']);
  });

  it('the administrator roles (三员) are not editable, not even by the security administrator', async () => {
    const t = get();
    for (const code of ['sys-admin', 'sec-admin', 'audit-admin']) {
      const before = await storedRole(t, code);
      const res = await patch(code, { permissions: ['org:read'] });
      assert.equal(res.statusCode, 409, `${code}: ${res.body}`);
      assert.equal(res.json().code, 'SEPARATION_OF_DUTIES');
      assert.equal((await storedRole(t, code)).permissions, before.permissions);
    }
  });

  it('a child role stays within its parent, and a parent keeps what its children hold', async () => {
    const t = get();
    const beyond = await patch('window-clerk', {
      permissions: [...JSON.parse((await storedRole(t, 'window-clerk')).permissions), 'catalog:review'],
    });
    assert.equal(beyond.statusCode, 400, beyond.body);
    assert.equal(beyond.json().code, 'VALIDATION_FAILED');
    assert.match(beyond.json().message, /审核发布/, 'the permission is named in Chinese');
    const parent = JSON.parse((await storedRole(t, 'district-officer')).permissions) as string[];
    const stripped = await patch('district-officer', {
      permissions: parent.filter((p) => p !== 'datahub:proof-query'),
    });
    assert.equal(stripped.statusCode, 400, stripped.body);
    assert.match(stripped.json().message, /综合窗口受理员/);
    assert.deepEqual(JSON.parse((await storedRole(t, 'district-officer')).permissions), parent);
  });

  it('only role:write edits roles: the system administrator and the auditor are 403', async () => {
    const t = get();
    for (const cookie of [sysadmin, auditor]) {
      const res = await patch('reader', { name: '越权' }, cookie);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'FORBIDDEN');
    }
    assert.equal((await storedRole(t, 'reader')).name, '事项查询员');
    const missing = await patch('no-such-role', { name: '无' });
    assert.equal(missing.statusCode, 404, missing.body);
  });
});

describeEachDialect(
  'a role is edited only by a security administrator covering every post that holds it',
  (get) => {
    let secadmin: string;
    let distsec: string;

    before(async () => {
      const t = get();
      secadmin = await t.login('secadmin');
      const fresh = await t.ctx.identity.users.create(systemCaller('test'), {
        username: 'distsec',
        displayName: '区安全管理员',
        password: DEMO_PASSWORD,
        posts: [],
      });
      // The city security administrator appoints a security administrator for 和平区 only.
      const granted = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${fresh.id}/admin-posts`,
        headers: { cookie: secadmin },
        payload: { orgId: await orgIdOf(t, '和平区'), roleCode: 'sec-admin', title: '区安全管理员' },
      });
      assert.equal(granted.statusCode, 200, granted.body);
      distsec = await t.login('distsec');
    });

    const rolesAs = async (cookie: string) => {
      const res = await get().inject({ method: 'GET', url: '/api/v1/roles', headers: { cookie } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items as RoleItem[];
    };

    it('a district security administrator cannot change a role held by city staff (403), nothing changes', async () => {
      const t = get();
      const before = await storedRole(t, 'dept-officer');
      const perms = JSON.parse(before.permissions) as string[];
      const wangfang = await t.login('wangfang');
      const powers = async () =>
        (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: wangfang } })).json()
          .permissions as string[];
      const had = await powers();
      const res = await t.inject({
        method: 'PATCH',
        url: '/api/v1/roles/dept-officer',
        headers: { cookie: distsec },
        payload: {
          expectedVersion: before.version,
          scope: 'region',
          permissions: [...perms, 'person:read-pii'],
        },
      });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'OUT_OF_SCOPE');
      assert.match(res.json().message, /沈阳市市场监督管理局/, 'names a post outside the caller’s scope');
      const after = await storedRole(t, 'dept-officer');
      assert.equal(after.permissions, before.permissions);
      assert.equal(after.scope, 'unit');
      assert.deepEqual(await powers(), had, 'the city officer’s powers are unchanged');
      // The city's own 王芳 post stays out of reach too (the grant side already held).
      const post = await t.ctx.db
        .selectFrom('posts')
        .select('id')
        .where('user_id', '=', await userIdOf(t, 'wangfang'))
        .executeTakeFirstOrThrow();
      const remove = await t.inject({
        method: 'DELETE',
        url: `/api/v1/users/${await userIdOf(t, 'wangfang')}/posts/${post.id}/role`,
        headers: { cookie: distsec },
      });
      assert.equal(remove.statusCode, 403, remove.body);
    });

    it('a parent role held in another district is out of reach; a role held only in his district is his to edit', async () => {
      const t = get();
      // 区级业务主管 is held in 和平区 and 沈河区.
      const parent = await storedRole(t, 'district-officer');
      const refused = await t.inject({
        method: 'PATCH',
        url: '/api/v1/roles/district-officer',
        headers: { cookie: distsec },
        payload: { expectedVersion: parent.version, name: '越区改名' },
      });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().code, 'OUT_OF_SCOPE');
      assert.equal((await storedRole(t, 'district-officer')).name, '区级业务主管');
      // 综合窗口受理员 is held at 和平区's windows only.
      const clerk = await storedRole(t, 'window-clerk');
      const own = await t.inject({
        method: 'PATCH',
        url: '/api/v1/roles/window-clerk',
        headers: { cookie: distsec },
        payload: { expectedVersion: clerk.version, description: '和平区窗口' },
      });
      assert.equal(own.statusCode, 200, own.body);
    });

    it('creating a role under a parent held outside his scope is 403; a role of his own is 201', async () => {
      const t = get();
      const child = await t.inject({
        method: 'POST',
        url: '/api/v1/roles',
        headers: { cookie: distsec },
        payload: {
          code: 'heping-sub',
          name: '和平区子角色',
          scope: 'unit',
          parentCode: 'dept-officer',
          permissions: ['org:read', 'user:read', 'person:read', 'catalog:read'],
        },
      });
      assert.equal(child.statusCode, 403, child.body);
      assert.equal(child.json().code, 'OUT_OF_SCOPE');
      assert.equal(
        await t.ctx.db.selectFrom('roles').select('id').where('code', '=', 'heping-sub').executeTakeFirst(),
        undefined,
      );
      const own = await t.inject({
        method: 'POST',
        url: '/api/v1/roles',
        headers: { cookie: distsec },
        payload: { code: 'heping-reader', name: '和平区查询员', scope: 'unit', permissions: ['org:read'] },
      });
      assert.equal(own.statusCode, 201, own.body);
    });

    it('the role list says, role by role, why this administrator may not edit it', async () => {
      const mine = await rolesAs(distsec);
      const reason = (code: string) => mine.find((r) => r.code === code)?.readOnlyReason;
      assert.match(reason('dept-officer') ?? '', /沈阳市市场监督管理局/);
      assert.match(reason('district-officer') ?? '', /沈河区/);
      assert.equal(reason('window-clerk'), null);
      assert.equal(reason('heping-reader'), null);
      assert.match(reason('sec-admin') ?? '', /三员/);
      const city = await rolesAs(secadmin);
      for (const code of ['dept-officer', 'district-officer', 'window-clerk']) {
        assert.equal(city.find((r) => r.code === code)?.readOnlyReason, null, code);
      }
      const city2 = await get().inject({
        method: 'PATCH',
        url: '/api/v1/roles/dept-officer',
        headers: { cookie: secadmin },
        payload: {
          expectedVersion: (await storedRole(get(), 'dept-officer')).version,
          description: '市级部门',
        },
      });
      assert.equal(city2.statusCode, 200, city2.body);
    });
  },
);

describeEachDialect('a role edit names the version it read', (get) => {
  let secadmin: string;
  before(async () => {
    secadmin = await get().login('secadmin');
  });
  const patch = (code: string, payload: Record<string, unknown>) =>
    get().inject({ method: 'PATCH', url: `/api/v1/roles/${code}`, headers: { cookie: secadmin }, payload });

  it('the role list gives each role’s version; an edit without one is 400', async () => {
    const t = get();
    const res = await t.inject({ method: 'GET', url: '/api/v1/roles', headers: { cookie: secadmin } });
    const role = (res.json().items as RoleItem[]).find((r) => r.code === 'legal-affairs');
    assert.equal(role?.version, 1);
    const bare = await patch('legal-affairs', { name: '无版本' });
    assert.equal(bare.statusCode, 400, bare.body);
    assert.equal((await storedRole(t, 'legal-affairs')).name, '法制审核员');
  });

  it('a dialog opened before another administrator’s change is 409 and loses nothing', async () => {
    const t = get();
    const shown = await storedRole(t, 'legal-affairs');
    const seen = JSON.parse(shown.permissions) as string[];
    const first = await patch('legal-affairs', {
      expectedVersion: shown.version,
      permissions: [...seen, 'person:read'],
    });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().version, shown.version + 1);
    // The second dialog sends everything it showed, the old permissions included.
    const stale = await patch('legal-affairs', {
      expectedVersion: shown.version,
      name: '法制审核',
      permissions: seen,
    });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().code, 'CONFLICT');
    assert.match(stale.json().message, /法制审核员.*已被他人修改，请刷新后重试/);
    assert.match(stale.json().message, /赵敏/, 'names who changed it');
    const now = await storedRole(t, 'legal-affairs');
    assert.ok(JSON.parse(now.permissions).includes('person:read'), 'the first change stands');
    assert.equal(now.name, '法制审核员');
    assert.equal((await auditEntries(t, 'role.update')).length, 1, 'only the first change is audited');
  });

  it('two edits sent at once with the same version: exactly one wins, even in the same millisecond', async () => {
    const t = get();
    const shown = await storedRole(t, 'legal-affairs');
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((n) =>
        patch('legal-affairs', { expectedVersion: shown.version, name: `法制审核员${n}` }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409], results.map((r) => r.body).join('\n'));
    const now = await storedRole(t, 'legal-affairs');
    assert.equal(now.version, shown.version + 1);
    const winner = results.find((r) => r.statusCode === 200)?.json().name;
    assert.equal(now.name, winner);
  });
});
