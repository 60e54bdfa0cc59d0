import type { Permission } from '@govflow/shared';
import { inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import type { OrgService } from '../identity/org-service';
import { RESOURCE_SOURCES, type ResourceSourceName } from './resource-sources';
import type { DhAccessGrantRow, DhResourceRow } from './tables';

export interface ResourceField {
  name: string;
  label: string;
  sensitive: boolean;
}

export interface CreateResourceInput {
  code: string;
  name: string;
  description: string;
  ownerOrgId: string;
  shareType: DhResourceRow['share_type'];
  updateCycle: string;
  fields: ResourceField[];
  /** The local library the query API serves it from; its fields must be the source's. */
  source?: ResourceSourceName | null;
}

export type RequestView = 'mine' | 'to-decide';

const DAY = 86_400_000;

/**
 * The catalogue of shared data resources and the access to them (REQUIREMENTS §5): departments
 * request fields of a resource for a purpose; the owner approves or rejects; approvals expire.
 * Unconditionally shared resources are approved on request; resources not shared are refused.
 */
export class DataSharingService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly orgs: OrgService,
  ) {}

  private now() {
    return this.deps.clock.now();
  }

  private assertScope(caller: Caller, permission: Permission, path: string) {
    if (caller.actor && !inScope(caller.actor, permission, path)) {
      throw new AppError('OUT_OF_SCOPE', 403, '超出本单位的数据范围');
    }
  }

  async createResource(
    caller: Caller,
    input: CreateResourceInput,
  ): Promise<DhResourceRow & { owner_org_name: string }> {
    const owner = await this.orgs.getOrThrow(input.ownerOrgId);
    this.assertScope(caller, 'datahub:manage', owner.path);
    const names = input.fields.map((f) => f.name);
    if (new Set(names).size !== names.length) throw new AppError('VALIDATION_FAILED', 400, '字段名重复');
    if (input.source) {
      const offered = RESOURCE_SOURCES[input.source].fields;
      const foreign = names.filter((n) => !Object.hasOwn(offered, n));
      if (foreign.length)
        throw new AppError(
          'VALIDATION_FAILED',
          422,
          `${RESOURCE_SOURCES[input.source].title}没有这些字段: ${foreign.join(', ')}`,
          `可用字段：${Object.keys(offered).join(', ')}`,
        );
    }
    if (input.source) await this.assertKeeper(input.source, owner.id);
    const row: DhResourceRow = {
      id: uuidv7(),
      code: input.code,
      name: input.name,
      description: input.description,
      owner_org_id: owner.id,
      owner_org_path: owner.path,
      share_type: input.shareType,
      update_cycle: input.updateCycle,
      fields: JSON.stringify(input.fields),
      created_at: this.now().toISOString(),
      source: input.source ?? null,
      // Registered by someone who cannot decide for the owner: the owner confirms it first.
      status: caller.actor && !inScope(caller.actor, 'datahub:approve', owner.path) ? 'pending' : 'active',
    };
    await this.deps.db.transaction().execute(async (trx) => {
      if (
        await trx.selectFrom('dh_resources').select('id').where('code', '=', input.code).executeTakeFirst()
      ) {
        throw new AppError('DUPLICATE', 409, `资源代码 ${input.code} 已存在`);
      }
      await trx.insertInto('dh_resources').values(row).execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.resource-create',
        target: { type: 'data-resource', id: row.id },
        detail: { code: row.code, shareType: row.share_type, fields: names, status: row.status },
      });
    });
    return { ...row, owner_org_name: owner.name };
  }

  /** The department keeping a local library, or undefined while none is assigned. */
  keeperOf(source: ResourceSourceName) {
    return this.deps.db
      .selectFrom('dh_source_keepers as k')
      .innerJoin('orgs', 'orgs.id', 'k.org_id')
      .select(['k.org_id', 'orgs.name'])
      .where('k.source', '=', source)
      .executeTakeFirst();
  }

  /**
   * Only the keeper of a library may publish its data: a resource served from a library must be
   * the keeper's. Checked when the resource is registered and again on every query, so handing a
   * library to another keeper stops the old keeper's resources at once.
   */
  async assertKeeper(source: ResourceSourceName, ownerOrgId: string): Promise<void> {
    const title = RESOURCE_SOURCES[source].title;
    const keeper = await this.keeperOf(source);
    if (!keeper)
      throw new AppError(
        'NO_SOURCE_KEEPER',
        409,
        `${title}尚未指定提供部门`,
        '请系统管理员在命令行运行 govflow datahub-source-keeper 指定提供部门',
      );
    if (keeper.org_id !== ownerOrgId)
      throw new AppError('NOT_SOURCE_KEEPER', 403, `${title}由${keeper.name}提供，只能登记为其数据资源`);
  }

  /** Names the department that keeps a library (system administration; audited). */
  async assignKeeper(caller: Caller, source: ResourceSourceName, orgId: string): Promise<void> {
    const org = await this.orgs.getOrThrow(orgId);
    await this.deps.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('dh_source_keepers')
        .select('org_id')
        .where('source', '=', source)
        .executeTakeFirst();
      const row = { source, org_id: org.id, assigned_at: this.now().toISOString() };
      // An upsert: two instances seeding at once must not trip over each other's insert.
      await trx
        .insertInto('dh_source_keepers')
        .values(row)
        .onConflict((oc) => oc.column('source').doUpdateSet({ org_id: org.id, assigned_at: row.assigned_at }))
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.source-keeper',
        target: { type: 'data-source', id: source },
        detail: { keeper: org.id, keeperName: org.name, previous: before?.org_id ?? null },
      });
    });
  }

  /**
   * The owner confirms a resource registered on its behalf (`datahub:approve` in the owner's
   * scope): its share type and fields become the owner's terms, and units may request it.
   */
  async confirmResource(caller: Caller, id: string): Promise<DhResourceRow> {
    requireActor(caller);
    const resource = await this.resource(id);
    this.assertScope(caller, 'datahub:approve', resource.owner_org_path);
    await this.deps.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('dh_resources')
        .set({ status: 'active' })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', 409, '该资源已确认');
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.resource-confirm',
        target: { type: 'data-resource', id },
        detail: { code: resource.code, shareType: resource.share_type },
      });
    });
    return this.resource(id);
  }

  listResources() {
    return this.deps.db
      .selectFrom('dh_resources')
      .innerJoin('orgs', 'orgs.id', 'dh_resources.owner_org_id')
      .selectAll('dh_resources')
      .select('orgs.name as owner_org_name')
      .orderBy('code')
      .execute();
  }

  /** A resource by code, with the keeper of its library (null: no library, or no keeper yet). */
  async resourceByCode(code: string): Promise<DhResourceRow & { keeper_org_id: string | null }> {
    const r = await this.deps.db
      .selectFrom('dh_resources')
      .leftJoin('dh_source_keepers', 'dh_source_keepers.source', 'dh_resources.source')
      .selectAll('dh_resources')
      .select('dh_source_keepers.org_id as keeper_org_id')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 404, `数据资源 ${code.slice(0, 40)} 不存在`);
    return r;
  }

  /**
   * Access requests the caller sees: `mine`, those of units where it may request (or read);
   * `to-decide`, those for resources its units own and it may approve.
   */
  async listRequests(caller: Caller, view: RequestView, status?: DhAccessGrantRow['status']) {
    const actor = requireActor(caller);
    const roots =
      view === 'mine'
        ? (actor.scopes.get('datahub:request') ?? actor.scopes.get('datahub:read') ?? [])
        : (actor.scopes.get('datahub:approve') ?? []);
    if (roots.length === 0) return [];
    let q = this.requests().where((eb) =>
      eb.or(roots.map((root) => eb(view === 'mine' ? 'o.path' : 'r.owner_org_path', 'like', `${root}%`))),
    );
    if (status) q = q.where('g.status', '=', status);
    return q.orderBy('g.created_at', 'desc').limit(500).execute();
  }

  /** Every request of one unit, newest first: what a registered application of that unit sees. */
  requestsOf(orgId: string) {
    return this.requests().where('g.requester_org_id', '=', orgId).orderBy('g.created_at', 'desc').execute();
  }

  /** One request with its resource's and requester's names, as the lists show it. */
  request(id: string) {
    return this.requests().where('g.id', '=', id).executeTakeFirstOrThrow();
  }

  private requests() {
    return this.deps.db
      .selectFrom('dh_access_grants as g')
      .innerJoin('dh_resources as r', 'r.id', 'g.resource_id')
      .innerJoin('orgs as o', 'o.id', 'g.requester_org_id')
      .selectAll('g')
      .select(['r.code as resource_code', 'r.name as resource_name', 'o.name as requester_org_name']);
  }

  async resource(id: string): Promise<DhResourceRow> {
    const r = await this.deps.db
      .selectFrom('dh_resources')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) throw new AppError('NOT_FOUND', 404, '数据资源不存在');
    return r;
  }

  async requestAccess(
    caller: Caller,
    resourceId: string,
    input: { requesterOrgId: string; fields: string[]; purpose: string; days: number },
  ): Promise<DhAccessGrantRow> {
    const resource = await this.resource(resourceId);
    const requester = await this.orgs.getOrThrow(input.requesterOrgId);
    this.assertScope(caller, 'datahub:request', requester.path);
    if (resource.share_type === 'none') {
      throw new AppError('NOT_SHARED', 409, `${resource.name}不予共享`);
    }
    if (resource.status !== 'active')
      throw new AppError('RESOURCE_PENDING', 409, `${resource.name}尚待提供部门确认`);
    const known = new Set((JSON.parse(resource.fields) as ResourceField[]).map((f) => f.name));
    const unknown = input.fields.filter((f) => !known.has(f));
    if (unknown.length)
      throw new AppError('VALIDATION_FAILED', 422, `资源没有这些字段: ${unknown.join(', ')}`);
    const now = this.now();
    const auto = resource.share_type === 'unconditional';
    const grant: DhAccessGrantRow = {
      id: uuidv7(),
      resource_id: resource.id,
      requester_org_id: requester.id,
      fields: JSON.stringify([...new Set(input.fields)]),
      purpose: input.purpose,
      days: input.days,
      status: auto ? 'approved' : 'requested',
      expires_at: auto ? new Date(now.getTime() + input.days * DAY).toISOString() : null,
      requested_by: caller.actor?.userId ?? null,
      decided_by: null,
      decided_at: auto ? now.toISOString() : null,
      decision_note: auto ? '无条件共享，自动通过' : '',
      created_at: now.toISOString(),
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('dh_access_grants').values(grant).execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.access-request',
        target: { type: 'access-grant', id: grant.id },
        detail: {
          resource: resource.code,
          requester: requester.name,
          fields: input.fields,
          purpose: input.purpose,
          status: grant.status,
        },
      });
    });
    return grant;
  }

  /** The owner's decision; only a pending request can be decided, once. */
  async decide(caller: Caller, grantId: string, approve: boolean, note: string): Promise<DhAccessGrantRow> {
    const grant = await this.deps.db
      .selectFrom('dh_access_grants')
      .selectAll()
      .where('id', '=', grantId)
      .executeTakeFirst();
    if (!grant) throw new AppError('NOT_FOUND', 404, '申请不存在');
    const resource = await this.resource(grant.resource_id);
    this.assertScope(caller, 'datahub:approve', resource.owner_org_path);
    const now = this.now();
    const changes = {
      status: approve ? ('approved' as const) : ('rejected' as const),
      expires_at: approve ? new Date(now.getTime() + grant.days * DAY).toISOString() : null,
      decided_by: caller.actor?.userId ?? null,
      decided_at: now.toISOString(),
      decision_note: note,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('dh_access_grants')
        .set(changes)
        .where('id', '=', grantId)
        .where('status', '=', 'requested')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new AppError('INVALID_TRANSITION', 409, '该申请已处理');
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: approve ? 'datahub.access-approve' : 'datahub.access-reject',
        target: { type: 'access-grant', id: grantId },
        detail: { resource: resource.code, note, expiresAt: changes.expires_at },
      });
    });
    return { ...grant, ...changes };
  }

  /**
   * The fields an org may read from a resource now: the union of its approved, unexpired grants.
   * 403 NO_ACCESS when it never had any, 403 ACCESS_EXPIRED when all have run out.
   */
  async allowedFields(requesterOrgId: string, resourceCode: string): Promise<string[]> {
    const grants = await this.deps.db
      .selectFrom('dh_access_grants')
      .innerJoin('dh_resources', 'dh_resources.id', 'dh_access_grants.resource_id')
      .select(['dh_access_grants.fields', 'dh_access_grants.expires_at'])
      .where('dh_resources.code', '=', resourceCode)
      .where('dh_access_grants.requester_org_id', '=', requesterOrgId)
      .where('dh_access_grants.status', '=', 'approved')
      .execute();
    if (grants.length === 0) throw new AppError('NO_ACCESS', 403, '未获授权使用该数据资源');
    const now = this.now().toISOString();
    const live = grants.filter((g) => g.expires_at && g.expires_at > now);
    if (live.length === 0) throw new AppError('ACCESS_EXPIRED', 403, '授权已过期，请重新申请');
    return [...new Set(live.flatMap((g) => JSON.parse(g.fields) as string[]))];
  }
}
