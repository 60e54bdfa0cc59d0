import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { AppError } from '../http/errors';

/**
 * Caps on what an uploaded xlsx may unpack to, checked while its zip entries are inflated and
 * before any parser builds the workbook in memory: a few hundred kilobytes of zip can otherwise
 * unpack to gigabytes (one huge cell, or hundreds of thousands of rows) and stall the server.
 */
export interface WorkbookLimits {
  /** Bytes all entries together may unpack to. */
  unpackedBytes: number;
  /** Rows in any one sheet, the header included. */
  rowsPerSheet: number;
  /** Characters in any one cell (any one text of the workbook's XML). */
  cellChars: number;
}

/**
 * A city's implementation list has a few thousand items, and its child sheets (materials above
 * all) a few times as many rows; its workbook unpacks to a few megabytes. The caps leave room for
 * that and refuse what no such list holds.
 */
export const WORKBOOK_LIMITS: WorkbookLimits = {
  unpackedBytes: 50 * 1024 * 1024,
  rowsPerSheet: 20_000,
  cellChars: 10_000,
};

/** At most this many characters of a workbook's text go back in a refusal. */
export const EXCERPT_CHARS = 50;

/** The first characters of a text, with an ellipsis when there was more. */
export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const head = [...text.slice(0, chars * 2)].slice(0, chars).join('');
  return head.length < text.length ? `${head}…` : head;
}

/** The zip is not one (or uses what an xlsx never does): the caller says "not an xlsx". */
export class NotAZip extends Error {}

/**
 * The zip is one, but built so that another reader could see other entries, names or contents
 * than this check does: refused as such, whatever the entries hold.
 */
export class AmbiguousZip extends Error {}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
  /** The central header's name, flags, method, CRC and sizes, to compare with the local header. */
  header: Buffer;
}

const MB = 1024 * 1024;
const tooBig = (limits: WorkbookLimits) =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    413,
    `工作簿解压后超过 ${limits.unpackedBytes / MB} MB 的上限，已停止读取`,
    '请删去多余的内容或分成几个文件导入',
  );

/**
 * Walks the zip's central directory and inflates every entry as a stream, counting: the declared
 * sizes first (a cheap early refusal), then the bytes actually inflated, the rows and the length
 * of each text of every entry that is XML (whatever its name: a parser may find a sheet under any
 * name), stopping at the first cap with a 413 (too big) or 422 (too many rows, a cell too long).
 * A zip whose records disagree (see `centralDirectory`) is refused with a 422. Memory stays at
 * one chunk whatever the entry unpacks to.
 */
export async function checkWorkbookLimits(buffer: Buffer, limits: WorkbookLimits = WORKBOOK_LIMITS) {
  try {
    await scanEntries(buffer, limits);
  } catch (err) {
    if (!(err instanceof AmbiguousZip)) throw err;
    throw new AppError(
      'INVALID_ITEM',
      422,
      '工作簿的压缩结构异常（目录记录互相矛盾或条目名称不规范），已拒绝读取',
      '请用电子表格软件打开后重新保存为 .xlsx 再上传',
    );
  }
}

async function scanEntries(buffer: Buffer, limits: WorkbookLimits) {
  const entries = centralDirectory(buffer);
  let declared = 0;
  for (const e of entries) declared += e.declaredSize;
  if (declared > limits.unpackedBytes) throw tooBig(limits);
  let unpacked = 0;
  for (const e of entries) {
    const scan = new XmlScan(limits);
    let xml = true;
    for await (const chunk of inflate(buffer, e)) {
      unpacked += chunk.length;
      if (unpacked > limits.unpackedBytes) throw tooBig(limits);
      // Content that is not XML is inflated to the end all the same: its bytes count.
      if (xml) xml = scan.feed(chunk);
    }
  }
}

const SIGNATURE = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50, zip64Locator: 0x07064b50 };

/**
 * The entries of the central directory, read header by header until the headers end, as JSZip
 * (under ExcelJS) reads them whatever the end record counts. Anything that would let two readers
 * disagree is refused (`AmbiguousZip`): an end record whose count, size or offset differs from the
 * headers actually there, a multi-disk or ZIP64 zip, an entry whose local header differs from its
 * central one (JSZip takes the name from the local header), a name that is not plain UTF-8, holds
 * a backslash, starts with `/` or has an empty, `.` or `..` segment (JSZip resolves those), two
 * entries of the same name, or a name given again in a Unicode-path extra field.
 */
function centralDirectory(buf: Buffer): Entry[] {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KB, at the end.
  let end = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === SIGNATURE.end) {
      end = p;
      break;
    }
  }
  if (end < 0) throw new NotAZip('no end of central directory');
  const ambiguous = (why: string) => new AmbiguousZip(why);
  if (end + 22 + buf.readUInt16LE(end + 20) !== buf.length) throw ambiguous('bytes after the end record');
  if (end >= 20 && buf.readUInt32LE(end - 20) === SIGNATURE.zip64Locator) throw ambiguous('ZIP64');
  const [disk, cdDisk, onDisk, count] = [0, 2, 4, 6].map((o) => buf.readUInt16LE(end + 4 + o));
  const size = buf.readUInt32LE(end + 12);
  const offset = buf.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw ambiguous('ZIP64');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw ambiguous('several disks');
  if (offset + size !== end) throw ambiguous('central directory size or offset');

  const entries: Entry[] = [];
  const names = new Set<string>();
  let p = offset;
  while (p + 4 <= buf.length && buf.readUInt32LE(p) === SIGNATURE.central) {
    if (p + 46 > end) throw new NotAZip('bad central directory');
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const next = p + 46 + nameLength + extraLength + buf.readUInt16LE(p + 32);
    if (next > end) throw new NotAZip('bad central directory');
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLength);
    const entry: Entry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      declaredSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: nameBytes.toString('utf8'),
      header: buf.subarray(p + 8, p + 30),
    };
    if (entry.method !== 0 && entry.method !== 8) throw new NotAZip(`compression method ${entry.method}`);
    if ([entry.compressedSize, entry.declaredSize, entry.localOffset].includes(0xffffffff))
      throw ambiguous('ZIP64');
    if (buf.readUInt16LE(p + 34) !== 0) throw ambiguous('several disks');
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = buf.readUInt16LE(x);
      // 0x0001: ZIP64 sizes; 0x7075: a second (Unicode) name, which JSZip prefers to the first.
      if (id === 0x0001 || id === 0x7075) throw ambiguous(`extra field ${id}`);
      x += 4 + buf.readUInt16LE(x + 2);
    }
    if (!Buffer.from(entry.name, 'utf8').equals(nameBytes)) throw ambiguous('name not UTF-8');
    const segments = entry.name.replace(/\/$/, '').split('/');
    if (entry.name.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..'))
      throw ambiguous(`name ${excerpt(entry.name)}`);
    if (names.has(entry.name)) throw ambiguous(`duplicate name ${excerpt(entry.name)}`);
    names.add(entry.name);
    entries.push(entry);
    p = next;
  }
  if (p !== end || entries.length !== count)
    throw ambiguous('end record disagrees with the central directory');
  return entries;
}

async function* inflate(buf: Buffer, e: Entry): AsyncGenerator<Buffer> {
  const at = e.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== SIGNATURE.local) throw new NotAZip('bad local header');
  const local = buf.subarray(at + 6, at + 28);
  const nameLength = buf.readUInt16LE(at + 26);
  const start = at + 30 + nameLength + buf.readUInt16LE(at + 28);
  if (start + e.compressedSize > buf.length) throw new NotAZip('entry past the end');
  // Flags and method as in the central header; CRC and sizes too, unless a data descriptor after
  // the data carries them (flag bit 3: the local header may leave them zero); the same name.
  const sameHeader = (from: number, to: number) =>
    local.subarray(from, to).equals(e.header.subarray(from, to));
  const described = (local.readUInt16LE(0) & 8) !== 0 && local.subarray(8, 20).every((b) => b === 0);
  if (
    !sameHeader(0, 4) ||
    !(described || sameHeader(8, 20)) ||
    !buf.subarray(at + 30, at + 30 + nameLength).equals(Buffer.from(e.name, 'utf8'))
  )
    throw new AmbiguousZip('local header differs from the central directory');
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) {
    yield data;
    return;
  }
  // Streamed in chunks: leaving the loop early destroys the stream, and nothing larger than a
  // chunk is ever held; the inflating runs off the main thread, so other requests go on.
  const stream = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
  stream.end(data);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new NotAZip(`inflate: ${(err as Error).message}`);
  }
}

/**
 * Counts, in the XML as it streams past, the rows (`<row>` elements, with or without a namespace
 * prefix) and the length of each text between tags (an entity counts as one character) and of
 * each tag. An entry is XML unless its first character, after a byte-order mark and white space,
 * is not `<`: then no XML parser reads it (saxes, under ExcelJS, fails there) and only its bytes
 * are counted.
 */
class XmlScan {
  private readonly decoder = new StringDecoder('utf8');
  private sniffing = true;
  private rows = 0;
  private inTag = false;
  private entity = 0;
  private tagName = '';
  private nameDone = false;
  /** Characters of the current text (entities as one) or of the current tag. */
  private run = 0;
  private head = '';

  constructor(private readonly limits: WorkbookLimits) {}

  /** Scans a chunk; false once the entry turned out not to be XML (nothing more to scan in it). */
  feed(chunk: Buffer): boolean {
    const s = this.decoder.write(chunk);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.sniffing) {
        if (c === 60 /* < */) this.sniffing = false;
        else if (c !== 0xfeff && c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
      }
      if (this.inTag) {
        if (c === 62 /* > */) {
          this.endTagName();
          this.inTag = false;
          this.run = 0;
          this.head = '';
          continue;
        }
        if (!this.nameDone) {
          if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 /* / */) {
            if (this.tagName) this.endTagName();
          } else if (this.tagName.length < 16) this.tagName += s[i];
        }
        if (++this.run > this.limits.cellChars) {
          throw new AppError(
            'INVALID_ITEM',
            422,
            `工作簿中有标记超过 ${this.limits.cellChars} 个字符的上限，已停止读取`,
            '请用电子表格软件打开后重新保存为 .xlsx 再上传',
          );
        }
      } else if (c === 60 /* < */) {
        this.inTag = true;
        this.nameDone = false;
        this.tagName = '';
        this.run = 0;
        this.entity = 0;
      } else {
        // An entity (`&amp;`, `&#x4E00;`) counts as one character; what runs on past the longest
        // one without its `;` is counted as the text it is.
        if (this.entity > 0) {
          if (c === 59 /* ; */) {
            this.entity = 0;
            continue;
          }
          if (++this.entity <= 12) continue;
          this.run += this.entity - 2; // the characters after the `&` not counted so far
          this.entity = 0;
        } else if (c === 38 /* & */) this.entity = 1;
        this.run++;
        if (this.head.length <= EXCERPT_CHARS) this.head += s[i];
        if (this.run > this.limits.cellChars) {
          throw new AppError(
            'INVALID_ITEM',
            422,
            `有单元格超过 ${this.limits.cellChars} 个字符的上限：“${excerpt(this.head)}”，已停止读取`,
            '请缩短该单元格的内容',
          );
        }
      }
    }
    return true;
  }

  private endTagName(): void {
    if (this.nameDone) return;
    this.nameDone = true;
    if (!/^([A-Za-z_][\w.-]*:)?row$/.test(this.tagName)) return;
    if (++this.rows > this.limits.rowsPerSheet) {
      throw new AppError(
        'INVALID_ITEM',
        422,
        `工作表超过 ${this.limits.rowsPerSheet} 行的上限，已停止读取`,
        '请分成几个文件导入',
      );
    }
  }
}
