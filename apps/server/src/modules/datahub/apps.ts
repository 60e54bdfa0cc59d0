import { createHmac, randomBytes } from 'node:crypto';
import type { Permission } from '@govflow/shared';
import { sql } from 'kysely';
import type { Config } from '../../config';
import { localKey } from '../../platform/crypto/local-key';
import { type Actor, inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import type { OrgService } from '../identity/org-service';
import { SIGNATURE_HEADERS, type SignedRequest, signatureMatches } from './signing';
import type { CallOutcome, DhAppRow } from './tables';

/** A refused call, with what the call log records about it. */
export class RefusedCall extends AppError {
  constructor(
    readonly outcome: CallOutcome,
    code: ConstructorParameters<typeof AppError>[0],
    status: number,
    message: string,
  ) {
    super(code, status, message);
  }
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** The key the applications' secrets are derived from: DATAHUB_SIGNING_KEY, or one kept in DATA_DIR. */
export function datahubSigningKey(config: Pick<Config, 'DATAHUB_SIGNING_KEY' | 'DATA_DIR'>): string {
  return localKey(config.DATA_DIR, 'datahub-signing.key', config.DATAHUB_SIGNING_KEY, 'DATAHUB_SIGNING_KEY');
}

/**
 * Registered applications (接入应用) of the data hub. Each belongs to a unit and reads with that
 * unit's approved access. It signs every call with HMAC-SM3 under a secret that is derived from
 * its app key and the hub's signing key, so the database never holds a usable secret; rotating
 * the secret bumps its version. Timestamps outside the allowed skew and reused nonces are refused,
 * and each application has its own per-minute rate limit.
 */
export class AppRegistry {
  private lastPurge = 0;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly orgs: OrgService,
    private readonly signingKey: string,
  ) {}

  private now() {
    return this.deps.clock.now();
  }

  secretOf(app: Pick<DhAppRow, 'app_key' | 'secret_version'>): string {
    return createHmac('sm3', this.signingKey).update(`${app.app_key}.${app.secret_version}`).digest('hex');
  }

  private assertScope(actor: Actor, orgPath: string) {
    if (!inScope(actor, 'datahub:manage' satisfies Permission, orgPath)) {
      throw new AppError('OUT_OF_SCOPE', 403, '超出本单位的数据范围');
    }
  }

  async register(
    caller: Caller,
    input: { name: string; orgId: string; rateLimitPerMinute: number },
  ): Promise<{ app: DhAppRow & { org_name: string }; secret: string }> {
    const actor = requireActor(caller);
    const org = await this.orgs.getOrThrow(input.orgId);
    this.assertScope(actor, org.path);
    const app: DhAppRow = {
      id: uuidv7(),
      name: input.name,
      org_id: org.id,
      org_path: org.path,
      app_key: `gf_${randomBytes(12).toString('hex')}`,
      secret_version: 1,
      rate_limit_per_minute: input.rateLimitPerMinute,
      status: 'active',
      created_at: this.now().toISOString(),
      created_by: actor.userId,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('dh_apps').values(app).execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'datahub.app-register',
        target: { type: 'data-app', id: app.id },
        detail: { name: app.name, org: org.name, appKey: app.app_key, rateLimit: app.rate_limit_per_minute },
      });
    });
    return { app: { ...app, org_name: org.name }, secret: this.secretOf(app) };
  }

  async get(id: string): Promise<DhAppRow & { org_name: string }> {
    const app = await this.deps.db
      .selectFrom('dh_apps')
      .innerJoin('orgs', 'orgs.id', 'dh_apps.org_id')
      .selectAll('dh_apps')
      .select('orgs.name as org_name')
      .where('dh_apps.id', '=', id)
      .executeTakeFirst();
    if (!app) throw new AppError('NOT_FOUND', 404, '应用不存在');
    return app;
  }

  /** The applications of the units in the caller's scope. */
  async list(caller: Caller) {
    const roots = requireActor(caller).scopes.get('datahub:manage') ?? [];
    if (roots.length === 0) return [];
    return this.deps.db
      .selectFrom('dh_apps')
      .innerJoin('orgs', 'orgs.id', 'dh_apps.org_id')
      .selectAll('dh_apps')
      .select('orgs.name as org_name')
      .where((eb) => eb.or(roots.map((r) => eb('dh_apps.org_path', 'like', `${r}%`))))
      .orderBy('dh_apps.created_at', 'desc')
      .execute();
  }

  /** Disables an application (its calls are refused from now on), or issues it a new secret. */
  async change(caller: Caller, id: string, change: 'disable' | 'rotate-secret') {
    const actor = requireActor(caller);
    const app = await this.get(id);
    this.assertScope(actor, app.org_path);
    const next =
      change === 'disable'
        ? { ...app, status: 'disabled' as const }
        : { ...app, secret_version: app.secret_version + 1 };
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('dh_apps')
        .set({ status: next.status, secret_version: next.secret_version })
        .where('id', '=', id)
        .where('secret_version', '=', app.secret_version)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw new AppError('INVALID_TRANSITION', 409, '应用已停用或已被他人修改');
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: change === 'disable' ? 'datahub.app-disable' : 'datahub.app-rotate-secret',
        target: { type: 'data-app', id },
        detail: { name: app.name, appKey: app.app_key, secretVersion: next.secret_version },
      });
    });
    return next;
  }

  /**
   * Identifies and checks a signed call: known, active app; timestamp within the allowed skew;
   * signature over method, path, timestamp, nonce and body hash; nonce never seen; under the rate
   * limit. Throws a RefusedCall (with the app when it was identified) otherwise.
   */
  async authenticate(
    headers: Record<string, string | string[] | undefined>,
    request: Omit<SignedRequest, 'timestamp' | 'nonce'>,
  ): Promise<{ app: DhAppRow } | { app: DhAppRow | null; refused: RefusedCall }> {
    const h = (name: string) => {
      const v = headers[name];
      return typeof v === 'string' ? v : '';
    };
    const appKey = h(SIGNATURE_HEADERS.appKey);
    const timestamp = h(SIGNATURE_HEADERS.timestamp);
    const nonce = h(SIGNATURE_HEADERS.nonce);
    const signature = h(SIGNATURE_HEADERS.signature);
    const bad = (message: string) =>
      new RefusedCall('bad-signature', 'BAD_SIGNATURE', 401, `签名无效：${message}`);
    if (!appKey || !timestamp || !nonce || !signature)
      return {
        app: null,
        refused: bad('缺少签名请求头'),
      };
    const app =
      appKey.length <= 64
        ? await this.deps.db
            .selectFrom('dh_apps')
            .selectAll()
            .where('app_key', '=', appKey)
            .executeTakeFirst()
        : undefined;
    if (!app) return { app: null, refused: bad('未注册的应用') };
    if (app.status !== 'active')
      return {
        app,
        refused: new RefusedCall('bad-signature', 'APP_DISABLED', 401, '应用已停用'),
      };
    if (!NONCE.test(nonce)) return { app, refused: bad('随机数应为 16–64 位字母数字') };
    if (!signatureMatches(this.secretOf(app), { ...request, timestamp, nonce }, signature))
      return { app, refused: bad('签名不符') };
    const skew = this.deps.config.DATAHUB_SIGNATURE_MAX_SKEW_SECONDS;
    const nowMs = this.now().getTime();
    if (!/^\d{9,11}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > skew)
      return {
        app,
        refused: new RefusedCall('replayed', 'STALE_TIMESTAMP', 401, `时间戳超出允许范围 ±${skew} 秒`),
      };
    if (!(await this.useNonce(app.id, nonce, nowMs)))
      return {
        app,
        refused: new RefusedCall('replayed', 'REPLAYED_NONCE', 401, '随机数已使用，疑似重放'),
      };
    if (!(await this.underRateLimit(app, nowMs)))
      return {
        app,
        refused: new RefusedCall(
          'rate-limited',
          'RATE_LIMITED',
          429,
          `超出调用频率限制：每分钟 ${app.rate_limit_per_minute} 次`,
        ),
      };
    return { app };
  }

  /**
   * Once a minute, drops what can no longer matter: nonces older than twice the allowed skew (the
   * timestamp check refuses such calls anyway) and rate windows before the last minute.
   */
  private async purgeExpired(nowMs: number): Promise<void> {
    if (nowMs - this.lastPurge <= 60_000) return;
    this.lastPurge = nowMs;
    const keepMs = 2 * this.deps.config.DATAHUB_SIGNATURE_MAX_SKEW_SECONDS * 1000;
    await this.deps.db
      .deleteFrom('dh_app_nonces')
      .where('at', '<', new Date(nowMs - keepMs).toISOString())
      .execute();
    await this.deps.db
      .deleteFrom('dh_app_rate_windows')
      .where('minute', '<', Math.floor(nowMs / 60_000) - 1)
      .execute();
  }

  /** Records the nonce; false when this app used it before. */
  private async useNonce(appId: string, nonce: string, nowMs: number): Promise<boolean> {
    await this.purgeExpired(nowMs);
    const r = await this.deps.db
      .insertInto('dh_app_nonces')
      .values({ app_id: appId, nonce, at: new Date(nowMs).toISOString() })
      .onConflict((oc) => oc.columns(['app_id', 'nonce']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /**
   * A sliding one-minute window per application, counted in the database so that every instance
   * shares it: this minute's calls plus the last minute's, weighted by how much of it the window
   * still covers. Only admitted calls stay counted.
   */
  private async underRateLimit(app: DhAppRow, nowMs: number): Promise<boolean> {
    const minute = Math.floor(nowMs / 60_000);
    const current = await this.deps.db
      .insertInto('dh_app_rate_windows')
      .values({ app_id: app.id, minute, calls: 1 })
      .onConflict((oc) =>
        oc.columns(['app_id', 'minute']).doUpdateSet({ calls: sql`dh_app_rate_windows.calls + 1` }),
      )
      .returning('calls')
      .executeTakeFirstOrThrow();
    const previous = await this.deps.db
      .selectFrom('dh_app_rate_windows')
      .select('calls')
      .where('app_id', '=', app.id)
      .where('minute', '=', minute - 1)
      .executeTakeFirst();
    const stillCovered = 1 - (nowMs % 60_000) / 60_000;
    if ((previous?.calls ?? 0) * stillCovered + current.calls <= app.rate_limit_per_minute) return true;
    // Refused: take the call back out, so the window counts what was let through and a client a
    // little over its limit is slowed to it rather than shut out.
    await this.deps.db
      .updateTable('dh_app_rate_windows')
      .set({ calls: sql`calls - 1` })
      .where('app_id', '=', app.id)
      .where('minute', '=', minute)
      .execute();
    return false;
  }
}
