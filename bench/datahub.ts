/**
 * Data hub at city scale (issue 4, "measured, not asserted"). For each dialect:
 *
 * 1. Load: 1,000,000 synthetic persons (BENCH_PERSONS) with their households, companies, licences
 *    and theme lists, generated in chunks of 50,000 (BENCH_CHUNK; one seed per chunk, one
 *    PopulationCursor across chunks so ID numbers, households and companies stay unique) and
 *    written with `insertPopulation`. Generation and insertion are timed apart.
 * 2. Comparisons: 5,000 calls (BENCH_COMPARISONS), one at a time, of the primitives the checks
 *    engine uses — name matches ID, alive, resident in a region (district, city or another
 *    district), on the pharmacist-exam list, driving licence valid — drawn at random, on random
 *    existing persons and, for a tenth of the calls, on ID numbers the library does not hold.
 * 3. 一证通办 fan-out: a ProofQueryService with five providers, asked for all seven proof types:
 *      local  公安 (population):      household, marital-status, life-status
 *      local  民政 (civil affairs):   minimum-income, disability
 *      local  人社/主题库 (themes):    social-security, pharmacist-exam
 *      remote 人社 system (HTTP):     social-security
 *      remote 卫健 system (HTTP):     pharmacist-exam, disability
 *    The remote ones overlap the local copies on purpose (a local mirror and the authoritative
 *    system both answer; a found record wins), so every query waits for all five. Each remote
 *    system is a node:http server on 127.0.0.1 in a child process of its own (its load is not on
 *    the bench's event loop, but it shares the machine's cores), answering the HttpProofProvider
 *    contract after BENCH_REMOTE_LATENCY_MS (default 5 ms). 2,000 queries (BENCH_PROOF_QUERIES)
 *    by 50 concurrent workers (BENCH_CONCURRENCY), each for a random existing person, through
 *    `query()` with a system caller: every query writes its log row and an audit entry, as in
 *    production. Provider timeout: PROOF_PROVIDER_TIMEOUT_MS (default 3,000 ms, as configured).
 *
 * Prints one JSON object per dialect on stdout, progress on stderr. SQLite in a temp dir always;
 * PostgreSQL too when BENCH_DATABASE_URL is set (a fresh schema, dropped afterwards).
 *
 *   npx tsx bench/datahub.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/datahub.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIdNumber } from '@govflow/shared';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/config';
import { createContext } from '../apps/server/src/context';
import {
  HttpProofProvider,
  LocalLibraryProvider,
  PROOF_TYPES,
  type ProofType,
} from '../apps/server/src/modules/datahub/proof-providers';
import { ProofQueryService } from '../apps/server/src/modules/datahub/proof-query';
import {
  insertPopulation,
  newPopulationCursor,
  syntheticPopulation,
} from '../apps/server/src/modules/datahub/synthetic';
import type { DatabaseTarget } from '../apps/server/src/platform/db/connect';
import { migrateToLatest } from '../apps/server/src/platform/db/migrate';
import { systemCaller } from '../apps/server/src/platform/http/caller';
import { createLogger } from '../apps/server/src/platform/logging/logger';
import { benchDatabases, pick, prng, summary } from './support';

const PERSONS = Number(process.env.BENCH_PERSONS ?? 1_000_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 50_000);
const COMPARISONS = Number(process.env.BENCH_COMPARISONS ?? 5_000);
const PROOF_QUERIES = Number(process.env.BENCH_PROOF_QUERIES ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const REMOTE_LATENCY_MS = Number(process.env.BENCH_REMOTE_LATENCY_MS ?? 5);
const PROOF_TIMEOUT_MS = process.env.PROOF_PROVIDER_TIMEOUT_MS ?? '3000';
const TODAY = '2026-11-01';
const ABSENT_SHARE = 0.1;
/** Persons kept from each chunk to draw the queries from. */
const SAMPLE_PER_CHUNK = Math.max(1, Math.round((20_000 * CHUNK) / PERSONS));
const DISTRICTS = ['210102', '210103', '210104', '210105', '210106', '210112'];
const ALL_TYPES = Object.keys(PROOF_TYPES) as ProofType[];

const progress = (msg: string) => process.stderr.write(`[datahub bench] ${msg}\n`);

/**
 * A remote department's system, in a child process: POST {idNumber, proofTypes} →
 * {proofs: {type: {found, data}}} after a fixed latency. Answers are derived from the ID number,
 * so the same person gets the same answer every time.
 */
const REMOTE_SYSTEM = `
const http = require('node:http');
const crypto = require('node:crypto');
const latency = Number(process.env.REMOTE_LATENCY_MS);
const system = process.env.REMOTE_SYSTEM;
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const { idNumber, proofTypes } = JSON.parse(body);
    const h = crypto.createHash('sha256').update(idNumber).digest().readUInt32BE(0);
    const proofs = {};
    for (const t of proofTypes) {
      if (t === 'social-security')
        proofs[t] = { found: true, data: { insured: h % 10 < 8, months: h % 240, system } };
      else if (t === 'pharmacist-exam')
        proofs[t] = h % 200 === 0 ? { found: true, data: { passedOn: '2023-10-22', system } } : { found: false, data: {} };
      else if (t === 'disability')
        proofs[t] = h % 33 === 0 ? { found: true, data: { level: 1 + (h % 4), system } } : { found: false, data: {} };
    }
    const answer = JSON.stringify({ proofs });
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    }, latency);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
// The bench holds our stdin open: when it ends (the bench exited, even killed), so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

async function startRemote(system: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', REMOTE_SYSTEM], {
    env: { ...process.env, REMOTE_SYSTEM: system, REMOTE_LATENCY_MS: String(REMOTE_LATENCY_MS) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.once('exit', (code) => reject(new Error(`remote ${system} exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/proofs`, child };
}

interface SampledPerson {
  idNumber: string;
  name: string;
  district: string;
}

async function bench(target: DatabaseTarget, remotes: { hrss: string; health: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-bench-datahub-cfg-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dir,
    PROOF_PROVIDER_TIMEOUT_MS: PROOF_TIMEOUT_MS,
  });
  const ctx = createContext(config, { database: target, log: createLogger('silent') });
  const dialect = ctx.database.dialect;
  try {
    await migrateToLatest(ctx.database);

    // 1. Load, chunk by chunk.
    const cursor = newPopulationCursor();
    const sampleRand = prng(4_000);
    const sample: SampledPerson[] = [];
    const rows = { households: 0, persons: 0, entities: 0, licences: 0, themes: 0 };
    let generateMs = 0;
    let insertMs = 0;
    const chunks = Math.ceil(PERSONS / CHUNK);
    for (let i = 0; i < chunks; i++) {
      const n = Math.min(CHUNK, PERSONS - i * CHUNK);
      const tg = performance.now();
      const pop = syntheticPopulation(n, 1_000 + i, [], TODAY, cursor);
      generateMs += performance.now() - tg;
      const districtOf = new Map(pop.households.map((h) => [h.household_no, h.region_code.slice(0, 6)]));
      for (let k = 0; k < SAMPLE_PER_CHUNK; k++) {
        const p = pick(sampleRand, pop.persons);
        sample.push({
          idNumber: p.id_number,
          name: p.name,
          district: districtOf.get(p.household_no ?? '') ?? '',
        });
      }
      const ti = performance.now();
      await insertPopulation(ctx.db, pop);
      insertMs += performance.now() - ti;
      for (const key of Object.keys(rows) as (keyof typeof rows)[]) rows[key] += pop[key].length;
      progress(
        `${dialect}: ${rows.persons.toLocaleString('en')} persons loaded ` +
          `(${Math.round(insertMs / 1000)} s inserting, ${Math.round(generateMs / 1000)} s generating)`,
      );
    }
    const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
    // Settle what a running system would have settled: statistics, autovacuum's work.
    const ta = performance.now();
    if (dialect === 'postgres') {
      await sql`vacuum analyze dh_households, dh_persons, dh_legal_entities, dh_licences, dh_theme_entries`.execute(
        ctx.db,
      );
    }
    const analyzeMs = Math.round(performance.now() - ta);
    const sizeMb =
      dialect === 'postgres'
        ? Number(
            (
              await sql<{ bytes: string }>`select sum(pg_total_relation_size(c.oid)) as bytes
                from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and c.relkind = 'r'`.execute(ctx.db)
            ).rows[0].bytes,
          ) / 1e6
        : fs
            .readdirSync(path.dirname((target as { file: string }).file))
            .reduce(
              (a, f) => a + fs.statSync(path.join(path.dirname((target as { file: string }).file), f)).size,
              0,
            ) / 1e6;

    // 2. Comparisons, one at a time.
    progress(`${dialect}: comparisons`);
    const cmp = ctx.datahub.comparisons;
    const rand = prng(5_000);
    const absent = () =>
      makeIdNumber(
        '110105',
        `19${50 + Math.floor(rand() * 50)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
        1 + Math.floor(rand() * 900),
      );
    const primitives: Record<string, (p: SampledPerson) => Promise<string>> = {
      nameMatches: (p) => cmp.nameMatches(p.idNumber, rand() < 0.8 ? p.name : `${p.name.slice(0, 1)}某`),
      isAlive: (p) => cmp.isAlive(p.idNumber),
      residentIn: (p) => {
        const r = rand();
        const region = r < 0.4 ? p.district || '210102' : r < 0.7 ? '210100' : pick(rand, DISTRICTS);
        return cmp.residentIn(p.idNumber, region);
      },
      onList: (p) => cmp.onList(p.idNumber, 'pharmacist-exam-passed', TODAY),
      holdsLicence: (p) => cmp.holdsLicence(p.idNumber, 'driving-licence', TODAY),
    };
    const names = Object.keys(primitives);
    const draw = () => {
      const person: SampledPerson =
        rand() < ABSENT_SHARE ? { idNumber: absent(), name: '张三', district: '110105' } : pick(rand, sample);
      return { primitive: pick(rand, names), person };
    };
    for (let i = 0; i < 500; i++) {
      const { primitive, person } = draw();
      await primitives[primitive](person);
    }
    const cmpMs: number[] = [];
    const byPrimitive: Record<string, number[]> = {};
    const verdicts: Record<string, Record<string, number>> = {};
    for (let i = 0; i < COMPARISONS; i++) {
      const { primitive, person } = draw();
      const t = performance.now();
      const verdict = await primitives[primitive](person);
      const ms = performance.now() - t;
      cmpMs.push(ms);
      byPrimitive[primitive] ??= [];
      byPrimitive[primitive].push(ms);
      verdicts[primitive] ??= {};
      verdicts[primitive][verdict] = (verdicts[primitive][verdict] ?? 0) + 1;
    }

    // 3. 一证通办 fan-out.
    progress(`${dialect}: proof queries`);
    const proofs = new ProofQueryService(ctx, config.PROOF_PROVIDER_TIMEOUT_MS);
    proofs.register(
      new LocalLibraryProvider(ctx.db, 'local-公安-population', [
        'household',
        'marital-status',
        'life-status',
      ]),
    );
    proofs.register(
      new LocalLibraryProvider(ctx.db, 'local-民政-civil-affairs', ['minimum-income', 'disability']),
    );
    proofs.register(
      new LocalLibraryProvider(ctx.db, 'local-人社-themes', ['social-security', 'pharmacist-exam']),
    );
    proofs.register(new HttpProofProvider('remote-人社', remotes.hrss, ['social-security']));
    proofs.register(new HttpProofProvider('remote-卫健', remotes.health, ['pharmacist-exam', 'disability']));
    const caller = systemCaller('bench-datahub');
    const statuses: Record<string, Record<string, number>> = {};
    const providerMs: Record<string, number[]> = {};
    let missing = 0;
    const fanOut = async (total: number, record: boolean, ms: number[]) => {
      let next = 0;
      const qRand = prng(record ? 6_000 : 7_000);
      const worker = async () => {
        while (next < total) {
          next++;
          const person = pick(qRand, sample);
          const t = performance.now();
          const r = await proofs.query(caller, person.idNumber, ALL_TYPES);
          if (!record) continue;
          ms.push(performance.now() - t);
          missing += r.missing.length;
          for (const p of r.providers) {
            statuses[p.name] ??= { ok: 0, late: 0, failed: 0 };
            statuses[p.name][p.status]++;
            providerMs[p.name] ??= [];
            providerMs[p.name].push(p.ms);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    };
    await fanOut(Math.min(200, PROOF_QUERIES), false, []);
    const proofMs: number[] = [];
    const tq = performance.now();
    await fanOut(PROOF_QUERIES, true, proofMs);
    const proofWallMs = performance.now() - tq;
    const late = Object.values(statuses).reduce((a, s) => a + s.late, 0);
    const failed = Object.values(statuses).reduce((a, s) => a + s.failed, 0);

    return {
      dialect,
      persons: rows.persons,
      rows: { ...rows, total: totalRows },
      load: {
        generateMs: Math.round(generateMs),
        insertMs: Math.round(insertMs),
        totalMs: Math.round(generateMs + insertMs),
        insertRowsPerSecond: Math.round(totalRows / (insertMs / 1000)),
        insertPersonsPerSecond: Math.round(rows.persons / (insertMs / 1000)),
        analyzeMs,
        databaseMb: Math.round(sizeMb),
      },
      comparisons: {
        absentShare: ABSENT_SHARE,
        ms: summary(cmpMs),
        byPrimitive: Object.fromEntries(Object.entries(byPrimitive).map(([k, v]) => [k, summary(v)])),
        verdicts,
      },
      proofQueries: {
        concurrency: CONCURRENCY,
        providers: statuses,
        remote: 'two node:http servers on 127.0.0.1, each in its own child process',
        remoteLatencyMs: REMOTE_LATENCY_MS,
        timeoutMs: config.PROOF_PROVIDER_TIMEOUT_MS,
        ms: summary(proofMs),
        perSecond: Math.round((proofMs.length / (proofWallMs / 1000)) * 10) / 10,
        late,
        failed,
        missingProofs: missing,
        providerMsP99: Object.fromEntries(Object.entries(providerMs).map(([k, v]) => [k, summary(v).p99])),
      },
    };
  } finally {
    await ctx.database.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const children: ChildProcess[] = [];
try {
  const hrss = await startRemote('人社');
  children.push(hrss.child);
  const health = await startRemote('卫健');
  children.push(health.child);
  for (const { db, cleanup } of await benchDatabases('datahub')) {
    try {
      const loadBefore = os.loadavg()[0];
      const r = await bench(db, { hrss: hrss.url, health: health.url });
      // The 1-minute load average before and after: other work on the machine skews the figures.
      const loadAverage = [loadBefore, os.loadavg()[0]].map((x) => Math.round(x * 100) / 100);
      console.log(
        JSON.stringify(
          {
            node: process.version,
            cpus: os.cpus().length,
            rssMb: Math.round(process.memoryUsage().rss / 1e6),
            loadAverage,
            ...r,
          },
          null,
          2,
        ),
      );
    } finally {
      await cleanup();
    }
  }
} finally {
  for (const c of children) c.kill();
}
