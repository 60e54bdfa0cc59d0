import type { AdminClass, CallOutcome, HomeKind, OrgKind, RegionLevel, UserKind } from '@govflow/shared';

export type { OrgKind };

/** Response shapes of the GovFlow HTTP API, as the web app reads them. */

export interface Post {
  id: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  /** What the post's org is; a `window` post is a service window (窗口). */
  orgKind?: OrgKind;
  /** Null until the security administrator attaches a role to the post. */
  roleCode: string | null;
  roleName: string | null;
  title: string | null;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  kind: UserKind;
  adminClass: AdminClass | null;
  homeKind: HomeKind;
  staffNo: string | null;
  phoneMasked: string | null;
  person: null | { name: string; idNumberMasked: string };
  posts: Post[];
  permissions: string[];
  totpEnrolled: boolean;
  /** The password was set by an administrator: it must be changed before anything else. */
  mustChangePassword: boolean;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  seq: number;
  id: string;
  at: string;
  actorId: string | null;
  /** As stored: the username. */
  actorName: string | null;
  /** The account's name now; null for the system. */
  actorDisplayName: string | null;
  action: string;
  actionName: string;
  targetType: string | null;
  targetTypeName: string | null;
  targetId: string | null;
  /** The target's name now, or 「（已不存在）」. */
  targetName: string | null;
  targetMissing: boolean;
  outcome: AuditOutcome;
  outcomeName: string;
  /** The detail in Chinese; `detail` as stored. */
  summary: string;
  requestId: string | null;
  /** The id the client sent in X-Request-Id, if any: the client's label, not the server's. */
  clientRequestId: string | null;
  ip: string | null;
  detail: unknown;
  hash: string;
  prevHash: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The names the trail is filtered by (GET /audit/actions). */
export interface AuditVocabulary {
  actions: { code: string; name: string; group: string }[];
  groups: { code: string; name: string }[];
  outcomes: { code: AuditOutcome; name: string }[];
  targetTypes: { code: string; name: string }[];
  exportMaxRows: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** The reason is Chinese and names the entry's sequence number; the code is for scripts. */
  firstBroken: null | { seq: number; id: string; code: string; reason: string };
  brokenCount: number;
}

/** The chain at a glance (GET /audit/chain): nothing is verified to answer it. */
export interface AuditChainState {
  /** The newest entry's sequence number: the chain's length while it is intact. */
  size: number;
  newest: AuditEntry | null;
  /** The newest `audit.verify` entry, or null when the chain was never verified. */
  lastVerification: null | {
    at: string;
    actorName: string | null;
    actorDisplayName: string | null;
    ok: boolean;
    checked: number;
    brokenCount: number;
    firstBroken: AuditVerification['firstBroken'];
  };
  /** No verification in the last 24 hours. */
  verificationDue: boolean;
}

export interface Org {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  regionLevel: RegionLevel | null;
  path: string;
  depth: number;
  /** Order among siblings (smaller first). */
  sort: number;
  /** Sent back as `expectedVersion` with an edit. */
  version: number;
}

/* ── Data hub (数据中台) ─────────────────────────────────────────────────────────── */

/** One card read by the (demo) ID card reader: the full number stays in memory, never on screen. */
/** A window post where the clerk may read ID cards. */
export interface WindowPost {
  id: string;
  orgId: string;
  orgName: string;
  title: string;
  roleName: string;
}

/** A card read: a single-use token for this session and window post; the number only masked. */
export interface CardRead {
  token: string;
  name: string;
  idNumberMasked: string;
  expiresAt: string;
  post: WindowPost;
}

export interface ProofTypeOption {
  type: string;
  title: string;
}

export type ProviderStatus = 'ok' | 'late' | 'failed';

export interface ProofRecord {
  found: boolean;
  data: Record<string, unknown>;
  title: string;
  provider: string;
}

export interface ProofQueryResult {
  queryId: string;
  idNumberMasked: string;
  proofs: Record<string, ProofRecord>;
  /** Proof types no provider answered in time. */
  missing: string[];
  providers: { name: string; status: ProviderStatus; ms: number; error?: string }[];
}

export type ShareType = 'unconditional' | 'conditional' | 'none';
export type UpdateCycle = 'realtime' | 'daily' | 'weekly' | 'monthly' | 'yearly';
export type ResourceSource = 'population' | 'minimum-income' | 'social-insurance' | 'legal-entities';

/** A local library the query API serves from, and the department that keeps it. */
export interface ResourceSourceInfo {
  name: ResourceSource;
  title: string;
  keeper: { orgId: string; orgName: string } | null;
  fields: { name: string; label: string }[];
}

export interface ResourceField {
  name: string;
  label: string;
  sensitive: boolean;
}

export interface DataResource {
  id: string;
  code: string;
  name: string;
  description: string;
  ownerOrgId: string;
  ownerOrgName?: string | null;
  shareType: ShareType;
  updateCycle: UpdateCycle;
  source?: string | null;
  /** `pending` until the owner confirms a resource registered on its behalf. */
  status: 'pending' | 'active';
  /** In the catalogue list: whether this user may confirm it for its owner. */
  canConfirm?: boolean;
  fields: ResourceField[];
}

export type AccessRequestStatus = 'requested' | 'approved' | 'rejected';

export interface AccessRequest {
  id: string;
  resourceId: string;
  resourceCode?: string | null;
  resourceName?: string | null;
  requesterOrgId: string;
  requesterOrgName?: string | null;
  fields: string[];
  purpose: string;
  days: number;
  status: AccessRequestStatus;
  expiresAt: string | null;
  expired?: boolean;
  decisionNote: string;
  createdAt?: string;
  decidedAt?: string | null;
}

export interface DatahubApp {
  id: string;
  name: string;
  orgId: string;
  orgName?: string | null;
  appKey: string;
  rateLimitPerMinute: number;
  status: 'active' | 'disabled';
  createdAt: string;
}

export type { CallOutcome };

export interface CallLogEntry {
  id: string;
  at: string;
  appId: string | null;
  appName: string | null;
  orgName: string | null;
  resourceCode: string | null;
  purpose: string | null;
  outcome: CallOutcome;
  httpStatus: number;
  subjectMasked: string | null;
  fields: string[];
  ms: number;
}

/** GET /datahub/monitor: proof providers and registered applications over a window. */
export interface DatahubMonitor {
  window: { from: string; to: string; hours: number };
  providers: MonitorProvider[];
  /** The window held more proof queries than the server reads; the newest were counted. */
  truncated: boolean;
  apps: MonitorApp[];
}

export interface MonitorProvider {
  name: string;
  queries: number;
  ok: number;
  late: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Last time it was late or failed. */
  lastFailureAt: string | null;
}

export interface MonitorApp {
  appId: string;
  name: string;
  orgName: string | null;
  status: DatahubApp['status'];
  rateLimitPerMinute: number;
  calls: number;
  byOutcome: Partial<Record<CallOutcome, number>>;
  /** The latest call, in the window or before it. */
  lastCallAt: string | null;
}

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/* ── Account administration (账号管理) ─────────────────────────────────────────────── */

/** A row of GET /users: a staff or administrator account in the caller's scope. */
export interface Account {
  id: string;
  username: string;
  displayName: string;
  kind: UserKind;
  adminClass: AdminClass | null;
  staffNo: string | null;
  phoneMasked: string | null;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  /** The account-wide login guard set by repeated failures; the security administrator unlocks it. */
  lockedUntil: string | null;
  totpEnrolled: boolean;
  /** The posts the caller may see; a post without a role grants nothing yet. */
  posts: Post[];
  lastLoginAt: string | null;
}

export interface Role {
  id: string;
  code: string;
  name: string;
  description: string;
  parentCode: string | null;
  adminClass: AdminClass | null;
  scope: 'unit' | 'region';
  permissions: string[];
  /** How many posts hold the role. */
  postCount: number;
  /** Sent back as `expectedVersion` with an edit. */
  version: number;
  /** Why the current user may not edit the role, or null when he may. */
  readOnlyReason: string | null;
}
