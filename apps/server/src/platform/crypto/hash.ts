import { createHash, randomBytes } from 'node:crypto';

export function sm3(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/** An unguessable opaque token (256 bits), URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
