import { beijingTimeInWords, maskPiiInText } from '@govflow/shared';
import type { AuditAction } from '../../platform/audit/actions';
import { randomToken, sm3 } from '../../platform/crypto/hash';
import type { Actor } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { buildActor, loadPosts } from './actor-loader';
import { claimSuccess, countFailure, refusedUntil, sourceOf } from './login-throttle';
import { assertPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import type { SessionRow, UserRow } from './tables';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp';

/** No username is longer (see createUserBody). */
const USERNAME_MAX = 32;

/**
 * What the audit trail records of a username that matches no account: often an ID number, a phone
 * number or a password typed into the wrong field. ID and phone numbers are masked, so is any other
 * run of 8 or more digits (an ID number glued to other text) past its first three, and the text is
 * cut to the longest possible username.
 */
export function typedUsernameForAudit(typed: string): string {
  const masked = maskPiiInText(typed).replace(
    /\d{8,}[\dXx]*/g,
    (run) => `${run.slice(0, 3)}${'*'.repeat(run.length - 3)}`,
  );
  return masked.length > USERNAME_MAX ? `${masked.slice(0, USERNAME_MAX)}…` : masked;
}

/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 30_000;

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 401, '用户名或密码错误');

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export class AuthService {
  constructor(private readonly deps: ServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  private userRow(id: string): Promise<UserRow> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /**
   * Checks password (and TOTP once enrolled); counts failures per account and source address and
   * locks that address out after too many; audits every attempt. An unknown username goes through
   * the same counting, locking and answers as a known one.
   */
  async login(
    caller: Caller,
    input: LoginInput,
  ): Promise<{ token: string; user: UserRow; sessionId: string }> {
    const { audit } = this.deps;
    const now = this.now();
    const username = input.username.trim();
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    const attempt = (u: UserRow | null, outcome: 'success' | 'failure', reason: string) => ({
      ...auditStamp(caller),
      actor: { id: u?.id ?? null, name: u?.username ?? typedUsernameForAudit(username) },
      action: 'auth.login' as const,
      target: u ? { type: 'user', id: u.id } : null,
      outcome,
      detail: { reason },
    });

    const source = sourceOf(caller.ip);
    const lockedUntil = await refusedUntil(this.db, username, source, now);
    if (lockedUntil) {
      await verifyAgainstDummy(input.password);
      await audit.appendAlone(attempt(user ?? null, 'failure', 'locked'));
      throw lockedError(lockedUntil);
    }
    if (!user) {
      await verifyAgainstDummy(input.password);
      throw await this.recordFailure(caller, { id: null, username }, 'unknown-user');
    }
    if (!(await verifyPassword(user.password_hash, input.password))) {
      throw await this.recordFailure(caller, user, 'wrong-password');
    }
    // Only after the password: a stranger must not learn which accounts exist and are disabled.
    if (user.status !== 'active') {
      await audit.appendAlone(attempt(user, 'failure', 'disabled'));
      throw new AppError('ACCOUNT_DISABLED', 403, '账号已停用', '请联系系统管理员');
    }
    let totpStep: number | null = null;
    if (user.totp_secret) {
      if (!input.totp) {
        await audit.appendAlone(attempt(user, 'failure', 'totp-required'));
        throw new AppError('TOTP_REQUIRED', 401, '请输入动态验证码', '打开身份验证器应用查看 6 位数字');
      }
      totpStep = matchTotp(
        this.deps.secrets.open(user.totp_secret, seedContext('totp_secret', user.id)),
        input.totp,
        now,
      );
      if (totpStep === null || totpStep <= (user.totp_last_step ?? -1)) {
        throw await this.recordFailure(caller, user, 'wrong-totp');
      }
    }

    const token = randomToken();
    const sessionId = uuidv7();
    const won = await this.db.transaction().execute(async (trx) => {
      // Conditional on the rows as they are now: the same TOTP step used, or a lock set, by a
      // parallel request since the checks above makes the claim change nothing, and the login fails.
      if (totpStep !== null) {
        const step = totpStep;
        const claim = await trx
          .updateTable('users')
          .set({ totp_last_step: step })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) return false;
      }
      if (!(await claimSuccess(trx, user.username, source, now))) return false;
      await trx
        .insertInto('sessions')
        .values(this.newSession(caller, user.id, sessionId, token, now))
        .execute();
      await audit.append(trx, attempt(user, 'success', totpStep !== null ? 'password+totp' : 'password'));
      return true;
    });
    if (!won) {
      const lockedMeanwhile = await refusedUntil(this.db, user.username, source, now);
      if (lockedMeanwhile) {
        await audit.appendAlone(attempt(user, 'failure', 'locked'));
        throw lockedError(lockedMeanwhile);
      }
      throw await this.recordFailure(caller, user, 'wrong-totp');
    }
    return { token, user, sessionId };
  }

  private newSession(caller: Caller, userId: string, id: string, token: string, now: Date): SessionRow {
    const at = now.toISOString();
    return {
      id,
      token_hash: sm3(token),
      user_id: userId,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + this.deps.config.SESSION_MAX_HOURS * 3_600_000).toISOString(),
      revoked_at: null,
      revoked_reason: null,
      ip: caller.ip,
      user_agent: caller.userAgent,
    };
  }

  /**
   * Counts a failed attempt atomically for the account and the caller's address; the attempt that
   * reaches a limit locks (see login-throttle.ts). `account.id` is null for an unknown username.
   */
  private async recordFailure(
    caller: Caller,
    account: { id: string | null; username: string },
    reason: 'unknown-user' | 'wrong-password' | 'wrong-totp' | 'wrong-current-password',
    action: AuditAction = 'auth.login',
  ): Promise<AppError> {
    const { audit, config } = this.deps;
    const now = this.now();
    const source = sourceOf(caller.ip);
    const locked = await this.db.transaction().execute(async (trx) => {
      const counted = await countFailure(trx, config, account.username, source, now);
      const stamp = {
        ...auditStamp(caller),
        actor: {
          id: account.id,
          name: account.id ? account.username : typedUsernameForAudit(account.username),
        },
        target: account.id ? { type: 'user', id: account.id } : null,
      };
      await audit.append(trx, {
        ...stamp,
        action,
        outcome: 'failure',
        detail: { reason, failuresFromAddress: counted.failures },
      });
      let revoked = 0;
      if (counted.addressLockedUntil && account.id && action !== 'auth.login') {
        // Someone guessing from inside a stolen session loses the session too. A stranger's wrong
        // logins end no session: that would let anyone log the owner out.
        revoked = await this.revokeWhere(trx, { userId: account.id }, 'account-locked');
      }
      if (counted.addressLockedUntil) {
        await audit.append(trx, {
          ...stamp,
          action: 'auth.account-locked',
          detail: {
            scope: 'address',
            source,
            failures: counted.failures,
            lockedUntil: counted.addressLockedUntil,
            sessionsRevoked: revoked,
          },
        });
      }
      if (counted.guardUntil) {
        // Shown to the security administrator as the account's lock (`lockedUntil`).
        if (account.id) {
          await trx
            .updateTable('users')
            .set({ locked_until: counted.guardUntil })
            .where('id', '=', account.id)
            .execute();
        }
        await audit.append(trx, {
          ...stamp,
          action: 'auth.account-locked',
          detail: {
            scope: 'account',
            source,
            failures: config.LOGIN_ACCOUNT_MAX_FAILURES,
            lockedUntil: counted.guardUntil,
          },
        });
      }
      return counted.refusedUntil;
    });
    if (locked) return lockedError(locked);
    if (reason === 'wrong-totp') {
      return new AppError('INVALID_TOTP', 401, '动态验证码错误或已使用');
    }
    if (reason === 'wrong-current-password') {
      return new AppError('WRONG_PASSWORD', 422, '当前密码不正确');
    }
    return invalidCredentials();
  }

  /** Resolves a session token to an actor, enforcing revocation, idle timeout and absolute expiry. */
  async authenticate(
    token: string,
  ): Promise<{ actor: Actor } | { problem: 'UNAUTHENTICATED' | 'SESSION_EXPIRED' }> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id as session_id',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'sessions.revoked_at',
      ])
      .where('sessions.token_hash', '=', sm3(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.status !== 'active') return { problem: 'UNAUTHENTICATED' };
    const now = this.now();
    const lastSeen = new Date(row.last_seen_at).getTime();
    const idleLimit = lastSeen + this.deps.config.SESSION_IDLE_MINUTES * 60_000;
    if (now.getTime() > idleLimit || now > new Date(row.expires_at)) return { problem: 'SESSION_EXPIRED' };
    if (now.getTime() - lastSeen > TOUCH_INTERVAL_MS) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id', '=', row.session_id)
        .execute();
    }
    const { session_id, last_seen_at: _l, expires_at: _e, revoked_at: _r, ...user } = row;
    return { actor: buildActor(user, await loadPosts(this.db, user.id), session_id) };
  }

  async logout(caller: Caller): Promise<void> {
    const actor = requireActor(caller);
    await this.db.transaction().execute(async (trx) => {
      await this.revokeWhere(trx, { sessionId: actor.sessionId }, 'logout');
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.logout',
        target: { type: 'session', id: actor.sessionId },
      });
    });
  }

  private revokeWhere(
    trx: ServiceDeps['db'],
    where: { sessionId: string } | { userId: string },
    reason: string,
  ): Promise<number> {
    return revokeSessions(trx, where, reason, this.now().toISOString());
  }

  /** Changes the password and revokes every session of the user; returns a fresh session token. */
  async changePassword(
    caller: Caller,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ token: string }> {
    const actor = requireActor(caller);
    const user = await this.userRow(actor.userId);
    if (!(await verifyPassword(user.password_hash, currentPassword))) {
      throw await this.recordFailure(caller, user, 'wrong-current-password', 'auth.password-change');
    }
    assertPasswordPolicy(newPassword, user.username);
    if (currentPassword === newPassword) {
      throw new AppError('WEAK_PASSWORD', 422, '新密码不能与当前密码相同');
    }
    const passwordHash = await hashPassword(newPassword);
    const token = randomToken();
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          password_hash: passwordHash,
          password_changed_at: now.toISOString(),
          must_change_password: 0,
          updated_at: now.toISOString(),
        })
        .where('id', '=', user.id)
        .execute();
      const revoked = await this.revokeWhere(trx, { userId: user.id }, 'password-changed');
      await trx
        .insertInto('sessions')
        .values(this.newSession(caller, user.id, uuidv7(), token, now))
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.password-change',
        target: { type: 'user', id: user.id },
        detail: { sessionsRevoked: revoked },
      });
    });
    return { token };
  }

  async listSessions(caller: Caller): Promise<SessionView[]> {
    const actor = requireActor(caller);
    const now = this.now();
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', actor.userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .orderBy('created_at', 'desc')
      .execute();
    const idleMs = this.deps.config.SESSION_IDLE_MINUTES * 60_000;
    return rows
      .filter((s) => new Date(s.last_seen_at).getTime() + idleMs >= now.getTime())
      .map((s) => ({
        id: s.id,
        createdAt: s.created_at,
        lastSeenAt: s.last_seen_at,
        expiresAt: s.expires_at,
        ip: s.ip,
        userAgent: s.user_agent,
        current: s.id === actor.sessionId,
      }));
  }

  async revokeOwnSession(caller: Caller, sessionId: string): Promise<void> {
    const actor = requireActor(caller);
    await this.db.transaction().execute(async (trx) => {
      const session = await trx
        .selectFrom('sessions')
        .select(['id'])
        .where('id', '=', sessionId)
        .where('user_id', '=', actor.userId)
        .executeTakeFirst();
      if (!session) throw new AppError('NOT_FOUND', 404, '会话不存在');
      await this.revokeWhere(trx, { sessionId }, 'revoked-by-user');
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.session-revoke',
        target: { type: 'session', id: sessionId },
      });
    });
  }

  /** Revokes every live session of a user (security administrator, or the system on password change). */
  async revokeAllSessions(caller: Caller, userId: string, reason: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const n = await this.revokeWhere(trx, { userId }, reason);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.sessions-revoke-all',
        target: { type: 'user', id: userId },
        detail: { reason, revoked: n },
      });
      return n;
    });
  }

  /** Needs the password again: a stolen session alone must not be able to bind the thief's device. */
  async enrollTotp(caller: Caller, password: string): Promise<{ secret: string; otpauthUrl: string }> {
    const actor = requireActor(caller);
    const user = await this.userRow(actor.userId);
    if (!(await verifyPassword(user.password_hash, password))) {
      throw await this.recordFailure(caller, user, 'wrong-current-password', 'auth.totp-enroll-start');
    }
    if (user.totp_secret) {
      throw new AppError('TOTP_ALREADY_ENROLLED', 409, '已启用两步验证');
    }
    const secret = newTotpSecret();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          totp_pending_secret: this.deps.secrets.seal(secret, seedContext('totp_pending_secret', user.id)),
        })
        .where('id', '=', user.id)
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.totp-enroll-start',
        target: { type: 'user', id: user.id },
      });
    });
    return { secret, otpauthUrl: otpauthUrl(secret, user.username) };
  }

  async confirmTotp(caller: Caller, code: string): Promise<void> {
    const actor = requireActor(caller);
    const user = await this.userRow(actor.userId);
    if (!user.totp_pending_secret) {
      throw new AppError('TOTP_NOT_PENDING', 409, '请先开始绑定');
    }
    const seed = this.deps.secrets.open(
      user.totp_pending_secret,
      seedContext('totp_pending_secret', user.id),
    );
    const step = matchTotp(seed, code, this.now());
    if (step === null) throw new AppError('INVALID_TOTP', 422, '动态验证码错误');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          totp_secret: this.deps.secrets.seal(seed, seedContext('totp_secret', user.id)),
          totp_pending_secret: null,
          totp_last_step: step,
        })
        .where('id', '=', user.id)
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'auth.totp-enrolled',
        target: { type: 'user', id: user.id },
      });
    });
  }

  /**
   * Seals every TOTP seed an older release stored in clear (enrolled or pending), each only if it
   * is still the value read, so a reset or an enrolment in between is never overwritten.
   * Returns how many it sealed. Run at start.
   */
  async sealClearTotpSeeds(): Promise<number> {
    let sealed = 0;
    for (const column of ['totp_secret', 'totp_pending_secret'] as const) {
      const rows = await this.db
        .selectFrom('users')
        .select(['id', column])
        .where(column, 'is not', null)
        .where(column, 'not like', 'sm4ctr:%')
        .execute();
      for (const row of rows) {
        const clear = row[column] as string;
        const r = await this.db
          .updateTable('users')
          .set({ [column]: this.deps.secrets.seal(clear, seedContext(column, row.id)) })
          .where('id', '=', row.id)
          .where(column, '=', clear)
          .executeTakeFirst();
        sealed += Number(r.numUpdatedRows);
      }
    }
    return sealed;
  }
}

/** Ends one session, or every live session of a user; returns how many it ended. */
export async function revokeSessions(
  db: ServiceDeps['db'],
  where: { sessionId: string } | { userId: string },
  reason: string,
  at: string,
): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('revoked_at', 'is', null);
  q = 'sessionId' in where ? q.where('id', '=', where.sessionId) : q.where('user_id', '=', where.userId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Where a sealed seed lives: it opens only there. */
function seedContext(column: 'totp_secret' | 'totp_pending_secret', userId: string): string {
  return `users.${column}:${userId}`;
}

function lockedError(until: string): AppError {
  return new AppError(
    'ACCOUNT_LOCKED',
    423,
    '登录失败次数过多，已暂停从您当前的网络地址登录该账号',
    `请于北京时间 ${beijingTimeInWords(until)} 之后再试，或联系安全管理员解锁`,
  );
}
