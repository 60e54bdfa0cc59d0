/**
 * The workbook caps (issue 8 defect 6) against zips built to get around them: an end record that
 * hides entries, names and local headers other readers take differently, sheets under names a
 * name-based scan misses; and the import answer's bounded list of rejected rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XLSX_MIME } from '../src/modules/catalog/spreadsheet';
import { checkWorkbookLimits } from '../src/platform/files/workbook-limits';
import type { AppError } from '../src/platform/http/errors';
import { createTestApp, type TestApp, testDialects } from './support/harness';
import { BOMB_HEADERS, hugeCellWorkbook, understated, workbookOf, zipArchive } from './support/xlsx-bombs';

/** The same zip whose end-of-central-directory record says it holds no entries. */
function zeroCount(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const end = eocd(out);
  out.writeUInt16LE(0, end + 8);
  out.writeUInt16LE(0, end + 10);
  return out;
}

const eocd = (zip: Buffer) => zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));

/** Where each central header and its local header start. */
function headers(zip: Buffer): { central: number; local: number }[] {
  const end = eocd(zip);
  const out: { central: number; local: number }[] = [];
  for (let p = zip.readUInt32LE(end + 16); p < end; ) {
    out.push({ central: p, local: zip.readUInt32LE(p + 42) });
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

/** A copy of `zip` changed by `edit`. */
function edited(zip: Buffer, edit: (b: Buffer) => void): Buffer {
  const out = Buffer.from(zip);
  edit(out);
  return out;
}

/** The zip with an extra field of type `id` added to the central header of its last entry. */
function withExtraField(zip: Buffer, id: number, value: Buffer): Buffer {
  const end = eocd(zip);
  const last = headers(zip).at(-1) as { central: number };
  const nameEnd = last.central + 46 + zip.readUInt16LE(last.central + 28);
  const field = Buffer.alloc(4 + value.length);
  field.writeUInt16LE(id, 0);
  field.writeUInt16LE(value.length, 2);
  value.copy(field, 4);
  const out = Buffer.concat([zip.subarray(0, nameEnd), field, zip.subarray(nameEnd)]);
  out.writeUInt16LE(zip.readUInt16LE(last.central + 30) + field.length, last.central + 30);
  out.writeUInt32LE(zip.readUInt32LE(end + 12) + field.length, end + 12 + field.length);
  return out;
}

const small = () =>
  workbookOf(function* () {
    yield BOMB_HEADERS;
    yield ['0100318000', '00', '沈阳市市场监督管理局', '某事项', '行政许可'];
  });
const sheetNamed = (name: string) =>
  workbookOf(function* () {
    yield BOMB_HEADERS;
  }, name);

const refusedAsAmbiguous = async (zip: Buffer | Promise<Buffer>) =>
  assert.rejects(checkWorkbookLimits(await zip), (err: AppError) => {
    assert.equal(err.status, 422);
    assert.equal(err.code, 'INVALID_ITEM');
    assert.match(err.message, /压缩结构异常/);
    return true;
  });

describe('workbook limits: a zip that readers could read differently is refused', () => {
  it('accepts a plain workbook, and one whose local headers defer CRC and sizes to a data descriptor', async () => {
    const zip = await small();
    await checkWorkbookLimits(zip);
    const described = edited(zip, (b) => {
      for (const h of headers(b)) {
        b.writeUInt16LE(b.readUInt16LE(h.local + 6) | 8, h.local + 6);
        b.writeUInt16LE(b.readUInt16LE(h.central + 8) | 8, h.central + 8);
        b.fill(0, h.local + 14, h.local + 26);
      }
    });
    await checkWorkbookLimits(described);
  });

  it('refuses a 64 MB cell whose end record counts no entries (JSZip reads every central header)', async () => {
    await refusedAsAmbiguous(zeroCount(await hugeCellWorkbook(64)));
  });

  it('refuses an end record whose count, directory size or offset disagrees with the headers there', async () => {
    const zip = await small();
    const end = eocd(zip);
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt16LE(3, end + 10)));
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt32LE(b.readUInt32LE(end + 12) - 46, end + 12)));
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt32LE(b.readUInt32LE(end + 16) + 46, end + 16)));
    await refusedAsAmbiguous(Buffer.concat([zip, Buffer.from('trailing')]));
  });

  it('refuses ZIP64 markers: in the end record, in a central header, as an extra field', async () => {
    const zip = await small();
    const end = eocd(zip);
    const [first] = headers(zip);
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt32LE(0xffffffff, end + 16)));
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt32LE(0xffffffff, first.central + 24)));
    await refusedAsAmbiguous(withExtraField(zip, 0x0001, Buffer.alloc(16)));
  });

  it('refuses names starting with /, holding .. or a backslash, given twice, or renamed by a Unicode-path field', async () => {
    await refusedAsAmbiguous(sheetNamed('/xl/worksheets/sheet1.xml'));
    await refusedAsAmbiguous(sheetNamed('xl/worksheets/../worksheets/sheet1.xml'));
    await refusedAsAmbiguous(sheetNamed('xl\\worksheets\\sheet1.xml'));
    await refusedAsAmbiguous(sheetNamed('xl/workbook.xml'));
    await refusedAsAmbiguous(
      withExtraField(await small(), 0x7075, Buffer.from('\x01....xl/worksheets/sheet2.xml')),
    );
  });

  it('refuses a local header whose name or sizes differ from the central header (JSZip takes the local name)', async () => {
    const zip = await small();
    const sheet = headers(zip).at(-1) as { central: number; local: number };
    await refusedAsAmbiguous(
      edited(zip, (b) => b.write('9', sheet.local + 30 + 'xl/worksheets/sheet'.length)),
    );
    await refusedAsAmbiguous(edited(zip, (b) => b.writeUInt32LE(1, sheet.local + 22)));
  });
});

describe('workbook limits: every XML entry is scanned, whatever its name', () => {
  it('refuses a 45 MB cell in a sheet named xl/worksheets/sheet1.xml_ (ExcelJS matches names unanchored)', async () => {
    const mega = 'A'.repeat(1024 * 1024);
    const bomb = await workbookOf(function* () {
      yield BOMB_HEADERS;
      yield ['0100318000', '00', '沈阳市市场监督管理局', '巨大', mega.repeat(45)];
    }, 'xl/worksheets/sheet1.xml_');
    await assert.rejects(checkWorkbookLimits(bomb), /10000 个字符/);
  });

  it('counts rows and text in an entry of any name that starts as XML, and only bytes in one that does not', async () => {
    const rows = (n: number) => [
      '<?xml version="1.0"?><x>',
      ...Array.from({ length: n }, () => '<row/>'),
      '</x>',
    ];
    const one = (name: string, chunks: () => Iterable<string | Buffer>) => zipArchive([{ name, chunks }]);
    await assert.rejects(checkWorkbookLimits(await one('data/rows.bin', () => rows(20_001))), /20000 行/);
    await checkWorkbookLimits(await one('data/rows.bin', () => rows(20_000)));
    // White space and a byte-order mark before the first tag do not hide the XML.
    await assert.rejects(
      checkWorkbookLimits(await one('a', () => ['\uFEFF \n\t', ...rows(20_001)])),
      /20000 行/,
    );
    // A tag (a long attribute, say) is capped as a text is.
    await assert.rejects(
      checkWorkbookLimits(await one('a.xml', () => [`<x a="${'v'.repeat(20_000)}"/>`])),
      /标记超过 10000 个字符/,
    );
    // An ampersand not closing as an entity counts as text.
    await assert.rejects(
      checkWorkbookLimits(await one('a.xml', () => ['<x>', '&AAAAAAAAAAAAAAAAAAAA'.repeat(1000), '</x>'])),
      /10000 个字符/,
    );
    // Binary content (no XML parser reads it) is only counted in bytes: a long run of one byte passes.
    await checkWorkbookLimits(
      await one('xl/media/image1.png', () => [Buffer.from([0x89]), Buffer.alloc(100_000, 65)]),
    );
    // ... and all of its bytes are inflated and counted, whatever size it declares.
    const mega = Buffer.alloc(1024 * 1024);
    const media = await one('xl/media/image1.png', () => [
      Buffer.from([0x89]),
      ...Array.from({ length: 64 }, () => mega),
    ]);
    await assert.rejects(checkWorkbookLimits(understated(media)), /50 MB/);
  });

  describe('through the import route', () => {
    for (const dialect of testDialects()) {
      describe(`[${dialect}]`, () => {
        let t: TestApp;
        before(async () => {
          t = await createTestApp(dialect);
        });
        after(() => t.close());
        const post = async (payload: Buffer) =>
          t.inject({
            method: 'POST',
            url: '/api/v1/catalog/import',
            headers: { cookie: await t.login('wangfang'), 'content-type': XLSX_MIME },
            payload,
          });

        for (const [what, path, transform, message] of [
          [
            'a sheet stored as xl/worksheets/sheet1.xml_',
            'xl/worksheets/sheet1.xml_',
            (b: Buffer) => b,
            /20000 行/,
          ],
          [
            'a sheet stored as /xl/worksheets/sheet1.xml',
            '/xl/worksheets/sheet1.xml',
            (b: Buffer) => b,
            /压缩结构异常/,
          ],
          ['an end record that counts no entries', 'xl/worksheets/sheet1.xml', zeroCount, /压缩结构异常/],
        ] as const) {
          it(`refuses 25,000 rows with a short 422: ${what}`, async () => {
            const wb = transform(
              await workbookOf(function* () {
                yield BOMB_HEADERS;
                for (let i = 0; i < 25_000; i++) yield [String(100_000_000 + i).padStart(10, '0')];
              }, path),
            );
            const res = await post(wb);
            assert.equal(
              res.statusCode,
              422,
              `${res.statusCode} ${res.rawPayload.length} bytes: ${res.body.slice(0, 200)}`,
            );
            assert.equal(res.json().code, 'INVALID_ITEM');
            assert.match(res.json().message, message);
            assert.ok(res.rawPayload.length < 1000, `a short answer (${res.rawPayload.length} bytes)`);
          });
        }

        it('lists the first 100 rejected rows with their numbers and counts all of them', async () => {
          const wb = await workbookOf(function* () {
            yield BOMB_HEADERS;
            for (let i = 0; i < 2_500; i++) yield [String(100_000_000 + i).padStart(10, '0')];
          });
          const res = await post(wb);
          assert.equal(res.statusCode, 200, res.body.slice(0, 300));
          const body = res.json();
          assert.equal(body.imported, 0);
          assert.equal(body.total, 2_500);
          assert.equal(body.rejectedCount, 2_500);
          assert.equal(body.rejected.length, 100);
          assert.deepEqual(
            body.rejected.map((r: { row: number }) => r.row),
            Array.from({ length: 100 }, (_, i) => i + 2),
          );
          assert.match(body.rejected[0].reason, /事项名称为空/);
          assert.ok(res.rawPayload.length < 20_000, `a bounded answer (${res.rawPayload.length} bytes)`);
        });
      });
    }
  });
});
