import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeIdNumber } from '@govflow/shared';
import { HttpProofProvider } from '../src/modules/datahub/proof-providers';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { askProofs, readCardResponse } from './support/card-reads';
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

    /** Reads the card of `idNumber` at zhangwei's first window and asks for its proofs. */
    const ask = ({ idNumber, proofTypes }: { idNumber: string; proofTypes: string[] }) =>
      askProofs(t, cookie, idNumber, proofTypes);
    const post = (payload: object, who = cookie) =>
      t.inject({ method: 'POST', url: '/api/v1/datahub/proof-queries', headers: { cookie: who }, payload });

    it('asks every relevant provider in parallel, merges, and marks a hanging one late', async () => {
      const res = await ask({
        idNumber: DEMO_CITIZEN_ID_NUMBER,
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

    it('refuses numbers sent by the browser, wrong check digits, and staff without the permission', async () => {
      // A number in the body is refused whatever it claims about its source: only a card read counts.
      for (const payload of [
        { idNumber: DEMO_CITIZEN_ID_NUMBER, source: 'manual', proofTypes: ['household'] },
        { idNumber: DEMO_CITIZEN_ID_NUMBER, source: 'card-reader', proofTypes: ['household'] },
        { idNumbers: [DEMO_CITIZEN_ID_NUMBER], source: 'card-reader', proofTypes: ['household'] },
        { idNumber: [DEMO_CITIZEN_ID_NUMBER, DEMO_CITIZEN_ID_NUMBER], proofTypes: ['household'] },
      ]) {
        const res = await post(payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.json().code, 'CARD_READ_REQUIRED');
        assert.match(res.json().message, /读卡/);
      }
      const wrong = DEMO_CITIZEN_ID_NUMBER.slice(0, 17) + (DEMO_CITIZEN_ID_NUMBER[17] === '0' ? '1' : '0');
      const bad = await ask({ idNumber: wrong, proofTypes: ['household'] }).catch((err: Error) => err);
      assert.match(String(bad), /card read: 422 .*INVALID_ID_NUMBER/, 'the read itself refuses it');
      const other = await t.login('wangfang');
      const read = await readCardResponse(t, other, { idNumber: DEMO_CITIZEN_ID_NUMBER });
      assert.equal(read.statusCode, 403, read.body);
      const query = await post(
        { cardReadToken: 'x'.repeat(43), postId: 'p', proofTypes: ['household'] },
        other,
      );
      assert.equal(query.statusCode, 403, query.body);
    });

    it('masks the number wherever a provider echoes it: the browser never sees it in full', async () => {
      const stranger = makeIdNumber('110105', '1970-01-01', 995);
      const res = await ask({ idNumber: stranger, proofTypes: ['pharmacist-exam'] });
      assert.equal(res.statusCode, 200, res.body);
      const exam = res.json().proofs['pharmacist-exam'];
      assert.equal(exam.provider, 'provincial-hr', 'only the remote system has a record');
      assert.equal(exam.data.idNumber, `${stranger.slice(0, 6)}********${stranger.slice(14)}`);
      assert.ok(!res.body.includes(stranger));
    });

    it('reports proofs that nobody could give as missing', async () => {
      const stranger = makeIdNumber('110105', '1970-01-01', 997);
      const r = (await ask({ idNumber: stranger, proofTypes: ['marital-status', 'household'] })).json();
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
