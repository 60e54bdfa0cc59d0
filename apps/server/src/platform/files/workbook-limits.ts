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

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
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
 * sizes first (a cheap early refusal), then the bytes actually inflated, the rows of each sheet
 * and the length of each text, stopping at the first cap with a 413 (too big) or 422 (too many
 * rows, a cell too long). Memory stays at one chunk whatever the entry unpacks to.
 */
export async function checkWorkbookLimits(buffer: Buffer, limits: WorkbookLimits = WORKBOOK_LIMITS) {
  const entries = centralDirectory(buffer);
  let declared = 0;
  for (const e of entries) declared += e.declaredSize;
  if (declared > limits.unpackedBytes) throw tooBig(limits);
  let unpacked = 0;
  for (const e of entries) {
    const scan = /\.(xml|rels)$/i.test(e.name)
      ? new XmlScan(limits, /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name))
      : null;
    for await (const chunk of inflate(buffer, e)) {
      unpacked += chunk.length;
      if (unpacked > limits.unpackedBytes) throw tooBig(limits);
      scan?.feed(chunk);
    }
  }
}

function centralDirectory(buf: Buffer): Entry[] {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KB, at the end.
  let end = -1;
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === 0x06054b50) {
      end = p;
      break;
    }
  }
  if (end < 0) throw new NotAZip('no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new NotAZip('bad central directory');
    const nameLength = buf.readUInt16LE(p + 28);
    const entry: Entry = {
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      // 0xFFFFFFFF means the size is in a ZIP64 field: over 4 GB, far past any cap.
      declaredSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    };
    if (entry.method !== 0 && entry.method !== 8) throw new NotAZip(`compression method ${entry.method}`);
    entries.push(entry);
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

async function* inflate(buf: Buffer, e: Entry): AsyncGenerator<Buffer> {
  const at = e.localOffset;
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== 0x04034b50) throw new NotAZip('bad local header');
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
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
 * Counts, in the XML as it streams past, the rows of a sheet (`<row>` elements, with or without a
 * namespace prefix) and the length of each text between tags (an entity counts as one character).
 */
class XmlScan {
  private readonly decoder = new StringDecoder('utf8');
  private rows = 0;
  private inTag = false;
  private inEntity = false;
  private tagName = '';
  private nameDone = false;
  private text = 0;
  private head = '';

  constructor(
    private readonly limits: WorkbookLimits,
    private readonly isSheet: boolean,
  ) {}

  feed(chunk: Buffer): void {
    const s = this.decoder.write(chunk);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.inTag) {
        if (c === 62 /* > */) {
          this.endTagName();
          this.inTag = false;
        } else if (!this.nameDone) {
          if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 /* / */) {
            if (this.tagName) this.endTagName();
          } else if (this.tagName.length < 16) this.tagName += s[i];
        }
      } else if (c === 60 /* < */) {
        this.inTag = true;
        this.nameDone = false;
        this.tagName = '';
        this.text = 0;
        this.head = '';
      } else if (this.inEntity) {
        if (c === 59 /* ; */) this.inEntity = false;
      } else {
        if (c === 38 /* & */) this.inEntity = true;
        this.text++;
        if (this.head.length <= EXCERPT_CHARS) this.head += s[i];
        if (this.text > this.limits.cellChars) {
          throw new AppError(
            'INVALID_ITEM',
            422,
            `有单元格超过 ${this.limits.cellChars} 个字符的上限：“${excerpt(this.head)}”，已停止读取`,
            '请缩短该单元格的内容',
          );
        }
      }
    }
  }

  private endTagName(): void {
    if (this.nameDone) return;
    this.nameDone = true;
    if (!this.isSheet || !/^([A-Za-z_][\w.-]*:)?row$/.test(this.tagName)) return;
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
