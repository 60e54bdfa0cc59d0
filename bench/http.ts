/**
 * HTTP throughput of the platform: GET /healthz and an authenticated GET /api/v1/me, each driven by
 * autocannon at 100 connections. Prints one JSON object. Runs on SQLite in a temp dir by default;
 * BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL (a fresh schema, dropped afterwards).
 *
 *   npm run bench:http            # 10 s per target
 *   BENCH_SECONDS=5 npm run bench:http
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../apps/server/src/config';
import { createContext } from '../apps/server/src/context';
import type { DatabaseTarget } from '../apps/server/src/platform/db/connect';
import { startServer } from '../apps/server/src/server';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 100);

async function target(): Promise<{ db: DatabaseTarget; cleanup: () => Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-bench-'));
    return { db: { dialect: 'sqlite', file: path.join(dir, 'govflow.db') }, cleanup: async () => fs.rmSync(dir, { recursive: true }) };
  }
  const schema = `gf_bench_${process.pid}`;
  const run = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await run(`create schema ${schema}`);
  return { db: { dialect: 'postgres', url, schema }, cleanup: () => run(`drop schema ${schema} cascade`) };
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
const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '100000', WEB_DIST: '/nonexistent' });
const server = await startServer(config, createContext(config, { database: db }));
try {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'zhangwei', password: 'GovFlow@2026' }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  if (login.status !== 200 || !cookie) throw new Error(`login failed: ${login.status}`);

  const healthz = await autocannon({ url: `${server.url}/healthz`, connections, duration: seconds });
  const me = await autocannon({ url: `${server.url}/api/v1/me`, connections, duration: seconds, headers: { cookie } });
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
  await server.shutdown('bench');
  await cleanup();
}
