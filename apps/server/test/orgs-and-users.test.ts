import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { auditEntries, describeEachDialect, type TestApp } from './support/harness';

async function orgByCode(t: TestApp, code: string) {
  return t.ctx.db.selectFrom('orgs').selectAll().where('code', '=', code).executeTakeFirst();
}

async function orgIdByName(t: TestApp, name: string, parentId?: string): Promise<string> {
  let q = t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name);
  if (parentId) q = q.where('parent_id', '=', parentId);
  return (await q.executeTakeFirstOrThrow()).id;
}

async function orgCount(t: TestApp): Promise<number> {
  return Number(
    (
      await t.ctx.db
        .selectFrom('orgs')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

describeEachDialect('organisations and staff accounts', (get) => {
  let sysadmin: string;
  let zhangwei: string;
  let heping: { id: string; path: string; depth: number };
  let hepingHall: string;
  let hepingWindow: string;
  let sysadminId: string;

  before(async () => {
    const t = get();
    sysadmin = await t.login('sysadmin');
    zhangwei = await t.login('zhangwei');
    const d = await orgByCode(t, '210102');
    assert.ok(d);
    heping = { id: d.id, path: d.path, depth: d.depth };
    hepingHall = await orgIdByName(t, '和平区政务服务中心');
    hepingWindow = await orgIdByName(t, '综合受理窗口1', hepingHall);
    sysadminId = (
      await t.ctx.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'sysadmin')
        .executeTakeFirstOrThrow()
    ).id;
  });

  const postOrg = (payload: Record<string, unknown>, cookie = sysadmin) =>
    get().inject({ method: 'POST', url: '/api/v1/orgs', headers: { cookie }, payload });

  const postUser = (payload: Record<string, unknown>, cookie = sysadmin) =>
    get().inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload });

  it('a street under 和平区 with code 210102009 is 201 with regionLevel street, audited as org.create by sysadmin', async () => {
    const t = get();
    const res = await postOrg({ parentId: heping.id, kind: 'region', name: '测试街道', code: '210102009' });
    assert.equal(res.statusCode, 201, res.body);
    const org = res.json();
    assert.equal(org.kind, 'region');
    assert.equal(org.regionLevel, 'street');
    assert.equal(org.code, '210102009');
    assert.equal(org.name, '测试街道');
    assert.equal(org.parentId, heping.id);
    assert.equal(org.path, `${heping.path}${org.id}/`);
    assert.equal(org.depth, heping.depth + 1);
    const stored = await orgByCode(t, '210102009');
    assert.equal(stored?.id, org.id);

    const entries = (await auditEntries(t, 'org.create')).filter((e) => e.target_id === org.id);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].actor_name, 'sysadmin');
    assert.equal(entries[0].actor_id, sysadminId);
    assert.equal(entries[0].outcome, 'success');
    assert.equal(JSON.parse(entries[0].detail).code, '210102009');

    // zhangwei sees the new street inside his district.
    const list = await t.inject({ method: 'GET', url: '/api/v1/orgs', headers: { cookie: zhangwei } });
    assert.ok((list.json().items as { id: string }[]).some((o) => o.id === org.id));
  });

  it('a street code of another district (210202009) is 422 INVALID_REGION_CODE', async () => {
    const t = get();
    const before = await orgCount(t);
    const res = await postOrg({ parentId: heping.id, kind: 'region', name: '错码街道', code: '210202009' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'INVALID_REGION_CODE');
    assert.equal(await orgCount(t), before);
    assert.equal(await orgByCode(t, '210202009'), undefined);
  });

  it('a region without a code, or with a malformed one, is 422 INVALID_REGION_CODE', async () => {
    for (const code of [undefined, '21010200', '210102000']) {
      const res = await postOrg({
        parentId: heping.id,
        kind: 'region',
        name: '无码街道',
        ...(code === undefined ? {} : { code }),
      });
      assert.equal(res.statusCode, 422, String(code));
      assert.equal(res.json().code, 'INVALID_REGION_CODE', String(code));
    }
  });

  it('a department under a window is 422 INVALID_ORG_PARENT', async () => {
    const t = get();
    const before = await orgCount(t);
    const res = await postOrg({ parentId: hepingWindow, kind: 'department', name: '窗口下的部门' });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'INVALID_ORG_PARENT');
    assert.equal(await orgCount(t), before);
    // ... while a window under the district's service centre is fine.
    const ok = await postOrg({ parentId: hepingHall, kind: 'window', name: '综合受理窗口3' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().kind, 'window');
    assert.equal(ok.json().regionLevel, null);
  });

  it('a duplicate code is 409 DUPLICATE', async () => {
    const t = get();
    assert.ok(await orgByCode(t, '210102009'), 'created by the first test');
    const before = await orgCount(t);
    const res = await postOrg({ parentId: heping.id, kind: 'region', name: '重复街道', code: '210102009' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'DUPLICATE');
    assert.equal(await orgCount(t), before);
    const seeded = await postOrg({
      parentId: heping.id,
      kind: 'region',
      name: '太原街街道副本',
      code: '210102001',
    });
    assert.equal(seeded.statusCode, 409);
    assert.equal(seeded.json().code, 'DUPLICATE');
  });

  it('a district officer without org:write is 403, audited as a denial', async () => {
    const t = get();
    const before = await orgCount(t);
    const res = await postOrg(
      { parentId: heping.id, kind: 'region', name: '越权街道', code: '210102010' },
      zhangwei,
    );
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'FORBIDDEN');
    assert.equal(await orgCount(t), before);
    assert.equal(await orgByCode(t, '210102010'), undefined);
    const [denial] = await auditEntries(t, 'permission.denied');
    assert.equal(denial.actor_name, 'zhangwei');
    assert.equal(denial.outcome, 'denied');
    assert.equal(denial.target_id, 'POST /api/v1/orgs');
  });

  it('a weak password is 422 WEAK_PASSWORD', async () => {
    const t = get();
    for (const password of ['short1!', 'alllowercaseletters', 'lowercase123456']) {
      const res = await postUser({
        username: 'weakling',
        displayName: '弱密码',
        password,
        posts: [{ orgId: hepingHall, title: '受理员' }],
      });
      assert.equal(res.statusCode, 422, password);
      assert.equal(res.json().code, 'WEAK_PASSWORD', password);
    }
    assert.equal(
      await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'weakling').executeTakeFirst(),
      undefined,
    );
  });

  it('a new staff account is 201, audited as user.create by sysadmin, and can log in', async () => {
    const t = get();
    const res = await postUser({
      username: 'lina',
      displayName: '李娜',
      password: 'Window#Clerk9',
      staffNo: 'HP0102',
      phone: '13712345678',
      posts: [{ orgId: hepingWindow, title: '受理员' }],
    });
    assert.equal(res.statusCode, 201, res.body);
    const user = res.json();
    assert.equal(user.username, 'lina');
    assert.equal(user.phoneMasked, '137****5678');
    assert.equal(user.posts.length, 1);
    assert.equal(user.posts[0].orgId, hepingWindow);
    assert.equal(user.posts[0].roleCode, null, 'the security administrator attaches the role');
    assert.equal(res.body.includes('Window#Clerk9'), false);
    assert.equal(res.body.includes('password'), false, 'no password hash in the view');

    const entries = (await auditEntries(t, 'user.create')).filter((e) => e.target_id === user.id);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].actor_name, 'sysadmin');
    assert.equal(entries[0].actor_id, sysadminId);
    assert.equal(JSON.parse(entries[0].detail).username, 'lina');
    assert.ok(!entries[0].detail.includes('Window#Clerk9'), 'the password never reaches the audit trail');

    await t.login('lina', 'Window#Clerk9');
  });

  it('a duplicate username is 409 DUPLICATE', async () => {
    const t = get();
    const before = (await auditEntries(t, 'user.create')).length;
    const res = await postUser({
      username: 'zhangwei',
      displayName: '另一个张伟',
      password: 'Strong#Pass2026',
      posts: [{ orgId: hepingHall, roleCode: 'window-clerk', title: '受理员' }],
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'DUPLICATE');
    const rows = await t.ctx.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('username', '=', 'zhangwei')
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].display_name, '张伟');
    assert.equal((await auditEntries(t, 'user.create')).length, before);
    // The existing account still logs in with its own password.
    await t.login('zhangwei');
  });

  it('an unknown body field is 400 VALIDATION_FAILED naming the field', async () => {
    const t = get();
    const res = await postUser({
      username: 'sneaky',
      displayName: '多字段',
      password: 'Strong#Pass2026',
      adminClass: 'audit',
      posts: [{ orgId: hepingHall, roleCode: 'window-clerk', title: '受理员' }],
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'VALIDATION_FAILED');
    assert.equal(typeof body.requestId, 'string');
    assert.ok(JSON.stringify(body.details).includes('adminClass'), 'the unknown key is named');
    assert.equal(
      await t.ctx.db.selectFrom('users').select('id').where('username', '=', 'sneaky').executeTakeFirst(),
      undefined,
    );

    const org = await postOrg({
      parentId: heping.id,
      kind: 'region',
      name: '多字段街道',
      code: '210102011',
      extra: 1,
    });
    assert.equal(org.statusCode, 400);
    assert.equal(org.json().code, 'VALIDATION_FAILED');
    assert.equal(await orgByCode(t, '210102011'), undefined);
  });

  it('every successful write above left exactly one audit entry naming sysadmin, and failures none', async () => {
    const t = get();
    const orgCreates = (await auditEntries(t, 'org.create')).filter((e) => e.actor_name === 'sysadmin');
    assert.deepEqual(
      orgCreates.map((e) => JSON.parse(e.detail).name).sort(),
      ['测试街道', '综合受理窗口3'].sort(),
    );
    const userCreates = (await auditEntries(t, 'user.create')).filter((e) => e.actor_name === 'sysadmin');
    assert.deepEqual(
      userCreates.map((e) => JSON.parse(e.detail).username),
      ['lina'],
    );
    for (const e of [...orgCreates, ...userCreates]) {
      assert.equal(e.outcome, 'success');
      assert.ok(e.request_id, 'the entry carries the request id');
    }
  });
});
