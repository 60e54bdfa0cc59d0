import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Permission } from '@govflow/shared';
import { DatahubMonitor, type MonitorOverview } from '../src/modules/datahub/monitor';
import { HttpProofProvider } from '../src/modules/datahub/proof-providers';
import { signedHeaders } from '../src/modules/datahub/signing';
import type { Actor } from '../src/platform/http/actor';
import { seedDatahub, seedDataResources } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { askProofs as readCardAndAsk } from './support/card-reads';
import { describeEachDialect, type TestApp } from './support/harness';
import { startProofServer } from './support/proof-server';

/** An actor holding only `datahub:call-log` over the given subtrees. */
function scopedActor(roots: string[]): Actor {
  return {
    userId: 'u',
    username: 'scoped',
    displayName: 'scoped',
    kind: 'staff',
    adminClass: null,
    homeKind: 'staff',
    personId: null,
    sessionId: 's',
    posts: [],
    scopes: new Map<Permission, string[]>([['datahub:call-log', roots]]),
  };
}

const QUERIES = 3;
const CENTRE = '沈阳市政务服务中心';
const MARKET = '沈阳市市场监督管理局';
const HEPING = '和平区政务服务中心';

describeEachDialect(
  'data hub monitoring of providers and applications',
  (get) => {
    let t: TestApp;
    const cookie: Record<string, string> = {};
    const org: Record<string, { id: string; path: string }> = {};
    let relay: { url: string; close: () => void };
    let busy: { id: string; appKey: string; appSecret: string };
    let idle: { id: string };
    let creditCode: string;

    const login = async () => {
      for (const who of ['zhaolei', 'wangfang', 'zhangwei', 'auditor']) cookie[who] = await t.login(who);
    };
    const post = (who: string, url: string, payload: object = {}) =>
      t.inject({ method: 'POST', url, headers: { cookie: cookie[who] }, payload });
    const monitor = async (hours?: number, who = 'auditor'): Promise<MonitorOverview> => {
      const res = await t.inject({
        method: 'GET',
        url: `/api/v1/datahub/monitor${hours === undefined ? '' : `?hours=${hours}`}`,
        headers: { cookie: cookie[who] },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const askProofs = async () => {
      const res = await readCardAndAsk(t, cookie.zhangwei, DEMO_CITIZEN_ID_NUMBER, [
        'household',
        'disability',
      ]);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { providers: { name: string; status: string }[] };
    };
    const call = (secret: string, body: object) => {
      const payload = JSON.stringify(body);
      return t.inject({
        method: 'POST',
        url: '/api/v1/datahub/query',
        headers: {
          ...signedHeaders(
            busy.appKey,
            secret,
            'POST',
            '/api/v1/datahub/query',
            payload,
            t.clock.now().getTime(),
          ),
          'content-type': 'application/json',
        },
        payload,
      });
    };

    before(async () => {
      t = get();
      await seedDatahub(t.ctx, 300, 7);
      await seedDataResources(t.ctx);
      relay = await startProofServer(() => 'hang');
      t.ctx.datahub.proofs.register(new HttpProofProvider('isolated-zone-relay', relay.url, ['disability']));
      // Registered but never asked for the proofs requested below.
      t.ctx.datahub.proofs.register(
        new HttpProofProvider('provincial-hr', 'http://127.0.0.1:9/proofs', ['pharmacist-exam']),
      );
      await login();
      for (const name of [CENTRE, MARKET, HEPING]) {
        org[name] = await t.ctx.db
          .selectFrom('orgs')
          .select(['id', 'path'])
          .where('name', '=', name)
          .executeTakeFirstOrThrow();
      }
      creditCode = (
        await t.ctx.db
          .selectFrom('dh_legal_entities')
          .select('credit_code')
          .where('status', '=', 'active')
          .executeTakeFirstOrThrow()
      ).credit_code;

      const reg = await post('zhaolei', '/api/v1/datahub/apps', {
        name: '一网通办受理系统',
        orgId: org[CENTRE].id,
        rateLimitPerMinute: 500,
      });
      assert.equal(reg.statusCode, 201, reg.body);
      busy = reg.json();
      const second = await post('zhaolei', '/api/v1/datahub/apps', {
        name: '市场监管协同平台',
        orgId: org[MARKET].id,
      });
      assert.equal(second.statusCode, 201, second.body);
      idle = second.json();
      const resource = await t.ctx.db
        .selectFrom('dh_resources')
        .select('id')
        .where('code', '=', 'LEGAL-ENTITY-BASIC')
        .executeTakeFirstOrThrow();
      const ask = await post('zhaolei', `/api/v1/datahub/resources/${resource.id}/access-requests`, {
        requesterOrgId: org[CENTRE].id,
        fields: ['creditCode', 'name', 'status'],
        purpose: '受理时核验企业登记状态',
        days: 30,
      });
      assert.equal(ask.statusCode, 201, ask.body);
      const ok = await post('wangfang', `/api/v1/datahub/access-requests/${ask.json().id}/approve`, {
        note: '同意',
      });
      assert.equal(ok.statusCode, 200, ok.body);

      const body = { resource: 'LEGAL-ENTITY-BASIC', subject: creditCode, purpose: '核验企业状态' };
      assert.equal((await call(busy.appSecret, body)).statusCode, 200);
      assert.equal((await call(busy.appSecret, body)).statusCode, 200);
      assert.equal((await call('0'.repeat(64), body)).statusCode, 401, 'a bad signature');

      for (let i = 0; i < QUERIES; i++) {
        const r = await askProofs();
        assert.equal(r.providers.find((p) => p.name === 'isolated-zone-relay')?.status, 'late');
      }
    });
    after(() => relay?.close());

    it('counts each provider’s answers: the hanging one late every time, the local libraries ok', async () => {
      const m = await monitor();
      assert.equal(m.window.hours, 24, 'the default window');
      assert.equal(m.window.to, t.clock.now().toISOString());
      assert.equal(new Date(m.window.to).getTime() - new Date(m.window.from).getTime(), 24 * 3_600_000);
      assert.equal(m.truncated, false);
      const by = Object.fromEntries(m.providers.map((p) => [p.name, p]));
      assert.deepEqual(Object.keys(by), ['local-libraries', 'isolated-zone-relay', 'provincial-hr']);
      const local = by['local-libraries'];
      assert.deepEqual(
        { queries: local.queries, ok: local.ok, late: local.late, failed: local.failed },
        { queries: QUERIES, ok: QUERIES, late: 0, failed: 0 },
      );
      assert.equal(local.lastFailureAt, null);
      assert.ok(local.p50Ms !== null && local.p95Ms !== null && local.p50Ms <= local.p95Ms);
      const late = by['isolated-zone-relay'];
      assert.deepEqual(
        { queries: late.queries, ok: late.ok, late: late.late, failed: late.failed },
        { queries: QUERIES, ok: 0, late: QUERIES, failed: 0 },
      );
      assert.equal(late.lastFailureAt, t.clock.now().toISOString());
      assert.ok((late.p50Ms ?? 0) >= 200, 'a late answer took the whole timeout');
      assert.deepEqual(by['provincial-hr'], {
        name: 'provincial-hr',
        queries: 0,
        ok: 0,
        late: 0,
        failed: 0,
        p50Ms: null,
        p95Ms: null,
        lastFailureAt: null,
      });
    });

    it('counts each application’s calls by outcome, and lists applications that made none', async () => {
      const m = await monitor(24);
      const a = m.apps.find((x) => x.appId === busy.id);
      assert.ok(a);
      assert.equal(a.name, '一网通办受理系统');
      assert.equal(a.orgName, '沈阳市政务服务中心');
      assert.equal(a.status, 'active');
      assert.equal(a.rateLimitPerMinute, 500);
      assert.equal(a.calls, 3);
      assert.deepEqual(a.byOutcome, { ok: 2, 'bad-signature': 1 });
      assert.equal(a.lastCallAt, t.clock.now().toISOString());
      const b = m.apps.find((x) => x.appId === idle.id);
      assert.ok(b);
      assert.equal(b.orgName, '沈阳市市场监督管理局');
      assert.equal(b.rateLimitPerMinute, 60);
      assert.equal(b.calls, 0);
      assert.deepEqual(b.byOutcome, {});
      assert.equal(b.lastCallAt, null);
      assert.deepEqual(await monitor(24, 'zhaolei'), m, 'the data hub manager sees the same city-wide');
    });

    it('shows applications only in the reader’s subtree', async () => {
      const service = new DatahubMonitor(t.ctx.db, t.ctx.clock, () => t.ctx.datahub.proofs.providerNames());
      const own = await service.overview(scopedActor([org[CENTRE].path]), 24);
      assert.deepEqual(
        own.apps.map((a) => [a.appId, a.calls]),
        [[busy.id, 3]],
      );
      const other = await service.overview(scopedActor([org[HEPING].path]), 24);
      assert.deepEqual(other.apps, []);
      assert.equal(other.providers.length, 3, 'providers are not org-scoped');
      const none = await service.overview(scopedActor([]), 24);
      assert.deepEqual(none.apps, []);
    });

    it('says when the proof log held more rows than it reads', async () => {
      const capped = new DatahubMonitor(t.ctx.db, t.ctx.clock, () => [], 2);
      const m = await capped.overview(scopedActor([]), 24);
      assert.equal(m.truncated, true);
      assert.equal(m.providers.find((p) => p.name === 'local-libraries')?.queries, 2);
    });

    it('needs datahub:call-log and a window of 1 to 720 hours', async () => {
      const clerk = await t.inject({
        method: 'GET',
        url: '/api/v1/datahub/monitor',
        headers: { cookie: cookie.zhangwei },
      });
      assert.equal(clerk.statusCode, 403);
      const anonymous = await t.inject({ method: 'GET', url: '/api/v1/datahub/monitor' });
      assert.equal(anonymous.statusCode, 401);
      for (const hours of ['0', '721', '1.5', 'x']) {
        const res = await t.inject({
          method: 'GET',
          url: `/api/v1/datahub/monitor?hours=${hours}`,
          headers: { cookie: cookie.auditor },
        });
        assert.equal(res.statusCode, 400, `hours=${hours}`);
      }
      assert.equal((await monitor(720)).window.hours, 720);
    });

    it('leaves out rows older than the window', async () => {
      const before = t.clock.now().toISOString();
      t.clock.advanceMinutes(120);
      await login(); // two hours on, the sessions have expired
      await askProofs();

      const hour = await monitor(1);
      const local = hour.providers.find((p) => p.name === 'local-libraries');
      assert.equal(local?.queries, 1, 'only the query of the last hour');
      assert.equal(hour.providers.find((p) => p.name === 'isolated-zone-relay')?.late, 1);
      const a = hour.apps.find((x) => x.appId === busy.id);
      assert.ok(a);
      assert.equal(a.calls, 0, 'the calls were two hours ago');
      assert.deepEqual(a.byOutcome, {});
      assert.equal(a.lastCallAt, before, 'the last call is still shown');

      const day = await monitor(24);
      assert.equal(day.providers.find((p) => p.name === 'local-libraries')?.queries, QUERIES + 1);
      assert.deepEqual(day.apps.find((x) => x.appId === busy.id)?.byOutcome, { ok: 2, 'bad-signature': 1 });
    });
  },
  { env: { PROOF_PROVIDER_TIMEOUT_MS: '200' } },
);
