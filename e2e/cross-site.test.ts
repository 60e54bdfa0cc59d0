import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import {
  DEMO_PASSWORD,
  freePort,
  isApi,
  launchBrowser,
  type RunningServer,
  startServer,
  submitLogin,
  withScreenshotOnFailure,
} from './support';

/**
 * GovFlow under a real host name, app.govflow.test, with a page of a sibling host,
 * evil.govflow.test: the same site, so the SameSite=Strict session cookie goes along with the
 * sibling's requests, and only the server's own origin check stands between them and a write.
 */
let server: RunningServer;
let evil: Server;
let evilPort: number;
let browser: Browser;
let app: string;

const ATTACK_PAGE = (target: string) => `<!doctype html><meta charset="utf-8"><title>抽奖</title>
<form method="post" action="${target}/api/v1/auth/logout" enctype="text/plain">
  <input name="x" value="y">
</form>
<script>document.forms[0].submit();</script>`;

before(async () => {
  server = await startServer({ SESSION_IDLE_MINUTES: '45' });
  app = server.baseUrl.replace('127.0.0.1', 'app.govflow.test');
  evilPort = await freePort();
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(ATTACK_PAGE(app));
  });
  await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
  browser = await launchBrowser(['--host-resolver-rules=MAP *.govflow.test 127.0.0.1']);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
  await server?.stop();
});

async function newPage() {
  const context = await browser.newContext({
    baseURL: app,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    viewport: { width: 1366, height: 820 },
  });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

test('under its own host name the app logs in and out; a sibling site’s form post is refused', async () => {
  const { context, page } = await newPage();
  try {
    await withScreenshotOnFailure(page, 'cross-site', async () => {
      await page.goto('/login');
      const accepted = await submitLogin(page, 'zhangwei', DEMO_PASSWORD);
      assert.equal(accepted.status(), 200, 'the browser’s own-origin login passes the check');
      await page.waitForURL('**/workbench');

      const attack = await context.newPage();
      const [refused] = await Promise.all([
        attack.waitForResponse(isApi('POST', /^\/api\/v1\/auth\/logout$/)),
        attack.goto(`http://evil.govflow.test:${evilPort}/`, { waitUntil: 'commit' }),
      ]);
      const sent = await refused.request().allHeaders();
      assert.match(sent.cookie ?? '', /gf_session=/, 'the same-site cookie went along');
      assert.equal(refused.status(), 403);
      assert.equal(((await refused.json()) as { code: string }).code, 'CROSS_SITE_REQUEST');
      await attack.close();

      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
      assert.equal(me, 200, 'the session survived the attack');

      const [logout] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/auth\/logout$/)),
        page.getByTestId('logout').click(),
      ]);
      assert.equal(logout.status(), 204, 'the app’s own logout passes the check');
      await page.waitForURL('**/login');
    });
  } finally {
    await context.close();
  }
});

test('after an idle timeout the login page says so, with the configured minutes', async () => {
  const { context, page } = await newPage();
  try {
    await withScreenshotOnFailure(page, 'session-expired', async () => {
      await page.goto('/login');
      assert.equal((await submitLogin(page, 'zhangwei', DEMO_PASSWORD)).status(), 200);
      await page.waitForURL('**/workbench');
      // Idle for an hour, as far as the server can tell.
      const db = new Database(join(server.dataDir, 'govflow.db'));
      try {
        db.prepare('update sessions set last_seen_at = ?').run(
          new Date(Date.now() - 3_600_000).toISOString(),
        );
      } finally {
        db.close();
      }
      const [expired] = await Promise.all([
        page.waitForResponse(isApi('GET', /^\/api\/v1\/me$/)),
        page.reload(),
      ]);
      assert.equal(expired.status(), 401);
      const body = (await expired.json()) as { code: string; hint: string };
      assert.equal(body.code, 'SESSION_EXPIRED');
      assert.equal(body.hint, '45 分钟无操作会自动退出');
      await page.waitForURL('**/login');
      assert.equal(await page.getByTestId('login-notice-hint').textContent(), body.hint);
      assert.match((await page.getByTestId('login-notice').textContent()) ?? '', /会话已超时/);
    });
  } finally {
    await context.close();
  }
});
