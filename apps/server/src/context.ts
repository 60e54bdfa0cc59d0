import { installChineseValidationMessages } from '@govflow/shared';
import type { Config } from './config';
import { registerCardReadAuditNames } from './modules/card-reads/audit-names';
import { CardReadService } from './modules/card-reads/service';
import { registerCatalogAuditNames } from './modules/catalog/audit-names';
import { PublicCatalog } from './modules/catalog/public-catalog';
import { searchListener } from './modules/catalog/search-documents';
import { CatalogService } from './modules/catalog/service';
import { AppRegistry, datahubSigningKey } from './modules/datahub/apps';
import { registerDatahubAuditNames } from './modules/datahub/audit-names';
import { CallLog } from './modules/datahub/call-log';
import { DatahubComparisons } from './modules/datahub/comparisons';
import { DataQueryService } from './modules/datahub/data-query';
import { LocalLibraryProvider } from './modules/datahub/proof-providers';
import { ProofQueryService } from './modules/datahub/proof-query';
import { registerHttpProviders } from './modules/datahub/provider-config';
import { DataSharingService } from './modules/datahub/sharing';
import { type CardReader, SimulatedCardReader } from './modules/datahub/simulated-card-reader';
import { createIdentityModule, type IdentityModule } from './modules/identity';
import { registerIdentityAuditNames } from './modules/identity/audit-names';
import { AuditTrail } from './platform/audit/trail';
import { type Clock, systemClock } from './platform/clock';
import { localKey } from './platform/crypto/local-key';
import { SecretBox } from './platform/crypto/secret-box';
import { connect, type DatabaseTarget, type Db } from './platform/db/connect';
import { createLogger, type Logger } from './platform/logging/logger';
import { createSearchIndex, type SearchIndex } from './platform/search';
import type { ServiceDeps } from './platform/service-deps';
import { DEMO_CITIZEN_ID_NUMBER } from './seed/demo-city';

/** Everything a request handler, a CLI command or a test reaches the system through. */
export interface AppContext extends ServiceDeps {
  /** The keys kept outside the database, checked against it at start (`verifyKeyFingerprints`). */
  keys: Record<string, { key: string; variable: string }>;
  log: Logger;
  database: Db;
  identity: IdentityModule;
  catalog: CatalogService;
  publicCatalog: PublicCatalog;
  search: SearchIndex;
  datahub: {
    comparisons: DatahubComparisons;
    proofs: ProofQueryService;
    sharing: DataSharingService;
    apps: AppRegistry;
    queries: DataQueryService;
    /** The demo's simulated ID card reader; null unless the demo is seeded. */
    cardReader: CardReader | null;
  };
  /** ID card reads at a window: single-use tokens for the proof query and the window intake. */
  cardReads: CardReadService;
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  /** Overrides config.database (tests point at their own schema). */
  database?: DatabaseTarget;
}

export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  // Validation messages reach people (API answers, spreadsheet reports): in Chinese.
  installChineseValidationMessages();
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const database = connect(options.database ?? config.database);
  const audit = new AuditTrail(database.kysely, database.dialect, clock);
  const secretsKey = localKey(config.DATA_DIR, 'secrets.key', config.SECRETS_KEY, 'SECRETS_KEY');
  const signingKey = datahubSigningKey(config);
  const secrets = new SecretBox(secretsKey);
  const deps: ServiceDeps = { db: database.kysely, dialect: database.dialect, audit, clock, config, secrets };
  const identity = createIdentityModule(deps);
  const search = createSearchIndex(database.kysely, database.dialect);
  const catalog = new CatalogService(deps, identity.orgs, identity.users);
  catalog.onChange(searchListener(search));
  const publicCatalog = new PublicCatalog(database.kysely, search);
  const proofs = new ProofQueryService(deps, config.PROOF_PROVIDER_TIMEOUT_MS);
  proofs.register(new LocalLibraryProvider(database.kysely));
  registerHttpProviders(proofs, config);
  const sharing = new DataSharingService(deps, identity.orgs);
  const datahub = {
    comparisons: new DatahubComparisons(deps),
    proofs,
    sharing,
    apps: new AppRegistry(deps, identity.orgs, signingKey),
    queries: new DataQueryService(deps, sharing, new CallLog(database.kysely, clock)),
    cardReader: config.SEED_DEMO ? new SimulatedCardReader(database.kysely, [DEMO_CITIZEN_ID_NUMBER]) : null,
  };
  const cardReads = new CardReadService(deps);
  for (const register of [
    registerIdentityAuditNames,
    registerCatalogAuditNames,
    registerDatahubAuditNames,
    registerCardReadAuditNames,
  ])
    register(audit.names, deps);
  const keys = {
    secrets: { key: secretsKey, variable: 'SECRETS_KEY' },
    'datahub-signing': { key: signingKey, variable: 'DATAHUB_SIGNING_KEY' },
  };
  return { ...deps, log, database, identity, catalog, publicCatalog, search, datahub, cardReads, keys };
}
