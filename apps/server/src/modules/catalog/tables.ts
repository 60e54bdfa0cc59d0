export type ItemStatus = 'draft' | 'published' | 'suspended' | 'cancelled';
export type VersionStatus = 'draft' | 'in-review' | 'published' | 'superseded';

export interface CatalogItemRow {
  id: string;
  impl_code: string;
  basic_code: string;
  item_type: string;
  org_id: string;
  org_path: string;
  region_code: string;
  status: ItemStatus;
  current_version_id: string | null;
  popularity: number;
  created_at: string;
  updated_at: string;
}

export interface CatalogVersionRow {
  id: string;
  item_id: string;
  version_no: number;
  status: VersionStatus;
  name: string;
  item_type: string;
  management_area: string | null;
  legal_basis: string;
  exercise_level: string;
  implementing_body: string;
  body_nature: string;
  audience: string;
  statutory_days: number;
  statutory_unit: string;
  quantity_limit: string;
  result_name: string;
  has_fee: number;
  fee_basis: string;
  promised_days: number;
  promised_unit: string;
  case_type: string;
  channels: string;
  visits_required: number;
  tongban_scope: string;
  description: string;
  joint_agencies: string;
  intermediary_services: string;
  process_description: string;
  result_sample: string;
  location: string;
  office_hours: string;
  enquiry_phone: string;
  supervision_phone: string;
  faq: string;
  life_events: string;
  target_groups: string;
  themes: string;
  business_activities: string;
  enterprise_types: string;
  keywords: string;
  review_note: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  published_at: string | null;
  published_by: string | null;
}

interface ChildRow {
  id: string;
  version_id: string;
  sort: number;
}

export interface CatalogScenarioRow extends ChildRow {
  key: string;
  name: string;
  description: string;
}

export interface CatalogMaterialRow extends ChildRow {
  key: string;
  name: string;
  form: string;
  source: string;
  copies: number;
  medium: string;
  required: number;
  scenario_key: string | null;
  acceptance_standard: string;
  sample_url: string;
  eform: number;
  ecopy_required: number;
  deferrable: number;
  waivable: number;
  seal_requirement: string;
  validity_days: number | null;
  verifying_department: string;
  reuse_class: string;
}

export interface CatalogConditionRow extends ChildRow {
  key: string;
  text: string;
  required: number;
  scenario_key: string | null;
  rule: string;
}

export interface CatalogFeeRow extends ChildRow {
  kind: string;
  name: string;
  basis: string;
  unit: string | null;
  input: string | null;
  amount_fen: number | null;
  rows: string | null;
}

export interface CatalogControlSettingRow {
  version_id: string;
  setting: string;
  data: string;
}

export interface CatalogLineageRow {
  id: string;
  item_id: string;
  related_item_id: string;
  relation: 'split-from' | 'merged-from';
  created_at: string;
}

/** What a person did to a version that bars them from approving it (four eyes). */
export type VersionEditorAct = 'create' | 'edit-legal' | 'edit-service' | 'edit-control' | 'submit';

export interface CatalogVersionEditorRow {
  version_id: string;
  user_id: string;
  act: VersionEditorAct;
  first_at: string;
}

export interface CatalogTables {
  catalog_items: CatalogItemRow;
  catalog_versions: CatalogVersionRow;
  catalog_scenarios: CatalogScenarioRow;
  catalog_materials: CatalogMaterialRow;
  catalog_conditions: CatalogConditionRow;
  catalog_fees: CatalogFeeRow;
  catalog_control_settings: CatalogControlSettingRow;
  catalog_lineage: CatalogLineageRow;
  catalog_version_editors: CatalogVersionEditorRow;
}
