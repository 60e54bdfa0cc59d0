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
   * Items related to one, by theme and department: a related item shares a theme or life event
   * (the same value as theme and as life event counts once) and either is implemented by the same
   * department (or the same kind of department in another region: 和平区民政局 and 沈阳市民政局),
   * or shares two of them. One broad shared tag alone (就业 is on a sixth of a catalogue) relates
   * nothing. Ranked by department, then shared tags (and target groups, half as much), then shared
   * characters of the names, then the most viewed. Read from the catalogue, not the index: tags are exact.
   */
  async related(itemId: string, limit = 6) {
    const self = await this.published().where('i.id', '=', itemId).executeTakeFirst();
    if (!self) return [];
    const topics = (r: PublishedRow) =>
      new Set([...(JSON.parse(r.themes) as string[]), ...(JSON.parse(r.life_events) as string[])]);
    const groups = (r: PublishedRow) => new Set(JSON.parse(r.target_groups) as string[]);
    const mine = topics(self);
    if (mine.size === 0) return [];
    const kind = departmentKind(self.implementing_body);
    // Only items sharing a topic are read (a match on the JSON text, then exact below), so a guide
    // view does not scan the whole catalogue.
    const pattern = (t: string) => `%${JSON.stringify(t).replace(/[%_]/g, '')}%`;
    const rows = await this.published()
      .where('i.id', '!=', itemId)
      .where((eb) =>
        eb.or(
          [...mine].flatMap((t) => [
            eb('v.themes', 'like', pattern(t)),
            eb('v.life_events', 'like', pattern(t)),
          ]),
        ),
      )
      .limit(BROWSE_LIMIT)
      .execute();
    const myGroups = groups(self);
    const myChars = new Set(hanChars(self.name));
    return rows
      .flatMap((r) => {
        const shared = [...topics(r)].filter((t) => mine.has(t)).length;
        const department =
          r.implementing_body === self.implementing_body
            ? 2
            : kind !== null && departmentKind(r.implementing_body) === kind
              ? 1
              : 0;
        if (shared === 0 || (department === 0 && shared < 2)) return [];
        const sharedGroups = [...groups(r)].filter((g) => myGroups.has(g)).length;
        const sharedChars = new Set(hanChars(r.name).filter((c) => myChars.has(c))).size;
        return [{ r, score: department + shared + sharedGroups / 2, sharedChars }];
      })
      .sort(
        (a, b) =>
          b.score - a.score ||
          b.sharedChars - a.sharedChars ||
          b.r.popularity - a.r.popularity ||
          a.r.name.localeCompare(b.r.name),
      )
      .slice(0, limit)
      .map(({ r }) => ({
        id: r.id,
        catalogCode: r.basic_code + r.impl_code,
        name: r.name,
        type: FACETS.type.label(r.item_type),
        department: r.implementing_body,
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

const HAN_CHAR = /(?=\p{L})\p{Script=Han}/gu;

function hanChars(text: string): string[] {
  return text.match(HAN_CHAR) ?? [];
}

/**
 * What a department is, without the region it serves: 和平区民政局 and 沈阳市民政局 are both 民政局.
 * Null when the name does not start with a region (two or more characters ending in 省, 自治区, 市,
 * 州, 盟, 区, 县 or 旗).
 */
export function departmentKind(body: string): string | null {
  const m = /^\p{Script=Han}{2,}?(?:自治区|省|市|州|盟|区|县|旗)(.+)$/u.exec(body);
  return m ? m[1] : null;
}

function count<T>(rows: T[], values: (r: T) => string[]): FacetCount[] {
  const counts = new Map<string, number>();
  for (const r of rows) for (const v of new Set(values(r))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, n]) => ({ value, count: n }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
