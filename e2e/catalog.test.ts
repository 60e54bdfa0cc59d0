import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { isApi, loginAs, useServerAndBrowser, withScreenshotOnFailure } from './support';

const PHARMACIST = '执业药师首次注册';

const e2e = useServerAndBrowser();

/** Runs `steps` on a page of a fresh browser context (a fresh session), with a screenshot on failure. */
async function inNewPage(name: string, steps: (page: Page) => Promise<void>) {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, name, () => steps(page));
  } finally {
    await context.close();
  }
}

test('a visitor searches 药师 and reads the pharmacist guide with its materials and time limits', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'catalog-visitor-search', async () => {
      await page.goto('/');
      await page.getByTestId('portal-login').waitFor();
      await page.getByTestId('search-input').fill('药师');
      await page.getByTestId('search-submit').click();
      await page.waitForURL('**/search?q=*');
      assert.match((await page.getByTestId('search-total').textContent()) ?? '', /^共找到 5 个事项$/);

      const result = page.getByTestId('search-result').filter({ hasText: PHARMACIST }).first();
      await result.waitFor();
      const highlighted = await result.locator('em').allTextContents();
      assert.ok(
        highlighted.some((text) => text.includes('药师') || '药师'.includes(text)),
        `expected <em> around 药师, got ${JSON.stringify(highlighted)}`,
      );

      // Words no item has all of: the page says the list holds partial matches, not that it found them.
      await page.goto('/search?q=%E5%AE%A0%E7%89%A9%E7%8B%97%E7%99%BB%E8%AE%B0');
      await page.getByTestId('search-total').getByText('没有同时包含全部词语的事项').waitFor();
      await page.goBack();
      await result.getByRole('link').first().click();
      await page.waitForURL('**/guide/*');
      assert.equal((await page.getByTestId('guide-title').textContent())?.trim(), PHARMACIST);
      const materials = page.getByTestId('guide-materials');
      await materials.waitFor();
      assert.ok((await materials.locator('tbody tr').count()) > 0, 'the materials table lists materials');
      assert.equal(
        (await page.getByTestId('guide-element-statutoryLimit').textContent())?.trim(),
        '20 个工作日',
      );
      assert.equal(
        (await page.getByTestId('guide-element-promisedLimit').textContent())?.trim(),
        '10 个工作日',
      );
    });
  } finally {
    await context.close();
  }
});

test('an officer drafts a shorter promised limit, the administrator sets its controls, the second reviewer publishes it, the guide shows it', async () => {
  let itemPath = '';
  let guidePath = '';
  let editorPath = '';
  await inNewPage('catalog-officer-draft', async (page) => {
    await loginAs(page, 'wangfang');
    await page.getByRole('menuitem', { name: '事项库' }).click();
    await page.waitForURL('**/workbench/catalog');
    await page.getByTestId('catalog-filter-name').fill(PHARMACIST);
    await page.getByTestId('catalog-filter-submit').click();
    const row = page.getByTestId('catalog-row').filter({ hasText: PHARMACIST }).first();
    await row.waitFor();
    await row.getByRole('link', { name: PHARMACIST }).click();
    await page.waitForURL('**/workbench/catalog/*');
    itemPath = new URL(page.url()).pathname;
    guidePath = `/guide/${itemPath.split('/').at(-1)}`;

    await page.getByTestId('item-new-draft').click();
    await page.waitForURL('**/versions/*/edit');
    editorPath = new URL(page.url()).pathname;
    const days = page.getByTestId('field-promisedDays');
    await days.waitFor();
    assert.equal(await days.inputValue(), '10');
    await days.fill('8');
    const [saved] = await Promise.all([
      page.waitForResponse(isApi('PUT', /\/api\/v1\/catalog\/versions\/[^/]+\/service$/)),
      page.getByTestId('editor-save-service').click(),
    ]);
    assert.equal(saved.status(), 200, await saved.text());
  });

  // zhaolei sets the draft's control settings: from then on he may not approve it.
  await inNewPage('catalog-admin-controls', async (page) => {
    await loginAs(page, 'zhaolei');
    await page.goto(editorPath);
    await page.getByRole('tab', { name: '管控设置' }).click();
    const warning = page.getByTestId('field-warningAtPercent');
    await warning.waitFor();
    await warning.fill('60');
    const [saved] = await Promise.all([
      page.waitForResponse(isApi('PUT', /\/api\/v1\/catalog\/versions\/[^/]+\/control$/)),
      page.getByTestId('editor-save-control').click(),
    ]);
    assert.equal(saved.status(), 200, await saved.text());
  });

  await inNewPage('catalog-officer-submit', async (page) => {
    await loginAs(page, 'wangfang');
    await page.goto(itemPath);
    const [submitted] = await Promise.all([
      page.waitForResponse(isApi('POST', /\/submit$/)),
      page.getByTestId('item-submit').click(),
    ]);
    assert.equal(submitted.status(), 200, await submitted.text());
    await page.getByTestId('version-status').filter({ hasText: '审核中' }).waitFor();
  });

  await inNewPage('catalog-admin-barred', async (page) => {
    await loginAs(page, 'zhaolei');
    await page.goto(itemPath);
    const approve = page.getByTestId('item-approve');
    await approve.waitFor();
    assert.equal(await approve.isDisabled(), true, 'whoever edited the version cannot approve it');
    await approve.hover();
    const tip = page.getByRole('tooltip').filter({ hasText: '四眼原则' });
    await tip.waitFor();
    assert.match((await tip.textContent()) ?? '', /您编辑了管控设置，按四眼原则不能审核发布此版本/);
  });

  await inNewPage('catalog-reviewer-approve', async (page) => {
    await loginAs(page, 'zhouning');
    await page.getByRole('menuitem', { name: '事项库' }).click();
    await page.waitForURL('**/workbench/catalog');
    await page.goto(itemPath);
    await page.getByTestId('item-approve').click();
    const confirm = page.getByTestId('approve-confirm');
    await confirm.waitFor();
    const [approved] = await Promise.all([
      page.waitForResponse(isApi('POST', /\/approve$/)),
      confirm.click(),
    ]);
    assert.equal(approved.status(), 200, await approved.text());
    await page.getByTestId('item-approve').waitFor({ state: 'detached' });
    const statuses = await page.getByTestId('version-status').allTextContents();
    assert.equal(statuses[0], '已发布', `newest version first: ${statuses.join(', ')}`);
  });

  await inNewPage('catalog-guide-updated', async (page) => {
    await page.goto(guidePath);
    const promised = page.getByTestId('guide-element-promisedLimit');
    await promised.waitFor();
    assert.equal((await promised.textContent())?.trim(), '8 个工作日');
    assert.equal(
      (await page.getByTestId('guide-element-statutoryLimit').textContent())?.trim(),
      '20 个工作日',
    );
  });
});

/** The columns of the 事项 sheet this test fills (apps/server/src/modules/catalog/spreadsheet.ts). */
const IMPORT_HEADERS = [
  '基本编码',
  '办理项编码',
  '实施部门',
  '事项名称',
  '事项类型',
  '设定依据',
  '行使层级',
  '实施主体',
  '主体性质',
  '服务对象',
  '法定时限',
  '法定时限单位',
  '承诺时限',
  '承诺时限单位',
  '办件类型',
  '办理方式',
  '到现场次数',
  '通办范围',
  '是否收费',
];

function importRow(basicCode: string, department: string, name: string): (string | number)[] {
  return [
    basicCode,
    '00',
    department,
    name,
    '行政许可',
    '《中华人民共和国行政许可法》（端到端测试）',
    '市级',
    department,
    '法定机关',
    '法人',
    20,
    '工作日',
    10,
    '工作日',
    '承诺件',
    '网上办理、窗口办理',
    0,
    '不通办',
    '否',
  ];
}

/** A workbook with one good item of 沈阳市市场监督管理局 and one item of a department that does not exist. */
async function importWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const items = wb.addWorksheet('事项');
  items.addRow(IMPORT_HEADERS);
  items.addRow(importRow('0100999000', '沈阳市市场监督管理局', '端到端测试导入许可'));
  items.addRow(importRow('0100999001', '沈阳市不存在管理局', '端到端测试无效部门许可'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('an officer imports a workbook: one item is imported, the unknown department row is rejected', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'catalog-import', async () => {
      await loginAs(page, 'wangfang');
      await page.getByRole('menuitem', { name: '事项库' }).click();
      await page.waitForURL('**/workbench/catalog');
      await page.getByTestId('catalog-import').click();
      await page.waitForURL('**/workbench/catalog/import');

      const [answer] = await Promise.all([
        page.waitForResponse(isApi('POST', /\/api\/v1\/catalog\/import$/)),
        page
          .getByTestId('import-upload')
          .locator('input[type=file]')
          .setInputFiles({
            name: '实施清单.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            buffer: await importWorkbook(),
          }),
      ]);
      assert.equal(answer.status(), 200, await answer.text());

      const result = page.getByTestId('import-result');
      await result.waitFor();
      assert.match((await result.textContent()) ?? '', /导入 1 项/);
      const rejected = page.getByTestId('import-rejected-row');
      assert.equal(await rejected.count(), 1);
      const text = (await rejected.textContent()) ?? '';
      assert.match(text, /沈阳市不存在管理局/);
      assert.match(text, /实施部门/);
      assert.match(text, /0100999001/);
    });
  } finally {
    await context.close();
  }
});

test('an officer adds a material to a draft, it is saved, and the control tab shows all 14 settings', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'catalog-draft-materials', async () => {
      await loginAs(page, 'wangfang');
      await page.getByRole('menuitem', { name: '事项库' }).click();
      await page.waitForURL('**/workbench/catalog');
      await page.getByTestId('catalog-filter-name').fill(PHARMACIST);
      await page.getByTestId('catalog-filter-submit').click();
      const row = page.getByTestId('catalog-row').filter({ hasText: PHARMACIST }).first();
      await row.waitFor();
      await row.getByRole('link', { name: PHARMACIST }).click();
      await page.waitForURL('**/workbench/catalog/*');
      await page.getByTestId('item-new-draft').click();
      await page.waitForURL('**/versions/*/edit');

      const table = page.getByTestId('materials-table');
      await table.waitFor();
      const rows = table.locator('tbody tr.ant-table-row');
      const before = await rows.count();
      await page.getByTestId('material-add').click();
      await rows.nth(before).waitFor();
      await page.getByTestId(`material-name-${before}`).fill('端到端测试补充材料');
      const [saved] = await Promise.all([
        page.waitForResponse(isApi('PUT', /\/api\/v1\/catalog\/versions\/[^/]+\/service$/)),
        page.getByTestId('editor-save-service').click(),
      ]);
      assert.equal(saved.status(), 200, await saved.text());

      await page.reload();
      const name = page.getByTestId(`material-name-${before}`);
      await name.waitFor();
      assert.equal(await name.inputValue(), '端到端测试补充材料');
      assert.equal(
        await page.getByTestId('materials-table').locator('tbody tr.ant-table-row').count(),
        before + 1,
      );

      await page.getByRole('tab', { name: '管控设置' }).click();
      await page.getByTestId('control-setting-problemControl').waitFor();
      assert.equal(await page.locator('[data-testid^="control-setting-"]').count(), 14);
    });
  } finally {
    await context.close();
  }
});
