/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: registration authority (1), entity
 * type (1), division code (6), organisation code (9, itself GB 11714 with a check character) and a
 * MOD 31 check character over an alphabet without I, O, S, V, Z.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CreditCodeProblem = 'FORMAT' | 'ORG_CODE_CHECK' | 'CHECK_CHAR';

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** GB 11714 check character of the 8-character organisation code body. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export function checkCreditCode(
  raw: string,
): { ok: true; value: string } | { ok: false; problem: CreditCodeProblem } {
  const value = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value))
    return { ok: false, problem: 'FORMAT' };
  const orgCode = value.slice(8, 17);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(orgCode) || orgCodeCheckChar(orgCode) !== orgCode[8]) {
    return { ok: false, problem: 'ORG_CODE_CHECK' };
  }
  if (creditCodeCheckChar(value) !== value[17]) return { ok: false, problem: 'CHECK_CHAR' };
  return { ok: true, value };
}

export function isValidCreditCode(raw: string): boolean {
  return checkCreditCode(raw).ok;
}

/** Builds a valid credit code (seeders and tests only). `orgBody` is 8 digits/letters. */
export function makeCreditCode(authorityAndType: string, regionCode: string, orgBody: string): string {
  const orgCode = orgBody + orgCodeCheckChar(orgBody);
  const first17 = `${authorityAndType}${regionCode}${orgCode}`;
  return first17 + creditCodeCheckChar(first17);
}
