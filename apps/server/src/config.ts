import path from 'node:path';
import { installChineseValidationMessages } from '@govflow/shared';
import { z } from 'zod';
import { PROOF_TYPES, type ProofType } from './modules/datahub/proof-providers';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A variable holding a JSON array of objects, each checked against `item`. */
function jsonList<T extends z.ZodType>(item: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: '不是有效的 JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(item));
}

/** Every environment variable GovFlow reads. The README's table is generated from the same list. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, '应以 postgres://、postgresql:// 或 sqlite: 开头')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Default: on, except in production. */
  SEED_DEMO: bool.optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  /** Default: on in production. */
  COOKIE_SECURE: bool.optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  TRUST_PROXY: z
    .string()
    // No hop count: fastify 5 trusts no forwarded header under one (it cannot check who sent it),
    // so `1` would be accepted here and silently do nothing.
    .regex(
      /^(false|[0-9a-fA-F.:/,\s]*[.:][0-9a-fA-F.:/,\s]*)$/,
      'false, or proxy addresses/CIDRs separated by commas',
    )
    .default('false'),
  WEB_DIST: z.string().optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  PROOF_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(3000),
  PROOF_HTTP_PROVIDERS: jsonList(
    z.strictObject({
      name: z.string().min(1).max(60),
      url: z.url({ protocol: /^https?$/ }),
      proofTypes: z.array(z.enum(Object.keys(PROOF_TYPES) as [ProofType, ...ProofType[]])).min(1),
    }),
  ).default([]),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s]+$/, '应为 nats://主机:端口（多个用逗号分隔）')
    .optional(),
  PROOF_NATS_PROVIDERS: jsonList(
    z.strictObject({
      name: z.string().min(1).max(60),
      subject: z.string().regex(/^[A-Za-z0-9_.-]+$/, '应为不含通配符的 NATS 主题'),
      proofTypes: z.array(z.enum(Object.keys(PROOF_TYPES) as [ProofType, ...ProofType[]])).min(1),
    }),
  ).default([]),
  DATAHUB_SIGNING_KEY: z.string().min(32, '至少 32 个字符').optional(),
  SECRETS_KEY: z.string().min(32, '至少 32 个字符').optional(),
  DATAHUB_SIGNATURE_MAX_SKEW_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends Omit<RawConfig, 'SEED_DEMO' | 'COOKIE_SECURE' | 'TRUST_PROXY'> {
  SEED_DEMO: boolean;
  COOKIE_SECURE: boolean;
  /** For fastify: false, a hop count, or the addresses of trusted proxies. Never plain `true`. */
  TRUST_PROXY: false | string;
  /** sqlite file path or postgres URL, resolved. */
  database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema?: string };
}

/** One line a variable, for the README table and `--help`. */
export const CONFIG_DOCS: Record<keyof RawConfig, string> = {
  NODE_ENV: '`development`, `production` or `test`',
  PORT: 'HTTP port (0 picks a free one)',
  HOST: 'interface to listen on',
  DATA_DIR: 'where the SQLite database and files live',
  DATABASE_URL:
    '`postgres://…` to run on PostgreSQL, or `sqlite:/path/file.db`; default `DATA_DIR/govflow.db`',
  LOG_LEVEL: 'pino log level',
  SEED_DEMO:
    'seed the demo city and accounts at start (default on, off in production; refused in production)',
  SESSION_IDLE_MINUTES: 'a session ends after this many idle minutes',
  SESSION_MAX_HOURS: 'a session ends this many hours after login, active or not',
  COOKIE_SECURE: 'mark the session cookie `Secure` (default on in production)',
  LOGIN_MAX_FAILURES:
    'failed logins in a row from one client address that lock that address (only) out of the account, known or unknown',
  LOGIN_LOCK_MINUTES:
    'how long such a lock lasts; also the first account-wide guard, and the quiet time after which the account-wide count restarts',
  LOGIN_ACCOUNT_MAX_FAILURES:
    'failed logins to one account from all addresses together that refuse every address which never logged in to it (guard doubling each time)',
  AUTH_RATE_LIMIT_PER_MINUTE: 'login/registration requests per minute per client address',
  TRUST_PROXY:
    'which reverse proxies to trust for `X-Forwarded-For`, `-Host` and `-Proto` (the cross-site check compares `Origin` with them): `false`, or their addresses/CIDRs (no hop count: fastify 5 cannot check who sent the headers under one)',
  WEB_DIST: 'folder of the built web app; default `apps/web/dist`',
  SHUTDOWN_TIMEOUT_MS: 'how long graceful shutdown waits for in-flight requests',
  PROOF_PROVIDER_TIMEOUT_MS: '一证通办: how long each proof provider may take before it is marked late',
  PROOF_HTTP_PROVIDERS:
    '一证通办: remote proof providers as JSON `[{"name","url","proofTypes":[…]}]` (POST JSON contract, see docs/datahub.md)',
  NATS_URL: 'NATS server(s) for the front-end relay, e.g. `nats://127.0.0.1:4222`; unset: no relay',
  PROOF_NATS_PROVIDERS:
    '一证通办: providers behind front-end processors, JSON `[{"name","subject","proofTypes":[…]}]`; needs `NATS_URL`',
  DATAHUB_SIGNING_KEY:
    "key (≥ 32 chars) the registered applications' secrets are derived from; default: generated into `DATA_DIR/datahub-signing.key`",
  DATAHUB_SIGNATURE_MAX_SKEW_SECONDS:
    'signed data hub calls whose timestamp is further off than this are refused',
  SECRETS_KEY:
    'key (≥ 32 chars) that encrypts secrets kept in the database (TOTP seeds, SM4); default: generated into `DATA_DIR/secrets.key`',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  installChineseValidationMessages();
  const input: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') input[key] = v;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}：${i.message}（当前值 ${JSON.stringify(input[String(i.path[0])])}）`,
      ),
    );
  }
  const raw = parsed.data;
  const production = raw.NODE_ENV === 'production';
  if (production && raw.SEED_DEMO) {
    throw new ConfigError(['SEED_DEMO：NODE_ENV=production 时不接受带公开密码的演示账号']);
  }
  // Proof providers receive full ID numbers: in production, only over TLS (loopback excepted).
  const plain = raw.PROOF_HTTP_PROVIDERS.filter(
    (p) => p.url.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(p.url),
  );
  if (production && plain.length) {
    throw new ConfigError([
      `PROOF_HTTP_PROVIDERS：${plain.map((p) => p.name).join('、')} 在生产环境须使用 https://（请求中带有身份证号码）`,
    ]);
  }
  if (raw.PROOF_NATS_PROVIDERS.length > 0 && !raw.NATS_URL) {
    throw new ConfigError(['PROOF_NATS_PROVIDERS：还须设置 NATS_URL，转发需要 NATS 服务器']);
  }
  const url = raw.DATABASE_URL;
  const database: Config['database'] =
    url && !url.startsWith('sqlite:')
      ? { dialect: 'postgres', url }
      : {
          dialect: 'sqlite',
          file: url ? url.slice('sqlite:'.length) : path.join(raw.DATA_DIR, 'govflow.db'),
        };
  const proxy = raw.TRUST_PROXY.trim();
  return {
    ...raw,
    SEED_DEMO: raw.SEED_DEMO ?? !production,
    COOKIE_SECURE: raw.COOKIE_SECURE ?? production,
    TRUST_PROXY: proxy === 'false' ? false : proxy,
    database,
  };
}
