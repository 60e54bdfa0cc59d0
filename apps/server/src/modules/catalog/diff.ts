import type { ItemContent } from './repository';

export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    // Lists of keyed entries (materials, scenarios …) are compared by key, not by position.
    const keyed = value.every((v) => v && typeof v === 'object' && 'key' in v);
    for (const [i, v] of value.entries())
      flatten(v, `${path}[${keyed ? (v as { key: string }).key : i}]`, out);
    if (value.length === 0) out.set(path, []);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, value);
}

/** Field-by-field differences between two versions' content, for the version history. */
export function diffContent(a: ItemContent, b: ItemContent): Change[] {
  const fa = new Map<string, unknown>();
  const fb = new Map<string, unknown>();
  flatten(a, '', fa);
  flatten(b, '', fb);
  const changes: Change[] = [];
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const from = fa.get(path);
    const to = fb.get(path);
    if (JSON.stringify(from) !== JSON.stringify(to))
      changes.push({ path, from: from ?? null, to: to ?? null });
  }
  return changes;
}
