import { once } from 'node:events';
import zlib from 'node:zlib';

/**
 * Hostile workbooks built in memory, so no large fixture is committed: a zip writer that deflates
 * each entry from a generator of chunks (a huge entry never exists uncompressed), and the minimal
 * parts of an xlsx around one 事项 sheet.
 */
export interface ZipEntry {
  name: string;
  chunks: () => Iterable<string | Buffer>;
}

async function deflated(entry: ZipEntry): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  let crc = 0;
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const b = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    crc = zlib.crc32(b, crc);
    size += b.length;
    if (!deflate.write(b)) await once(deflate, 'drain');
  };
  // Small pieces (rows) are written in batches: one write per row is far slower.
  for (const c of entry.chunks()) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= 256 * 1024) await flush();
  }
  await flush();
  deflate.end();
  await once(deflate, 'end');
  return { data: Buffer.concat(out), crc, size };
}

export async function zipArchive(entries: ZipEntry[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { data, crc, size } = await deflated(entry);
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc >>> 0, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(size >>> 0, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    central.push(header, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const esc = (s: string) => s.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
const colName = (i: number) => String.fromCharCode(65 + i);

/**
 * One 事项 sheet: a header row, then the rows `rows` yields (cells as inline strings), stored under
 * `sheetPath` (the workbook's relationship points there, whatever the name).
 */
export function workbookOf(
  rows: () => Iterable<string[] | string>,
  sheetPath = 'xl/worksheets/sheet1.xml',
): Promise<Buffer> {
  const rel = sheetPath.replace(/^\/?xl\//, '');
  const row = (n: number, cells: string[]) =>
    `<row r="${n}">${cells.map((v, i) => `<c r="${colName(i)}${n}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`;
  return zipArchive([
    {
      name: '[Content_Types].xml',
      chunks: () => [
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          `<Override PartName="/xl/${rel}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
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
          // A string is raw XML inside the current row's last cell (how a huge cell is streamed).
          if (typeof r === 'string') yield r;
          else yield row(++n, r);
        }
        yield '</sheetData></worksheet>';
      },
    },
  ]);
}

export const BOMB_HEADERS = ['基本编码', '办理项编码', '实施部门', '事项名称', '事项类型'];

/** One item whose 事项类型 cell holds `mb` megabytes of the letter A: tiny compressed, huge unpacked. */
export function hugeCellWorkbook(mb: number): Promise<Buffer> {
  const mega = 'A'.repeat(1024 * 1024);
  const cells = ['0100318000', '00', '沈阳市市场监督管理局', '巨大单元格'];
  const open = cells.map((v, i) => `<c r="${colName(i)}2" t="inlineStr"><is><t>${v}</t></is></c>`).join('');
  return workbookOf(function* () {
    yield BOMB_HEADERS;
    yield `<row r="2">${open}<c r="E2" t="inlineStr"><is><t>`;
    for (let i = 0; i < mb; i++) yield mega;
    yield '</t></is></c></row>';
  });
}

/** `count` rows of one code each: a few bytes a row, far more rows than any list has. */
export function manyRowsWorkbook(count: number): Promise<Buffer> {
  return workbookOf(function* () {
    yield BOMB_HEADERS;
    for (let i = 0; i < count; i++) yield [String(100_000_000 + i).padStart(10, '0')];
  });
}

/** The same zip with every entry declaring it unpacks to `bytes`: a liar only inflating can catch. */
export function understated(zip: Buffer, bytes = 1000): Buffer {
  const out = Buffer.from(zip);
  const end = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = out.readUInt32LE(end + 16);
  for (let i = 0; i < out.readUInt16LE(end + 10); i++) {
    out.writeUInt32LE(bytes, p + 24);
    out.writeUInt32LE(bytes, out.readUInt32LE(p + 42) + 22);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
