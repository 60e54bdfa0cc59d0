import type { CardReadTables } from './modules/card-reads/tables';
import type { CatalogTables } from './modules/catalog/tables';
import type { DatahubTables } from './modules/datahub/tables';
import type { IdentityTables } from './modules/identity/tables';
import type { AuditTables } from './platform/audit/tables';
import type { KeyFingerprintsTable } from './platform/crypto/key-fingerprints';
import type { SearchTables } from './platform/search/tables';

/** Every table, for Kysely's types. Each module owns its tables; nobody else queries them. */
export interface Database
  extends IdentityTables,
    AuditTables,
    SearchTables,
    CatalogTables,
    DatahubTables,
    KeyFingerprintsTable,
    CardReadTables {}
