import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginAs, useServerAndBrowser, withScreenshotOnFailure } from './support';

const e2e = useServerAndBrowser();

test('the call log date filter picks Beijing days in a browser set to another zone', async () => {
  // Los Angeles is 16 hours behind Beijing: a browser-zone day would start at 16:00 Beijing time.
  const context = await e2e.newContext('America/Los_Angeles');
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'beijing-days-call-log', async () => {
      await loginAs(page, 'zhaolei');
      await page.goto('/workbench/datahub/call-log');
      await page.getByTestId('call-log-submit').waitFor();

      const start = page.getByPlaceholder('开始日期');
      await start.click();
      await start.fill('2026-03-02');
      await start.press('Enter');
      const end = page.getByPlaceholder('结束日期');
      await end.fill('2026-03-03');
      // Enter commits the range and may submit the form by itself; the button then asks again.
      const request = page.waitForRequest(
        (r) => r.url().includes('/api/v1/datahub/call-log?') && r.url().includes('from='),
      );
      await end.press('Enter');
      await page.locator('.ant-picker-dropdown').waitFor({ state: 'hidden' });
      await page.getByTestId('call-log-submit').click();
      const sent = new URL((await request).url()).searchParams;

      // 2 March 00:00 to 3 March 24:00, Beijing time, whatever the browser's zone.
      assert.equal(sent.get('from'), '2026-03-01T16:00:00.000Z');
      assert.equal(sent.get('to'), '2026-03-03T15:59:59.999Z');
      assert.equal(new URL(page.url()).searchParams.get('from'), '2026-03-01T16:00:00.000Z');

      // Opened again from its address, the page shows the same two days.
      await page.reload();
      await page.getByTestId('call-log-submit').waitFor();
      assert.equal(await page.getByPlaceholder('开始日期').inputValue(), '2026-03-02');
      assert.equal(await page.getByPlaceholder('结束日期').inputValue(), '2026-03-03');
    });
  } finally {
    await context.close();
  }
});
