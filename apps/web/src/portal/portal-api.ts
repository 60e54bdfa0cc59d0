/** Response shapes of the public (no login) catalogue API, as the portal reads them. */

export interface FacetValue {
  value: string;
  count: number;
}

export const FACET_NAMES = {
  type: '事项类型',
  department: '实施部门',
  level: '行使层级',
  audience: '服务对象',
  theme: '主题',
  lifeEvent: '人生事件',
  targetGroup: '特定人群',
  // Company axes of the navigation page; not (yet) facets of the search answer.
  businessActivity: '经营活动',
  enterpriseType: '企业类型',
} as const;
export type FacetName = keyof typeof FACET_NAMES;
export const FACET_KEYS = Object.keys(FACET_NAMES) as FacetName[];

export interface SearchHit {
  id: string;
  catalogCode: string;
  name: string;
  highlight: { title: string; body: string };
  type: string;
  department: string;
  promisedLimit: string;
  channels: string[];
}

export interface SearchResult {
  total: number;
  match?: string;
  items: SearchHit[];
  facets: Partial<Record<FacetName, FacetValue[]>>;
}

export interface Suggestion {
  id: string;
  title: string;
  highlight: string;
}

export interface HotItem {
  id: string;
  catalogCode: string;
  name: string;
  type: string;
  department: string;
}

export interface Navigation {
  persons: { lifeEvent: FacetValue[]; targetGroup: FacetValue[]; theme: FacetValue[] };
  companies: { businessActivity: FacetValue[]; enterpriseType: FacetValue[]; theme: FacetValue[] };
  departments: FacetValue[];
}

export interface GuideMaterial {
  key: string;
  name: string;
  form: string;
  source: string;
  copies: number;
  required: boolean;
  scenario: string | null;
  acceptanceStandard: string;
  deferrable: boolean;
  waivable: boolean;
  sampleUrl: string | null;
}

export interface Guide {
  itemId: string;
  catalogCode: string;
  implCode: string;
  versionNo: number;
  publishedAt: string | null;
  name: string;
  elements: { key: string; title: string; value: string }[];
  scenarios: { key: string; name: string; description: string }[];
  materials: GuideMaterial[];
  conditions: { text: string; required: boolean; scenario: string | null }[];
  fees: { name: string; text: string }[];
  faq: { q: string; a: string }[];
  howToApply: GuideHowToApply;
  /** Related published items (相关事项); absent from servers that do not send it. */
  related?: GuideRelatedItem[];
}

/** How and where an item is applied for, from its channels and its place, hours and phones. */
export interface GuideHowToApply {
  /** `coming`: the item is put online, but online application is not open yet; `none`: not online. */
  online: 'coming' | 'none';
  /** Applied for at the department's window (walk-in or by appointment). */
  window: boolean;
  appointment: boolean;
  courier: boolean;
  payment: boolean;
  department: string;
  location: string;
  officeHours: string;
  enquiryPhone: string;
  supervisionPhone: string;
  visitsRequired: number;
}

export interface GuideRelatedItem {
  id: string;
  catalogCode: string;
  name: string;
  type: string;
  /** The implementing department's name. */
  department: string;
}
