import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientNetwork } from '../src/platform/http/client-network';

describe('client network (the key of every per-client counter)', () => {
  it('keeps an IPv4 address, and counts an IPv4-mapped IPv6 address as that IPv4 address', () => {
    assert.equal(clientNetwork('198.51.100.7'), '198.51.100.7');
    assert.equal(clientNetwork('::ffff:198.51.100.7'), '198.51.100.7');
  });

  it('counts every address of an IPv6 /64 as one client, however it is written', () => {
    const a = clientNetwork('2001:db8:7:1::1');
    assert.equal(a, '2001:db8:7:1::/64');
    assert.equal(clientNetwork('2001:0db8:0007:0001:ffff:ffff:ffff:ffff'), a);
    assert.equal(clientNetwork('2001:DB8:7:1:0:0:0:2'), a);
    assert.notEqual(clientNetwork('2001:db8:7:2::1'), a);
    assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
    assert.equal(clientNetwork('fe80::1%eth0'), 'fe80:0:0:0::/64');
  });

  it('names a request without an address', () => {
    assert.equal(clientNetwork(undefined), 'unknown');
    assert.equal(clientNetwork(''), 'unknown');
  });
});
