import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { type AppContext, createContext } from '../../src/context';
import { totpCode } from '../../src/modules/identity/totp';
import { ManualClock } from '../../src/platform/clock';
import type { DatabaseTarget, DialectName } from '../../src/platform/db/connect';
import { migrateToLatest } from '../../src/platform/db/migrate';
import { createLogger } from '../../src/platform/logging/logger';
import { ensureBaseRoles } from '../../src/seed/base-roles';
import { seedCatalog } from '../../src/seed/catalog/seed-demo-catalog';
import { DEMO_PASSWORD, seedDemoCity } from '../../src/seed/demo-city';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testDialects(): DialectName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  target: DatabaseTarget;
  /** The same database as a DATABASE_URL, for child processes (the CLI). */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database: a SQLite file in a temp dir, or a new schema in the PostgreSQL test database. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-test-'));
    const file = path.join(dir, 'govflow.db');
    return {
      target: { dialect: 'sqlite', file },
      url: `sqlite:${file}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_DATABASE_URL as string;
  const schema = `gf_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    target: { dialect: 'postgres', url: base, schema },
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export interface TestAppOptions {
  seed?: boolean;
  /** Also publish the demo catalogue (about 300 items; a few seconds). */
  seedCatalog?: boolean;
  env?: Record<string, string>;
  clock?: ManualClock;
  logStream?: NodeJS.WritableStream;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: Config;
  clock: ManualClock;
  database: TestDatabase;
  dialect: DialectName;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** Logs in and returns the cookie header to send with later requests. */
  login(username: string, password?: string, totp?: string): Promise<string>;
  close(): Promise<void>;
}

/** Keys from the environment, so tests leave no key files behind. */
const TEST_KEYS = {
  SECRETS_KEY: 'test-secrets-key-0123456789abcdef0123456789',
  DATAHUB_SIGNING_KEY: 'test-datahub-signing-key-0123456789abcdef',
};

/** The environment for a CLI or server child process on a test database. */
export function childEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...TEST_KEYS,
    DATA_DIR: os.tmpdir(),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: os.tmpdir(),
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    WEB_DIST: path.join(os.tmpdir(), 'govflow-no-web'),
    ...TEST_KEYS,
    ...env,
  });
}

export async function createTestApp(dialect: DialectName, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = testConfig(options.env);
  const clock = options.clock ?? new ManualClock();
  const log = options.logStream
    ? createLogger(options.env?.LOG_LEVEL ?? 'info', options.logStream as never)
    : createLogger('silent');
  const ctx = createContext(config, { clock, log, database: database.target });
  let app: FastifyInstance;
  try {
    await migrateToLatest(ctx.database);
    await ensureBaseRoles(ctx);
    if (options.seed !== false) await seedDemoCity(ctx);
    if (options.seedCatalog) await seedCatalog(ctx);
    app = await buildApp(ctx);
    await app.ready();
  } catch (err) {
    await ctx.database.destroy();
    await database.drop();
    throw err;
  }
  const inject = (opts: InjectOptions) => app.inject(opts);
  return {
    app,
    ctx,
    config,
    clock,
    database,
    dialect,
    inject,
    async login(username, password = DEMO_PASSWORD, totp) {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password, ...(totp ? { totp } : {}) },
      });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return sessionCookie(res);
    },
    async close() {
      await app.close();
      await ctx.database.destroy();
      await database.drop();
    },
  };
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'gf_session');
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}`);
  return `gf_session=${c.value}`;
}

/**
 * Runs `body` once per dialect, each with its own seeded app shared by the tests inside.
 * `get()` returns the app once `before` has run.
 */
export function describeEachDialect(
  title: string,
  body: (get: () => TestApp) => void,
  options: TestAppOptions = {},
): void {
  for (const dialect of testDialects()) {
    describe(`${title} [${dialect}]`, () => {
      let t: TestApp | undefined;
      before(async () => {
        t = await createTestApp(dialect, options);
      });
      after(async () => {
        await t?.close();
      });
      body(() => {
        if (!t) throw new Error('test app not ready');
        return t;
      });
    });
  }
}

/** Logs `username` in, enrols and confirms a second factor; returns its TOTP seed. */
export async function enrollTotp(t: TestApp, username: string, password = DEMO_PASSWORD): Promise<string> {
  const cookie = await t.login(username, password);
  const enroll = await t.inject({
    method: 'POST',
    url: '/api/v1/me/totp/enroll',
    headers: { cookie },
    payload: { password },
  });
  if (enroll.statusCode !== 200) throw new Error(`enrol ${username}: ${enroll.statusCode} ${enroll.body}`);
  const { secret } = enroll.json() as { secret: string };
  const confirm = await t.inject({
    method: 'POST',
    url: '/api/v1/me/totp/confirm',
    headers: { cookie },
    payload: { code: totpCode(secret, t.clock.now()) },
  });
  if (confirm.statusCode !== 204)
    throw new Error(`confirm ${username}: ${confirm.statusCode} ${confirm.body}`);
  return secret;
}

/** Entries of the audit trail, newest first, optionally for one action. */
export async function auditEntries(t: TestApp, action?: string) {
  let q = t.ctx.db.selectFrom('audit_entries').selectAll().orderBy('seq', 'desc');
  if (action) q = q.where('action', '=', action);
  return q.execute();
}

/** The id of the account with this username. */
export async function userIdOf(t: TestApp, username: string): Promise<string> {
  return (
    await t.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
  ).id;
}

/** The id of the org with this name (under this parent, where names repeat across the tree). */
export async function orgIdOf(t: TestApp, name: string, parentId?: string): Promise<string> {
  let q = t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name);
  if (parentId) q = q.where('parent_id', '=', parentId);
  return (await q.executeTakeFirstOrThrow()).id;
}
