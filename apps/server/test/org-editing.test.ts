import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { makeCreditCode } from '@govflow/shared';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_PASSWORD } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, orgIdOf, type TestApp } from './support/harness';

async function orgRow(t: TestApp, id: string) {
  return t.ctx.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describeEachDialect('the system administrator edits organisations', (get) => {
  let sysadmin: string;
  let secadmin: string;
  let zhangwei: string;
  let hepingHall: string;
  let hepingWindow: string;
  let heping: string;
  let market: string;

  before(async () => {
    const t = get();
    sysadmin = await t.login('sysadmin');
    secadmin = await t.login('secadmin');
    zhangwei = await t.login('zhangwei');
    heping = await orgIdOf(t, '和平区');
    hepingHall = await orgIdOf(t, '和平区政务服务中心');
    hepingWindow = await orgIdOf(t, '综合受理窗口1', hepingHall);
    market = await orgIdOf(t, '沈阳市市场监督管理局');
  });

  // The edits here are not about versions: each names the version stored now.
  const patch = async (id: string, payload: Record<string, unknown>, cookie = sysadmin) => {
    const stored = await get()
      .ctx.db.selectFrom('orgs')
      .select('version')
      .where('id', '=', id)
      .executeTakeFirst();
    return get().inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${id}`,
      headers: { cookie },
      payload: { expectedVersion: stored?.version ?? 1, ...payload },
    });
  };

  it('renames a department, reorders it and sets its credit code in one audited change', async () => {
    const t = get();
    const code = makeCreditCode('11', '210100', 'E0000001');
    const res = await patch(market, { name: '沈阳市市场监管局', sort: 3, code });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().name, '沈阳市市场监管局');
    assert.equal(res.json().sort, 3);
    assert.equal(res.json().code, code);
    const stored = await orgRow(t, market);
    assert.equal(stored.name, '沈阳市市场监管局');
    assert.equal(stored.code, code);
    const [entry] = (await auditEntries(t, 'org.update')).filter((e) => e.target_id === market);
    assert.equal(entry.actor_name, 'sysadmin');
    const detail = JSON.parse(entry.detail);
    assert.equal(detail.orgName, '沈阳市市场监督管理局', 'the entry names the org as it was');
    assert.deepEqual(detail.changes.name, { from: '沈阳市市场监督管理局', to: '沈阳市市场监管局' });
    assert.equal(detail.changes.code.to, code);
    assert.equal(detail.changes.sort.to, 3);
    assert.equal(detail.changes.kind, undefined, 'only what changed is recorded');
    // The auditor reads the change in Chinese: the action's name and each field's old and new value.
    const auditor = await t.login('auditor');
    const trail = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?action=org.update',
      headers: { cookie: auditor },
    });
    const read = trail.json().items.find((e: { targetId: string }) => e.targetId === market);
    assert.equal(read.actionName, '修改机构');
    assert.match(read.summary, /名称：沈阳市市场监督管理局 → 沈阳市市场监管局/);
    assert.match(read.summary, /排序：\d+ → 3/);
  });

  it('a unit name already used under the same parent is 409, created twice at once too, and renaming to it', async () => {
    const t = get();
    const create = (name: string) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/orgs',
        headers: { cookie: sysadmin },
        payload: { parentId: hepingHall, kind: 'unit', name },
      });
    // A double click: both requests at once; one unit is made, the other is told it exists.
    const both = await Promise.all([create('综合受理科'), create('综合受理科')]);
    assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 409], both.map((r) => r.body).join('\n'));
    // The one refused at the database says the same as the check, naming the parent.
    assert.match(both.find((r) => r.statusCode === 409)?.json().message ?? '', /“和平区政务服务中心”下已有/);
    const again = await create('综合受理科');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'DUPLICATE');
    assert.match(again.json().message, /“和平区政务服务中心”下已有名为“综合受理科”的机构/);
    const named = await t.ctx.db
      .selectFrom('orgs')
      .select('id')
      .where('parent_id', '=', hepingHall)
      .where('name', '=', '综合受理科')
      .execute();
    assert.equal(named.length, 1);
    // The same name under another parent is fine; renaming a sibling to it is not.
    const other = await create('综合受理二科');
    assert.equal(other.statusCode, 201, other.body);
    const rename = await patch(other.json().id, { name: '综合受理科' });
    assert.equal(rename.statusCode, 409, rename.body);
  });

  it('an edit that changes nothing writes no audit entry', async () => {
    const t = get();
    const before = (await auditEntries(t, 'org.update')).length;
    const res = await patch(market, { name: '沈阳市市场监管局' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await auditEntries(t, 'org.update')).length, before);
  });

  it('a window becomes a unit; a unit holding a window cannot become a window', async () => {
    const t = get();
    const toUnit = await patch(hepingWindow, { kind: 'unit' });
    assert.equal(toUnit.statusCode, 200, toUnit.body);
    assert.equal((await orgRow(t, hepingWindow)).kind, 'unit');
    const child = await t.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie: sysadmin },
      payload: { parentId: hepingWindow, kind: 'window', name: '自助服务区' },
    });
    assert.equal(child.statusCode, 201, child.body);
    const refused = await patch(hepingWindow, { kind: 'window' });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.equal(refused.json().code, 'INVALID_ORG_PARENT');
    assert.match(refused.json().message, /自助服务区/);
    assert.equal((await orgRow(t, hepingWindow)).kind, 'unit', 'nothing changed');
    // The auditor reads the kinds by the names the org tree uses (科室, not 单位).
    const trail = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?action=org.update',
      headers: { cookie: await t.login('auditor') },
    });
    const read = trail.json().items.find((e: { targetId: string }) => e.targetId === hepingWindow);
    assert.match(read.summary, /类别：窗口 → 科室/);
  });

  it('a department under a region cannot become a unit, and a region never changes kind or code', async () => {
    const t = get();
    const unit = await patch(hepingHall, { kind: 'unit' });
    assert.equal(unit.statusCode, 422, unit.body);
    assert.equal(unit.json().code, 'INVALID_ORG_PARENT');
    const region = await patch(heping, { kind: 'department' });
    assert.equal(region.statusCode, 422, region.body);
    assert.equal(region.json().code, 'INVALID_ORG_PARENT');
    const code = await patch(heping, { code: '210199' });
    assert.equal(code.statusCode, 422, code.body);
    assert.equal(code.json().code, 'INVALID_REGION_CODE');
    const stored = await orgRow(t, heping);
    assert.equal(stored.kind, 'region');
    assert.equal(stored.code, '210102');
    // ... while the district's name may change.
    const renamed = await patch(heping, { name: '和平区（测试）' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const back = await patch(heping, { name: '和平区' });
    assert.equal(back.statusCode, 200, back.body);
  });

  it('an invalid credit code is 422, another org’s code 409, an empty body 400', async () => {
    const t = get();
    const bad = await patch(hepingHall, { code: '91210100XXXXXXXXXX' });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().code, 'INVALID_CREDIT_CODE');
    const taken = (await orgRow(t, market)).code as string;
    const dup = await patch(hepingHall, { code: taken });
    assert.equal(dup.statusCode, 409, dup.body);
    assert.equal(dup.json().code, 'DUPLICATE');
    const empty = await patch(hepingHall, {});
    assert.equal(empty.statusCode, 400, `a version alone changes nothing: ${empty.body}`);
    assert.equal(empty.json().code, 'VALIDATION_FAILED');
    const unknown = await patch(hepingHall, { parentId: market });
    assert.equal(unknown.statusCode, 400, 'moving is not offered');
    assert.notEqual((await orgRow(t, hepingHall)).code, taken);
  });

  it('only org:write edits: the security administrator and a district officer are 403', async () => {
    const t = get();
    for (const cookie of [secadmin, zhangwei]) {
      const res = await patch(hepingHall, { name: '越权改名' }, cookie);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'FORBIDDEN');
    }
    assert.equal((await orgRow(t, hepingHall)).name, '和平区政务服务中心');
  });

  it('a district system administrator edits orgs of his district only', async () => {
    const t = get();
    const shenheHall = await orgIdOf(t, '沈河区政务服务中心');
    await t.ctx.identity.users.create(systemCaller('test'), {
      username: 'shenhesys2',
      displayName: '沈河系统管理员',
      password: DEMO_PASSWORD,
      posts: [{ orgId: shenheHall, roleCode: 'sys-admin', title: '系统管理员' }],
    });
    const districtSys = await t.login('shenhesys2');
    const outside = await patch(hepingHall, { name: '越区改名' }, districtSys);
    assert.equal(outside.statusCode, 403, outside.body);
    assert.equal(outside.json().code, 'OUT_OF_SCOPE');
    assert.equal((await orgRow(t, hepingHall)).name, '和平区政务服务中心');
    const inside = await patch(shenheHall, { sort: 1 }, districtSys);
    assert.equal(inside.statusCode, 200, inside.body);
  });
});

describeEachDialect('an org edit names the version it read', (get) => {
  let sysadmin: string;
  let justice: string;
  before(async () => {
    const t = get();
    sysadmin = await t.login('sysadmin');
    justice = await orgIdOf(t, '沈阳市司法局');
  });
  const patch = (payload: Record<string, unknown>) =>
    get().inject({ method: 'PATCH', url: `/api/v1/orgs/${justice}`, headers: { cookie: sysadmin }, payload });

  it('the tree and the detail give the version; an edit without one is 400', async () => {
    const t = get();
    const tree = await t.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie: sysadmin } });
    assert.equal(tree.json().items.find((o: { id: string }) => o.id === justice).version, 1);
    const one = await t.inject({
      method: 'GET',
      url: `/api/v1/orgs/${justice}`,
      headers: { cookie: sysadmin },
    });
    assert.equal(one.json().version, 1);
    const bare = await patch({ name: '无版本' });
    assert.equal(bare.statusCode, 400, bare.body);
    assert.equal((await orgRow(t, justice)).name, '沈阳市司法局');
  });

  it('a dialog opened before another administrator’s change is 409 and loses nothing', async () => {
    const t = get();
    const shown = await orgRow(t, justice);
    const first = await patch({ expectedVersion: shown.version, sort: 7 });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().version, shown.version + 1);
    // The stale dialog renames and sends the order it showed.
    const stale = await patch({ expectedVersion: shown.version, name: '沈阳市司法行政局', sort: shown.sort });
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().code, 'CONFLICT');
    assert.match(stale.json().message, /沈阳市司法局.*已被他人修改，请刷新后重试/);
    assert.match(stale.json().message, /王建国/, 'names who changed it');
    const now = await orgRow(t, justice);
    assert.equal(now.sort, 7, 'the first change stands');
    assert.equal(now.name, '沈阳市司法局');
  });

  it('two edits sent at once with the same version: exactly one wins, even in the same millisecond', async () => {
    const t = get();
    const shown = await orgRow(t, justice);
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((n) => patch({ expectedVersion: shown.version, name: `沈阳市司法局${n}` })),
    );
    assert.deepEqual(
      results.map((r) => r.statusCode).sort(),
      [200, 409, 409],
      results.map((r) => r.body).join('\n'),
    );
    const now = await orgRow(t, justice);
    assert.equal(now.version, shown.version + 1);
    assert.equal(now.name, results.find((r) => r.statusCode === 200)?.json().name);
    const entries = (await auditEntries(t, 'org.update')).filter((e) => e.target_id === justice);
    assert.equal(entries.length, 2, 'the order change and the one winning rename');
  });

  it('changing a credit code that implementation codes embed is recorded with a warning', async () => {
    const t = get();
    const market = await orgIdOf(t, '沈阳市市场监督管理局');
    const before = await orgRow(t, market);
    assert.ok(before.code, 'the market department has a credit code');
    const code = makeCreditCode('11', '210100', 'E0000002');
    const res = await t.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${market}`,
      headers: { cookie: sysadmin },
      payload: { expectedVersion: before.version, code },
    });
    assert.equal(res.statusCode, 200, res.body);
    const [entry] = (await auditEntries(t, 'org.update')).filter((e) => e.target_id === market);
    const detail = JSON.parse(entry.detail);
    assert.deepEqual(detail.changes.code, { from: before.code, to: code });
    assert.match(detail.warning ?? '', /实施编码/);
    const trail = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?action=org.update',
      headers: { cookie: await t.login('auditor') },
    });
    const read = trail.json().items.find((e: { targetId: string }) => e.targetId === market);
    assert.match(read.summary, /提示：.*实施编码/);
  });
});
