import { maskIdNumber, type Permission } from '@govflow/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../database';
import { randomToken, sm3 } from '../../platform/crypto/hash';
import { type Actor, inScope } from '../../platform/http/actor';
import { auditStamp, type Caller, requireActor } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import { validIdNumber } from '../identity/person-service';
import type { CardReadRow } from './tables';

/** How long a read may wait to be used: long enough to pick the proofs, short enough not to linger. */
export const CARD_READ_LIFETIME_MS = 5 * 60_000;

/** A post the clerk holds at a window (an org of kind `window`). */
export interface WindowPost {
  id: string;
  orgId: string;
  orgName: string;
  title: string;
  roleName: string;
}

/** What the card reader gave. */
export interface CardFromReader {
  idNumber: string;
  name: string;
}

/** What the browser receives for a read: never the full number. */
export interface IssuedCardRead {
  token: string;
  name: string;
  idNumberMasked: string;
  expiresAt: string;
  post: WindowPost;
}

/** A read handed to the one act that used it. */
export interface UsedCardRead {
  id: string;
  idNumber: string;
  idNumberMasked: string;
  name: string;
  postId: string;
  orgId: string;
}

const sealContext = (id: string) => `card_reads.id_number:${id}`;

const expired = () =>
  new AppError('CARD_READ_EXPIRED', 410, '读卡凭证已过期', '请重新读取身份证（读卡后五分钟内有效）');
const used = () =>
  new AppError('CARD_READ_USED', 409, '读卡凭证已使用过', '每次读卡只能办理一次，请重新读取身份证');

/**
 * ID card reads at a window (一证通办, and the window intake of cases): a read yields a token that
 * is short-lived, single-use, and bound to the session and to the window post the clerk acts in.
 * The act that needs the number presents the token and gets the number on the server; the browser
 * only ever sees the masked number. The token is stored as its SM3, the number sealed, and the
 * sealed number is dropped once the read is used or has expired.
 */
export class CardReadService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The actor's posts at a window where they hold `permission`, in the order of their posts. */
  windowPosts(actor: Actor, permission: Permission): WindowPost[] {
    const posts: WindowPost[] = [];
    for (const p of actor.posts) {
      // A post without a role yet grants nothing, so nobody acts in it.
      if (p.orgKind !== 'window' || p.roleName === null || !inScope(actor, permission, p.orgPath)) continue;
      posts.push({ id: p.id, orgId: p.orgId, orgName: p.orgName, title: p.title, roleName: p.roleName });
    }
    return posts;
  }

  /** The window post the clerk acts in: the one named, or their only one. */
  windowPost(actor: Actor, permission: Permission, postId?: string): WindowPost {
    const posts = this.windowPosts(actor, permission);
    if (postId === undefined && posts.length === 1) return posts[0];
    if (posts.length === 0)
      throw new AppError('NOT_WINDOW_POST', 403, '您没有可办理此业务的窗口岗位', '读卡须在窗口岗位上进行');
    if (postId === undefined)
      throw new AppError(
        'WINDOW_POST_REQUIRED',
        422,
        '您有多个窗口岗位，请选择在哪个窗口办理',
        '选择窗口岗位后再读卡',
      );
    const post = posts.find((p) => p.id === postId);
    if (!post)
      throw new AppError(
        'NOT_WINDOW_POST',
        403,
        '所选岗位不是您可办理此业务的窗口岗位',
        '选择您本人的窗口岗位',
      );
    return post;
  }

  /** Records a card the reader gave at the chosen window post and returns its token. Audited. */
  async read(
    caller: Caller,
    input: { card: CardFromReader; reader: string; permission: Permission; postId?: string },
  ): Promise<IssuedCardRead> {
    const actor = requireActor(caller);
    const post = this.windowPost(actor, input.permission, input.postId);
    const { value: idNumber } = validIdNumber(input.card.idNumber);
    const id = uuidv7();
    const token = randomToken();
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + CARD_READ_LIFETIME_MS).toISOString();
    const idNumberMasked = maskIdNumber(idNumber) as string;
    await this.deps.db.transaction().execute(async (trx) => {
      // The numbers of reads nobody used in time are not kept: only the masked one stays.
      await trx
        .updateTable('card_reads')
        .set({ id_number_sealed: null })
        .where('expires_at', '<=', now.toISOString())
        .where('id_number_sealed', 'is not', null)
        .execute();
      await trx
        .insertInto('card_reads')
        .values({
          id,
          token_hash: sm3(token),
          id_number_sealed: this.deps.secrets.seal(idNumber, sealContext(id)),
          id_number_masked: idNumberMasked,
          name: input.card.name,
          reader: input.reader,
          user_id: actor.userId,
          session_id: actor.sessionId,
          post_id: post.id,
          org_id: post.orgId,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          consumed_at: null,
          consumed_for: null,
        })
        .execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'card-read.read',
        target: { type: 'card-read', id },
        detail: { idNumber: idNumberMasked, reader: input.reader, postId: post.id, window: post.orgName },
      });
    });
    return { token, name: input.card.name, idNumberMasked, expiresAt, post };
  }

  /**
   * Uses a read once, for `purpose`: the token must be this session's, read at `postId` (still a
   * window post of the actor's where they hold `permission`), unused and not expired. The claim
   * is one conditional UPDATE, so of two requests racing with the same token exactly one wins.
   * Joins the caller's transaction when given one (the unit of work), else opens its own.
   */
  async consume(
    caller: Caller,
    input: { token: string; postId: string; purpose: string; permission: Permission },
    trx?: Transaction<Database>,
  ): Promise<UsedCardRead> {
    const actor = requireActor(caller);
    const run = async (tx: Transaction<Database>): Promise<UsedCardRead> => {
      const find = () =>
        tx.selectFrom('card_reads').selectAll().where('token_hash', '=', sm3(input.token)).executeTakeFirst();
      const row = await find();
      if (!row) throw new AppError('CARD_READ_NOT_FOUND', 404, '读卡凭证无效', '请重新读取身份证');
      if (row.session_id !== actor.sessionId)
        throw new AppError(
          'CARD_READ_OTHER_SESSION',
          403,
          '读卡凭证不属于当前登录会话',
          '请在本次登录中重新读取身份证',
        );
      if (row.post_id !== input.postId)
        throw new AppError(
          'CARD_READ_OTHER_POST',
          403,
          '读卡凭证不是在所选窗口岗位读取的',
          '请在当前窗口岗位重新读取身份证',
        );
      this.windowPost(actor, input.permission, input.postId);
      const now = this.deps.clock.now();
      refuseSpent(row, now);
      const claimed = await tx
        .updateTable('card_reads')
        .set({ consumed_at: now.toISOString(), consumed_for: input.purpose, id_number_sealed: null })
        .where('id', '=', row.id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        // Another request used it (or it expired) between the read above and this claim.
        refuseSpent((await find()) ?? row, now);
        throw used();
      }
      if (row.id_number_sealed === null) throw expired();
      await this.deps.audit.append(tx, {
        ...auditStamp(caller),
        action: 'card-read.consume',
        target: { type: 'card-read', id: row.id },
        detail: { idNumber: row.id_number_masked, purpose: input.purpose, postId: row.post_id },
      });
      return {
        id: row.id,
        idNumber: this.deps.secrets.open(row.id_number_sealed, sealContext(row.id)),
        idNumberMasked: row.id_number_masked,
        name: row.name,
        postId: row.post_id,
        orgId: row.org_id,
      };
    };
    return trx ? run(trx) : this.deps.db.transaction().execute(run);
  }
}

function refuseSpent(row: CardReadRow, now: Date): void {
  if (row.consumed_at !== null) throw used();
  if (new Date(row.expires_at) <= now) throw expired();
}
