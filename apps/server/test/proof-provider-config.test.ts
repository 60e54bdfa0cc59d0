import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkIdNumber } from '@govflow/shared';
import { connect, type NatsConnection } from 'nats';
import { ConfigError, loadConfig } from '../src/config';
import { serveProofsOverNats } from '../src/modules/datahub/nats-relay';
import { LocalLibraryProvider } from '../src/modules/datahub/proof-providers';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import {
  askProofs,
  type IssuedRead,
  queryProofs,
  readCard,
  sessionCaller,
  windowPosts,
} from './support/card-reads';
import { auditEntries, createTestApp, type TestApp, testDialects } from './support/harness';
import { startProofServer } from './support/proof-server';

const NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** The provincial HR system: answers every proof it is asked for over the JSON contract. */
function provincialHr() {
  return startProofServer((idNumber, proofTypes) =>
    Object.fromEntries(proofTypes.map((t) => [t, { found: true, data: { idNumber, from: '省人社厅' } }])),
  );
}

for (const dialect of testDialects()) {
  describe(`proof providers configured from the environment [${dialect}]`, () => {
    let t: TestApp;
    let hr: Awaited<ReturnType<typeof provincialHr>>;
    let zone: NatsConnection;
    let cookie: string;
    const subject = `govflow.test.configured.${process.pid}.${Math.random().toString(36).slice(2)}`;

    before(async () => {
      hr = await provincialHr();
      t = await createTestApp(dialect, {
        env: {
          PROOF_HTTP_PROVIDERS: JSON.stringify([
            { name: '省人社厅', url: hr.url, proofTypes: ['social-security'] },
          ]),
          NATS_URL,
          PROOF_NATS_PROVIDERS: JSON.stringify([
            { name: '涉密网前置机', subject, proofTypes: ['disability'] },
          ]),
        },
      });
      await seedDatahub(t.ctx, 100, 7);
      zone = await connect({ servers: NATS_URL });
      serveProofsOverNats(zone, subject, new LocalLibraryProvider(t.ctx.db));
      cookie = await t.login('zhangwei');
    });
    after(async () => {
      await t?.close();
      hr?.close();
      await zone?.close();
    });

    const ask = (idNumber: string, proofTypes: string[]) => askProofs(t, cookie, idNumber, proofTypes);

    it('asks the HTTP provider and the NATS relay named in the environment', async () => {
      // The relay connects in the background at start; give it a moment on a slow machine.
      let r: { providers: { name: string; status: string }[]; proofs: Record<string, { provider: string }> };
      for (let i = 0; ; i++) {
        const res = await ask(DEMO_CITIZEN_ID_NUMBER, ['social-security', 'disability', 'household']);
        assert.equal(res.statusCode, 200, res.body);
        r = res.json();
        if (r.providers.every((p) => p.status === 'ok') || i === 50) break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      const status = Object.fromEntries(r.providers.map((p) => [p.name, p.status]));
      assert.deepEqual(status, { 'local-libraries': 'ok', 省人社厅: 'ok', 涉密网前置机: 'ok' });
    });

    it('reads cards from the demo’s simulated reader, each a valid number, 李明 first', async () => {
      const [post] = await windowPosts(t, cookie);
      const before = (await auditEntries(t, 'card-read.read')).length;
      const reads: IssuedRead[] = [];
      for (let i = 0; i < 4; i++) reads.push(await readCard(t, cookie, { postId: post.id }));
      assert.equal(reads[0].name, '李明');
      assert.equal(
        reads[0].idNumberMasked,
        `${DEMO_CITIZEN_ID_NUMBER.slice(0, 6)}********${DEMO_CITIZEN_ID_NUMBER.slice(14)}`,
      );
      const audited = (await auditEntries(t, 'card-read.read')).map((e) => JSON.parse(e.detail).idNumber);
      assert.equal(audited.length, before + 4, 'every read is in the audit trail');
      assert.ok(
        audited.every((n: string) => /^\d{6}\*{8}\d{3}[\dX]$/.test(n)),
        'with the number masked',
      );
      assert.equal(new Set(reads.map((r) => r.token)).size, 4, 'each read its own token');
      // The rota shows different people; the numbers stay on the server, valid ones.
      const caller = await sessionCaller(t, cookie);
      const numbers = [];
      for (const r of reads) {
        const use = {
          token: r.token,
          postId: post.id,
          purpose: 'test',
          permission: 'datahub:proof-query',
        } as const;
        numbers.push((await t.ctx.cardReads.consume(caller, use)).idNumber);
      }
      assert.equal(new Set(numbers).size, 4, 'the rota shows different people');
      for (const n of numbers) assert.ok(checkIdNumber(n).ok);
      const deceased = await queryProofs(t, cookie, await readCard(t, cookie, { idNumber: numbers[1] }), [
        'life-status',
      ]);
      assert.equal(
        deceased.json().proofs['life-status'].data.alive,
        false,
        'the second card is a deceased person',
      );

      const types = await t.inject({
        method: 'GET',
        url: '/api/v1/datahub/proof-types',
        headers: { cookie },
      });
      assert.ok(types.json().items.some((p: { type: string; title: string }) => p.title === '户籍证明'));
      const citizen = await t.login('citizen');
      const refused = await t.inject({
        method: 'POST',
        url: '/api/v1/datahub/card-reader/read',
        headers: { cookie: citizen },
      });
      assert.equal(refused.statusCode, 403);
    });
  });
}

describe('proof provider configuration errors', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ NODE_ENV: 'test', ...env });
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems.join('\n');
    }
    assert.fail('the configuration was accepted');
  };

  it('refuses bad JSON, unknown proof types, non-HTTP URLs, and a relay without NATS', () => {
    assert.match(problems({ PROOF_HTTP_PROVIDERS: '[{"name":' }), /PROOF_HTTP_PROVIDERS：不是有效的 JSON/);
    assert.match(
      problems({
        PROOF_HTTP_PROVIDERS: JSON.stringify([{ name: 'x', url: 'http://h/p', proofTypes: ['tax-record'] }]),
      }),
      /PROOF_HTTP_PROVIDERS\.0\.proofTypes\.0/,
    );
    assert.match(
      problems({
        PROOF_HTTP_PROVIDERS: JSON.stringify([
          { name: 'x', url: 'file:///etc/passwd', proofTypes: ['household'] },
        ]),
      }),
      /PROOF_HTTP_PROVIDERS\.0\.url/,
    );
    assert.match(
      problems({
        PROOF_NATS_PROVIDERS: JSON.stringify([{ name: 'z', subject: 'a.b', proofTypes: ['household'] }]),
      }),
      /还须设置 NATS_URL/,
    );
    assert.match(problems({ NATS_URL: 'localhost:4222' }), /NATS_URL/);
    assert.match(
      problems({
        NODE_ENV: 'production',
        PROOF_HTTP_PROVIDERS: JSON.stringify([
          { name: '省人社厅', url: 'http://10.1.2.3/p', proofTypes: ['household'] },
        ]),
      }),
      /省人社厅 在生产环境须使用 https:\/\//,
    );
  });

  it('refuses to serve cards without the demo', async () => {
    const t = await createTestApp('sqlite', { env: { SEED_DEMO: 'false' } });
    try {
      const cookie = await t.login('zhangwei');
      const res = await t.inject({
        method: 'POST',
        url: '/api/v1/datahub/card-reader/read',
        headers: { cookie },
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, 'NO_CARD_READER');
    } finally {
      await t.close();
    }
  });
});
