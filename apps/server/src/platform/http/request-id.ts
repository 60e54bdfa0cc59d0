import type { IncomingHttpHeaders } from 'node:http';

/** What a client's own id may look like to be kept at all: short, and nothing to escape. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The id a client sent in `X-Request-Id`, or null. The server makes every request id itself (a
 * client must not choose the id the audit trail files its request under); a client's id is kept
 * only beside it, labelled as the client's, to help match the two sides' logs.
 */
export function clientRequestId(headers: IncomingHttpHeaders): string | null {
  const sent = headers['x-request-id'];
  return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : null;
}
