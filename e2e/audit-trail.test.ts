import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { ARTIFACTS_DIR, isApi, loginAs, useServerAndBrowser, withScreenshotOnFailure } from './support';

const e2e = useServerAndBrowser();

test('the auditor reads the trail in Chinese — action names, targets by name, a summary — and downloads it filtered as a spreadsheet', async () => {
  // Someone else's day: a wrong password, then a login.
  const other = await e2e.newContext();
  const zhangwei = await other.newPage();
  await zhangwei.goto('/login');
  await zhangwei.request.post('/api/v1/auth/login', {
    data: { username: 'zhangwei', password: 'Wrong#123x' },
  });
  await loginAs(zhangwei, 'zhangwei');
  await other.close();

  const context = await e2e.newContext();
  const page = await context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  try {
    await withScreenshotOnFailure(page, 'audit-trail', async () => {
      await loginAs(page, 'auditor');
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.waitForURL('**/admin/audit');
      await page.getByRole('row').nth(1).waitFor();
      await mkdir(ARTIFACTS_DIR, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-trail.png') });

      // Filter by a Chinese action name.
      await page.getByTestId('audit-filter-action').click();
      await page.keyboard.type('登录');
      await page.locator('.ant-select-item-option[title="登录"]').click();
      await Promise.all([
        page.waitForResponse(isApi('GET', /^\/api\/v1\/audit$/)),
        page.getByTestId('audit-search').click(),
      ]);
      await page.waitForURL(/action=auth\.login/);
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      const names = await page.getByTestId('audit-action-name').allTextContents();
      assert.ok(names.length >= 3, `logins listed: ${names}`);
      assert.ok(
        names.every((n) => n === '登录'),
        `every row is a login, by its Chinese name: ${names}`,
      );
      const table = (await page.locator('.ant-table-tbody').textContent()) ?? '';
      assert.doesNotMatch(table, /auth\.login/, 'no raw action code on screen');
      assert.doesNotMatch(table, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids on screen');
      // The failed attempt: zhangwei's account by name, the outcome and the reason in Chinese.
      const failed = rows.filter({ hasText: '失败' }).first();
      assert.match((await failed.textContent()) ?? '', /张伟.*失败.*密码错误/);
      const targets = await page.getByTestId('audit-target-name').allTextContents();
      assert.ok(targets.includes('张伟'), `targets by name: ${targets}`);
      assert.ok(targets.includes('孙丽'), `the auditor's own login names her: ${targets}`);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-trail-logins.png') });

      // Download what the filter selects.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('audit-export').click(),
      ]);
      assert.match(download.suggestedFilename(), /\.xlsx$/);
      const file = join(ARTIFACTS_DIR, 'audit-trail-download.xlsx');
      await download.saveAs(file);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('审计日志');
      assert.ok(ws);
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      assert.deepEqual(header.slice(0, 8), [
        '序号',
        '时间（北京时间）',
        '操作人',
        '操作',
        '对象类型',
        '对象',
        '结果',
        '摘要',
      ]);
      const body: unknown[][] = [];
      ws.eachRow((row, n) => {
        if (n > 1) body.push((row.values as unknown[]).slice(1));
      });
      assert.ok(body.length >= names.length, 'every filtered entry');
      assert.ok(
        body.every((r) => r[3] === '登录'),
        'the filter applied to the export',
      );
      assert.ok(body.some((r) => r[5] === '张伟' && r[6] === '失败' && /密码错误/.test(String(r[7]))));
    });
  } finally {
    await context.close();
  }
});
