// kubedisco lookup's search path (a pod's resolv.conf: search <ns>.svc.<zone> svc.<zone> <zone>,
// options ndots:5) and the dns flag parsers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDnsConfig, parseWorkers, searchNames } from './dns.ts';
import { UsageError } from './server.ts';

const cases: Array<[string, string, string[]]> = [
  ['short name: search list first, then as is', 'cassandra', ['cassandra.default.svc.cluster.local', 'cassandra.svc.cluster.local', 'cassandra.cluster.local', 'cassandra']],
  ['svc.ns (1 dot < ndots 5): search first', 'web.moon', ['web.moon.default.svc.cluster.local', 'web.moon.svc.cluster.local', 'web.moon.cluster.local', 'web.moon']],
  ['4 dots: still below ndots', 'a.b.svc.cluster.local', ['a.b.svc.cluster.local.default.svc.cluster.local', 'a.b.svc.cluster.local.svc.cluster.local', 'a.b.svc.cluster.local.cluster.local', 'a.b.svc.cluster.local']],
  ['5 dots: as is first (ndots reached)', 'c-0.c.default.svc.cluster.local', ['c-0.c.default.svc.cluster.local', 'c-0.c.default.svc.cluster.local.default.svc.cluster.local', 'c-0.c.default.svc.cluster.local.svc.cluster.local', 'c-0.c.default.svc.cluster.local.cluster.local']],
  ['trailing dot: absolute, no search', 'example.com.', ['example.com']],
];
for (const [name, input, want] of cases) test(`lookup search path (resolv.conf ndots:5): ${name}`, () => assert.deepEqual(searchNames(input, 'default'), want));

test('lookup search path uses the namespace and zone', () => {
  assert.deepEqual(searchNames('x', 'moon', 'k8s.test'), ['x.moon.svc.k8s.test', 'x.svc.k8s.test', 'x.k8s.test', 'x']);
});

test('dns flags: --ttl 0..3600 (§14.2), --pods modes, --zone, --workers ≥ 1', () => {
  assert.deepEqual(parseDnsConfig({ zone: 'Cluster.Local.', ttl: '30', pods: 'verified' }), { zone: 'cluster.local', ttl: 30, pods: 'verified' });
  assert.deepEqual(parseDnsConfig({}), {});
  for (const bad of [{ ttl: '3601' }, { ttl: '-1' }, { ttl: 'x' }, { pods: 'on' }, { zone: 'a..b' }]) assert.throws(() => parseDnsConfig(bad), UsageError);
  assert.equal(parseWorkers('3'), 3);
  assert.ok(parseWorkers(undefined) >= 1);
  for (const bad of ['0', '1.5', 'x']) assert.throws(() => parseWorkers(bad), UsageError);
});

test('CoreDNS options as flags (rule book §14.4-§14.6)', () => {
  assert.deepEqual(parseDnsConfig({ 'endpoint-pod-names': true, 'ignore-empty-service': true, namespaces: 'a, b' }),
    { endpointPodNames: true, ignoreEmptyService: true, namespaces: ['a', 'b'] });
  assert.deepEqual(parseDnsConfig({ 'namespace-labels': 'env=prod' }), { namespaceLabels: 'env=prod' });
  assert.throws(() => parseDnsConfig({ namespaces: 'a', 'namespace-labels': 'x' }), /mutually exclusive/);
  assert.throws(() => parseDnsConfig({ namespaces: ' , ' }), /comma-separated/);
});
