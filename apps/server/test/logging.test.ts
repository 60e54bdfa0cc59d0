import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { makeIdNumber } from '@govflow/shared';
import { createTestApp, type TestApp } from './support/harness';

describe('logs', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { logStream: stream, env: { LOG_LEVEL: 'info' } });
  });
  after(() => t.close());

  it('carry the request id, a client’s one labelled, and never hold an ID number or a phone number in clear', async () => {
    const id = makeIdNumber('210103', '1978-11-02', 457);
    const cookie = await t.login('zhangwei');
    await t.inject({
      method: 'GET',
      url: `/api/v1/persons?idNumber=${id}`,
      headers: { cookie, 'x-request-id': 'log-test-0001' },
    });
    await t.inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: { cookie },
      payload: { idNumber: id, name: '测试', phone: '13712345678' },
    });
    t.ctx.log.info({ note: `citizen ${id} called from 13712345678` }, `lookup ${id}`);
    const all = lines.join('');
    assert.ok(
      all.includes('"clientRequestId":"log-test-0001"'),
      'the client’s request id is logged, labelled',
    );
    assert.ok(!all.includes('"reqId":"log-test-0001"'), 'the client does not choose the request id');
    assert.ok(all.includes('210103********457'), 'the masked form is logged');
    assert.ok(!all.includes(id), 'the full ID number never appears');
    assert.ok(!all.includes('13712345678'), 'the full phone number never appears');
  });
});
