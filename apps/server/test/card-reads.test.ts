import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { makeIdNumber } from '@govflow/shared';
import { sm3 } from '../src/platform/crypto/hash';
import { seedDatahub } from '../src/seed/datahub';
import { DEMO_CITIZEN_ID_NUMBER } from '../src/seed/demo-city';
import {
  type IssuedRead,
  queryProofs,
  readCard,
  readCardResponse,
  sessionCaller,
  windowPosts,
} from './support/card-reads';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

const MASKED = `${DEMO_CITIZEN_ID_NUMBER.slice(0, 6)}********${DEMO_CITIZEN_ID_NUMBER.slice(14)}`;

describeEachDialect('card reads at a window: single-use tokens bound to the session and the post', (get) => {
  let t: TestApp;
  let cookie: string;
  let posts: IssuedRead['post'][];
  before(async () => {
    t = get();
    await seedDatahub(t.ctx, 100, 3);
    cookie = await t.login('zhangwei');
    posts = await windowPosts(t, cookie);
  });

  it('lists only the clerk’s posts at a window: zhangwei has two windows, not his department post', async () => {
    assert.deepEqual(posts.map((p) => p.orgName).sort(), ['综合受理窗口1', '综合受理窗口2']);
    const me = (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    assert.equal(me.posts.length, 3);
  });

  it('refuses a query with a raw ID number, whatever its source says', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/datahub/proof-queries',
      headers: { cookie },
      payload: { idNumber: DEMO_CITIZEN_ID_NUMBER, source: 'card-reader', proofTypes: ['household'] },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'CARD_READ_REQUIRED');
    assert.match(res.json().message, /读卡/);
    assert.equal((await auditEntries(t, 'datahub.proof-query')).length, 0, 'nothing was asked');
  });

  it('a read gives a token and the masked number; the browser never gets the full number', async () => {
    const res = await readCardResponse(t, cookie, { postId: posts[0].id });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!res.body.includes(DEMO_CITIZEN_ID_NUMBER), `no full number in ${res.body}`);
    const read: IssuedRead = res.json();
    assert.equal(read.name, '李明', 'the demo reader gives 李明 first');
    assert.equal(read.idNumberMasked, MASKED);
    assert.equal(read.post.id, posts[0].id);
    assert.equal(read.expiresAt, new Date(t.clock.now().getTime() + 5 * 60_000).toISOString());
    assert.ok(read.token.length >= 40);

    const row = await t.ctx.db
      .selectFrom('card_reads')
      .selectAll()
      .where('token_hash', '=', sm3(read.token))
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    assert.ok(!stored.includes(read.token), 'the token is kept only as its hash');
    assert.ok(!stored.includes(DEMO_CITIZEN_ID_NUMBER), 'the number is kept only sealed');
    assert.ok(row.id_number_sealed?.startsWith('sm4ctr:v1:'));
    assert.equal(row.post_id, posts[0].id);
    const [entry] = await auditEntries(t, 'card-read.read');
    assert.equal(entry.actor_name, 'zhangwei');
    assert.equal(JSON.parse(entry.detail).idNumber, MASKED);
    assert.ok(!entry.detail.includes(DEMO_CITIZEN_ID_NUMBER));

    const answer = await queryProofs(t, cookie, read, ['household']);
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.json().proofs.household.data.name, '李明', 'the read’s person was asked about');
    assert.ok(!answer.body.includes(DEMO_CITIZEN_ID_NUMBER));
    const [used] = await auditEntries(t, 'card-read.consume');
    assert.equal(JSON.parse(used.detail).idNumber, MASKED);
    assert.equal(JSON.parse(used.detail).purpose, 'datahub.proof-query');
    const after = await t.ctx.db
      .selectFrom('card_reads')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.consumed_for, 'datahub.proof-query');
    assert.equal(after.id_number_sealed, null, 'a used read keeps no number');

    const again = await queryProofs(t, cookie, read, ['household']);
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().code, 'CARD_READ_USED');
  });

  it('refuses another session’s, another post’s, an expired and an unknown token, each with its own code', async () => {
    const idNumber = makeIdNumber('210102', '1980-05-05', 123);
    const read = await readCard(t, cookie, { idNumber, postId: posts[0].id });
    const otherSession = await t.login('zhangwei');
    const codeOf = async (who: string, r: Pick<IssuedRead, 'token' | 'post'>) => {
      const res = await queryProofs(t, who, r, ['household']);
      return `${res.statusCode} ${res.json().code}`;
    };
    assert.equal(await codeOf(otherSession, read), '403 CARD_READ_OTHER_SESSION');
    assert.equal(await codeOf(cookie, { ...read, post: posts[1] }), '403 CARD_READ_OTHER_POST');
    assert.equal(await codeOf(cookie, { token: 'x'.repeat(43), post: posts[0] }), '404 CARD_READ_NOT_FOUND');
    // The refusals did not use the read up: in its own session and post it still works.
    assert.equal((await queryProofs(t, cookie, read, ['household'])).statusCode, 200);

    const late = await readCard(t, cookie, { idNumber, postId: posts[1].id });
    t.clock.advance(5 * 60_000);
    assert.equal(await codeOf(cookie, late), '410 CARD_READ_EXPIRED');
    const row = await t.ctx.db
      .selectFrom('card_reads')
      .select(['id_number_sealed', 'consumed_at'])
      .where('token_hash', '=', sm3(late.token))
      .executeTakeFirstOrThrow();
    assert.equal(row.consumed_at, null);
    await readCard(t, cookie, { idNumber, postId: posts[0].id });
    const swept = await t.ctx.db
      .selectFrom('card_reads')
      .select('id_number_sealed')
      .where('token_hash', '=', sm3(late.token))
      .executeTakeFirstOrThrow();
    assert.equal(swept.id_number_sealed, null, 'the next read drops the numbers of expired reads');
  });

  it('a clerk with several window posts names one; a post that is not his window is refused', async () => {
    const idNumber = makeIdNumber('210102', '1980-05-05', 124);
    const codeOf = async (who: string, postId?: string) => {
      const res = await readCardResponse(t, who, { idNumber, postId });
      return `${res.statusCode} ${res.json().code}`;
    };
    assert.equal(await codeOf(cookie), '422 WINDOW_POST_REQUIRED');
    const me = (await t.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    const department = me.posts.find((p: { roleCode: string }) => p.roleCode === 'district-officer');
    assert.equal(await codeOf(cookie, department.id), '403 NOT_WINDOW_POST');
    assert.equal(await codeOf(cookie, 'no-such-post'), '403 NOT_WINDOW_POST');
    const liuyang = await t.login('liuyang');
    assert.equal(await codeOf(liuyang), '403 NOT_WINDOW_POST', 'a district officer has no window');
    assert.equal(await codeOf(liuyang, posts[0].id), '403 NOT_WINDOW_POST', 'nor may he use zhangwei’s');
    const read = await readCard(t, cookie, { idNumber, postId: posts[1].id });
    assert.equal(read.post.orgName, posts[1].orgName);
  });

  it('two requests racing with one token: exactly one wins', async () => {
    const read = await readCard(t, cookie, { postId: posts[0].id, idNumber: DEMO_CITIZEN_ID_NUMBER });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => queryProofs(t, cookie, read, ['household'])),
    );
    const codes = answers.map((r) => (r.statusCode === 200 ? 'ok' : r.json().code)).sort();
    assert.deepEqual(codes, ['CARD_READ_USED', 'CARD_READ_USED', 'CARD_READ_USED', 'ok']);

    // The same through the service, as the window intake will call it.
    const caller = await sessionCaller(t, cookie);
    const second = await readCard(t, cookie, { postId: posts[1].id, idNumber: DEMO_CITIZEN_ID_NUMBER });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        t.ctx.cardReads.consume(caller, {
          token: second.token,
          postId: posts[1].id,
          purpose: 'test.race',
          permission: 'datahub:proof-query',
        }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    assert.equal(
      (won[0] as PromiseFulfilledResult<{ idNumber: string }>).value.idNumber,
      DEMO_CITIZEN_ID_NUMBER,
    );
    for (const r of results.filter((x) => x.status === 'rejected'))
      assert.equal((r as PromiseRejectedResult).reason.code, 'CARD_READ_USED');
  });

  it('used inside another act’s transaction, a read is used only if that act commits', async () => {
    const caller = await sessionCaller(t, cookie);
    const read = await readCard(t, cookie, { postId: posts[0].id, idNumber: DEMO_CITIZEN_ID_NUMBER });
    const use = {
      token: read.token,
      postId: posts[0].id,
      purpose: 'test.intake',
      permission: 'datahub:proof-query',
    } as const;
    await assert.rejects(
      t.ctx.db.transaction().execute(async (trx) => {
        await t.ctx.cardReads.consume(caller, use, trx);
        throw new Error('the intake failed');
      }),
      /the intake failed/,
    );
    const used = await t.ctx.cardReads.consume(caller, use);
    assert.equal(used.idNumber, DEMO_CITIZEN_ID_NUMBER);
  });
});
