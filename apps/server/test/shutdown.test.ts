import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createContext } from '../src/context';
import { startServer } from '../src/server';
import { createTestDatabase, type TestDatabase, testConfig } from './support/harness';

function post(
  port: number,
  path: string,
): { req: http.ClientRequest; done: Promise<{ status: number; body: string }> } {
  const req = http.request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  return { req, done };
}

describe('graceful shutdown', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite');
  });
  after(() => db.drop());

  it('finishes a request that is in flight, then refuses new connections', async () => {
    const config = testConfig({ PORT: '0', HOST: '127.0.0.1' });
    const server = await startServer(config, createContext(config, { database: db.target }));
    const port = Number(new URL(server.url).port);

    // Headers and half the body are sent before shutdown starts; the rest after.
    const inFlight = post(port, '/api/v1/auth/login');
    inFlight.req.write('{"username":"zhangwei",');
    await new Promise((r) => setTimeout(r, 100));
    const closing = server.shutdown('test');
    await new Promise((r) => setTimeout(r, 100));
    inFlight.req.end('"password":"GovFlow@2026"}');

    const res = await inFlight.done;
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).user.username, 'zhangwei');
    await closing;
    const late = post(port, '/api/v1/auth/login');
    late.req.end('{}');
    await assert.rejects(late.done, /ECONNREFUSED/);
  });
});
