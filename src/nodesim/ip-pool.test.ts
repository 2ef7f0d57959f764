// IP pool (host-local allocator semantics) and the per-node CIDR split (node IPAM, --node-cidr-mask-size).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCIDR, hostAddress, nodeSubnet, parseCIDRv4, parseIPv4 } from './cidr.ts';
import { IpPool, IpPoolExhaustedError } from './ip-pool.ts';

test('parseCIDRv4 accepts canonical IPv4 CIDRs only', () => {
  const cases: Array<[string, string | undefined]> = [
    ['10.244.0.0/16', '10.244.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.244.0.1/16', undefined], // host bits set
    ['10.244.0.0/33', undefined],
    ['10.244.0/16', undefined],
    ['010.244.0.0/16', undefined],
    ['fd00::/64', undefined],
  ];
  for (const [input, want] of cases) {
    const c = parseCIDRv4(input);
    assert.equal(c ? formatCIDR(c) : undefined, want, input);
  }
});

test('node i gets the i-th /24 of the pod CIDR, and the i+1-th address of the node IP range', () => {
  const cluster = parseCIDRv4('10.244.0.0/16')!;
  const cases: Array<[number, string, string]> = [
    [0, '10.244.0.0/24', '10.240.0.1'],
    [1, '10.244.1.0/24', '10.240.0.2'],
    [255, '10.244.255.0/24', '10.240.1.0'],
  ];
  const ips = parseCIDRv4('10.240.0.0/16')!;
  for (const [i, subnet, ip] of cases) {
    assert.equal(formatCIDR(nodeSubnet(cluster, 24, i)), subnet, `node ${i}`);
    assert.equal(hostAddress(ips, i), ip, `node ${i}`);
  }
  assert.equal(formatCIDR(nodeSubnet(cluster, 26, 5)), '10.244.1.64/26');
});

test('a pod CIDR too small for the node count is refused with a readable error', () => {
  assert.throws(() => nodeSubnet(parseCIDRv4('10.244.0.0/23')!, 24, 2), /has room for 2 node subnets of \/24; node 2 does not fit/);
  assert.throws(() => nodeSubnet(parseCIDRv4('10.244.0.0/25')!, 24, 0), /does not fit in the pod CIDR/);
});

test('addresses are handed out in order from .2 (.1 is the node bridge), one per owner, idempotently', () => {
  const p = new IpPool('10.244.3.0/24');
  assert.equal(p.capacity(), 253);
  assert.equal(p.allocate('a'), '10.244.3.2');
  assert.equal(p.allocate('b'), '10.244.3.3');
  assert.equal(p.allocate('a'), '10.244.3.2', 'same owner, same address');
  assert.equal(p.inUse(), 2);
});

test('seed 003 step 5: an address released a moment ago is not handed out again (host-local RangeIter)', () => {
  const p = new IpPool('10.244.0.0/24');
  const first = p.allocate('pod-uid-1');
  p.release('pod-uid-1');
  const second = p.allocate('pod-uid-2');
  assert.notEqual(second, first);
  assert.equal(second, '10.244.0.3');
});

test('the search wraps around to released addresses once the end of the range is reached', () => {
  const p = new IpPool('10.244.0.0/29'); // .2 – .6
  const got = ['a', 'b', 'c', 'd', 'e'].map((o) => p.allocate(o));
  assert.deepEqual(got, ['10.244.0.2', '10.244.0.3', '10.244.0.4', '10.244.0.5', '10.244.0.6']);
  assert.throws(() => p.allocate('f'), IpPoolExhaustedError);
  p.release('c');
  p.release('a');
  assert.equal(p.allocate('f'), '10.244.0.2', 'first free after the last reserved (.6), wrapping');
  assert.equal(p.allocate('g'), '10.244.0.4');
});

test('adopting addresses after a restart: duplicates and strangers are refused, the cursor moves past them', () => {
  const p = new IpPool('10.244.0.0/24');
  assert.equal(p.adopt('a', '10.244.0.7'), true);
  assert.equal(p.adopt('a', '10.244.0.7'), true, 'the same pair again is fine');
  assert.equal(p.adopt('b', '10.244.0.7'), false, 'taken by a');
  assert.equal(p.adopt('c', '10.244.1.7'), false, 'another node');
  assert.equal(p.adopt('d', '10.244.0.255'), false, 'broadcast');
  assert.equal(p.allocate('e'), '10.244.0.8');
  assert.equal(p.ipOf('a'), '10.244.0.7');
  assert.equal(parseIPv4(p.ipOf('e')!), parseIPv4('10.244.0.8'));
});
