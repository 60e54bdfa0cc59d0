import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Permission } from '@govflow/shared';
import { systemCaller } from '../src/platform/http/caller';
import { ensureBaseRoles } from '../src/seed/base-roles';
import { seedDemoCity } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

describeEachDialect('roles of an older release gain the permissions added since', (get) => {
  let t: TestApp;
  const permissionsOf = async (code: string) =>
    JSON.parse(
      (
        await t.ctx.db
          .selectFrom('roles')
          .select('permissions')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).permissions,
    ) as Permission[];
  const strip = async (code: string, permission: Permission) => {
    const held = await permissionsOf(code);
    await t.ctx.db
      .updateTable('roles')
      .set({ permissions: JSON.stringify(held.filter((p) => p !== permission)) })
      .where('code', '=', code)
      .execute();
  };

  before(() => {
    t = get();
  });

  it('adds the missing permissions to base and demo roles at start, audited, and removes none', async () => {
    // As a database seeded before the data hub's call log existed.
    await strip('audit-admin', 'datahub:call-log');
    await strip('service-admin', 'datahub:call-log');
    const extraBefore = await permissionsOf('dept-officer');
    await ensureBaseRoles(t.ctx);
    await seedDemoCity(t.ctx);
    assert.ok((await permissionsOf('audit-admin')).includes('datahub:call-log'));
    assert.ok((await permissionsOf('service-admin')).includes('datahub:call-log'));
    assert.deepEqual(await permissionsOf('dept-officer'), extraBefore, 'a role already in step is untouched');
    const added = await auditEntries(t, 'role.permissions-add');
    assert.deepEqual(
      added.map((e) => JSON.parse(e.detail).code).sort(),
      ['audit-admin', 'service-admin'],
      'each addition is in the audit trail',
    );
    const auditor = await t.login('auditor');
    const log = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/call-log',
      headers: { cookie: auditor },
    });
    assert.equal(log.statusCode, 200, 'the auditor can read the call log again');
  });

  it('keeps both additions when two instances start at once', async () => {
    await strip('service-admin', 'datahub:call-log');
    await strip('service-admin', 'datahub:request');
    const before = (await auditEntries(t, 'role.permissions-add')).length;
    const [a, b] = await Promise.all([
      t.ctx.identity.users.addRolePermissions(systemCaller('one'), 'service-admin', ['datahub:call-log']),
      t.ctx.identity.users.addRolePermissions(systemCaller('two'), 'service-admin', ['datahub:request']),
    ]);
    assert.deepEqual([a, b], [['datahub:call-log'], ['datahub:request']]);
    const held = await permissionsOf('service-admin');
    assert.ok(
      held.includes('datahub:call-log') && held.includes('datahub:request'),
      'neither addition is lost',
    );
    assert.equal(
      (await auditEntries(t, 'role.permissions-add')).length,
      before + 2,
      'one entry per real change',
    );
  });

  it('still refuses what 三员分立 forbids, and a child role beyond its parent', async () => {
    await assert.rejects(
      t.ctx.identity.users.addRolePermissions(systemCaller('test'), 'audit-admin', ['catalog:review']),
      /SEPARATION_OF_DUTIES|管理员角色不能包含业务权限/,
    );
    await assert.rejects(
      t.ctx.identity.users.addRolePermissions(systemCaller('test'), 'window-clerk', ['catalog:review']),
      /子集/,
    );
    assert.ok(!(await permissionsOf('audit-admin')).includes('catalog:review'));
  });
});
