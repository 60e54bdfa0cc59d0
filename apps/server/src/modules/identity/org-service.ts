import {
  checkCreditCode,
  ORG_ALLOWED_PARENTS,
  ORG_KIND_NAMES,
  orgKindsUnder,
  type Permission,
  regionCodeAncestry,
  regionCodeBelongsTo,
  regionLevelOf,
} from '@govflow/shared';
import { type Actor, inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { isUniqueViolation } from '../../platform/http/error-handler';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { staleEdit } from './edit-conflict';
import type { OrgKind, OrgRow } from './tables';

export interface OrgView {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  regionLevel: string | null;
  path: string;
  depth: number;
  sort: number;
  /** The version an edit names back as `expectedVersion`. */
  version: number;
}

export const toOrgView = (o: OrgRow): OrgView => ({
  id: o.id,
  parentId: o.parent_id,
  kind: o.kind,
  name: o.name,
  code: o.code,
  regionLevel: o.region_level,
  path: o.path,
  depth: o.depth,
  sort: o.sort,
  version: o.version,
});

export interface CreateOrgInput {
  parentId: string | null;
  kind: OrgKind;
  name: string;
  code?: string | null;
  sort?: number;
}

export interface UpdateOrgInput {
  name?: string;
  kind?: OrgKind;
  /** A department's or unit's credit code; empty clears it. A region's code never changes. */
  code?: string;
  sort?: number;
  /** The version the editor's form showed: the edit is refused (409) once the org has moved on. */
  expectedVersion: number;
}

/** Implementation codes (实施编码) of catalogue items embed a department's organisation code. */
const CODE_CHANGE_WARNING = '事项实施编码内含原统一社会信用代码中的组织机构代码，已生成的实施编码不随之改变';

export class OrgService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(id: string): Promise<OrgRow | undefined> {
    return this.deps.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getOrThrow(id: string): Promise<OrgRow> {
    const org = await this.get(id);
    if (!org) throw new AppError('NOT_FOUND', 404, '组织机构不存在');
    return org;
  }

  /** The nearest region at or above an org (its administrative division). */
  async regionOf(org: OrgRow): Promise<OrgRow> {
    if (org.kind === 'region') return org;
    const ids = org.path.split('/').filter(Boolean);
    const regions = await this.deps.db
      .selectFrom('orgs')
      .selectAll()
      .where('id', 'in', ids)
      .where('kind', '=', 'region')
      .orderBy('depth', 'desc')
      .limit(1)
      .execute();
    if (!regions[0]) throw new AppError('INVALID_ORG_PARENT', 422, `${org.name}不在任何行政区划之下`);
    return regions[0];
  }

  /**
   * Whether the actor holds `permission` over the division `regionCode` (a person's residence, a
   * company's registration): the deepest region of the org tree at or above that code must lie in
   * the actor's scope. A code outside every region of the tree is in nobody's scope.
   */
  async coversRegion(actor: Actor, permission: Permission, regionCode: string): Promise<boolean> {
    if (!actor.scopes.has(permission)) return false;
    const codes = regionCodeAncestry(regionCode);
    if (codes.length === 0) return false;
    const region = await this.deps.db
      .selectFrom('orgs')
      .select('path')
      .where('kind', '=', 'region')
      .where('code', 'in', codes)
      .orderBy('depth', 'desc')
      .limit(1)
      .executeTakeFirst();
    return region !== undefined && inScope(actor, permission, region.path);
  }

  /** Throws 403 OUT_OF_SCOPE when the org lies outside the subtrees where the caller holds `permission`. */
  assertInScope(caller: Caller, permission: Permission, org: Pick<OrgRow, 'path' | 'name'>): void {
    const actor = requireActor(caller);
    if (!inScope(actor, permission, org.path)) {
      throw new AppError(
        'OUT_OF_SCOPE',
        403,
        '无权访问该机构的数据',
        `你的 ${permission} 权限不覆盖“${org.name}”`,
      );
    }
  }

  /** The orgs in the caller's scope for `permission`, in tree order. */
  async listInScope(caller: Caller, permission: Permission): Promise<OrgRow[]> {
    const roots = requireActor(caller).scopes.get(permission) ?? [];
    if (roots.length === 0) return [];
    return this.deps.db
      .selectFrom('orgs')
      .selectAll()
      .where((eb) => eb.or(roots.map((root) => eb('path', 'like', `${root}%`))))
      .orderBy('depth')
      .orderBy('sort')
      .orderBy('name')
      .execute();
  }

  async getInScope(caller: Caller, id: string, permission: Permission = 'org:read'): Promise<OrgRow> {
    const org = await this.getOrThrow(id);
    this.assertInScope(caller, permission, org);
    return org;
  }

  /** Creates an org under `parentId`; the caller needs org:write over the parent (the CLI and seeders pass no actor). */
  /** Refuses a name another unit under the same parent already has (people pick units by name). */
  private async assertNameFree(parentId: string | null, name: string, except?: string): Promise<void> {
    let q = this.deps.db.selectFrom('orgs').select('id').where('name', '=', name);
    q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null);
    if (except) q = q.where('id', '!=', except);
    if (await q.executeTakeFirst()) {
      const parent = parentId ? await this.getOrThrow(parentId) : null;
      throw sameNameError(parent?.name ?? null, name);
    }
  }

  async create(caller: Caller, input: CreateOrgInput): Promise<OrgRow> {
    const parent = input.parentId ? await this.getOrThrow(input.parentId) : null;
    if (caller.actor) {
      if (!parent) throw new AppError('INVALID_ORG_PARENT', 422, '只能在已有机构下新增');
      this.assertInScope(caller, 'org:write', parent);
    }
    const code = input.code?.trim() || null;
    let regionLevel: string | null = null;
    if (parent && !ORG_ALLOWED_PARENTS[input.kind].includes(parent.kind)) {
      throw new AppError(
        'INVALID_ORG_PARENT',
        422,
        `${kindName(input.kind)}不能设在${kindName(parent.kind)}之下`,
      );
    }
    if (!parent && input.kind !== 'region') {
      throw new AppError('INVALID_ORG_PARENT', 422, '根节点必须是行政区划');
    }
    if (input.kind === 'region') {
      regionLevel = code ? regionLevelOf(code) : null;
      if (!code || !regionLevel || (parent?.code && !regionCodeBelongsTo(code, parent.code))) {
        throw new AppError(
          'INVALID_REGION_CODE',
          422,
          code ? `行政区划代码 ${code} 无效` : '缺少行政区划代码',
          parent?.code
            ? `应为 ${parent.code} 的下一级代码`
            : '省 6 位如 210000，市 210100，区县 210102，街道 9 位，社区 12 位',
        );
      }
    } else if (code && !checkCreditCode(code).ok) {
      throw new AppError('INVALID_CREDIT_CODE', 422, `统一社会信用代码 ${code} 无效`);
    }
    if (
      code &&
      (await this.deps.db.selectFrom('orgs').select('id').where('code', '=', code).executeTakeFirst())
    ) {
      throw new AppError('DUPLICATE', 409, `代码 ${code} 已被使用`);
    }
    await this.assertNameFree(parent?.id ?? null, input.name.trim());
    const id = uuidv7();
    const now = this.deps.clock.now().toISOString();
    const row: OrgRow = {
      id,
      parent_id: parent?.id ?? null,
      kind: input.kind,
      name: input.name.trim(),
      code,
      region_level: regionLevel,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: (parent?.depth ?? -1) + 1,
      sort: input.sort ?? 0,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      // Two requests that both passed the check above (a double click): the unique index decides.
      await trx
        .insertInto('orgs')
        .values(row)
        .execute()
        .catch((err: unknown) => {
          throw isUniqueViolation(err) ? sameNameError(parent?.name ?? null, row.name) : err;
        });
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'org.create',
        target: { type: 'org', id },
        detail: { name: row.name, kind: row.kind, code, parentId: row.parent_id },
      });
    });
    return row;
  }

  /**
   * Edits an org the caller holds org:write over: its name, its order among siblings, a
   * department's or unit's credit code, and its kind where the tree allows it (a unit may become
   * a window and back when its parent and children still fit). A region keeps its kind and its
   * division code: people, companies and the working-day calendar are matched to regions by that
   * code. Moving an org is not offered: other modules keep copies of its path for data scope.
   */
  async update(caller: Caller, id: string, input: UpdateOrgInput): Promise<OrgRow> {
    const org = await this.getInScope(caller, id, 'org:write');
    if (org.version !== input.expectedVersion) throw await this.stale(org, input.expectedVersion);
    const next = {
      name: input.name === undefined ? org.name : input.name.trim(),
      kind: input.kind ?? org.kind,
      code: input.code === undefined ? org.code : input.code.trim() || null,
      sort: input.sort ?? org.sort,
    };
    if (next.kind !== org.kind) await this.assertKindFits(org, next.kind);
    if (next.code !== org.code) {
      if (org.kind === 'region') {
        throw new AppError(
          'INVALID_REGION_CODE',
          422,
          `行政区划代码创建后不能修改（${org.name}：${org.code ?? '无'}）`,
          '人员、企业和工作日历按区划代码对应到区划；区划调整请新建区划',
        );
      }
      if (next.code && !checkCreditCode(next.code).ok) {
        throw new AppError('INVALID_CREDIT_CODE', 422, `统一社会信用代码无效：${next.code}`);
      }
      if (
        next.code &&
        (await this.deps.db
          .selectFrom('orgs')
          .select('id')
          .where('code', '=', next.code)
          .where('id', '!=', id)
          .executeTakeFirst())
      ) {
        throw new AppError('DUPLICATE', 409, `代码 ${next.code} 已被其他机构使用`);
      }
    }
    if (next.name !== org.name) await this.assertNameFree(org.parent_id, next.name, org.id);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of ['name', 'kind', 'code', 'sort'] as const) {
      if (next[field] !== org[field]) changes[field] = { from: org[field], to: next[field] };
    }
    if (Object.keys(changes).length === 0) return org;
    const now = this.deps.clock.now().toISOString();
    const version = org.version + 1;
    const won = await this.deps.db.transaction().execute(async (trx) => {
      // Written only while the row still has the version the editor saw: a change made meanwhile,
      // even in the same millisecond, is never overwritten.
      const r = await trx
        .updateTable('orgs')
        .set({ ...next, version, updated_at: now })
        .where('id', '=', id)
        .where('version', '=', org.version)
        .executeTakeFirst()
        .catch((err: unknown) => {
          // A sibling took the name meanwhile.
          throw isUniqueViolation(err) ? sameNameError(null, next.name) : err;
        });
      if (Number(r.numUpdatedRows) !== 1) return false;
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'org.update',
        target: { type: 'org', id },
        detail: {
          orgName: org.name,
          changes,
          ...(org.code && changes.code ? { warning: CODE_CHANGE_WARNING } : {}),
        },
      });
      return true;
    });
    if (!won) throw await this.stale(org, input.expectedVersion);
    return { ...org, ...next, version, updated_at: now };
  }

  private async stale(org: OrgRow, expectedVersion: number): Promise<AppError> {
    const current = await this.get(org.id);
    return staleEdit(
      this.deps.db,
      `${kindName(org.kind)}“${org.name}”`,
      { type: 'org', id: org.id },
      expectedVersion,
      current?.version ?? org.version,
    );
  }

  /** A new kind must sit under the org's parent and hold its children; regions never change kind. */
  private async assertKindFits(org: OrgRow, kind: OrgKind): Promise<void> {
    if (org.kind === 'region' || kind === 'region') {
      throw new AppError(
        'INVALID_ORG_PARENT',
        422,
        `${kindName(org.kind)}不能改为${kindName(kind)}`,
        '行政区划与部门、科室、窗口不能互换；请新建机构',
      );
    }
    const parent = org.parent_id ? await this.getOrThrow(org.parent_id) : null;
    if (parent && !ORG_ALLOWED_PARENTS[kind].includes(parent.kind)) {
      throw new AppError(
        'INVALID_ORG_PARENT',
        422,
        `${kindName(kind)}不能设在${kindName(parent.kind)}之下（上级：${parent.name}）`,
      );
    }
    const fitting = orgKindsUnder(kind);
    let children = this.deps.db.selectFrom('orgs').select(['name', 'kind']).where('parent_id', '=', org.id);
    if (fitting.length) children = children.where('kind', 'not in', fitting);
    const child = await children.executeTakeFirst();
    if (child) {
      throw new AppError(
        'INVALID_ORG_PARENT',
        422,
        `${org.name}下设有${kindName(child.kind)}“${child.name}”，不能改为${kindName(kind)}`,
        `${kindName(child.kind)}不能设在${kindName(kind)}之下`,
      );
    }
  }
}

function kindName(kind: OrgKind): string {
  return ORG_KIND_NAMES[kind];
}

function sameNameError(parentName: string | null, name: string): AppError {
  return new AppError(
    'DUPLICATE',
    409,
    `${parentName ? `“${parentName}”下` : ''}已有名为“${name}”的机构`,
    '同一上级下的机构不能重名；若是重复提交，已有的那个就是刚才新增的',
  );
}
