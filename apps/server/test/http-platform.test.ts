import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { installGuard } from '../src/platform/http/guard';
import { describeEachDialect } from './support/harness';

describeEachDialect('HTTP platform', (get) => {
  it('answers liveness and readiness (database reachable, migrations applied)', async () => {
    const t = get();
    assert.deepEqual((await t.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok' });
    const ready = await t.inject({ method: 'GET', url: '/healthz/readiness' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: t.dialect });
  });

  it('turns malformed JSON into 400 MALFORMED_BODY without a stack trace', async () => {
    const res = await get().inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "zhangwei", ',
    });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'MALFORMED_BODY');
    assert.ok(body.requestId);
    assert.doesNotMatch(res.body, /at \w+ \(|node_modules|\.ts:\d+/);
  });

  it('rejects unknown body fields', async () => {
    const res = await get().inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'zhangwei', password: 'x', isAdmin: true },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'VALIDATION_FAILED');
    assert.match(res.json().message, /isAdmin/);
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await get().inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'details', 'message', 'requestId']);
    assert.equal(res.json().code, 'ROUTE_NOT_FOUND');
    assert.deepEqual(res.json().details, { method: 'GET', path: '/api/v1/nothing-here' });
  });

  it('makes every request id itself, whatever id the client sends', async () => {
    const t = get();
    for (const sent of ['trace-abc-12345', '<script>x</script>', undefined]) {
      const res = await t.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: sent ? { 'x-request-id': sent } : {},
      });
      const id = String(res.headers['x-request-id']);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/, String(sent));
      assert.equal(res.json().requestId, id);
    }
  });

  it('sends security headers', async () => {
    const res = await get().inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['content-security-policy']);
    assert.ok(res.headers['strict-transport-security']);
  });

  it('publishes OpenAPI generated from the zod schemas, and a docs page', async () => {
    const t = get();
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.openapi.slice(0, 2), '3.');
    const login = doc.paths['/api/v1/auth/login'].post;
    assert.deepEqual(login.requestBody.content['application/json'].schema.required.sort(), [
      'password',
      'username',
    ]);
    assert.equal(login.requestBody.content['application/json'].schema.additionalProperties, false);
    assert.ok(doc.paths['/api/v1/audit'].get);
    const docs = await t.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });
});

describe('route declarations', () => {
  it('refuses to start when an API route does not declare its access', async () => {
    const app = Fastify();
    installGuard(app, async () => ({ problem: 'UNAUTHENTICATED' }));
    assert.throws(() => app.get('/api/v1/forgot', async () => 'x'), /does not declare config.access/);
    app.get('/api/v1/declared', { config: { access: 'public' } }, async () => 'x');
    await app.ready();
    await app.close();
  });
});
