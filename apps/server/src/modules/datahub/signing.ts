import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sm3 } from '../../platform/crypto/hash';

/** The headers a registered application signs each data hub call with. */
export const SIGNATURE_HEADERS = {
  appKey: 'x-gf-app-key',
  timestamp: 'x-gf-timestamp',
  nonce: 'x-gf-nonce',
  signature: 'x-gf-signature',
} as const;

export interface SignedRequest {
  method: string;
  /** Path with its query string, exactly as sent. */
  path: string;
  /** Unix seconds, as sent. */
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

/** METHOD \n PATH \n TIMESTAMP \n NONCE \n hex SM3(body): what the signature covers. */
export function canonicalRequest(r: SignedRequest): string {
  const bodyHash = sm3(typeof r.body === 'string' ? r.body : r.body.toString('utf8'));
  return [r.method.toUpperCase(), r.path, r.timestamp, r.nonce, bodyHash].join('\n');
}

/** hex HMAC-SM3(secret, canonical request). */
export function signRequest(secret: string, r: SignedRequest): string {
  return createHmac('sm3', secret).update(canonicalRequest(r), 'utf8').digest('hex');
}

export function signatureMatches(secret: string, r: SignedRequest, signature: string): boolean {
  const expected = Buffer.from(signRequest(secret, r), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/i.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The headers for one call: what a client library (and the tests) send. */
export function signedHeaders(
  appKey: string,
  secret: string,
  method: string,
  path: string,
  body: string,
  nowMs = Date.now(),
  nonce = randomBytes(16).toString('hex'),
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [SIGNATURE_HEADERS.appKey]: appKey,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signRequest(secret, { method, path, timestamp, nonce, body }),
  };
}
