// ClusterView and watchCluster: answers follow object changes event by event (rule book §2, §11.1), and the
// informer wiring works over REST against the fake API server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_IN, TYPE } from '../message.ts';
import type { KObject } from '../../api/meta.ts';
import { RestClient } from '../../client/rest.ts';
import { configForServer } from '../../client/kubeconfig.ts';
import { FakeApiServer, waitFor } from '../../client/testing/fake-apiserver.ts';
import { defaultDnsConfig, resolve } from './resolve.ts';
import { ClusterView } from './view.ts';
import { watchCluster, POD_FIELD_SELECTOR } from './watch.ts';
import { formatRecord } from './zonefile.ts';
import { clusterIP, headless, ns, pod, slice } from './fixtures.test-helpers.ts';
import { addressFromReverse, canonicalIP, dashedIP } from './ip.ts';

const cfg = defaultDnsConfig();
function lines(v: ClusterView, name: string, type: keyof typeof TYPE = 'A', c = cfg): string[] {
  const a = resolve({ name, type: TYPE[type], class: CLASS_IN }, v, c);
  assert.ok(a);
  return a.rcode === 3 ? ['NXDOMAIN'] : a.answers.length ? a.answers.map(formatRecord) : ['NODATA'];
}

const sts = (n: number, readyUpTo = n) => slice('default', 'cassandra-1', 'cassandra',
  Array.from({ length: n }, (_, i) => ({ ip: `10.244.1.${10 + i}`, hostname: `cassandra-${i}`, ready: i < readyUpTo })), [{ name: 'cql', port: 9042, protocol: 'TCP' }]);

test('seed: §5.1 scaling the StatefulSet changes the answer; §2.3 a pod turning unready leaves it; deleting the Service gives NXDOMAIN', () => {
  let t = 1_000_000;
  const v = new ClusterView({ now: () => t });
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', headless('default', 'cassandra', [{ name: 'cql', port: 9042 }]));
  assert.deepEqual(lines(v, 'cassandra.default.svc.cluster.local'), ['NXDOMAIN']); // §5.2 no slice yet
  v.apply('ADDED', sts(3));
  assert.equal(lines(v, 'cassandra.default.svc.cluster.local').length, 3);
  t += 5000;
  v.apply('MODIFIED', sts(5));
  assert.deepEqual(lines(v, 'cassandra.default.svc.cluster.local').map((l) => l.split(' ').pop()), ['10.244.1.10', '10.244.1.11', '10.244.1.12', '10.244.1.13', '10.244.1.14']);
  assert.deepEqual(lines(v, 'cassandra-4.cassandra.default.svc.cluster.local'), ['cassandra-4.cassandra.default.svc.cluster.local. 5 IN A 10.244.1.14']);
  assert.equal(v.serial, 1005, '§11.1 serial = Unix seconds of the last change');
  v.apply('MODIFIED', sts(5, 4));
  assert.deepEqual(lines(v, 'cassandra-4.cassandra.default.svc.cluster.local'), ['NXDOMAIN']);
  assert.deepEqual(lines(v, '14.1.244.10.in-addr.arpa', 'PTR'), ['NXDOMAIN']);
  v.apply('DELETED', headless('default', 'cassandra'));
  assert.deepEqual(lines(v, 'cassandra.default.svc.cluster.local'), ['NXDOMAIN']);
  assert.deepEqual(lines(v, 'cassandra-0.cassandra.default.svc.cluster.local'), ['NXDOMAIN']);
});

test('§11.1 serial moves on service/endpoint changes, not on no-op updates or namespace events', () => {
  let t = 2_000_000;
  const v = new ClusterView({ now: () => t });
  assert.equal(v.serial, 2000);
  t += 1000; v.apply('ADDED', ns('default'));
  assert.equal(v.serial, 2000);
  t += 1000; v.apply('ADDED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }]));
  assert.equal(v.serial, 2002);
  const ver = v.version;
  t += 1000; v.apply('MODIFIED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }]));
  assert.equal(v.serial, 2002);
  assert.equal(v.version, ver, 'a no-op update changes nothing');
  const soa = resolve({ name: 'cluster.local', type: TYPE.SOA, class: CLASS_IN }, v, cfg)!.answers[0]!;
  assert.equal(soa.data.type === 'SOA' && soa.data.serial, 2002);
});

test('§2.2 a slice relabelled to another service moves its endpoints; §8.3 PTR follows', () => {
  const v = new ClusterView();
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', headless('default', 'a', [{ name: 'http', port: 80 }]));
  v.apply('ADDED', headless('default', 'b', [{ name: 'http', port: 80 }]));
  v.apply('ADDED', slice('default', 's1', 'a', [{ ip: '10.1.0.1' }], [{ name: 'http', port: 80 }]));
  assert.deepEqual(lines(v, '1.0.1.10.in-addr.arpa', 'PTR'), ['1.0.1.10.in-addr.arpa. 5 IN PTR 10-1-0-1.a.default.svc.cluster.local.']);
  v.apply('MODIFIED', slice('default', 's1', 'b', [{ ip: '10.1.0.1' }], [{ name: 'http', port: 80 }]));
  assert.deepEqual(lines(v, 'a.default.svc.cluster.local'), ['NXDOMAIN']);
  assert.deepEqual(lines(v, 'b.default.svc.cluster.local'), ['b.default.svc.cluster.local. 5 IN A 10.1.0.1']);
  assert.deepEqual(lines(v, '1.0.1.10.in-addr.arpa', 'PTR'), ['1.0.1.10.in-addr.arpa. 5 IN PTR 10-1-0-1.b.default.svc.cluster.local.']);
  v.apply('MODIFIED', slice('default', 's1', undefined, [{ ip: '10.1.0.1' }]));
  assert.deepEqual(lines(v, 'b.default.svc.cluster.local'), ['NXDOMAIN']);
  assert.deepEqual(lines(v, '1.0.1.10.in-addr.arpa', 'PTR'), ['NXDOMAIN']);
});

test('§2.11 deleting the namespace makes its names NXDOMAIN; §4.1 a ClusterIP change is served at once', () => {
  const v = new ClusterView();
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }]));
  v.apply('MODIFIED', clusterIP('default', 'a', ['10.96.0.2'], [{ port: 80 }]));
  assert.deepEqual(lines(v, 'a.default.svc.cluster.local'), ['a.default.svc.cluster.local. 5 IN A 10.96.0.2']);
  assert.deepEqual(lines(v, '1.0.96.10.in-addr.arpa', 'PTR'), ['NXDOMAIN']);
  v.apply('DELETED', ns('default'));
  assert.deepEqual(lines(v, 'a.default.svc.cluster.local'), ['NXDOMAIN']);
});

test('§2.12 pods: the update setting deletionTimestamp is skipped; a terminal phase or delete removes the pod', () => {
  const v = new ClusterView({ trackPods: true });
  const vc = defaultDnsConfig({ pods: 'verified' });
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', pod('default', 'p', '10.244.0.9'));
  const name = '10-244-0-9.default.pod.cluster.local';
  assert.deepEqual(lines(v, name, 'A', vc), [`${name}. 5 IN A 10.244.0.9`]);
  v.apply('MODIFIED', pod('default', 'p', '10.244.0.9', { deleting: true }));
  assert.deepEqual(lines(v, name, 'A', vc), [`${name}. 5 IN A 10.244.0.9`]);
  v.apply('MODIFIED', pod('default', 'p', '10.244.0.9', { phase: 'Failed' }));
  assert.deepEqual(lines(v, name, 'A', vc), ['NXDOMAIN']);
  v.apply('ADDED', pod('default', 'q', '10.244.0.9'));
  v.apply('DELETED', pod('default', 'q', '10.244.0.9'));
  assert.deepEqual(lines(v, name, 'A', vc), ['NXDOMAIN']);
  const untracked = new ClusterView();
  untracked.apply('ADDED', pod('default', 'p', '10.244.0.9'));
  assert.equal(untracked.stats().pods, 0);
});

test('§8.2 §8.3 PTR indexes: a ClusterIP shared by two Services, an endpoint IP in two slices and twice in one; removals leave the rest', () => {
  const v = new ClusterView();
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', ns('other'));
  v.apply('ADDED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }]));
  v.apply('ADDED', clusterIP('other', 'b', ['10.96.0.1'], [{ port: 80 }]));
  assert.deepEqual(v.servicesByClusterIP('10.96.0.1').map((s) => s.key), ['default/a', 'other/b'], 'insertion order');
  assert.deepEqual(lines(v, '1.0.96.10.in-addr.arpa', 'PTR'), ['1.0.96.10.in-addr.arpa. 5 IN PTR a.default.svc.cluster.local.']);
  v.apply('MODIFIED', clusterIP('default', 'a', ['10.96.0.1', '10.96.0.9'], [{ port: 80 }]));
  assert.deepEqual(v.servicesByClusterIP('10.96.0.1').map((s) => s.key), ['other/b', 'default/a'], 'an update re-indexes at the end');
  v.apply('DELETED', clusterIP('other', 'b', [], []));
  assert.deepEqual(v.servicesByClusterIP('10.96.0.1').map((s) => s.key), ['default/a']);
  v.apply('DELETED', clusterIP('default', 'a', [], []));
  assert.deepEqual(v.servicesByClusterIP('10.96.0.1'), []);
  assert.deepEqual(v.servicesByClusterIP('10.96.0.9'), []);

  v.apply('ADDED', headless('default', 'h', [{ name: 'http', port: 80 }]));
  v.apply('ADDED', headless('other', 'h', [{ name: 'http', port: 80 }]));
  v.apply('ADDED', slice('other', 'h-1', 'h', [{ ip: '10.1.0.1', hostname: 'x' }, { ip: '10.1.0.1', hostname: 'y' }]));
  v.apply('ADDED', slice('default', 'h-2', 'h', [{ ip: '10.1.0.1' }]));
  assert.deepEqual(v.slicesByEndpointIP('10.1.0.1').map((s) => s.key), ['default/h-2', 'other/h-1'], 'once per slice, by slice key');
  assert.deepEqual(lines(v, '1.0.1.10.in-addr.arpa', 'PTR'), [
    '1.0.1.10.in-addr.arpa. 5 IN PTR 10-1-0-1.h.default.svc.cluster.local.',
    '1.0.1.10.in-addr.arpa. 5 IN PTR x.h.other.svc.cluster.local.',
    '1.0.1.10.in-addr.arpa. 5 IN PTR y.h.other.svc.cluster.local.',
  ]);
  v.apply('DELETED', slice('default', 'h-2', 'h', []));
  assert.deepEqual(v.slicesByEndpointIP('10.1.0.1').map((s) => s.key), ['other/h-1']);
  v.apply('MODIFIED', slice('other', 'h-1', 'h', [{ ip: '10.1.0.2', hostname: 'x' }]));
  assert.deepEqual(v.slicesByEndpointIP('10.1.0.1'), []);
  assert.deepEqual(v.servicesInNamespace('other').map((s) => s.key), ['other/h']);
  assert.deepEqual(v.stats(), { services: 2, endpointSlices: 1, endpoints: 1, namespaces: 2, pods: 0 });
});

test('the view keeps no array of an applied object that could change under it (only frozen ones are shared)', () => {
  const v = new ClusterView();
  v.apply('ADDED', ns('default'));
  const s = clusterIP('default', 'a', ['10.96.0.1'], [{ name: 'http', port: 80 }]);
  v.apply('ADDED', s);
  s.spec!.clusterIPs![0] = '10.96.0.2';
  s.spec!.ports![0]!.port = 81;
  assert.deepEqual(lines(v, '_http._tcp.a.default.svc.cluster.local', 'SRV'), ['_http._tcp.a.default.svc.cluster.local. 5 IN SRV 0 100 80 a.default.svc.cluster.local.']);
  assert.deepEqual(lines(v, 'a.default.svc.cluster.local'), ['a.default.svc.cluster.local. 5 IN A 10.96.0.1']);
  v.apply('MODIFIED', s);
  assert.deepEqual(lines(v, 'a.default.svc.cluster.local'), ['a.default.svc.cluster.local. 5 IN A 10.96.0.2'], 'the update is seen as a change');
  assert.deepEqual(lines(v, '2.0.96.10.in-addr.arpa', 'PTR'), ['2.0.96.10.in-addr.arpa. 5 IN PTR a.default.svc.cluster.local.']);
  assert.deepEqual(lines(v, '1.0.96.10.in-addr.arpa', 'PTR'), ['NXDOMAIN']);
});

test('§2.2 slices of one Service are kept sorted by slice key whatever the event order', () => {
  const v = new ClusterView();
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', headless('default', 's', [{ name: 'http', port: 80 }]));
  for (const n of ['s-c', 's-a', 's-b']) v.apply('ADDED', slice('default', n, 's', [{ ip: `10.2.0.${n.charCodeAt(2)}` }]));
  assert.deepEqual(v.slicesOf('default', 's').map((x) => x.key), ['default/s-a', 'default/s-b', 'default/s-c']);
  v.apply('MODIFIED', slice('default', 's-a', 's', [{ ip: '10.2.0.1' }]));
  assert.deepEqual(v.slicesOf('default', 's').map((x) => x.key), ['default/s-a', 'default/s-b', 'default/s-c']);
  v.apply('DELETED', slice('default', 's-b', 's', []));
  assert.deepEqual(v.slicesOf('default', 's').map((x) => x.key), ['default/s-a', 'default/s-c']);
  assert.deepEqual(lines(v, 's.default.svc.cluster.local'), ['s.default.svc.cluster.local. 5 IN A 10.2.0.1', 's.default.svc.cluster.local. 5 IN A 10.2.0.99']);
});

test('onChange: called synchronously after every version bump (view already updated), not on no-op events; unsubscribe stops it', () => {
  const v = new ClusterView();
  const seen: Array<[number, string]> = [];
  const off = v.onChange(() => { seen.push([v.version, lines(v, 'a.default.svc.cluster.local')[0]!]); });
  const other: number[] = [];
  const offOther = v.onChange(() => { other.push(v.version); });
  v.apply('ADDED', ns('default'));
  v.apply('ADDED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }]));
  v.apply('MODIFIED', clusterIP('default', 'a', ['10.96.0.1'], [{ port: 80 }])); // no-op: no bump, no call
  v.apply('MODIFIED', clusterIP('default', 'a', ['10.96.0.2'], [{ port: 80 }]));
  v.apply('DELETED', clusterIP('default', 'b', ['10.96.0.3'], [{ port: 80 }])); // unknown: no bump
  assert.deepEqual(seen, [[1, 'NXDOMAIN'], [2, 'a.default.svc.cluster.local. 5 IN A 10.96.0.1'], [3, 'a.default.svc.cluster.local. 5 IN A 10.96.0.2']]);
  assert.equal(v.version, 3);
  off();
  v.apply('ADDED', slice('default', 'a-1', 'a', [{ ip: '10.244.0.1' }]));
  assert.equal(seen.length, 3, 'unsubscribed');
  assert.deepEqual(other, [1, 2, 3, 4], 'every bump, including slices');
  offOther();
  // A throwing listener does not keep the others from running; the error reaches the caller after the change.
  const after: number[] = [];
  v.onChange(() => { throw new Error('boom'); });
  v.onChange(() => { after.push(v.version); });
  assert.throws(() => v.apply('DELETED', ns('default')), /boom/);
  assert.deepEqual(after, [5]);
  assert.equal(v.namespace('default'), undefined);
});

test('§5.3 §8.4 IP helpers: canonical IPv6, dashed names, reverse names', () => {
  const table: Array<[string, string | undefined]> = [
    ['10.0.0.1', '10.0.0.1'], ['010.0.0.1', undefined], ['FD00:0:0:0:0:0:0:1', 'fd00::1'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fd00::', 'fd00::'], ['::', '::'], ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'], ['fd00:0:1::', 'fd00:0:1::'], ['1::2::3', undefined], ['x', undefined],
  ];
  for (const [inp, out] of table) assert.equal(canonicalIP(inp)?.text, out, inp);
  assert.equal(dashedIP('10.244.1.5'), '10-244-1-5');
  assert.equal(dashedIP('fd00::'), 'fd00--0');
  assert.equal(dashedIP('fd00::1:5'), 'fd00--1-5');
  assert.equal(addressFromReverse('5.1.244.10.in-addr.arpa'), '10.244.1.5');
  assert.equal(addressFromReverse('1.244.10.in-addr.arpa'), undefined);
  assert.equal(addressFromReverse('0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa'), 'fd00::30');
  assert.equal(addressFromReverse('3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa'), undefined);
});

test('watchCluster: §2.1 informers over REST feed the view; §1.7 hasSynced; §2.12 pods watched with the phase field selector', async () => {
  const srv = await FakeApiServer.start();
  const rest = new RestClient(configForServer(srv.url));
  const nsCol = srv.collection('/api/v1/namespaces', 'Namespace');
  const svcCol = srv.collection('/api/v1/services', 'Service');
  const epsCol = srv.collection('/apis/discovery.k8s.io/v1/endpointslices', 'EndpointSlice', 'discovery.k8s.io/v1');
  srv.collection('/api/v1/pods', 'Pod');
  nsCol.put(ns('default') as unknown as KObject);
  svcCol.put(headless('default', 'cassandra', [{ name: 'cql', port: 9042 }]) as unknown as KObject);
  epsCol.put(sts(3) as unknown as KObject);
  const w = watchCluster(rest, { pods: 'verified' });
  try {
    assert.equal(await w.ready({ timeoutMs: 10_000 }), true);
    assert.equal(w.hasSynced(), true);
    assert.equal(lines(w.view, 'cassandra.default.svc.cluster.local').length, 3);
    epsCol.put(sts(4) as unknown as KObject);
    await waitFor(() => lines(w.view, 'cassandra.default.svc.cluster.local').length === 4, 'scaled answer');
    svcCol.remove('cassandra');
    // FakeCollection keys by name only; the Service delete reaches the view through the watch.
    await waitFor(() => lines(w.view, 'cassandra.default.svc.cluster.local')[0] === 'NXDOMAIN', 'NXDOMAIN after delete');
    const podLists = srv.requestsTo('/api/v1/pods');
    assert.ok(podLists.length > 0 && podLists.every((r) => r.query.get('fieldSelector') === POD_FIELD_SELECTOR));
  } finally {
    await w.stop();
    rest.close();
    await srv.close();
  }
});
