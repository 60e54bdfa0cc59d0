import type { ErrorCode } from '@govflow/shared';

/** The one error type domain code throws; the API renders it as {code, message, hint, requestId}. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, hint?: string) =>
  new AppError('NOT_FOUND', 404, `${what}不存在`, hint);
