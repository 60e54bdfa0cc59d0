/**
 * Citizen identity number (居民身份证号码), GB 11643-1999: 6-digit division code, 8-digit birth
 * date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Upper-cases a trailing x and trims; does not validate. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

export interface IdNumberInfo {
  regionCode: string;
  birthDate: string;
  gender: 'male' | 'female';
}

export function checkIdNumber(
  raw: string,
): { ok: true; value: string; info: IdNumberInfo } | { ok: false; problem: IdNumberProblem } {
  const value = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, problem: 'FORMAT' };
  const province = Number(value.slice(0, 2));
  if (province < 11 || province > 91) return { ok: false, problem: 'REGION' };
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1880 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, problem: 'BIRTH_DATE' };
  }
  if (idNumberCheckChar(value) !== value[17]) return { ok: false, problem: 'CHECK_DIGIT' };
  return {
    ok: true,
    value,
    info: {
      regionCode: value.slice(0, 6),
      birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
      gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
    },
  };
}

export function isValidIdNumber(raw: string): boolean {
  return checkIdNumber(raw).ok;
}

/** Builds a valid ID number from its parts (used by seeders and tests, never for real people). */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(first17))
    throw new Error(`cannot build an ID number from ${regionCode} ${birthDate} ${sequence}`);
  return first17 + idNumberCheckChar(first17);
}
