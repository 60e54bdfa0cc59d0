/**
 * Review of issue 8 defects 1, 4/5: ways around the fixes (each test asserts the promised behaviour;
 * it fails on the merged code).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeCreditCode } from '@govflow/shared';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { createTestApp, type TestApp } from './support/harness';

describe('review: scope and three-administrator model', () => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  before(async () => {
    t = await createTestApp('sqlite');
    for (const u of ['sysadmin', 'secadmin', 'liuyang', 'zhangwei']) cookie[u] = await t.login(u);
  });
  after(() => t.close());
  const userId = async (username: string) =>
    (await t.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const orgId = async (name: string) =>
    (await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

  it('liuyang (沈河区) cannot read 李明 (和平区) in full by registering a 沈河区 company that names him', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/legal-persons',
      headers: { cookie: cookie.liuyang },
      payload: {
        creditCode: makeCreditCode('91', '210103', 'MA0DEM02'),
        name: '沈河区空壳公司',
        entityType: 'company',
        legalRepresentative: { idNumber: DEMO_CITIZEN_ID_NUMBER, name: '李明' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const rep = res.json().legalRepresentative;
    assert.equal(rep.phone === '13900001234', false, `liuyang got 李明's phone: ${JSON.stringify(rep)}`);
    assert.equal(rep.idNumberMasked, true);
  });

  it('the system administrator cannot give an administrator account (secadmin) an ordinary post', async () => {
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/users/${await userId('secadmin')}/posts`,
      headers: { cookie: cookie.sysadmin },
      payload: { orgId: await orgId('沈河区政务服务中心'), title: '挂名' },
    });
    assert.equal(res.statusCode, 409, `${res.statusCode} ${res.body.slice(0, 300)}`);
  });

  it('the same role-less post cannot be added twice', async () => {
    const id = await userId('liuyang');
    const org = await orgId('沈河区民政局');
    const add = () =>
      t.inject({
        method: 'POST',
        url: `/api/v1/users/${id}/posts`,
        headers: { cookie: cookie.sysadmin },
        payload: { orgId: org, title: '科员' },
      });
    assert.equal((await add()).statusCode, 200);
    const again = await add();
    assert.equal(again.statusCode, 409, `${again.statusCode}: now ${again.json().posts?.length} posts`);
  });
});
