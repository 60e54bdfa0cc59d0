import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_FILE_PATTERN = /^[0-9a-f]{64}$/;

/**
 * A key the process needs at start: `configured` (from the environment) when set, else a key
 * kept in `dataDir/fileName`, created once (written to a temporary file, then linked into place,
 * mode 0600). Resolved at start, so an unwritable DATA_DIR or a damaged key file stops the
 * process instead of failing later; a key file that is not 64 hex characters is refused, never
 * used. Back these files up with the database: what they protect is lost without them.
 */
export function localKey(
  dataDir: string,
  fileName: string,
  configured: string | undefined,
  variable: string,
): string {
  if (configured) return configured;
  const file = path.join(dataDir, fileName);
  try {
    return readOrCreate(file, dataDir);
  } catch (err) {
    throw new Error(
      `${variable}: ${(err as Error).message}; set ${variable} (≥ 32 characters) or make DATA_DIR writable`,
    );
  }
}

function readOrCreate(file: string, dataDir: string): string {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, randomBytes(32).toString('hex'), { mode: 0o600 });
    try {
      // link() fails if another process created the file first: its key wins, ours is dropped.
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const key = fs.readFileSync(file, 'utf8').trim();
  if (!KEY_FILE_PATTERN.test(key)) {
    throw new Error(`${file} is not a key (64 hex characters): restore it from backup`);
  }
  return key;
}
