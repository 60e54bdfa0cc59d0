import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import ExcelJS from 'exceljs';
import { AUDIT_ACTIONS, auditActionName } from '../src/platform/audit/actions';
import { exportAuditTrail } from '../src/platform/audit/export';
import { readableEntries } from '../src/platform/audit/read';
import type { AuditEntryRow } from '../src/platform/audit/tables';
import { entryHash, GENESIS_HASH } from '../src/platform/audit/trail';
import { AppError } from '../src/platform/http/errors';
import { uuidv7 } from '../src/platform/ids';
import { auditEntries, describeEachDialect, type TestApp, userIdOf } from './support/harness';

const serverSrc = path.resolve(import.meta.dirname, '../src');

interface ReadableEntry {
  seq: number;
  action: string;
  actionName: string;
  actorId: string | null;
  actorName: string | null;
  actorDisplayName: string | null;
  targetType: string | null;
  targetTypeName: string | null;
  targetId: string | null;
  targetName: string | null;
  targetMissing: boolean;
  outcome: string;
  outcomeName: string;
  summary: string;
  detail: Record<string, unknown>;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/**
 * Every audit action the server code can write, read from the source: literals after `action:` or
 * `action =`, both arms of a ternary there, literals passed where an action is expected, and the
 * templates (`catalog.item-${action}`) as patterns.
 */
function actionsInSource(): { literals: Map<string, string>; templates: Map<string, string> } {
  const literals = new Map<string, string>();
  const templates = new Map<string, string>();
  const code = /^'([a-z][a-z-]*\.[a-z][a-z0-9+-]*)'$/;
  for (const file of sourceFiles(serverSrc)) {
    if (file.includes(`${path.sep}migrations${path.sep}`)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const where = path.relative(serverSrc, file);
    for (const m of text.matchAll(/\baction\s*[:=]\s*`([^`]+)`/g)) {
      // `catalog.${relation === 'split-from' ? 'split' : 'merge'}`: both arms are whole codes.
      const arms = /^([^$]*)\$\{[^}]*\?\s*'([^']+)'\s*:\s*'([^']+)'\s*\}([^$]*)$/.exec(m[1]);
      if (arms) for (const arm of [arms[2], arms[3]]) literals.set(arms[1] + arm + arms[4], where);
      else templates.set(m[1], where);
    }
    for (const m of text.matchAll(/\baction\s*[:=]\s*([^,;\n}]+)/g)) {
      const expr = m[1].trim();
      for (const lit of expr.matchAll(/'[^']*'/g))
        if (code.test(lit[0])) literals.set(lit[0].slice(1, -1), where);
    }
    // In files that write the trail: literals handed to helpers that take the action as an argument
    // (moveVersion, securityReset, recordFailure).
    if (!/\.append(Alone)?\(/.test(text)) continue;
    for (const m of text.matchAll(
      /'((?:auth|user|role|org|person|legal-person|catalog|datahub|card-read|audit|permission)\.[a-z][a-z0-9-]*)'/g,
    ))
      literals.set(m[1], where);
  }
  return { literals, templates };
}

describeEachDialect('a readable audit trail', (get) => {
  let auditor: string;
  const list = async (query: string): Promise<{ items: ReadableEntry[]; total: number }> => {
    const t = get();
    auditor ??= await t.login('auditor');
    const res = await t.inject({
      method: 'GET',
      url: `/api/v1/audit?${query}`,
      headers: { cookie: auditor },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  it('names every action the code writes, in Chinese, and every outcome', () => {
    const { literals, templates } = actionsInSource();
    assert.ok(literals.size > 40, `found only ${literals.size} action literals: the walk is broken`);
    for (const [action, file] of literals)
      assert.ok(action in AUDIT_ACTIONS, `${file} writes audit action ${action}, which has no Chinese name`);
    assert.ok(templates.size >= 2, 'the templates in catalog/service.ts were not found');
    for (const [tpl, file] of templates) {
      const pattern = new RegExp(`^${tpl.replace(/[.+]/g, '\\$&').replace(/\$\{[^}]+\}/g, '[a-z-]+')}$`);
      assert.ok(
        Object.keys(AUDIT_ACTIONS).some((a) => pattern.test(a)),
        `${file} writes actions \`${tpl}\`, none of which has a Chinese name`,
      );
    }
    for (const [action, spec] of Object.entries(AUDIT_ACTIONS))
      assert.match(spec.name, /^[\u4e00-\u9fff（）、·]+$/, `${action}: ${spec.name}`);
    assert.equal(auditActionName('auth.login'), '登录');
    assert.match(auditActionName('no.such-action'), /未登记的操作.*no\.such-action/);
  });

  it('names every type of target the code writes, and labels every detail field it stored in Chinese', async () => {
    const t = get();
    const registered = new Set(t.ctx.audit.names.targetTypes().map((x) => x.type));
    for (const file of sourceFiles(serverSrc)) {
      const text = fs.readFileSync(file, 'utf8');
      if (!/\.append(Alone)?\(/.test(text)) continue;
      for (const m of text.matchAll(/target:[^{\n]*\{\s*type:\s*'([^']+)'/g))
        assert.ok(
          registered.has(m[1]),
          `${path.relative(serverSrc, file)} targets ${m[1]}, which nothing names`,
        );
    }
    // Every entry the demo city and these tests wrote reads in Chinese.
    await t.login('zhangwei');
    const rows = await t.ctx.db.selectFrom('audit_entries').selectAll().execute();
    const readable = await readableEntries(rows, t.ctx.audit.names);
    const labels = new Set(
      readable.flatMap((e) => e.summary.split(/[；（，]/).map((part) => part.split('：')[0])).filter(Boolean),
    );
    for (const label of labels)
      assert.match(label, /^[\u4e00-\u9fff]/, `a detail field without a label: ${label}`);
    assert.ok(labels.size > 20, [...labels].join(' '));
  });

  it('answers each entry with the Chinese action, the actor, the target by name and a readable summary', async () => {
    const t = get();
    const orgs = await t.ctx.db.selectFrom('orgs').select(['id', 'name', 'parent_id']).execute();
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const created = await list('action=org.create&pageSize=200');
    assert.ok(created.items.length >= 5, 'the demo city creates its orgs');
    for (const e of created.items) {
      assert.equal(e.actionName, '创建机构');
      assert.equal(e.outcomeName, '成功');
      assert.equal(e.targetTypeName, '机构');
      assert.equal(e.targetName, orgName.get(e.targetId ?? ''), `target of #${e.seq}`);
      assert.equal(e.targetMissing, false);
      assert.match(e.summary, new RegExp(`名称：${orgName.get(e.targetId ?? '')}`));
    }
    // A child org's summary names its parent instead of the parent's id.
    const child = created.items.find((e) => orgs.find((o) => o.id === e.targetId)?.parent_id);
    const parentId = orgs.find((o) => o.id === child?.targetId)?.parent_id ?? '';
    assert.match(child?.summary ?? '', new RegExp(`上级机构：${orgName.get(parentId)}`));
    assert.doesNotMatch(child?.summary ?? '', new RegExp(parentId));

    await t.login('zhangwei');
    const zhangwei = await t.ctx.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('username', '=', 'zhangwei')
      .executeTakeFirstOrThrow();
    const [login] = (await list('action=auth.login&actor=zhangwei&pageSize=1')).items;
    assert.equal(login.actionName, '登录');
    assert.equal(login.actorDisplayName, zhangwei.display_name);
    assert.equal(login.targetName, zhangwei.display_name);
    assert.equal(login.summary, '说明：密码登录');
    // The actor filter also takes the person's name.
    const byName = await list(
      `action=auth.login&actor=${encodeURIComponent(zhangwei.display_name)}&pageSize=1`,
    );
    assert.equal(byName.items[0]?.seq, login.seq);

    // The demo seed wrote the orgs: a program, named as what it is, not by its English name.
    assert.equal(created.items[0].actorId, null);
    assert.equal(created.items[0].actorDisplayName, '演示数据导入');
    // A name typed at a failed login is no program: it stays as typed, with no display name.
    const failed = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'demo-seed', password: 'Wrong#Pass2026' },
    });
    assert.equal(failed.statusCode, 401);
    const [typed] = (await list('action=auth.login&outcome=failure&pageSize=1')).items;
    assert.equal(typed.actorDisplayName, null, JSON.stringify(typed));
    // The command line and a registered application are programs too, whatever else they add.
    await t.ctx.audit.appendAlone({
      actor: { id: null, name: 'govflow-cli import-items' },
      action: 'catalog.item-create',
    });
    await t.ctx.audit.appendAlone({
      actor: { id: null, name: 'app:窗口系统' },
      ip: '10.0.0.5',
      action: 'datahub.access-request',
    });
    const programs = (await list('pageSize=5')).items.map((e) => e.actorDisplayName);
    assert.ok(programs.includes('命令行工具'), JSON.stringify(programs));
    assert.ok(programs.includes('接入应用“窗口系统”'), JSON.stringify(programs));
    // A query's filter reads as a time range, not as a change's old value.
    await list(`outcome=denied&from=${encodeURIComponent('2026-03-01T16:00:00.000Z')}`);
    const queries = (await list('action=audit.query&pageSize=3')).items;
    const ranged = queries.find((q) => q.summary.includes('结果：拒绝'));
    assert.match(ranged?.summary ?? '', /起始时间：2026-03-02 00:00:00/, JSON.stringify(queries));
    assert.doesNotMatch(ranged?.summary ?? '', /原值|新值/);
  });

  it('says when the target no longer exists, and renders times in Beijing time with PII still masked', async () => {
    const t = get();
    await t.ctx.audit.appendAlone({
      actor: null,
      action: 'auth.account-locked',
      target: { type: 'user', id: 'no-such-user-id' },
      detail: { scope: 'account', failures: 20, lockedUntil: '2026-03-01T16:30:00.000Z' },
    });
    const [locked] = (await list('action=auth.account-locked&pageSize=1')).items;
    assert.equal(locked.targetMissing, true);
    assert.equal(locked.targetName, '（已不存在）');
    assert.match(locked.summary, /锁定范围：账号/);
    assert.match(locked.summary, /锁定至：2026-03-02 00:30:00/);
    assert.deepEqual(locked.detail.lockedUntil, '2026-03-01T16:30:00.000Z', 'the raw detail is kept');

    const [register] = (await list('action=person.register&pageSize=1')).items;
    assert.ok(register, 'the demo city registers its citizen');
    assert.match(register.summary, /身份证号：\d{6}\*{8}\d{3}[\dX]/);
    assert.doesNotMatch(register.summary, /\d{17}[\dX]/);
  });

  it('filters by target and by Chinese-named outcome, and looks names up once per type for a page', async () => {
    const t = get();
    const zhangweiId = await userIdOf(t, 'zhangwei');
    const trail = await list(`targetType=user&targetId=${zhangweiId}&pageSize=200`);
    assert.ok(trail.total >= 2, 'created and logged in at least');
    assert.ok(trail.items.every((e) => e.targetId === zhangweiId && e.targetType === 'user'));
    const denied = await list('outcome=denied&pageSize=5');
    assert.ok(denied.items.every((e) => e.outcomeName === '拒绝'));

    const names = t.ctx.audit.names;
    const calls: Record<string, number> = {};
    const restore = names.spy((type) => {
      calls[type] = (calls[type] ?? 0) + 1;
    });
    try {
      const page = await list('pageSize=200');
      const types = new Set(page.items.map((e) => e.targetType).filter(Boolean));
      assert.ok(types.size >= 3, `a page of many kinds: ${[...types]}`);
      for (const [type, n] of Object.entries(calls)) assert.equal(n, 1, `${type} looked up ${n} times`);
    } finally {
      restore();
    }
  });

  it('exports the filtered trail as a spreadsheet with Chinese columns, audited, for the auditor only', async () => {
    const t = get();
    const zhangwei = await t.ctx.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('username', '=', 'zhangwei')
      .executeTakeFirstOrThrow();
    const expected = (await auditEntries(t, 'user.create')).length;
    const res = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/export.xlsx?action=user.create',
      headers: { cookie: auditor },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename=.*\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('审计日志');
    assert.ok(ws, 'a sheet named 审计日志');
    const rows: string[][] = [];
    ws.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => {
        cells[col - 1] = c.value === null || c.value === undefined ? '' : String(c.value);
      });
      rows.push(cells);
    });
    const [header, ...body] = rows;
    assert.deepEqual(header.slice(0, 9), [
      '序号',
      '时间（北京时间）',
      '操作人',
      '操作',
      '对象类型',
      '对象',
      '结果',
      '摘要',
      'IP',
    ]);
    const col = (name: string) => header.indexOf(name);
    assert.equal(body.length, expected, 'exactly the filtered entries');
    assert.ok(
      body.every((r) => r[col('操作')] === '创建账号'),
      'the filter applied',
    );
    const created = (await auditEntries(t, 'user.create')).find((e) => e.target_id === zhangwei.id);
    const row = body.find((r) => r[col('序号')] === String(created?.seq));
    assert.ok(row, 'the row for zhangwei');
    assert.equal(row[col('对象')], zhangwei.display_name);
    assert.equal(row[col('结果')], '成功');
    assert.match(row[col('时间（北京时间）')], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const [exported] = await auditEntries(t, 'audit.export');
    assert.ok(exported, 'the export is audited');
    assert.equal(JSON.parse(exported.detail).rows, expected);
    assert.equal(JSON.parse(exported.detail).filters.action, 'user.create');

    const sysadmin = await t.login('sysadmin');
    const refused = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/export.xlsx',
      headers: { cookie: sysadmin },
    });
    assert.equal(refused.statusCode, 403);
  });

  it('refuses an export over the cap with a message saying how to narrow it', async () => {
    const t = get();
    await assert.rejects(
      exportAuditTrail(t.ctx, { action: 'user.' }, { maxRows: 3 }),
      (err: unknown) =>
        err instanceof AppError &&
        err.code === 'EXPORT_TOO_LARGE' &&
        /超过.*3.*条/.test(err.message) &&
        /缩小/.test(err.hint ?? ''),
    );
  });

  it("answers the chain's size, newest entry and last verification cheaply, without verifying", async () => {
    const t = get();
    auditor ??= await t.login('auditor');
    const state = async () => {
      const res = await t.inject({ method: 'GET', url: '/api/v1/audit/chain', headers: { cookie: auditor } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const before = await t.ctx.audit.count();
    const first = await state();
    assert.equal(first.size, before);
    assert.equal(first.newest.seq, before);
    assert.ok(first.newest.actionName, 'the newest entry in Chinese');
    assert.equal(first.lastVerification, null, 'nobody has verified yet');
    assert.equal(first.verificationDue, true);
    assert.equal(await t.ctx.audit.count(), before, 'reading the state writes nothing, and verifies nothing');

    const verified = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: auditor },
    });
    assert.equal(verified.statusCode, 200);
    const after = await state();
    assert.deepEqual(
      {
        ok: after.lastVerification.ok,
        checked: after.lastVerification.checked,
        actorName: after.lastVerification.actorName,
        at: after.lastVerification.at,
      },
      { ok: true, checked: verified.json().checked, actorName: 'auditor', at: t.clock.now().toISOString() },
    );
    assert.ok(after.lastVerification.actorDisplayName, 'the verifier by name');
    assert.equal(after.verificationDue, false);
    assert.equal(after.size, after.newest.seq);

    t.clock.advance(25 * 3600_000);
    auditor = await t.login('auditor');
    assert.equal((await state()).verificationDue, true, 'a day without verification is due again');

    const sysadmin = await t.login('sysadmin');
    const refused = await t.inject({
      method: 'GET',
      url: '/api/v1/audit/chain',
      headers: { cookie: sysadmin },
    });
    assert.equal(refused.statusCode, 403);
  });
});

/** Appends `n` well-chained entries straight to the table (as months of traffic would leave them). */
async function appendMany(t: TestApp, n: number, actorId: string): Promise<void> {
  const head = await t.ctx.audit.head();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows: AuditEntryRow[] = [];
  for (let i = 0; i < n; i++) {
    seq++;
    const body = {
      seq,
      id: uuidv7(),
      at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
      actor_id: actorId,
      actor_name: 'zhangwei',
      action: 'user.update',
      target_type: 'user',
      target_id: actorId,
      outcome: 'success' as const,
      request_id: uuidv7(),
      client_request_id: null,
      ip: '10.0.0.1',
      // Hard to compress: the workbook (about 12 MB) is well beyond what the sockets' buffers hold
      // (4 MB at most here), so a client reading nothing makes the export wait.
      detail: JSON.stringify({ title: randomBytes(600).toString('base64') }),
    };
    const hash = entryHash(prevHash, body);
    rows.push({ ...body, prev_hash: prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += 500)
    await t.ctx.db
      .insertInto('audit_entries')
      .values(rows.slice(i, i + 500))
      .execute();
}

const ENTRIES = 20_000;
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

describeEachDialect(
  'a large audit export',
  (get) => {
    it('stops reading the trail when the client reads nothing and then goes away, one export at a time', async () => {
      const t = get();
      await appendMany(t, ENTRIES, await userIdOf(t, 'zhangwei'));
      const auditor = await t.login('auditor');
      const chunksInAll = Math.ceil((await t.ctx.audit.count()) / 1000);
      let chunks = 0;
      let req: http.ClientRequest | undefined;
      const restore = t.ctx.audit.names.spy((type) => {
        if (type === 'user') chunks++;
      });
      try {
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = t.app.server.address() as AddressInfo;
        // A client that takes the headers and then reads nothing.
        req = http.get({
          host: '127.0.0.1',
          port,
          path: '/api/v1/audit/export.xlsx',
          headers: { cookie: auditor },
        });
        req.on('error', () => {});
        const res = await new Promise<http.IncomingMessage>((resolve) => req?.on('response', resolve));
        assert.equal(res.statusCode, 200);
        res.pause();
        await settled(() => chunks, 500);
        const whilePaused = chunks;
        assert.ok(
          whilePaused < chunksInAll / 2,
          `read ${whilePaused} of ${chunksInAll} chunks for a client reading nothing`,
        );

        // A second export meanwhile is refused, in Chinese.
        const second = await t.inject({
          method: 'GET',
          url: '/api/v1/audit/export.xlsx',
          headers: { cookie: auditor },
        });
        assert.equal(second.statusCode, 429, second.body);
        assert.equal(second.json().code, 'EXPORT_IN_PROGRESS');
        assert.match(second.json().message, /正在导出/);

        req.destroy();
        await settled(() => chunks, 500);
        assert.ok(
          chunks <= whilePaused + 1,
          `read ${chunks - whilePaused} more chunks after the client went away`,
        );
        const cancelled = logLines
          .map((l) => JSON.parse(l))
          .find((l) => /audit export cancelled/.test(l.msg));
        assert.ok(cancelled, 'the log says the export was given up');
        assert.ok(
          cancelled.written < cancelled.rows,
          `${cancelled.written} of ${cancelled.rows} rows written`,
        );
      } finally {
        req?.destroy();
        restore();
      }

      // The slot is free again, and a normal download has every entry.
      const total = await t.ctx.audit.count();
      const whole = await t.inject({
        method: 'GET',
        url: '/api/v1/audit/export.xlsx',
        headers: { cookie: auditor },
      });
      assert.equal(whole.statusCode, 200, whole.body);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(whole.rawPayload as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('审计日志');
      assert.equal((ws?.rowCount ?? 0) - 1, total, 'every entry, under its header row');
      assert.equal(ws?.getRow(2).getCell(1).value, total, 'newest first');
    });

    it('gives up on a client that stays connected and takes nothing, and frees the slot', async () => {
      const t = get();
      let chunks = 0;
      const all = Math.ceil((await t.ctx.audit.count()) / 1000);
      const stuck = await exportAuditTrail(t.ctx, {}, { stallMs: 300, onChunk: (n) => (chunks = n) });
      const end = await stuck.done;
      assert.equal(end.outcome, 'cancelled');
      assert.ok(chunks < all, `read ${chunks} of ${all} chunks`);
      // One chunk (900 entries, read at once) stuck in the zip: giving up does not wait for it forever.
      let oneChunk = 0;
      const last = await exportAuditTrail(
        t.ctx,
        { from: '2025-01-01T05:18:20Z', to: '2025-01-01T06:00:00Z' },
        { stallMs: 300, onChunk: (n) => (oneChunk = n) },
      );
      assert.equal(last.rows, 900);
      assert.equal((await last.done).outcome, 'cancelled');
      assert.equal(oneChunk, 1);
      const next = await exportAuditTrail(t.ctx, { action: 'user.create' });
      const body: Buffer[] = [];
      for await (const part of next.stream) body.push(part as Buffer);
      assert.equal((await next.done).outcome, 'finished');
      assert.ok(Buffer.concat(body).length > 1000);
    });
  },
  { logStream },
);

/** Waits until `value()` has not changed for `quietMs`. */
async function settled(value: () => number, quietMs: number): Promise<void> {
  let last = value();
  for (;;) {
    await new Promise((r) => setTimeout(r, quietMs));
    if (value() === last) return;
    last = value();
  }
}
