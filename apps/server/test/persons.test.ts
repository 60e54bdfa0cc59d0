import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { isValidCreditCode, isValidIdNumber, makeCreditCode, makeIdNumber } from '@govflow/shared';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect } from './support/harness';

/** The same ID number with a different (hence wrong) last character. */
function withWrongCheckDigit(id: string): string {
  const last = id[17];
  const wrong = last === 'X' ? '0' : last === '9' ? 'X' : String(Number(last) + 1);
  return id.slice(0, 17) + wrong;
}

/** The same credit code with a different (hence wrong) check character. */
function withWrongCheckChar(code: string): string {
  return code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
}

interface PersonBody {
  id: string;
  idNumber: string;
  idNumberMasked: boolean;
  name: string;
  gender: string;
  birthDate: string | null;
  regionCode: string;
  phone: string | null;
}

describeEachDialect('natural and legal persons', (get) => {
  let zhangwei: string;
  let liuyang: string;
  let wangfang: string;

  before(async () => {
    const t = get();
    zhangwei = await t.login('zhangwei');
    liuyang = await t.login('liuyang');
    wangfang = await t.login('wangfang');
  });

  const postPerson = (payload: Record<string, unknown>, cookie = zhangwei) =>
    get().inject({ method: 'POST', url: '/api/v1/persons', headers: { cookie }, payload });

  const personCount = async () =>
    Number(
      (
        await get()
          .ctx.db.selectFrom('persons')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a wrong ID check digit is 422 INVALID_ID_NUMBER (CHECK_DIGIT)', async () => {
    const valid = makeIdNumber('210102', '1985-03-17', 41);
    assert.ok(isValidIdNumber(valid), 'only the check digit is wrong');
    const before = await personCount();
    const res = await postPerson({ idNumber: withWrongCheckDigit(valid), name: '赵强' });
    assert.equal(res.statusCode, 422);
    const body = res.json();
    assert.equal(body.code, 'INVALID_ID_NUMBER');
    assert.equal(body.details?.problem, 'CHECK_DIGIT');
    assert.equal(typeof body.requestId, 'string');
    assert.equal(await personCount(), before, 'nothing stored');
  });

  it('an impossible birth date is 422 INVALID_ID_NUMBER (BIRTH_DATE)', async () => {
    // A correct check digit over 1990-02-30, so only the date is wrong.
    const res = await postPerson({ idNumber: makeIdNumber('210102', '1990-02-30', 17), name: '赵强' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'INVALID_ID_NUMBER');
    assert.equal(res.json().details?.problem, 'BIRTH_DATE');
    const month13 = await postPerson({ idNumber: makeIdNumber('210102', '1990-13-01', 17), name: '赵强' });
    assert.equal(month13.statusCode, 422);
    assert.equal(month13.json().details?.problem, 'BIRTH_DATE');
  });

  it('a valid ID number is 201 with gender and birth date derived; the same number again is 409', async () => {
    const t = get();
    const female = makeIdNumber('210103', '1988-11-02', 122); // 17th digit 2: even → female
    const res = await postPerson({ idNumber: female, name: '周婷', phone: '13812345678' }, liuyang);
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json() as PersonBody;
    assert.equal(
      p.idNumber,
      female,
      'liuyang holds person:read-pii over 沈河区 and sees the number in clear',
    );
    assert.equal(p.idNumberMasked, false);
    assert.equal(p.gender, 'female');
    assert.equal(p.birthDate, '1988-11-02');
    assert.equal(p.regionCode, '210103');
    assert.equal(p.name, '周婷');
    const [entry] = await auditEntries(t, 'person.register');
    assert.equal(entry.actor_name, 'liuyang');
    assert.equal(entry.target_id, p.id);
    assert.equal(
      JSON.parse(entry.detail).idNumber,
      `${female.slice(0, 6)}********${female.slice(14)}`,
      'the audit trail holds the ID number masked',
    );
    assert.ok(!entry.detail.includes(female.slice(6, 14)), 'no birth date digits in the audit entry');

    const male = makeIdNumber('210102', '1979-07-31', 131); // 17th digit 1: odd → male
    const m = await postPerson({ idNumber: male, name: '吴刚' });
    assert.equal(m.statusCode, 201, m.body);
    assert.equal(m.json().gender, 'male');
    assert.equal(m.json().birthDate, '1979-07-31');

    const again = await postPerson({ idNumber: female, name: '周婷' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'DUPLICATE');
    // A lower-case x is the same number as X: still a duplicate, never a second person.
    const withX = Array.from({ length: 999 }, (_, i) => makeIdNumber('210102', '1970-01-01', i + 1)).find(
      (id) => id.endsWith('X'),
    );
    assert.ok(withX);
    assert.equal((await postPerson({ idNumber: withX, name: '郑一' })).statusCode, 201);
    const lower = await postPerson({ idNumber: withX.toLowerCase(), name: '郑一' });
    assert.equal(lower.statusCode, 409);
    assert.equal(lower.json().code, 'DUPLICATE');
  });

  it('a wrong credit code check character is 422 INVALID_CREDIT_CODE', async () => {
    const t = get();
    const valid = makeCreditCode('91', '210102', 'MA0GFT01');
    assert.ok(
      isValidCreditCode(valid) && !isValidCreditCode(withWrongCheckChar(valid)),
      'only the check character is wrong',
    );
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/legal-persons',
      headers: { cookie: zhangwei },
      payload: {
        creditCode: withWrongCheckChar(valid),
        name: '沈阳测试商贸有限公司',
        entityType: 'company',
        legalRepresentative: { idNumber: makeIdNumber('210102', '1975-04-09', 51), name: '冯军' },
      },
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'INVALID_CREDIT_CODE');
    assert.equal(res.json().details?.problem, 'CHECK_CHAR');
    assert.equal(
      await t.ctx.db
        .selectFrom('legal_persons')
        .select('id')
        .where('credit_code', '=', valid)
        .executeTakeFirst(),
      undefined,
    );
  });

  it('a valid credit code is 201 and bound to its legal representative', async () => {
    const t = get();
    const creditCode = makeCreditCode('91', '210102', 'MA0GFT02');
    const repId = makeIdNumber('210102', '1975-04-09', 53);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/legal-persons',
      headers: { cookie: zhangwei },
      payload: {
        creditCode,
        name: '沈阳测试科技有限公司',
        entityType: 'company',
        legalRepresentative: { idNumber: repId, name: '冯军' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const lp = res.json();
    assert.equal(lp.creditCode, creditCode);
    assert.equal(lp.regionCode, '210102');
    assert.equal(lp.legalRepresentative.name, '冯军');

    const back = await t.inject({
      method: 'GET',
      url: `/api/v1/legal-persons/${lp.id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(back.statusCode, 200);
    const got = back.json();
    assert.equal(got.name, '沈阳测试科技有限公司');
    assert.equal(got.creditCode, creditCode);
    assert.equal(got.legalRepresentative.name, '冯军');
    assert.equal(got.legalRepresentative.idNumber, repId);
    // The representative is a registered natural person, the one the legal person points at.
    const rep = await t.ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('id_number', '=', repId)
      .executeTakeFirstOrThrow();
    assert.equal(got.legalRepresentative.id, rep.id);
    const row = await t.ctx.db
      .selectFrom('legal_persons')
      .selectAll()
      .where('id', '=', lp.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.legal_rep_person_id, rep.id);

    const dup = await t.inject({
      method: 'POST',
      url: '/api/v1/legal-persons',
      headers: { cookie: zhangwei },
      payload: {
        creditCode,
        name: '另一家',
        entityType: 'company',
        legalRepresentative: { idNumber: repId, name: '冯军' },
      },
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().code, 'DUPLICATE');
  });

  it('SQL-injection and script strings are stored and returned byte-identical as JSON', async () => {
    const t = get();
    const hostile = ["'); DROP TABLE persons;--", '<script>alert(1)</script>', '" OR 1=1 --'];
    const ids: string[] = [];
    for (const [i, name] of hostile.entries()) {
      const res = await postPerson({ idNumber: makeIdNumber('210102', '2000-01-01', 300 + i), name });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.json().name, name);
      ids.push(res.json().id);
    }
    for (const [i, name] of hostile.entries()) {
      const res = await t.inject({
        method: 'GET',
        url: `/api/v1/persons/${ids[i]}`,
        headers: { cookie: zhangwei },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.json().name, name, 'returned byte-identical');
      const row = await t.ctx.db
        .selectFrom('persons')
        .select('name')
        .where('id', '=', ids[i])
        .executeTakeFirstOrThrow();
      assert.equal(row.name, name, 'stored byte-identical');
    }
    // The table is intact and still takes reads and writes.
    const byNumber = await t.inject({
      method: 'GET',
      url: `/api/v1/persons?idNumber=${DEMO_CITIZEN_ID_NUMBER}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(byNumber.statusCode, 200);
    assert.equal(byNumber.json().items.length, 1);
    assert.equal(byNumber.json().items[0].name, '李明');
    const after = await postPerson({ idNumber: makeIdNumber('210102', '2000-01-01', 310), name: '钱多多' });
    assert.equal(after.statusCode, 201);
    assert.ok((await personCount()) >= 5);
  });

  it('a hostile legal-person name is stored inert too', async () => {
    const t = get();
    const name = "<img src=x onerror=alert(1)>'; DELETE FROM legal_persons;--";
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/legal-persons',
      headers: { cookie: zhangwei },
      payload: {
        creditCode: makeCreditCode('92', '210102', 'MA0GFT03'),
        name,
        entityType: 'individual-business',
        legalRepresentative: { idNumber: makeIdNumber('210102', '1975-04-09', 55), name: '<b>蒋</b>' },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const back = await t.inject({
      method: 'GET',
      url: `/api/v1/legal-persons/${res.json().id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(back.json().name, name);
    assert.equal(back.json().legalRepresentative.name, '<b>蒋</b>');
    const count = await t.ctx.db
      .selectFrom('legal_persons')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.ok(Number(count.n) >= 2, 'the demo company is still there');
  });

  it('staff without person:read-pii see ID digits 7–14 and phone digits 4–7 masked', async () => {
    const t = get();
    const idNumber = makeIdNumber('210102', '1992-08-15', 123);
    const created = await postPerson({ idNumber, name: '孙悦', phone: '13966661234' });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;

    const masked = await t.inject({
      method: 'GET',
      url: `/api/v1/persons/${id}`,
      headers: { cookie: wangfang },
    });
    assert.equal(masked.statusCode, 200);
    const m = masked.json() as PersonBody;
    assert.equal(m.idNumber, `210102********${idNumber.slice(14)}`);
    assert.match(m.idNumber, /^210102\*{8}123[\dX]$/);
    assert.equal(m.phone, '139****1234');
    assert.equal(m.idNumberMasked, true);
    assert.ok(!masked.body.includes('19920815'), 'the birth date digits never appear');
    assert.ok(!masked.body.includes('13966661234'));
    assert.equal(m.name, '孙悦');

    const clear = await t.inject({
      method: 'GET',
      url: `/api/v1/persons/${id}`,
      headers: { cookie: zhangwei },
    });
    assert.equal(clear.statusCode, 200);
    assert.equal(clear.json().idNumber, idNumber);
    assert.equal(clear.json().phone, '13966661234');
    assert.equal(clear.json().idNumberMasked, false);

    // Finding by number is masked the same way.
    const found = await t.inject({
      method: 'GET',
      url: `/api/v1/persons?idNumber=${idNumber}`,
      headers: { cookie: wangfang },
    });
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().items[0].idNumber, `210102********${idNumber.slice(14)}`);
    assert.equal(found.json().items[0].phone, '139****1234');

    // The legal representative embedded in a legal person is masked for wangfang too.
    const company = await t.ctx.db
      .selectFrom('legal_persons')
      .select('id')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const lp = await t.inject({
      method: 'GET',
      url: `/api/v1/legal-persons/${company.id}`,
      headers: { cookie: wangfang },
    });
    assert.equal(lp.statusCode, 200);
    assert.match(lp.json().legalRepresentative.idNumber, /^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('wangfang may not register persons (no person:write)', async () => {
    const res = await postPerson(
      { idNumber: makeIdNumber('210102', '1992-08-15', 125), name: '某人' },
      wangfang,
    );
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
  });

  it("the citizen's own /me shows the ID number masked", async () => {
    const t = get();
    const cookie = await t.login('citizen');
    const res = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const me = res.json();
    assert.equal(me.person.name, '李明');
    assert.equal(
      me.person.idNumberMasked,
      `${DEMO_CITIZEN_ID_NUMBER.slice(0, 6)}********${DEMO_CITIZEN_ID_NUMBER.slice(14)}`,
    );
    assert.ok(!res.body.includes(DEMO_CITIZEN_ID_NUMBER), 'the full number is not in the response');
    assert.equal(me.phoneMasked, '139****1234');
  });
});
