export interface AuditEntryRow {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  request_id: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_entries: AuditEntryRow;
}
