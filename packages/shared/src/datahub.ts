/** How a registered application's call to the data hub ended, as the call log records it. */
export const CALL_OUTCOMES = [
  'ok',
  'not-found',
  'no-access',
  'expired',
  'rate-limited',
  'bad-signature',
  'replayed',
  'invalid',
  /** The hub failed (5xx): a provider or the database. */
  'failed',
] as const;

export type CallOutcome = (typeof CALL_OUTCOMES)[number];
