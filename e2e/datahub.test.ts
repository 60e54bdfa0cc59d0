import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { isApi, loginAs, ROOT, useServerAndBrowser, withScreenshotOnFailure } from './support';

const MARKET_BUREAU = '沈阳市市场监督管理局';

const e2e = useServerAndBrowser();

/** Opens an org picker (a TreeSelect) and chooses the org of that exact name. */
async function pickOrg(page: Page, testId: string, name: string) {
  const picker = page.getByTestId(testId);
  await picker.click();
  await picker.locator('input').fill(name);
  await page.locator('.ant-select-tree-treenode').getByText(name, { exact: true }).click();
}

/** A full ID number anywhere in a text (a masked one has ******** in the middle). */
const FULL_ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/;

test('a window clerk chooses a window, reads an ID card and queries two proofs of 李明; the browser never holds the number', async () => {
  // A clerk's PC set to another zone still shows Beijing time.
  const context = await e2e.newContext('Europe/Berlin');
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'datahub-proof-query', async () => {
      await loginAs(page, 'zhangwei');
      await page.getByRole('menuitem', { name: '证明查询' }).click();
      await page.waitForURL('**/workbench/datahub/proof-query');
      await page.getByText('证明数据不落地保存，仅记录查询日志').waitFor();

      // zhangwei sits at two windows: he says which one before the reader is used.
      const windows = page.getByTestId('proof-window-post');
      await windows.getByText('综合受理窗口2', { exact: true }).waitFor();
      assert.ok(await page.getByTestId('proof-read-card').isDisabled(), 'no read before a window is chosen');
      await windows.getByText('综合受理窗口2', { exact: true }).click();

      // The demo reader hands out the cards of a small rota in turn: read until 李明's comes up.
      const name = page.getByTestId('proof-card-name');
      let postId = '';
      let expiresAt = '';
      for (let i = 0; i < 10; i++) {
        const [read] = await Promise.all([
          page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/card-reader\/read$/)),
          page.getByTestId('proof-read-card').click(),
        ]);
        const text = await read.text();
        assert.equal(read.status(), 200, text);
        assert.doesNotMatch(text, FULL_ID_NUMBER, 'the read gives the browser no full number');
        const body = JSON.parse(text) as { post: { id: string; orgName: string }; expiresAt: string };
        expiresAt = body.expiresAt;
        assert.equal(body.post.orgName, '综合受理窗口2');
        postId = body.post.id;
        await name.filter({ hasText: (JSON.parse(text) as { name: string }).name }).waitFor();
        if ((await name.textContent())?.trim() === '李明') break;
      }
      assert.equal((await name.textContent())?.trim(), '李明');
      const shown = (await page.getByTestId('proof-card-number').textContent())?.trim() ?? '';
      assert.match(shown, /^\d{6}\*{8}\d{3}[\dX]$/, `the number is masked as everywhere else: ${shown}`);
      const beijing = new Date(new Date(expiresAt).getTime() + 8 * 3_600_000).toISOString();
      assert.match(
        (await page.getByTestId('proof-card-state').textContent()) ?? '',
        new RegExp(`一次有效，${beijing.slice(0, 10)} ${beijing.slice(11, 19)} 前使用`),
        'the expiry in Beijing time',
      );

      // No field on the page accepts an ID number: the only inputs are the window and proof choices.
      const typable = page.locator(
        'main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), main textarea, main [contenteditable=true]',
      );
      assert.equal(await typable.count(), 0, 'no text input on the proof query page');

      const types = page.getByTestId('proof-types');
      await types.getByText('户籍证明', { exact: true }).click();
      await types.getByText('执业药师考试合格证明', { exact: true }).click();
      const [answer] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/proof-queries$/)),
        page.getByTestId('proof-submit').click(),
      ]);
      const answerText = await answer.text();
      assert.equal(answer.status(), 200, answerText);
      assert.doesNotMatch(answerText, FULL_ID_NUMBER, 'the answer gives the browser no full number');
      const sent = answer.request().postDataJSON() as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(sent).sort(),
        ['cardReadToken', 'postId', 'proofTypes'],
        'no number is sent',
      );
      assert.equal(sent.postId, postId, 'the query names the window the card was read at');
      assert.deepEqual([...(sent.proofTypes as string[])].sort(), ['household', 'pharmacist-exam']);

      const results = page.getByTestId('proof-results');
      await results.waitFor();
      const household = results.getByTestId('proof-card').filter({ hasText: '户籍证明' });
      assert.match((await household.textContent()) ?? '', /姓名\s*李明/);
      assert.match((await household.textContent()) ?? '', /已查到/);
      const pharmacist = results.getByTestId('proof-card').filter({ hasText: '执业药师考试合格证明' });
      assert.match((await pharmacist.textContent()) ?? '', /已查到/);
      assert.match((await pharmacist.textContent()) ?? '', /合格日期/);
      const statuses = await results.getByTestId('proof-provider-status').allTextContents();
      assert.ok(statuses.includes('正常'), `a provider answered in time: ${statuses.join(', ')}`);
      assert.equal(await typable.count(), 0, 'still no text input after the query');

      // The read is spent: another query needs the card read again.
      assert.ok(await page.getByTestId('proof-submit').isDisabled(), 'one query per read');
      assert.match((await page.getByTestId('proof-card-state').textContent()) ?? '', /已使用/);
      assert.doesNotMatch(await page.content(), FULL_ID_NUMBER, 'the page holds no full number');
      if (process.env.UPDATE_SCREENSHOTS === '1') {
        await page.screenshot({ path: join(ROOT, 'docs/screenshot-proof-query.png'), fullPage: true });
      }
    });
  } finally {
    await context.close();
  }
});

test('a department requests fields of a resource and the owner approves the request', async () => {
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const resourceName = '端到端测试企业登记信息';

  // The service administrator registers a conditionally shared resource of the market bureau;
  // the bureau confirms it, requests fields of it for its own work, and approves the request.
  const admin = await e2e.newContext();
  const adminPage = await admin.newPage();
  try {
    await withScreenshotOnFailure(adminPage, 'datahub-resource-create', async () => {
      await loginAs(adminPage, 'zhaolei');
      await adminPage.getByRole('menuitem', { name: '数据资源目录' }).click();
      await adminPage.waitForURL('**/workbench/datahub/resources');
      await adminPage.getByTestId('resource-create').click();
      await adminPage.getByTestId('resource-code').fill(code);
      await adminPage.getByTestId('resource-name').fill(resourceName);
      await pickOrg(adminPage, 'resource-owner', MARKET_BUREAU);
      await adminPage.getByTestId('resource-field-name-0').fill('creditCode');
      await adminPage.getByTestId('resource-field-label-0').fill('统一社会信用代码');
      await adminPage.getByTestId('resource-field-add').click();
      await adminPage.getByTestId('resource-field-name-1').fill('legalRepresentative');
      await adminPage.getByTestId('resource-field-label-1').fill('法定代表人');
      const [created] = await Promise.all([
        adminPage.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/resources$/)),
        adminPage.getByTestId('resource-create-submit').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      // Registered on the bureau's behalf, it waits for the bureau to confirm it.
      const row = adminPage.locator(`[data-testid="resource-row"][data-code="${code}"]`);
      await row.getByTestId('resource-pending').waitFor();
      assert.equal(await row.getByTestId('resource-confirm').count(), 0, 'the registrar cannot confirm it');
    });
  } finally {
    await admin.close();
  }

  const officer = await e2e.newContext();
  const page = await officer.newPage();
  try {
    await withScreenshotOnFailure(page, 'datahub-access-request', async () => {
      await loginAs(page, 'wangfang');
      await page.getByRole('menuitem', { name: '数据资源目录' }).click();
      await page.waitForURL('**/workbench/datahub/resources');
      const row = page.locator(`[data-testid="resource-row"][data-code="${code}"]`);
      const [confirmed] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/resources\/[^/]+\/confirm$/)),
        row.getByTestId('resource-confirm').click(),
      ]);
      assert.equal(confirmed.status(), 200, await confirmed.text());
      await row.getByTestId('resource-pending').waitFor({ state: 'detached' });
      await row.getByTestId('resource-request').click();
      const fields = page.getByTestId('request-fields');
      await fields.getByText('统一社会信用代码').click();
      await page.getByTestId('request-purpose').fill('企业开办审批核验统一社会信用代码');
      const [requested] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/resources\/[^/]+\/access-requests$/)),
        page.getByTestId('request-submit').click(),
      ]);
      assert.equal(requested.status(), 201, await requested.text());
      const grant = (await requested.json()) as { status: string; days: number; fields: string[] };
      assert.equal(grant.status, 'requested');
      assert.equal(grant.days, 90);
      assert.deepEqual(grant.fields, ['creditCode']);

      await page.getByRole('menuitem', { name: '共享申请' }).click();
      await page.waitForURL('**/workbench/datahub/access-requests');
      const mine = page.getByTestId('request-row').filter({ hasText: resourceName });
      await mine.getByTestId('request-status').filter({ hasText: '待审批' }).waitFor();

      // The market bureau owns the resource: its officer decides in 待我审批.
      await page.getByRole('tab', { name: '待我审批' }).click();
      await page.waitForURL('**/access-requests?view=to-decide');
      const pending = page.getByTestId('request-row').filter({ hasText: resourceName });
      await pending.getByTestId('request-approve').click();
      await page.getByTestId('decision-note').fill('同意，限审批使用');
      const [approved] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/access-requests\/[^/]+\/approve$/)),
        page.getByTestId('decision-submit').click(),
      ]);
      assert.equal(approved.status(), 200, await approved.text());
      await pending.getByTestId('request-status').filter({ hasText: '已批准' }).waitFor();

      await page.getByRole('tab', { name: '我的申请' }).click();
      await page
        .getByTestId('request-row')
        .filter({ hasText: resourceName })
        .getByTestId('request-status')
        .filter({ hasText: '已批准' })
        .waitFor();
    });
  } finally {
    await officer.close();
  }
});

test('the service administrator registers an application and sees its secret once', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  const appName = '端到端测试审批系统';
  try {
    await withScreenshotOnFailure(page, 'datahub-app-register', async () => {
      await loginAs(page, 'zhaolei');
      await page.getByRole('menuitem', { name: '接入应用' }).click();
      await page.waitForURL('**/workbench/datahub/apps');
      await page.getByTestId('app-register').click();
      await page.getByTestId('app-name').fill(appName);
      await pickOrg(page, 'app-org', MARKET_BUREAU);
      assert.equal(await page.getByTestId('app-rate').inputValue(), '60');
      const [registered] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/datahub\/apps$/)),
        page.getByTestId('app-register-submit').click(),
      ]);
      assert.equal(registered.status(), 201, await registered.text());
      const app = (await registered.json()) as { appKey: string; appSecret: string };
      assert.ok(app.appSecret, 'the answer carries the secret');

      const secret = page.getByTestId('app-secret');
      await secret.waitFor();
      assert.equal((await secret.textContent())?.trim(), app.appSecret);
      await page.getByText('密钥仅显示一次，请妥善保存').waitFor();
      await page.getByTestId('app-secret-close').click();
      await secret.waitFor({ state: 'detached' });

      const row = page.getByTestId('app-row').filter({ hasText: appName });
      await row.waitFor();
      assert.ok((await row.textContent())?.includes(app.appKey), 'the row shows the app key');
      assert.ok(!(await page.content()).includes(app.appSecret), 'the secret is gone from the page');

      // A reload lists the app but never its secret.
      await page.reload();
      await page.getByTestId('app-row').filter({ hasText: appName }).waitFor();
      assert.ok(!(await page.content()).includes(app.appSecret));
    });
  } finally {
    await context.close();
  }
});
