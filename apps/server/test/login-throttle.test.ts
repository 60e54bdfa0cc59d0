import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  auditEntries,
  createTestApp,
  sessionCookie,
  type TestApp,
  type TestAppOptions,
  testDialects,
  userIdOf,
} from './support/harness';

const PASSWORD = 'GovFlow@2026';

/** A login as seen by whoever sent it: what an attacker could compare. */
function answer(res: { statusCode: number; json(): { code: string; message: string; hint?: string } }) {
  const { code, message, hint } = res.json();
  return { status: res.statusCode, code, message, hint };
}

for (const dialect of testDialects()) {
  describe(`login failures counted per account and source address [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const login = (username: string, password: string, remoteAddress: string, headers = {}) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress,
        headers,
        payload: { username, password },
      });

    it('answers an unknown username exactly like a known one over 7 attempts', async () => {
      const known: unknown[] = [];
      const unknown: unknown[] = [];
      for (let i = 1; i <= 7; i++) {
        known.push(answer(await login('wangfang', `Wrong#Pass${i}`, '198.51.100.1')));
        unknown.push(answer(await login('no-such-user', `Wrong#Pass${i}`, '198.51.100.2')));
      }
      assert.deepEqual(unknown, known);
      assert.deepEqual(
        known.map((a) => (a as { status: number }).status),
        [401, 401, 401, 401, 423, 423, 423],
      );
      const locks = await auditEntries(t, 'auth.account-locked');
      assert.deepEqual(locks.map((e) => e.ip).sort(), ['198.51.100.1', '198.51.100.2']);
    });

    it("locks out only the stranger's address: the owner logs in from another, keeping the sessions", async () => {
      const owner = sessionCookie(await login('secadmin', PASSWORD, '192.0.2.10'));
      for (let i = 1; i <= 5; i++) await login('secadmin', `Wrong#Pass${i}`, '203.0.113.66');
      const stranger = await login('secadmin', PASSWORD, '203.0.113.66');
      assert.equal(stranger.statusCode, 423, 'even the right password is refused from the locked address');
      assert.equal(stranger.json().code, 'ACCOUNT_LOCKED');
      assert.equal(
        (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: owner } })).statusCode,
        200,
        "a stranger's guessing does not end the owner's session",
      );
      assert.equal((await login('secadmin', PASSWORD, '192.0.2.10')).statusCode, 200);
      assert.equal((await login('secadmin', PASSWORD, '192.0.2.11')).statusCode, 200, 'nor a new address');
      const [lock] = (await auditEntries(t, 'auth.account-locked')).filter(
        (e) => e.actor_name === 'secadmin',
      );
      assert.equal(lock.ip, '203.0.113.66');
      // The lock ends after LOGIN_LOCK_MINUTES (15).
      t.clock.advanceMinutes(14);
      assert.equal((await login('secadmin', PASSWORD, '203.0.113.66')).statusCode, 423);
      t.clock.advanceMinutes(2);
      assert.equal((await login('secadmin', PASSWORD, '203.0.113.66')).statusCode, 200);
    });

    it("clears the address's count on a successful login from it", async () => {
      for (let i = 1; i <= 4; i++) await login('liuyang', `Wrong#Pass${i}`, '198.51.100.7');
      assert.equal((await login('liuyang', PASSWORD, '198.51.100.7')).statusCode, 200);
      for (let i = 1; i <= 4; i++) {
        assert.equal((await login('liuyang', `Wrong#Pass${i}`, '198.51.100.7')).statusCode, 401);
      }
      assert.equal((await login('liuyang', PASSWORD, '198.51.100.7')).statusCode, 200);
    });

    it('ignores X-Forwarded-For from a client when no proxy is trusted', async () => {
      const codes: number[] = [];
      for (let i = 1; i <= 6; i++) {
        const forged = { 'x-forwarded-for': `10.9.9.${i}` };
        codes.push((await login('zhaolei', `Wrong#Pass${i}`, '198.51.100.9', forged)).statusCode);
      }
      assert.deepEqual(codes, [401, 401, 401, 401, 423, 423], 'a forged header does not buy more tries');
    });

    it('refuses unfamiliar addresses once an account collects too many failures, but not familiar ones', async () => {
      const sec = await t.login('secadmin');
      assert.equal(
        (await login('zhangwei', PASSWORD, '192.0.2.20')).statusCode,
        200,
        'the owner’s usual address',
      );
      // 20 failures (LOGIN_ACCOUNT_MAX_FAILURES) from five addresses, none reaching its own limit: the
      // twentieth starts the guard, which its (unfamiliar) address already meets.
      for (const name of ['zhangwei', 'nobody-at-all']) {
        for (let source = 1; source <= 5; source++) {
          for (let i = 1; i <= 4; i++) {
            const res = await login(name, `Wrong#Pass${i}`, `203.0.113.${source}`);
            assert.equal(res.statusCode, source === 5 && i === 4 ? 423 : 401, `${name} ${source} ${i}`);
          }
        }
      }
      const fresh = await login('zhangwei', PASSWORD, '203.0.113.99');
      assert.equal(fresh.statusCode, 423, 'a new address is refused even with the right password');
      assert.deepEqual(answer(await login('nobody-at-all', PASSWORD, '203.0.113.99')), answer(fresh));
      assert.equal(
        (await login('zhangwei', PASSWORD, '192.0.2.20')).statusCode,
        200,
        'the owner still gets in',
      );
      const guards = (await auditEntries(t, 'auth.account-locked')).filter(
        (e) => JSON.parse(e.detail).scope === 'account',
      );
      assert.equal(guards.length, 2);
      assert.equal(guards.find((e) => e.actor_name === 'zhangwei')?.ip, '203.0.113.5');

      // The security administrator's unlock clears it at once.
      const unlock = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${await userIdOf(t, 'zhangwei')}/unlock`,
        headers: { cookie: sec },
      });
      assert.equal(unlock.statusCode, 200, unlock.body);
      assert.equal((await login('zhangwei', PASSWORD, '203.0.113.99')).statusCode, 200);

      // Otherwise the guard grows: 15 minutes, then 30 for the next round of guessing.
      t.clock.advanceMinutes(16);
      assert.equal((await login('nobody-at-all', 'Wrong#Pass1', '203.0.113.98')).statusCode, 401);
      for (let source = 11; source <= 15; source++) {
        for (let i = 1; i <= 4; i++) await login('nobody-at-all', `Wrong#Pass${i}`, `203.0.113.${source}`);
      }
      t.clock.advanceMinutes(16);
      assert.equal((await login('nobody-at-all', 'Wrong#Pass1', '203.0.113.97')).statusCode, 423);
      t.clock.advanceMinutes(15);
      assert.equal((await login('nobody-at-all', 'Wrong#Pass1', '203.0.113.97')).statusCode, 401);
    });

    it("restarts an account's count after a quiet LOGIN_LOCK_MINUTES, so scattered typos never add up", async () => {
      for (let source = 1; source <= 5; source++) {
        for (let i = 1; i <= (source === 5 ? 3 : 4); i++) {
          await login('slow-guesser', `Wrong#Pass${i}`, `198.51.100.${source + 20}`);
        }
      }
      t.clock.advanceMinutes(16);
      assert.equal(
        (await login('slow-guesser', 'Wrong#Pass9', '198.51.100.30')).statusCode,
        401,
        '1, not 20',
      );
      assert.equal((await login('slow-guesser', 'Wrong#Pass9', '198.51.100.31')).statusCode, 401);
    });
  });

  describe(`login failures behind a trusted proxy [${dialect}]`, () => {
    let t: TestApp;
    const options: TestAppOptions = { env: { TRUST_PROXY: '10.0.0.5' } };
    before(async () => {
      t = await createTestApp(dialect, options);
    });
    after(() => t.close());

    const viaProxy = (client: string, password: string) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.5',
        headers: { 'x-forwarded-for': client },
        payload: { username: 'secadmin', password },
      });

    it('counts per client address the proxy reports', async () => {
      for (let i = 1; i <= 5; i++) await viaProxy('203.0.113.66', `Wrong#Pass${i}`);
      assert.equal((await viaProxy('203.0.113.66', PASSWORD)).statusCode, 423);
      assert.equal(
        (await viaProxy('192.0.2.10', PASSWORD)).statusCode,
        200,
        'the owner behind the same proxy',
      );
      const [lock] = await auditEntries(t, 'auth.account-locked');
      assert.equal(lock.ip, '203.0.113.66');
    });
  });
}
