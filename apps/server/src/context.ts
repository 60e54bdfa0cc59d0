import type { Config } from './config';
import { PublicCatalog } from './modules/catalog/public-catalog';
import { searchListener } from './modules/catalog/search-documents';
import { CatalogService } from './modules/catalog/service';
import { DatahubComparisons } from './modules/datahub/comparisons';
import { LocalLibraryProvider } from './modules/datahub/proof-providers';
import { ProofQueryService } from './modules/datahub/proof-query';
import { DataSharingService } from './modules/datahub/sharing';
import { createIdentityModule, type IdentityModule } from './modules/identity';
import { AuditTrail } from './platform/audit/trail';
import { type Clock, systemClock } from './platform/clock';
import { connect, type DatabaseTarget, type Db } from './platform/db/connect';
import { createLogger, type Logger } from './platform/logging/logger';
import { createSearchIndex, type SearchIndex } from './platform/search';
import type { ServiceDeps } from './platform/service-deps';

/** Everything a request handler, a CLI command or a test reaches the system through. */
export interface AppContext extends ServiceDeps {
  log: Logger;
  database: Db;
  identity: IdentityModule;
  catalog: CatalogService;
  publicCatalog: PublicCatalog;
  search: SearchIndex;
  datahub: { comparisons: DatahubComparisons; proofs: ProofQueryService; sharing: DataSharingService };
}

export interface ContextOptions {
  clock?: Clock;
  log?: Logger;
  /** Overrides config.database (tests point at their own schema). */
  database?: DatabaseTarget;
}

export function createContext(config: Config, options: ContextOptions = {}): AppContext {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const database = connect(options.database ?? config.database);
  const audit = new AuditTrail(database.kysely, database.dialect, clock);
  const deps: ServiceDeps = { db: database.kysely, dialect: database.dialect, audit, clock, config };
  const identity = createIdentityModule(deps);
  const search = createSearchIndex(database.kysely, database.dialect);
  const catalog = new CatalogService(deps, identity.orgs);
  catalog.onChange(searchListener(search));
  const publicCatalog = new PublicCatalog(database.kysely, search);
  const proofs = new ProofQueryService(deps, config.PROOF_PROVIDER_TIMEOUT_MS);
  proofs.register(new LocalLibraryProvider(database.kysely));
  const datahub = {
    comparisons: new DatahubComparisons(deps),
    proofs,
    sharing: new DataSharingService(deps, identity.orgs),
  };
  return { ...deps, log, database, identity, catalog, publicCatalog, search, datahub };
}
