/** What the benchmarks share: repeatable randomness, latency summaries and scratch databases. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseTarget, DialectName } from '../apps/server/src/platform/db/connect';

/** mulberry32: the same sequence for the same seed, on every run and dialect. */
export function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, xs: T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

/** Nearest-rank percentile of an ascending list, to 0.01. */
export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)] * 100) / 100;
}

/** count, p50/p95/p99, max and mean of latencies in ms. */
export function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: percentile(s, 100),
    mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100,
  };
}

export interface ScratchDatabase {
  db: DatabaseTarget;
  cleanup: () => Promise<void>;
}

/** A fresh database: a SQLite file in a temp dir, or a new schema in BENCH_DATABASE_URL (dropped by cleanup). */
export async function scratchDatabase(name: string, dialect: DialectName): Promise<ScratchDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `govflow-bench-${name}-`));
    return {
      db: { dialect: 'sqlite', file: path.join(dir, 'govflow.db') },
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set');
  const schema = `gf_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  const run = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await run(`create schema ${schema}`);
  return { db: { dialect: 'postgres', url, schema }, cleanup: () => run(`drop schema ${schema} cascade`) };
}

/** SQLite always; PostgreSQL too when BENCH_DATABASE_URL is set. */
export async function benchDatabases(name: string): Promise<ScratchDatabase[]> {
  const out = [await scratchDatabase(name, 'sqlite')];
  if (process.env.BENCH_DATABASE_URL) out.push(await scratchDatabase(name, 'postgres'));
  return out;
}
