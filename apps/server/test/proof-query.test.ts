import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeIdNumber } from '@govflow/shared';
import { HttpProofProvider } from '../src/modules/datahub/proof-providers';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';
import { startProofServer } from './support/proof-server';

/** A remote provider on loopback: answers the pharmacist exam record, or never answers at all. */
function remote(hang: boolean) {
  return startProofServer((idNumber) =>
    hang
      ? 'hang'
      : {
          'pharmacist-exam': {
            found: true,
            data: { idNumber, certificate: 'ZY2022-0001', source: '省人社厅' },
          },
        },
  );
}

describeEachDialect(
  '一证通办 proof queries',
  (get) => {
    let t: TestApp;
    let cookie: string;
    const servers: { close: () => void }[] = [];
    before(async () => {
      t = get();
      await seedDatahub(t.ctx, 300, 5);
      const ok = await remote(false);
      const hanging = await remote(true);
      servers.push(ok, hanging);
      t.ctx.datahub.proofs.register(new HttpProofProvider('provincial-hr', ok.url, ['pharmacist-exam']));
      t.ctx.datahub.proofs.register(
        new HttpProofProvider('isolated-zone-relay', hanging.url, ['disability', 'marital-status']),
      );
      cookie = await t.login('zhangwei');
    });
    after(() => {
      for (const s of servers) s.close();
    });

    const ask = (payload: object, who = cookie) =>
      t.inject({ method: 'POST', url: '/api/v1/datahub/proof-queries', headers: { cookie: who }, payload });

    it('asks every relevant provider in parallel, merges, and marks a hanging one late', async () => {
      const res = await ask({
        idNumber: DEMO_CITIZEN_ID_NUMBER,
        source: 'card-reader',
        proofTypes: ['household', 'pharmacist-exam', 'disability'],
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.proofs.household.found, true);
      assert.equal(r.proofs.household.provider, 'local-libraries');
      assert.equal(r.proofs['pharmacist-exam'].found, true, 'the local exam record or the remote one');
      const status = Object.fromEntries(
        r.providers.map((p: { name: string; status: string }) => [p.name, p.status]),
      );
      assert.deepEqual(status, {
        'local-libraries': 'ok',
        'provincial-hr': 'ok',
        'isolated-zone-relay': 'late',
      });
      assert.equal(
        r.idNumberMasked,
        `${DEMO_CITIZEN_ID_NUMBER.slice(0, 6)}********${DEMO_CITIZEN_ID_NUMBER.slice(14)}`,
      );
    });

    it('stores no proof data: only a log with the masked number and the hash of the result', async () => {
      const rows = await t.ctx.db.selectFrom('dh_proof_queries').selectAll().execute();
      assert.ok(rows.length >= 1);
      const text = JSON.stringify(rows);
      assert.ok(!text.includes(DEMO_CITIZEN_ID_NUMBER), 'no full ID number');
      assert.ok(!text.includes('ZY2022-0001') && !text.includes('号'), 'no proof content');
      assert.match(rows[0].result_hash, /^[0-9a-f]{64}$/);
      const [entry] = await auditEntries(t, 'datahub.proof-query');
      assert.equal(entry.actor_name, 'zhangwei');
      assert.ok(!entry.detail.includes(DEMO_CITIZEN_ID_NUMBER));
    });

    it('refuses typed numbers, batches, wrong check digits, and staff without the permission', async () => {
      const typed = await ask({
        idNumber: DEMO_CITIZEN_ID_NUMBER,
        source: 'manual',
        proofTypes: ['household'],
      });
      assert.equal(typed.statusCode, 400);
      assert.match(typed.json().message, /读卡器/);
      const batch = await ask({
        idNumbers: [DEMO_CITIZEN_ID_NUMBER],
        source: 'card-reader',
        proofTypes: ['household'],
      });
      assert.equal(batch.statusCode, 400);
      const twoAtOnce = await ask({
        idNumber: [DEMO_CITIZEN_ID_NUMBER, DEMO_CITIZEN_ID_NUMBER],
        source: 'card-reader',
        proofTypes: ['household'],
      });
      assert.equal(twoAtOnce.statusCode, 400);
      const wrong = DEMO_CITIZEN_ID_NUMBER.slice(0, 17) + (DEMO_CITIZEN_ID_NUMBER[17] === '0' ? '1' : '0');
      const bad = await ask({ idNumber: wrong, source: 'card-reader', proofTypes: ['household'] });
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().code, 'INVALID_ID_NUMBER');
      const other = await t.login('wangfang');
      assert.equal(
        (
          await ask(
            { idNumber: DEMO_CITIZEN_ID_NUMBER, source: 'card-reader', proofTypes: ['household'] },
            other,
          )
        ).statusCode,
        403,
      );
    });

    it('reports proofs that nobody could give as missing', async () => {
      const stranger = makeIdNumber('110105', '1970-01-01', 997);
      const r = (
        await ask({ idNumber: stranger, source: 'card-reader', proofTypes: ['marital-status', 'household'] })
      ).json();
      assert.equal(r.proofs.household.found, false, 'not in the local library');
      assert.equal(r.proofs['marital-status'].found, false);
      const late = r.providers.find((p: { name: string }) => p.name === 'isolated-zone-relay');
      assert.equal(late.status, 'late');
    });

    it('ignores proofs a provider answers but is not registered for', async () => {
      t.ctx.datahub.proofs.register({
        name: 'impostor',
        proofTypes: ['pharmacist-exam'],
        fetch: async () =>
          ({
            household: { found: true, data: { name: '冒名' } },
            'pharmacist-exam': { found: false },
          }) as never,
      });
      const stranger = makeIdNumber('110105', '1970-01-01', 996);
      const res = await ask({
        idNumber: stranger,
        source: 'card-reader',
        proofTypes: ['household', 'pharmacist-exam'],
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.proofs.household.found, false, 'not in the local library, whatever the impostor says');
      assert.equal(r.proofs.household.provider, 'local-libraries');
      const impostor = r.providers.find((p: { name: string }) => p.name === 'impostor');
      assert.equal(impostor.status, 'ok');
    });

    it('a malformed answer fails only that provider: the others still answer, with 200', async () => {
      const answers: Record<string, unknown> = {
        'null-record': { household: null },
        'not-an-object': 'oops',
        'found-not-boolean': { household: { found: 'yes', data: {} } },
        'data-an-array': { household: { found: true, data: ['x'] } },
      };
      for (const [name, answer] of Object.entries(answers))
        t.ctx.datahub.proofs.register({
          name,
          proofTypes: ['household'],
          fetch: async () => answer as never,
        });
      const res = await ask({
        idNumber: DEMO_CITIZEN_ID_NUMBER,
        source: 'card-reader',
        proofTypes: ['household', 'pharmacist-exam'],
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.equal(r.proofs.household.found, true);
      assert.equal(r.proofs.household.provider, 'local-libraries');
      const byName = Object.fromEntries(
        r.providers.map((p: { name: string; status: string; error?: string }) => [p.name, p]),
      );
      assert.equal(byName['local-libraries'].status, 'ok');
      assert.equal(byName['provincial-hr'].status, 'ok');
      for (const name of Object.keys(answers)) {
        assert.equal(byName[name].status, 'failed', name);
        assert.match(byName[name].error, /malformed answer/, name);
      }
    });
  },
  { env: { PROOF_PROVIDER_TIMEOUT_MS: '300' } },
);
