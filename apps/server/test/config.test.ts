import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults: SQLite in ./data on port 3000', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 3000);
    assert.deepEqual(c.database, { dialect: 'sqlite', file: path.join('data', 'govflow.db') });
    assert.equal(c.SESSION_IDLE_MINUTES, 30);
    assert.equal(c.LOGIN_MAX_FAILURES, 5);
    assert.equal(c.LOGIN_LOCK_MINUTES, 15);
  });

  it('chooses PostgreSQL from DATABASE_URL and moves SQLite with DATA_DIR', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database.dialect, 'postgres');
    assert.deepEqual(loadConfig({ DATA_DIR: '/srv/gf' }).database, {
      dialect: 'sqlite',
      file: '/srv/gf/govflow.db',
    });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).database, {
      dialect: 'sqlite',
      file: '/tmp/x.db',
    });
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe' });
      assert.fail('should have thrown');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const keys = err.problems.map((p) => p.split('：')[0]).sort();
      assert.deepEqual(keys, ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SEED_DEMO']);
    }
  });

  it('stops the server process with the problems listed', () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PORT: '-1', SESSION_IDLE_MINUTES: 'never' },
      timeout: 30_000,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /PORT/);
    assert.match(r.stderr, /SESSION_IDLE_MINUTES/);
  });
});
