import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { GENESIS_HASH } from '../src/platform/audit/trail';
import { childEnv, createTestApp, type TestApp, testDialects } from './support/harness';

const root = path.resolve(import.meta.dirname, '../../..');

/** What an attacker with DDL rights would do: drop the guard, then edit the row. */
async function tamper(t: TestApp, seq: number, column: string, value: string | number) {
  await dropGuards(t);
  await sql`update audit_entries set ${sql.ref(column)} = ${value} where seq = ${seq}`.execute(t.ctx.db);
}

async function dropGuards(t: TestApp) {
  if (t.dialect === 'sqlite') {
    await sql`drop trigger if exists audit_entries_no_update`.execute(t.ctx.db);
    await sql`drop trigger if exists audit_entries_no_delete`.execute(t.ctx.db);
  } else {
    await sql`drop trigger if exists audit_entries_no_update_delete on audit_entries`.execute(t.ctx.db);
  }
}

function changeOneChar(s: string): string {
  const i = Math.floor(s.length / 2);
  const c = s[i] === 'a' ? 'b' : 'a';
  return s.slice(0, i) + c + s.slice(i + 1);
}

function cli(t: TestApp, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: childEnv(t.database.url),
  });
}

for (const dialect of testDialects()) {
  describe(`audit trail [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
      // Some traffic of every kind: a login, a failure, a denial, a write.
      await t.login('zhangwei');
      await t.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'zhangwei', password: 'Wrong#123x' },
      });
      const c = await t.login('wangfang');
      await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: c } });
    });
    after(() => t.close());

    it('chains every entry to the previous one with SM3', async () => {
      const rows = await t.ctx.db.selectFrom('audit_entries').selectAll().orderBy('seq').execute();
      assert.ok(rows.length > 50);
      assert.equal(rows[0].prev_hash, GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) {
        assert.equal(rows[i].seq, rows[i - 1].seq + 1);
        assert.equal(rows[i].prev_hash, rows[i - 1].hash);
        assert.match(rows[i].hash, /^[0-9a-f]{64}$/);
      }
      const v = await t.ctx.audit.verify();
      assert.deepEqual(v, { ok: true, checked: rows.length, firstBroken: null, broken: [], brokenCount: 0 });
    });

    it('records logins, failures, denials and writes with actor, target, request id and outcome', async () => {
      const rows = await t.ctx.db.selectFrom('audit_entries').selectAll().execute();
      const has = (action: string, outcome: string) =>
        rows.some((r) => r.action === action && r.outcome === outcome);
      assert.ok(has('auth.login', 'success'));
      assert.ok(has('auth.login', 'failure'));
      assert.ok(has('permission.denied', 'denied'));
      assert.ok(has('user.create', 'success'));
      const denial = rows.find((r) => r.action === 'permission.denied');
      assert.equal(denial?.actor_name, 'wangfang');
      assert.ok(denial?.request_id);
    });

    it('refuses UPDATE and DELETE in the database itself', async () => {
      await assert.rejects(
        sql`update audit_entries set action = 'x' where seq = 1`.execute(t.ctx.db),
        /append-only/,
      );
      await assert.rejects(sql`delete from audit_entries where seq = 1`.execute(t.ctx.db), /append-only/);
      if (dialect === 'postgres') {
        await assert.rejects(sql`truncate audit_entries`.execute(t.ctx.db), /append-only/);
      }
      assert.equal((await t.ctx.audit.verify()).ok, true);
    });

    it('lets only the audit administrator read and verify it through the API', async () => {
      const auditor = await t.login('auditor');
      const list = await t.inject({
        method: 'GET',
        url: '/api/v1/audit?action=auth.login&pageSize=3',
        headers: { cookie: auditor },
      });
      assert.equal(list.statusCode, 200, list.body);
      const body = list.json();
      assert.equal(body.items.length, 3);
      assert.ok(body.total >= 4, 'three logins and a failure so far');
      assert.ok(body.items.every((e: { action: string }) => e.action.startsWith('auth.login')));
      const failures = await t.inject({
        method: 'GET',
        url: '/api/v1/audit?outcome=failure',
        headers: { cookie: auditor },
      });
      assert.ok(failures.json().items.every((e: { outcome: string }) => e.outcome === 'failure'));
      const verify = await t.inject({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: { cookie: auditor },
      });
      assert.equal(verify.json().ok, true);
      for (const who of ['sysadmin', 'secadmin', 'zhangwei']) {
        const c = await t.login(who);
        assert.equal(
          (await t.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: c } })).statusCode,
          403,
          who,
        );
      }
    });

    it('the CLI verifies an intact chain with exit 0', () => {
      const r = cli(t, 'verify-audit');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /audit chain intact: \d+ entries verified/);
    });

    it('names a broken entry in Chinese, with a reason code, in the API, its own entry and the CLI', async () => {
      const auditor = await t.login('auditor');
      const original = await t.ctx.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      await tamper(t, 3, 'detail', '{"x":1}');
      const res = await t.inject({
        method: 'GET',
        url: '/api/v1/audit/verify',
        headers: { cookie: auditor },
      });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.ok, false);
      assert.equal(body.firstBroken.seq, 3);
      assert.equal(body.firstBroken.code, 'HASH_MISMATCH');
      assert.match(body.firstBroken.reason, /^序号 3 的记录/);
      assert.doesNotMatch(body.firstBroken.reason, /[A-Za-z]{3,}/, 'no English in the reason');
      // The verification's own entry keeps the same Chinese reason.
      const [stored] = await t.ctx.db
        .selectFrom('audit_entries')
        .select(['detail', 'outcome'])
        .where('action', '=', 'audit.verify')
        .orderBy('seq', 'desc')
        .limit(1)
        .execute();
      assert.equal(stored.outcome, 'failure');
      assert.equal(JSON.parse(stored.detail).firstBroken.reason, body.firstBroken.reason);

      const r = cli(t, 'verify-audit');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /审计哈希链断裂.*序号 3 的记录/);
      assert.match(r.stderr, /HASH_MISMATCH/, 'the code for the operator to search for');

      // A changed hash breaks the entry itself and the link of the next one.
      await sql`update audit_entries set detail = ${original.detail}, hash = ${changeOneChar(original.hash)} where seq = 3`.execute(
        t.ctx.db,
      );
      const v = await t.ctx.audit.verify();
      assert.deepEqual(
        v.broken.map((b) => [b.seq, b.code]),
        [
          [3, 'HASH_MISMATCH'],
          [4, 'PREV_HASH_MISMATCH'],
        ],
      );
      assert.match(v.broken[1].reason, /^序号 4 的记录.*序号 3/);
      await sql`update audit_entries set hash = ${original.hash} where seq = 3`.execute(t.ctx.db);
      assert.equal((await t.ctx.audit.verify()).ok, true, 'restored');
    });

    // Last: it breaks the chain for good.
    it('detects one changed byte in any field, and the CLI names the entry', async () => {
      const target = await t.ctx.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('action', '=', 'permission.denied')
        .executeTakeFirstOrThrow();
      const fields: [string, string | number][] = [
        ['detail', changeOneChar(target.detail)],
        ['action', changeOneChar(target.action)],
        ['actor_name', changeOneChar(target.actor_name ?? 'x')],
        ['outcome', 'success'],
        ['request_id', changeOneChar(target.request_id ?? 'x')],
        ['client_request_id', changeOneChar(target.client_request_id ?? 'forged-client-id')],
        ['hash', changeOneChar(target.hash)],
        ['at', new Date(new Date(target.at).getTime() + 1000).toISOString()],
      ];
      for (const [column, value] of fields) {
        await tamper(t, target.seq, column, value);
        const v = await t.ctx.audit.verify();
        assert.equal(v.ok, false, `changing ${column} must break the chain`);
        assert.equal(v.firstBroken?.seq, target.seq, `changing ${column} is reported at the changed entry`);
        await sql`update audit_entries set ${sql.ref(column)} = ${target[column as keyof typeof target]} where seq = ${target.seq}`.execute(
          t.ctx.db,
        );
        assert.equal((await t.ctx.audit.verify()).ok, true, `restoring ${column} mends it`);
      }
      // Deleting an entry leaves a gap that is named too.
      await sql`delete from audit_entries where seq = ${target.seq}`.execute(t.ctx.db);
      const gap = (await t.ctx.audit.verify()).firstBroken;
      assert.equal(gap?.seq, target.seq + 1);
      assert.equal(gap?.code, 'SEQUENCE_GAP');
      assert.match(
        gap?.reason ?? '',
        new RegExp(`^序号 ${target.seq + 1} 的记录之前缺少序号 ${target.seq} 的记录`),
      );

      const r = cli(t, 'verify-audit');
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`审计哈希链断裂：序号 ${target.seq + 1} 的记录`));
    });
  });
}
