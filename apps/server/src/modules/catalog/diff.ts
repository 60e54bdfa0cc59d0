import {
  AUDIENCES,
  BODY_NATURES,
  CASE_TYPES,
  CHANNELS,
  describeFieldPath,
  EXERCISE_LEVELS,
  ITEM_TYPES,
  MANAGEMENT_AREAS,
  MATERIAL_FORMS,
  MATERIAL_SOURCES,
  REUSE_CLASSES,
  TIME_UNITS,
  TONGBAN_SCOPES,
} from '@govflow/shared';
import type { ItemContent } from './repository';

export interface Change {
  /** Where the value sits, for programs: `service.materials[m1].copies`. */
  path: string;
  /** The same place in Chinese for people: `服务要素的材料「营业执照」的份数`. */
  label: string;
  from: unknown;
  to: unknown;
  /** Both values as people read them: names instead of codes, 是/否, lists joined, — for none. */
  fromText: string;
  toText: string;
}

/** The names of coded values, by the field that holds them. */
const VALUE_NAMES: Record<string, Record<string, string>> = {
  type: Object.fromEntries(Object.entries(ITEM_TYPES).map(([k, v]) => [k, v.zh])),
  unit: TIME_UNITS,
  exerciseLevel: EXERCISE_LEVELS,
  audience: AUDIENCES,
  bodyNature: BODY_NATURES,
  caseType: CASE_TYPES,
  tongbanScope: TONGBAN_SCOPES,
  managementArea: MANAGEMENT_AREAS,
  form: MATERIAL_FORMS,
  source: MATERIAL_SOURCES,
  reuseClass: REUSE_CLASSES,
  channels: CHANNELS,
  medium: { paper: '纸质', electronic: '电子', both: '纸质和电子' },
};

/** A value as people read it; `field` is the last key of its path (an array's own key for its items). */
function valueText(value: unknown, field: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length ? value.map((v) => valueText(v, field)).join('、') : '（无）';
  if (typeof value === 'object') return JSON.stringify(value);
  const names = VALUE_NAMES[field];
  return (names && typeof value === 'string' && names[value]) || String(value);
}

/** The field a path's value belongs to: `service.channels[0]` → channels, `legal.statutoryLimit.unit` → unit. */
function fieldOf(path: string): string {
  const last = path.split('.').at(-1) ?? '';
  return last.replace(/\[[^\]]*\]$/, '');
}

interface Leaf {
  label: string;
  value: unknown;
}

/** A keyed entry's name as people know it (a material's name, a node's name, a condition's text). */
function entryName(entry: Record<string, unknown>): string {
  const name = entry.name ?? entry.label ?? entry.text ?? entry.key;
  const s = String(name);
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
}

function flatten(value: unknown, path: string, label: string, out: Map<string, Leaf>): void {
  if (Array.isArray(value)) {
    // Lists of keyed entries (materials, scenarios …) are compared by key, not by position, and named by name.
    const keyed = value.every((v) => v && typeof v === 'object' && 'key' in v);
    for (const [i, v] of value.entries()) {
      const entry = v as Record<string, unknown>;
      const id = keyed ? String(entry.key) : String(i);
      const entryLabel = keyed ? `${label}「${entryName(entry)}」` : `${label}第 ${i + 1} 项`;
      flatten(v, `${path}[${id}]`, entryLabel, out);
    }
    if (value.length === 0) out.set(path, { label, value: [] });
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const name = describeFieldPath([k]);
      flatten(v, path ? `${path}.${k}` : k, label ? `${label}的${name}` : name, out);
    }
    return;
  }
  out.set(path, { label, value });
}

/** Field-by-field differences between two versions' content, for the version history. */
export function diffContent(a: ItemContent, b: ItemContent): Change[] {
  const fa = new Map<string, Leaf>();
  const fb = new Map<string, Leaf>();
  flatten(a, '', '', fa);
  flatten(b, '', '', fb);
  const changes: Change[] = [];
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const from = fa.get(path);
    const to = fb.get(path);
    if (JSON.stringify(from?.value) !== JSON.stringify(to?.value))
      changes.push({
        path,
        // The newer version names an entry (a renamed material shows its new name).
        label: (to ?? from)?.label ?? path,
        from: from?.value ?? null,
        to: to?.value ?? null,
        fromText: valueText(from?.value, fieldOf(path)),
        toText: valueText(to?.value, fieldOf(path)),
      });
  }
  return changes;
}
