import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { makeCreditCode } from '@govflow/shared';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_PASSWORD } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

async function orgRow(t: TestApp, id: string) {
  return t.ctx.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function orgIdByName(t: TestApp, name: string, parentId?: string): Promise<string> {
  let q = t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name);
  if (parentId) q = q.where('parent_id', '=', parentId);
  return (await q.executeTakeFirstOrThrow()).id;
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
    heping = await orgIdByName(t, '和平区');
    hepingHall = await orgIdByName(t, '和平区政务服务中心');
    hepingWindow = await orgIdByName(t, '综合受理窗口1', hepingHall);
    market = await orgIdByName(t, '沈阳市市场监督管理局');
  });

  const patch = (id: string, payload: Record<string, unknown>, cookie = sysadmin) =>
    get().inject({ method: 'PATCH', url: `/api/v1/orgs/${id}`, headers: { cookie }, payload });

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
    assert.equal(empty.statusCode, 400, empty.body);
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
    const shenheHall = await orgIdByName(t, '沈河区政务服务中心');
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
