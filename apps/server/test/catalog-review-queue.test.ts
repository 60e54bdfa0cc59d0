import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { ManualClock } from '../src/platform/clock';
import { systemCaller } from '../src/platform/http/caller';
import { pharmacistItem } from './support/catalog-items';
import { describeEachDialect, orgIdOf, type TestApp } from './support/harness';

interface QueueAnswer {
  total: number;
  items: {
    versionId: string;
    versionNo: number;
    itemId: string;
    name: string;
    department: string;
    submittedAt: string | null;
    barredReason: string | null;
  }[];
}

describeEachDialect('the catalogue review queue (home of a reviewer)', (get) => {
  let t: TestApp;
  let market: string;
  const cookies: Record<string, string> = {};
  const queue = async (who: string, limit?: number) =>
    t.inject({
      method: 'GET',
      url: `/api/v1/catalog/review-queue${limit ? `?limit=${limit}` : ''}`,
      headers: { cookie: cookies[who] },
    });

  /** wangfang creates a draft and submits it; returns the version id. */
  async function submitted(name: string, handlingItem: string): Promise<string> {
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: { cookie: cookies.wangfang },
      payload: pharmacistItem(market, { name, handlingItem }),
    });
    assert.equal(created.statusCode, 201, created.body);
    const versionId = created.json().versions[0].id as string;
    const submit = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${versionId}/submit`,
      headers: { cookie: cookies.wangfang },
    });
    assert.equal(submit.statusCode, 200, submit.body);
    return versionId;
  }

  before(async () => {
    t = get();
    market = await orgIdOf(t, '沈阳市市场监督管理局');
    const heping = await orgIdOf(t, '和平区政务服务中心');
    // A reviewer whose scope is one district: the city bureau's items are not theirs to review.
    await t.ctx.identity.users.createRole(systemCaller('test'), {
      code: 'district-reviewer',
      name: '区级事项审核员',
      adminClass: null,
      scope: 'region',
      permissions: ['org:read', 'catalog:read', 'catalog:review'],
    });
    await t.ctx.identity.users.create(systemCaller('test'), {
      username: 'hpreviewer',
      displayName: '和平区审核员',
      password: 'Strong#Pass2026',
      posts: [{ orgId: heping, roleCode: 'district-reviewer', title: '审核员' }],
    });
    for (const who of ['wangfang', 'zhouning', 'zhangwei']) cookies[who] = await t.login(who);
    cookies.hpreviewer = await t.login('hpreviewer', 'Strong#Pass2026');
  });

  it('is empty, with a total of 0, when nothing waits', async () => {
    const res = await queue('zhouning');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { total: 0, items: [] });
  });

  it('lists submitted versions in scope, oldest first, with names and the total beyond the limit', async () => {
    const first = await submitted('执业药师首次注册（待审一）', '11');
    (t.clock as ManualClock).advance(60_000);
    const second = await submitted('执业药师变更注册（待审二）', '12');
    // A draft that was never submitted is not waiting for anyone.
    const draft = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: { cookie: cookies.wangfang },
      payload: pharmacistItem(market, { name: '执业药师注销注册（草稿）', handlingItem: '13' }),
    });
    assert.equal(draft.statusCode, 201, draft.body);

    const all = (await queue('zhouning')).json() as QueueAnswer;
    assert.equal(all.total, 2);
    assert.deepEqual(
      all.items.map((i) => [i.versionId, i.name, i.department, i.versionNo]),
      [
        [first, '执业药师首次注册（待审一）', '沈阳市市场监督管理局', 1],
        [second, '执业药师变更注册（待审二）', '沈阳市市场监督管理局', 1],
      ],
    );
    assert.ok(all.items.every((i) => i.submittedAt && i.barredReason === null));

    const one = (await queue('zhouning', 1)).json() as QueueAnswer;
    assert.equal(one.total, 2, 'the total counts every waiting version, not the page');
    assert.deepEqual(
      one.items.map((i) => i.versionId),
      [first],
    );
  });

  it('leaves approved versions out, and says when the reviewer may not approve one (four eyes)', async () => {
    const before = (await queue('zhouning')).json() as QueueAnswer;
    const approve = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${before.items[0].versionId}/approve`,
      headers: { cookie: cookies.zhouning },
    });
    assert.equal(approve.statusCode, 200, approve.body);
    const after = (await queue('zhouning')).json() as QueueAnswer;
    assert.equal(after.total, before.total - 1);
    assert.ok(!after.items.some((i) => i.versionId === before.items[0].versionId));

    // zhouning edits the control settings of a draft before it is submitted: barred from approving it.
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: { cookie: cookies.wangfang },
      payload: pharmacistItem(market, { name: '执业药师注册（周宁改过）', handlingItem: '14' }),
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id: itemId, versions } = created.json() as { id: string; versions: { id: string }[] };
    const view = await t.inject({
      method: 'GET',
      url: `/api/v1/catalog/items/${itemId}/versions/1`,
      headers: { cookie: cookies.zhouning },
    });
    const control = view.json().content.control;
    const edit = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${versions[0].id}/control`,
      headers: { cookie: cookies.zhouning },
      payload: { ...control, timeLimits: { ...control.timeLimits, warningAtPercent: 60 } },
    });
    assert.equal(edit.statusCode, 200, edit.body);
    const submit = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${versions[0].id}/submit`,
      headers: { cookie: cookies.wangfang },
    });
    assert.equal(submit.statusCode, 200, submit.body);
    const barred = (await queue('zhouning')).json() as QueueAnswer;
    assert.equal(barred.total, after.total + 1);
    const own = barred.items.find((i) => i.versionId === versions[0].id);
    assert.ok(own, 'the version zhouning edited still waits, for someone else');
    assert.ok(barred.items.filter((i) => i !== own).every((i) => i.barredReason === null));
    assert.match(own.barredReason ?? '', /编辑了管控设置/);
  });

  it('shows a reviewer of another district nothing, and refuses accounts without the review permission', async () => {
    const other = await queue('hpreviewer');
    assert.equal(other.statusCode, 200, other.body);
    assert.deepEqual(other.json(), { total: 0, items: [] });
    for (const who of ['wangfang', 'zhangwei']) {
      const refused = await queue(who);
      assert.equal(refused.statusCode, 403, `${who}: ${refused.body}`);
    }
  });

  it('the demo second reviewer reviews the catalogue and has no power over the data hub', async () => {
    const me = (
      await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookies.zhouning } })
    ).json();
    assert.ok(me.permissions.includes('catalog:review'));
    assert.deepEqual(
      me.permissions.filter((p: string) => p.startsWith('datahub:')),
      [],
      'a catalogue reviewer neither registers applications nor reads the log of citizens’ queries',
    );
    for (const url of ['/api/v1/datahub/apps', '/api/v1/datahub/call-log']) {
      const res = await t.inject({ method: 'GET', url, headers: { cookie: cookies.zhouning } });
      assert.equal(res.statusCode, 403, `${url}: ${res.body}`);
    }
  });
});
