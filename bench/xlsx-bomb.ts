/**
 * What a hostile workbook costs the import: one cell that unpacks to BENCH_BOMB_MB megabytes
 * (300 by default, as reported in issue 8) and a sheet of BENCH_BOMB_ROWS rows (223,576), each
 * given to importItems in its own child process. Prints one JSON object: per case the outcome,
 * the time taken, the peak resident memory of the process and the longest event-loop stall.
 *
 *   npx tsx bench/xlsx-bomb.ts
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { hugeCellWorkbook, manyRowsWorkbook } from '../apps/server/test/support/xlsx-bombs';
import { scratchDatabase } from './support';

const CASES = {
  hugeCell: () => hugeCellWorkbook(Number(process.env.BENCH_BOMB_MB ?? 300)),
  manyRows: () => manyRowsWorkbook(Number(process.env.BENCH_BOMB_ROWS ?? 223_576)),
} as const;
type CaseName = keyof typeof CASES;

async function runCase(name: CaseName) {
  const { loadConfig } = await import('../apps/server/src/config');
  const { createContext } = await import('../apps/server/src/context');
  const { migrateToLatest } = await import('../apps/server/src/platform/db/migrate');
  const { importItems } = await import('../apps/server/src/modules/catalog/spreadsheet');
  const { systemCaller } = await import('../apps/server/src/platform/http/caller');
  const { db, cleanup } = await scratchDatabase(`xlsx-${name}`, 'sqlite');
  const ctx = createContext(
    loadConfig({
      ...process.env,
      LOG_LEVEL: 'silent',
      DATA_DIR: '/tmp',
      SECRETS_KEY: 'b'.repeat(40),
      DATAHUB_SIGNING_KEY: 'c'.repeat(40),
    }),
    { database: db },
  );
  try {
    await migrateToLatest(ctx.database);
    const bytes = await CASES[name]();
    const rssBefore = process.memoryUsage().rss;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = performance.now();
    let outcome: Record<string, unknown>;
    try {
      const report = await importItems(ctx, systemCaller('bench'), bytes);
      outcome = { result: 'report', rejected: report.rejectedCount, bytes: JSON.stringify(report).length };
    } catch (err) {
      const e = err as { status?: number; message: string };
      outcome = { result: 'refused', status: e.status, messageChars: e.message.length };
    }
    const ms = Math.round(performance.now() - started);
    loop.disable();
    return {
      zipBytes: bytes.length,
      ...outcome,
      ms,
      maxEventLoopStallMs: Math.round(loop.max / 1e6),
      rssBeforeMb: Math.round(rssBefore / 2 ** 20),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await ctx.database.destroy();
    await cleanup();
  }
}

const only = process.argv[2] as CaseName | undefined;
if (only) {
  console.log(JSON.stringify(await runCase(only)));
} else {
  const results: Record<string, unknown> = {};
  for (const name of Object.keys(CASES) as CaseName[]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    results[name] =
      r.status === 0
        ? JSON.parse(r.stdout.trim().split('\n').at(-1) as string)
        : { error: r.stderr.slice(-500) };
  }
  console.log(JSON.stringify(results, null, 2));
}
