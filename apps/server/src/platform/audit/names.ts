/** Names rows of one type by id (or code): one query for many ids. Ids it does not know are left out. */
export type NameLookup = (ids: readonly string[]) => Promise<Map<string, string>>;

/** A lookup's answer from rows selected as `id` and `name`. */
export async function nameMap(rows: Promise<{ id: string; name: string }[]>): Promise<Map<string, string>> {
  return new Map((await rows).map((r) => [r.id, r.name]));
}

export interface AuditRef {
  type: string;
  id: string;
}

export interface TargetType {
  label: string;
  /** Names its rows; default: the id is the name (a route, a library's code). */
  lookup?: NameLookup;
  /** Only named inside details (a role by its code), never an entry's target: not a filter choice. */
  detailOnly?: true;
}

/** What a page's references are called, found with one lookup per type. */
export class NameBook {
  constructor(private readonly found: Map<string, Map<string, string>>) {}

  /** The name; null when the row is gone; undefined when nothing can name this type. */
  name(type: string, id: string): string | null | undefined {
    const names = this.found.get(type);
    if (!names) return undefined;
    return names.get(id) ?? null;
  }
}

/**
 * The types of object the trail's entries point at, and how each is named. The platform knows no
 * domain: each module registers its own types (the identity module names users and orgs, the
 * catalogue its items …) when the context is built. Names are looked up when the trail is read,
 * so the chain keeps covering only what was stored.
 */
export class AuditNames {
  readonly #types = new Map<string, TargetType>();
  #actorSearch: ((name: string) => Promise<string[]>) | null = null;
  #onLookup: ((type: string, ids: readonly string[]) => void) | null = null;

  constructor() {
    // The platform's own: a refused request names the route it asked for.
    this.define('route', { label: '接口' });
  }

  define(type: string, spec: TargetType): void {
    this.#types.set(type, spec);
  }

  /** Finds the ids of the users whose display name is this (the actor filter takes names). */
  defineActorSearch(search: (name: string) => Promise<string[]>): void {
    this.#actorSearch = search;
  }

  actorsNamed(name: string): Promise<string[]> {
    return this.#actorSearch ? this.#actorSearch(name) : Promise.resolve([]);
  }

  typeLabel(type: string): string {
    return this.#types.get(type)?.label ?? type;
  }

  /** The registered types that are shown as targets (the filter's choices). */
  targetTypes(): { type: string; label: string }[] {
    return [...this.#types].filter(([, t]) => !t.detailOnly).map(([type, t]) => ({ type, label: t.label }));
  }

  async resolve(refs: Iterable<AuditRef>): Promise<NameBook> {
    const idsByType = new Map<string, Set<string>>();
    for (const r of refs) {
      if (!this.#types.has(r.type)) continue;
      const ids = idsByType.get(r.type) ?? new Set<string>();
      idsByType.set(r.type, ids.add(r.id));
    }
    const found = new Map<string, Map<string, string>>();
    await Promise.all(
      [...idsByType].map(async ([type, ids]) => {
        const list = [...ids];
        this.#onLookup?.(type, list);
        const { lookup } = this.#types.get(type) as TargetType;
        found.set(type, lookup ? await lookup(list) : new Map(list.map((id) => [id, id])));
      }),
    );
    return new NameBook(found);
  }

  /** Tests watch the lookups (one per type and page); returns the function that stops watching. */
  spy(onLookup: (type: string, ids: readonly string[]) => void): () => void {
    this.#onLookup = onLookup;
    return () => {
      this.#onLookup = null;
    };
  }
}
