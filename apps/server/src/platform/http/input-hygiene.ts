import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

// C0 controls other than tab, newline and carriage return, and DEL. PostgreSQL cannot store NUL
// in text at all; the others have no business in names, codes or opinions.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Path of the first string in `value` that is not well-formed Unicode or holds a control character. */
export function findBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return !value.isWellFormed() || CONTROL.test(value) ? path || '.' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const bad = findBadText(v, `${path}.${k}`);
    if (bad) return bad;
  }
  return null;
}

/**
 * Refuses request bodies, query strings and path parameters carrying lone surrogates or control
 * characters, before any handler or database sees them (a lone surrogate, once stored, would be
 * altered by the database and no longer match what was hashed into the audit chain).
 */
export function installInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [
      ['body', req.body],
      ['query', req.query],
      ['params', req.params],
    ] as const) {
      const bad = findBadText(value);
      if (bad) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `文本含有非法字符 (text holds control characters or broken Unicode) at ${part}${bad === '.' ? '' : bad}`,
          '去掉不可见字符后重试',
        );
      }
    }
  });
}
