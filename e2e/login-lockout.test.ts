import assert from 'node:assert/strict';
import { test } from 'node:test';
import { submitLogin, useServerAndBrowser, withScreenshotOnFailure } from './support';

const e2e = useServerAndBrowser();

test('after five failures the login page says, in Chinese and Beijing time, when to try again', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'login-lockout', async () => {
      await page.goto('/login');
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        statuses.push((await submitLogin(page, 'no-such-user', `Wrong#Pass${i}`)).status());
      }
      assert.deepEqual(statuses, [401, 401, 401, 401, 423]);
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.match(
        (await error.textContent()) ?? '',
        /^登录失败次数过多，已暂停从您当前的网络地址登录该账号/,
      );
      const alert = page.getByRole('alert');
      const hint = (await alert.textContent()) ?? '';
      const until = hint.match(/请于北京时间 (\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2}) 之后再试/);
      assert.ok(until, hint);
      // The time shown is Beijing time: read in UTC+8, it lies within the next 15 minutes (to the minute).
      const [, y, mo, d, h, mi] = until.map(Number);
      const shownUtc = Date.UTC(y, mo - 1, d, h - 8, mi);
      const minutesAhead = (shownUtc - Date.now()) / 60_000;
      assert.ok(minutesAhead > -1 && minutesAhead <= 15, `${minutesAhead} minutes ahead`);
      assert.doesNotMatch(hint, /locked until|Z\b/, 'no UTC timestamp on the screen');
    });
  } finally {
    await context.close();
  }
});
