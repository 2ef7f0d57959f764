import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIP, formatIPv6, parseIPv4, parseIPv6, parseReverseName, reverseName } from './ip.ts';

test('IPv4 parse: valid and invalid (no leading zeros, as Go net.ParseIP)', () => {
  assert.deepEqual(parseIPv4('10.244.1.5'), new Uint8Array([10, 244, 1, 5]));
  assert.deepEqual(parseIPv4('0.0.0.0'), new Uint8Array(4));
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-4', '1.2.3.4.']) {
    assert.equal(parseIPv4(bad), null, bad);
  }
});

const canonical: Array<[string, string]> = [
  ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // RFC 5952 §4.2.3: first of equal runs
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group is not compressed
  ['::', '::'],
  ['::1', '::1'],
  ['1::', '1::'],
  ['fd00:10:96::a', 'fd00:10:96::a'],
  ['0:0:0:0:0:ffff:10.1.2.3', '::ffff:10.1.2.3'], // §5
  ['::ffff:a01:203', '::ffff:10.1.2.3'],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], // longest run wins
];

for (const [input, want] of canonical) {
  test(`IPv6 canonical (RFC 5952, rule book §8.4): ${input} → ${want}`, () => {
    const b = parseIPv6(input);
    assert.ok(b);
    assert.equal(formatIPv6(b), want);
    assert.equal(canonicalIP(input), want);
    assert.deepEqual(parseIPv6(want), b);
  });
}

test('IPv6 parse rejects bad text', () => {
  for (const bad of ['', ':', ':::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', ':1::', '1::2:', '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3', '::1.2.3.4:5', 'fe80::1%eth0']) {
    assert.equal(parseIPv6(bad), null, bad);
  }
});

test('reverse names (§8.4): IPv4 in-addr.arpa, IPv6 32 nibbles in ip6.arpa, and back', () => {
  assert.equal(reverseName('10.96.0.10'), '10.0.96.10.in-addr.arpa');
  assert.equal(reverseName('2001:db8::567:89ab'), 'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(reverseName('nope'), null);
  assert.equal(parseReverseName('10.0.96.10.in-addr.arpa'), '10.96.0.10');
  assert.equal(parseReverseName('10.0.96.10.IN-ADDR.ARPA.'), '10.96.0.10');
  assert.equal(parseReverseName('B.A.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa'), '2001:db8::567:89ab');
  for (const ip of ['1.2.3.4', '::1', 'fd00::abcd:1', '2001:db8:1:2:3:4:5:6']) {
    assert.equal(parseReverseName(reverseName(ip)!), canonicalIP(ip));
  }
});

test('§8.5: partial and bad reverse names give null', () => {
  for (const bad of ['0.96.10.in-addr.arpa', 'in-addr.arpa', '1.2.3.4.5.in-addr.arpa', '010.0.96.10.in-addr.arpa', 'x.0.96.10.in-addr.arpa',
    '256.0.96.10.in-addr.arpa', '0.0.8.b.d.0.1.0.0.2.ip6.arpa', 'ip6.arpa', 'example.com',
    'bb.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', 'g.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa']) {
    assert.equal(parseReverseName(bad), null, bad);
  }
});
