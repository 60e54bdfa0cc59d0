import { PassThrough, type Readable } from 'node:stream';
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
  if (!e.actorName && !e.actorId) return '系统';
  if (e.actorDisplayName && e.actorName && e.actorDisplayName !== e.actorName)
    return `${e.actorDisplayName}（${e.actorName}）`;
  return e.actorDisplayName ?? e.actorName ?? e.actorId ?? '';
}

export interface AuditExport {
  /** How many entries the workbook holds. */
  rows: number;
  /** The newest entry included: entries written while the workbook is written are not in it. */
  upToSeq: number | null;
  stream: Readable;
}

/**
 * The filtered trail as an xlsx workbook, newest first, written as a stream in chunks of entries
 * (each chunk's names looked up together). Refuses before writing anything when more than
 * `maxRows` entries match.
 */
export async function exportAuditTrail(
  ctx: { db: Kysely<Database>; audit: AuditTrail },
  filters: AuditFilters,
  { maxRows = AUDIT_EXPORT_MAX_ROWS }: { maxRows?: number } = {},
): Promise<AuditExport> {
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
  const stream = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'GovFlow';
  const write = async () => {
    const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let cursor = upToSeq;
    while (cursor !== null) {
      const chunk = await base
        .selectAll()
        .where('seq', '<=', cursor)
        .orderBy('seq', 'desc')
        .limit(CHUNK)
        .execute();
      for (const e of await readableEntries(chunk, ctx.audit.names)) {
        ws.addRow(COLUMNS.map((c) => clip(c.value(e)))).commit();
      }
      cursor = chunk.length === CHUNK ? Number(chunk[chunk.length - 1].seq) - 1 : null;
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err) => stream.destroy(err));
  return { rows, upToSeq, stream };
}

function clip(value: string | number): string | number {
  return typeof value === 'string' && value.length > MAX_CELL ? `${value.slice(0, MAX_CELL)}…` : value;
}
