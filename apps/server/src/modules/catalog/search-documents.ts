import type { SearchDocument, SearchIndex } from '../../platform/search';
import { FACETS } from './facets';
import type { ItemContent } from './repository';
import type { CatalogListener } from './service';
import type { CatalogItemRow } from './tables';

export const ITEMS_COLLECTION = 'catalog-items';

/** The facets a citizen filters by, with the labels they read (the same as browsing uses). */
export function itemFacets(content: ItemContent): Record<string, string[]> {
  const { legal, service } = content;
  return {
    type: [FACETS.type.label(legal.type)],
    department: [legal.implementingBody],
    level: [FACETS.level.label(legal.exerciseLevel)],
    audience: legal.audience.map(FACETS.audience.label),
    theme: service.themes,
    lifeEvent: service.lifeEvents,
    targetGroup: service.targetGroups,
    businessActivity: service.businessActivities,
    enterpriseType: service.enterpriseTypes,
  };
}

export function itemDocument(
  item: CatalogItemRow,
  content: ItemContent,
  publishedAt: string,
): SearchDocument {
  const { legal, service } = content;
  return {
    id: item.id,
    collection: ITEMS_COLLECTION,
    title: legal.name,
    keywords: [
      ...service.keywords,
      item.basic_code,
      item.basic_code + item.impl_code,
      legal.resultName,
    ].filter(Boolean),
    body: [
      service.description,
      service.conditions.map((c) => c.text).join('；'),
      service.materials.map((m) => m.name).join('；'),
      service.scenarios.map((s) => s.name).join('；'),
      legal.legalBasis,
    ]
      .filter(Boolean)
      .join('\n'),
    facets: itemFacets(content),
    // Popular items rank a little higher among equally good matches.
    boost: 1 + Math.log10(1 + item.popularity) / 10,
    updatedAt: publishedAt,
  };
}

/** Keeps the search index in step with what the public may see, in the same transaction. */
export function searchListener(index: SearchIndex): CatalogListener {
  return {
    published: (trx, item, version, content) =>
      index.upsert(trx, itemDocument(item, content, version.published_at ?? item.updated_at)),
    withdrawn: (trx, item) => index.remove(trx, item.id),
  };
}
