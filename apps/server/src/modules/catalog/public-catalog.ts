import { CASE_TYPES, CHANNELS, TIME_UNITS } from '@govflow/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import type { FacetCount, SearchIndex, SearchResult } from '../../platform/search';
import { FACET_NAMES, FACETS, type FacetName } from './facets';
import { ITEMS_COLLECTION } from './search-documents';

export type { FacetName };

/** Browsing by facets alone reads at most this many items to count facets. */
const BROWSE_LIMIT = 5000;

type PublishedRow = {
  id: string;
  basic_code: string;
  impl_code: string;
  popularity: number;
  name: string;
  item_type: string;
  implementing_body: string;
  exercise_level: string;
  audience: string;
  themes: string;
  life_events: string;
  target_groups: string;
  business_activities: string;
  enterprise_types: string;
  promised_days: number;
  promised_unit: string;
  case_type: string;
  channels: string;
  visits_required: number;
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What citizens and companies see of the catalogue: search, browse by navigation axes, hot items. */
export class PublicCatalog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly index: SearchIndex,
  ) {}

  private published() {
    return this.db
      .selectFrom('catalog_items as i')
      .innerJoin('catalog_versions as v', 'v.id', 'i.current_version_id')
      .where('i.status', '=', 'published')
      .select([
        'i.id',
        'i.basic_code',
        'i.impl_code',
        'i.popularity',
        'v.name',
        'v.item_type',
        'v.implementing_body',
        'v.exercise_level',
        'v.audience',
        'v.themes',
        'v.life_events',
        'v.target_groups',
        'v.business_activities',
        'v.enterprise_types',
        'v.promised_days',
        'v.promised_unit',
        'v.case_type',
        'v.channels',
        'v.visits_required',
      ]);
  }

  private card(r: PublishedRow, highlight?: { title: string; body: string }) {
    return {
      id: r.id,
      catalogCode: r.basic_code + r.impl_code,
      name: r.name,
      highlight: highlight ?? { title: escapeHtml(r.name), body: '' },
      type: FACETS.type.label(r.item_type),
      department: r.implementing_body,
      promisedLimit: `${r.promised_days} 个${TIME_UNITS[r.promised_unit as keyof typeof TIME_UNITS] ?? r.promised_unit}`,
      caseType: CASE_TYPES[r.case_type as keyof typeof CASE_TYPES] ?? r.case_type,
      channels: (JSON.parse(r.channels) as string[]).map((c) => CHANNELS[c as keyof typeof CHANNELS] ?? c),
      visitsRequired: r.visits_required,
    };
  }

  private facetValues(r: PublishedRow, name: FacetName): string[] {
    const f = FACETS[name];
    const raw = r[f.column as keyof PublishedRow] as string;
    return (f.list ? (JSON.parse(raw) as string[]) : [raw]).map(f.label);
  }

  /**
   * A search with words goes to the full-text index; with filters only, it browses the published
   * items (a navigation axis clicked); with neither, it finds nothing.
   */
  async search(q: string, filters: Partial<Record<FacetName, string[]>>, page: number, pageSize: number) {
    const active = Object.fromEntries(Object.entries(filters).filter(([, v]) => v && v.length)) as Record<
      string,
      string[]
    >;
    if (q.trim()) {
      const result: SearchResult = await this.index.search({
        collection: ITEMS_COLLECTION,
        q,
        filters: active,
        page,
        pageSize,
      });
      const ids = result.items.map((h) => h.id);
      const rows = ids.length ? await this.published().where('i.id', 'in', ids).execute() : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      return {
        total: result.total,
        match: result.match,
        items: result.items.flatMap((h) => {
          const r = byId.get(h.id);
          return r ? [this.card(r, h.highlight)] : [];
        }),
        facets: result.facets,
      };
    }
    if (Object.keys(active).length === 0) return { total: 0, match: 'none' as const, items: [], facets: {} };
    const rows = await this.published()
      .orderBy('i.popularity', 'desc')
      .orderBy('v.name')
      .limit(BROWSE_LIMIT)
      .execute();
    const matches = (r: PublishedRow, except?: string) =>
      Object.entries(active).every(
        ([name, values]) =>
          name === except || this.facetValues(r, name as FacetName).some((v) => values.includes(v)),
      );
    const hits = rows.filter((r) => matches(r));
    const facets: Record<string, FacetCount[]> = {};
    for (const name of FACET_NAMES)
      facets[name] = count(
        rows.filter((r) => matches(r, name)),
        (r) => this.facetValues(r, name),
      );
    return {
      total: hits.length,
      match: hits.length ? ('all' as const) : ('none' as const),
      items: hits.slice((page - 1) * pageSize, page * pageSize).map((r) => this.card(r)),
      facets,
    };
  }

  async suggest(prefix: string, limit: number) {
    return this.index.suggest({ collection: ITEMS_COLLECTION, prefix, limit });
  }

  async hot(limit: number) {
    const rows = await this.published()
      .orderBy('i.popularity', 'desc')
      .orderBy('v.name')
      .limit(limit)
      .execute();
    return rows.map((r) => this.card(r));
  }

  /**
   * Items related to one: those sharing the most themes, life events and target groups with it,
   * then the most viewed. Read from the catalogue, not the index: tags are exact.
   */
  async related(itemId: string, limit = 6) {
    const self = await this.published().where('i.id', '=', itemId).executeTakeFirst();
    if (!self) return [];
    const tags = (r: PublishedRow) =>
      new Set([
        ...(JSON.parse(r.themes) as string[]).map((t) => `t:${t}`),
        ...(JSON.parse(r.life_events) as string[]).map((t) => `l:${t}`),
        ...(JSON.parse(r.target_groups) as string[]).map((t) => `g:${t}`),
      ]);
    // Only items sharing at least one tag are read (a match on the JSON text, then exact below),
    // so a guide view does not scan the whole catalogue.
    const columns = { t: 'v.themes', l: 'v.life_events', g: 'v.target_groups' } as const;
    const wanted = [...tags(self)].map((t) => ({
      column: columns[t[0] as keyof typeof columns],
      text: t.slice(2),
    }));
    if (wanted.length === 0) return [];
    const rows = await this.published()
      .where('i.id', '!=', itemId)
      .where((eb) =>
        eb.or(wanted.map((w) => eb(w.column, 'like', `%${JSON.stringify(w.text).replace(/[%_]/g, '')}%`))),
      )
      .limit(BROWSE_LIMIT)
      .execute();
    const mine = tags(self);
    return rows
      .map((r) => ({ r, shared: [...tags(r)].filter((t) => mine.has(t)).length }))
      .filter((x) => x.shared > 0)
      .sort(
        (a, b) => b.shared - a.shared || b.r.popularity - a.r.popularity || a.r.name.localeCompare(b.r.name),
      )
      .slice(0, limit)
      .map(({ r }) => ({
        id: r.id,
        catalogCode: r.basic_code + r.impl_code,
        name: r.name,
        type: FACETS.type.label(r.item_type),
      }));
  }

  /** The navigation axes with how many published items each value leads to. */
  async navigation() {
    const rows = await this.published().limit(BROWSE_LIMIT).execute();
    const axis = (name: FacetName) => count(rows, (r) => this.facetValues(r, name));
    return {
      persons: { lifeEvent: axis('lifeEvent'), targetGroup: axis('targetGroup'), theme: axis('theme') },
      companies: {
        businessActivity: axis('businessActivity'),
        enterpriseType: axis('enterpriseType'),
        theme: axis('theme'),
      },
      departments: axis('department'),
      types: axis('type'),
    };
  }
}

function count<T>(rows: T[], values: (r: T) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const r of rows) for (const v of new Set(values(r))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, n]) => ({ value, count: n }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
