import { maskPiiInText } from '@govflow/shared';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Deep-copies a log object with every ID number and mobile number masked. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPiiInText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error)
    return { type: value.name, message: maskPiiInText(value.message), stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  // Requests, responses and other class instances are left to their serializers below.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Masks the message string too, not only the merged object.
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPiiInText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      serializers: {
        req: (req) => ({
          method: req.method,
          url: maskPiiInText(String(req.url ?? req.raw?.url ?? '')),
          remoteAddress: req.ip ?? req.socket?.remoteAddress,
        }),
        res: (res) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}

export type { Logger };
