import type { CallOutcome } from '@govflow/shared';

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
  /** The local library the query API serves it from (`RESOURCE_SOURCES`); null: not queryable here. */
  source: string | null;
  /** `pending` until the owner confirms a resource registered on its behalf; requests need `active`. */
  status: 'pending' | 'active';
}

/** The department that keeps a local library (`RESOURCE_SOURCES`); only its resources serve from it. */
export interface DhSourceKeeperRow {
  source: string;
  org_id: string;
  assigned_at: string;
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

export interface DhAppRow {
  id: string;
  name: string;
  org_id: string;
  org_path: string;
  /** Public; the secret is derived from it and the hub's signing key, never stored. */
  app_key: string;
  secret_version: number;
  rate_limit_per_minute: number;
  status: 'active' | 'disabled';
  created_at: string;
  created_by: string | null;
}

export interface DhAppNonceRow {
  app_id: string;
  nonce: string;
  at: string;
}

export type { CallOutcome };

export interface DhCallLogRow {
  id: string;
  at: string;
  app_id: string | null;
  app_name: string | null;
  org_id: string | null;
  org_path: string | null;
  resource_code: string | null;
  purpose: string | null;
  outcome: CallOutcome;
  http_status: number;
  subject_masked: string | null;
  /** JSON array of the field names returned */
  fields: string;
  ms: number;
  request_id: string | null;
}

export interface DhAppRateWindowRow {
  app_id: string;
  /** Unix minute (ms / 60,000, floored). */
  minute: number;
  calls: number;
}

/** Refusals beyond the few logged per application, client address and minute. */
export interface DhRefusalCountRow {
  /** The minute the refusals fell in (UTC, ISO). */
  window_start: string;
  /** '' when the call named no registered application. */
  app_id: string;
  /** The client address (honouring TRUST_PROXY). */
  source: string;
  outcome: CallOutcome;
  refusals: number;
}

export interface DatahubTables {
  dh_app_rate_windows: DhAppRateWindowRow;
  dh_refusal_counts: DhRefusalCountRow;
  dh_apps: DhAppRow;
  dh_app_nonces: DhAppNonceRow;
  dh_call_log: DhCallLogRow;
  dh_resources: DhResourceRow;
  dh_source_keepers: DhSourceKeeperRow;
  dh_access_grants: DhAccessGrantRow;
  dh_proof_queries: DhProofQueryRow;
  dh_households: DhHouseholdRow;
  dh_persons: DhPersonRow;
  dh_legal_entities: DhLegalEntityRow;
  dh_licences: DhLicenceRow;
  dh_theme_entries: DhThemeEntryRow;
}
