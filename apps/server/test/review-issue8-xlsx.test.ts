/**
 * Review of issue 8 defect 6: ways around the workbook caps (each test asserts the behaviour the fix
 * promises; it fails on the merged code).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XLSX_MIME } from '../src/modules/catalog/spreadsheet';
import { checkWorkbookLimits } from '../src/platform/files/workbook-limits';
import { createTestApp, type TestApp } from './support/harness';
import { BOMB_HEADERS, hugeCellWorkbook, zipArchive } from './support/xlsx-bombs';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const col = (i: number) => String.fromCharCode(65 + i);

/** The minimal xlsx of support/xlsx-bombs, with the sheet stored under `sheetPath`. */
function workbookAt(sheetPath: string, rows: () => Iterable<string[]>) {
  const rel = sheetPath.replace(/^\/?xl\//, '');
  return zipArchive([
    {
      name: '[Content_Types].xml',
      chunks: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '</Types>',
      ],
    },
    {
      name: '_rels/.rels',
      chunks: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
          '</Relationships>',
      ],
    },
    {
      name: 'xl/workbook.xml',
      chunks: () => [
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="事项" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ],
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      chunks: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${rel}"/>` +
          '</Relationships>',
      ],
    },
    {
      name: sheetPath,
      chunks: function* () {
        yield '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
        let n = 0;
        for (const r of rows()) {
          n++;
          yield `<row r="${n}">${r.map((v, i) => `<c r="${col(i)}${n}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`;
        }
        yield '</sheetData></worksheet>';
      },
    },
  ]);
}

/** The same zip whose end-of-central-directory record says it holds no entries. */
function zeroCount(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  out.writeUInt16LE(0, end + 8);
  out.writeUInt16LE(0, end + 10);
  return out;
}

describe('review: workbook caps', () => {
  it('a 64 MB cell is refused even when the end record claims an empty zip (JSZip reads every central header)', async () => {
    const bomb = zeroCount(await hugeCellWorkbook(64));
    await assert.rejects(checkWorkbookLimits(bomb), /50 MB|10000/);
  });

  it('a 45 MB cell in a sheet named xl/worksheets/sheet1.xml_ (ExcelJS matches the name unanchored) is refused', async () => {
    const mega = 'A'.repeat(1024 * 1024);
    const bomb = await workbookAt('xl/worksheets/sheet1.xml_', function* () {
      yield BOMB_HEADERS;
      yield ['0100318000', '00', '沈阳市市场监督管理局', '巨大', mega.repeat(45)];
    });
    await assert.rejects(checkWorkbookLimits(bomb), /10000/);
  });

  describe('through the import route', () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp('sqlite');
    });
    after(() => t.close());

    for (const [what, path, transform] of [
      ['a sheet stored as xl/worksheets/sheet1.xml_', 'xl/worksheets/sheet1.xml_', (b: Buffer) => b],
      ['a sheet stored as /xl/worksheets/sheet1.xml', '/xl/worksheets/sheet1.xml', (b: Buffer) => b],
      ['an end record that counts no entries', 'xl/worksheets/sheet1.xml', zeroCount],
    ] as const) {
      it(`refuses 25,000 rows at the 20,000-row cap: ${what}`, async () => {
        const cookie = await t.login('wangfang');
        const wb = transform(
          await workbookAt(path, function* () {
            yield BOMB_HEADERS;
            for (let i = 0; i < 25_000; i++) yield [String(100_000_000 + i).padStart(10, '0')];
          }),
        );
        const res = await t.inject({
          method: 'POST',
          url: '/api/v1/catalog/import',
          headers: { cookie, 'content-type': XLSX_MIME },
          payload: wb,
        });
        assert.equal(res.statusCode, 422, `${res.statusCode} ${res.rawPayload.length} bytes: ${res.body.slice(0, 200)}`);
        assert.match(res.json().message, /20000 行/);
      });
    }
  });
});
