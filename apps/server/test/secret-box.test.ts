import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { newTotpSecret, totpCode } from '../src/modules/identity/totp';
import { verifyKeyFingerprints } from '../src/platform/crypto/key-fingerprints';
import { SecretBox } from '../src/platform/crypto/secret-box';
import { describeEachDialect, type TestApp } from './support/harness';

describe('secret box (SM4-CTR + HMAC-SM3)', () => {
  const box = new SecretBox('a'.repeat(64));
  const here = 'users.totp_secret:u1';
  it('seals and opens; each seal differs; a changed, moved or foreign value is refused', () => {
    const secret = newTotpSecret();
    const a = box.seal(secret, here);
    const b = box.seal(secret, here);
    assert.notEqual(a, b, 'a fresh IV each time');
    assert.ok(!a.includes(secret));
    assert.equal(box.open(a, here), secret);
    const raw = Buffer.from(a.slice('sm4ctr:v1:'.length), 'base64url');
    raw[20] ^= 1;
    assert.throws(() => box.open(`sm4ctr:v1:${raw.toString('base64url')}`, here), /does not verify/);
    assert.throws(() => box.open(a, 'users.totp_secret:u2'), /does not verify/, 'copied to another user');
    assert.throws(() => new SecretBox('b'.repeat(64)).open(a, here), /does not verify/);
    assert.throws(() => box.open('sm4ctr:v1:AAAA', here), /truncated/);
    assert.equal(box.open('JBSWY3DPEHPK3PXP', here), 'JBSWY3DPEHPK3PXP', 'a value stored before encryption');
  });
});

describeEachDialect('TOTP seeds stored in clear by an older release', (get) => {
  let t: TestApp;
  before(() => {
    t = get();
  });

  it('are sealed at start, and their owners still log in with them', async () => {
    const seed = newTotpSecret();
    const pendingSeed = newTotpSecret();
    await t.ctx.db
      .updateTable('users')
      .set({ totp_secret: seed })
      .where('username', '=', 'liuyang')
      .execute();
    await t.ctx.db
      .updateTable('users')
      .set({ totp_pending_secret: pendingSeed })
      .where('username', '=', 'wangfang')
      .execute();
    assert.equal(await t.ctx.identity.auth.sealClearTotpSeeds(), 2);
    assert.equal(await t.ctx.identity.auth.sealClearTotpSeeds(), 0, 'nothing left in clear');
    const rows = await t.ctx.db
      .selectFrom('users')
      .select(['username', 'totp_secret', 'totp_pending_secret'])
      .where('username', 'in', ['liuyang', 'wangfang'])
      .execute();
    const by = Object.fromEntries(rows.map((r) => [r.username, r]));
    assert.match(by.liuyang.totp_secret ?? '', /^sm4ctr:v1:/);
    assert.match(by.wangfang.totp_pending_secret ?? '', /^sm4ctr:v1:/);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'liuyang', password: 'GovFlow@2026', totp: totpCode(seed, t.clock.now()) },
    });
    assert.equal(res.statusCode, 200, res.body);
  });
});

describeEachDialect('keys checked against the database at start', (get) => {
  it('records the keys at the first start and stops an instance started with other keys', async () => {
    const t = get();
    const now = t.clock.now();
    await verifyKeyFingerprints(t.ctx.db, t.ctx.keys, now);
    await verifyKeyFingerprints(t.ctx.db, t.ctx.keys, now); // the same instance again, or a twin
    const other = {
      ...t.ctx.keys,
      secrets: { key: 'c'.repeat(64), variable: 'SECRETS_KEY' },
    };
    await assert.rejects(verifyKeyFingerprints(t.ctx.db, other, now), (err: Error) => {
      assert.match(err.message, /SECRETS_KEY: this instance's key/);
      assert.doesNotMatch(err.message, /DATAHUB_SIGNING_KEY/, 'only the key that differs is named');
      assert.ok(!err.message.includes('c'.repeat(64)), 'the key itself is never printed');
      return true;
    });
  });
});
