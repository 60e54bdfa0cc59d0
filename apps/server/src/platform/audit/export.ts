import { type Readable, Transform, type Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { beijingTime } from '@govflow/shared';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import { AppError } from '../http/errors';
import { type AuditFilters, filteredEntries, type ReadableEntry, readableEntries } from './read';
import type { AuditTrail } from './trail';

/** At most this many entries in one workbook: about 10 MB, and what Excel opens without complaint. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
/** Entries read, named and written at a time. */
const CHUNK = 1000;
/** Excel refuses a cell longer than 32,767 characters. */
const MAX_CELL = 32_000;

const COLUMNS: { header: string; width: number; value: (e: ReadableEntry) => string | number }[] = [
  { header: '序号', width: 10, value: (e) => e.seq },
  { header: '时间（北京时间）', width: 21, value: (e) => beijingTime(e.at) },
  { header: '操作人', width: 20, value: actorCell },
  { header: '操作', width: 20, value: (e) => e.actionName },
  { header: '对象类型', width: 12, value: (e) => e.targetTypeName ?? '' },
  { header: '对象', width: 28, value: (e) => e.targetName ?? '' },
  { header: '结果', width: 8, value: (e) => e.outcomeName },
  { header: '摘要', width: 60, value: (e) => e.summary },
  { header: 'IP', width: 16, value: (e) => e.ip ?? '' },
  { header: '请求编号', width: 38, value: (e) => e.requestId ?? '' },
  { header: '操作代码', width: 26, value: (e) => e.action },
  { header: '对象编号', width: 38, value: (e) => e.targetId ?? '' },
  { header: '详情（原始记录）', width: 40, value: (e) => JSON.stringify(e.detail) },
  { header: '哈希', width: 66, value: (e) => e.hash },
];

function actorCell(e: ReadableEntry): string {
  if (!e.actorId) {
    if (e.actorDisplayName) return `系统：${e.actorDisplayName}`;
    return e.actorName ? `${e.actorName}（未登录）` : '系统';
  }
  if (e.actorDisplayName && e.actorName && e.actorDisplayName !== e.actorName)
    return `${e.actorDisplayName}（${e.actorName}）`;
  return e.actorDisplayName ?? e.actorName ?? e.actorId;
}

export interface AuditExportEnd {
  /** finished: the workbook was written whole; cancelled: the client went away or stalled. */
  outcome: 'finished' | 'cancelled' | 'failed';
  /** Entries written to the workbook before it ended. */
  written: number;
  /** Chunks of entries read from the database. */
  chunks: number;
  error?: unknown;
}

export interface AuditExport {
  /** How many entries the workbook holds. */
  rows: number;
  /** The newest entry included: entries written while the workbook is written are not in it. */
  upToSeq: number | null;
  stream: Readable;
  /** Settles (never rejects) when the export stops: written whole, or given up. */
  done: Promise<AuditExportEnd>;
}

export interface AuditExportOptions {
  maxRows?: number;
  chunkSize?: number;
  /** Give up when the client has taken nothing for this long (it holds the one export slot). */
  stallMs?: number;
  /** Called after each chunk is read from the database (tests count them). */
  onChunk?: (chunks: number) => void;
}

/** A client that takes nothing for this long is treated as gone (it would hold the one export slot). */
const STALL_MS = 60_000;

/** The trails with an export under way: one at a time per server, each holds a chunk in memory. */
const exporting = new WeakSet<AuditTrail>();

/**
 * The filtered trail as an xlsx workbook, newest first, written as a stream in chunks of entries
 * (each chunk's names looked up together). Refuses before writing anything when more than
 * `maxRows` entries match, or while another export is under way on this server.
 *
 * The next chunk is read only once the client has taken what was written (the stream drained), and
 * not at all once it has gone: a slow or vanished client costs one chunk of memory, not the trail.
 */
export async function exportAuditTrail(
  ctx: { db: Kysely<Database>; audit: AuditTrail },
  filters: AuditFilters,
  {
    maxRows = AUDIT_EXPORT_MAX_ROWS,
    chunkSize = CHUNK,
    stallMs = STALL_MS,
    onChunk,
  }: AuditExportOptions = {},
): Promise<AuditExport> {
  if (exporting.has(ctx.audit)) {
    throw new AppError(
      'EXPORT_IN_PROGRESS',
      429,
      '另一份审计日志正在导出，请等它完成后再导出',
      '同一时间只进行一份导出；上一份下载完成或取消后即可再次导出',
    );
  }
  exporting.add(ctx.audit);
  let handedOver = false;
  try {
    const base = await filteredEntries(ctx.db, ctx.audit.names, filters);
    const counted = await base
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('seq').as('top')])
      .executeTakeFirstOrThrow();
    const rows = Number(counted.n);
    if (rows > maxRows) {
      throw new AppError(
        'EXPORT_TOO_LARGE',
        422,
        `符合条件的审计记录有 ${rows.toLocaleString('zh-CN')} 条，超过单次导出上限 ${maxRows.toLocaleString('zh-CN')} 条`,
        '请缩小时间范围，或按操作、操作人、结果筛选后分批导出',
      );
    }
    const upToSeq = counted.top === null ? null : Number(counted.top);
    // Counts what the client's side takes: nothing taken for `stallMs` and the export is given up.
    let moved = 0;
    const stream = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        moved += chunk.length;
        done(null, chunk);
      },
    });
    const closed = new Promise<false>((resolve) => stream.once('close', () => resolve(false)));
    let seen = -1;
    const watchdog = setInterval(() => {
      if (moved === seen) stream.destroy();
      seen = moved;
    }, stallMs);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    wb.creator = 'GovFlow';
    let written = 0;
    let chunks = 0;
    const gone = () => stream.destroyed || stream.closed;
    const write = async (): Promise<AuditExportEnd['outcome']> => {
      const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      let cursor = upToSeq;
      const zipInput = sheetZipInput(ws);
      while (cursor !== null) {
        // SQLite answers synchronously: without a turn of the event loop the zip and the socket
        // would not move until every chunk had been read.
        await setImmediate();
        // Read on only once the last chunk has gone through the zip and the client took it.
        for (let backlog = needsDrain(zipInput, stream); backlog; backlog = needsDrain(zipInput, stream)) {
          if (!(await drained(backlog, closed))) return 'cancelled';
        }
        if (gone()) return 'cancelled';
        const chunk = await base
          .selectAll()
          .where('seq', '<=', cursor)
          .orderBy('seq', 'desc')
          .limit(chunkSize)
          .execute();
        onChunk?.(++chunks);
        for (const e of await readableEntries(chunk, ctx.audit.names)) {
          ws.addRow(COLUMNS.map((c) => clip(c.value(e)))).commit();
          written++;
        }
        cursor = chunk.length === chunkSize ? Number(chunk[chunk.length - 1].seq) - 1 : null;
      }
      ws.commit();
      // The last chunk and the workbook's other parts still go through the zip to the client.
      await Promise.race([wb.commit(), closed]);
      return gone() ? 'cancelled' : 'finished';
    };
    const done = write().then(
      (outcome): AuditExportEnd => ({ outcome, written, chunks }),
      (error: unknown): AuditExportEnd => {
        stream.destroy(error as Error);
        return { outcome: gone() && !stream.errored ? 'cancelled' : 'failed', written, chunks, error };
      },
    );
    void done.finally(() => {
      clearInterval(watchdog);
      exporting.delete(ctx.audit);
    });
    handedOver = true;
    return { rows, upToSeq, stream, done };
  } finally {
    if (!handedOver) exporting.delete(ctx.audit);
  }
}

/** A stream as far as waiting for it to drain goes (archiver's are readable-stream 2 streams). */
interface Drainable {
  _writableState?: { needDrain?: boolean };
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/**
 * Where ExcelJS hands the sheet's XML to the zip. ExcelJS writes there without heeding its answer,
 * so the rows of a slow download would pile up in it: the export waits for it instead.
 */
function sheetZipInput(ws: unknown): Drainable | null {
  const target = (ws as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as Drainable | undefined;
  return target && typeof target.once === 'function' && target._writableState ? target : null;
}

function needsDrain(zipInput: Drainable | null, output: Writable): Drainable | null {
  if (zipInput?._writableState?.needDrain) return zipInput;
  return output.writableNeedDrain ? output : null;
}

/** Whether `backlog` drained (true) before the output closed (false). */
async function drained(backlog: Drainable, closed: Promise<false>): Promise<boolean> {
  let onDrain = () => {};
  const drain = new Promise<true>((resolve) => {
    onDrain = () => resolve(true);
    backlog.once('drain', onDrain);
  });
  const ok = await Promise.race([drain, closed]);
  backlog.off('drain', onDrain);
  return ok;
}

function clip(value: string | number): string | number {
  return typeof value === 'string' && value.length > MAX_CELL ? `${value.slice(0, MAX_CELL)}…` : value;
}
