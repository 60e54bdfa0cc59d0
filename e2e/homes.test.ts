import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { pharmacistItem } from '../apps/server/test/support/catalog-items';
import {
  DEMO_PASSWORD,
  isApi,
  loginAs,
  submitLogin,
  useServerAndBrowser,
  withScreenshotOnFailure,
} from './support';

/**
 * Each kind of demo account lands on its own home and sees its own work there: the reviewer the
 * versions waiting, the data owner the requests to decide, the auditor the chain and today's
 * denials, the administrators the accounts needing them, the clerk the window, the citizen the
 * portal's search and their account.
 */
const e2e = useServerAndBrowser();

/** The org id of a demo org, read with the page's session. */
async function orgId(page: Page, name: string): Promise<string> {
  const orgs = (await (await page.request.get('/api/v1/orgs')).json()) as {
    items: { id: string; name: string }[];
  };
  const org = orgs.items.find((o) => o.name === name);
  assert.ok(org, `the demo city has ${name}`);
  return org.id;
}

/** A write through the page's session, as the page itself would send it. */
async function post(page: Page, path: string, data: unknown = {}) {
  const res = await page.request.post(path, { headers: { origin: new URL(page.url()).origin }, data });
  assert.ok(res.ok(), `${path}: ${res.status()} ${await res.text()}`);
  return res.json().catch(() => null);
}

test('the catalogue reviewer sees the version waiting for review by name, and nothing-waits before', async () => {
  const reviewer = await e2e.newContext();
  const editor = await e2e.newContext();
  try {
    const page = await reviewer.newPage();
    await withScreenshotOnFailure(page, 'home-reviewer', async () => {
      await loginAs(page, 'zhouning');
      assert.equal(new URL(page.url()).pathname, '/workbench');
      const card = page.getByTestId('home-card-review-queue');
      await card.getByText('暂无待审核的事项版本').waitFor();

      const wangfang = await editor.newPage();
      await loginAs(wangfang, 'wangfang');
      const created = (await post(
        wangfang,
        '/api/v1/catalog/items',
        pharmacistItem(await orgId(wangfang, '沈阳市市场监督管理局'), {
          name: '执业药师再次注册（待审核）',
          handlingItem: '21',
        }),
      )) as { id: string; versions: { id: string }[] };
      await post(wangfang, `/api/v1/catalog/versions/${created.versions[0].id}/submit`);

      await page.reload();
      const entry = card.getByTestId('review-queue-item').filter({ hasText: '执业药师再次注册（待审核）' });
      await entry.waitFor();
      assert.match((await card.textContent()) ?? '', /1\s*项待审核/);
      await entry.getByRole('link', { name: '执业药师再次注册（待审核）' }).click();
      await page.waitForURL(`**/workbench/catalog/${created.id}`);
    });
  } finally {
    await reviewer.close();
    await editor.close();
  }
});

test('the data owner sees the access request waiting for the bureau’s decision', async () => {
  const context = await e2e.newContext();
  try {
    const requester = await context.newPage();
    await loginAs(requester, 'zhaolei');
    const resources = (await (await requester.request.get('/api/v1/datahub/resources')).json()) as {
      items: { id: string; name: string; ownerOrgName: string; status: string; shareType: string }[];
    };
    const resource = resources.items.find(
      (r) => r.ownerOrgName === '沈阳市市场监督管理局' && r.status === 'active' && r.shareType !== 'none',
    );
    assert.ok(resource, 'the market regulator shares a demo resource');
    const detail = (await (await requester.request.get('/api/v1/datahub/resources')).json()) as {
      items: { id: string; fields: { name: string }[] }[];
    };
    const fields = detail.items.find((r) => r.id === resource.id)?.fields ?? [];
    await post(requester, `/api/v1/datahub/resources/${resource.id}/access-requests`, {
      requesterOrgId: await orgId(requester, '沈阳市政务服务中心'),
      fields: [fields[0].name],
      purpose: '首页待办核验',
      days: 30,
    });
    await requester.close();
    await context.clearCookies();

    const page = await context.newPage();
    await withScreenshotOnFailure(page, 'home-data-owner', async () => {
      await loginAs(page, 'wangfang');
      const card = page.getByTestId('home-card-datahub-decisions');
      const row = card.getByTestId('decision-item').filter({ hasText: resource.name });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /沈阳市政务服务中心/);
      assert.match((await row.textContent()) ?? '', /首页待办核验/);
    });
  } finally {
    await context.close();
  }
});

test("the auditor sees the last verification (none yet), verifies on demand, the chain's size and newest entry, and the denial caused today", async () => {
  const context = await e2e.newContext();
  try {
    const intruder = await context.newPage();
    await loginAs(intruder, 'zhangwei');
    const refused = await intruder.request.get('/api/v1/audit');
    assert.equal(refused.status(), 403);
    await intruder.close();
    await context.clearCookies();

    const page = await context.newPage();
    await withScreenshotOnFailure(page, 'home-auditor', async () => {
      await loginAs(page, 'auditor');
      assert.equal(new URL(page.url()).pathname, '/admin');
      const card = page.getByTestId('home-card-audit');
      const chain = card.getByTestId('audit-chain-state');
      // Visiting verifies nothing: the card says no verification was made, prominently.
      await chain.getByText('哈希链尚未校验过').waitFor();
      assert.match((await card.getByTestId('audit-size').textContent()) ?? '', /哈希链共 [\d,]+ 条记录/);
      assert.match(
        (await card.getByTestId('audit-newest').textContent()) ?? '',
        /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
      );
      const verifications = async () =>
        ((await (await page.request.get('/api/v1/audit?action=audit.verify')).json()) as { total: number })
          .total;
      assert.equal(await verifications(), 0, 'the visit did not verify');

      await card.getByTestId('audit-verify-now').click();
      await chain.getByText('哈希链完整，未发现篡改').waitFor();
      assert.match((await chain.textContent()) ?? '', / 由孙丽校验，共 \d+ 条记录均已校验/);
      assert.equal(await verifications(), 1);
      await page.reload();
      await chain.getByText('哈希链完整，未发现篡改').waitFor();
      assert.equal(await verifications(), 1, 'coming back shows the stored verification, without another');
      // The trail names the actor by account name.
      const denial = card.getByTestId('denial-item').filter({ hasText: /zhangwei|张伟/ });
      await denial.waitFor();
      assert.match((await card.getByTestId('audit-denials-count').textContent()) ?? '', /[1-9]\d*/);
    });
  } finally {
    await context.close();
  }
});

test('the system and security administrators see the accounts that need them', async () => {
  const context = await e2e.newContext();
  try {
    const page = await context.newPage();
    await withScreenshotOnFailure(page, 'home-admins', async () => {
      await loginAs(page, 'sysadmin');
      await post(page, '/api/v1/users', {
        username: 'shouye',
        displayName: '首页新人',
        password: 'Given#Pass2026',
        posts: [{ orgId: await orgId(page, '沈阳市民政局'), title: '科员' }],
      });
      await page.reload();
      const sys = page.getByTestId('home-card-accounts');
      await sys.getByTestId('attention-must-change-password').getByText('首页新人').waitFor();
      await page.getByTestId('logout').click();
      await page.waitForURL('**/login');

      await loginAs(page, 'secadmin');
      const sec = page.getByTestId('home-card-accounts');
      await sec.getByTestId('attention-role-less').getByText('首页新人').waitFor();
    });
  } finally {
    await context.close();
  }
});

test('a window clerk sees the windows and what can be done there today', async () => {
  const context = await e2e.newContext();
  try {
    const page = await context.newPage();
    await withScreenshotOnFailure(page, 'home-clerk', async () => {
      await loginAs(page, 'zhangwei');
      const card = page.getByTestId('home-card-window');
      await card.getByText('综合受理窗口1').waitFor();
      await card.getByText('综合受理窗口2').waitFor();
      await card.getByRole('button', { name: /证明查询/ }).click();
      await page.waitForURL('**/workbench/datahub/proof-query');
    });
  } finally {
    await context.close();
  }
});

test('a citizen finds the portal search on the home page, changes the password there and logs in with the new one', async () => {
  const context = await e2e.newContext();
  const NEW = 'Liming#New2026';
  try {
    const page = await context.newPage();
    await withScreenshotOnFailure(page, 'home-citizen', async () => {
      await loginAs(page, 'citizen');
      assert.equal(new URL(page.url()).pathname, '/portal');
      const search = page.getByTestId('home-card-portal-search');
      await search.getByTestId('search-input').waitFor();
      await page.getByTestId('hot-item').first().waitFor();
      const account = page.getByTestId('home-card-account');
      assert.match((await account.textContent()) ?? '', /\d{6}\*{8}\d{3}[\dX]/, 'the ID number, masked');

      await account.getByRole('button', { name: '修改密码' }).click();
      await page.waitForURL('**/account/password');
      await page.getByTestId('password-current').fill(DEMO_PASSWORD);
      await page.getByTestId('password-new').fill(NEW);
      await page.getByTestId('password-confirm').fill(NEW);
      const [changed] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/me\/password$/)),
        page.getByTestId('password-submit').click(),
      ]);
      assert.equal(changed.status(), 204);

      await page.getByTestId('logout').click();
      await page.waitForURL('**/login');
      const old = await submitLogin(page, 'citizen', DEMO_PASSWORD);
      assert.equal(old.status(), 401);
      const fresh = await submitLogin(page, 'citizen', NEW);
      assert.equal(fresh.status(), 200);
      await page.waitForURL('**/portal');

      // The portal itself is one click away: the search goes to the public result list.
      await page.getByTestId('search-input').fill('药师');
      await page.getByTestId('search-submit').click();
      await page.waitForURL('**/search?q=*');
    });
  } finally {
    await context.close();
  }
});
