import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  DEMO_PASSWORD,
  loginAs,
  ROOT,
  submitLogin,
  useServerAndBrowser,
  withScreenshotOnFailure,
} from './support';

const e2e = useServerAndBrowser();

test('a wrong password shows the server message; the right one opens the staff workbench', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'staff-login', async () => {
      await page.goto('/login');

      const rejected = await submitLogin(page, 'zhangwei', 'not-the-password');
      assert.equal(rejected.status(), 401);
      const rejection = (await rejected.json()) as { code: string; message: string };
      assert.equal(rejection.code, 'INVALID_CREDENTIALS');
      const error = page.getByTestId('login-error');
      await error.waitFor();
      assert.equal((await error.textContent())?.trim(), rejection.message);
      assert.equal(new URL(page.url()).pathname, '/login');

      const accepted = await submitLogin(page, 'zhangwei', DEMO_PASSWORD);
      assert.equal(accepted.status(), 200);
      await page.waitForURL('**/workbench');
      assert.equal(await page.getByTestId('home-title').textContent(), '工作台');
      assert.equal(await page.getByTestId('current-user').textContent(), '张伟');
      // The home is his work (the windows he sits at); the account is one card of it.
      await page.getByTestId('home-card-window').getByText('综合受理窗口1').waitFor();
      assert.match((await page.getByTestId('home-card-account').textContent()) ?? '', /zhangwei/);

      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.setViewportSize({ width: 1440, height: 900 });
        await page.getByTestId('home-card-shortcuts').getByRole('button').first().waitFor();
        // No list still fading in from its loading state.
        await page.locator('.ant-spin-spinning, .ant-spin-blur').first().waitFor({ state: 'detached' });
        await page.screenshot({ path: join(ROOT, 'docs/screenshot-staff-home.png'), animations: 'disabled' });
      }

      await page.getByTestId('account-link').click();
      await page.waitForURL('**/account');
      assert.equal(await page.getByTestId('profile-username').textContent(), 'zhangwei');
      assert.match((await page.getByTestId('profile-posts').textContent()) ?? '', /和平区/);
    });
  } finally {
    await context.close();
  }
});

test('the audit administrator finds the login in the audit trail', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'auditor-audit', async () => {
      await page.goto('/login');
      const accepted = await submitLogin(page, 'auditor', DEMO_PASSWORD);
      assert.equal(accepted.status(), 200);
      await page.waitForURL('**/admin');
      assert.equal(await page.getByTestId('home-title').textContent(), '管理控制台');

      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.waitForURL('**/admin/audit');
      await page
        .getByTestId('audit-action-name')
        .filter({ hasText: /^登录$/ })
        .first()
        .waitFor();

      await page.getByTestId('audit-verify').click();
      const verdict = page.getByTestId('audit-verify-result');
      await verdict.waitFor();
      assert.match((await verdict.textContent()) ?? '', /哈希链完整/);
    });
  } finally {
    await context.close();
  }
});

test('a page the menu does not offer does not open from its address, and says why in Chinese', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'page-refused', async () => {
      await loginAs(page, 'zhangwei');
      // He may read his district's accounts through the API, but the administrators' page is theirs.
      await page.goto('/admin/accounts');
      const refused = page.locator('.ant-result-403');
      await refused.waitFor();
      assert.match((await refused.textContent()) ?? '', /此页面供系统管理员、安全管理员和审计管理员使用/);
      await page.goto('/admin/audit');
      await refused.waitFor();
      const text = (await refused.textContent()) ?? '';
      assert.match(text, /需要“查阅审计日志”权限/);
      assert.doesNotMatch(text, /audit:read/);
    });
  } finally {
    await context.close();
  }
});
