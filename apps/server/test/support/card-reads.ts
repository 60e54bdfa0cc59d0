import type { LightMyRequestResponse } from 'fastify';
import type { Caller } from '../../src/platform/http/caller';
import type { TestApp } from './harness';

export interface IssuedRead {
  token: string;
  name: string;
  idNumberMasked: string;
  expiresAt: string;
  post: { id: string; orgId: string; orgName: string; title: string; roleName: string };
}

/** The caller's window posts where they may read cards for the proof query. */
export async function windowPosts(t: TestApp, cookie: string): Promise<IssuedRead['post'][]> {
  const res = await t.inject({
    method: 'GET',
    url: '/api/v1/datahub/card-reader/posts',
    headers: { cookie },
  });
  if (res.statusCode !== 200) throw new Error(`window posts: ${res.statusCode} ${res.body}`);
  return res.json().items;
}

/**
 * Reads a card at a window post (the caller's first one unless named) through the API. With
 * `idNumber`, that card is put on the reader for this one read instead of the demo's rota.
 */
export async function readCardResponse(
  t: TestApp,
  cookie: string,
  options: { idNumber?: string; name?: string; postId?: string } = {},
): Promise<LightMyRequestResponse> {
  const saved = t.ctx.datahub.cardReader;
  const { idNumber } = options;
  if (idNumber !== undefined)
    t.ctx.datahub.cardReader = {
      name: 'test',
      read: async () => ({ idNumber, name: options.name ?? '测试' }),
    };
  try {
    return await t.inject({
      method: 'POST',
      url: '/api/v1/datahub/card-reader/read',
      headers: { cookie },
      payload: options.postId ? { postId: options.postId } : {},
    });
  } finally {
    t.ctx.datahub.cardReader = saved;
  }
}

/** As `readCardResponse`, naming the caller's first window post unless told; fails unless 200. */
export async function readCard(
  t: TestApp,
  cookie: string,
  options: { idNumber?: string; name?: string; postId?: string } = {},
): Promise<IssuedRead> {
  const postId = options.postId ?? (await windowPosts(t, cookie))[0]?.id;
  const res = await readCardResponse(t, cookie, { ...options, postId });
  if (res.statusCode !== 200) throw new Error(`card read: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Presents a read to the proof query. */
export function queryProofs(
  t: TestApp,
  cookie: string,
  read: Pick<IssuedRead, 'token' | 'post'>,
  proofTypes: string[],
): Promise<LightMyRequestResponse> {
  return t.inject({
    method: 'POST',
    url: '/api/v1/datahub/proof-queries',
    headers: { cookie },
    payload: { cardReadToken: read.token, postId: read.post.id, proofTypes },
  });
}

/** Reads the card of `idNumber` at the caller's first window post and queries its proofs. */
export async function askProofs(
  t: TestApp,
  cookie: string,
  idNumber: string,
  proofTypes: string[],
): Promise<LightMyRequestResponse> {
  return queryProofs(t, cookie, await readCard(t, cookie, { idNumber }), proofTypes);
}

/** The caller of a logged-in session, to call the card-read service as another module would. */
export async function sessionCaller(t: TestApp, cookie: string): Promise<Caller> {
  const auth = await t.ctx.identity.auth.authenticate(cookie.replace(/^gf_session=/, ''));
  if (!('actor' in auth)) throw new Error(`session not valid: ${auth.problem}`);
  return { actor: auth.actor, requestId: null, ip: null, userAgent: null };
}
