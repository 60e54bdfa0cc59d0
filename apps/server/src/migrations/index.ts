import type { MigrationDefinition } from '../platform/db/migrate';
import { identityAndAudit } from './0001-identity-and-audit';
import { search } from './0002-search';
import { catalog } from './0003-catalog';
import { datahub } from './0004-datahub';
import { datahubSharing } from './0005-datahub-sharing';
import { datahubApps } from './0006-datahub-apps';
import { datahubRateWindows } from './0007-datahub-rate-windows';
import { keyFingerprints } from './0008-key-fingerprints';
import { datahubSourceKeepers } from './0009-datahub-source-keepers';
import { accountStatus } from './0010-account-status';
import { loginThrottle } from './0011-login-throttle';
import { cardReads } from './0012-card-reads';
import { catalogVersionEditors } from './0013-catalog-version-editors';
import { auditClientRequestId } from './0014-audit-client-request-id';
import { datahubRefusalCounts } from './0015-datahub-refusal-counts';
import { roleLessPostsAndRepresentatives } from './0016-role-less-posts-and-representatives';
import { orgAndRoleVersions } from './0017-org-and-role-versions';
import { uniqueOrgNames } from './0018-unique-org-names';

/** The one migration history, valid on SQLite and PostgreSQL, in order. */
export const migrations: MigrationDefinition[] = [
  identityAndAudit,
  search,
  catalog,
  datahub,
  datahubSharing,
  datahubApps,
  datahubRateWindows,
  keyFingerprints,
  datahubSourceKeepers,
  accountStatus,
  loginThrottle,
  cardReads,
  catalogVersionEditors,
  auditClientRequestId,
  datahubRefusalCounts,
  roleLessPostsAndRepresentatives,
  orgAndRoleVersions,
  uniqueOrgNames,
];
