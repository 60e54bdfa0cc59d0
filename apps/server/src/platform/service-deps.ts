import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../database';
import type { AuditTrail } from './audit/trail';
import type { Clock } from './clock';
import type { SecretBox } from './crypto/secret-box';
import type { DialectName } from './db/connect';

/** What every domain service is built from. */
export interface ServiceDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  audit: AuditTrail;
  clock: Clock;
  config: Config;
  /** Encrypts secrets the database keeps (TOTP seeds) under a key kept outside it. */
  secrets: SecretBox;
}
