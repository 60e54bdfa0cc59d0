import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, createTestApp, type TestApp } from './support/harness';

const root = path.resolve(import.meta.dirname, '../../..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (a test server may have to answer it). */
function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/main.ts', ...args], {
      cwd: root,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** One line, in Chinese, with no stack trace and no English error class. */
function assertOneChineseLine(run: Run, mentions?: RegExp) {
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
  assert.match(lines[0], /[\u4e00-\u9fff]/, run.stderr);
  assert.doesNotMatch(run.stderr, /TypeError|SyntaxError|Error:|\s+at .+:\d+|node:internal/, run.stderr);
  if (mentions) assert.match(lines[0], mentions);
}

const APP = { GOVFLOW_APP_KEY: 'gf_test_key', GOVFLOW_APP_SECRET: 'secret-of-the-test-application' };
const CALL = [
  'datahub-call',
  '--resource',
  'LEGAL-ENTITY-BASIC',
  '--subject',
  '91210112100000008T',
  '--purpose',
  '核验',
];

describe('CLI: the server it calls and its failures', () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  before(async () => {
    t = await createTestApp('sqlite', { seed: false });
    env = childEnv(t.database.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-cli-'));
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('datahub-call goes to the server on PORT, as the server itself reads it', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as net.AddressInfo;
    const run = await cli({ ...env, ...APP, PORT: String(port) }, ...CALL);
    // The test server knows no such application: it answers 401 in its error shape.
    assert.match(run.stdout, /HTTP 401/, run.stdout + run.stderr);
    assert.match(run.stdout, /"code": "BAD_SIGNATURE"|"code": "UNAUTHENTICATED"/, run.stdout);
    assert.equal(run.status, 4);
  });

  it('datahub-call answers an unreachable server in one Chinese line naming the address, exit non-zero', async () => {
    const port = await freePort();
    const run = await cli({ ...env, ...APP, PORT: String(port) }, ...CALL);
    assert.notEqual(run.status, 0);
    assertOneChineseLine(run, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  it('answers expected failures of other commands in one line, without a stack', async () => {
    const unknownOption = await cli(env, 'migrate', '--bogus');
    assert.equal(unknownOption.status, 1);
    assert.doesNotMatch(unknownOption.stderr, /\s+at .+:\d+|TypeError|ERR_PARSE_ARGS/, unknownOption.stderr);
    assert.match(unknownOption.stderr.split('\n')[0], /--bogus/);

    const noAnchorFile = await cli(env, 'verify-audit', '--anchor', path.join(dir, 'missing.jsonl'));
    assert.notEqual(noAnchorFile.status, 0);
    assertOneChineseLine(noAnchorFile, /missing\.jsonl/);

    const badAnchor = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(badAnchor, 'not json\n');
    const badAnchorRun = await cli(env, 'verify-audit', '--anchor', badAnchor);
    assert.notEqual(badAnchorRun.status, 0);
    assertOneChineseLine(badAnchorRun, /bad\.jsonl/);

    const unwritable = await cli(env, 'export-items', path.join(dir, 'no-such-dir', 'out.xlsx'));
    assert.notEqual(unwritable.status, 0);
    assertOneChineseLine(unwritable, /out\.xlsx/);

    const noDatabase = await cli(
      { ...env, DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/govflow` },
      'migrate',
    );
    assert.notEqual(noDatabase.status, 0);
    assertOneChineseLine(noDatabase, /数据库/);
  });

  it('does not check a database that is not there: a mistyped DATA_DIR is no “intact” chain', async () => {
    const missing = path.join(dir, 'mistyped');
    const { DATABASE_URL: _ignored, ...withoutUrl } = env;
    for (const command of ['verify-audit', 'audit-anchor', 'export-items']) {
      const args = command === 'export-items' ? [command, path.join(dir, 'out.xlsx')] : [command];
      const run = await cli({ ...withoutUrl, DATA_DIR: missing }, ...args);
      assert.notEqual(run.status, 0, `${command}: ${run.stdout}`);
      assertOneChineseLine(run, /mistyped.*不存在/);
      assert.doesNotMatch(run.stdout, /intact/);
    }
    assert.equal(fs.existsSync(missing), false, 'nothing was created there');
  });
});
