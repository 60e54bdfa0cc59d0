export interface DhHouseholdRow {
  household_no: string;
  region_code: string;
  address: string;
}

export interface DhPersonRow {
  id_number: string;
  name: string;
  gender: string;
  birth_date: string;
  household_no: string | null;
  death_date: string | null;
  marital_status: 'single' | 'married' | 'divorced' | 'widowed';
  minimum_income_since: string | null;
  disability_level: number | null;
  social_security: number;
  updated_at: string;
}

export interface DhLegalEntityRow {
  credit_code: string;
  name: string;
  kind: 'company' | 'social-organisation' | 'public-institution';
  status: 'active' | 'revoked' | 'cancelled';
  legal_rep_id_number: string;
  region_code: string;
  established_on: string;
}

export interface DhLicenceRow {
  id: string;
  holder: string;
  licence_type: string;
  number: string;
  issuer: string;
  valid_from: string;
  valid_to: string | null;
}

export interface DhThemeEntryRow {
  list_code: string;
  subject: string;
  since: string;
  detail: string;
}

export interface DhProofQueryRow {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  request_id: string | null;
  id_number_masked: string;
  proof_types: string;
  providers: string;
  result_hash: string;
}

export interface DhResourceRow {
  id: string;
  code: string;
  name: string;
  description: string;
  owner_org_id: string;
  owner_org_path: string;
  share_type: 'unconditional' | 'conditional' | 'none';
  update_cycle: string;
  /** JSON [{name, label, sensitive}] */
  fields: string;
  created_at: string;
}

export interface DhAccessGrantRow {
  id: string;
  resource_id: string;
  requester_org_id: string;
  /** JSON array of field names */
  fields: string;
  purpose: string;
  days: number;
  status: 'requested' | 'approved' | 'rejected';
  expires_at: string | null;
  requested_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string;
  created_at: string;
}

export interface DatahubTables {
  dh_resources: DhResourceRow;
  dh_access_grants: DhAccessGrantRow;
  dh_proof_queries: DhProofQueryRow;
  dh_households: DhHouseholdRow;
  dh_persons: DhPersonRow;
  dh_legal_entities: DhLegalEntityRow;
  dh_licences: DhLicenceRow;
  dh_theme_entries: DhThemeEntryRow;
}
