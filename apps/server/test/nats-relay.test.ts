import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { connect, type NatsConnection } from 'nats';
import { NatsProofProvider, serveProofsOverNats } from '../src/modules/datahub/nats-relay';
import { LocalLibraryProvider } from '../src/modules/datahub/proof-providers';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import { askProofs } from './support/card-reads';
import { describeEachDialect, type TestApp } from './support/harness';

const NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

// Against the NATS server running on the machine (CI machines run one on 127.0.0.1:4222).
describeEachDialect(
  'proof relay over NATS request/reply',
  (get) => {
    let t: TestApp;
    let hub: NatsConnection;
    let zone: NatsConnection;
    const subject = `govflow.test.proofs.${process.pid}.${Math.random().toString(36).slice(2)}`;
    before(async () => {
      t = get();
      await seedDatahub(t.ctx, 100, 9);
      hub = await connect({ servers: NATS_URL });
      zone = await connect({ servers: NATS_URL });
      // The front-end processor in the isolated zone answers from its own libraries.
      serveProofsOverNats(zone, subject, new LocalLibraryProvider(t.ctx.db));
      t.ctx.datahub.proofs.register(
        new NatsProofProvider('isolated-zone', hub, subject, ['social-security', 'life-status'], 1000),
      );
      t.ctx.datahub.proofs.register(
        new NatsProofProvider('nobody-home', hub, `${subject}.unanswered`, ['life-status'], 1000),
      );
    });
    after(async () => {
      await hub?.close();
      await zone?.close();
    });

    it('fetches proofs through the relay and marks a subject with no processor as failed', async () => {
      const cookie = await t.login('zhangwei');
      const res = await askProofs(t, cookie, DEMO_CITIZEN_ID_NUMBER, ['social-security', 'life-status']);
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      const status = Object.fromEntries(
        r.providers.map((p: { name: string; status: string }) => [p.name, p.status]),
      );
      assert.equal(status['isolated-zone'], 'ok');
      assert.equal(status['nobody-home'], 'failed');
      assert.equal(r.proofs['life-status'].data.alive, true);
    });
  },
  { env: { PROOF_PROVIDER_TIMEOUT_MS: '2000' } },
);
