import { AUDIENCES, EXERCISE_LEVELS, ITEM_TYPES, type ItemType } from '@govflow/shared';

/** Facet name → the version column holding it and how its values read. */
export const FACETS = {
  type: { column: 'item_type', list: false, label: (v: string) => ITEM_TYPES[v as ItemType]?.zh ?? v },
  department: { column: 'implementing_body', list: false, label: (v: string) => v },
  level: {
    column: 'exercise_level',
    list: false,
    label: (v: string) => EXERCISE_LEVELS[v as keyof typeof EXERCISE_LEVELS] ?? v,
  },
  audience: {
    column: 'audience',
    list: true,
    label: (v: string) => AUDIENCES[v as keyof typeof AUDIENCES] ?? v,
  },
  theme: { column: 'themes', list: true, label: (v: string) => v },
  lifeEvent: { column: 'life_events', list: true, label: (v: string) => v },
  targetGroup: { column: 'target_groups', list: true, label: (v: string) => v },
  businessActivity: { column: 'business_activities', list: true, label: (v: string) => v },
  enterpriseType: { column: 'enterprise_types', list: true, label: (v: string) => v },
} as const;

export type FacetName = keyof typeof FACETS;
export const FACET_NAMES = Object.keys(FACETS) as FacetName[];
