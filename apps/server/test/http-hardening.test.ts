import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { auditEntries, createTestApp, describeEachDialect, type TestApp } from './support/harness';

const EVIL = 'https://evil.example';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeEachDialect(
  'HTTP hardening',
  (get) => {
    let t: TestApp;
    before(() => {
      t = get();
    });
    const me = (cookie: string) => t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const sessionsOf = async (cookie: string) =>
      (await t.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie } })).json().items as {
        id: string;
        current: boolean;
      }[];
    const itemCount = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('catalog_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const refusedAsCrossSite = (res: {
      statusCode: number;
      body: string;
      json(): { code: string; message: string };
    }) => {
      assert.equal(res.statusCode, 403, `${res.statusCode} ${res.body}`);
      assert.equal(res.json().code, 'CROSS_SITE_REQUEST');
      assert.match(res.json().message, /跨站/);
    };

    // ---- defect 7: cross-site writes
    it('refuses a write carrying the cookie from another origin, and changes nothing', async () => {
      const cookie = await t.login('zhangwei');
      const logout = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, origin: EVIL },
      });
      refusedAsCrossSite(logout);
      assert.equal((await me(cookie)).statusCode, 200, 'the session is still alive');

      const other = await t.login('zhangwei');
      const otherId = (await sessionsOf(other)).find((s) => s.current)?.id;
      const revoke = await t.inject({
        method: 'DELETE',
        url: `/api/v1/me/sessions/${otherId}`,
        headers: { cookie, origin: EVIL },
      });
      refusedAsCrossSite(revoke);
      assert.equal((await me(other)).statusCode, 200, 'the other session is still alive');

      const wangfang = await t.login('wangfang');
      const before = await itemCount();
      const create = await t.inject({
        method: 'POST',
        url: '/api/v1/catalog/items',
        headers: { cookie: wangfang, origin: EVIL },
        payload: { basicCode: '000000000000', name: '跨站新建' },
      });
      refusedAsCrossSite(create);
      assert.equal(await itemCount(), before, 'no item was created');

      const denial = (await auditEntries(t, 'permission.denied')).find(
        (e) => JSON.parse(e.detail).code === 'CROSS_SITE_REQUEST',
      );
      assert.ok(denial, 'the refusal is in the audit trail');
      assert.match(denial.detail, /evil\.example/);
    });

    it('refuses Sec-Fetch-Site cross-site and same-site, and a login posted from another site', async () => {
      const cookie = await t.login('zhangwei');
      for (const site of ['cross-site', 'same-site']) {
        const res = await t.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { cookie, 'sec-fetch-site': site },
        });
        refusedAsCrossSite(res);
      }
      assert.equal((await me(cookie)).statusCode, 200);
      const login = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: EVIL },
        payload: { username: 'zhangwei', password: 'GovFlow@2026' },
      });
      refusedAsCrossSite(login);
      assert.equal(login.cookies.length, 0, 'no session was opened');
      const nullOrigin = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, origin: 'null' },
      });
      refusedAsCrossSite(nullOrigin);
    });

    it('accepts its own origin, a typed navigation and a request with neither header (curl, the CLI)', async () => {
      const logout = async (headers: Record<string, string>) => {
        const cookie = await t.login('zhangwei');
        const res = await t.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { cookie, ...headers },
        });
        assert.equal(res.statusCode, 204, `${JSON.stringify(headers)}: ${res.body}`);
        assert.equal((await me(cookie)).statusCode, 401, 'logged out');
      };
      await logout({ host: 'govflow.test', origin: 'http://govflow.test', 'sec-fetch-site': 'same-origin' });
      await logout({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' });
      await logout({ host: 'GovFlow.Test:80', origin: 'http://govflow.test' });
      await logout({ 'sec-fetch-site': 'none' });
      await logout({});

      const cookie = await t.login('zhangwei');
      const other = await t.login('zhangwei');
      const otherId = (await sessionsOf(other)).find((s) => s.current)?.id;
      const revoke = await t.inject({
        method: 'DELETE',
        url: `/api/v1/me/sessions/${otherId}`,
        headers: {
          cookie,
          host: 'govflow.test',
          origin: 'http://govflow.test',
          'sec-fetch-site': 'same-origin',
        },
      });
      assert.equal(revoke.statusCode, 204, revoke.body);
      assert.equal((await me(other)).statusCode, 401);
      const wangfang = await t.login('wangfang');
      const create = await t.inject({
        method: 'POST',
        url: '/api/v1/catalog/items',
        headers: { cookie: wangfang, host: 'govflow.test', origin: 'http://govflow.test' },
        payload: { name: '缺少其余字段' },
      });
      assert.equal(create.statusCode, 400, 'past the origin check, the body is validated');
      assert.equal(create.json().code, 'VALIDATION_FAILED');
    });

    it('compares host and port, and honours forwarded ones only from a trusted proxy', async () => {
      const cookie = await t.login('zhangwei');
      for (const [host, origin] of [
        ['govflow.test', 'http://govflow.test:8080'],
        ['govflow.test', 'http://evil.govflow.test'],
        ['govflow.test:8443', 'https://govflow.test'],
        ['govflow.test', 'ftp://govflow.test'],
      ]) {
        const res = await t.inject({
          method: 'POST',
          url: '/api/v1/auth/logout',
          headers: { cookie, host, origin, 'x-forwarded-host': 'evil.example' },
        });
        refusedAsCrossSite(res);
      }
      assert.equal((await me(cookie)).statusCode, 200);
      // An https page of this host, reaching us through a TLS proxy that says nothing, is ours.
      const tls = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, host: 'govflow.test', origin: 'https://govflow.test' },
      });
      assert.equal(tls.statusCode, 204, tls.body);

      const proxied = await createTestApp(t.dialect, { seed: false, env: { TRUST_PROXY: '127.0.0.1' } });
      try {
        const login = (headers: Record<string, string>) =>
          proxied.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers,
            payload: { username: 'nobody', password: 'x' },
          });
        const behindTls = {
          host: '10.0.0.5:3000',
          'x-forwarded-host': 'govflow.test',
          'x-forwarded-proto': 'https',
        };
        assert.equal((await login({ ...behindTls, origin: 'https://govflow.test' })).statusCode, 401);
        refusedAsCrossSite(await login({ ...behindTls, origin: 'http://govflow.test' }));
        refusedAsCrossSite(await login({ ...behindTls, origin: 'https://10.0.0.5:3000' }));
        refusedAsCrossSite(await login({ ...behindTls, origin: EVIL }));
      } finally {
        await proxied.close();
      }
    });

    it('answers 415 to a text/plain body and takes a body-less POST without a content type', async () => {
      const cookie = await t.login('zhangwei');
      const plain = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: { cookie, 'content-type': 'text/plain' },
        payload: 'x=1',
      });
      assert.equal(plain.statusCode, 415);
      assert.equal(plain.json().code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal((await me(cookie)).statusCode, 200, 'still logged in');
      const wangfang = await t.login('wangfang');
      const before = await itemCount();
      const json = await t.inject({
        method: 'POST',
        url: '/api/v1/catalog/items',
        headers: { cookie: wangfang, 'content-type': 'text/plain' },
        payload: '{"name":"纯文本"}',
      });
      assert.equal(json.statusCode, 415);
      assert.equal(await itemCount(), before);
      const bodyless = await t.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
      assert.equal(bodyless.statusCode, 204);
    });

    it('leaves signed data hub calls to their signature check', async () => {
      const res = await t.inject({
        method: 'POST',
        url: '/api/v1/datahub/query',
        headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' },
        payload: { resource: 'X', subject: 'Y', purpose: '受理核验' },
      });
      assert.equal(res.statusCode, 401, res.body);
      assert.notEqual(res.json().code, 'CROSS_SITE_REQUEST');
    });

    it('asks browsers to upgrade to https only when it is served over https (Secure cookie)', async () => {
      const csp = async (app: TestApp) =>
        String((await app.inject({ method: 'GET', url: '/healthz' })).headers['content-security-policy']);
      assert.doesNotMatch(await csp(t), /upgrade-insecure-requests/, 'plain http on an intranet name works');
      const secure = await createTestApp(t.dialect, { seed: false, env: { COOKIE_SECURE: 'true' } });
      try {
        assert.match(await csp(secure), /upgrade-insecure-requests/);
      } finally {
        await secure.close();
      }
    });

    // ---- defect 11: the server chooses the request id
    it('generates every request id and keeps a client’s only as a labelled field', async () => {
      const clientId = 'client-chosen-0001';
      const login = await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-request-id': clientId },
        payload: { username: 'liuyang', password: 'GovFlow@2026' },
      });
      assert.equal(login.statusCode, 200, login.body);
      const serverId = String(login.headers['x-request-id']);
      assert.match(serverId, UUID_V7);
      const [entry] = await auditEntries(t, 'auth.login');
      assert.equal(entry.request_id, serverId);
      assert.equal(entry.client_request_id, clientId);
      const forged = await t.ctx.db
        .selectFrom('audit_entries')
        .select('seq')
        .where('request_id', '=', clientId)
        .execute();
      assert.deepEqual(forged, [], 'the client id is never the request id');
      assert.equal((await t.ctx.audit.verify()).ok, true);

      const failed = await t.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { 'x-request-id': clientId },
      });
      assert.equal(failed.statusCode, 401);
      assert.match(failed.json().requestId, UUID_V7);
      assert.equal(failed.json().requestId, failed.headers['x-request-id']);
      assert.notEqual(failed.json().requestId, clientId);

      const auditor = await t.login('auditor');
      const listed = await t.inject({
        method: 'GET',
        url: '/api/v1/audit?action=auth.login&actor=liuyang&pageSize=1',
        headers: { cookie: auditor },
      });
      assert.equal(listed.json().items[0].requestId, serverId);
      assert.equal(listed.json().items[0].clientRequestId, clientId);
    });

    it('drops a client request id that is too long or holds other characters', async () => {
      for (const bad of ['<script>x</script>', 'a'.repeat(65), 'trace id with spaces']) {
        const login = async (extra: InjectOptions['headers']) =>
          t.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            headers: extra,
            payload: { username: 'liuyang', password: 'GovFlow@2026' },
          });
        const res = await login({ 'x-request-id': bad });
        assert.equal(res.statusCode, 200);
        const [entry] = await auditEntries(t, 'auth.login');
        assert.equal(entry.request_id, res.headers['x-request-id']);
        assert.equal(entry.client_request_id, null, bad);
      }
    });

    // ---- defect 13: the session-expired hint follows SESSION_IDLE_MINUTES
    it('says how many idle minutes end a session, as configured', async () => {
      const cookie = await t.login('zhangwei');
      t.clock.advanceMinutes(44);
      assert.equal((await me(cookie)).statusCode, 200, '44 idle minutes of 45 are allowed');
      t.clock.advanceMinutes(46);
      const expired = await me(cookie);
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().code, 'SESSION_EXPIRED');
      assert.equal(expired.json().hint, '45 分钟无操作会自动退出');
    });
  },
  { env: { SESSION_IDLE_MINUTES: '45' } },
);
