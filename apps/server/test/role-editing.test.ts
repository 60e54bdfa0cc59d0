import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_PASSWORD } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

interface RoleItem {
  code: string;
  name: string;
  adminClass: string | null;
  scope: string;
  permissions: string[];
  postCount: number;
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
  const patch = (code: string, payload: Record<string, unknown>, cookie = secadmin) =>
    get().inject({ method: 'PATCH', url: `/api/v1/roles/${code}`, headers: { cookie }, payload });

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
