import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, it } from 'node:test';
import { RESOURCE_SOURCES } from '../src/modules/datahub/resource-sources';
import { systemCaller } from '../src/platform/http/caller';
import { seedDatahub, seedDataResources } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { auditEntries, childEnv, describeEachDialect, type TestApp } from './support/harness';

describeEachDialect('data resource catalogue and access approvals', (get) => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  const org: Record<string, string> = {};
  let resourceId: string;
  const post = (who: string, url: string, payload: object) =>
    t.inject({ method: 'POST', url, headers: { cookie: cookie[who] }, payload });

  before(async () => {
    t = get();
    for (const who of ['zhaolei', 'wangfang', 'zhangwei']) cookie[who] = await t.login(who);
    // A second officer in another department, to request data from the market regulator.
    const civil = await t.ctx.db
      .selectFrom('orgs')
      .select(['id'])
      .where('name', '=', '沈阳市民政局')
      .executeTakeFirstOrThrow();
    const market = await t.ctx.db
      .selectFrom('orgs')
      .select(['id'])
      .where('name', '=', '沈阳市市场监督管理局')
      .executeTakeFirstOrThrow();
    org.civil = civil.id;
    org.market = market.id;
    // Created by the system itself, with its role: how accounts get roles is not this file's subject.
    await t.ctx.identity.users.create(systemCaller('test'), {
      username: 'minzheng',
      displayName: '民政科员',
      password: 'Strong#Pass2026',
      posts: [{ orgId: civil.id, roleCode: 'dept-officer', title: '科员' }],
    });
    cookie.minzheng = await t.login('minzheng', 'Strong#Pass2026');
  });

  it('registers a resource with its fields, owner, share type and update cycle', async () => {
    const res = await post('zhaolei', '/api/v1/datahub/resources', {
      code: 'SCJG-FOOD-LICENCE',
      name: '食品经营许可信息',
      ownerOrgId: org.market,
      shareType: 'conditional',
      updateCycle: 'daily',
      fields: [
        { name: 'creditCode', label: '统一社会信用代码' },
        { name: 'licenceNo', label: '许可证编号' },
        { name: 'legalRepIdNumber', label: '法定代表人身份证号', sensitive: true },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    resourceId = res.json().id;
    const { status, ...echo } = res.json();
    const withExtras = await post('zhaolei', '/api/v1/datahub/resources', { ...echo, code: 'X-1' });
    assert.equal(withExtras.statusCode, 400, 'unknown fields in the body');
    const byDepartment = await post('wangfang', '/api/v1/datahub/resources', { code: 'X-2' });
    assert.equal(byDepartment.statusCode, 403, 'registering resources is not a department’s');

    // Registered on the market bureau's behalf: nobody may request it until the bureau confirms.
    assert.equal(status, 'pending');
    const early = await post('minzheng', `/api/v1/datahub/resources/${resourceId}/access-requests`, {
      requesterOrgId: org.civil,
      fields: ['creditCode'],
      purpose: '确认之前就申请',
      days: 30,
    });
    assert.equal(early.statusCode, 409, early.body);
    assert.equal(early.json().code, 'RESOURCE_PENDING');
    const confirm = (who: string) => post(who, `/api/v1/datahub/resources/${resourceId}/confirm`, {});
    assert.equal((await confirm('minzheng')).statusCode, 403, 'another department cannot confirm it');
    assert.equal((await confirm('zhaolei')).statusCode, 403, 'nor can whoever registered it');
    const confirmed = await confirm('wangfang');
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.equal(confirmed.json().status, 'active');
    assert.equal(confirmed.json().ownerOrgName, '沈阳市市场监督管理局');
    assert.equal((await confirm('wangfang')).json().code, 'INVALID_TRANSITION');
    assert.equal((await auditEntries(t, 'datahub.resource-confirm')).length, 1);
  });

  it('takes a request through the owner’s approval, and the approval expires', async () => {
    const ask = await post('minzheng', `/api/v1/datahub/resources/${resourceId}/access-requests`, {
      requesterOrgId: org.civil,
      fields: ['creditCode', 'licenceNo'],
      purpose: '核查低保对象经营情况',
      days: 30,
    });
    assert.equal(ask.statusCode, 201, ask.body);
    assert.equal(ask.json().status, 'requested');
    await assert.rejects(
      t.ctx.datahub.sharing.allowedFields(org.civil, 'SCJG-FOOD-LICENCE'),
      (e: { code?: string }) => e.code === 'NO_ACCESS',
    );
    const outsider = await post('zhangwei', `/api/v1/datahub/access-requests/${ask.json().id}/approve`, {
      note: '',
    });
    assert.equal(outsider.statusCode, 403, 'only the owner decides');
    const ok = await post('wangfang', `/api/v1/datahub/access-requests/${ask.json().id}/approve`, {
      note: '同意，限核查用途',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 'approved');
    assert.equal(
      (await post('wangfang', `/api/v1/datahub/access-requests/${ask.json().id}/reject`, { note: '' }))
        .statusCode,
      409,
    );
    assert.deepEqual((await t.ctx.datahub.sharing.allowedFields(org.civil, 'SCJG-FOOD-LICENCE')).sort(), [
      'creditCode',
      'licenceNo',
    ]);
    t.clock.advance(31 * 86_400_000);
    await assert.rejects(
      t.ctx.datahub.sharing.allowedFields(org.civil, 'SCJG-FOOD-LICENCE'),
      (e: { code?: string }) => e.code === 'ACCESS_EXPIRED',
    );
    // A month has passed: everyone logs in again.
    for (const who of ['zhaolei', 'wangfang', 'zhangwei']) cookie[who] = await t.login(who);
    cookie.minzheng = await t.login('minzheng', 'Strong#Pass2026');
    const actions = (await auditEntries(t)).map((e) => e.action);
    assert.ok(actions.includes('datahub.access-request') && actions.includes('datahub.access-approve'));
  });

  it('refuses fields the resource does not have, requests for another unit, and resources not shared', async () => {
    const bad = await post('minzheng', `/api/v1/datahub/resources/${resourceId}/access-requests`, {
      requesterOrgId: org.civil,
      fields: ['salary'],
      purpose: '测试未知字段',
      days: 10,
    });
    assert.equal(bad.statusCode, 422);
    const forOthers = await post('minzheng', `/api/v1/datahub/resources/${resourceId}/access-requests`, {
      requesterOrgId: org.market,
      fields: ['creditCode'],
      purpose: '替别人申请',
      days: 10,
    });
    assert.equal(forOthers.statusCode, 403);
    const closed = await post('zhaolei', '/api/v1/datahub/resources', {
      code: 'SCJG-INTERNAL',
      name: '内部执法线索',
      ownerOrgId: org.market,
      shareType: 'none',
      updateCycle: 'realtime',
      fields: [{ name: 'clue', label: '线索' }],
    });
    const refused = await post('minzheng', `/api/v1/datahub/resources/${closed.json().id}/access-requests`, {
      requesterOrgId: org.civil,
      fields: ['clue'],
      purpose: '想看看线索',
      days: 10,
    });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'NOT_SHARED');
  });

  it('approves unconditionally shared resources on request', async () => {
    const open = await post('zhaolei', '/api/v1/datahub/resources', {
      code: 'SCJG-PUBLIC-LIST',
      name: '公示的许可名录',
      ownerOrgId: org.market,
      shareType: 'unconditional',
      updateCycle: 'weekly',
      fields: [{ name: 'licenceNo', label: '许可证编号' }],
    });
    await post('wangfang', `/api/v1/datahub/resources/${open.json().id}/confirm`, {});
    const ask = await post('minzheng', `/api/v1/datahub/resources/${open.json().id}/access-requests`, {
      requesterOrgId: org.civil,
      fields: ['licenceNo'],
      purpose: '公开信息比对',
      days: 5,
    });
    assert.equal(ask.json().status, 'approved');
    assert.deepEqual(await t.ctx.datahub.sharing.allowedFields(org.civil, 'SCJG-PUBLIC-LIST'), ['licenceNo']);
  });

  it('serves a library only through its keeper’s resources', async () => {
    await seedDataResources(t.ctx); // names the demo city's keepers
    const ids = Object.fromEntries(
      (await t.ctx.db.selectFrom('orgs').select(['id', 'name']).execute()).map((o) => [o.name, o.id]),
    );
    const population = {
      code: 'MY-POPULATION',
      name: '自建人口信息',
      shareType: 'unconditional',
      updateCycle: 'daily',
      source: 'population',
      fields: [
        { name: 'idNumber', label: '身份号码', sensitive: true },
        { name: 'address', label: '住址', sensitive: true },
      ],
    };
    // The data hub administrator cannot publish the police's library as another unit's resource.
    const own = await post('zhaolei', '/api/v1/datahub/resources', {
      ...population,
      ownerOrgId: ids['沈阳市政务服务中心'],
    });
    assert.equal(own.statusCode, 403, own.body);
    assert.equal(own.json().code, 'NOT_SOURCE_KEEPER');
    assert.match(own.json().message, /沈阳市公安局/);
    assert.equal(
      (await t.ctx.db.selectFrom('dh_resources').select('id').where('code', '=', 'MY-POPULATION').execute())
        .length,
      0,
    );

    // A library handed to another keeper stops serving the old keeper's resources at once.
    await t.ctx.datahub.sharing.assertKeeper('legal-entities', ids['沈阳市市场监督管理局']);
    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'apps/server/src/cli/main.ts', 'datahub-source-keeper', ...args],
        {
          cwd: path.resolve(import.meta.dirname, '../../..'),
          encoding: 'utf8',
          env: childEnv(t.database.url),
        },
      );
    const moved = cli('--source', 'legal-entities', '--org', '沈阳市民政局');
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.stdout, /法人基础信息库 is kept by 沈阳市民政局/);
    await assert.rejects(
      t.ctx.datahub.sharing.assertKeeper('legal-entities', ids['沈阳市市场监督管理局']),
      (e: { code?: string }) => e.code === 'NOT_SOURCE_KEEPER',
    );
    const handed = (await auditEntries(t, 'datahub.source-keeper'))
      .map((e) => JSON.parse(e.detail))
      .filter((d) => d.previous !== null);
    assert.deepEqual(handed, [
      { keeper: ids['沈阳市民政局'], keeperName: '沈阳市民政局', previous: ids['沈阳市市场监督管理局'] },
    ]);
    assert.notEqual(cli('--source', 'salaries', '--org', '沈阳市民政局').status, 0, 'no such library');
    assert.notEqual(cli('--source', 'legal-entities', '--org', '不存在的局').status, 0, 'no such department');
    await t.ctx.datahub.sharing.assignKeeper(
      { actor: null, requestId: null, ip: null, userAgent: null, systemName: 'test' },
      'legal-entities',
      ids['沈阳市市场监督管理局'],
    );

    // Two instances naming a keeper at once (both seeding a new library): one row, no error.
    await t.ctx.db.deleteFrom('dh_source_keepers').where('source', '=', 'social-insurance').execute();
    const system = { actor: null, requestId: null, ip: null, userAgent: null, systemName: 'test' };
    await Promise.all(
      [0, 1].map(() =>
        t.ctx.datahub.sharing.assignKeeper(system, 'social-insurance', ids['沈阳市人力资源和社会保障局']),
      ),
    );
    assert.equal(
      (await t.ctx.datahub.sharing.keeperOf('social-insurance'))?.name,
      '沈阳市人力资源和社会保障局',
    );

    const sources = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/resource-sources',
      headers: { cookie: cookie.zhaolei },
    });
    const keeperOf = Object.fromEntries(
      sources
        .json()
        .items.map((s: { name: string; keeper: { orgName: string } }) => [s.name, s.keeper.orgName]),
    );
    assert.deepEqual(keeperOf, {
      population: '沈阳市公安局',
      'minimum-income': '沈阳市民政局',
      'social-insurance': '沈阳市人力资源和社会保障局',
      'legal-entities': '沈阳市市场监督管理局',
    });
  });

  it('lists tell nothing about people not on them', async () => {
    await seedDatahub(t.ctx, 400, 3);
    const list = RESOURCE_SOURCES['minimum-income'];
    const on = await t.ctx.db
      .selectFrom('dh_persons')
      .select('id_number')
      .where('minimum_income_since', 'is not', null)
      .where('death_date', 'is', null)
      .executeTakeFirstOrThrow();
    const record = await list.fetch(t.ctx.db, on.id_number);
    assert.equal(record?.idNumber, on.id_number);
    assert.ok(record?.minimumIncomeSince);
    const off = await t.ctx.db
      .selectFrom('dh_persons')
      .select('id_number')
      .where('minimum_income_since', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(await list.fetch(t.ctx.db, off.id_number), null);
    assert.ok(await RESOURCE_SOURCES.population.fetch(t.ctx.db, DEMO_CITIZEN_ID_NUMBER));
  });
});
