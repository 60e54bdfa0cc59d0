import type { MigrationDefinition } from '../platform/db/migrate';
import { identityAndAudit } from './0001-identity-and-audit';

/** The one migration history, valid on SQLite and PostgreSQL, in order. */
export const migrations: MigrationDefinition[] = [identityAndAudit];
