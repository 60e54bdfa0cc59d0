import { describeFieldPath } from '@govflow/shared';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

// C0 controls other than tab, newline and carriage return, and DEL. PostgreSQL cannot store NUL
// in text at all; the others have no business in names, codes or opinions.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** How deeply a request may nest objects and arrays; no form or API call needs more. */
export const MAX_NESTING = 64;

/**
 * The first problem in `value`: the path of a string that is not well-formed Unicode or holds a
 * control character, or the path where it nests deeper than MAX_NESTING.
 */
export function findBadText(value: unknown): { path: string; tooDeep: boolean } | null {
  // An explicit stack, not recursion: a body of 100,000 nested arrays would overflow the call stack.
  const stack: [unknown, string, number][] = [[value, '', 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, path, depth] = item;
    if (typeof v === 'string') {
      if (!v.isWellFormed() || CONTROL.test(v)) return { path: path || '.', tooDeep: false };
      continue;
    }
    // Raw bodies (uploaded workbooks) are bytes, not text.
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    if (depth >= MAX_NESTING) return { path: path || '.', tooDeep: true };
    // Pushed in reverse, so the first bad string in document order is the one reported.
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push([entries[i][1], `${path}.${entries[i][0]}`, depth + 1]);
  }
  return null;
}

/**
 * Refuses request bodies, query strings and path parameters carrying lone surrogates or control
 * characters, before any handler or database sees them (a lone surrogate, once stored, would be
 * altered by the database and no longer match what was hashed into the audit chain).
 */
const PART_NAMES = { body: '请求体', query: '查询参数', params: '路径参数' } as const;

export function installInputHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [
      ['body', req.body],
      ['query', req.query],
      ['params', req.params],
    ] as const) {
      const bad = findBadText(value);
      if (bad?.tooDeep) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `${PART_NAMES[part]}嵌套超过 ${MAX_NESTING} 层`,
          `对象和数组最多嵌套 ${MAX_NESTING} 层`,
        );
      }
      if (bad) {
        throw new AppError(
          'VALIDATION_FAILED',
          400,
          `${PART_NAMES[part]}${bad.path === '.' ? '' : `中“${describeFieldPath(bad.path.split('.').filter(Boolean))}”`}含有控制字符或残缺的字符编码`,
          '去掉不可见字符后重试',
        );
      }
    }
  });
}
