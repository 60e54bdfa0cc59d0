import type { FacetCount } from './search-index';

/**
 * What a search needs to know about every document of a collection besides its text: membership,
 * boost, recency and facet values, held in typed arrays indexed by the document's integer seq.
 * Filtering and counting facets over thousands of matches then takes a pass over those arrays
 * instead of a join per query. The database's `search_collections.version` says when it is stale.
 */

export interface SnapshotData {
  version: number;
  /** The collection's documents in static order: boost, then newest, then highest seq. */
  documents: { seq: number; boost: number }[];
  /** Each facet value with the seqs of the documents that have it. */
  facets: { name: string; value: string; seqs: number[] }[];
}

export interface FilterResult {
  /** Matches that are in the collection and pass every filter, in the order given. */
  matched: number[];
  /** How many of the seqs given are in the collection, before filters. */
  inCollection: number;
  facets: Record<string, FacetCount[]>;
}

export class CollectionSnapshot {
  private constructor(
    readonly version: number,
    /** 1 for seqs in the collection. */
    private readonly member: Uint8Array,
    private readonly boost: Float64Array,
    /** Position of each seq in the static order: boost, then newest, then highest seq. */
    private readonly staticRank: Int32Array,
    /** The seqs in static order. */
    private readonly byRank: Int32Array,
    /** Facet value ids of each seq: valueIds[offsets[seq] .. offsets[seq + 1]). */
    private readonly offsets: Int32Array,
    private readonly valueIds: Int32Array,
    /** Per value id: its facet name's id, and its text. */
    private readonly valueName: Int32Array,
    private readonly valueText: string[],
    private readonly names: string[],
    private readonly lookup: Map<string, Map<string, number>>,
  ) {}

  static build(data: SnapshotData): CollectionSnapshot {
    const size = data.documents.reduce((max, d) => Math.max(max, d.seq), 0) + 1;
    const member = new Uint8Array(size);
    const boost = new Float64Array(size);
    const staticRank = new Int32Array(size).fill(-1);
    const byRank = new Int32Array(data.documents.length);
    data.documents.forEach((d, i) => {
      member[d.seq] = 1;
      boost[d.seq] = d.boost;
      staticRank[d.seq] = i;
      byRank[i] = d.seq;
    });

    const names: string[] = [];
    const valueName: number[] = [];
    const valueText: string[] = [];
    const lookup = new Map<string, Map<string, number>>();
    const counts = new Int32Array(size + 1);
    for (const f of data.facets) {
      let values = lookup.get(f.name);
      if (!values) {
        values = new Map();
        lookup.set(f.name, values);
        names.push(f.name);
      }
      values.set(f.value, valueText.length);
      valueText.push(f.value);
      valueName.push(names.indexOf(f.name));
      for (const seq of f.seqs) if (seq < size && member[seq]) counts[seq + 1]++;
    }
    const offsets = new Int32Array(size + 1);
    for (let s = 0; s < size; s++) offsets[s + 1] = offsets[s] + counts[s + 1];
    const fill = offsets.slice(0, size);
    const valueIds = new Int32Array(offsets[size]);
    data.facets.forEach((f, id) => {
      for (const seq of f.seqs) if (seq < size && member[seq]) valueIds[fill[seq]++] = id;
    });

    return new CollectionSnapshot(
      data.version,
      member,
      boost,
      staticRank,
      byRank,
      offsets,
      valueIds,
      Int32Array.from(valueName),
      valueText,
      names,
      lookup,
    );
  }

  isMember(seq: number): boolean {
    return seq < this.member.length && this.member[seq] === 1;
  }

  boostOf(seq: number): number {
    return this.isMember(seq) ? this.boost[seq] : 1;
  }

  staticRankOf(seq: number): number {
    return this.isMember(seq) ? this.staticRank[seq] : Number.MAX_SAFE_INTEGER;
  }

  /**
   * The first `limit` of the given seqs of this collection by boost, then newest first: marks their
   * ranks and walks the ranks in order, linear in the collection's size, with no sort.
   */
  staticOrder(seqs: number[], limit: number): number[] {
    const marks = new Uint8Array(this.byRank.length);
    for (const s of seqs) if (this.isMember(s)) marks[this.staticRank[s]] = 1;
    const out: number[] = [];
    for (let r = 0; r < marks.length && out.length < limit; r++) if (marks[r]) out.push(this.byRank[r]);
    return out;
  }

  /**
   * Keeps the seqs of the collection that pass the filters and counts facet values. A value of a
   * filtered facet is counted over the documents that pass every other filter (a document failing
   * only that facet's filter counts too), so each value shows what choosing it would give.
   */
  filter(seqs: number[], filters: [string, string[]][]): FilterResult {
    const specs = filters.map(([name, values]) => {
      const known = this.lookup.get(name);
      const allowed = new Uint8Array(this.valueText.length);
      for (const v of values) {
        const id = known?.get(v);
        if (id !== undefined) allowed[id] = 1;
      }
      return { nameId: this.names.indexOf(name), allowed };
    });
    const counts = new Int32Array(this.valueText.length);
    const matched: number[] = [];
    let inCollection = 0;
    for (const seq of seqs) {
      if (!this.isMember(seq)) continue;
      inCollection++;
      const from = this.offsets[seq];
      const to = this.offsets[seq + 1];
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < specs.length && failures < 2; f++) {
        let pass = false;
        for (let i = from; i < to && !pass; i++) pass = specs[f].allowed[this.valueIds[i]] === 1;
        if (!pass) {
          failures++;
          failed = specs[f].nameId;
        }
      }
      if (failures === 0) {
        matched.push(seq);
        for (let i = from; i < to; i++) counts[this.valueIds[i]]++;
      } else if (failures === 1 && failed >= 0) {
        for (let i = from; i < to; i++)
          if (this.valueName[this.valueIds[i]] === failed) counts[this.valueIds[i]]++;
      }
    }
    const facets: Record<string, FacetCount[]> = {};
    for (let id = 0; id < counts.length; id++) {
      if (counts[id] === 0) continue;
      const name = this.names[this.valueName[id]];
      const list = facets[name] ?? [];
      list.push({ value: this.valueText[id], count: counts[id] });
      facets[name] = list;
    }
    for (const values of Object.values(facets)) {
      values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    }
    return { matched, inCollection, facets };
  }
}
