export const PASSWORD_MIN_LENGTH = 8;

/** At least 8 characters and at least 3 of: lower case, upper case, digits, other characters. */
export function checkPasswordPolicy(password: string): { ok: true } | { ok: false; reason: string } {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return {
      ok: false,
      reason: `密码至少 ${PASSWORD_MIN_LENGTH} 位`,
    };
  }
  if (password.length > 128) return { ok: false, reason: '密码最多 128 位' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    return {
      ok: false,
      reason: '密码须包含大写字母、小写字母、数字、符号中的至少三类',
    };
  }
  return { ok: true };
}
