import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');

/** Runs the server's entry point as `npm start` does, and returns what it printed and its exit code. */
function runServer(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test('a port already in use is one Chinese line and exit 1, not a stack trace', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govflow-port-'));
  try {
    const r = runServer({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
    assert.match(lines[0], new RegExp(`端口 ${port} 已被占用`));
    assert.doesNotMatch(r.stderr, /\n\s+at |node:net|Node\.js v/);
  } finally {
    blocker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an invalid setting is named in one Chinese sentence per problem', () => {
  const r = runServer({ PORT: 'abc' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^GovFlow 无法启动：配置有误/);
  assert.match(r.stderr, /PORT/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
