/**
 * HTTP throughput of the platform: GET /healthz and an authenticated GET /api/v1/me, each driven by
 * autocannon at 100 connections. Prints one JSON object. Runs on SQLite in a temp dir by default;
 * BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL (a fresh schema, dropped afterwards).
 *
 *   npm run bench:http            # 10 s per target
 *   BENCH_SECONDS=5 npm run bench:http
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import autocannon from 'autocannon';
import { scratchDatabase } from './support';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

function target() {
  return scratchDatabase('http', process.env.BENCH_DATABASE_URL ? 'postgres' : 'sqlite');
}

function summary(r: autocannon.Result) {
  return {
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

const { db, cleanup } = await target();
// The server runs in its own process so that autocannon does not share its event loop.
const port = 38_000 + (process.pid % 1000);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  WEB_DIST: '/nonexistent',
  ...(db.dialect === 'sqlite'
    ? { DATABASE_URL: `sqlite:${db.file}` }
    : {
        DATABASE_URL: `${db.url}${db.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${db.schema}`)}`,
      }),
};
const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz/readiness`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'zhangwei', password: 'GovFlow@2026' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status}`);

  // A short warm-up so the JIT has compiled the hot paths before measuring.
  await autocannon({ url: `${url}/api/v1/me`, connections: 10, duration: 2, headers: { cookie } });
  const healthz = await autocannon({ url: `${url}/healthz`, connections, duration: seconds });
  const me = await autocannon({
    url: `${url}/api/v1/me`,
    connections,
    duration: seconds,
    headers: { cookie },
  });
  console.log(
    JSON.stringify(
      {
        bench: 'http',
        database: db.dialect,
        node: process.version,
        cpus: os.cpus().length,
        connections,
        secondsPerTarget: seconds,
        healthz: summary(healthz),
        me: summary(me),
      },
      null,
      2,
    ),
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await cleanup();
}
