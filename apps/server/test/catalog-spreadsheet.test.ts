import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { loadContent } from '../src/modules/catalog/repository';
import { exportItems, importItems, XLSX_MIME } from '../src/modules/catalog/spreadsheet';
import { systemCaller } from '../src/platform/http/caller';
import { englishWords } from './support/english';
import { auditEntries, childEnv, createTestApp, type TestApp, testDialects } from './support/harness';
import { hugeCellWorkbook, manyRowsWorkbook, understated, zipArchive } from './support/xlsx-bombs';

const root = path.resolve(import.meta.dirname, '../../..');
const PHARMACIST = '执业药师首次注册';
const CHILD_SHEETS = ['情形', '材料', '条件', '收费', '常见问题'];

async function contentByName(t: TestApp, name: string) {
  const item = await t.ctx.db
    .selectFrom('catalog_items')
    .innerJoin('catalog_versions', 'catalog_versions.id', 'catalog_items.current_version_id')
    .select('catalog_versions.id')
    .where('catalog_versions.name', '=', name)
    .where('catalog_items.status', '=', 'published')
    .executeTakeFirstOrThrow();
  return loadContent(t.ctx.db, await t.ctx.catalog.versionRow(item.id));
}

const count = async (t: TestApp, table: 'catalog_items' | 'catalog_versions' | 'catalog_materials') =>
  Number(
    (
      await t.ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The first `n` items of an exported workbook with their child rows, as rows of cell texts per sheet. */
async function firstItems(buffer: Buffer, n: number) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rowsOf = (name: string) => {
    const out: string[][] = [];
    wb.getWorksheet(name)?.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (c, col) => {
        cells[col - 1] = c.value === null || c.value === undefined ? '' : String(c.value);
      });
      out.push(cells);
    });
    return out;
  };
  const items = rowsOf('事项').slice(0, n + 1);
  const keys = new Set(items.slice(1).map((r) => `${r[0]}/${r[1]}`));
  const sheets: Record<string, string[][]> = { 事项: items };
  for (const s of CHILD_SHEETS) {
    const [header, ...rows] = rowsOf(s);
    sheets[s] = [header, ...rows.filter((r) => keys.has(`${r[0]}/${r[1]}`))];
  }
  return sheets;
}

async function toWorkbook(sheets: Record<string, string[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const col = (sheets: Record<string, string[][]>, sheet: string, header: string) =>
  sheets[sheet][0].indexOf(header);

/**
 * Six items from the demo catalogue, four of them broken (unknown department, bad basic code,
 * empty name, a material pointing at a missing scenario) plus a repeated item row.
 */
async function brokenWorkbook(source: Buffer) {
  const sheets = await firstItems(source, 6);
  const items = sheets.事项;
  items[1][col(sheets, '事项', '实施部门')] = '沈阳市不存在局';
  items[2][col(sheets, '事项', '基本编码')] = '99123';
  items[3][col(sheets, '事项', '事项名称')] = '';
  const broken = { basicCode: items[4][0], handlingItem: items[4][1], name: items[4][3] };
  const materials = sheets.材料;
  const mIndex = materials.findIndex((r) => r[0] === broken.basicCode && r[1] === broken.handlingItem);
  assert.ok(mIndex > 0, 'the fifth item has materials');
  materials[mIndex][col(sheets, '材料', '情形键')] = 'no-such-scenario';
  // A value the schema refuses: its reason names the column, in Chinese.
  const copiesIndex = materials.findIndex(
    (r, i) => i !== mIndex && r[0] === broken.basicCode && r[1] === broken.handlingItem,
  );
  assert.ok(copiesIndex > 0, 'the fifth item has two materials');
  materials[copiesIndex][col(sheets, '材料', '份数')] = '100';
  items.push([...items[6]]);
  const rejectedNames = [items[1][3], items[2][3], items[4][3]];
  const goodNames = [items[5][3], items[6][3]];
  return {
    buffer: await toWorkbook(sheets),
    materialRow: mIndex + 1,
    copiesRow: copiesIndex + 1,
    rejectedNames,
    goodNames,
    children: (basicCode: string) =>
      CHILD_SHEETS.flatMap((s) =>
        sheets[s].flatMap((r, i) => (i > 0 && r[0] === basicCode ? [{ sheet: s, row: i + 1 }] : [])),
      ),
    basicCodes: items.map((r) => r[0]),
  };
}

for (const dialect of testDialects()) {
  describe(`catalogue spreadsheet [${dialect}]`, () => {
    let source: TestApp;
    let target: TestApp;
    let exported: Buffer;

    before(async () => {
      [source, target] = await Promise.all([
        createTestApp(dialect, { seedCatalog: true }),
        createTestApp(dialect),
      ]);
      exported = await exportItems(source.ctx);
    });
    after(async () => {
      await Promise.all([source?.close(), target?.close()]);
    });

    it('round-trips the published catalogue through the workbook', async () => {
      const published = Number(
        (
          await source.ctx.db
            .selectFrom('catalog_items')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'published')
            .executeTakeFirstOrThrow()
        ).n,
      );
      assert.ok(published >= 300);
      const progress: number[] = [];
      const report = await importItems(target.ctx, systemCaller('test'), exported, {
        publish: true,
        onProgress: (done) => progress.push(done),
      });
      assert.deepEqual(report.rejected, []);
      assert.equal(report.imported, published);
      assert.equal(progress.at(-1), published);
      assert.equal(await count(target, 'catalog_items'), published);

      const before_ = await contentByName(source, PHARMACIST);
      const after_ = await contentByName(target, PHARMACIST);
      assert.deepEqual(after_.legal.statutoryLimit, { days: 20, unit: 'working' });
      assert.deepEqual(after_.service.promisedLimit, { days: 10, unit: 'working' });
      assert.equal(after_.service.materials.length, 6);
      assert.deepEqual(after_.service.materials, before_.service.materials);
      assert.deepEqual(after_.service.scenarios, before_.service.scenarios);
      assert.deepEqual(after_.service.conditions, before_.service.conditions);
      // The whole content survives, fee tables included.
      assert.deepEqual(after_, before_);
      const road = await contentByName(target, '城市道路挖掘修复费征收');
      assert.deepEqual(
        road.service.fees,
        (await contentByName(source, '城市道路挖掘修复费征收')).service.fees,
      );

      // Importing the same workbook again creates nothing: every item is a duplicate (all rejected
      // rows listed, as the CLI lists them; an answer lists the first 100 and counts the rest).
      const again = await importItems(target.ctx, systemCaller('test'), exported, {
        listRejected: Number.POSITIVE_INFINITY,
      });
      assert.equal(again.imported, 0);
      assert.equal(again.rejected.length, again.rejectedCount);
      assert.equal(again.rejected.filter((r) => r.sheet === '事项').length, published);
      assert.match(again.rejected[0].reason, /已有实施清单/);
      assert.equal(await count(target, 'catalog_items'), published);
    });

    it('imports the good rows of a broken workbook and reports each bad row with its number', async () => {
      const fresh = await createTestApp(dialect);
      try {
        const w = await brokenWorkbook(exported);
        const report = await importItems(fresh.ctx, systemCaller('test'), w.buffer);
        assert.equal(report.total, 7);
        assert.equal(report.imported, 2);
        const itemRows = report.rejected.filter((r) => r.sheet === '事项');
        assert.deepEqual(
          itemRows.map((r) => r.row),
          [2, 3, 4, 5, 8],
        );
        const reason = (sheet: string, row: number) =>
          report.rejected.find((r) => r.sheet === sheet && r.row === row)?.reason ?? '';
        assert.match(reason('事项', 2), /实施部门“沈阳市不存在局”不存在$/);
        assert.match(reason('事项', 3), /基本编码“99123”无效：应为 10 位数字；/);
        assert.match(reason('事项', 4), /^事项名称为空$/);
        assert.match(reason('事项', 5), new RegExp(`材料 第 ${w.materialRow} 行`));
        assert.match(reason('材料', w.materialRow), /^情形键“no-such-scenario”在“情形”表中不存在$/);
        assert.equal(reason('材料', w.copiesRow), '内容有误：“份数”不能大于 99');
        // Reasons are Chinese: the only Latin letters left are the values quoted from the cells.
        for (const r of report.rejected)
          assert.deepEqual(englishWords(r.reason.replace(/“[^”]*”/g, '')), [], r.reason);
        assert.match(reason('事项', 8), /事项重复：与第 7 行/);
        // Child rows of a rejected item are reported too, pointing at the item row.
        for (const c of w.children(w.basicCodes[1])) assert.match(reason(c.sheet, c.row), /第 2 行.*未导入/);
        assert.ok(w.children(w.basicCodes[1]).length > 0);

        // Nothing of the rejected items is in the database: no item, no version, no material.
        assert.equal(await count(fresh, 'catalog_items'), 2);
        assert.equal(await count(fresh, 'catalog_versions'), 2);
        const names = (await fresh.ctx.db.selectFrom('catalog_versions').select('name').execute()).map(
          (r) => r.name,
        );
        assert.deepEqual(names.sort(), [...w.goodNames].sort());
        for (const n of w.rejectedNames) assert.ok(!names.includes(n));
        const orphans = await fresh.ctx.db
          .selectFrom('catalog_materials')
          .leftJoin('catalog_versions', 'catalog_versions.id', 'catalog_materials.version_id')
          .select('catalog_materials.id')
          .where('catalog_versions.id', 'is', null)
          .execute();
        assert.deepEqual(orphans, []);
      } finally {
        await fresh.close();
      }
    });

    it('exports over the API within the caller’s scope and refuses uploads that are not xlsx', async () => {
      const wangfang = await source.login('wangfang');
      const res = await source.inject({
        method: 'GET',
        url: '/api/v1/catalog/export.xlsx',
        headers: { cookie: wangfang },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /spreadsheetml/);
      const sheets = await firstItems(res.rawPayload, 10_000);
      const departments = new Set(sheets.事项.slice(1).map((r) => r[col(sheets, '事项', '实施部门')]));
      assert.deepEqual([...departments], ['沈阳市市场监督管理局']);

      const citizen = await source.login('citizen');
      const denied = await source.inject({
        method: 'GET',
        url: '/api/v1/catalog/export.xlsx',
        headers: { cookie: citizen },
      });
      assert.equal(denied.statusCode, 403);

      const cookie = await target.login('wangfang');
      const post = (contentType: string, payload: string | Buffer) =>
        target.inject({
          method: 'POST',
          url: '/api/v1/catalog/import',
          headers: { cookie, 'content-type': contentType },
          payload,
        });
      const notZip = await post(XLSX_MIME, Buffer.from('基本编码,事项名称\n0100318000,执业药师首次注册\n'));
      assert.equal(notZip.statusCode, 422);
      assert.equal(notZip.json().code, 'INVALID_ITEM');
      assert.equal((await post('text/csv', 'a,b')).statusCode, 415);
      const json = await post('application/json', JSON.stringify({ file: 'x' }));
      assert.equal(json.statusCode, 415);
      assert.equal(json.json().code, 'UNSUPPORTED_MEDIA_TYPE');

      // A real workbook over the API: the market department's items are already there.
      const market = await post(XLSX_MIME, res.rawPayload);
      assert.equal(market.statusCode, 200);
      const body = market.json();
      assert.equal(body.imported, 0);
      assert.ok(body.rejected.length > 0);
      assert.equal(body.rejected[0].row, 2);
    });

    it('stops reading a zip bomb, too many rows or an overlong cell at the cap, quoting a short excerpt', async () => {
      const cookie = await target.login('wangfang');
      const post = (payload: Buffer) =>
        target.inject({
          method: 'POST',
          url: '/api/v1/catalog/import',
          headers: { cookie, 'content-type': XLSX_MIME },
          payload,
        });
      const before = await count(target, 'catalog_items');

      // 64 MB of one cell in well under 1 MB of zip: refused as too big, without echoing the cell,
      // while another request is answered.
      const bomb = await hugeCellWorkbook(64);
      assert.ok(bomb.length < 1024 * 1024, `the bomb is small compressed (${bomb.length} bytes)`);
      const [big, health] = await Promise.all([
        post(bomb),
        target.inject({ method: 'GET', url: '/healthz' }),
      ]);
      assert.equal(big.statusCode, 413, big.body.slice(0, 300));
      assert.equal(big.json().code, 'PAYLOAD_TOO_LARGE');
      assert.match(big.json().message, /50 MB/);
      assert.ok(big.rawPayload.length < 1000, `a short answer (${big.rawPayload.length} bytes)`);
      assert.equal(health.statusCode, 200);
      // The same bomb declaring a small size stops at its first overlong text; 64 MB of zeros
      // declaring a small size is caught by counting what actually inflates.
      const liar = await post(understated(bomb));
      assert.equal(liar.statusCode, 422, liar.body.slice(0, 300));
      assert.match(liar.json().message, /10000 个字符/);
      const zeros = Buffer.alloc(1024 * 1024);
      const media = await zipArchive([
        { name: 'xl/media/image1.png', chunks: () => Array.from({ length: 64 }, () => zeros) },
      ]);
      const binary = await post(understated(media));
      assert.equal(binary.statusCode, 413, binary.body.slice(0, 300));

      // Far more rows than any implementation list: refused at the row cap.
      const rows = await manyRowsWorkbook(223_576);
      const many = await post(rows);
      assert.equal(many.statusCode, 422, many.body.slice(0, 300));
      assert.equal(many.json().code, 'INVALID_ITEM');
      assert.match(many.json().message, /20000 行/);
      assert.ok(many.rawPayload.length < 1000, `a short answer (${many.rawPayload.length} bytes)`);

      // A cell over the length cap: refused, quoting its first 50 characters and an ellipsis.
      const header = ['基本编码', '办理项编码', '实施部门', '事项名称', '事项类型'];
      const long = await toWorkbook({
        事项: [header, ['0100318000', '00', '沈阳市市场监督管理局', `长${'名'.repeat(20_000)}`, '行政许可']],
      });
      const tooLong = await post(long);
      assert.equal(tooLong.statusCode, 422, tooLong.body.slice(0, 300));
      assert.match(tooLong.json().message, /10000 个字符/);
      assert.match(tooLong.json().message, new RegExp(`长${'名'.repeat(49)}…`));
      assert.ok(tooLong.rawPayload.length < 1000, `a short answer (${tooLong.rawPayload.length} bytes)`);

      // Under the caps, a bad value is quoted in its row's reason as an excerpt only.
      const wordy = await post(
        await toWorkbook({
          事项: [header, ['0100318000', '00', '沈阳市市场监督管理局', '某事项', '类'.repeat(9_000)]],
        }),
      );
      assert.equal(wordy.statusCode, 200, wordy.body.slice(0, 300));
      const [reason] = wordy.json().rejected.map((r: { reason: string }) => r.reason);
      assert.match(reason, new RegExp(`事项类型“${'类'.repeat(50)}…”`));
      assert.ok(reason.length < 400, `a short reason (${reason.length} characters)`);

      assert.equal(await count(target, 'catalog_items'), before, 'nothing was imported');
      assert.equal((await target.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    });

    it('CLI import-items exits 3 and prints the rejected rows', async () => {
      const fresh = await createTestApp(dialect);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-xlsx-'));
      try {
        const w = await brokenWorkbook(exported);
        const file = path.join(dir, 'broken.xlsx');
        fs.writeFileSync(file, w.buffer);
        const r = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'apps/server/src/cli/main.ts', 'import-items', file],
          {
            cwd: root,
            encoding: 'utf8',
            env: childEnv(fresh.database.url),
          },
        );
        assert.equal(r.status, 3, r.stderr);
        assert.match(r.stdout, /imported 2 of 7 items/);
        assert.match(r.stdout, /事项 row 2 .*实施部门“沈阳市不存在局”不存在/);
        assert.match(r.stdout, /事项 row 3 .*基本编码“99123”无效/);
        assert.match(r.stdout, /事项 row 4 .*事项名称为空/);
        assert.match(r.stdout, new RegExp(`材料 row ${w.materialRow} .*no-such-scenario`));
        assert.match(r.stderr, /importing items 100% 6\/6/);
        assert.equal(await count(fresh, 'catalog_items'), 2);

        const out = path.join(dir, 'out.xlsx');
        const e = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'apps/server/src/cli/main.ts', 'export-items', out],
          {
            cwd: root,
            encoding: 'utf8',
            env: childEnv(fresh.database.url),
          },
        );
        assert.equal(e.status, 0, e.stderr);
        // The two imported items are drafts: nothing is published yet.
        assert.deepEqual((await firstItems(fs.readFileSync(out), 100)).事项.length, 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        await fresh.close();
      }
    });

    it('a bulk load (demo seed, CLI import-items --publish) publishes as the system actor, not as anyone’s approval', async () => {
      const administrative = async (t: TestApp) =>
        (await auditEntries(t, 'catalog.version-publish-administrative')).map((e) => ({
          ...e,
          detail: JSON.parse(e.detail),
        }));
      // The demo seed of the source database.
      const seeded = await administrative(source);
      assert.ok(seeded.length >= 300, `${seeded.length} administrative publications`);
      assert.ok(seeded.every((e) => e.actor_id === null && e.actor_name === 'demo-seed'));
      assert.ok(seeded.every((e) => e.detail.actorKind === 'system'));
      assert.deepEqual(await auditEntries(source, 'catalog.version-publish'), [], 'no personal approval');
      assert.deepEqual(await auditEntries(source, 'catalog.version-submit'), [], 'nothing went to review');

      // The CLI, run by an operator.
      const fresh = await createTestApp(dialect);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-xlsx-'));
      try {
        const file = path.join(dir, 'two.xlsx');
        fs.writeFileSync(file, await toWorkbook(await firstItems(exported, 2)));
        const r = spawnSync(
          process.execPath,
          ['--import', 'tsx', 'apps/server/src/cli/main.ts', 'import-items', file, '--publish'],
          { cwd: root, encoding: 'utf8', env: childEnv(fresh.database.url) },
        );
        assert.equal(r.status, 0, r.stderr + r.stdout);
        assert.match(r.stdout, /imported 2 of 2 items \(published\)/);
        const entries = await administrative(fresh);
        assert.equal(entries.length, 2);
        for (const e of entries) {
          assert.equal(e.actor_id, null);
          assert.equal(e.actor_name, 'govflow-cli import-items');
          assert.equal(e.detail.actorKind, 'system');
          assert.equal(e.detail.operator, os.userInfo().username, 'the OS account that ran the command');
          assert.match(e.detail.command, /import-items .*--publish/);
        }
        assert.deepEqual(await auditEntries(fresh, 'catalog.version-publish'), []);
        const versions = await fresh.ctx.db
          .selectFrom('catalog_versions')
          .select(['status', 'published_by'])
          .execute();
        assert.deepEqual(versions, [
          { status: 'published', published_by: null },
          { status: 'published', published_by: null },
        ]);

        // A person importing over the API is not a bulk load by the system: no publishing at import.
        const cookie = await fresh.login('wangfang');
        const res = await fresh.inject({
          method: 'POST',
          url: '/api/v1/catalog/import?publish=true',
          headers: { cookie, 'content-type': XLSX_MIME },
          payload: fs.readFileSync(file),
        });
        assert.equal(res.statusCode, 409, res.body);
        assert.equal(res.json().code, 'FOUR_EYES');
        assert.equal(await count(fresh, 'catalog_items'), 2, 'nothing imported');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        await fresh.close();
      }
    });
  });
}
