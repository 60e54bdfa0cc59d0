import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { makeCreditCode, makeIdNumber } from '@govflow/shared';
import { systemCaller } from '../src/platform/http/caller';
import { DEMO_CITIZEN_ID_NUMBER, DEMO_COMPANY_CREDIT_CODE, DEMO_PASSWORD } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

interface PersonBody {
  id: string;
  idNumber: string;
  idNumberMasked: boolean;
  name: string;
  birthDate: string | null;
  regionCode: string;
  phone: string | null;
}

const HEPING_ID = makeIdNumber('210102', '1986-04-21', 611);
const SHENHE_ID = makeIdNumber('210103', '1984-06-18', 211);
/** Born (first registered) in 沈河区, living in 和平区 now. */
const MOVED_ID = makeIdNumber('210103', '1991-09-03', 415);

async function orgIdByName(t: TestApp, name: string): Promise<string> {
  return (await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow())
    .id;
}

const piiReads = async (t: TestApp) => (await auditEntries(t, 'person.read-pii')).length;

describeEachDialect('people and companies are scoped to the district they are registered in', (get) => {
  const cookies: Record<string, string> = {};
  const ids: Record<string, string> = {};

  before(async () => {
    const t = get();
    const system = systemCaller('test');
    const { persons, users } = t.ctx.identity;
    ids.liming = (await persons.findByIdNumber(DEMO_CITIZEN_ID_NUMBER))?.id as string;
    ids.heping = (
      await persons.register(system, { idNumber: HEPING_ID, name: '和平居民', phone: '13711112222' })
    ).id;
    ids.shenhe = (
      await persons.register(system, { idNumber: SHENHE_ID, name: '沈河居民', phone: '13833334444' })
    ).id;
    ids.company = (
      await t.ctx.db
        .selectFrom('legal_persons')
        .select('id')
        .where('credit_code', '=', DEMO_COMPANY_CREDIT_CODE)
        .executeTakeFirstOrThrow()
    ).id;
    // A city-wide officer: a region-scoped post at a city department covers all of 沈阳市.
    await users.createRole(system, {
      code: 'city-person-officer',
      name: '市级人员信息主管',
      scope: 'region',
      permissions: ['org:read', 'person:read', 'person:read-pii', 'legal-person:read'],
    });
    await users.create(system, {
      username: 'zhoujun',
      displayName: '周军',
      password: DEMO_PASSWORD,
      posts: [
        { orgId: await orgIdByName(t, '沈阳市政务服务中心'), roleCode: 'city-person-officer', title: '主管' },
      ],
    });
    // A 沈河区 officer who is himself a 和平区 resident.
    const own = await persons.register(system, {
      idNumber: makeIdNumber('210102', '1980-01-15', 733),
      name: '孙强',
      phone: '13655556666',
    });
    ids.own = own.id;
    await users.create(system, {
      username: 'sunqiang',
      displayName: '孙强',
      password: DEMO_PASSWORD,
      personId: own.id,
      posts: [
        { orgId: await orgIdByName(t, '沈河区政务服务中心'), roleCode: 'district-officer', title: '科员' },
      ],
    });
    for (const name of ['zhangwei', 'liuyang', 'zhoujun', 'sunqiang', 'wangfang', 'chenjing', 'citizen']) {
      cookies[name] = await t.login(name);
    }
  });

  const read = (who: string, url: string) =>
    get().inject({ method: 'GET', url, headers: { cookie: cookies[who] } });

  /** Asserts the masked view of a person: ID digits 7–14 and phone digits 4–7 starred, no birth date. */
  const assertMasked = (body: PersonBody, raw: string, idNumber: string, phone: string) => {
    assert.equal(body.idNumberMasked, true);
    assert.equal(body.idNumber, `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    assert.equal(body.phone, `${phone.slice(0, 3)}****${phone.slice(7)}`);
    assert.equal(body.birthDate, null);
    assert.ok(!raw.includes(idNumber), 'the full ID number is not in the response');
    assert.ok(!raw.includes(idNumber.slice(6, 14)), 'the birth date digits are not in the response');
    assert.ok(!raw.includes(phone), 'the full phone number is not in the response');
  };

  const assertFull = (body: PersonBody, idNumber: string, phone: string) => {
    assert.equal(body.idNumberMasked, false);
    assert.equal(body.idNumber, idNumber);
    assert.equal(body.phone, phone);
    assert.equal(
      body.birthDate,
      `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
    );
  };

  it('zhangwei (和平区) sees a 沈河区 resident masked, unaudited; liuyang (沈河区) sees him in full, audited', async () => {
    const t = get();
    const before = await piiReads(t);
    const z = await read('zhangwei', `/api/v1/persons/${ids.shenhe}`);
    assert.equal(z.statusCode, 200, z.body);
    assertMasked(z.json(), z.body, SHENHE_ID, '13833334444');
    assert.equal(z.json().name, '沈河居民');
    assert.equal(await piiReads(t), before, 'a masked view is not a PII read');

    const l = await read('liuyang', `/api/v1/persons/${ids.shenhe}`);
    assert.equal(l.statusCode, 200);
    assertFull(l.json(), SHENHE_ID, '13833334444');
    const [entry] = await auditEntries(t, 'person.read-pii');
    assert.equal(await piiReads(t), before + 1);
    assert.equal(entry.actor_name, 'liuyang');
    assert.equal(entry.target_id, ids.shenhe);
  });

  it('liuyang (沈河区) sees 李明 and a 和平区 resident masked; zhangwei sees both in full, audited', async () => {
    const t = get();
    for (const [id, idNumber, phone] of [
      [ids.liming, DEMO_CITIZEN_ID_NUMBER, '13900001234'],
      [ids.heping, HEPING_ID, '13711112222'],
    ]) {
      const before = await piiReads(t);
      const l = await read('liuyang', `/api/v1/persons/${id}`);
      assert.equal(l.statusCode, 200);
      assertMasked(l.json(), l.body, idNumber, phone);
      assert.equal(await piiReads(t), before);

      const z = await read('zhangwei', `/api/v1/persons/${id}`);
      assert.equal(z.statusCode, 200);
      assertFull(z.json(), idNumber, phone);
      const [entry] = await auditEntries(t, 'person.read-pii');
      assert.equal(await piiReads(t), before + 1);
      assert.equal(entry.actor_name, 'zhangwei');
      assert.equal(entry.target_id, id);
    }
  });

  it('finding by ID number follows the same rule in both districts', async () => {
    const cases: [string, string, string, boolean][] = [
      ['zhangwei', DEMO_CITIZEN_ID_NUMBER, '13900001234', true],
      ['liuyang', DEMO_CITIZEN_ID_NUMBER, '13900001234', false],
      ['zhangwei', SHENHE_ID, '13833334444', false],
      ['liuyang', SHENHE_ID, '13833334444', true],
    ];
    for (const [who, idNumber, phone, full] of cases) {
      const res = await read(who, `/api/v1/persons?idNumber=${idNumber}`);
      assert.equal(res.statusCode, 200, `${who} ${idNumber}`);
      const [item] = res.json().items as PersonBody[];
      if (full) assertFull(item, idNumber, phone);
      else assertMasked(item, res.body, idNumber, phone);
    }
  });

  it("李明's company (和平区): zhangwei sees its legal representative in full, liuyang masked", async () => {
    const t = get();
    const before = await piiReads(t);
    const l = await read('liuyang', `/api/v1/legal-persons/${ids.company}`);
    assert.equal(l.statusCode, 200);
    assert.equal(l.json().creditCode, DEMO_COMPANY_CREDIT_CODE, 'the credit code is public');
    assert.equal(l.json().regionCode, '210102');
    assertMasked(l.json().legalRepresentative, l.body, DEMO_CITIZEN_ID_NUMBER, '13900001234');
    assert.equal(await piiReads(t), before);

    const z = await read('zhangwei', `/api/v1/legal-persons/${ids.company}`);
    assert.equal(z.statusCode, 200);
    assertFull(z.json().legalRepresentative, DEMO_CITIZEN_ID_NUMBER, '13900001234');
    assert.equal(await piiReads(t), before + 1);
  });

  it('a 沈河区 company shows its 和平区 representative in full to liuyang (the registration file is his district’s), masked to wangfang', async () => {
    const t = get();
    const repId = makeIdNumber('210102', '1970-12-01', 811);
    const created = await t.ctx.identity.persons.registerLegalPerson(systemCaller('test'), {
      creditCode: makeCreditCode('91', '210103', 'MA0CHN01'),
      name: '沈阳沈河测试有限公司',
      entityType: 'company',
      legalRepresentative: { idNumber: repId, name: '何平', phone: '13577778888' },
    });
    assert.equal(created.lp.region_code, '210103');
    const l = await read('liuyang', `/api/v1/legal-persons/${created.lp.id}`);
    assert.equal(l.statusCode, 200);
    assertFull(l.json().legalRepresentative, repId, '13577778888');
    const z = await read('zhangwei', `/api/v1/legal-persons/${created.lp.id}`);
    assertFull(z.json().legalRepresentative, repId, '13577778888');
    const w = await read('wangfang', `/api/v1/legal-persons/${created.lp.id}`);
    assertMasked(w.json().legalRepresentative, w.body, repId, '13577778888');
  });

  it('naming an existing 和平区 person as a new 沈河区 company’s representative shows liuyang nothing more: masked then and later, zhangwei still in full', async () => {
    const t = get();
    const register = (creditCode: string, representative: object) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/legal-persons',
        headers: { cookie: cookies.liuyang },
        payload: {
          creditCode,
          name: '沈河区空壳公司',
          entityType: 'company',
          legalRepresentative: representative,
        },
      });
    const before = await piiReads(t);
    // A phone that is not his: the answer must not correct it with the stored one.
    const res = await register(makeCreditCode('91', '210103', 'MA0DEM02'), {
      idNumber: DEMO_CITIZEN_ID_NUMBER,
      name: '李明',
      phone: '13811112222',
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().regionCode, '210103');
    assert.equal(res.json().legalRepresentative.id, ids.liming, 'the existing person is the representative');
    assertMasked(res.json().legalRepresentative, res.body, DEMO_CITIZEN_ID_NUMBER, '13900001234');
    assert.equal(await piiReads(t), before, 'nothing was shown in full');

    for (const who of ['liuyang', 'sunqiang']) {
      const later = await read(who, `/api/v1/legal-persons/${res.json().id}`);
      assert.equal(later.statusCode, 200);
      assertMasked(later.json().legalRepresentative, later.body, DEMO_CITIZEN_ID_NUMBER, '13900001234');
    }
    const z = await read('zhangwei', `/api/v1/legal-persons/${res.json().id}`);
    assertFull(z.json().legalRepresentative, DEMO_CITIZEN_ID_NUMBER, '13900001234');

    // A wrong name is refused without naming the right one.
    const wrongName = await register(makeCreditCode('91', '210103', 'MA0DEM03'), {
      idNumber: HEPING_ID,
      name: '张三',
    });
    assert.equal(wrongName.statusCode, 422, wrongName.body);
    assert.ok(!wrongName.body.includes('和平居民'), 'the stored name is not echoed');
    assert.ok(!wrongName.body.includes('13711112222'));
  });

  it('the district is where the person is registered now, not where the ID number was issued', async () => {
    const res = await get().inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: { cookie: cookies.liuyang },
      payload: { idNumber: MOVED_ID, name: '迁居者', phone: '13422223333', regionCode: '210102' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().regionCode, '210102');
    assertMasked(res.json(), res.body, MOVED_ID, '13422223333');
    const z = await read('zhangwei', `/api/v1/persons/${res.json().id}`);
    assertFull(z.json(), MOVED_ID, '13422223333');
    const l = await read('liuyang', `/api/v1/persons/${res.json().id}`);
    assertMasked(l.json(), l.body, MOVED_ID, '13422223333');

    const bad = await get().inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: { cookie: cookies.liuyang },
      payload: { idNumber: makeIdNumber('210103', '1991-09-03', 417), name: '某人', regionCode: '210199000' },
    });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'INVALID_REGION_CODE');
  });

  it('a city-wide officer sees people and companies of both districts in full, each read audited', async () => {
    const t = get();
    for (const [id, idNumber, phone] of [
      [ids.liming, DEMO_CITIZEN_ID_NUMBER, '13900001234'],
      [ids.heping, HEPING_ID, '13711112222'],
      [ids.shenhe, SHENHE_ID, '13833334444'],
    ]) {
      const before = await piiReads(t);
      const res = await read('zhoujun', `/api/v1/persons/${id}`);
      assert.equal(res.statusCode, 200, res.body);
      assertFull(res.json(), idNumber, phone);
      assert.equal(await piiReads(t), before + 1);
      assert.equal((await auditEntries(t, 'person.read-pii'))[0].actor_name, 'zhoujun');
    }
    const company = await read('zhoujun', `/api/v1/legal-persons/${ids.company}`);
    assertFull(company.json().legalRepresentative, DEMO_CITIZEN_ID_NUMBER, '13900001234');
  });

  it('an officer sees his own record in full outside his district, unaudited; his neighbours stay masked', async () => {
    const t = get();
    const before = await piiReads(t);
    const own = await read('sunqiang', `/api/v1/persons/${ids.own}`);
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().idNumberMasked, false);
    assert.equal(own.json().regionCode, '210102');
    assert.equal(await piiReads(t), before, 'reading oneself is not a PII read of someone else');
    const neighbour = await read('sunqiang', `/api/v1/persons/${ids.heping}`);
    assertMasked(neighbour.json(), neighbour.body, HEPING_ID, '13711112222');
  });

  it('staff without person:read and citizens get 403', async () => {
    for (const who of ['chenjing', 'citizen']) {
      for (const url of [
        `/api/v1/persons/${ids.liming}`,
        `/api/v1/persons?idNumber=${DEMO_CITIZEN_ID_NUMBER}`,
        `/api/v1/legal-persons/${ids.company}`,
      ]) {
        const res = await read(who, url);
        assert.equal(res.statusCode, 403, `${who} ${url}`);
        assert.equal(res.json().code, 'FORBIDDEN');
        assert.ok(!res.body.includes('李明'));
      }
    }
  });
});
