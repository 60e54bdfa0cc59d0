import {
  type ControlSettings,
  ITEM_STATUS_NAMES,
  type LegalFields,
  type ServiceFields,
  VERSION_STATUS_NAMES,
} from '@govflow/shared';

/** Staff-side catalogue API shapes, as the web app reads them. */

export type ItemStatus = 'draft' | 'published' | 'suspended' | 'cancelled';
export type VersionStatus = 'draft' | 'in-review' | 'published' | 'superseded';

export interface CatalogListItem {
  id: string;
  catalogCode: string;
  implCode: string;
  basicCode: string;
  /** The department that exercises the item, by name. */
  implementingBody: string;
  type: string;
  status: ItemStatus;
  orgId: string;
  name: string;
  latestVersionNo: number;
  latestVersionStatus: VersionStatus;
  updatedAt: string;
}

/** What a person did to a version, in the order a version goes through them. */
export const VERSION_ACTS = {
  create: '创建',
  'edit-legal': '改法定要素',
  'edit-service': '改服务要素',
  'edit-control': '改管控设置',
  submit: '提交审核',
} as const;

/** Someone who created, edited or submitted a version and so may not approve it (four eyes). */
export interface BarredReviewer {
  userId: string;
  displayName: string;
  acts: (keyof typeof VERSION_ACTS)[];
  /** Why, as a sentence without a subject: “编辑了管控设置，按四眼原则不能审核发布此版本”. */
  reason: string;
}

export interface CatalogVersionSummary {
  id: string;
  versionNo: number;
  status: VersionStatus;
  name: string;
  updatedAt: string;
  publishedAt: string | null;
  reviewNote: string | null;
  approvalBarred: BarredReviewer[];
}

export interface CatalogItemDetail {
  id: string;
  catalogCode: string;
  implCode: string;
  basicCode: string;
  type: string;
  status: ItemStatus;
  name: string;
  currentVersionNo: number | null;
  latestVersionNo: number;
  latestVersionStatus: VersionStatus;
  versions: CatalogVersionSummary[];
}

export interface ItemContent {
  legal: LegalFields;
  service: ServiceFields;
  control: ControlSettings;
}

export interface CatalogVersion {
  id: string;
  versionNo: number;
  status: VersionStatus;
  reviewNote: string | null;
  approvalBarred: BarredReviewer[];
  content: ItemContent;
}

export interface CatalogDiff {
  from: number;
  to: number;
  /** `label` names the field in Chinese; the texts are the values as people read them. */
  changes: { path: string; label: string; from: unknown; to: unknown; fromText: string; toText: string }[];
}

/** The states' names come from shared (messages use them too); the colours are the page's own. */
export const ITEM_STATUSES: Record<ItemStatus, { label: string; color: string }> = {
  draft: { label: ITEM_STATUS_NAMES.draft, color: 'default' },
  published: { label: ITEM_STATUS_NAMES.published, color: 'green' },
  suspended: { label: ITEM_STATUS_NAMES.suspended, color: 'orange' },
  cancelled: { label: ITEM_STATUS_NAMES.cancelled, color: 'red' },
};

export const VERSION_STATUSES: Record<VersionStatus, { label: string; color: string }> = {
  draft: { label: VERSION_STATUS_NAMES.draft, color: 'default' },
  'in-review': { label: VERSION_STATUS_NAMES['in-review'], color: 'processing' },
  published: { label: VERSION_STATUS_NAMES.published, color: 'green' },
  superseded: { label: VERSION_STATUS_NAMES.superseded, color: 'default' },
};

/** One row of an imported workbook that was not imported, with the row number the spreadsheet shows. */
export interface ImportRejectedRow {
  sheet: string;
  row: number;
  basicCode: string;
  reason: string;
}

/** The answer of `POST /catalog/import`. */
export interface ImportReport {
  imported: number;
  /** Items found in the workbook (rows of its 事项 sheet). */
  total?: number;
  /** Rows not imported; `rejected` lists the first hundred of them. */
  rejectedCount: number;
  rejected: ImportRejectedRow[];
}
