import { maskIdNumber } from '@govflow/shared';
import { AppError } from '../../platform/http/errors';
import type { ServiceDeps } from '../../platform/service-deps';
import { type CallLog, tooManyRefusals } from './call-log';
import {
  RESOURCE_SOURCES,
  type ResourceSource,
  type ResourceSourceName,
  validSubject,
} from './resource-sources';
import type { DataSharingService } from './sharing';
import type { CallOutcome, DhAppRow } from './tables';

export interface DataQuery {
  resource: string;
  subject: string;
  purpose: string;
}

export interface DataQueryResult {
  resource: string;
  found: boolean;
  /** Only the fields the application's unit is approved for; everything else is absent. */
  record: Record<string, unknown> | null;
  fields: string[];
}

const OUTCOME_OF: Partial<Record<string, CallOutcome>> = {
  NO_ACCESS: 'no-access',
  NOT_SHARED: 'no-access',
  ACCESS_EXPIRED: 'expired',
  NOT_SOURCE_KEEPER: 'no-access',
  NO_SOURCE_KEEPER: 'no-access',
};

/** ID numbers keep their region and sequence; credit codes their first 8 and last 2 characters. */
export function maskSubject(subject: string): string {
  const s = subject.trim();
  if (/^\d{17}[\dXx]$/.test(s)) return maskIdNumber(s) as string;
  if (s.length === 18) return `${s.slice(0, 8)}********${s.slice(16)}`;
  return s.length <= 4 ? '*'.repeat(s.length) : `${s.slice(0, 2)}${'*'.repeat(Math.min(s.length - 2, 16))}`;
}

/**
 * The query API of the data hub: a registered application reads one record of one resource, for a
 * stated purpose, and receives only the fields its unit holds a live approval for. Every call is
 * written to the call log, answered or refused.
 */
export class DataQueryService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly sharing: DataSharingService,
    readonly log: CallLog,
  ) {}

  async query(
    app: DhAppRow,
    q: DataQuery,
    requestId: string | null,
    started: number,
    /** The client address: refusals are capped per application and address. */
    source: string | null = null,
  ): Promise<DataQueryResult> {
    const base = {
      app,
      source,
      resourceCode: q.resource,
      purpose: q.purpose,
      subjectMasked: maskSubject(q.subject),
      requestId,
      at: this.deps.clock.now(),
    };
    try {
      const resource = await this.sharing.resourceByCode(q.resource);
      const source: ResourceSource | undefined =
        resource.source && Object.hasOwn(RESOURCE_SOURCES, resource.source)
          ? RESOURCE_SOURCES[resource.source as ResourceSourceName]
          : undefined;
      if (!source) throw new AppError('NOT_QUERYABLE', 409, `${resource.name}不提供在线查询`);
      // The keeper comes with the resource: one read on this hot path; a mismatch reads the names.
      if (resource.keeper_org_id !== resource.owner_org_id)
        await this.sharing.assertKeeper(resource.source as ResourceSourceName, resource.owner_org_id);
      const subject = validSubject(source, q.subject);
      const allowed = await this.sharing.allowedFields(app.org_id, resource.code);
      const full = await source.fetch(this.deps.db, subject);
      const record = full
        ? Object.fromEntries(allowed.filter((f) => Object.hasOwn(full, f)).map((f) => [f, full[f]]))
        : null;
      const fields = record ? Object.keys(record) : [];
      await this.log.record({
        ...base,
        outcome: record ? 'ok' : 'not-found',
        httpStatus: 200,
        fields,
        ms: performance.now() - started,
      });
      return { resource: resource.code, found: record !== null, record, fields };
    } catch (err) {
      const known = err instanceof AppError;
      const logged = await this.log
        .recordRefusal({
          ...base,
          outcome: known ? (OUTCOME_OF[err.code] ?? 'invalid') : 'failed',
          httpStatus: known ? err.status : 500,
          fields: [],
          ms: performance.now() - started,
        })
        .catch(() => true); // the original error is the one to report
      throw known && !logged ? tooManyRefusals(err) : err;
    }
  }
}
