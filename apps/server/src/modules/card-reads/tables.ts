/** One ID card read at a window (migration 0012). */
export interface CardReadRow {
  id: string;
  /** SM3 of the token handed to the browser; the token itself is never stored. */
  token_hash: string;
  /** The full number, sealed with the secret box; cleared once the read is used or has expired. */
  id_number_sealed: string | null;
  id_number_masked: string;
  name: string;
  /** Which reader gave the card (`simulated` in the demo). */
  reader: string;
  user_id: string;
  session_id: string;
  post_id: string;
  org_id: string;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
  /** What the read was used for (`datahub.proof-query`, later the window intake of a case). */
  consumed_for: string | null;
}

export interface CardReadTables {
  card_reads: CardReadRow;
}
