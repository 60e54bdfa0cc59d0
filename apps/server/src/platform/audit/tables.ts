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
  /** The server's id of the request that wrote the entry. */
  request_id: string | null;
  /** The id the client sent in X-Request-Id, labelled as the client's (null for entries before 0014). */
  client_request_id: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_entries: AuditEntryRow;
}
