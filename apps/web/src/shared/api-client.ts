import type { ApiErrorBody } from '@govflow/shared';

/** An error answer of the API, carrying its stable code and zh-CN message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const SESSION_GONE = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED']);

let onSessionGone: (error: ApiError) => void = () => {};

/**
 * Registers what to do when the server says the session is missing or expired (go to /login);
 * the handler gets the server's answer, whose hint says how long an idle session lasts.
 */
export function setSessionGoneHandler(handler: (error: ApiError) => void): void {
  onSessionGone = handler;
}

type QueryValue = string | number | undefined | null;
/** Query parameters; an array repeats the parameter once per value. */
type Query = Record<string, QueryValue | readonly string[]>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      for (const one of value) if (one !== '') params.append(key, one);
    } else if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A request body sent as is (a file's bytes) with its own content type, rather than as JSON. */
interface RawBody {
  raw: Blob;
  contentType: string;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  query?: Query,
  raw?: RawBody,
): Promise<T> {
  const response = await fetch(withQuery(`/api/v1${path}`, query), {
    method,
    credentials: 'same-origin',
    headers: raw
      ? { 'content-type': raw.contentType, accept: 'application/json' }
      : body === undefined
        ? { accept: 'application/json' }
        : { 'content-type': 'application/json', accept: 'application/json' },
    body: raw ? raw.raw : body === undefined ? undefined : JSON.stringify(body),
  });
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  const payload: unknown = response.status !== 204 && isJson ? await response.json() : undefined;
  if (response.ok) return payload as T;

  const error = toApiError(response.status, payload);
  if (response.status === 401 && SESSION_GONE.has(error.code)) onSessionGone(error);
  throw error;
}

function toApiError(status: number, payload: unknown): ApiError {
  const body = payload as Partial<ApiErrorBody> | undefined;
  if (body && typeof body.code === 'string') {
    return new ApiError(status, body.code, body.message ?? body.code, body.hint, body.requestId);
  }
  return new ApiError(status, 'HTTP_ERROR', `请求失败（HTTP ${status}）`);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** POSTs a file's bytes as the request body (not multipart), with the given content type. */
  postFile: <T>(path: string, file: Blob, contentType: string, query?: Query) =>
    request<T>('POST', path, undefined, query, { raw: file, contentType }),
};
