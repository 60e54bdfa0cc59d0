export const PASSWORD_MIN_LENGTH = 8;

/**
 * At least 8 characters and at least 3 of: lower case, upper case, digits, other characters; and
 * not built on the account's own username (Liwei@2026 for liwei is the first thing tried).
 */
export function checkPasswordPolicy(
  password: string,
  username?: string,
): { ok: true } | { ok: false; reason: string } {
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
  const name = username?.trim().toLowerCase() ?? '';
  if (name.length >= 3 && password.toLowerCase().includes(name)) {
    return { ok: false, reason: '密码不能包含用户名' };
  }
  return { ok: true };
}
