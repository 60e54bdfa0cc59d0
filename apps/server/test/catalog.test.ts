import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { checkImplementationCode } from '@govflow/shared';
import { catalogVersionEditors } from '../src/migrations/0013-catalog-version-editors';
import { pharmacistItem } from './support/catalog-items';
import { auditEntries, describeEachDialect, orgIdOf, type TestApp, userIdOf } from './support/harness';

describeEachDialect('service item catalogue', (get) => {
  let t: TestApp;
  let market: string;
  const cookies: Record<string, string> = {};
  const as = (who: string) => ({ cookie: cookies[who] });
  let itemId: string;
  let v1: string;

  before(async () => {
    t = get();
    market = await orgIdOf(t, '沈阳市市场监督管理局');
    for (const who of ['wangfang', 'chenjing', 'zhaolei', 'zhouning', 'zhangwei', 'citizen'])
      cookies[who] = await t.login(who);
  });

  it('creates a draft with a valid 24-character implementation code derived from the department', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: as('wangfang'),
      payload: pharmacistItem(market),
    });
    assert.equal(res.statusCode, 201, res.body);
    const item = res.json();
    itemId = item.id;
    v1 = item.versions[0].id;
    assert.equal(item.status, 'draft');
    assert.equal(item.implCode.length, 24);
    assert.ok(checkImplementationCode(item.implCode).ok);
    assert.ok(item.implCode.startsWith('210100000000'), 'city-level division, no township or village');
    assert.equal(item.versions[0].status, 'draft');
  });

  it('refuses bad codes, a duplicate, and content that contradicts itself', async () => {
    const post = (payload: object) =>
      t.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: as('wangfang'), payload });
    const short = await post({ ...pharmacistItem(market), basicCode: '010031800' });
    assert.equal(short.json().code, 'INVALID_ITEM_CODE');
    const wrongType = await post({ ...pharmacistItem(market), basicCode: '0200318000' });
    assert.equal(wrongType.statusCode, 422);
    assert.match(wrongType.json().message, /类型/);
    const dup = await post(pharmacistItem(market));
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'DUPLICATE');
    const base = pharmacistItem(market);
    const ghost = await post({
      ...base,
      handlingItem: '01',
      service: { ...base.service, materials: [{ ...base.service.materials[1], scenarioKey: 'renewal' }] },
    });
    assert.equal(ghost.statusCode, 422);
    assert.equal(ghost.json().code, 'UNKNOWN_SCENARIO');
    const slow = await post({
      ...base,
      handlingItem: '02',
      service: { ...base.service, promisedLimit: { days: 25, unit: 'working' } },
    });
    assert.equal(slow.statusCode, 422);
    assert.match(slow.json().message, /承诺时限/);
    const unknownField = await post({ ...base, handlingItem: '03', legal: { ...base.legal, color: 'red' } });
    assert.equal(unknownField.statusCode, 400);
  });

  it('gives each field group to the office that owns it, and each department its own items', async () => {
    const version = (
      await t.inject({
        method: 'GET',
        url: `/api/v1/catalog/items/${itemId}/versions/1`,
        headers: as('wangfang'),
      })
    ).json();
    const legal = {
      ...version.content.legal,
      legalBasis: '《执业药师注册管理办法》（国药监人〔2021〕36号）第八条',
    };
    const byDept = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/legal`,
      headers: as('wangfang'),
      payload: legal,
    });
    assert.equal(byDept.statusCode, 403, 'a department does not edit legal fields');
    const byLaw = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/legal`,
      headers: as('chenjing'),
      payload: legal,
    });
    assert.equal(byLaw.statusCode, 200, byLaw.body);
    assert.match(byLaw.json().content.legal.legalBasis, /国药监人/);
    const lawOnService = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/service`,
      headers: as('chenjing'),
      payload: version.content.service,
    });
    assert.equal(lawOnService.statusCode, 403);
    const otherDistrict = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/service`,
      headers: as('zhangwei'),
      payload: version.content.service,
    });
    assert.equal(otherDistrict.statusCode, 403);
    assert.equal(otherDistrict.json().code, 'OUT_OF_SCOPE');
    const control = {
      ...version.content.control,
      timeLimits: { ...version.content.control.timeLimits, warningAtPercent: 70 },
    };
    const byAdmin = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/control`,
      headers: as('zhaolei'),
      payload: control,
    });
    assert.equal(byAdmin.statusCode, 200, byAdmin.body);
    const badNode = {
      ...control,
      supervisionNodes: [{ nodeKey: 'nowhere', reason: '重点监察' }],
    };
    const inconsistent = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/control`,
      headers: as('zhaolei'),
      payload: badNode,
    });
    assert.equal(inconsistent.statusCode, 422);
    assert.match(inconsistent.json().message, /nowhere/);
  });

  it('publishes through review; a published version is immutable; the public guide shows it', async () => {
    const hidden = await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` });
    assert.equal(hidden.statusCode, 404, 'drafts are not public');
    const submit = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${v1}/submit`,
      headers: as('wangfang'),
    });
    assert.equal(submit.json().status, 'in-review');
    const selfApprove = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${v1}/approve`,
      headers: as('wangfang'),
    });
    assert.equal(selfApprove.statusCode, 403);
    const byEditor = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${v1}/approve`,
      headers: as('zhaolei'),
    });
    assert.equal(byEditor.statusCode, 409, 'zhaolei edited the control settings of this version');
    assert.equal(byEditor.json().code, 'FOUR_EYES');
    assert.match(byEditor.json().message, /编辑了管控设置/);
    const [a, b] = await Promise.all([
      t.inject({ method: 'POST', url: `/api/v1/catalog/versions/${v1}/approve`, headers: as('zhouning') }),
      t.inject({ method: 'POST', url: `/api/v1/catalog/versions/${v1}/approve`, headers: as('zhouning') }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409], 'two reviewers, one publication');
    const edit = await t.inject({
      method: 'PUT',
      url: `/api/v1/catalog/versions/${v1}/service`,
      headers: as('wangfang'),
      payload: pharmacistItem(market).service,
    });
    assert.equal(edit.statusCode, 409);
    assert.equal(edit.json().code, 'VERSION_NOT_EDITABLE');

    const guide = await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` });
    assert.equal(guide.statusCode, 200, guide.body);
    const g = guide.json();
    assert.equal(g.name, '执业药师首次注册');
    assert.equal(g.elements.length, 22);
    const element = (key: string) => g.elements.find((e: { key: string }) => e.key === key).value;
    assert.equal(element('statutoryLimit'), '20 个工作日');
    assert.equal(element('promisedLimit'), '10 个工作日');
    assert.deepEqual(
      g.materials.map((m: { name: string }) => m.name),
      ['居民身份证', '执业药师职业资格证书'],
    );
    assert.equal(g.materials[1].scenario, '首次注册');
    assert.equal(g.catalogCode.length, 34);
    const byCode = await t.inject({ method: 'GET', url: `/api/v1/public/items/${g.catalogCode}/guide` });
    assert.equal(byCode.statusCode, 200);
  });

  it('changes a published item through a new version, with history and a diff', async () => {
    const draft = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/items/${itemId}/drafts`,
      headers: as('wangfang'),
    });
    assert.equal(draft.statusCode, 201, draft.body);
    assert.equal(draft.json().versionNo, 2);
    const second = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/items/${itemId}/drafts`,
      headers: as('wangfang'),
    });
    assert.equal(second.statusCode, 409, 'one open draft at a time');
    const before = draft.json().content.service;
    const service = {
      ...before,
      promisedLimit: { days: 5, unit: 'working' },
      tongbanScope: before.tongbanScope === 'city' ? 'province' : 'city',
      materials: before.materials.map((m: { copies: number }, i: number) =>
        i === 0 ? { ...m, copies: m.copies + 1 } : m,
      ),
    };
    const v2 = draft.json().id;
    assert.equal(
      (
        await t.inject({
          method: 'PUT',
          url: `/api/v1/catalog/versions/${v2}/service`,
          headers: as('wangfang'),
          payload: service,
        })
      ).statusCode,
      200,
    );
    const stillOld = (await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` })).json();
    assert.equal(stillOld.versionNo, 1, 'the public keeps seeing version 1 until version 2 is published');
    await t.inject({ method: 'POST', url: `/api/v1/catalog/versions/${v2}/submit`, headers: as('wangfang') });
    const rejected = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${v2}/reject`,
      headers: as('zhaolei'),
      payload: { reason: '请补充材料样表' },
    });
    assert.equal(rejected.json().status, 'draft');
    assert.equal(rejected.json().reviewNote, '请补充材料样表');
    await t.inject({ method: 'POST', url: `/api/v1/catalog/versions/${v2}/submit`, headers: as('wangfang') });
    assert.equal(
      (
        await t.inject({
          method: 'POST',
          url: `/api/v1/catalog/versions/${v2}/approve`,
          headers: as('zhaolei'),
        })
      ).statusCode,
      200,
    );

    const detail = (
      await t.inject({ method: 'GET', url: `/api/v1/catalog/items/${itemId}`, headers: as('wangfang') })
    ).json();
    assert.deepEqual(
      detail.versions.map((v: { versionNo: number; status: string }) => [v.versionNo, v.status]),
      [
        [1, 'superseded'],
        [2, 'published'],
      ],
    );
    const guide = (await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` })).json();
    assert.equal(guide.versionNo, 2);
    const diff = (
      await t.inject({
        method: 'GET',
        url: `/api/v1/catalog/items/${itemId}/diff?from=1&to=2`,
        headers: as('wangfang'),
      })
    ).json();
    const change = (path: string) => diff.changes.find((c: { path: string }) => c.path === path);
    // Each change is named for people (field names in Chinese, a material by its name) with values as read.
    assert.deepEqual(change('service.promisedLimit.days'), {
      path: 'service.promisedLimit.days',
      label: '服务要素的承诺时限的天数',
      from: 10,
      to: 5,
      fromText: '10',
      toText: '5',
    });
    const scopeNames = { none: '不通办', city: '全市通办', province: '全省通办' } as const;
    assert.deepEqual(change('service.tongbanScope'), {
      path: 'service.tongbanScope',
      label: '服务要素的通办范围',
      from: before.tongbanScope,
      to: service.tongbanScope,
      fromText: scopeNames[before.tongbanScope as keyof typeof scopeNames],
      toText: scopeNames[service.tongbanScope as keyof typeof scopeNames],
    });
    const material = before.materials[0];
    assert.equal(
      change(`service.materials[${material.key}].copies`)?.label,
      `服务要素的材料「${material.name.length > 24 ? `${material.name.slice(0, 24)}…` : material.name}」的份数`,
    );
    assert.ok(
      !diff.changes.some((c: { path: string }) => c.path.startsWith('legal.')),
      'legal fields did not change',
    );
  });

  it('suspends, resumes and cancels, and the public view follows', async () => {
    const post = (action: string, who = 'zhaolei') =>
      t.inject({
        method: 'POST',
        url: `/api/v1/catalog/items/${itemId}/${action}`,
        headers: as(who),
        payload: { reason: '依法调整' },
      });
    assert.equal((await post('suspend', 'wangfang')).statusCode, 403);
    assert.equal((await post('suspend')).json().status, 'suspended');
    assert.equal(
      (await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` })).statusCode,
      404,
    );
    assert.equal((await post('resume')).json().status, 'published');
    assert.equal(
      (await t.inject({ method: 'GET', url: `/api/v1/public/items/${itemId}/guide` })).statusCode,
      200,
    );
    assert.equal((await post('cancel')).json().status, 'cancelled');
    assert.equal((await post('resume')).statusCode, 409);
    assert.equal(
      (
        await t.inject({
          method: 'POST',
          url: `/api/v1/catalog/items/${itemId}/drafts`,
          headers: as('wangfang'),
        })
      ).statusCode,
      409,
    );
  });

  it('splits and merges with lineage', async () => {
    const base = pharmacistItem(market);
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: as('wangfang'),
      payload: { ...base, basicCode: '0100319000', legal: { ...base.legal, name: '执业药师变更注册' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const split = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/items/${created.json().id}/split`,
      headers: as('zhaolei'),
      payload: {
        parts: [
          { name: '执业药师变更执业单位', handlingItem: '01' },
          { name: '执业药师变更执业范围', handlingItem: '02' },
        ],
      },
    });
    assert.equal(split.statusCode, 201, split.body);
    const parts = split.json().items;
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p: { catalogCode: string }) => p.catalogCode !== created.json().catalogCode));
    assert.deepEqual(parts[0].lineage, [
      { relation: 'split-from', itemId: created.json().id, implCode: created.json().implCode },
    ]);

    const merged = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/merge',
      headers: as('zhaolei'),
      payload: {
        itemIds: parts.map((p: { id: string }) => p.id),
        into: {
          ...base,
          basicCode: '0100319000',
          handlingItem: '03',
          legal: { ...base.legal, name: '执业药师变更注册（合并）' },
        },
      },
    });
    assert.equal(merged.statusCode, 201, merged.body);
    assert.equal(merged.json().lineage.length, 2);
  });

  it('lists items in scope only, and audits every change', async () => {
    const mine = (
      await t.inject({ method: 'GET', url: '/api/v1/catalog/items?pageSize=50', headers: as('wangfang') })
    ).json();
    assert.ok(mine.total >= 4);
    // Each row names its department and carries the whole catalogue code, which tells items apart.
    for (const item of mine.items) {
      assert.equal(item.implementingBody, '沈阳市市场监督管理局');
      assert.equal(item.catalogCode, item.basicCode + item.implCode);
    }
    assert.equal(
      new Set(mine.items.map((i: { catalogCode: string }) => i.catalogCode)).size,
      mine.items.length,
    );
    const district = (
      await t.inject({ method: 'GET', url: '/api/v1/catalog/items', headers: as('zhangwei') })
    ).json();
    assert.equal(district.total, 0, 'a 和平区 officer sees no city department items');
    assert.equal(
      (await t.inject({ method: 'GET', url: '/api/v1/catalog/items', headers: as('citizen') })).statusCode,
      403,
    );
    const actions = new Set((await auditEntries(t)).map((e) => e.action));
    for (const a of [
      'catalog.item-create',
      'catalog.version-edit-legal',
      'catalog.version-edit-control',
      'catalog.version-submit',
      'catalog.version-reject',
      'catalog.version-publish',
      'catalog.draft-create',
      'catalog.item-suspend',
      'catalog.item-cancel',
      'catalog.split',
      'catalog.merge',
    ]) {
      assert.ok(actions.has(a), `audited: ${a}`);
    }
  });

  it('four eyes: nobody who created, edited or submitted a version approves it, and the view says who and why', async () => {
    const base = pharmacistItem(market);
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/catalog/items',
      headers: as('wangfang'),
      payload: { ...base, handlingItem: '05', legal: { ...base.legal, name: '执业药师注册（四眼）' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id: item, versions } = created.json();
    const vid = versions[0].id;
    const view = async (who = 'zhouning') =>
      (
        await t.inject({
          method: 'GET',
          url: `/api/v1/catalog/items/${item}/versions/1`,
          headers: as(who),
        })
      ).json();
    const put = async (who: string, group: string, payload: object) => {
      const res = await t.inject({
        method: 'PUT',
        url: `/api/v1/catalog/versions/${vid}/${group}`,
        headers: as(who),
        payload,
      });
      assert.equal(res.statusCode, 200, res.body);
    };
    const first = await view();
    // Three offices edit, zhaolei not last: every editor counts, not only the newest.
    await put('zhaolei', 'control', {
      ...first.content.control,
      timeLimits: { ...first.content.control.timeLimits, warningAtPercent: 60 },
    });
    await put('chenjing', 'legal', { ...first.content.legal, legalBasis: '《执业药师注册管理办法》第九条' });
    await put('wangfang', 'service', { ...first.content.service, officeHours: '工作日 9:00-17:00' });
    const submitted = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${vid}/submit`,
      headers: as('wangfang'),
    });
    assert.equal(submitted.statusCode, 200, submitted.body);

    const barred = (await view()).approvalBarred as { userId: string; acts: string[]; reason: string }[];
    const byUser = new Map(barred.map((b) => [b.userId, b]));
    assert.equal(barred.length, 3, JSON.stringify(barred));
    assert.deepEqual(byUser.get(await userIdOf(t, 'wangfang'))?.acts, ['create', 'edit-service', 'submit']);
    assert.deepEqual(byUser.get(await userIdOf(t, 'zhaolei'))?.acts, ['edit-control']);
    assert.deepEqual(byUser.get(await userIdOf(t, 'chenjing'))?.acts, ['edit-legal']);
    assert.match(
      byUser.get(await userIdOf(t, 'wangfang'))?.reason ?? '',
      /创建了此版本、编辑了服务要素、提交了审核/,
    );
    assert.ok(!byUser.has(await userIdOf(t, 'zhouning')), 'the second reviewer took no part');
    // The reviewer reads whose work it is by name.
    assert.deepEqual(
      barred.map((b) => (b as { displayName?: string }).displayName).sort(),
      ['王芳', '赵磊', '陈静'].sort(),
    );
    const detail = (
      await t.inject({ method: 'GET', url: `/api/v1/catalog/items/${item}`, headers: as('zhouning') })
    ).json();
    assert.deepEqual(detail.versions[0].approvalBarred, barred, 'the item page has the same list');

    const refused = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${vid}/approve`,
      headers: as('zhaolei'),
    });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'FOUR_EYES');
    assert.match(refused.json().message, /^您编辑了管控设置，按四眼原则不能审核发布此版本/);
    assert.doesNotMatch(refused.json().message + refused.json().hint, /[A-Za-z]/, 'Chinese only');
    assert.equal((await view()).status, 'in-review', 'nothing changed');
    assert.equal(
      (await auditEntries(t, 'catalog.version-publish')).filter((e) => e.target_id === vid).length,
      0,
    );

    // Someone who may both edit and review, and only submitted: refused for the submission.
    const city = (
      await t.ctx.db.selectFrom('orgs').select('path').where('code', '=', '210100').executeTakeFirstOrThrow()
    ).path;
    const dual = {
      actor: {
        userId: 'dual-role-officer',
        username: 'dual',
        displayName: '双岗人员',
        kind: 'staff' as const,
        adminClass: null,
        homeKind: 'staff' as const,
        personId: null,
        sessionId: 'test',
        posts: [],
        scopes: new Map([
          ['catalog:read' as const, [city]],
          ['catalog:edit-service' as const, [city]],
          ['catalog:review' as const, [city]],
        ]),
      },
      requestId: null,
      ip: null,
      userAgent: null,
    };
    await t.ctx.catalog.reject(dual, vid, '请核对');
    await t.ctx.catalog.submit(dual, vid);
    await assert.rejects(
      t.ctx.catalog.approve(dual, vid),
      (err: { status?: number; code?: string; message?: string }) => {
        assert.equal(err.status, 409);
        assert.equal(err.code, 'FOUR_EYES');
        assert.match(err.message ?? '', /^您提交了审核，/);
        return true;
      },
    );

    const approved = await t.inject({
      method: 'POST',
      url: `/api/v1/catalog/versions/${vid}/approve`,
      headers: as('zhouning'),
    });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().status, 'published');
    const [entry] = (await auditEntries(t, 'catalog.version-publish')).filter((e) => e.target_id === vid);
    assert.equal(entry.actor_name, 'zhouning', 'a personal approval names the reviewer');
  });

  it('fills in the editors of versions written before the four-eyes table, from creators and the audit trail', async () => {
    const editors = () =>
      t.ctx.db
        .selectFrom('catalog_version_editors')
        .select(['version_id', 'user_id', 'act', 'first_at'])
        .orderBy('version_id')
        .orderBy('user_id')
        .orderBy('act')
        .execute();
    const recorded = await editors();
    assert.ok(recorded.some((e) => e.act === 'edit-control'));
    assert.ok(recorded.some((e) => e.act === 'submit'));
    await t.ctx.db.schema.dropTable('catalog_version_editors').execute();
    await catalogVersionEditors.build(t.dialect).up(t.ctx.db);
    assert.deepEqual(await editors(), recorded);
  });
});
