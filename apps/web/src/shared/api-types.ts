import type { AdminClass, HomeKind, RegionLevel, UserKind } from '@govflow/shared';

/** Response shapes of the GovFlow HTTP API, as the web app reads them. */

export interface Post {
  id: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  roleCode: string;
  roleName: string;
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
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
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

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; id: string; reason: string };
}

export type OrgKind = 'region' | 'department' | 'unit' | 'window';

export interface Org {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  regionLevel: RegionLevel | null;
  path: string;
  depth: number;
}
