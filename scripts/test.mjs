#!/usr/bin/env node
// The whole suite in one node:test run (one closing summary): shared validators, server (SQLite,
// and PostgreSQL when TEST_DATABASE_URL is set), and e2e in Chromium after building the web app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const which = process.argv[2] ?? 'all';

function testFiles(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f))
    .sort();
}

const suites = {
  server: ['packages/shared/test', 'apps/server/test'],
  e2e: ['e2e'],
};
const dirs = which === 'all' ? [...suites.server, ...suites.e2e] : suites[which];
if (!dirs) {
  console.error(`usage: node scripts/test.mjs [all|server|e2e]`);
  process.exit(2);
}
const files = dirs.flatMap(testFiles);

if (dirs.includes('e2e')) {
  console.log('building the web app for the e2e tests…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(
  `running ${files.length} test files on SQLite${process.env.TEST_DATABASE_URL ? ' and PostgreSQL' : ' (set TEST_DATABASE_URL for PostgreSQL too)'}`,
);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
