import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totpCode } from '../src/modules/identity/totp';
import {
  auditEntries,
  createTestApp,
  enrollTotp,
  sessionCookie,
  type TestApp,
  testDialects,
} from './support/harness';

const PASSWORD = 'GovFlow@2026';

for (const dialect of testDialects()) {
  describe(`authentication and sessions [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const login = (username: string, password: string, totp?: string) =>
      t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password, ...(totp ? { totp } : {}) },
      });
    const me = (cookie: string) => t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

    it('logs in with an HttpOnly session cookie and audits the success', async () => {
      const res = await login('zhangwei', PASSWORD);
      assert.equal(res.statusCode, 200, res.body);
      const cookie = res.cookies.find((c) => c.name === 'gf_session');
      assert.ok(cookie?.httpOnly, 'session cookie must be HttpOnly');
      assert.equal(cookie?.sameSite, 'Strict');
      assert.equal(res.json().user.homeKind, 'staff');
      const r = await me(sessionCookie(res));
      assert.equal(r.json().username, 'zhangwei');
      assert.equal(r.json().posts.length, 3, 'zhangwei holds three posts');
      const [entry] = await auditEntries(t, 'auth.login');
      assert.equal(entry.actor_name, 'zhangwei');
      assert.equal(entry.outcome, 'success');
      assert.ok(entry.request_id);
    });

    it('refuses a wrong password and an unknown user alike, auditing both', async () => {
      const wrong = await login('liuyang', 'Wrong#Pass1');
      const unknown = await login('nobody-here', 'Wrong#Pass1');
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.json().code, 'INVALID_CREDENTIALS');
      assert.equal(wrong.json().message, unknown.json().message, 'no user enumeration');
      const failures = (await auditEntries(t, 'auth.login')).filter((e) => e.outcome === 'failure');
      assert.ok(
        failures.some((e) => e.actor_name === 'liuyang' && JSON.parse(e.detail).reason === 'wrong-password'),
      );
      assert.ok(failures.some((e) => e.actor_name === 'nobody-here' && e.actor_id === null));
      // A successful login resets the counter.
      assert.equal((await login('liuyang', PASSWORD)).statusCode, 200);
      const row = await t.ctx.db
        .selectFrom('users')
        .select('failed_logins')
        .where('username', '=', 'liuyang')
        .executeTakeFirstOrThrow();
      assert.equal(row.failed_logins, 0);
    });

    it('records an unknown username with ID numbers, phone numbers and long digit runs masked, cut to 32 characters', async () => {
      const idNumber = '210102199005121230';
      const typed = [idNumber, '13900001234', `id${idNumber}`, `x${'y'.repeat(63)}`];
      for (const username of typed) assert.equal((await login(username, 'Wrong#Pass1')).statusCode, 401);
      const names = (await auditEntries(t, 'auth.login')).slice(0, typed.length).map((e) => e.actor_name);
      assert.deepEqual(names.reverse(), [
        '210102********1230',
        '139****1234',
        `id210${'*'.repeat(15)}`,
        `x${'y'.repeat(31)}…`,
      ]);
      const trail = JSON.stringify(await auditEntries(t));
      assert.ok(!trail.includes(idNumber), 'the typed ID number is nowhere in the audit trail');
      assert.ok(!trail.includes('13900001234'), 'the typed phone number is nowhere in the audit trail');
    });

    it('locks the account after 5 wrong passwords for 15 minutes, then lets it in again', async () => {
      for (let i = 1; i <= 4; i++) assert.equal((await login('wangfang', `Wrong#Pass${i}`)).statusCode, 401);
      const fifth = await login('wangfang', 'Wrong#Pass5');
      assert.equal(fifth.statusCode, 423);
      const sixth = await login('wangfang', 'Wrong#Pass6');
      assert.equal(sixth.statusCode, 423);
      assert.equal(sixth.json().code, 'ACCOUNT_LOCKED');
      // Even the right password is refused while locked.
      assert.equal((await login('wangfang', PASSWORD)).statusCode, 423);
      const locks = await auditEntries(t, 'auth.account-locked');
      assert.equal(locks.length, 1);
      assert.equal(locks[0].actor_name, 'wangfang');
      t.clock.advanceMinutes(14);
      assert.equal((await login('wangfang', PASSWORD)).statusCode, 423);
      t.clock.advanceMinutes(2);
      assert.equal((await login('wangfang', PASSWORD)).statusCode, 200);
    });

    it('lets the security administrator unlock an account early', async () => {
      for (let i = 0; i < 5; i++) await login('liuyang', 'Wrong#Pass0');
      assert.equal((await login('liuyang', PASSWORD)).statusCode, 423);
      const sec = await t.login('secadmin');
      const user = await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'liuyang')
        .executeTakeFirstOrThrow();
      const unlock = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/unlock`,
        headers: { cookie: sec },
      });
      assert.equal(unlock.statusCode, 200, unlock.body);
      assert.equal((await login('liuyang', PASSWORD)).statusCode, 200);
      const sys = await t.login('sysadmin');
      const denied = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/unlock`,
        headers: { cookie: sys },
      });
      assert.equal(denied.statusCode, 403, 'unlocking is the security administrator’s duty');
    });

    it('ends a session after 30 idle minutes but keeps an active one alive', async () => {
      const cookie = await t.login('zhangwei');
      t.clock.advanceMinutes(20);
      assert.equal((await me(cookie)).statusCode, 200);
      t.clock.advanceMinutes(20);
      assert.equal((await me(cookie)).statusCode, 200, 'activity 20 minutes ago keeps the session alive');
      t.clock.advanceMinutes(31);
      const expired = await me(cookie);
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().code, 'SESSION_EXPIRED');
    });

    it('revokes the session on logout and refuses garbage tokens', async () => {
      const cookie = await t.login('zhangwei');
      assert.equal(
        (await t.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode,
        204,
      );
      const after = await me(cookie);
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().code, 'UNAUTHENTICATED');
      assert.equal((await me('gf_session=not-a-real-token')).statusCode, 401);
      assert.equal((await me('')).statusCode, 401);
    });

    it('lists and revokes one of my own sessions, never someone else’s', async () => {
      const a = await t.login('zhangwei');
      const b = await t.login('zhangwei');
      const list = await t.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie: a } });
      const items = list.json().items as { id: string; current: boolean }[];
      assert.ok(items.length >= 2);
      const other = items.find((s) => !s.current) as { id: string };
      const stranger = await t.login('liuyang');
      const refused = await t.inject({
        method: 'DELETE',
        url: `/api/v1/me/sessions/${other.id}`,
        headers: { cookie: stranger },
      });
      assert.equal(refused.statusCode, 404);
      const bSession = (await t.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie: b } }))
        .json()
        .items.find((s: { current: boolean }) => s.current);
      const del = await t.inject({
        method: 'DELETE',
        url: `/api/v1/me/sessions/${bSession.id}`,
        headers: { cookie: a },
      });
      assert.equal(del.statusCode, 204);
      assert.equal((await me(b)).statusCode, 401);
      assert.equal((await me(a)).statusCode, 200);
    });

    it('revokes every session of a user when the password changes', async () => {
      const a = await t.login('citizen');
      const b = await t.login('citizen');
      const weak = await t.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie: a },
        payload: { currentPassword: PASSWORD, newPassword: 'short' },
      });
      assert.equal(weak.statusCode, 422);
      assert.equal(weak.json().code, 'WEAK_PASSWORD');
      const wrong = await t.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie: a },
        payload: { currentPassword: 'Not#Mine123', newPassword: 'Better#Pass2027' },
      });
      assert.equal(wrong.statusCode, 422);
      assert.equal(wrong.json().code, 'WRONG_PASSWORD');
      const ok = await t.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { cookie: a },
        payload: { currentPassword: PASSWORD, newPassword: 'Better#Pass2027' },
      });
      assert.equal(ok.statusCode, 204, ok.body);
      const fresh = sessionCookie(ok);
      assert.equal((await me(a)).statusCode, 401, 'the session that changed it is revoked too');
      assert.equal((await me(b)).statusCode, 401, 'other sessions are revoked');
      assert.equal((await me(fresh)).statusCode, 200, 'a fresh session is issued');
      assert.equal((await login('citizen', PASSWORD)).statusCode, 401);
      assert.equal((await login('citizen', 'Better#Pass2027')).statusCode, 200);
      const [entry] = await auditEntries(t, 'auth.password-change');
      assert.equal(JSON.parse(entry.detail).sessionsRevoked, 2);
    });

    it('lets the security administrator revoke all sessions of a user', async () => {
      const victim = await t.login('liuyang');
      const sec = await t.login('secadmin');
      const user = await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'liuyang')
        .executeTakeFirstOrThrow();
      const res = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/sessions/revoke`,
        headers: { cookie: sec },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.json().revoked >= 1);
      assert.equal((await me(victim)).statusCode, 401);
    });
  });

  describe(`second factor (TOTP) [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    it('requires the code at login once enrolled, and refuses a replayed code', async () => {
      const cookie = await t.login('zhangwei');
      const noPassword = await t.inject({
        method: 'POST',
        url: '/api/v1/me/totp/enroll',
        headers: { cookie },
        payload: { password: 'Not#Mine123' },
      });
      assert.equal(noPassword.statusCode, 422, 'a session alone cannot bind a device');
      const enroll = await t.inject({
        method: 'POST',
        url: '/api/v1/me/totp/enroll',
        headers: { cookie },
        payload: { password: PASSWORD },
      });
      assert.equal(enroll.statusCode, 200, enroll.body);
      const { secret, otpauthUrl } = enroll.json();
      assert.match(otpauthUrl, /^otpauth:\/\/totp\//);
      const stored = async () =>
        t.ctx.db
          .selectFrom('users')
          .select(['totp_secret', 'totp_pending_secret'])
          .where('username', '=', 'zhangwei')
          .executeTakeFirstOrThrow();
      const pending = (await stored()).totp_pending_secret ?? '';
      assert.match(pending, /^sm4ctr:v1:/, 'the pending seed is stored encrypted');
      assert.ok(!pending.includes(secret));
      const bad = await t.inject({
        method: 'POST',
        url: '/api/v1/me/totp/confirm',
        headers: { cookie },
        payload: { code: '000000' === totpCode(secret, t.clock.now()) ? '111111' : '000000' },
      });
      assert.equal(bad.statusCode, 422);
      const confirm = await t.inject({
        method: 'POST',
        url: '/api/v1/me/totp/confirm',
        headers: { cookie },
        payload: { code: totpCode(secret, t.clock.now()) },
      });
      assert.equal(confirm.statusCode, 204, confirm.body);
      const enrolled = (await stored()).totp_secret ?? '';
      assert.match(enrolled, /^sm4ctr:v1:/, 'the enrolled seed is stored encrypted');
      assert.ok(!enrolled.includes(secret));

      const noCode = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: PASSWORD },
      });
      assert.equal(noCode.statusCode, 401);
      assert.equal(noCode.json().code, 'TOTP_REQUIRED');

      // The code used at enrolment cannot be used again.
      const replay = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: PASSWORD, totp: totpCode(secret, t.clock.now()) },
      });
      assert.equal(replay.statusCode, 401);
      assert.equal(replay.json().code, 'INVALID_TOTP');

      t.clock.advance(30_000);
      const code = totpCode(secret, t.clock.now());
      const ok = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: PASSWORD, totp: code },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const again = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: PASSWORD, totp: code },
      });
      assert.equal(again.json().code, 'INVALID_TOTP', 'a code works once');
      const meRes = await t.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: sessionCookie(ok) },
      });
      assert.equal(meRes.json().totpEnrolled, true);
      const second = await t.inject({
        method: 'POST',
        url: '/api/v1/me/totp/enroll',
        headers: { cookie: sessionCookie(ok) },
        payload: { password: PASSWORD },
      });
      assert.equal(second.statusCode, 409);
    });

    it('lets the security administrator reset a lost second factor', async () => {
      const user = await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'zhangwei')
        .executeTakeFirstOrThrow();
      const sec = await t.login('secadmin');
      const reset = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/totp/reset`,
        headers: { cookie: sec },
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(reset.json().totpEnrolled, false);
      const ok = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: PASSWORD },
      });
      assert.equal(ok.statusCode, 200, 'password alone works again after the reset');
      const [entry] = await auditEntries(t, 'user.totp-reset');
      assert.equal(entry.actor_name, 'secadmin');
      const own = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/totp/reset`,
        headers: { cookie: sessionCookie(ok) },
      });
      assert.equal(own.statusCode, 403, 'a user cannot reset their own factor');
    });

    it('counts wrong codes as failed attempts', async () => {
      const secret = await enrollTotp(t, 'liuyang');
      const good = totpCode(secret, t.clock.now());
      const wrong = good === '123456' ? '654321' : '123456';
      for (let i = 0; i < 4; i++) {
        const r = await t.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'liuyang', password: PASSWORD, totp: wrong },
        });
        assert.equal(r.json().code, 'INVALID_TOTP');
      }
      const fifth = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'liuyang', password: PASSWORD, totp: wrong },
      });
      assert.equal(fifth.statusCode, 423);
    });
  });
}

describe('rate limiting on authentication routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  after(() => t.close());

  it('answers 429 RATE_LIMITED past the limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await t.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'x', password: 'y' },
          })
        ).statusCode,
      );
    }
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    const limited = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'x', password: 'y' },
    });
    assert.equal(limited.json().code, 'RATE_LIMITED');
    assert.ok(limited.json().requestId);
  });
});
