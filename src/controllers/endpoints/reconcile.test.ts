// Table tests of the Endpoints controller's pure decision and of RepackSubsets (kubernetes-semantics.md §3;
// upstream pkg/controller/endpoint/endpoints_controller_test.go, pkg/api/v1/endpoints/util_test.go).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, EndpointSubset } from '../../api/types/endpoints.ts';
import type { Pod } from '../../api/types/pod.ts';
import { pod, svc } from '../endpointslice/testing.ts';
import { desiredSubsets, MAX_CAPACITY, reconcileEndpoints, truncateSubsets, type EndpointsReconcileInput } from './reconcile.ts';
import { repackSubsets, spewEndpointPort, spewEndpointSubset } from './repack.ts';

const addr = (ip: string, uid?: string) => (uid ? { ip, targetRef: { kind: 'Pod', name: uid, uid } } : { ip });
const ips = (s: EndpointSubset | undefined, f: 'addresses' | 'notReadyAddresses' = 'addresses') => (s?.[f] ?? []).map((a) => a.ip);

describe('RepackSubsets (§3.9)', () => {
  test('addresses sort by IP as a byte string, then UID', () => {
    const out = repackSubsets([{ addresses: [addr('10.0.0.2', 'b'), addr('10.0.0.10', 'a'), addr('10.0.0.2', 'a')], ports: [{ port: 80 }] }]);
    assert.deepEqual(out[0].addresses!.map((a) => `${a.ip}/${a.targetRef?.uid}`), ['10.0.0.10/a', '10.0.0.2/a', '10.0.0.2/b']);
  });

  test('one subset per identical port set; the same address listed twice is kept once', () => {
    const out = repackSubsets([
      { addresses: [addr('1.1.1.1', 'x')], ports: [{ name: 'a', port: 80 }] },
      { addresses: [addr('1.1.1.1', 'x')], ports: [{ name: 'b', port: 81 }] },
      { addresses: [addr('2.2.2.2', 'y')], ports: [{ name: 'a', port: 80 }] },
    ]);
    assert.equal(out.length, 2);
    const both = out.find((s) => s.ports!.length === 1 && s.addresses!.length === 2)!;
    assert.deepEqual(ips(both), ['1.1.1.1', '2.2.2.2']);
    const only = out.find((s) => s.addresses!.length === 1)!;
    assert.deepEqual([ips(only), only.ports!.map((p) => p.port)], [['1.1.1.1'], [81]]);
  });

  test('"not ready" wins over "ready" for the same address and port', () => {
    const out = repackSubsets([
      { addresses: [addr('1.1.1.1', 'x')], ports: [{ port: 80 }] },
      { notReadyAddresses: [addr('1.1.1.1', 'x')], ports: [{ port: 80 }] },
    ]);
    assert.deepEqual(out, [{ notReadyAddresses: [addr('1.1.1.1', 'x')], ports: [{ port: 80 }] }]);
  });

  test('subsets without ports keep their addresses (sentinel port), with no ports field', () => {
    const out = repackSubsets([{ addresses: [addr('1.1.1.1', 'x')] }, { addresses: [addr('1.1.1.2', 'y')] }]);
    assert.deepEqual(out, [{ addresses: [addr('1.1.1.1', 'x'), addr('1.1.1.2', 'y')] }]);
  });

  test('the order does not depend on the input order (ports and subsets sort by hash)', () => {
    const a: EndpointSubset[] = [
      { addresses: [addr('1.1.1.1', 'x')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'https', port: 8443, protocol: 'TCP' }, { name: 'm', port: 9090, protocol: 'TCP' }] },
      { addresses: [addr('2.2.2.2', 'y')], ports: [{ name: 'http', port: 8081, protocol: 'TCP' }] },
      { notReadyAddresses: [addr('3.3.3.3', 'z')], ports: [{ name: 'http', port: 8082, protocol: 'TCP' }] },
    ];
    const b = [a[2], a[1], { ...a[0], ports: [...a[0].ports!].reverse() }];
    assert.deepEqual(repackSubsets(a), repackSubsets(b));
    assert.equal(repackSubsets(a).length, 3);
  });

  test('go-spew %#v rendering hashed for the order (hashutil.DeepHashObject)', () => {
    assert.equal(spewEndpointPort({ name: 'http', port: 8080, protocol: 'TCP' }), '(v1.EndpointPort){Name:(string)http Port:(int32)8080 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}');
    assert.equal(spewEndpointPort({ port: 53, protocol: 'UDP', appProtocol: 'dns' }), '(v1.EndpointPort){Name:(string) Port:(int32)53 Protocol:(v1.Protocol)UDP AppProtocol:(*string)dns}');
    assert.equal(
      spewEndpointSubset({ addresses: [{ ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u' } }], ports: [{ port: 80, protocol: 'TCP' }] }),
      '(v1.EndpointSubset){Addresses:([]v1.EndpointAddress)[{IP:(string)10.0.0.1 Hostname:(string) NodeName:(*string)n1 TargetRef:(*v1.ObjectReference){Kind:(string)Pod Namespace:(string)default Name:(string)p UID:(types.UID)u APIVersion:(string) ResourceVersion:(string) FieldPath:(string)}}] ' +
      'NotReadyAddresses:([]v1.EndpointAddress)<nil> Ports:([]v1.EndpointPort)[{Name:(string) Port:(int32)80 Protocol:(v1.Protocol)TCP AppProtocol:(*string)<nil>}]}',
    );
  });
});

function run(o: Partial<EndpointsReconcileInput>) {
  return reconcileEndpoints({ service: 'service' in o ? o.service : svc(), pods: o.pods ?? [], current: o.current, triggerTime: o.triggerTime ?? '' });
}

function written(o: Partial<EndpointsReconcileInput>): Endpoints {
  const d = run(o);
  assert.ok(d.action === 'create' || d.action === 'update', `expected a write, got ${JSON.stringify(d)}`);
  return d.endpoints;
}

/** The Endpoints as the server would return it after our write. */
function stored(e: Endpoints, rv = '7'): Endpoints {
  return { ...structuredClone(e), metadata: { ...structuredClone(e.metadata), resourceVersion: rv, uid: 'ep-uid' } };
}

describe('Endpoints reconcile: which Services (§3.1, §3.2)', () => {
  test('Service gone: delete the Endpoints', () => {
    assert.deepEqual(run({ service: undefined, current: stored({ metadata: { name: 'web', namespace: 'default' } }) }), { action: 'delete' });
  });
  test('Service gone but the Endpoints is a leader-election record: kept', () => {
    const cur = stored({ metadata: { name: 'lock', namespace: 'default', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } } });
    assert.deepEqual(run({ service: undefined, current: cur }), { action: 'none', reason: 'LeaderElection' });
  });
  test('ExternalName: left alone', () => {
    assert.deepEqual(run({ service: svc({ type: 'ExternalName' }) }), { action: 'none', reason: 'ExternalName' });
  });
  test('selectorless Service: hand-written Endpoints left untouched', () => {
    const cur = stored({ metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.50' }], ports: [{ port: 5432 }] }] });
    assert.deepEqual(run({ service: svc({ selector: null }), current: cur }), { action: 'none', reason: 'NoSelector' });
  });
  test('a selector Service with no pods: the Endpoints exists, with no subsets (§3.11)', () => {
    const e = written({});
    assert.deepEqual(e, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' } });
  });
});

describe('Endpoints reconcile: addresses (§3.4–§3.8)', () => {
  test('ready pods in addresses, unready ones in notReadyAddresses, with nodeName and targetRef', () => {
    const e = written({ pods: [pod('p1'), pod('p2', { ready: false })] });
    assert.deepEqual(e.subsets, [{
      addresses: [{ ip: '10.244.0.11', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-p1' } }],
      notReadyAddresses: [{ ip: '10.244.0.12', nodeName: 'node-a', targetRef: { kind: 'Pod', namespace: 'default', name: 'p2', uid: 'uid-p2' } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }]);
  });

  const inclusion: Array<[string, Parameters<typeof pod>[1], Parameters<typeof svc>[0], 'ready' | 'notReady' | 'absent']> = [
    ['terminating ready pod: gone at once (unlike slices)', { deleting: true }, {}, 'absent'],
    ['terminating pod with publishNotReadyAddresses: published as ready', { deleting: true }, { publishNotReadyAddresses: true }, 'ready'],
    ['unready pod with publishNotReadyAddresses: ready', { ready: false }, { publishNotReadyAddresses: true }, 'ready'],
    ['unready pod with the legacy tolerate-unready-endpoints annotation: ready (kubedisco alias)', { ready: false }, { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } }, 'ready'],
    ['Succeeded pod: absent', { phase: 'Succeeded' }, {}, 'absent'],
    ['Failed pod: absent', { phase: 'Failed' }, {}, 'absent'],
    ['pod without IP: absent', { ip: null }, {}, 'absent'],
    ['Pending unready pod with an IP: not ready', { phase: 'Pending', ready: false }, {}, 'notReady'],
    ['pod whose named targetPort does not resolve: absent', { ports: [{ name: 'other', containerPort: 1 }] }, { ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] }, 'absent'],
  ];
  for (const [name, po, so, want] of inclusion) {
    test(name, () => {
      const e = written({ service: svc(so), pods: [pod('p1', po)] });
      const s = e.subsets?.[0];
      const got = s?.addresses?.length ? 'ready' : s?.notReadyAddresses?.length ? 'notReady' : 'absent';
      assert.equal(got, want);
    });
  }

  test('hostname only when spec.hostname is set and spec.subdomain is the Service name', () => {
    const e = written({ pods: [pod('p1', { hostname: 'h1', subdomain: 'web' }), pod('p2', { hostname: 'h2', subdomain: 'nope' })] });
    assert.deepEqual(e.subsets![0].addresses!.map((a) => a.hostname), ['h1', undefined]);
  });

  test('nodeName is written even when empty', () => {
    const e = written({ pods: [pod('p1', { node: '' })] });
    assert.equal(e.subsets![0].addresses![0].nodeName, '');
  });

  test('named targetPort resolving differently: one subset per port number', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const e = written({ service: s, pods: [
      pod('p1', { ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }),
      pod('p2', { ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }] }),
    ] });
    assert.deepEqual(e.subsets!.map((x) => [ips(x), x.ports!.map((p) => p.port)]).sort(), [[['10.244.0.11'], [8080]], [['10.244.0.12'], [9090]]]);
  });

  test('unnamed Service port: the EndpointPort has no name', () => {
    const e = written({ service: svc({ ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] }), pods: [pod('p1')] });
    assert.deepEqual(e.subsets![0].ports, [{ port: 5432, protocol: 'TCP' }]);
  });

  test('headless Service with no ports: addresses in a subset without ports', () => {
    const e = written({ service: svc({ clusterIP: 'None', ports: [] }), pods: [pod('p1')] });
    assert.deepEqual(e.subsets!.map((s) => [ips(s), s.ports]), [[['10.244.0.11'], undefined]]);
  });

  test('a non-headless Service with no ports publishes nothing', () => {
    assert.equal(written({ service: svc({ ports: [] }), pods: [pod('p1')] }).subsets, undefined);
  });

  test('the address is the pod IP of the Service family (ipFamilies[0])', () => {
    const e = written({ service: svc({ ipFamilies: ['IPv6', 'IPv4'] }), pods: [pod('p1', { ip: ['10.244.0.5', 'fd00::5'] }), pod('p2', { ip: ['10.244.0.6'] })] });
    assert.deepEqual(ips(e.subsets![0]), ['fd00::5']);
  });

  test('addresses sorted by IP as bytes: 10.244.0.10 before 10.244.0.9', () => {
    const e = written({ pods: [pod('p9', { ip: '10.244.0.9' }), pod('p10', { ip: '10.244.0.10' })] });
    assert.deepEqual(ips(e.subsets![0]), ['10.244.0.10', '10.244.0.9']);
  });
});

describe('Endpoints reconcile: the object and when it is written (§3.10)', () => {
  test('labels: the Service labels plus service.kubernetes.io/headless for a headless Service', () => {
    assert.deepEqual(written({ service: svc({ clusterIP: 'None', labels: { app: 'web' } }) }).metadata.labels, { app: 'web', 'service.kubernetes.io/headless': '' });
    const cur = stored({ metadata: { name: 'web', namespace: 'default', labels: { app: 'web', 'service.kubernetes.io/headless': '' } } });
    // The headless label is left out of the comparison (clusterIP is immutable); when something else is
    // written, the label follows the Service.
    assert.deepEqual(run({ service: svc({ labels: { app: 'web' } }), current: cur }), { action: 'none', reason: 'Unchanged' });
    assert.deepEqual(written({ service: svc({ labels: { app: 'web' } }), current: cur, pods: [pod('p1')] }).metadata.labels, { app: 'web' });
  });

  test('nothing changed (targetRef.resourceVersion aside): no write', () => {
    const first = stored(written({ service: svc({ clusterIP: 'None', labels: { a: 'b' } }), pods: [pod('p1'), pod('p2')] }));
    first.subsets![0].addresses![0].targetRef!.resourceVersion = '99';
    assert.deepEqual(run({ service: svc({ clusterIP: 'None', labels: { a: 'b' } }), pods: [pod('p2'), pod('p1')], current: first }), { action: 'none', reason: 'Unchanged' });
  });

  test('only the Service labels changed: update keeps the object (uid, other annotations)', () => {
    const cur = stored(written({ pods: [pod('p1')] }));
    cur.metadata.annotations = { mine: 'x' };
    const d = run({ service: svc({ labels: { v: '2' } }), pods: [pod('p1')], current: cur });
    assert.equal(d.action, 'update');
    if (d.action !== 'update') return;
    assert.equal(d.endpoints.metadata.uid, 'ep-uid');
    assert.equal(d.endpoints.metadata.resourceVersion, '7');
    assert.deepEqual(d.endpoints.metadata.annotations, { mine: 'x' });
    assert.deepEqual(d.endpoints.metadata.labels, { v: '2' });
  });

  test('the last pod goes: update to no subsets', () => {
    const cur = stored(written({ pods: [pod('p1')] }));
    const d = run({ pods: [], current: cur });
    assert.equal(d.action, 'update');
    if (d.action === 'update') assert.equal(d.endpoints.subsets, undefined);
  });

  test('trigger time: set when given, removed otherwise', () => {
    assert.equal(written({ triggerTime: '2026-01-01T00:00:00Z' }).metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:00Z');
    const cur = stored(written({ triggerTime: '2026-01-01T00:00:00Z' }));
    const e = written({ current: cur, pods: [pod('p1')] });
    assert.equal(e.metadata.annotations, undefined);
  });
});

describe('Endpoints reconcile: over capacity (§3.10 maxCapacity 1000)', () => {
  const many = (n: number, o: Parameters<typeof pod>[1] = {}, from = 0): Pod[] =>
    Array.from({ length: n }, (_, i) => pod(`p${from + i}`, { ip: `10.${(from + i) >> 16 & 255}.${(from + i) >> 8 & 255}.${(from + i) & 255}`, ...o }));

  test('1,001 ready pods: 1,000 addresses and over-capacity: truncated', () => {
    const e = written({ pods: many(1001) });
    assert.equal(e.subsets![0].addresses!.length, MAX_CAPACITY);
    assert.equal(e.metadata.annotations!['endpoints.kubernetes.io/over-capacity'], 'truncated');
  });

  test('exactly 1,000: no annotation', () => {
    const e = written({ pods: many(1000) });
    assert.equal(e.subsets![0].addresses!.length, 1000);
    assert.equal(e.metadata.annotations, undefined);
  });

  test('still over capacity and nothing changed: no rewrite', () => {
    const pods = many(1100);
    const cur = stored(written({ pods }));
    assert.deepEqual(run({ pods, current: cur }), { action: 'none', reason: 'Unchanged' });
  });

  test('back under capacity: the annotation is removed', () => {
    const cur = stored(written({ pods: many(1001) }));
    const e = written({ pods: many(999), current: cur });
    assert.equal(e.metadata.annotations?.['endpoints.kubernetes.io/over-capacity'], undefined);
    assert.equal(e.subsets![0].addresses!.length, 999);
  });

  test('ready addresses are kept first: 900 ready + 300 not ready → 900 + 100', () => {
    const e = written({ pods: [...many(900), ...many(300, { ready: false }, 900)] });
    assert.equal(e.subsets![0].addresses!.length, 900);
    assert.equal(e.subsets![0].notReadyAddresses!.length, 100);
  });

  test('truncation is proportional across subsets, rounded up (600 + 600 ready → 500 + 500)', () => {
    const s = (n: number, port: number, from: number): EndpointSubset => ({ addresses: Array.from({ length: n }, (_, i) => ({ ip: `10.0.${(from + i) >> 8}.${(from + i) & 255}` })), ports: [{ port }] });
    const { subsets, truncated } = truncateSubsets([s(600, 80, 0), s(600, 81, 600)]);
    assert.equal(truncated, true);
    assert.deepEqual(subsets.map((x) => x.addresses!.length), [500, 500]);
    const r = truncateSubsets([s(700, 80, 0), s(401, 81, 700)]);
    assert.deepEqual(r.subsets.map((x) => x.addresses!.length), [636, 364]);
  });
});

describe('desiredSubsets counts', () => {
  test('ready and not-ready counts per (pod, port)', () => {
    const s = svc({ ports: [{ name: 'a', port: 1, targetPort: 1, protocol: 'TCP' }, { name: 'b', port: 2, targetPort: 2, protocol: 'TCP' }] });
    const r = desiredSubsets(s, [pod('p1'), pod('p2', { ready: false })]);
    assert.deepEqual([r.ready, r.notReady], [2, 2]);
  });
});
