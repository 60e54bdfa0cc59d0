import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBasicCode, checkImplementationCode, makeImplementationCode } from '../src/index';

describe('item codes', () => {
  it('checks the 10-digit basic code: length, type, main item', () => {
    assert.deepEqual(checkBasicCode('0100104000'), { ok: true, type: 'licensing' });
    assert.deepEqual(checkBasicCode('2000101000'), { ok: true, type: 'public-service' });
    assert.deepEqual(checkBasicCode('010010400'), { ok: false, problem: 'FORMAT' });
    assert.deepEqual(checkBasicCode('01001040001'), { ok: false, problem: 'FORMAT' });
    assert.deepEqual(checkBasicCode('1500104000'), { ok: false, problem: 'TYPE' });
    assert.deepEqual(checkBasicCode('0100000000'), { ok: false, problem: 'MAIN_ITEM' });
  });

  it('checks the 24-character implementation code: region, organisation check character, body category', () => {
    const code = makeImplementationCode({
      regionCode: '210102',
      township: '000',
      village: '000',
      orgBody: 'D0000003',
      bodyCategory: '1',
      handlingItem: '00',
    });
    assert.equal(code.length, 24);
    const ok = checkImplementationCode(code);
    assert.ok(ok.ok);
    assert.equal(ok.ok && ok.parts.regionCode, '210102');
    assert.deepEqual(checkImplementationCode(`000000${code.slice(6)}`), { ok: false, problem: 'REGION' });
    const badCheck = code.slice(0, 20) + (code[20] === '0' ? '1' : '0') + code.slice(21);
    assert.deepEqual(checkImplementationCode(badCheck), { ok: false, problem: 'ORG_CODE_CHECK' });
    assert.deepEqual(checkImplementationCode(`${code.slice(0, 21)}7${code.slice(22)}`), {
      ok: false,
      problem: 'BODY_CATEGORY',
    });
    assert.deepEqual(checkImplementationCode(code.slice(1)), { ok: false, problem: 'FORMAT' });
  });
});
