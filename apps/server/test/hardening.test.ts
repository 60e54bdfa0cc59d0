import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeIdNumber } from '@govflow/shared';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { refusedUntil } from '../src/modules/identity/login-throttle';
import { totpCode } from '../src/modules/identity/totp';
import { systemCaller } from '../src/platform/http/caller';
import { startServer } from '../src/server';
import {
  auditEntries,
  childEnv,
  createTestApp,
  createTestDatabase,
  enrollTotp,
  type TestApp,
  testConfig,
  testDialects,
  userIdOf,
} from './support/harness';

const PASSWORD = 'GovFlow@2026';
const root = path.resolve(import.meta.dirname, '../../..');

async function orgId(t: TestApp, code: string): Promise<string> {
  return (await t.ctx.db.selectFrom('orgs').select('id').where('code', '=', code).executeTakeFirstOrThrow())
    .id;
}

for (const dialect of testDialects()) {
  describe(`hardening [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    it('refuses broken Unicode and control characters before they reach the database or the audit chain', async () => {
      const surrogate = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username":"x\\ud800","password":"y"}',
      });
      assert.equal(surrogate.statusCode, 400);
      assert.equal(surrogate.json().code, 'VALIDATION_FAILED');
      const nul = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'a\u0000b', password: 'y' },
      });
      assert.equal(nul.statusCode, 400);
      const cookie = await t.login('zhangwei');
      const inPath = await t.inject({ method: 'GET', url: '/api/v1/users/abc%00def', headers: { cookie } });
      assert.equal(inPath.statusCode, 400);
      const inQuery = await t.inject({
        method: 'GET',
        url: '/api/v1/persons?idNumber=%00',
        headers: { cookie },
      });
      assert.equal(inQuery.statusCode, 400);
      assert.equal((await t.ctx.audit.verify()).ok, true);
    });

    it('refuses deeply nested bodies with 400, not a stack overflow and 500', async () => {
      const login = (payload: string) =>
        t.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload,
        });
      const deepArray = await login('['.repeat(200_000) + ']'.repeat(200_000));
      assert.equal(deepArray.statusCode, 400, deepArray.body);
      assert.equal(deepArray.json().code, 'VALIDATION_FAILED');
      assert.match(deepArray.json().message, /请求体嵌套超过 64 层/);
      const deepObject = await login(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
      assert.equal(deepObject.statusCode, 400, deepObject.body);
      assert.match(deepObject.json().message, /请求体嵌套超过 64 层/);
      // The body object plus 63 arrays is 64 levels: within the limit, and read to the bottom.
      const nested = (inner: string) =>
        `{"username":"u","password":"y","x":${'['.repeat(63)}${inner}${']'.repeat(63)}}`;
      const within = await login(nested('"ok"'));
      assert.equal(within.statusCode, 400, 'the login body has no "x": refused by its schema, as before');
      assert.doesNotMatch(within.json().message, /嵌套超过/);
      const nulAtTheBottom = await login(nested('"a\\u0000b"'));
      assert.match(
        nulAtTheBottom.json().message,
        new RegExp(`^请求体中“x${'第 1 项'.repeat(63)}”含有控制字符`),
      );
      assert.match((await login(nested('[]'))).json().message, /请求体嵌套超过 64 层/);
    });

    it('masks an ID number typed as a username in the audit trail', async () => {
      const id = makeIdNumber('210104', '1966-01-09', 521);
      await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: id, password: 'whatever1' },
      });
      const [entry] = await auditEntries(t, 'auth.login');
      assert.equal(entry.actor_name, `${id.slice(0, 6)}********${id.slice(14)}`);
    });

    it('keeps the lockout when a right password races twelve wrong ones', async () => {
      const attempts = [
        ...Array.from({ length: 12 }, (_, i) => ({ username: 'wangfang', password: `Wrong#Pass${i}` })),
        { username: 'wangfang', password: PASSWORD },
      ];
      await Promise.all(
        attempts.map((payload) => t.inject({ method: 'POST', url: '/api/v1/auth/login', payload })),
      );
      assert.ok(
        await refusedUntil(t.ctx.db, 'wangfang', '127.0.0.1', t.clock.now()),
        'at least five failures fall on one side of the success, so the address ends locked out',
      );
      assert.equal(
        (
          await t.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'wangfang', password: PASSWORD },
          })
        ).statusCode,
        423,
      );
    });

    it('accepts a one-time code once even when it is sent three times at once', async () => {
      const secret = await enrollTotp(t, 'liuyang');
      t.clock.advance(30_000);
      const code = totpCode(secret, t.clock.now());
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          t.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'liuyang', password: PASSWORD, totp: code },
          }),
        ),
      );
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 401, 401]);
    });

    it('decides two parallel grants of different administrator classes one after the other', async () => {
      const fresh = await t.ctx.identity.users.create(systemCaller('test'), {
        username: 'newadmin',
        displayName: '新管理员',
        password: 'Strong#Pass2026',
        posts: [],
      });
      const sec = await t.login('secadmin');
      const city = await orgId(t, '210100');
      const grant = (roleCode: string) =>
        t.inject({
          method: 'POST',
          url: `/api/v1/users/${fresh.id}/admin-posts`,
          headers: { cookie: sec },
          payload: { orgId: city, roleCode, title: roleCode },
        });
      const results = await Promise.all([grant('sys-admin'), grant('audit-admin')]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409]);
      const roles = await t.ctx.db
        .selectFrom('posts')
        .innerJoin('roles', 'roles.id', 'posts.role_id')
        .select('roles.code')
        .where('posts.user_id', '=', fresh.id)
        .execute();
      assert.equal(roles.length, 1, 'one class only');
    });

    it('lets nobody grant posts to themselves, nor mix administrator and business posts', async () => {
      const sec = await t.login('secadmin');
      const sys = await t.login('sysadmin');
      const city = await orgId(t, '210100');
      const self = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${await userIdOf(t, 'secadmin')}/admin-posts`,
        headers: { cookie: sec },
        payload: { orgId: city, roleCode: 'sec-admin', title: '再来一个' },
      });
      assert.equal(self.statusCode, 403);
      // An administrator account takes no ordinary post, not even one without a role yet.
      const auditorId = await userIdOf(t, 'auditor');
      const mixed = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${auditorId}/posts`,
        headers: { cookie: sys },
        payload: { orgId: city, title: '兼职' },
      });
      assert.equal(mixed.statusCode, 409, mixed.body);
      assert.equal(mixed.json().code, 'SEPARATION_OF_DUTIES');
      const role = await t.inject({
        method: 'POST',
        url: '/api/v1/roles',
        headers: { cookie: sec },
        payload: {
          code: 'sec-plus',
          name: '安全加',
          adminClass: 'security',
          scope: 'region',
          permissions: ['role:write', 'person:read-pii'],
        },
      });
      assert.equal(role.statusCode, 409, 'administrator roles carry no business permissions');
    });

    it('clears the administrator class with the last administrator post', async () => {
      const sec = await t.login('secadmin');
      const user = await t.ctx.identity.users.create(systemCaller('test'), {
        username: 'shortadmin',
        displayName: '临时审计',
        password: 'Strong#Pass2026',
        posts: [],
      });
      const granted = await t.inject({
        method: 'POST',
        url: `/api/v1/users/${user.id}/admin-posts`,
        headers: { cookie: sec },
        payload: { orgId: await orgId(t, '210100'), roleCode: 'audit-admin', title: '审计' },
      });
      assert.equal(granted.json().adminClass, 'audit');
      const post = granted.json().posts[0];
      const removed = await t.inject({
        method: 'DELETE',
        url: `/api/v1/users/${user.id}/admin-posts/${post.id}`,
        headers: { cookie: sec },
      });
      assert.equal(removed.statusCode, 200, removed.body);
      assert.equal(removed.json().adminClass, null);
    });

    it('audits every response that shows staff a full ID number', async () => {
      const person = await t.ctx.db.selectFrom('persons').select('id').executeTakeFirstOrThrow();
      const before = (await auditEntries(t, 'person.read-pii')).length;
      const masked = await t.login('wangfang').catch(() => null);
      if (masked)
        await t.inject({ method: 'GET', url: `/api/v1/persons/${person.id}`, headers: { cookie: masked } });
      assert.equal(
        (await auditEntries(t, 'person.read-pii')).length,
        before,
        'a masked view is not a PII read',
      );
      const clear = await t.login('zhangwei');
      const res = await t.inject({
        method: 'GET',
        url: `/api/v1/persons/${person.id}`,
        headers: { cookie: clear },
      });
      assert.equal(res.json().idNumberMasked, false);
      const [entry] = await auditEntries(t, 'person.read-pii');
      assert.equal(entry.actor_name, 'zhangwei');
      assert.equal(entry.target_id, person.id);
    });

    it('answers 409, not 500, when two requests create the same username at once', async () => {
      const sys = await t.login('sysadmin');
      const hall = (
        await t.ctx.db
          .selectFrom('orgs')
          .select('id')
          .where('name', '=', '沈阳市民政局')
          .executeTakeFirstOrThrow()
      ).id;
      const create = () =>
        t.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { cookie: sys },
          payload: {
            username: 'twins',
            displayName: '双胞胎',
            password: 'Strong#Pass2026',
            posts: [{ orgId: hall, title: '科员' }],
          },
        });
      const results = await Promise.all([create(), create()]);
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [201, 409]);
    });

    it('revokes the sessions of an account that locks itself by guessing the current password', async () => {
      const cookie = await t.login('citizen');
      for (let i = 0; i < 5; i++) {
        await t.inject({
          method: 'POST',
          url: '/api/v1/me/password',
          headers: { cookie },
          payload: { currentPassword: `Guess#${i}abc`, newPassword: 'Whatever#2027' },
        });
      }
      assert.equal(
        (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode,
        401,
      );
      assert.equal(
        (
          await t.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'citizen', password: PASSWORD },
          })
        ).statusCode,
        423,
      );
    });
  });

  describe(`audit anchors and complete verification [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(() => t.close());

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/main.ts', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: childEnv(t.database.url),
      });

    it('reports every broken entry, and an anchor kept outside catches a cut-off tail', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-anchor-'));
      const anchorFile = path.join(dir, 'anchors.jsonl');
      const made = cli('audit-anchor', '--out', anchorFile);
      assert.equal(made.status, 0, made.stderr);
      const anchor = JSON.parse(made.stdout);
      assert.equal(anchor.seq, await t.ctx.audit.count());
      const ok = cli('verify-audit', '--anchor', anchorFile);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /1 anchors found in the chain/);

      // An operator with DDL rights drops the guard and cuts off the newest entries.
      if (dialect === 'sqlite') {
        await sql`drop trigger audit_entries_no_delete`.execute(t.ctx.db);
        await sql`drop trigger audit_entries_no_update`.execute(t.ctx.db);
      } else await sql`drop trigger audit_entries_no_update_delete on audit_entries`.execute(t.ctx.db);
      await sql`delete from audit_entries where seq > ${anchor.seq - 3}`.execute(t.ctx.db);
      assert.equal((await t.ctx.audit.verify()).ok, true, 'the chain alone cannot see a cut tail');
      const cut = cli('verify-audit', '--anchor', anchorFile);
      assert.equal(cut.status, 2);
      assert.match(
        cut.stderr,
        /审计锚点不符：锚点所记的序号 \d+ 的记录已不存在：日志末尾被截去（ANCHOR_MISSING）/,
      );

      await sql`update audit_entries set action = 'x' where seq = 2`.execute(t.ctx.db);
      await sql`update audit_entries set action = 'y' where seq = 5`.execute(t.ctx.db);
      const v = await t.ctx.audit.verify();
      assert.equal(v.brokenCount, 2);
      assert.deepEqual(
        v.broken.map((b) => b.seq),
        [2, 5],
      );
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}

describe('production mode', () => {
  it('defaults to no demo data and secure cookies, and refuses demo seeding', () => {
    const c = loadConfig({ NODE_ENV: 'production' });
    assert.equal(c.SEED_DEMO, false);
    assert.equal(c.COOKIE_SECURE, true);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }), ConfigError);
    // A hop count would be accepted and do nothing (fastify 5 trusts no header under one).
    assert.throws(() => loadConfig({ TRUST_PROXY: '1' }), ConfigError);
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24' }).TRUST_PROXY, '10.0.0.5, 10.0.1.0/24');
    assert.throws(() => loadConfig({ TRUST_PROXY: 'yes please' }), ConfigError);
  });

  it('refuses to start while demo accounts keep the published password', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const seeded = testConfig({ PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'true' });
      const first = await startServer(seeded, createContext(seeded, { database: db.target }));
      await first.shutdown();
      const prod = testConfig({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' });
      await assert.rejects(
        startServer(prod, createContext(prod, { database: db.target })),
        /published password: .*sysadmin/,
      );
    } finally {
      await db.drop();
    }
  });
});
