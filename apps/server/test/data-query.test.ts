import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { makeCreditCode } from '@govflow/shared';
import { AppRegistry, datahubSigningKey } from '../src/modules/datahub/apps';
import { REFUSALS_LOGGED_PER_APP_PER_MINUTE } from '../src/modules/datahub/call-log';
import { signedHeaders } from '../src/modules/datahub/signing';
import type { DhCallLogRow } from '../src/modules/datahub/tables';
import { seedDatahub, seedDataResources } from '../src/seed/datahub';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

/** Rows of the call log for one application. */
async function logRows(t: TestApp, appId: string): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('dh_call_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', appId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

interface AppCreds {
  id: string;
  appKey: string;
  appSecret: string;
}

describe('the data hub signing key', () => {
  it('is created once in DATA_DIR as 64 hex characters, mode 0600, and a damaged file is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-key-'));
    try {
      const key = datahubSigningKey({ DATA_DIR: dir });
      assert.match(key, /^[0-9a-f]{64}$/);
      assert.equal(datahubSigningKey({ DATA_DIR: dir }), key, 'the same key on the next start');
      assert.equal(fs.statSync(path.join(dir, 'datahub-signing.key')).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(dir), ['datahub-signing.key'], 'no temporary file left behind');
      fs.writeFileSync(path.join(dir, 'datahub-signing.key'), '\n');
      assert.throws(() => datahubSigningKey({ DATA_DIR: dir }), /datahub-signing.key is not a key/);
      assert.equal(datahubSigningKey({ DATA_DIR: dir, DATAHUB_SIGNING_KEY: 'k'.repeat(32) }), 'k'.repeat(32));
      const notADir = path.join(dir, 'plain-file');
      fs.writeFileSync(notADir, '');
      assert.throws(
        () => datahubSigningKey({ DATA_DIR: path.join(notADir, 'data') }),
        /^Error: DATAHUB_SIGNING_KEY: .*set DATAHUB_SIGNING_KEY/,
        'an unwritable DATA_DIR names the variable to set',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeEachDialect('signed data queries by registered applications', (get) => {
  let t: TestApp;
  const cookie: Record<string, string> = {};
  const org: Record<string, string> = {};
  const resource: Record<string, string> = {};
  let app: AppCreds;
  let creditCode: string;
  let idNumber: string;

  const login = async () => {
    for (const who of ['zhaolei', 'wangfang', 'zhangwei', 'auditor']) cookie[who] = await t.login(who);
  };
  const post = (who: string, url: string, payload: object = {}) =>
    t.inject({ method: 'POST', url, headers: { cookie: cookie[who] }, payload });

  /** A signed POST /api/v1/datahub/query, as a client library would send it. */
  const call = (
    creds: Pick<AppCreds, 'appKey' | 'appSecret'>,
    body: object | string,
    opts: { headers?: Record<string, string>; nonce?: string; skewMs?: number; tamper?: string } = {},
  ) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    const headers = {
      ...signedHeaders(
        creds.appKey,
        creds.appSecret,
        'POST',
        '/api/v1/datahub/query',
        payload,
        t.clock.now().getTime() + (opts.skewMs ?? 0),
        opts.nonce,
      ),
      'content-type': 'application/json',
      ...opts.headers,
    };
    return t.inject({
      method: 'POST',
      url: '/api/v1/datahub/query',
      headers,
      payload: opts.tamper ?? payload,
    });
  };

  before(async () => {
    t = get();
    await seedDatahub(t.ctx, 300, 4);
    await seedDataResources(t.ctx);
    await login();
    for (const name of ['沈阳市政务服务中心', '沈阳市市场监督管理局', '沈阳市民政局']) {
      org[name] = (
        await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow()
      ).id;
    }
    for (const r of await t.ctx.db.selectFrom('dh_resources').select(['id', 'code']).execute())
      resource[r.code] = r.id;
    creditCode = (
      await t.ctx.db
        .selectFrom('dh_legal_entities')
        .select('credit_code')
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
    ).credit_code;
    idNumber = (
      await t.ctx.db
        .selectFrom('dh_persons')
        .select('id_number')
        .where('death_date', 'is', null)
        .where('minimum_income_since', 'is', null)
        .executeTakeFirstOrThrow()
    ).id_number;

    const reg = await post('zhaolei', '/api/v1/datahub/apps', {
      name: '一网通办受理系统',
      orgId: org['沈阳市政务服务中心'],
      rateLimitPerMinute: 1000,
    });
    assert.equal(reg.statusCode, 201, reg.body);
    app = reg.json();
    // The service centre asks the market regulator for three fields of its legal-entity library.
    const ask = await post(
      'zhaolei',
      `/api/v1/datahub/resources/${resource['LEGAL-ENTITY-BASIC']}/access-requests`,
      {
        requesterOrgId: org['沈阳市政务服务中心'],
        fields: ['creditCode', 'name', 'status'],
        purpose: '受理时核验企业登记状态',
        days: 30,
      },
    );
    assert.equal(ask.statusCode, 201, ask.body);
    const ok = await post('wangfang', `/api/v1/datahub/access-requests/${ask.json().id}/approve`, {
      note: '同意',
    });
    assert.equal(ok.statusCode, 200, ok.body);
  });

  it('registers an application whose secret is shown once and never stored', async () => {
    assert.match(app.appKey, /^gf_[0-9a-f]{24}$/);
    assert.match(app.appSecret, /^[0-9a-f]{64}$/);
    const row = await t.ctx.db
      .selectFrom('dh_apps')
      .selectAll()
      .where('id', '=', app.id)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(app.appSecret), 'the database row does not hold the secret');
    const list = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/apps',
      headers: { cookie: cookie.zhaolei },
    });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(app.appSecret), 'the list never shows a secret');
    assert.equal(
      list.json().items.find((a: { id: string }) => a.id === app.id).orgName,
      '沈阳市政务服务中心',
    );
    const byClerk = await post('zhangwei', '/api/v1/datahub/apps', {
      name: 'x',
      orgId: org['沈阳市政务服务中心'],
    });
    assert.equal(byClerk.statusCode, 403);
  });

  it('returns only the approved fields of one record', async () => {
    const res = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验企业状态',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.found, true);
    assert.deepEqual(Object.keys(body.record).sort(), ['creditCode', 'name', 'status']);
    assert.equal(body.record.creditCode, creditCode);
    assert.ok(!('legalRepIdNumber' in body.record), 'a field not approved is absent');
    assert.ok(!res.body.includes('legalRep'), 'nothing about unapproved fields anywhere in the answer');

    const absent = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: makeCreditCode('91', '210102', 'MA0QXX01'),
      purpose: '核验企业状态',
    });
    assert.equal(absent.statusCode, 200, absent.body);
    assert.deepEqual(absent.json(), {
      resource: 'LEGAL-ENTITY-BASIC',
      found: false,
      record: null,
      fields: [],
    });
  });

  it('lets an application browse the catalogue and request access for its unit, signed', async () => {
    const signed = (method: 'GET' | 'POST', url: string, body?: object) => {
      const payload = body ? JSON.stringify(body) : '';
      return t.inject({
        method,
        url,
        headers: {
          ...signedHeaders(app.appKey, app.appSecret, method, url, payload, t.clock.now().getTime()),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { payload } : {}),
      });
    };
    const list = await signed('GET', '/api/v1/datahub/app/resources');
    assert.equal(list.statusCode, 200, list.body);
    const byCode = Object.fromEntries(
      list
        .json()
        .items.map((r: { code: string; approvedFields: string[]; queryable: boolean }) => [r.code, r]),
    );
    assert.deepEqual([...byCode['LEGAL-ENTITY-BASIC'].approvedFields].sort(), [
      'creditCode',
      'name',
      'status',
    ]);
    assert.deepEqual(byCode['POPULATION-BASIC'].approvedFields, []);
    assert.equal(byCode['MARRIAGE-FILES'].queryable, false);
    assert.equal(
      (await t.inject({ method: 'GET', url: '/api/v1/datahub/app/resources' })).statusCode,
      401,
      'browsing needs a signature too',
    );

    const ask = await signed('POST', '/api/v1/datahub/app/access-requests', {
      resource: 'POPULATION-BASIC',
      fields: ['name', 'alive'],
      purpose: '核验申请人身份与生存状态',
      days: 30,
    });
    assert.equal(ask.statusCode, 201, ask.body);
    assert.equal(ask.json().status, 'requested');
    assert.equal(ask.json().requesterOrgName, '沈阳市政务服务中心');
    const [entry] = await auditEntries(t, 'datahub.access-request');
    assert.equal(entry.actor_name, 'app:一网通办受理系统', 'the audit trail names the application');
    const notShared = await signed('POST', '/api/v1/datahub/app/access-requests', {
      resource: 'MARRIAGE-FILES',
      fields: ['name'],
      purpose: '核验婚姻状况',
      days: 30,
    });
    assert.equal(notShared.statusCode, 409);
    const after = await signed('GET', '/api/v1/datahub/app/resources');
    const pop = after.json().items.find((r: { code: string }) => r.code === 'POPULATION-BASIC');
    assert.equal(pop.pendingRequests, 1);
  });

  it('refuses unsigned, wrongly signed, tampered, replayed and stale calls with 401', async () => {
    const body = { resource: 'LEGAL-ENTITY-BASIC', subject: creditCode, purpose: '核验企业状态' };
    const unsigned = await t.inject({ method: 'POST', url: '/api/v1/datahub/query', payload: body });
    assert.equal(unsigned.statusCode, 401);
    assert.equal(unsigned.json().code, 'BAD_SIGNATURE');

    const withSession = await t.inject({
      method: 'POST',
      url: '/api/v1/datahub/query',
      headers: { cookie: cookie.zhaolei },
      payload: body,
    });
    assert.equal(withSession.statusCode, 401, 'a staff session is no signature');

    const wrongSecret = await call({ appKey: app.appKey, appSecret: 'f'.repeat(64) }, body);
    assert.equal(wrongSecret.statusCode, 401);
    assert.equal(wrongSecret.json().code, 'BAD_SIGNATURE');

    const tampered = await call(app, body, {
      tamper: JSON.stringify({ ...body, resource: 'POPULATION-BASIC' }),
    });
    assert.equal(tampered.statusCode, 401, 'the signature covers the body');

    const nonce = 'n0nce-used-once-only-0001';
    assert.equal((await call(app, body, { nonce })).statusCode, 200);
    const replay = await call(app, body, { nonce });
    assert.equal(replay.statusCode, 401);
    assert.equal(replay.json().code, 'REPLAYED_NONCE');

    for (const skewMs of [-6 * 60_000, 6 * 60_000]) {
      const stale = await call(app, body, { skewMs });
      assert.equal(stale.statusCode, 401);
      assert.equal(stale.json().code, 'STALE_TIMESTAMP');
    }
    const unknownKey = await call({ appKey: 'gf_000000000000000000000000', appSecret: app.appSecret }, body);
    assert.equal(unknownKey.statusCode, 401);
  });

  it('logs a few replays of a captured call a minute, counts the rest and answers them 429; valid calls go on', async () => {
    const url = '/api/v1/datahub/query';
    const payload = JSON.stringify({
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验企业状态',
    });
    const send = (headers: Record<string, string>, remoteAddress: string) =>
      t.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'content-type': 'application/json' },
        payload,
        remoteAddress,
      });
    const signed = () =>
      signedHeaders(app.appKey, app.appSecret, 'POST', url, payload, t.clock.now().getTime());
    await t.ctx.datahub.queries.log.flushRefusalCounts();
    const attacker = '203.0.113.9';
    const captured = signed();
    assert.equal((await send(captured, '198.51.100.1')).statusCode, 200, 'the original call');
    const rowsBefore = await logRows(t, app.id);
    const codes: number[] = [];
    for (let i = 0; i < 100; i++) codes.push((await send(captured, attacker)).statusCode);
    assert.deepEqual(codes.slice(0, 20), Array(20).fill(401), 'the first replays are refused as such');
    assert.deepEqual(codes.slice(20), Array(80).fill(429), 'past the cap, the replayer is told to back off');
    assert.equal((await logRows(t, app.id)) - rowsBefore, 20, 'twenty call-log rows, not a hundred');

    // The application's own calls are verified as ever: from its address and from the flooded one.
    assert.equal((await send(signed(), '198.51.100.1')).statusCode, 200);
    assert.equal(
      (await send(signed(), attacker)).statusCode,
      200,
      'a valid call is not refused for others’ refusals',
    );

    // Every kind of refusal shares the cap: stale timestamps and an unknown app key.
    const stale = signedHeaders(
      app.appKey,
      app.appSecret,
      'POST',
      url,
      payload,
      t.clock.now().getTime() - 600_000,
    );
    const staleCodes: number[] = [];
    for (let i = 0; i < 25; i++) staleCodes.push((await send(stale, '203.0.113.10')).statusCode);
    assert.deepEqual([staleCodes[19], staleCodes[20]], [401, 429]);
    const stranger = signedHeaders('gf_000000000000000000000000', app.appSecret, 'POST', url, payload);
    const strangerCodes: number[] = [];
    for (let i = 0; i < 25; i++) strangerCodes.push((await send(stranger, '203.0.113.11')).statusCode);
    assert.deepEqual([strangerCodes[19], strangerCodes[20]], [401, 429]);

    // The counted refusals are written in one batch, one row per window, address and outcome.
    await t.ctx.datahub.queries.log.flushRefusalCounts();
    const counts = await t.ctx.db
      .selectFrom('dh_refusal_counts')
      .select(['app_id', 'source', 'outcome', 'refusals'])
      .where('source', 'like', '203.0.113.%')
      .execute();
    assert.deepEqual(
      counts
        .map((c) => [c.source, c.app_id, c.outcome, Number(c.refusals)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['203.0.113.10', app.id, 'replayed', 5],
        ['203.0.113.11', '', 'bad-signature', 5],
        [attacker, app.id, 'replayed', 80],
      ],
    );
    // A new minute starts a new window: the replay is logged (and refused) again.
    t.clock.advance(60_000);
    assert.equal((await send(captured, attacker)).statusCode, 401);
  });

  it('caps the rows a replay adds per application, whatever the number of addresses it comes from', async () => {
    const url = '/api/v1/datahub/query';
    const payload = JSON.stringify({
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验企业状态',
    });
    const captured = signedHeaders(app.appKey, app.appSecret, 'POST', url, payload, t.clock.now().getTime());
    t.clock.advance(60_000);
    const original = await t.inject({
      method: 'POST',
      url,
      headers: { ...captured, 'content-type': 'application/json' },
      payload,
      remoteAddress: '198.51.100.1',
    });
    assert.equal(original.statusCode, 200, 'the original call');
    const before = await logRows(t, app.id);
    const codes: number[] = [];
    // 30 addresses, 10 replays each: under the per-address cap every time, over the application's.
    for (let a = 0; a < 30; a++)
      for (let i = 0; i < 10; i++)
        codes.push(
          (
            await t.inject({
              method: 'POST',
              url,
              headers: { ...captured, 'content-type': 'application/json' },
              payload,
              remoteAddress: `2001:db8:${(a + 1).toString(16)}::1`,
            })
          ).statusCode,
        );
    assert.equal((await logRows(t, app.id)) - before, REFUSALS_LOGGED_PER_APP_PER_MINUTE);
    assert.equal(codes.filter((c) => c === 429).length, 300 - REFUSALS_LOGGED_PER_APP_PER_MINUTE);
    await t.ctx.datahub.queries.log.flushRefusalCounts();
    const counted = await t.ctx.db
      .selectFrom('dh_refusal_counts')
      .select((eb) => eb.fn.sum<number>('refusals').as('n'))
      .where('source', 'like', '2001:db8:%')
      .executeTakeFirstOrThrow();
    assert.equal(Number(counted.n), 300 - REFUSALS_LOGGED_PER_APP_PER_MINUTE, 'the rest are counted');
    t.clock.advance(60_000); // the next tests start with the application's cap unused
  });

  it('refuses batches with 400 and bad check digits with 422, and logs both', async () => {
    const batch = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: [creditCode, creditCode],
      purpose: '批量核验',
    });
    assert.equal(batch.statusCode, 400, batch.body);
    const badDigit = creditCode.slice(0, 17) + (creditCode[17] === '0' ? '1' : '0');
    const wrong = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: badDigit,
      purpose: '核验企业状态',
    });
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.json().code, 'INVALID_CREDIT_CODE');
    const badId = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0');
    const wrongId = await call(app, { resource: 'MINIMUM-INCOME', subject: badId, purpose: '核验低保' });
    assert.equal(wrongId.statusCode, 422, 'a wrong check digit is refused before access is even looked at');
    assert.equal(wrongId.json().code, 'INVALID_ID_NUMBER');
  });

  it('logs verified calls refused before the handler, and unverified ones without their body', async () => {
    const control = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验\u0007企业状态',
    });
    assert.equal(control.statusCode, 400, control.body);
    const forged = await call(
      { appKey: app.appKey, appSecret: 'e'.repeat(64) },
      { resource: 'POPULATION-BASIC', subject: idNumber, purpose: '伪造的用途说明' },
    );
    assert.equal(forged.statusCode, 401);
    const ids = [control.headers['x-request-id'] as string, forged.headers['x-request-id'] as string];
    // The refusal before the handler is logged when the response has gone out: wait for it.
    let rows: DhCallLogRow[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      rows = await t.ctx.db.selectFrom('dh_call_log').selectAll().where('request_id', 'in', ids).execute();
      if (rows.length < 2) await new Promise((ok) => setTimeout(ok, 20));
    }
    const byStatus = Object.fromEntries(rows.map((r) => [r.http_status, r]));
    assert.equal(byStatus[400]?.outcome, 'invalid', 'the control character refusal is in the log');
    assert.equal(byStatus[401]?.outcome, 'bad-signature');
    assert.equal(byStatus[401]?.purpose, null, 'an unverified body is not written to the log');
    assert.equal(byStatus[401]?.resource_code, null);
  });

  it('logs calls refused while their body is read (400, 415) as unverified, for known app keys only', async () => {
    const body = JSON.stringify({
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验企业状态',
    });
    const unknown = await call({ appKey: 'gf_000000000000000000000000', appSecret: app.appSecret }, '{"re');
    assert.equal(unknown.statusCode, 400, unknown.body);
    const truncated = await call(app, body.slice(0, -5));
    assert.equal(truncated.statusCode, 400, truncated.body);
    const xml = await call(app, '<query/>', { headers: { 'content-type': 'application/xml' } });
    assert.equal(xml.statusCode, 415, xml.body);
    const ids = [unknown, truncated, xml].map((r) => r.headers['x-request-id'] as string);
    // Logged when the response has gone out: wait for it, then a little longer for a stray row.
    let rows: DhCallLogRow[] = [];
    for (let i = 0; i < 50 && rows.length < 2; i++) {
      rows = await t.ctx.db.selectFrom('dh_call_log').selectAll().where('request_id', 'in', ids).execute();
      if (rows.length < 2) await new Promise((ok) => setTimeout(ok, 20));
    }
    await new Promise((ok) => setTimeout(ok, 50));
    rows = await t.ctx.db.selectFrom('dh_call_log').selectAll().where('request_id', 'in', ids).execute();
    assert.deepEqual(
      rows.map((r) => r.request_id).sort(),
      ids.slice(1).sort(),
      'one row each, none for the unknown key',
    );
    for (const r of rows) {
      assert.equal(r.app_id, app.id);
      assert.equal(r.outcome, 'invalid');
      assert.equal(r.resource_code, null, 'an unverified body is not written to the log');
      assert.equal(r.purpose, null);
      assert.equal(r.subject_masked, null);
    }
    const status = Object.fromEntries(rows.map((r) => [r.request_id, r.http_status]));
    assert.equal(status[ids[1]], 400);
    assert.equal(status[ids[2]], 415);
  });

  it('refuses resources without approval (403) and serves unconditional ones once requested', async () => {
    const none = await call(app, { resource: 'POPULATION-BASIC', subject: idNumber, purpose: '核验身份' });
    assert.equal(none.statusCode, 403);
    assert.equal(none.json().code, 'NO_ACCESS');
    const ask = await post(
      'zhaolei',
      `/api/v1/datahub/resources/${resource['MINIMUM-INCOME']}/access-requests`,
      {
        requesterOrgId: org['沈阳市政务服务中心'],
        fields: ['name', 'minimumIncomeSince'],
        purpose: '减免事项核验低保身份',
        days: 1,
      },
    );
    assert.equal(ask.json().status, 'approved', 'unconditional sharing is approved on request');
    const onList = (
      await t.ctx.db
        .selectFrom('dh_persons')
        .select('id_number')
        .where('minimum_income_since', 'is not', null)
        .where('death_date', 'is', null)
        .executeTakeFirstOrThrow()
    ).id_number;
    const res = await call(app, { resource: 'MINIMUM-INCOME', subject: onList, purpose: '核验低保' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(Object.keys(res.json().record).sort(), ['minimumIncomeSince', 'name']);
    // The list holds only the people on it: it does not name anyone else.
    const offList = await call(app, { resource: 'MINIMUM-INCOME', subject: idNumber, purpose: '核验低保' });
    assert.equal(offList.statusCode, 200, offList.body);
    assert.deepEqual(offList.json(), { resource: 'MINIMUM-INCOME', found: false, record: null, fields: [] });
  });

  it('stops serving a library at once when it is handed to another keeper', async () => {
    const body = { resource: 'LEGAL-ENTITY-BASIC', subject: creditCode, purpose: '核验企业状态' };
    const system = { actor: null, requestId: null, ip: null, userAgent: null, systemName: 'test' };
    const refusals = async () =>
      (
        await t.ctx.db
          .selectFrom('dh_call_log')
          .select('id')
          .where('app_id', '=', app.id)
          .where('resource_code', '=', 'LEGAL-ENTITY-BASIC')
          .where('outcome', '=', 'no-access')
          .where('http_status', '=', 403)
          .execute()
      ).length;
    const before = await refusals();
    await t.ctx.datahub.sharing.assignKeeper(system, 'legal-entities', org['沈阳市民政局']);
    try {
      const res = await call(app, body);
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'NOT_SOURCE_KEEPER');
      assert.equal(await refusals(), before + 1, 'the refusal is in the call log');
    } finally {
      await t.ctx.datahub.sharing.assignKeeper(system, 'legal-entities', org['沈阳市市场监督管理局']);
    }
    assert.equal((await call(app, body)).statusCode, 200);
  });

  it('answers 403 ACCESS_EXPIRED once the approval has run out', async () => {
    t.clock.advance(2 * 86_400_000);
    await login();
    const res = await call(app, { resource: 'MINIMUM-INCOME', subject: idNumber, purpose: '核验低保' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'ACCESS_EXPIRED');
    // The 30-day approval of the legal-entity library still holds.
    const still = await call(app, {
      resource: 'LEGAL-ENTITY-BASIC',
      subject: creditCode,
      purpose: '核验企业状态',
    });
    assert.equal(still.statusCode, 200);
  });

  it('limits each application to its calls per minute', async () => {
    const reg = await post('zhaolei', '/api/v1/datahub/apps', {
      name: '限流测试应用',
      orgId: org['沈阳市政务服务中心'],
      rateLimitPerMinute: 3,
    });
    const slow: AppCreds = reg.json();
    const body = { resource: 'LEGAL-ENTITY-BASIC', subject: creditCode, purpose: '核验企业状态' };
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await call(slow, body)).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 429]);
    const slowRow = await t.ctx.db
      .selectFrom('dh_apps')
      .select('id')
      .where('app_key', '=', slow.appKey)
      .executeTakeFirstOrThrow();
    const windows = await t.ctx.db
      .selectFrom('dh_app_rate_windows')
      .select(['calls'])
      .where('app_id', '=', slowRow.id)
      .execute();
    assert.deepEqual(
      windows.map((w) => w.calls),
      [3],
      'the window counts the calls let through, so a client a little over its limit is slowed, not shut out',
    );
    assert.equal((await call(app, body)).statusCode, 200, 'another application is not affected');
    // The window slides: just past the minute, the last minute's burst still counts…
    t.clock.advance(61_000);
    assert.equal((await call(slow, body)).statusCode, 429, 'no fresh allowance at the turn of the minute');
    // …and once it has slid past the burst, calls go through again.
    t.clock.advance(120_000);
    assert.equal((await call(slow, body)).statusCode, 200, 'the window has slid past the burst');
    // A second instance of the hub (its own process, the same database) counts against the same limit.
    const other = new AppRegistry(t.ctx, t.ctx.identity.orgs, datahubSigningKey(t.config));
    const row = await t.ctx.db
      .selectFrom('dh_apps')
      .selectAll()
      .where('app_key', '=', slow.appKey)
      .executeTakeFirstOrThrow();
    const path = '/api/v1/datahub/query';
    const results = [];
    for (let i = 0; i < 3; i++) {
      const payload = JSON.stringify(body);
      const headers = signedHeaders(
        slow.appKey,
        slow.appSecret,
        'POST',
        path,
        payload,
        t.clock.now().getTime(),
      );
      results.push(await other.authenticate(headers, { method: 'POST', path, body: payload }));
    }
    assert.equal(row.rate_limit_per_minute, 3);
    assert.deepEqual(
      results.map((r) => ('refused' in r ? r.refused.outcome : 'ok')),
      ['ok', 'ok', 'rate-limited'],
      'the first instance’s call this minute counts on the second',
    );
  });

  it('stops the old secret on rotation and every call of a disabled application', async () => {
    const body = { resource: 'LEGAL-ENTITY-BASIC', subject: creditCode, purpose: '核验企业状态' };
    const rot = await post('zhaolei', `/api/v1/datahub/apps/${app.id}/rotate-secret`);
    assert.equal(rot.statusCode, 200, rot.body);
    const fresh = { appKey: app.appKey, appSecret: rot.json().appSecret };
    assert.notEqual(fresh.appSecret, app.appSecret);
    assert.equal((await call(app, body)).statusCode, 401, 'the old secret no longer signs');
    assert.equal((await call(fresh, body)).statusCode, 200);
    assert.equal((await post('zhaolei', `/api/v1/datahub/apps/${app.id}/disable`)).statusCode, 200);
    const off = await call(fresh, body);
    assert.equal(off.statusCode, 401);
    assert.equal(off.json().code, 'APP_DISABLED');
    assert.equal((await post('zhaolei', `/api/v1/datahub/apps/${app.id}/disable`)).statusCode, 409);
  });

  it('logs every call with caller, resource, purpose, outcome and masked subject; append-only', async () => {
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/datahub/call-log?appId=${app.id}&limit=200`,
      headers: { cookie: cookie.auditor },
    });
    assert.equal(res.statusCode, 200, res.body);
    const items: {
      outcome: string;
      subjectMasked: string;
      appName: string;
      purpose: string;
      fields: string[];
    }[] = res.json().items;
    const outcomes = new Set(items.map((i) => i.outcome));
    for (const o of ['ok', 'bad-signature', 'replayed', 'invalid', 'no-access', 'expired'])
      assert.ok(outcomes.has(o), `outcome ${o} is logged`);
    assert.ok(!res.body.includes(creditCode), 'subjects are masked');
    assert.ok(!res.body.includes(idNumber));
    const ok = items.find((i) => i.outcome === 'ok' && i.fields.length === 3);
    assert.ok(ok);
    assert.equal(ok.appName, '一网通办受理系统');
    assert.equal(ok.purpose, '核验企业状态');
    assert.deepEqual([...ok.fields].sort(), ['creditCode', 'name', 'status']);

    const filtered = await t.inject({
      method: 'GET',
      url: `/api/v1/datahub/call-log?appId=${app.id}&outcome=replayed`,
      headers: { cookie: cookie.auditor },
    });
    assert.ok(filtered.json().items.every((i: { outcome: string }) => i.outcome === 'replayed'));
    const page = await t.inject({
      method: 'GET',
      url: `/api/v1/datahub/call-log?appId=${app.id}&limit=2`,
      headers: { cookie: cookie.auditor },
    });
    const next = await t.inject({
      method: 'GET',
      url: `/api/v1/datahub/call-log?appId=${app.id}&limit=2&cursor=${page.json().nextCursor}`,
      headers: { cookie: cookie.auditor },
    });
    assert.equal(next.json().items.length, 2);
    assert.ok(next.json().items[0].id < page.json().items[1].id, 'the cursor pages on, newest first');

    const clerk = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/call-log',
      headers: { cookie: cookie.zhangwei },
    });
    assert.equal(clerk.statusCode, 403);
    await assert.rejects(t.ctx.db.updateTable('dh_call_log').set({ outcome: 'ok' }).execute(), /append-only/);
    await assert.rejects(t.ctx.db.deleteFrom('dh_call_log').execute(), /append-only/);
  });

  it('checks a resource’s fields against its source and lists requests by view', async () => {
    const bad = await post('zhaolei', '/api/v1/datahub/resources', {
      code: 'BAD-SOURCE',
      name: '字段不符',
      ownerOrgId: org['沈阳市市场监督管理局'],
      shareType: 'conditional',
      updateCycle: 'daily',
      source: 'population',
      fields: [{ name: 'salary', label: '工资' }],
    });
    assert.equal(bad.statusCode, 422, bad.body);
    const mine = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/access-requests?view=mine',
      headers: { cookie: cookie.zhaolei },
    });
    assert.equal(mine.statusCode, 200);
    assert.ok(
      mine.json().items.some((g: { resourceCode: string }) => g.resourceCode === 'LEGAL-ENTITY-BASIC'),
    );
    const expired = mine
      .json()
      .items.find((g: { resourceCode: string }) => g.resourceCode === 'MINIMUM-INCOME');
    assert.equal(expired.expired, true);
    const toDecide = await t.inject({
      method: 'GET',
      url: '/api/v1/datahub/access-requests?view=to-decide',
      headers: { cookie: cookie.wangfang },
    });
    const codes = toDecide.json().items.map((g: { resourceCode: string }) => g.resourceCode);
    assert.ok(codes.includes('LEGAL-ENTITY-BASIC'));
    assert.ok(!codes.includes('MINIMUM-INCOME'), 'the market regulator decides only on its own resources');
  });
});
