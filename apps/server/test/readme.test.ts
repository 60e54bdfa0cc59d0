import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_DOCS, configSchema } from '../src/config';
import { DEMO_ACCOUNTS } from '../src/seed/demo-city';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('README', () => {
  it('documents every environment variable the server reads', () => {
    const missing = Object.keys(configSchema.shape).filter(
      (k) => !new RegExp(`\\|\\s*\`${k}\`\\s*\\|`).test(readme),
    );
    assert.deepEqual(missing, []);
    assert.deepEqual(Object.keys(CONFIG_DOCS).sort(), Object.keys(configSchema.shape).sort());
  });

  it('lists every demo account and the two quickstart commands', () => {
    for (const a of DEMO_ACCOUNTS) assert.ok(readme.includes(`\`${a.username}\``), a.username);
    assert.ok(readme.includes('npm install && npm start'));
    assert.ok(readme.includes('npm test'));
  });
});
