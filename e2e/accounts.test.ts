import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, isApi, loginAs, useServerAndBrowser, withScreenshotOnFailure } from './support';

const e2e = useServerAndBrowser();
const GIVEN = 'Given#Pass2026';

async function openAccounts(page: Page) {
  await page.getByRole('menuitem', { name: '账号管理' }).click();
  await page.waitForURL('**/admin/accounts');
  await page.getByRole('row').filter({ hasText: 'zhangwei' }).waitFor();
}

const rowOf = (page: Page, username: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });

async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

test('三员: the system administrator creates, disables and enables an account; the security administrator grants its post a role; the auditor reads it all', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'accounts-sysadmin', async () => {
      await loginAs(page, 'sysadmin');
      await openAccounts(page);
      assert.match(
        (await page.getByTestId('accounts-duties').textContent()) ?? '',
        /系统管理员.*安全管理员授予/,
      );
      const own = rowOf(page, 'sysadmin');
      assert.equal(await own.getByTestId('account-disable').isDisabled(), true, 'nobody disables themselves');
      assert.equal(
        await page.getByTestId('grant-role').count(),
        0,
        'the system administrator grants no role',
      );
      assert.equal(await page.getByRole('button', { name: '强制下线' }).count(), 0);
      await screenshot(page, 'accounts-sysadmin');

      await page.getByTestId('account-create').click();
      await page.getByTestId('create-username').fill('xinzhang');
      await page.getByTestId('create-display-name').fill('辛章');
      await page.getByTestId('create-password').fill('weakpassword');
      const dialog = page.getByRole('dialog');
      await dialog.locator('.ant-select').first().click();
      await page.keyboard.type('市场监督');
      await page.locator('.ant-select-tree-title', { hasText: '沈阳市市场监督管理局' }).first().click();
      await page.getByTestId('create-post-title-0').fill('科员');
      await screenshot(page, 'accounts-create-dialog');
      const [refused] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/users$/)),
        page.getByTestId('create-submit').click(),
      ]);
      assert.equal(refused.status(), 422);
      const body = (await refused.json()) as { message: string; hint: string };
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      const shown = (await alert.textContent()) ?? '';
      assert.ok(
        shown.includes(body.message) && shown.includes(body.hint),
        `message and hint shown: ${shown}`,
      );
      assert.match(shown, /密码/);

      await page.getByTestId('create-password').fill(GIVEN);
      const [created] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/users$/)),
        page.getByTestId('create-submit').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      const row = rowOf(page, 'xinzhang');
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /沈阳市市场监督管理局.*科员.*待安全管理员授予/);
      assert.match((await row.textContent()) ?? '', /正常.*从未登录/);

      await row.getByTestId('account-disable').click();
      const confirm = page.getByRole('dialog').filter({ hasText: '停用账号' });
      assert.match((await confirm.textContent()) ?? '', /全部会话立即结束/);
      await screenshot(page, 'accounts-disable-confirm');
      await Promise.all([
        page.waitForResponse(isApi('POST', /\/users\/[^/]+\/disable$/)),
        page.getByTestId('confirm-ok').click(),
      ]);
      await row.getByText('已停用').waitFor();
      await confirm.waitFor({ state: 'hidden' });
      await screenshot(page, 'accounts-sysadmin-disabled');

      await row.getByTestId('account-enable').click();
      await Promise.all([
        page.waitForResponse(isApi('POST', /\/users\/[^/]+\/enable$/)),
        page.getByTestId('confirm-ok').click(),
      ]);
      await row.getByText('正常').waitFor();
    });
  } finally {
    await context.close();
  }

  const security = await e2e.newContext();
  const secPage = await security.newPage();
  try {
    await withScreenshotOnFailure(secPage, 'accounts-secadmin', async () => {
      await loginAs(secPage, 'secadmin');
      await openAccounts(secPage);
      assert.match((await secPage.getByTestId('accounts-duties').textContent()) ?? '', /安全管理员.*授予/);
      assert.equal(await secPage.getByTestId('account-create').count(), 0);
      assert.equal(
        await secPage.getByTestId('account-disable').count(),
        0,
        'only the system administrator disables',
      );
      const row = rowOf(secPage, 'xinzhang');
      await row.getByTestId('grant-role').click();
      await secPage.getByTestId('grant-role-select').click();
      await secPage.locator('.ant-select-item-option', { hasText: '部门审批人员' }).click();
      await secPage.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
      await screenshot(secPage, 'accounts-grant-dialog');
      const [granted] = await Promise.all([
        secPage.waitForResponse(isApi('PUT', /\/posts\/[^/]+\/role$/)),
        secPage.getByTestId('grant-submit').click(),
      ]);
      assert.equal(granted.status(), 200, await granted.text());
      await row.getByText('部门审批人员').waitFor();
      assert.equal(await row.getByText('待安全管理员授予').count(), 0);
      await screenshot(secPage, 'accounts-secadmin');
    });
  } finally {
    await security.close();
  }

  const audit = await e2e.newContext();
  const auditPage = await audit.newPage();
  try {
    await withScreenshotOnFailure(auditPage, 'accounts-auditor', async () => {
      await loginAs(auditPage, 'auditor');
      await auditPage.goto('/admin/audit?action=user.');
      for (const action of ['创建账号', '停用账号', '启用账号', '授予角色']) {
        await auditPage.getByRole('row').filter({ hasText: action }).first().waitFor();
      }
    });
  } finally {
    await audit.close();
  }
});
