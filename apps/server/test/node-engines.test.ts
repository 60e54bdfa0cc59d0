// Every installed package runs on the oldest Node the README promises (package.json `engines`):
// `npm install` on Node 20 must not warn EBADENGINE (issue 9 defect 11).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

const root = path.resolve(import.meta.dirname, '../../..');

/** Every package.json under node_modules, scoped and nested included. */
function installedPackages(dir: string, found: string[] = []): string[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const pkgDir = path.join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      installedPackages(pkgDir, found);
      continue;
    }
    const manifest = path.join(pkgDir, 'package.json');
    if (fs.existsSync(manifest)) found.push(manifest);
    installedPackages(path.join(pkgDir, 'node_modules'), found);
  }
  return found;
}

test('every installed package supports the oldest Node version package.json promises', () => {
  const promised = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;
  const oldest = semver.minVersion(promised);
  assert.ok(oldest, `engines.node "${promised}" names no version`);

  const manifests = [
    ...installedPackages(path.join(root, 'node_modules')),
    ...['apps/server', 'apps/web', 'packages/shared', 'e2e', 'bench'].flatMap((w) =>
      installedPackages(path.join(root, w, 'node_modules')),
    ),
  ];
  assert.ok(manifests.length > 100, `only ${manifests.length} packages found: is node_modules installed?`);

  const refusing: string[] = [];
  for (const manifest of manifests) {
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const range = pkg.engines?.node;
    if (typeof range !== 'string' || !semver.validRange(range)) continue;
    if (!semver.satisfies(oldest, range)) {
      refusing.push(`${pkg.name}@${pkg.version} needs node ${range} (${path.relative(root, manifest)})`);
    }
  }
  assert.deepEqual(refusing, [], `packages that refuse Node ${oldest.version}`);
});
