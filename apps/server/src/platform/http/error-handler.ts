import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { describeFieldPath, type ErrorCode } from '@govflow/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { AuditTrail } from '../audit/trail';
import { uuidv7 } from '../ids';
import { auditStamp, callerOf } from './caller';
import { AppError } from './errors';

interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
  requestId: string;
  details?: unknown;
}

function errorBody(
  requestId: string,
  code: ErrorCode,
  message: string,
  hint?: string,
  details?: unknown,
): ErrorBody {
  return { code, message, ...(hint ? { hint } : {}), requestId, ...(details ? { details } : {}) };
}

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: ErrorCode,
  message: string,
  hint?: string,
  details?: unknown,
) {
  return reply.status(status).send(errorBody(String(req.id), code, message, hint, details));
}

/** What the framework and Node's HTTP parser refuse by themselves, said once, in Chinese. */
const PROTOCOL_ERRORS: Record<number, { code: ErrorCode; message: string; hint?: string }> = {
  400: { code: 'BAD_REQUEST', message: '请求格式有误，服务器无法读取', hint: '请检查请求地址和请求头' },
  404: { code: 'ROUTE_NOT_FOUND', message: '没有这个接口' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '该接口不支持这种请求方式' },
  408: { code: 'REQUEST_TIMEOUT', message: '请求超时：没有在限定时间内收到完整的请求', hint: '请重试' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求体过大' },
  414: { code: 'URI_TOO_LONG', message: '请求地址过长', hint: '缩短查询条件后重试' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型', hint: '使用 application/json' },
  431: { code: 'HEADERS_TOO_LARGE', message: '请求头或请求地址过长', hint: '缩短查询条件后重试' },
};

function protocolError(status: number) {
  return (
    PROTOCOL_ERRORS[status] ?? {
      code: 'BAD_REQUEST' as const,
      message: `请求有误（HTTP ${status}）`,
    }
  );
}

/**
 * Node's `clientError`: the parser refused the bytes (431 header overflow, 400 garbage) or the
 * request timed out (408) before fastify made a request of them. There is no reply object, so a
 * complete HTTP response is written to the socket, which is then closed: the parser cannot go on.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const requestId = uuidv7();
  this.log.debug({ err, requestId, status }, 'client error before routing');
  // A response already under way on this keep-alive connection cannot be followed by another.
  const responding = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (!socket.writable || responding) {
    socket.destroy();
    return;
  }
  const e = protocolError(status);
  const body = JSON.stringify(errorBody(requestId, e.code, e.message, e.hint));
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'X-Content-Type-Options: nosniff',
      'Connection: close',
      '',
      body,
    ].join('\r\n'),
    () => socket.destroy(),
  );
}

/** fastify's own refusals after parsing but before routing: a bad URL, a too long parameter. */
export function frameworkErrorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : (error.statusCode ?? 400);
  req.log.debug({ err: error }, 'request refused before routing');
  if (status >= 500)
    return send(reply, req, 500, 'INTERNAL_ERROR', '服务器内部错误', '请把 requestId 告诉管理员');
  const e = protocolError(status);
  return send(reply, req, status, e.code, e.message, e.hint);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** 404 for a path nothing serves; 405 with `Allow` when the path exists under other methods. */
export function routeNotFound(req: FastifyRequest, reply: FastifyReply, app: FastifyInstance) {
  const url = req.url.split('?')[0];
  const allowed = METHODS.filter((method) => method !== req.method && app.findRoute({ method, url }));
  if (allowed.length) {
    reply.header('allow', allowed.join(', '));
    const e = protocolError(405);
    return send(reply, req, 405, e.code, e.message, undefined, { allow: allowed });
  }
  return send(reply, req, 404, 'ROUTE_NOT_FOUND', protocolError(404).message, undefined, {
    method: req.method,
    path: url,
  });
}

export function installErrorHandling(app: FastifyInstance, audit: AuditTrail): void {
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (error instanceof AppError) {
      if (error.status === 403) {
        await audit
          .appendAlone({
            ...auditStamp(callerOf(req)),
            action: 'permission.denied',
            target: { type: 'route', id: `${req.method} ${req.routeOptions.url ?? req.url}` },
            outcome: 'denied',
            detail: { code: error.code, url: req.url, reason: error.message },
          })
          .catch((e) => req.log.error({ err: e }, 'could not audit a permission denial'));
      }
      return send(reply, req, error.status, error.code, error.message, error.hint, error.details);
    }
    if (isUniqueViolation(error)) {
      // Two requests raced past the same existence check; the database kept one of them.
      return send(reply, req, 409, 'DUPLICATE', '记录已存在', '刷新后查看已有记录');
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => {
        const segments = v.instancePath.split('/').filter(Boolean);
        return {
          path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
          field: segments.length ? describeFieldPath(segments) : '',
          message: v.message,
          ...(v.keyword === 'unrecognized_keys' ? { keys: (v.params as { keys?: string[] }).keys } : {}),
        };
      });
      return send(
        reply,
        req,
        400,
        'VALIDATION_FAILED',
        `请求参数有误：${issues.map((i) => (i.field ? `${i.field}${i.message}` : i.message)).join('；')}`,
        undefined,
        { issues },
      );
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return send(reply, req, 500, 'INTERNAL_ERROR', '服务器内部错误');
    }
    if (
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (error.statusCode === 400 && error instanceof SyntaxError)
    ) {
      return send(reply, req, 400, 'MALFORMED_BODY', '请求体不是有效的 JSON', '检查引号、逗号和括号');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const e = protocolError(415);
      return send(reply, req, 415, e.code, e.message, e.hint);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, req, 413, 'PAYLOAD_TOO_LARGE', protocolError(413).message);
    }
    if (error.statusCode === 429) {
      return send(reply, req, 429, 'RATE_LIMITED', '请求过于频繁，请稍后再试', retryHint(reply));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // The framework's own English text goes to the log; the client gets the Chinese one.
      req.log.info({ err: error }, 'request refused by the framework');
      const e = protocolError(error.statusCode);
      return send(reply, req, error.statusCode, e.code, e.message, e.hint);
    }
    req.log.error({ err: error }, 'unhandled error');
    return send(reply, req, 500, 'INTERNAL_ERROR', '服务器内部错误', '请把 requestId 告诉管理员');
  });
}

/** How long to wait, from the rate limiter's Retry-After header (seconds). */
function retryHint(reply: FastifyReply): string | undefined {
  const seconds = Number(reply.getHeader('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? `请 ${Math.ceil(seconds)} 秒后再试` : undefined;
}

/** A unique index refused a write: two requests raced past the same existence check. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
