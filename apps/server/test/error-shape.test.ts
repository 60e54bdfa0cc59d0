import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { englishWords } from './support/english';
import { createTestApp, type TestApp } from './support/harness';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection after answering. */
  closed: boolean;
}

/** Writes `request` to a fresh connection and reads one HTTP response, the way a client would. */
function exchange(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      const text = Buffer.concat(chunks);
      const end = text.indexOf('\r\n\r\n');
      if (end < 0)
        return closed ? reject(new Error(`no HTTP response: ${JSON.stringify(String(text))}`)) : undefined;
      const [statusLine, ...lines] = text.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines)
        headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
      const length = Number(headers['content-length']);
      const body = text.subarray(end + 4);
      if (!closed && !(body.length >= length)) return;
      settled = true;
      // Whether the server closes the connection after answering: give it a moment to do so.
      const ended = closed
        ? Promise.resolve(true)
        : new Promise<boolean>((r) => {
            socket.once('end', () => r(true));
            setTimeout(() => r(false), 300);
          });
      ended.then((wasClosed) => {
        socket.destroy();
        resolve({
          status: Number(statusLine.split(' ')[1]),
          headers,
          // Content-Length counts bytes: a body cut short or run over shows up here.
          body: body.subarray(0, Number.isNaN(length) ? undefined : length).toString('utf8'),
          closed: wasClosed,
        });
      });
    };
    socket.on('data', (d) => {
      chunks.push(d);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => (chunks.length ? finish(true) : reject(e)));
    socket.setTimeout(10_000, () => reject(new Error('no answer within 10 s')));
  });
}

/** The one error shape: {code, message, hint?, requestId, details?}, a Chinese message, a byte-exact length. */
function assertErrorShape(res: RawResponse, status: number, code: string) {
  assert.equal(res.status, status, res.body);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body);
  } catch {
    assert.fail(`not JSON: ${res.body}`);
  }
  for (const k of Object.keys(body))
    assert.ok(['code', 'message', 'hint', 'requestId', 'details'].includes(k), res.body);
  assert.equal(body.code, code, res.body);
  assert.match(
    String(body.requestId),
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    res.body,
  );
  assert.match(String(body.message), /[\u4e00-\u9fff]/, res.body);
  assert.deepEqual(englishWords(`${body.message} ${body.hint ?? ''}`), [], res.body);
  assert.equal(Buffer.byteLength(res.body), Number(res.headers['content-length']));
  return body;
}

const http = (head: string, body = '') =>
  `${head}\r\nHost: 127.0.0.1\r\n${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n${body}`;

describe('one error shape for framework and client errors, over a real socket', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await createTestApp('sqlite', { seed: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  after(async () => t.close());

  it('431: a query string longer than the header limit (Node answers before fastify sees it)', async () => {
    const res = await exchange(
      port,
      http(`GET /api/v1/public/items/search?q=${encodeURIComponent('药'.repeat(2000))} HTTP/1.1`),
    );
    assertErrorShape(res, 431, 'HEADERS_TOO_LARGE');
    assert.ok(res.closed, 'the connection is closed after a parser error');
  });

  it('400: a request line that is not HTTP', async () => {
    assertErrorShape(await exchange(port, 'HELLO THERE\r\n\r\n'), 400, 'BAD_REQUEST');
    assertErrorShape(
      await exchange(port, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n{}'),
      400,
      'BAD_REQUEST',
    );
  });

  it('408: a client that stops sending is answered, not cut off', async () => {
    // Node raises this event when requestTimeout/headersTimeout expire; its checking interval is
    // 30 s, so the test raises the same event on a real connection instead of waiting.
    const serverSide = new Promise<net.Socket>((resolve) => t.app.server.once('connection', resolve));
    const answer = new Promise<RawResponse>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () =>
        socket.write('GET /api/v1/me HTTP/1.1\r\nHost: a\r\n'),
      );
      let out = '';
      socket.on('data', (d) => (out += d));
      socket.on('close', () => {
        const [head, body] = out.split('\r\n\r\n');
        const headers = Object.fromEntries(
          head
            .split('\r\n')
            .slice(1)
            .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
        );
        resolve({ status: Number(head.split(' ')[1]), headers, body: body ?? '', closed: true });
      });
      socket.on('error', reject);
    });
    const s = await serverSide;
    await new Promise((r) => setTimeout(r, 50));
    t.app.server.emit(
      'clientError',
      Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
      s,
    );
    assertErrorShape(await answer, 408, 'REQUEST_TIMEOUT');
  });

  it('400: a malformed percent-encoding in the path', async () => {
    const res = await exchange(port, http('GET /api/v1/users/%E0%A4%A HTTP/1.1'));
    assertErrorShape(res, 400, 'BAD_REQUEST');
  });

  it('414: a path parameter longer than the router takes', async () => {
    const res = await exchange(port, http(`GET /api/v1/users/${'a'.repeat(300)} HTTP/1.1`));
    assertErrorShape(res, 414, 'URI_TOO_LONG');
  });

  it('400: malformed JSON; 415: another content type; 413: too large a body', async () => {
    const json = (type: string, body: string) =>
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    assertErrorShape(await exchange(port, json('application/json', '{"username": ')), 400, 'MALFORMED_BODY');
    assertErrorShape(await exchange(port, json('text/plain', 'hello')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const big = `POST /api/v1/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{`;
    assertErrorShape(await exchange(port, big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('404: an unknown route; 405: a known path with another method, naming the allowed ones', async () => {
    assertErrorShape(
      await exchange(port, http('GET /api/v1/nothing-here?x=1 HTTP/1.1')),
      404,
      'ROUTE_NOT_FOUND',
    );
    const res = await exchange(port, http('DELETE /api/v1/auth/login HTTP/1.1'));
    assertErrorShape(res, 405, 'METHOD_NOT_ALLOWED');
    assert.equal(res.headers.allow, 'POST');
    const param = await exchange(
      port,
      http('PUT /api/v1/users/0190a0a0-0000-7000-8000-000000000000 HTTP/1.1'),
    );
    assertErrorShape(param, 405, 'METHOD_NOT_ALLOWED');
    assert.match(param.headers.allow ?? '', /GET/);
  });

  it('a keep-alive connection still serves the next request after an error answered by fastify', async () => {
    const two = `${http('GET /api/v1/nothing-here HTTP/1.1')}${http('GET /healthz HTTP/1.1')}`;
    const res = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(two));
      let out = '';
      s.on('data', (d) => {
        out += d;
        if (out.includes('"status":"ok"')) {
          s.destroy();
          resolve(out);
        }
      });
      s.setTimeout(5000, () => {
        s.destroy();
        resolve(out);
      });
    });
    assert.match(res, /HTTP\/1.1 404[\s\S]*HTTP\/1.1 200/);
  });
});
