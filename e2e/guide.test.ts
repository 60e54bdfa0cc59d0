import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { useServerAndBrowser, withScreenshotOnFailure } from './support';

const e2e = useServerAndBrowser();

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** Opens the guide of a published item found by its exact name. */
async function openGuide(page: Page, name: string) {
  const found = await page.request.get(`/api/v1/public/search?q=${encodeURIComponent(name)}`);
  const hit = ((await found.json()) as { items: { id: string; name: string }[] }).items.find(
    (i) => i.name === name,
  );
  assert.ok(hit, `${name} is not in the demo catalogue`);
  await page.goto(`/guide/${hit.id}`);
  await page.getByTestId('guide-title').waitFor();
  await page.getByTestId('guide-materials').waitFor();
  return hit.id;
}

/** The little of the DOM the overflow check reads (the e2e tests compile without the DOM types). */
interface Box {
  left: number;
  right: number;
  width: number;
}
interface Element {
  tagName: string;
  className: unknown;
  clientWidth: number;
  scrollWidth: number;
  getBoundingClientRect(): Box;
  closest(selector: string): Element | null;
  querySelectorAll(selector: string): Iterable<Element>;
}
interface DocumentLike {
  documentElement: Element;
  querySelector(selector: string): Element | null;
}

/**
 * Horizontal overflow: the page's, and that of the materials (any element inside that scrolls or
 * clips sideways, or sticks out of the card holding it).
 */
function overflow(page: Page) {
  return page.evaluate(() => {
    const document = (globalThis as unknown as { document: DocumentLike }).document;
    const root = document.documentElement;
    const materials = document.querySelector('[data-testid="guide-materials"]') as Element;
    const card = materials.closest('.ant-card') as Element;
    const cardBox = card.getBoundingClientRect();
    const wider: string[] = [];
    for (const el of [materials, ...materials.querySelectorAll('*')]) {
      const name = `${el.tagName}.${String(el.className)}`;
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        wider.push(`${name}: ${el.scrollWidth} > ${el.clientWidth}`);
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.right > cardBox.right + 1 || box.left < cardBox.left - 1))
        wider.push(`${name} outside the card: ${box.left}–${box.right}`);
    }
    return { page: { scroll: root.scrollWidth, client: root.clientWidth }, materials: wider.slice(0, 5) };
  });
}

for (const viewport of VIEWPORTS) {
  test(`the guide fits a ${viewport.width}px screen and says how to apply (${viewport.name})`, async () => {
    const context = await e2e.newContext();
    const page = await context.newPage();
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    try {
      await withScreenshotOnFailure(page, `guide-${viewport.name}`, async () => {
        for (const name of ['执业药师首次注册', '城市道路挖掘修复费征收', '普通护照签发']) {
          const id = await openGuide(page, name);
          const o = await overflow(page);
          assert.ok(
            o.page.scroll <= o.page.client,
            `${name}: the page scrolls sideways: ${JSON.stringify(o.page)}`,
          );
          assert.deepEqual(o.materials, [], `${name}: the materials do not fit their card`);
          // The portal's menu stays whole in the header: every entry visible, none folded away.
          for (const entry of ['首页', '事项搜索', '分类导航']) {
            const item = page.locator('.ant-layout-header .ant-menu-item', { hasText: entry });
            assert.ok(await item.isVisible(), `${name}: the header menu hides ${entry}`);
          }

          const how = page.getByTestId('guide-how-to-apply');
          await how.waitFor();
          const text = ((await how.textContent()) ?? '').replace(/\s+/g, ' ');
          assert.match(text, /网上办理/, name);
          assert.match(text, /办理地点|咨询地点/, name);
          assert.match(text, /咨询电话/, name);
          // Names, not codes: no item id on the page, no catalogue codes in the related items.
          const body = (await page.locator('body').textContent()) ?? '';
          assert.ok(!body.includes(id), `${name}: the item's id is shown`);
          const related = (await page.getByTestId('guide-related').textContent()) ?? '';
          assert.doesNotMatch(related, /\d{10,}/, `${name}: related items show codes`);
        }
        // The pharmacist item is put online and is not applied for at a window: say so honestly.
        await openGuide(page, '执业药师首次注册');
        const how = ((await page.getByTestId('guide-how-to-apply').textContent()) ?? '').replace(/\s+/g, ' ');
        assert.match(how, /即将开通/);
        assert.match(how, /沈阳市政务服务中心市场准入专区/);
        assert.match(how, /12315/);
      });
    } finally {
      await context.close();
    }
  });
}

test('a visitor at an unknown address or an unknown item is told so and offered search, not sent to login', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'not-found', async () => {
      await page.goto('/no-such-page');
      await page.getByText('页面不存在').waitFor();
      assert.equal(new URL(page.url()).pathname, '/no-such-page', 'not redirected to the login page');
      await page.goto('/guide/00000000-0000-7000-8000-000000000000');
      await page.getByText('没有找到这个事项').waitFor();
      await page.getByRole('button', { name: '查找事项' }).click();
      await page.waitForURL('**/search');
    });
  } finally {
    await context.close();
  }
});
