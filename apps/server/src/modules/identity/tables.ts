import type { AdminClass, OrgKind, UserKind } from '@govflow/shared';

export type { OrgKind };

export interface OrgRow {
  id: string;
  parent_id: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  region_level: string | null;
  path: string;
  depth: number;
  sort: number;
  /** Raised by one on every edit; an edit names the version it read (optimistic locking). */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RoleRow {
  id: string;
  code: string;
  name: string;
  description: string;
  parent_id: string | null;
  admin_class: AdminClass | null;
  /** unit: the subtree of the post's org; region: the subtree of the nearest region above it. */
  scope: 'unit' | 'region';
  /** JSON array of permission names. */
  permissions: string;
  /** Raised by one on every change; an edit names the version it read (optimistic locking). */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PersonRow {
  id: string;
  id_number: string;
  name: string;
  gender: string;
  birth_date: string;
  region_code: string;
  phone: string | null;
  trust_level: number;
  created_at: string;
  updated_at: string;
}

export interface LegalPersonRow {
  id: string;
  credit_code: string;
  name: string;
  entity_type: string;
  region_code: string;
  legal_rep_person_id: string;
  /** 1 when the representative was registered together with the company (see PersonService.seesInFull). */
  rep_registered_with_company: number;
  created_at: string;
  updated_at: string;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  kind: UserKind;
  staff_no: string | null;
  phone: string | null;
  person_id: string | null;
  password_hash: string;
  password_changed_at: string;
  admin_class: AdminClass | null;
  status: 'active' | 'disabled';
  /** 0/1: set when an administrator chose the password; the account must change it first. */
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  created_at: string;
  updated_at: string;
}

export interface PostRow {
  id: string;
  user_id: string;
  org_id: string;
  /** Null until the security administrator attaches a role: a post without one grants nothing. */
  role_id: string | null;
  title: string;
  created_at: string;
}

export interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

/** Failed logins per account (SM3 of the username) and source address; source `*`: all addresses. */
export interface LoginThrottleRow {
  account_key: string;
  source: string;
  failures: number;
  last_failure_at: string | null;
  locked_until: string | null;
  /** Account-wide row: guards in a row since the account's last successful login; each lasts twice the last. */
  lockouts: number;
  /** Per-address row: the address has logged in to the account, so the account-wide guard spares it. */
  last_success_at: string | null;
}

export interface IdentityTables {
  orgs: OrgRow;
  roles: RoleRow;
  persons: PersonRow;
  legal_persons: LegalPersonRow;
  users: UserRow;
  posts: PostRow;
  sessions: SessionRow;
  login_throttles: LoginThrottleRow;
}
