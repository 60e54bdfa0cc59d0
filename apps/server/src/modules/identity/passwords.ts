import { checkPasswordPolicy } from '@govflow/shared';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../platform/http/errors';

// @node-rs/argon2 defaults to argon2id, m=19 MiB, t=2, p=1 (the OWASP baseline).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

let dummyHash: Promise<string> | null = null;

/** Spends the same time as a real check, so unknown usernames cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hash('govflow-dummy-password-for-timing');
  await verify(await dummyHash, password).catch(() => false);
  return false;
}

export function assertPasswordPolicy(password: string, username: string): void {
  const r = checkPasswordPolicy(password, username);
  if (!r.ok)
    throw new AppError('WEAK_PASSWORD', 422, r.reason, '例如由大小写字母、数字和符号组成的 12 位以上口令');
}
