import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { auditEntries, describeEachDialect, userIdOf } from './support/harness';

interface OrgItem {
  id: string;
  name: string;
  code: string | null;
  kind: string;
  path: string;
}
interface UserItem {
  id: string;
  username: string;
}

describeEachDialect('data scope follows the org tree', (get) => {
  let heping: { id: string; path: string };
  let shenhe: { id: string; path: string };
  let liuyangId: string;
  let zhangweiId: string;
  let zhangwei: string;

  before(async () => {
    const t = get();
    const rows = await t.ctx.db
      .selectFrom('orgs')
      .select(['id', 'path', 'code'])
      .where('code', 'in', ['210102', '210103'])
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    heping = byCode.get('210102') as { id: string; path: string };
    shenhe = byCode.get('210103') as { id: string; path: string };
    assert.ok(heping && shenhe, 'the demo city has 和平区 and 沈河区');
    liuyangId = await userIdOf(t, 'liuyang');
    zhangweiId = await userIdOf(t, 'zhangwei');
    zhangwei = await t.login('zhangwei');
  });

  it('a district officer lists only the 和平区 subtree', async () => {
    const t = get();
    const res = await t.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie: zhangwei } });
    assert.equal(res.statusCode, 200);
    const items = (res.json() as { items: OrgItem[] }).items;
    const all = await t.ctx.db.selectFrom('orgs').select(['id', 'path']).execute();
    const subtree = all.filter((o) => o.path.startsWith(heping.path));
    assert.ok(subtree.length > 5, 'the 和平区 subtree has streets, communities, departments and windows');
    assert.deepEqual(items.map((o) => o.id).sort(), subtree.map((o) => o.id).sort());
    for (const o of items) assert.ok(o.path.startsWith(heping.path), `${o.name} lies outside 和平区`);
    const names = items.map((o) => o.name);
    assert.ok(names.includes('和平区'));
    assert.ok(names.includes('太原街街道'));
    assert.ok(names.includes('和平区政务服务中心'));
    assert.ok(!items.some((o) => o.id === shenhe.id), 'no 沈河区 node');
    assert.ok(
      !names.some((n) => n.startsWith('沈河区') || ['大西街道', '皇城街道'].includes(n)),
      'no node of 沈河区',
    );
    assert.ok(!names.includes('沈阳市市场监督管理局'), 'no city department');
    assert.ok(!names.includes('沈阳市') && !names.includes('辽宁省'), 'no ancestor region');
  });

  it('reading a sibling district is 403 OUT_OF_SCOPE and audited as a denial by zhangwei', async () => {
    const t = get();
    const before = (await auditEntries(t, 'permission.denied')).length;
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/orgs/${shenhe.id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(res.statusCode, 403);
    const body = res.json();
    assert.equal(body.code, 'OUT_OF_SCOPE');
    assert.equal(typeof body.requestId, 'string');
    assert.equal(body.name, undefined, 'the denied org is not leaked');
    const denials = await auditEntries(t, 'permission.denied');
    assert.equal(denials.length, before + 1);
    const entry = denials[0];
    assert.equal(entry.actor_name, 'zhangwei');
    assert.equal(entry.actor_id, zhangweiId);
    assert.equal(entry.outcome, 'denied');
    assert.equal(entry.request_id, body.requestId);
    const detail = JSON.parse(entry.detail);
    assert.equal(detail.code, 'OUT_OF_SCOPE');
    assert.ok(String(detail.url).includes(shenhe.id));
  });

  it('the own district reads fine (the 403 above is about scope, not the route)', async () => {
    const t = get();
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/orgs/${heping.id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().code, '210102');
    assert.equal(res.json().name, '和平区');
  });

  it('listing users of a sibling district is 403', async () => {
    const t = get();
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/users?orgId=${shenhe.id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'OUT_OF_SCOPE');
    const [entry] = await auditEntries(t, 'permission.denied');
    assert.equal(entry.actor_name, 'zhangwei');
    assert.equal(entry.outcome, 'denied');
  });

  it('reading a user of a sibling district is 403', async () => {
    const t = get();
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/users/${liuyangId}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'OUT_OF_SCOPE');
    assert.ok(!res.body.includes('liuyang'), 'nothing about liuyang leaks');
    const [entry] = await auditEntries(t, 'permission.denied');
    assert.equal(entry.actor_name, 'zhangwei');
    assert.ok(JSON.parse(entry.detail).url.includes(liuyangId));
  });

  it('the user list holds zhangwei but not liuyang', async () => {
    const t = get();
    const res = await t.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie: zhangwei } });
    assert.equal(res.statusCode, 200);
    const names = (res.json() as { items: UserItem[] }).items.map((u) => u.username);
    assert.ok(names.includes('zhangwei'));
    assert.ok(!names.includes('liuyang'));
    assert.ok(!names.includes('wangfang'), 'a city department officer is outside 和平区');
    assert.ok(!names.includes('sysadmin'));
  });

  it('the user list filtered to the own district holds zhangwei', async () => {
    const t = get();
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/users?orgId=${heping.id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      (res.json() as { items: UserItem[] }).items.map((u) => u.username),
      ['zhangwei'],
    );
  });

  it('the system administrator sees both districts and both officers', async () => {
    const t = get();
    const cookie = await t.login('sysadmin');
    const orgs = await t.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie } });
    assert.equal(orgs.statusCode, 200);
    const ids = (orgs.json() as { items: OrgItem[] }).items.map((o) => o.id);
    assert.ok(ids.includes(heping.id));
    assert.ok(ids.includes(shenhe.id));
    const sibling = await t.inject({ method: 'GET', url: `/api/v1/orgs/${shenhe.id}`, headers: { cookie } });
    assert.equal(sibling.statusCode, 200);
    assert.equal(sibling.json().name, '沈河区');
    const users = await t.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
    assert.equal(users.statusCode, 200);
    const names = (users.json() as { items: UserItem[] }).items.map((u) => u.username);
    assert.ok(names.includes('zhangwei'));
    assert.ok(names.includes('liuyang'));
    const liuyang = await t.inject({ method: 'GET', url: `/api/v1/users/${liuyangId}`, headers: { cookie } });
    assert.equal(liuyang.statusCode, 200);
    assert.equal(liuyang.json().username, 'liuyang');
  });

  it('a citizen may not read the org tree: 403 FORBIDDEN', async () => {
    const t = get();
    const cookie = await t.login('citizen');
    const res = await t.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
    const [entry] = await auditEntries(t, 'permission.denied');
    assert.equal(entry.actor_name, 'citizen');
    assert.equal(entry.outcome, 'denied');
  });

  it('without a session: 401 UNAUTHENTICATED', async () => {
    const t = get();
    for (const url of ['/api/v1/orgs', `/api/v1/orgs/${heping.id}`, '/api/v1/users', '/api/v1/audit']) {
      const res = await t.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().code, 'UNAUTHENTICATED', url);
    }
    const bogus = await t.inject({
      method: 'GET',
      url: '/api/v1/orgs',
      headers: { cookie: 'gf_session=not-a-real-token' },
    });
    assert.equal(bogus.statusCode, 401);
    assert.equal(bogus.json().code, 'UNAUTHENTICATED');
  });

  it('only the audit administrator reads the audit trail', async () => {
    const t = get();
    const auditor = await t.login('auditor');
    const ok = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?action=permission.denied',
      headers: { cookie: auditor },
    });
    assert.equal(ok.statusCode, 200);
    const page = ok.json() as { items: { action: string; actorName: string }[]; total: number };
    assert.ok(page.total >= 1);
    assert.ok(page.items.every((e) => e.action === 'permission.denied'));
    assert.ok(
      page.items.some((e) => e.actorName === 'zhangwei'),
      'the auditor sees the denials recorded above',
    );

    for (const username of ['sysadmin', 'secadmin', 'zhangwei']) {
      const cookie = await t.login(username);
      const before = (await auditEntries(t, 'permission.denied')).length;
      const res = await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie } });
      assert.equal(res.statusCode, 403, username);
      assert.equal(res.json().code, 'FORBIDDEN', username);
      assert.equal(res.json().items, undefined, `${username} gets no entries`);
      const denials = await auditEntries(t, 'permission.denied');
      assert.equal(denials.length, before + 1, `${username}'s denial is audited`);
      assert.equal(denials[0].actor_name, username);
      assert.equal(denials[0].outcome, 'denied');
      assert.equal(denials[0].target_id, 'GET /api/v1/audit');
    }
  });
});
