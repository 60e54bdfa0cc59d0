import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreditCode,
  checkIdNumber,
  checkPasswordPolicy,
  creditCodeCheckChar,
  idNumberCheckChar,
  makeCreditCode,
  makeIdNumber,
  maskIdNumber,
  maskPhone,
  maskPiiInText,
  regionCodeAncestry,
  regionCodeBelongsTo,
  regionLevelOf,
} from '../src/index';

describe('ID number (GB 11643)', () => {
  it('accepts the standard worked example and computes its check digit', () => {
    // The example in GB 11643-1999 annex: 11010519491231002X.
    assert.equal(idNumberCheckChar('11010519491231002'), 'X');
    const r = checkIdNumber('11010519491231002x');
    assert.ok(r.ok);
    assert.equal(r.value, '11010519491231002X');
    assert.deepEqual(r.info, { regionCode: '110105', birthDate: '1949-12-31', gender: 'female' });
  });

  it('rejects a wrong check digit, a bad date, a bad length and a bad region', () => {
    assert.deepEqual(checkIdNumber('110105194912310021'), { ok: false, problem: 'CHECK_DIGIT' });
    assert.deepEqual(checkIdNumber(`${makeIdNumber('210102', '1990-02-30', 11).slice(0, 17)}0`), {
      ok: false,
      problem: 'BIRTH_DATE',
    });
    assert.deepEqual(checkIdNumber('1101051949123100'), { ok: false, problem: 'FORMAT' });
    assert.deepEqual(checkIdNumber('11010519491231002Y'), { ok: false, problem: 'FORMAT' });
    assert.deepEqual(checkIdNumber('001051194912310020'), { ok: false, problem: 'REGION' });
  });

  it('makes valid numbers for every sequence and detects every single-digit change', () => {
    const id = makeIdNumber('210102', '1985-07-14', 123);
    assert.ok(checkIdNumber(id).ok);
    for (let pos = 0; pos < 17; pos++) {
      const d = Number(id[pos]);
      const changed = id.slice(0, pos) + String((d + 1) % 10) + id.slice(pos + 1);
      const r = checkIdNumber(changed);
      assert.equal(r.ok, false, `change at ${pos} must be caught: ${changed}`);
    }
  });
});

describe('Unified social credit code (GB 32100)', () => {
  it('accepts a published code and rejects its one-character changes', () => {
    const published = '91350100M000100Y43';
    assert.ok(checkCreditCode(published).ok);
    assert.equal(creditCodeCheckChar(published.slice(0, 17)), '3');
    assert.deepEqual(checkCreditCode('91350100M000100Y44'), { ok: false, problem: 'CHECK_CHAR' });
    assert.deepEqual(checkCreditCode('91350100M000100Y4I'), { ok: false, problem: 'FORMAT' });
    assert.deepEqual(checkCreditCode('9135010'), { ok: false, problem: 'FORMAT' });
  });

  it('validates the embedded organisation code (GB 11714)', () => {
    const code = makeCreditCode('91', '210102', 'MA0K3L7P');
    assert.ok(checkCreditCode(code).ok, code);
    const badOrg = code.slice(0, 16) + (code[16] === '1' ? '2' : '1');
    const fixed = badOrg.slice(0, 17) + creditCodeCheckChar(badOrg.slice(0, 17));
    assert.deepEqual(checkCreditCode(fixed), { ok: false, problem: 'ORG_CODE_CHECK' });
  });
});

describe('masking', () => {
  it('masks ID digits 7–14 and phone digits 4–7', () => {
    assert.equal(maskIdNumber('11010519491231002X'), '110105********002X');
    assert.equal(maskPhone('13812345678'), '138****5678');
    assert.equal(maskIdNumber(null), null);
  });

  it('masks numbers inside free text but leaves other digits alone', () => {
    const text = 'GET /persons?id=11010519491231002X&tel=13812345678 order 2024000012345';
    assert.equal(
      maskPiiInText(text),
      'GET /persons?id=110105********002X&tel=138****5678 order 2024000012345',
    );
  });
});

describe('password policy', () => {
  it('needs 8 characters and 3 of 4 classes', () => {
    assert.equal(checkPasswordPolicy('Ab1!').ok, false);
    assert.equal(checkPasswordPolicy('abcdefgh1').ok, false);
    assert.equal(checkPasswordPolicy('abcdefG1').ok, true);
    assert.equal(checkPasswordPolicy('abcdef1!').ok, true);
    assert.equal(checkPasswordPolicy('ABCDEFGH').ok, false);
    assert.deepEqual(checkPasswordPolicy('Liwei@2026', 'liwei'), { ok: false, reason: '密码不能包含用户名' });
    assert.equal(checkPasswordPolicy('Liwei@2026', 'zhangwei').ok, true);
    assert.equal(checkPasswordPolicy('Ab@2026xy', 'ab').ok, true, 'a name this short is everywhere');
  });
});

describe('region codes', () => {
  it('knows the level of a code and whether it belongs to a parent', () => {
    assert.equal(regionLevelOf('210000'), 'province');
    assert.equal(regionLevelOf('210100'), 'city');
    assert.equal(regionLevelOf('210102'), 'district');
    assert.equal(regionLevelOf('210102001'), 'street');
    assert.equal(regionLevelOf('210102001002'), 'community');
    assert.equal(regionLevelOf('21010'), null);
    assert.ok(regionCodeBelongsTo('210102', '210100'));
    assert.ok(!regionCodeBelongsTo('210202', '210100'));
    assert.ok(!regionCodeBelongsTo('210102001', '210100'));
    assert.ok(regionCodeBelongsTo('210102001002', '210102001'));
  });

  it('lists a code and every division above it, nearest first', () => {
    assert.deepEqual(regionCodeAncestry('210102001002'), [
      '210102001002',
      '210102001',
      '210102',
      '210100',
      '210000',
    ]);
    assert.deepEqual(regionCodeAncestry('210103'), ['210103', '210100', '210000']);
    assert.deepEqual(regionCodeAncestry('210100'), ['210100', '210000']);
    assert.deepEqual(regionCodeAncestry('210000'), ['210000']);
    assert.deepEqual(regionCodeAncestry('2101'), []);
  });
});
