import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  ARTIFACTS_DIR,
  isApi,
  loginAs,
  submitLogin,
  useServerAndBrowser,
  withScreenshotOnFailure,
} from './support';

const e2e = useServerAndBrowser();
const GIVEN = 'Given#Pass2026';
const OWN = 'Mine#Secret2026';

test('an account the system administrator created must set its own password before it sees anything else', async () => {
  const admin = await e2e.newContext();
  const newcomer = await e2e.newContext();
  const page = await newcomer.newPage();
  try {
    const adminPage = await admin.newPage();
    await loginAs(adminPage, 'sysadmin');
    const origin = new URL(adminPage.url()).origin;
    const orgs = (await (await adminPage.request.get('/api/v1/orgs')).json()) as {
      items: { id: string; name: string }[];
    };
    const market = orgs.items.find((o) => o.name === '沈阳市市场监督管理局');
    assert.ok(market, 'the demo city has its market regulator');
    const created = await adminPage.request.post('/api/v1/users', {
      headers: { origin },
      data: {
        username: 'xinren',
        displayName: '辛仁',
        password: GIVEN,
        posts: [{ orgId: market.id, title: '科员' }],
      },
    });
    assert.equal(created.status(), 201, await created.text());

    await withScreenshotOnFailure(page, 'first-password', async () => {
      await page.goto('/login');
      const accepted = await submitLogin(page, 'xinren', GIVEN);
      assert.equal(accepted.status(), 200);
      const form = page.getByTestId('first-password');
      await form.waitFor();
      assert.equal(await page.getByTestId('home-title').count(), 0, 'nothing behind the form is shown');
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'first-password-form.png') });

      await page.getByTestId('password-current').fill(GIVEN);
      await page.getByTestId('password-new').fill(OWN);
      await page.getByTestId('password-confirm').fill(OWN);
      const [changed] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/me\/password$/)),
        page.getByTestId('password-submit').click(),
      ]);
      assert.equal(changed.status(), 204);
      await page.getByTestId('home-title').waitFor();
      assert.equal(await page.getByTestId('home-title').textContent(), '工作台');
      assert.equal(await form.count(), 0);
    });
  } finally {
    await admin.close();
    await newcomer.close();
  }
});
