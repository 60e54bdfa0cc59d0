import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, isApi, loginAs, useServerAndBrowser, withScreenshotOnFailure } from './support';

/**
 * 三员分立 through the pages: the system administrator edits the org tree and posts, the security
 * administrator roles; each page hides or disables the other's controls, and the server refuses
 * them when called anyway. The auditor reads both and finds every change in the trail.
 */
const e2e = useServerAndBrowser();

async function screenshot(page: Page, name: string) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

async function openMenu(page: Page, label: string, path: string) {
  await page.getByRole('menuitem', { name: label }).click();
  await page.waitForURL(`**${path}`);
}

async function selectOrg(page: Page, name: string) {
  await page.getByTestId('org-filter').locator('input').fill(name);
  await page.locator('.ant-tree-title').filter({ hasText: name }).first().click();
  await page.getByTestId('org-detail-name').filter({ hasText: name }).waitFor();
}

const accountRow = (page: Page, username: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });

const roleRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByTestId('role-name-cell').getByText(name, { exact: true }) });

test('三员: the system administrator edits orgs and posts but not roles; the security administrator roles but not orgs or posts; the auditor reads it all', async () => {
  const context = await e2e.newContext();
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(page, 'admin-separation-sysadmin', async () => {
      await loginAs(page, 'sysadmin');
      await openMenu(page, '组织机构', '/workbench/orgs');
      assert.match((await page.getByTestId('orgs-duties').textContent()) ?? '', /系统管理员.*新增下级机构/);
      await selectOrg(page, '和平区政务服务中心');
      assert.match((await page.getByTestId('org-detail-division').textContent()) ?? '', /沈阳市 › 和平区/);

      await page.getByTestId('org-create').click();
      await page.getByTestId('org-kind').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: /^窗口$/ })
        .click();
      await page.getByTestId('org-name').fill('导办窗口');
      const [created] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/orgs$/)),
        page.getByTestId('org-create-submit').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      await page.getByTestId('org-detail-name').filter({ hasText: '导办窗口' }).waitFor();

      await page.getByTestId('org-edit').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('org-name').fill('自助服务区');
      await dialog.getByTestId('org-kind').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: /^科室$/ })
        .click();
      const [edited] = await Promise.all([
        page.waitForResponse(isApi('PATCH', /^\/api\/v1\/orgs\/[^/]+$/)),
        page.getByTestId('org-edit-submit').click(),
      ]);
      assert.equal(edited.status(), 200, await edited.text());
      assert.deepEqual(JSON.parse(edited.request().postData() ?? '{}'), {
        name: '自助服务区',
        kind: 'unit',
        expectedVersion: 1,
      });
      await page.getByTestId('org-detail-name').filter({ hasText: '自助服务区' }).waitFor();
      await screenshot(page, 'admin-orgs-sysadmin');

      // A district keeps its division code: the edit dialog shows it, disabled, with the reason.
      await selectOrg(page, '和平区');
      await page.getByTestId('org-edit').click();
      assert.equal(await page.getByRole('dialog').getByTestId('org-code').count(), 0);
      assert.match((await page.getByRole('dialog').textContent()) ?? '', /行政区划代码创建后不能修改/);
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /取\s*消/ })
        .click();

      // Roles: read only for the system administrator, and the server agrees.
      await openMenu(page, '角色与权限', '/admin/roles');
      await roleRow(page, '综合窗口受理员').waitFor();
      assert.match((await page.getByTestId('roles-duties').textContent()) ?? '', /系统管理员：只能查看角色/);
      assert.equal(await page.getByTestId('role-create').count(), 0);
      assert.equal(await page.getByTestId('role-edit').count(), 0);
      const refused = await page.request.patch('/api/v1/roles/window-clerk', { data: { name: '改名' } });
      assert.equal(refused.status(), 403);

      // Posts: one more for 王芳 at the new unit, none to an administrator; one of 张伟's goes.
      await openMenu(page, '账号管理', '/admin/accounts');
      const secRow = accountRow(page, 'secadmin');
      assert.equal(
        await secRow.getByTestId('post-add').isDisabled(),
        true,
        'administrators get no ordinary post',
      );
      assert.equal(await page.getByTestId('grant-role').count(), 0);
      const wangfang = accountRow(page, 'wangfang');
      assert.equal(await wangfang.getByTestId('post-remove').isDisabled(), true, 'the only post stays');
      await wangfang.getByTestId('post-add').click();
      await page.getByTestId('post-add-org').click();
      await page.keyboard.type('自助服务区');
      await page.locator('.ant-select-tree-title', { hasText: '自助服务区' }).first().click();
      await page.getByTestId('post-add-title').fill('引导员');
      const [added] = await Promise.all([
        page.waitForResponse(isApi('POST', /^\/api\/v1\/users\/[^/]+\/posts$/)),
        page.getByTestId('post-add-submit').click(),
      ]);
      assert.equal(added.status(), 200, await added.text());
      const newPost = wangfang.getByTestId('account-post').filter({ hasText: '自助服务区' });
      await newPost.waitFor();
      assert.match((await newPost.textContent()) ?? '', /自助服务区·引导员待安全管理员授予/);

      const zhangwei = accountRow(page, 'zhangwei');
      const window2 = zhangwei.getByTestId('account-post').filter({ hasText: '综合受理窗口2' });
      await window2.getByTestId('post-remove').click();
      assert.match((await page.getByRole('dialog').textContent()) ?? '', /综合窗口受理员.*随岗位一并撤销/);
      const [removed] = await Promise.all([
        page.waitForResponse(isApi('DELETE', /^\/api\/v1\/users\/[^/]+\/posts\/[^/]+$/)),
        page.getByTestId('confirm-ok').click(),
      ]);
      assert.equal(removed.status(), 200, await removed.text());
      await window2.waitFor({ state: 'detached' });
      await screenshot(page, 'admin-accounts-sysadmin');
    });
  } finally {
    await context.close();
  }

  const security = await e2e.newContext();
  const sec = await security.newPage();
  try {
    await withScreenshotOnFailure(sec, 'admin-separation-secadmin', async () => {
      await loginAs(sec, 'secadmin');
      await openMenu(sec, '组织机构', '/workbench/orgs');
      assert.match(
        (await sec.getByTestId('orgs-duties').textContent()) ?? '',
        /由系统管理员维护，您只能查看/,
      );
      await selectOrg(sec, '自助服务区');
      assert.equal(await sec.getByTestId('org-create').count(), 0);
      assert.equal(await sec.getByTestId('org-edit').count(), 0);
      const orgs = (await (await sec.request.get('/api/v1/orgs')).json()) as {
        items: { id: string; name: string }[];
      };
      const unit = orgs.items.find((o) => o.name === '自助服务区');
      assert.ok(unit);
      const refused = await sec.request.patch(`/api/v1/orgs/${unit.id}`, { data: { name: '越权改名' } });
      assert.equal(refused.status(), 403);

      // A business role: administrator permissions cannot be ticked; the 三员 roles cannot be edited.
      await openMenu(sec, '角色与权限', '/admin/roles');
      assert.match(
        (await sec.getByTestId('roles-duties').textContent()) ?? '',
        /安全管理员：可新建和修改业务角色/,
      );
      assert.equal(
        await roleRow(sec, '系统管理员')
          .getByRole('button', { name: /修\s*改/ })
          .isDisabled(),
        true,
      );
      await sec.getByTestId('role-create').click();
      const dialog = sec.getByRole('dialog');
      await dialog.getByTestId('role-name').fill('导办员');
      await dialog.getByTestId('role-code').fill('guide-clerk');
      for (const bound of ['user:write', 'role:write', 'audit:read', 'org:write']) {
        assert.equal(
          await dialog
            .locator(`input[data-permission="${bound}"], [data-permission="${bound}"] input`)
            .isDisabled(),
          true,
          bound,
        );
      }
      await dialog.locator('[data-permission="catalog:read"]').click();
      const [created] = await Promise.all([
        sec.waitForResponse(isApi('POST', /^\/api\/v1\/roles$/)),
        sec.getByTestId('role-submit').click(),
      ]);
      assert.equal(created.status(), 201, await created.text());
      const row = roleRow(sec, '导办员');
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /查看组织机构.*查看事项库/);
      assert.match((await row.textContent()) ?? '', /暂无/);

      await row.getByTestId('role-edit').click();
      // Meanwhile another security administrator's change: the open dialog's save is refused, the
      // form reloads with that change, and saving again keeps both.
      const other = await sec.request.patch('/api/v1/roles/guide-clerk', {
        data: { expectedVersion: 1, description: '引导办事群众' },
      });
      assert.equal(other.status(), 200, await other.text());
      await sec.getByRole('dialog').locator('[data-permission="person:read"]').click();
      const [stale] = await Promise.all([
        sec.waitForResponse(isApi('PATCH', /^\/api\/v1\/roles\/guide-clerk$/)),
        sec.getByTestId('role-submit').click(),
      ]);
      assert.equal(stale.status(), 409, await stale.text());
      const notice = sec.getByTestId('stale-edit');
      await notice.waitFor();
      assert.match((await notice.textContent()) ?? '', /已被他人修改.*赵敏.*第 2 版/);
      assert.equal(await sec.getByRole('dialog').locator('textarea').inputValue(), '引导办事群众');
      await screenshot(sec, 'admin-roles-stale-edit');
      await sec.getByRole('dialog').locator('[data-permission="person:read"]').click();
      const [edited] = await Promise.all([
        sec.waitForResponse(isApi('PATCH', /^\/api\/v1\/roles\/guide-clerk$/)),
        sec.getByTestId('role-submit').click(),
      ]);
      assert.equal(edited.status(), 200, await edited.text());
      assert.equal((await edited.json()).description, '引导办事群众', 'the other change stands');
      await row.getByText('查看自然人', { exact: true }).waitFor();
      await screenshot(sec, 'admin-roles-secadmin');

      // Accounts: roles yes; posts, creation and disabling no.
      await openMenu(sec, '账号管理', '/admin/accounts');
      await accountRow(sec, 'wangfang').waitFor();
      for (const id of ['account-create', 'post-add', 'post-remove', 'account-disable']) {
        assert.equal(await sec.getByTestId(id).count(), 0, id);
      }
      const newPost = accountRow(sec, 'wangfang')
        .getByTestId('account-post')
        .filter({ hasText: '自助服务区' });
      await newPost.getByTestId('grant-role').click();
      await sec.getByTestId('grant-role-select').click();
      await sec.locator('.ant-select-item-option', { hasText: '导办员' }).click();
      const [granted] = await Promise.all([
        sec.waitForResponse(isApi('PUT', /\/posts\/[^/]+\/role$/)),
        sec.getByTestId('grant-submit').click(),
      ]);
      assert.equal(granted.status(), 200, await granted.text());
      await newPost
        .locator('.ant-tag')
        .filter({ hasText: /^导办员$/ })
        .waitFor();
      assert.equal(await newPost.getByText('待安全管理员授予').count(), 0);
      const users = (await (await sec.request.get('/api/v1/users')).json()) as {
        items: { id: string; username: string }[];
      };
      const wangfangId = users.items.find((u) => u.username === 'wangfang')?.id;
      const postRefused = await sec.request.post(`/api/v1/users/${wangfangId}/posts`, {
        data: { orgId: unit.id, title: '越权岗位' },
      });
      assert.equal(postRefused.status(), 403);
    });
  } finally {
    await security.close();
  }

  const audit = await e2e.newContext();
  const auditor = await audit.newPage();
  try {
    await withScreenshotOnFailure(auditor, 'admin-separation-auditor', async () => {
      await loginAs(auditor, 'auditor');
      await openMenu(auditor, '角色与权限', '/admin/roles');
      await roleRow(auditor, '导办员').waitFor();
      assert.match((await roleRow(auditor, '导办员').textContent()) ?? '', /1 个岗位/);
      assert.equal(await auditor.getByTestId('role-create').count(), 0);
      assert.equal(await auditor.getByTestId('role-edit').count(), 0);
      await openMenu(auditor, '账号管理', '/admin/accounts');
      await accountRow(auditor, 'wangfang')
        .locator('.ant-tag')
        .filter({ hasText: /^导办员$/ })
        .waitFor();
      for (const id of ['account-create', 'post-add', 'post-remove', 'grant-role', 'account-disable']) {
        assert.equal(await auditor.getByTestId(id).count(), 0, id);
      }
      const trail = async (prefix: string) =>
        (
          (await (await auditor.request.get(`/api/v1/audit?action=${prefix}&pageSize=200`)).json()) as {
            items: { action: string; actorName: string }[];
          }
        ).items.map((e) => `${e.actorName} ${e.action}`);
      const org = await trail('org.');
      assert.ok(org.includes('sysadmin org.create') && org.includes('sysadmin org.update'), org.join());
      const role = await trail('role.');
      assert.ok(role.includes('secadmin role.create') && role.includes('secadmin role.update'), role.join());
      const user = await trail('user.');
      for (const entry of [
        'sysadmin user.post-add',
        'sysadmin user.post-remove',
        'secadmin user.role-attach',
      ]) {
        assert.ok(user.includes(entry), `${entry} in ${user.join()}`);
      }
    });
  } finally {
    await audit.close();
  }
});
