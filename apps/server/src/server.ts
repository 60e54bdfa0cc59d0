import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { type AppContext, createContext } from './context';
import { verifyPassword } from './modules/identity/passwords';
import { verifyKeyFingerprints } from './platform/crypto/key-fingerprints';
import { migrateToLatest } from './platform/db/migrate';
import { warmUpTokenizer } from './platform/search';
import { ensureBaseRoles } from './seed/base-roles';
import { seedCatalog } from './seed/catalog/seed-demo-catalog';
import { seedDatahub, seedDataResources } from './seed/datahub';
import { DEMO_ACCOUNTS, seedDemoCity } from './seed/demo-city';

/** Synthetic people in the demo's population library (npm run govflow -- seed-datahub for more). */
const DEMO_POPULATION = 2000;

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  shutdown(signal?: string): Promise<void>;
}

/** Loads config or prints every problem and exits; used by main and the CLI. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`GovFlow 无法启动：${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Where this machine reaches the server configured by HOST and PORT: the server's banner and the
 * CLI's calls read the same variables the same way.
 */
export function localServerUrl(config: Pick<Config, 'HOST' | 'PORT'>, port: number = config.PORT): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Migrates, seeds the demo city when asked and the database has no accounts, builds and listens. */
export async function startServer(
  config: Config,
  ctx: AppContext = createContext(config),
): Promise<RunningServer> {
  await migrateToLatest(ctx.database);
  await verifyKeyFingerprints(ctx.db, ctx.keys, ctx.clock.now());
  const sealed = await ctx.identity.auth.sealClearTotpSeeds();
  if (sealed > 0) ctx.log.info({ sealed }, 'sealed TOTP seeds stored in clear by an older release');
  await ensureBaseRoles(ctx);
  if (config.NODE_ENV === 'production') await refuseDemoPasswords(ctx);
  if (config.SEED_DEMO) {
    const { created } = await seedDemoCity(ctx);
    if (created > 0) ctx.log.info({ created }, 'seeded the demo city');
    const population = await seedDatahub(ctx, DEMO_POPULATION);
    if (population.created > 0)
      ctx.log.info({ created: population.created }, 'seeded the demo population library');
    await seedDataResources(ctx);
    const catalog = await seedCatalog(ctx);
    if (catalog.created > 0) ctx.log.info({ created: catalog.created }, 'seeded the demo catalogue');
  }
  // Load jieba's dictionary now rather than in the first search request.
  warmUpTokenizer();
  const app = await buildApp(ctx);
  try {
    await app.listen({ port: config.PORT, host: config.HOST });
  } catch (err) {
    await app.close();
    await ctx.database.destroy();
    throw listenError(err, config);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = localServerUrl(config, port);

  let closing: Promise<void> | null = null;
  const shutdown = (signal = 'shutdown') => {
    closing ??= (async () => {
      ctx.log.info({ signal }, 'shutting down: finishing in-flight requests');
      const timer = setTimeout(() => {
        ctx.log.error('graceful shutdown timed out; exiting');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      await app.close();
      // Handlers of requests whose clients hung up may still be using the database.
      if (!(await app.drained(config.SHUTDOWN_TIMEOUT_MS)))
        ctx.log.warn('some handlers were still running at shutdown');
      await ctx.database.destroy();
      clearTimeout(timer);
    })();
    return closing;
  };
  return { app, ctx, url, shutdown };
}

/** Why the server could not listen, said as the operator can act on it; other errors unchanged. */
function listenError(err: unknown, config: Config): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${config.HOST}:${config.PORT}`;
  if (code === 'EADDRINUSE')
    return new StartError(
      `端口 ${config.PORT} 已被占用（${where}）：请停止占用它的程序，或用 PORT 指定其他端口`,
    );
  if (code === 'EACCES')
    return new StartError(
      `没有权限监听端口 ${config.PORT}（${where}）：1024 以下的端口需要特权，请用 PORT 指定其他端口`,
    );
  if (code === 'EADDRNOTAVAIL') return new StartError(`本机没有地址 ${config.HOST}：请检查 HOST 设置`);
  return err;
}

/** A start-up failure the operator can fix; main prints its message alone, without a stack. */
export class StartError extends Error {}

/** A production database must not hold the demo accounts with their published password. */
async function refuseDemoPasswords(ctx: AppContext): Promise<void> {
  const found: string[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const user = await ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', a.username)
      .executeTakeFirst();
    if (user && (await verifyPassword(user.password_hash, a.password))) found.push(a.username);
  }
  if (found.length) {
    throw new Error(
      `refusing to start in production: demo accounts still have the published password: ${found.join(', ')}. ` +
        'Change their passwords or disable them first.',
    );
  }
}

export function printBanner(server: RunningServer, config: Config): void {
  const lines = [
    '',
    `  GovFlow is running at ${server.url}`,
    `  API docs: ${server.url}/docs    health: ${server.url}/healthz/readiness`,
    `  database: ${config.database.dialect === 'sqlite' ? config.database.file : 'PostgreSQL'}`,
  ];
  if (config.SEED_DEMO) {
    lines.push('', '  Demo accounts (password for all: GovFlow@2026):');
    for (const a of DEMO_ACCOUNTS)
      lines.push(`    ${a.username.padEnd(10)} ${a.displayName.padEnd(4, '　')}  ${a.what}`);
  }
  console.log(`${lines.join('\n')}\n`);
}
