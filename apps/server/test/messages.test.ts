import assert from 'node:assert/strict';
import { it } from 'node:test';
import { beijingTimeInWords } from '@govflow/shared';
import { englishWords } from './support/english';
import { describeEachDialect } from './support/harness';

/** A message people read: some Chinese, no English words, no raw ISO time. */
function assertChinese(body: { message?: string; hint?: string }, context: string) {
  const text = `${body.message ?? ''} ${body.hint ?? ''}`;
  assert.match(text, /[\u4e00-\u9fff]/, context);
  assert.deepEqual(englishWords(text), [], `${context}: ${text}`);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `${context}: a raw ISO time`);
}

it('says an instant in Beijing time, the way people write it', () => {
  assert.equal(beijingTimeInWords('2026-12-08T06:05:30Z'), '2026年12月8日 14:05');
  // Past midnight in Beijing, still the day before in UTC.
  assert.equal(beijingTimeInWords(new Date('2026-01-31T16:30:00Z')), '2026年2月1日 00:30');
});

describeEachDialect(
  'messages in Chinese',
  (get) => {
    it('a failed login, and the lock after repeated failures with its end in Beijing time', async () => {
      const t = get();
      const login = (password: string) =>
        t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'liuyang', password } });
      const wrong = await login('Wrong#Pass1');
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().message, '用户名或密码错误');
      await login('Wrong#Pass2');
      const locked = await login('Wrong#Pass3');
      assert.equal(locked.json().code, 'ACCOUNT_LOCKED');
      assertChinese(locked.json(), 'locked');
      // 15 minutes after the clock's now, read in UTC+8 without Intl.
      const until = new Date(t.clock.now().getTime() + 15 * 60_000 + 8 * 3_600_000);
      const expected = `${until.getUTCFullYear()}年${until.getUTCMonth() + 1}月${until.getUTCDate()}日 ${String(until.getUTCHours()).padStart(2, '0')}:${String(until.getUTCMinutes()).padStart(2, '0')}`;
      assert.match(locked.json().hint, new RegExp(`北京时间 ${expected}`));
    });

    it('a guide that is not published', async () => {
      const res = await get().inject({
        method: 'GET',
        url: '/api/v1/public/items/11111111111111111111111111/guide',
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().message, '事项不存在或未公开');
    });

    it("zod's own validation errors, naming the field in Chinese", async () => {
      const t = get();
      const tooLong = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'x'.repeat(65), password: 'p' },
      });
      assert.equal(tooLong.statusCode, 400);
      assert.equal(tooLong.json().message, '请求参数有误：用户名最多 64 个字符');
      const missing = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'a' },
      });
      assert.equal(missing.json().message, '请求参数有误：密码必填');
      const wrongType = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'a', password: 12 },
      });
      assert.equal(wrongType.json().message, '请求参数有误：密码应为文本，收到的是数字');
      for (const r of [tooLong, missing, wrongType]) assertChinese(r.json(), r.body);
      assert.deepEqual(tooLong.json().details.issues[0].path, 'body.username');
    });

    it('catalogue messages name what is wrong in Chinese', async () => {
      const t = get();
      const cookie = await t.login('zhangwei');
      const bad = await t.inject({
        method: 'POST',
        url: '/api/v1/catalog/items',
        headers: { cookie },
        payload: { basicCode: '1', legal: {}, service: {} },
      });
      assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, bad.body);
      assertChinese(bad.json(), bad.body);
      const missing = await t.inject({
        method: 'GET',
        url: '/api/v1/catalog/items/0190a0a0-0000-7000-8000-000000000000',
        headers: { cookie },
      });
      assert.equal(missing.statusCode, 404, missing.body);
      assertChinese(missing.json(), missing.body);
    });

    it('data hub refusals of a signed call', async () => {
      const res = await get().inject({
        method: 'POST',
        url: '/api/v1/datahub/query',
        headers: {
          'x-gf-app-key': 'gf_unknown',
          'x-gf-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-gf-nonce': 'abcdefabcdefabcdef',
          'x-gf-signature': 'x',
        },
        payload: { resource: 'LEGAL-ENTITY-BASIC', subject: '91210112100000008T', purpose: '核验' },
      });
      assert.equal(res.statusCode, 401, res.body);
      assertChinese(res.json(), res.body);
      const unsigned = await get().inject({
        method: 'POST',
        url: '/api/v1/datahub/query',
        payload: { resource: 'LEGAL-ENTITY-BASIC', subject: '91210112100000008T', purpose: '核验' },
      });
      assertChinese(unsigned.json(), unsigned.body);
    });
  },
  { env: { LOGIN_MAX_FAILURES: '3' } },
);
