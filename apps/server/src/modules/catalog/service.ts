import {
  BASIC_CODE_PROBLEMS,
  BODY_CATEGORIES,
  checkBasicCode,
  checkImplementationCode,
  IMPLEMENTATION_CODE_PROBLEMS,
  ITEM_STATUS_NAMES,
  type LegalFields,
  type Permission,
  VERSION_STATUS_NAMES,
} from '@govflow/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../database';
import type { AuditAction } from '../../platform/audit/actions';
import { inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import type { OrgService } from '../identity/org-service';
import type { UserService } from '../identity/user-service';
import { defaultControlSettings } from './default-controls';
import { diffContent } from './diff';
import { assertNotOwnWork, type BarredReviewer, barredReviewers, recordVersionEditor } from './four-eyes';
import {
  type ItemContent,
  insertVersion,
  loadContent,
  replaceControl,
  replaceLegal,
  replaceService,
} from './repository';
import type { CatalogItemRow, CatalogVersionRow, ItemStatus } from './tables';
import { assertConsistent, parseControl, parseLegal, parseService } from './validation';
import { ViewCounter } from './view-counter';

export type FieldGroup = 'legal' | 'service' | 'control';

/** Which permission edits which field group (REQUIREMENTS §1: field-level edit rights). */
export const GROUP_PERMISSION: Record<FieldGroup, Permission> = {
  legal: 'catalog:edit-legal',
  service: 'catalog:edit-service',
  control: 'catalog:edit-control',
};

export interface CreateItemInput {
  orgId: string;
  basicCode: string;
  handlingItem?: string;
  legal: unknown;
  service: unknown;
  control?: unknown;
  popularity?: number;
}

interface PlannedItem {
  item: CatalogItemRow;
  content: ItemContent;
  orgName: string;
}

export interface ItemSummary {
  id: string;
  /** Basic code + implementation code: 34 characters that name one item as implemented by one body. */
  catalogCode: string;
  implCode: string;
  basicCode: string;
  type: string;
  status: ItemStatus;
  orgId: string;
  name: string;
  currentVersionNo: number | null;
  latestVersionNo: number;
  latestVersionStatus: string;
  updatedAt: string;
}

export interface VersionView {
  id: string;
  versionNo: number;
  status: CatalogVersionRow['status'];
  reviewNote: string;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
  /** Who may not approve this version, and why (four eyes). */
  approvalBarred: BarredReviewer[];
  content: ItemContent;
}

/** One version in a reviewer's queue. */
export interface ReviewQueueEntry {
  versionId: string;
  versionNo: number;
  itemId: string;
  catalogCode: string;
  name: string;
  department: string;
  submittedAt: string | null;
  /** Why this reviewer may not approve it (four eyes), or null when they may. */
  barredReason: string | null;
}

const STATUS_ACTIONS = {
  suspend: { from: ['published'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'published' },
  cancel: { from: ['draft', 'published', 'suspended'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly ItemStatus[]; to: ItemStatus }>;

export type StatusAction = keyof typeof STATUS_ACTIONS;

/** Hooks other parts call when what the public sees changes (the search index). */
export interface CatalogListener {
  published(
    trx: Transaction<Database>,
    item: CatalogItemRow,
    version: CatalogVersionRow,
    content: ItemContent,
  ): Promise<void>;
  withdrawn(trx: Transaction<Database>, item: CatalogItemRow): Promise<void>;
}

export class CatalogService {
  private listeners: CatalogListener[] = [];

  private readonly views: ViewCounter;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly orgs: OrgService,
    /** Names the people who worked on a version (their ids are opaque here). */
    private readonly people: Pick<UserService, 'displayNames'>,
  ) {
    this.views = new ViewCounter(deps.db, deps.clock);
  }

  private get db() {
    return this.deps.db;
  }

  private now() {
    return this.deps.clock.now().toISOString();
  }

  onChange(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  // ---------------------------------------------------------------- reading

  async item(id: string): Promise<CatalogItemRow> {
    const item = await this.db
      .selectFrom('catalog_items')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!item) throw new AppError('NOT_FOUND', 404, '事项不存在');
    return item;
  }

  private assertItemScope(
    caller: Caller,
    permission: Permission,
    item: Pick<CatalogItemRow, 'org_path'>,
  ): void {
    const actor = caller.actor;
    if (actor && !inScope(actor, permission, item.org_path)) {
      throw new AppError('OUT_OF_SCOPE', 403, '无权处理其他部门的事项');
    }
  }

  async versionRow(versionId: string): Promise<CatalogVersionRow> {
    const v = await this.db
      .selectFrom('catalog_versions')
      .selectAll()
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!v) throw new AppError('NOT_FOUND', 404, '事项版本不存在');
    return v;
  }

  async versions(itemId: string): Promise<CatalogVersionRow[]> {
    return this.db
      .selectFrom('catalog_versions')
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('version_no')
      .execute();
  }

  /** The people who worked on each version (and so may not approve it), with their names. */
  private async namedBarredReviewers(versionIds: string[]) {
    const barred = await barredReviewers(this.db, versionIds);
    const names = await this.people.displayNames([...barred.values()].flat().map((b) => b.userId));
    return new Map(
      [...barred].map(([id, list]) => [
        id,
        list.map((b) => ({ ...b, displayName: names.get(b.userId) ?? '（账号已不存在）' })),
      ]),
    );
  }

  async versionView(v: CatalogVersionRow): Promise<VersionView> {
    return {
      id: v.id,
      versionNo: v.version_no,
      status: v.status,
      reviewNote: v.review_note,
      createdAt: v.created_at,
      updatedAt: v.updated_at,
      submittedAt: v.submitted_at,
      publishedAt: v.published_at,
      approvalBarred: (await this.namedBarredReviewers([v.id])).get(v.id) ?? [],
      content: await loadContent(this.db, v),
    };
  }

  async detail(caller: Caller, itemId: string) {
    const item = await this.item(itemId);
    this.assertItemScope(caller, 'catalog:read', item);
    const versions = await this.versions(itemId);
    const lineage = await this.db
      .selectFrom('catalog_lineage')
      .innerJoin('catalog_items', 'catalog_items.id', 'catalog_lineage.related_item_id')
      .select(['catalog_lineage.relation', 'catalog_lineage.related_item_id', 'catalog_items.impl_code'])
      .where('catalog_lineage.item_id', '=', itemId)
      .execute();
    const barred = await this.namedBarredReviewers(versions.map((v) => v.id));
    return {
      ...summarise(item, versions),
      versions: versions.map((v) => ({
        id: v.id,
        versionNo: v.version_no,
        status: v.status,
        name: v.name,
        updatedAt: v.updated_at,
        publishedAt: v.published_at,
        reviewNote: v.review_note,
        approvalBarred: barred.get(v.id) ?? [],
      })),
      lineage: lineage.map((l) => ({
        relation: l.relation,
        itemId: l.related_item_id,
        implCode: l.impl_code,
      })),
    };
  }

  async version(caller: Caller, itemId: string, versionNo: number): Promise<VersionView> {
    const item = await this.item(itemId);
    this.assertItemScope(caller, 'catalog:read', item);
    const v = await this.db
      .selectFrom('catalog_versions')
      .selectAll()
      .where('item_id', '=', itemId)
      .where('version_no', '=', versionNo)
      .executeTakeFirst();
    if (!v) throw new AppError('NOT_FOUND', 404, `版本 ${versionNo} 不存在`);
    return this.versionView(v);
  }

  /** Items in the caller's catalog:read scope, newest change first. */
  async list(
    caller: Caller,
    filter: { status?: ItemStatus; type?: string; name?: string; page: number; pageSize: number },
  ) {
    const roots = caller.actor?.scopes.get('catalog:read') ?? [];
    if (roots.length === 0) return { items: [], total: 0 };
    let q = this.db
      .selectFrom('catalog_items')
      .innerJoin('catalog_versions as latest', (join) =>
        join.onRef('latest.item_id', '=', 'catalog_items.id').on('latest.version_no', '=', (eb) =>
          eb
            .selectFrom('catalog_versions as v')
            .select((e) => e.fn.max('v.version_no').as('m'))
            .whereRef('v.item_id', '=', 'catalog_items.id'),
        ),
      )
      .where((eb) => eb.or(roots.map((root) => eb('catalog_items.org_path', 'like', `${root}%`))));
    if (filter.status) q = q.where('catalog_items.status', '=', filter.status);
    if (filter.type) q = q.where('catalog_items.item_type', '=', filter.type);
    if (filter.name) q = q.where('latest.name', 'like', `%${filter.name.replace(/[%_]/g, '')}%`);
    const [rows, count] = await Promise.all([
      q
        .select([
          'catalog_items.id',
          'catalog_items.impl_code',
          'catalog_items.basic_code',
          'catalog_items.item_type',
          'catalog_items.status',
          'catalog_items.org_id',
          'catalog_items.updated_at',
          'latest.name',
          'latest.implementing_body',
          'latest.version_no',
          'latest.status as version_status',
        ])
        .orderBy('catalog_items.updated_at', 'desc')
        .orderBy('catalog_items.id')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(count.n),
      items: rows.map((r) => ({
        id: r.id,
        implCode: r.impl_code,
        basicCode: r.basic_code,
        // The whole catalogue code tells items apart; the implementation code alone is the department's.
        catalogCode: r.basic_code + r.impl_code,
        implementingBody: r.implementing_body,
        type: r.item_type,
        status: r.status,
        orgId: r.org_id,
        name: r.name,
        latestVersionNo: r.version_no,
        latestVersionStatus: r.version_status,
        updatedAt: r.updated_at,
      })),
    };
  }

  /**
   * Versions waiting for review in the caller's review scope, oldest submission first: the
   * reviewer's queue. Each says whether this reviewer may approve it (four eyes).
   */
  async reviewQueue(caller: Caller, limit: number): Promise<{ total: number; items: ReviewQueueEntry[] }> {
    const actor = requireActor(caller);
    const roots = actor.scopes.get('catalog:review') ?? [];
    if (roots.length === 0) return { total: 0, items: [] };
    const q = this.db
      .selectFrom('catalog_versions as v')
      .innerJoin('catalog_items as i', 'i.id', 'v.item_id')
      .where('v.status', '=', 'in-review')
      .where((eb) => eb.or(roots.map((root) => eb('i.org_path', 'like', `${root}%`))));
    const [rows, count] = await Promise.all([
      q
        .select([
          'v.id',
          'v.version_no',
          'v.name',
          'v.implementing_body',
          'v.submitted_at',
          'i.id as item_id',
          'i.impl_code',
          'i.basic_code',
        ])
        .orderBy('v.submitted_at')
        .orderBy('v.id')
        .limit(limit)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const barred = await barredReviewers(
      this.db,
      rows.map((r) => r.id),
    );
    return {
      total: Number(count.n),
      items: rows.map((r) => {
        const mine = (barred.get(r.id) ?? []).find((b) => b.userId === actor.userId);
        return {
          versionId: r.id,
          versionNo: r.version_no,
          itemId: r.item_id,
          catalogCode: `${r.basic_code}${r.impl_code}`,
          name: r.name,
          department: r.implementing_body,
          submittedAt: r.submitted_at,
          barredReason: mine?.reason ?? null,
        };
      }),
    };
  }

  // ---------------------------------------------------------------- writing

  /** The 24-character implementation code: division of the org + its organisation code + body category + handling item. */
  private async implementationCode(orgId: string, legal: LegalFields, handlingItem: string) {
    const org = await this.orgs.getOrThrow(orgId);
    if (org.kind === 'region') throw new AppError('INVALID_ITEM', 422, '实施主体应为部门');
    if (org.code?.length !== 18) {
      throw new AppError('INVALID_ITEM_CODE', 422, `${org.name}没有统一社会信用代码，无法生成实施编码`);
    }
    const region = await this.orgs.regionOf(org);
    const division = (region.code ?? '').padEnd(12, '0');
    const category =
      Object.entries(BODY_CATEGORIES).find(([, zh]) => zh.startsWith(bodyNatureZh(legal.bodyNature)))?.[0] ??
      '1';
    const code = `${division}${org.code.slice(8, 17)}${category}${handlingItem}`;
    const check = checkImplementationCode(code);
    if (!check.ok)
      throw new AppError(
        'INVALID_ITEM_CODE',
        422,
        `实施编码 ${code} 无效：${IMPLEMENTATION_CODE_PROBLEMS[check.problem]}`,
      );
    return { code, org, region };
  }

  /** Validates an item and works out its codes, without writing anything. */
  private async plan(caller: Caller, input: CreateItemInput, permission: Permission): Promise<PlannedItem> {
    const legal = parseLegal(input.legal);
    const service = parseService(input.service);
    const control =
      input.control === undefined ? defaultControlSettings(legal, service) : parseControl(input.control);
    assertConsistent(legal, service, control);
    const basic = checkBasicCode(input.basicCode);
    if (!basic.ok) {
      throw new AppError(
        'INVALID_ITEM_CODE',
        422,
        `基本编码 ${input.basicCode} 无效：${BASIC_CODE_PROBLEMS[basic.problem]}`,
        '10 位：类型 2 位 + 主项 5 位 + 子项 3 位',
      );
    }
    if (basic.type !== legal.type) {
      throw new AppError(
        'INVALID_ITEM_CODE',
        422,
        `基本编码的类型 ${input.basicCode.slice(0, 2)} 与事项类型不符`,
      );
    }
    const handlingItem = input.handlingItem ?? '00';
    if (!/^\d{2}$/.test(handlingItem)) throw new AppError('INVALID_ITEM_CODE', 422, '办理项编码为 2 位数字');
    const { code, org, region } = await this.implementationCode(input.orgId, legal, handlingItem);
    this.assertItemScope(caller, permission, { org_path: org.path });
    const now = this.now();
    const item: CatalogItemRow = {
      id: uuidv7(),
      impl_code: code,
      basic_code: input.basicCode,
      item_type: legal.type,
      org_id: org.id,
      org_path: org.path,
      region_code: region.code ?? '',
      status: 'draft',
      current_version_id: null,
      popularity: input.popularity ?? 0,
      created_at: now,
      updated_at: now,
    };
    return { item, content: { legal, service, control }, orgName: org.name };
  }

  /** Writes a planned item, its first draft and the audit entry, inside the caller's transaction. */
  private async insertPlanned(trx: Transaction<Database>, caller: Caller, plan: PlannedItem): Promise<void> {
    const { item, content } = plan;
    const taken = await trx
      .selectFrom('catalog_items')
      .select('id')
      .where('basic_code', '=', item.basic_code)
      .where('impl_code', '=', item.impl_code)
      .executeTakeFirst();
    if (taken) {
      throw new AppError(
        'DUPLICATE',
        409,
        `事项 ${item.basic_code} 在 ${plan.orgName} 已有实施清单 ${item.impl_code}`,
        '同一事项的不同办理项请使用不同的办理项编码',
      );
    }
    await trx.insertInto('catalog_items').values(item).execute();
    const versionId = await insertVersion(trx, {
      itemId: item.id,
      versionNo: 1,
      status: 'draft',
      content,
      createdBy: caller.actor?.userId ?? null,
      now: item.created_at,
    });
    await recordVersionEditor(trx, versionId, caller.actor?.userId, 'create', item.created_at);
    await this.deps.audit.append(trx, {
      ...auditStamp(caller),
      action: 'catalog.item-create',
      target: { type: 'catalog-item', id: item.id },
      detail: {
        implCode: item.impl_code,
        basicCode: item.basic_code,
        name: content.legal.name,
        type: content.legal.type,
      },
    });
  }

  async create(caller: Caller, input: CreateItemInput): Promise<CatalogItemRow> {
    const plan = await this.plan(caller, input, 'catalog:edit-service');
    await this.db.transaction().execute((trx) => this.insertPlanned(trx, caller, plan));
    return plan.item;
  }

  /** Replaces one field group of a draft. Published versions never change: a change needs a new draft. */
  async updateGroup(
    caller: Caller,
    versionId: string,
    group: FieldGroup,
    data: unknown,
  ): Promise<VersionView> {
    const version = await this.versionRow(versionId);
    const item = await this.item(version.item_id);
    this.assertItemScope(caller, GROUP_PERMISSION[group], item);
    const current = await loadContent(this.db, version);
    const next: ItemContent = { ...current };
    if (group === 'legal') next.legal = parseLegal(data);
    if (group === 'service') next.service = parseService(data);
    if (group === 'control') next.control = parseControl(data);
    assertConsistent(next.legal, next.service, next.control);
    if (group === 'legal' && next.legal.type !== item.item_type) {
      throw new AppError('INVALID_ITEM', 422, '事项类型由基本编码确定，不能修改');
    }
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await this.claimDraft(trx, version, now);
      if (group === 'legal') await replaceLegal(trx, versionId, next.legal, now);
      if (group === 'service') await replaceService(trx, versionId, next.service, now);
      if (group === 'control') await replaceControl(trx, versionId, next.control, now);
      await recordVersionEditor(trx, versionId, caller.actor?.userId, `edit-${group}`, now);
      await this.touch(trx, item.id, now);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: `catalog.version-edit-${group}`,
        target: { type: 'catalog-version', id: versionId },
        detail: {
          itemId: item.id,
          versionNo: version.version_no,
          changes: diffContent(current, next).slice(0, 50),
        },
      });
    });
    return this.versionView(await this.versionRow(versionId));
  }

  /** Fails with 409 unless the version is still a draft as the transaction sees it (guards two editors). */
  private async claimDraft(trx: Transaction<Database>, version: CatalogVersionRow, now: string) {
    const r = await trx
      .updateTable('catalog_versions')
      .set({ updated_at: now })
      .where('id', '=', version.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw notEditable(version.version_no);
  }

  private async touch(trx: Transaction<Database>, itemId: string, now: string) {
    await trx.updateTable('catalog_items').set({ updated_at: now }).where('id', '=', itemId).execute();
  }

  /** Starts the next version as a copy of the newest one; only one open draft at a time. */
  async newDraft(caller: Caller, itemId: string): Promise<VersionView> {
    const item = await this.item(itemId);
    this.assertItemScope(caller, 'catalog:edit-service', item);
    if (item.status === 'cancelled') throw new AppError('INVALID_TRANSITION', 409, '事项已取消');
    const versions = await this.versions(itemId);
    const latest = versions.at(-1) as CatalogVersionRow;
    if (latest.status === 'draft' || latest.status === 'in-review') {
      throw new AppError('CONFLICT', 409, `已有未发布的版本 ${latest.version_no}`);
    }
    const content = await loadContent(this.db, latest);
    const now = this.now();
    const id = await this.db.transaction().execute(async (trx) => {
      const vid = await insertVersion(trx, {
        itemId,
        versionNo: latest.version_no + 1,
        status: 'draft',
        content,
        createdBy: caller.actor?.userId ?? null,
        now,
      });
      await recordVersionEditor(trx, vid, caller.actor?.userId, 'create', now);
      await this.touch(trx, itemId, now);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'catalog.draft-create',
        target: { type: 'catalog-item', id: itemId },
        detail: { versionNo: latest.version_no + 1, from: latest.version_no },
      });
      return vid;
    });
    return this.versionView(await this.versionRow(id));
  }

  async submit(caller: Caller, versionId: string): Promise<VersionView> {
    return this.moveVersion(
      caller,
      versionId,
      'catalog:edit-service',
      'draft',
      'in-review',
      'catalog.version-submit',
    );
  }

  async reject(caller: Caller, versionId: string, note: string): Promise<VersionView> {
    return this.moveVersion(
      caller,
      versionId,
      'catalog:review',
      'in-review',
      'draft',
      'catalog.version-reject',
      note,
    );
  }

  private async moveVersion(
    caller: Caller,
    versionId: string,
    permission: Permission,
    from: CatalogVersionRow['status'],
    to: CatalogVersionRow['status'],
    action: AuditAction,
    note = '',
  ): Promise<VersionView> {
    const version = await this.versionRow(versionId);
    const item = await this.item(version.item_id);
    this.assertItemScope(caller, permission, item);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('catalog_versions')
        .set({
          status: to,
          updated_at: now,
          review_note: note,
          ...(to === 'in-review' ? { submitted_at: now } : {}),
        })
        .where('id', '=', versionId)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new AppError(
          'INVALID_TRANSITION',
          409,
          `版本状态为“${VERSION_STATUS_NAMES[version.status]}”，只能在“${VERSION_STATUS_NAMES[from]}”时执行此操作`,
        );
      }
      if (to === 'in-review') await recordVersionEditor(trx, versionId, caller.actor?.userId, 'submit', now);
      await this.touch(trx, item.id, now);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action,
        target: { type: 'catalog-version', id: versionId },
        detail: { itemId: item.id, versionNo: version.version_no, note },
      });
    });
    return this.versionView(await this.versionRow(versionId));
  }

  /**
   * A reviewer approves a version in review, which publishes it. Four eyes: nobody who created,
   * edited or submitted the version may approve it.
   */
  async approve(caller: Caller, versionId: string): Promise<VersionView> {
    const reviewer = requireActor(caller);
    return this.publish(caller, versionId, 'in-review', { action: 'catalog.version-publish' }, (trx) =>
      assertNotOwnWork(trx, versionId, reviewer.userId),
    );
  }

  /**
   * A bulk load by the system actor (`import-items --publish`, the demo seed) publishes its drafts
   * directly: an administrative act, recorded as the system's with who ran it, never as a review.
   */
  async publishBySystem(caller: Caller, versionId: string): Promise<VersionView> {
    if (caller.actor || !caller.systemName) throw new Error('only the system actor publishes without review');
    const { systemName, operator } = caller;
    return this.publish(caller, versionId, 'draft', {
      action: 'catalog.version-publish-administrative',
      detail: {
        actorKind: 'system',
        system: systemName,
        operator: operator?.osUser ?? null,
        command: operator?.command ?? null,
      },
    });
  }

  /** Makes the version what the public sees; the one before is superseded. */
  private async publish(
    caller: Caller,
    versionId: string,
    from: CatalogVersionRow['status'],
    audit: { action: AuditAction; detail?: Record<string, unknown> },
    /** Runs in the transaction before anything is written; throws to refuse. */
    check?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<VersionView> {
    const version = await this.versionRow(versionId);
    const item = await this.item(version.item_id);
    this.assertItemScope(caller, 'catalog:review', item);
    if (item.status === 'cancelled') throw new AppError('INVALID_TRANSITION', 409, '事项已取消');
    const content = await loadContent(this.db, version);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await check?.(trx);
      const r = await trx
        .updateTable('catalog_versions')
        .set({
          status: 'published',
          published_at: now,
          published_by: caller.actor?.userId ?? null,
          updated_at: now,
        })
        .where('id', '=', versionId)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new AppError(
          'INVALID_TRANSITION',
          409,
          from === 'in-review'
            ? `版本状态为“${VERSION_STATUS_NAMES[version.status]}”，只有审核中的版本可以发布`
            : `版本状态为“${VERSION_STATUS_NAMES[version.status]}”，只有草稿可以直接发布`,
        );
      }
      if (item.current_version_id) {
        await trx
          .updateTable('catalog_versions')
          .set({ status: 'superseded', updated_at: now })
          .where('id', '=', item.current_version_id)
          .execute();
      }
      const status: ItemStatus = item.status === 'draft' ? 'published' : item.status;
      await trx
        .updateTable('catalog_items')
        .set({ current_version_id: versionId, status, updated_at: now })
        .where('id', '=', item.id)
        .execute();
      const published = { ...item, current_version_id: versionId, status };
      if (status === 'published')
        for (const l of this.listeners)
          await l.published(trx, published, { ...version, status: 'published' }, content);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: audit.action,
        target: { type: 'catalog-version', id: versionId },
        detail: {
          itemId: item.id,
          versionNo: version.version_no,
          implCode: item.impl_code,
          ...audit.detail,
        },
      });
    });
    return this.versionView(await this.versionRow(versionId));
  }

  /** Suspend, resume or cancel an item; what the public sees follows. */
  async changeStatus(
    caller: Caller,
    itemId: string,
    action: StatusAction,
    reason: string,
  ): Promise<CatalogItemRow> {
    const item = await this.item(itemId);
    this.assertItemScope(caller, 'catalog:review', item);
    const rule = STATUS_ACTIONS[action];
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('catalog_items')
        .set({ status: rule.to, updated_at: now })
        .where('id', '=', itemId)
        .where('status', 'in', [...rule.from])
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new AppError(
          'INVALID_TRANSITION',
          409,
          `事项状态为“${ITEM_STATUS_NAMES[item.status]}”，不能${actionZh(action)}`,
        );
      }
      const updated = { ...item, status: rule.to, updated_at: now };
      if (rule.to === 'published' && item.current_version_id) {
        // Inside the transaction only `trx` may be used: SQLite has one connection, held by it.
        const v = await trx
          .selectFrom('catalog_versions')
          .selectAll()
          .where('id', '=', item.current_version_id)
          .executeTakeFirstOrThrow();
        const content = await loadContent(trx, v);
        for (const l of this.listeners) await l.published(trx, updated, v, content);
      } else {
        for (const l of this.listeners) await l.withdrawn(trx, updated);
      }
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: `catalog.item-${action}`,
        target: { type: 'catalog-item', id: itemId },
        detail: { from: item.status, to: rule.to, reason },
      });
      return updated;
    });
  }

  async diff(caller: Caller, itemId: string, fromNo: number, toNo: number) {
    const [a, b] = await Promise.all([
      this.version(caller, itemId, fromNo),
      this.version(caller, itemId, toNo),
    ]);
    return { from: fromNo, to: toNo, changes: diffContent(a.content, b.content) };
  }

  /**
   * Splits an item into new draft items (one per part, each with its own handling-item code),
   * recording where each came from. The original stays until it is cancelled.
   */
  async split(
    caller: Caller,
    itemId: string,
    parts: { name: string; handlingItem: string }[],
  ): Promise<CatalogItemRow[]> {
    const item = await this.item(itemId);
    this.assertItemScope(caller, 'catalog:review', item);
    const source = await this.versionRow(
      item.current_version_id ?? (await this.versions(itemId)).at(-1)?.id ?? '',
    );
    const content = await loadContent(this.db, source);
    const plans: PlannedItem[] = [];
    for (const part of parts) {
      plans.push(
        await this.plan(
          caller,
          {
            orgId: item.org_id,
            basicCode: item.basic_code,
            handlingItem: part.handlingItem,
            legal: { ...content.legal, name: part.name },
            service: content.service,
            control: content.control,
          },
          'catalog:review',
        ),
      );
    }
    // All parts or none.
    await this.db.transaction().execute(async (trx) => {
      for (const plan of plans) {
        await this.insertPlanned(trx, caller, plan);
        await this.link(trx, caller, plan.item.id, item.id, 'split-from');
      }
    });
    return plans.map((p) => p.item);
  }

  async merge(caller: Caller, itemIds: string[], into: CreateItemInput): Promise<CatalogItemRow> {
    for (const id of itemIds) this.assertItemScope(caller, 'catalog:review', await this.item(id));
    const plan = await this.plan(caller, into, 'catalog:review');
    await this.db.transaction().execute(async (trx) => {
      await this.insertPlanned(trx, caller, plan);
      for (const id of itemIds) await this.link(trx, caller, plan.item.id, id, 'merged-from');
    });
    return plan.item;
  }

  private async link(
    trx: Transaction<Database>,
    caller: Caller,
    itemId: string,
    relatedId: string,
    relation: 'split-from' | 'merged-from',
  ) {
    await trx
      .insertInto('catalog_lineage')
      .values({ id: uuidv7(), item_id: itemId, related_item_id: relatedId, relation, created_at: this.now() })
      .execute();
    await this.deps.audit.append(trx, {
      ...auditStamp(caller),
      action: `catalog.${relation === 'split-from' ? 'split' : 'merge'}`,
      target: { type: 'catalog-item', id: itemId },
      detail: { relation, relatedItemId: relatedId },
    });
  }

  /** The published content of an item by id or implementation code, for the public guide. */
  async published(
    idOrCode: string,
  ): Promise<{ item: CatalogItemRow; version: CatalogVersionRow; content: ItemContent }> {
    // By id, or by the catalogue code: basic code (10) + implementation code (24).
    const byCode = /^\d{10}[0-9A-Z]{24}$/.test(idOrCode);
    const item = await this.db
      .selectFrom('catalog_items')
      .selectAll()
      .$if(byCode, (q) =>
        q.where('basic_code', '=', idOrCode.slice(0, 10)).where('impl_code', '=', idOrCode.slice(10)),
      )
      .$if(!byCode, (q) => q.where('id', '=', idOrCode))
      .executeTakeFirst();
    if (item?.status !== 'published' || !item.current_version_id) {
      throw new AppError('NOT_FOUND', 404, '事项不存在或未公开');
    }
    const version = await this.versionRow(item.current_version_id);
    return { item, version, content: await loadContent(this.db, version) };
  }

  /** Counts a guide view for "hot items": once per visitor and window, written by `flushViews`. */
  countView(itemId: string, visitor: string): boolean {
    return this.views.count(itemId, visitor);
  }

  /** Adds the counted views to the items' popularity (on a timer and at shutdown). */
  flushViews(): Promise<number> {
    return this.views.flush();
  }
}

function summarise(item: CatalogItemRow, versions: CatalogVersionRow[]): ItemSummary {
  const latest = versions.at(-1) as CatalogVersionRow;
  const current = versions.find((v) => v.id === item.current_version_id);
  return {
    id: item.id,
    catalogCode: item.basic_code + item.impl_code,
    implCode: item.impl_code,
    basicCode: item.basic_code,
    type: item.item_type,
    status: item.status,
    orgId: item.org_id,
    name: (current ?? latest).name,
    currentVersionNo: current?.version_no ?? null,
    latestVersionNo: latest.version_no,
    latestVersionStatus: latest.status,
    updatedAt: item.updated_at,
  };
}

function notEditable(versionNo: number): AppError {
  return new AppError(
    'VERSION_NOT_EDITABLE',
    409,
    `版本 ${versionNo} 已提交或发布，不能修改`,
    '在事项页面新建一个版本后修改',
  );
}

function actionZh(action: StatusAction): string {
  return { suspend: '暂停', resume: '恢复', cancel: '取消' }[action];
}

function bodyNatureZh(nature: string): string {
  return { statutory: '法定', authorised: '授权', entrusted: '受委托' }[nature] ?? '法定';
}
