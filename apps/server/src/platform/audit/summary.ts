import { beijingTime, isIsoTime } from '@govflow/shared';
import {
  AUDIT_ACTION_GROUPS,
  auditActionName,
  type DetailField,
  detailField,
  isAuditAction,
  ownFields,
} from './actions';
import type { AuditRef, NameBook } from './names';

type Detail = Record<string, unknown>;

const isObject = (v: unknown): v is Detail => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ids inside a detail that name rows (an org's parent, a version's item …), to look up with the page. */
export function detailRefs(action: string, detail: unknown, out: AuditRef[] = []): AuditRef[] {
  if (Array.isArray(detail)) for (const d of detail) detailRefs(action, d, out);
  if (!isObject(detail)) return out;
  for (const [key, value] of Object.entries(detail)) {
    const ref = detailField(action, key)?.ref;
    if (ref && typeof value === 'string') out.push({ type: ref, id: value });
    else if (ref && Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string') out.push({ type: ref, id: v });
    } else if (typeof value === 'object') detailRefs(action, value, out);
  }
  return out;
}

/**
 * The detail as a Chinese sentence: "名称：和平区；上级机构：沈阳市". Labels and value codes come from
 * the action registry, ids are shown by name, times in Beijing time; what is masked in the stored
 * detail stays masked. Fields nobody labelled are shown under their own key rather than dropped.
 */
export function summariseDetail(action: string, detail: unknown, book: NameBook): string {
  return isObject(detail) ? fields(action, detail, book).join('；') : '';
}

function fields(action: string, detail: Detail, book: NameBook): string[] {
  const out: string[] = [];
  // The fields the action itself labels come first, in its order (what was refused before the code).
  const own = Object.keys(ownFields(action));
  const keys = [
    ...own.filter((k) => Object.hasOwn(detail, k)),
    ...Object.keys(detail).filter((k) => !own.includes(k)),
  ];
  for (const [key, value] of keys.map((k) => [k, detail[k]] as const)) {
    const spec = detailField(action, key);
    if (spec?.hidden || isEmpty(value)) continue;
    out.push(`${spec?.label ?? key}：${formatValue(action, spec, value, book)}`);
  }
  return out;
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return isObject(value) && Object.keys(value).length === 2 && 'from' in value && 'to' in value;
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.values(value).every(isEmpty))
  );
}

function formatValue(action: string, spec: DetailField | undefined, value: unknown, book: NameBook): string {
  if (spec?.count && Array.isArray(value)) return `${value.length} 处`;
  // Items of a list are parted by '，' (names such as permissions' contain '、'); objects come bracketed.
  if (Array.isArray(value))
    return value.map((v) => formatValue(action, spec, v, book)).join(value.every(isObject) ? '' : '，');
  // A change of one field ({from, to}) reads "甲 → 乙", its values named as the field's own are.
  if (isChange(value))
    return `${formatValue(action, spec, value.from ?? '—', book)} → ${formatValue(action, spec, value.to ?? '—', book)}`;
  if (isObject(value)) return `（${fields(action, value, book).join('，')}）`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  if (spec?.ref) {
    const name = book.name(spec.ref, text);
    if (name === null) return `${text}（已不存在）`;
    if (name !== undefined) return name;
  }
  if (spec?.actionCode) return actionLabel(text);
  if (spec?.values && Object.hasOwn(spec.values, text)) return spec.values[text];
  if (isIsoTime(text)) return beijingTime(text);
  return text;
}

/** A filter's action: a whole code by its name, the start of one by its group ("账号类操作"). */
function actionLabel(code: string): string {
  if (isAuditAction(code)) return auditActionName(code);
  const group = AUDIT_ACTION_GROUPS[code.replace(/\.$/, '')];
  return group ? `${group}类操作` : code;
}
