import type { ErrorCode } from '@govflow/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { AuditTrail } from '../audit/trail';
import { auditStamp, callerOf } from './caller';
import { AppError } from './errors';

function send(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  code: ErrorCode,
  message: string,
  hint?: string,
  details?: unknown,
) {
  return reply.status(status).send({
    code,
    message,
    ...(hint ? { hint } : {}),
    requestId: String(req.id),
    ...(details ? { details } : {}),
  });
}

/**
 * One error shape for everything: {code, message, hint, requestId}. Stacks never leave the server;
 * every 403 is written to the audit trail.
 */
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
      return send(reply, req, 409, 'DUPLICATE', '记录已存在 (already exists)', '刷新后查看已有记录');
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
        message: v.message,
        ...(v.keyword === 'unrecognized_keys' ? { keys: (v.params as { keys?: string[] }).keys } : {}),
      }));
      return send(
        reply,
        req,
        400,
        'VALIDATION_FAILED',
        `请求参数有误 (invalid request): ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        undefined,
        { issues },
      );
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return send(reply, req, 500, 'INTERNAL_ERROR', '服务器内部错误 (internal error)');
    }
    if (
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (error.statusCode === 400 && error instanceof SyntaxError)
    ) {
      return send(
        reply,
        req,
        400,
        'MALFORMED_BODY',
        '请求体不是有效的 JSON (malformed JSON body)',
        '检查引号、逗号和括号',
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(
        reply,
        req,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        '不支持的内容类型 (unsupported content type)',
        '使用 application/json',
      );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return send(reply, req, 413, 'PAYLOAD_TOO_LARGE', '请求体过大 (payload too large)');
    }
    if (error.statusCode === 429) {
      return send(
        reply,
        req,
        429,
        'RATE_LIMITED',
        '请求过于频繁，请稍后再试 (too many requests)',
        error.message,
      );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(
        reply,
        req,
        error.statusCode,
        'VALIDATION_FAILED',
        `请求有误 (bad request): ${error.message}`,
      );
    }
    req.log.error({ err: error }, 'unhandled error');
    return send(
      reply,
      req,
      500,
      'INTERNAL_ERROR',
      '服务器内部错误 (internal error)',
      '请把 requestId 告诉管理员',
    );
  });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
