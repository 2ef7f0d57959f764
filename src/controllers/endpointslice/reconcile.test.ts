// Table tests of the EndpointSlice controller's pure decision (kubernetes-semantics.md §4.1; upstream
// staging/src/k8s.io/endpointslice/reconciler_test.go and pkg/controller/endpointslice tests).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Pod } from '../../api/types/pod.ts';
import { reconcileEndpointSlices, sameContent, type EndpointSliceReconcileInput, type EndpointSliceReconcileResult } from './reconcile.ts';
import { ep, node, nodeLookup, pod, slice, svc } from './testing.ts';

const NODES = nodeLookup(node('node-a', 'zone-a'), node('node-b'));

function run(o: Partial<EndpointSliceReconcileInput>): EndpointSliceReconcileResult {
  return reconcileEndpointSlices({ service: o.service ?? svc(), pods: o.pods ?? [], node: o.node ?? NODES, existingSlices: o.existingSlices ?? [], ...o });
}

/** The shape of a result: pod names per written slice, deleted slice names. */
function shape(r: EndpointSliceReconcileResult) {
  const names = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => e.targetRef?.name ?? e.addresses[0]);
  return {
    create: r.create.map((s) => ({ type: s.addressType, ports: (s.ports ?? []).map((p) => p.port), eps: names(s) })),
    update: r.update.map((s) => ({ name: s.metadata.name, eps: names(s) })),
    delete: r.delete.map((s) => s.metadata.name),
  };
}

const pods = (n: number, from = 0, o: Parameters<typeof pod>[1] = {}) => Array.from({ length: n }, (_, i) => pod(`p${String(from + i).padStart(3, '0')}`, { ip: `10.244.${Math.floor((from + i) / 200)}.${((from + i) % 200) + 2}`, ...o }));
const epsOf = (ps: Pod[]) => ps.map((p) => ({ ...ep(p.metadata.name!, { ip: p.status!.podIP!, zone: 'zone-a' }) }));

describe('EndpointSlice reconcile: which Services get slices (§4.1)', () => {
  const cases: Array<[string, Partial<EndpointSliceReconcileInput>, EndpointSliceReconcileResult['skipped']]> = [
    ['type ExternalName: nothing managed (issues.k8s.io/105986)', { service: svc({ type: 'ExternalName' }) }, 'ExternalName'],
    ['no selector: manual/mirrored slices untouched', { service: svc({ selector: null }), existingSlices: [slice('web-abc', [])] }, 'NoSelector'],
    ['an empty selector counts as none (a real API server stores {} as nil)', { service: svc({ selector: {} }) }, 'NoSelector'],
    ['a selector: reconciled', {}, undefined],
  ];
  for (const [name, input, skipped] of cases) {
    test(name, () => {
      const r = run(input);
      assert.equal(r.skipped, skipped);
      if (skipped) assert.deepEqual([r.create.length, r.update.length, r.delete.length], [0, 0, 0]);
    });
  }
});

describe('EndpointSlice reconcile: the slice written (§4.1 Metadata, Endpoint, Ports)', () => {
  test('placeholder: a selector Service without endpoints gets exactly one slice with endpoints and ports null', () => {
    const r = run({ service: svc({ labels: { app: 'web', tier: 'fe' } }) });
    assert.equal(r.create.length, 1);
    const s = r.create[0];
    assert.equal(s.endpoints, null);
    assert.equal(s.ports, null);
    assert.equal(s.addressType, 'IPv4');
    assert.equal(s.metadata.generateName, 'web-');
    assert.equal(s.metadata.namespace, 'default');
    assert.deepEqual(s.metadata.labels, { app: 'web', tier: 'fe', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }]);
  });

  test('placeholder already there: nothing to write', () => {
    const r = run({ existingSlices: [slice('web-abcde', null, { ports: null })] });
    assert.deepEqual(shape(r), { create: [], update: [], delete: [] });
  });

  test('placeholder whose labels are stale: rewritten in place (create turned into an update)', () => {
    const r = run({ service: svc({ labels: { team: 'x' } }), existingSlices: [slice('web-abcde', null, { ports: null })] });
    assert.deepEqual(shape(r), { create: [], update: [{ name: 'web-abcde', eps: [] }], delete: [] });
    assert.equal(r.update[0].metadata.labels!.team, 'x');
  });

  test('three ready pods replace the placeholder in place: one update, no create or delete', () => {
    const ps = pods(3);
    const r = run({ pods: ps, existingSlices: [slice('web-abcde', null, { ports: null, rv: '33' })] });
    assert.deepEqual(shape(r), { create: [], update: [{ name: 'web-abcde', eps: ['p000', 'p001', 'p002'] }], delete: [] });
    assert.equal(r.update[0].metadata.resourceVersion, '33');
    assert.deepEqual(r.update[0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  test('endpoint fields: addresses, conditions, targetRef without resourceVersion, nodeName, zone from the Node label', () => {
    const r = run({ pods: [pod('p1', { ip: '10.244.1.5' })] });
    assert.deepEqual(r.create[0].endpoints, [{
      addresses: ['10.244.1.5'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'p1', uid: 'uid-p1' },
      nodeName: 'node-a',
      zone: 'zone-a',
    }]);
  });

  test('a Node without the zone label: no zone', () => {
    const r = run({ pods: [pod('p1', { node: 'node-b' })] });
    assert.equal(r.create[0].endpoints![0].zone, undefined);
    assert.equal(r.create[0].endpoints![0].nodeName, 'node-b');
  });

  const conditionCases: Array<[string, Parameters<typeof pod>[1], Parameters<typeof svc>[0], { ready: boolean; serving: boolean; terminating: boolean }]> = [
    ['ready pod: ready, serving', {}, {}, { ready: true, serving: true, terminating: false }],
    ['unready pod: not ready, not serving', { ready: false }, {}, { ready: false, serving: false, terminating: false }],
    ['terminating ready pod stays, serving but not ready', { deleting: true }, {}, { ready: false, serving: true, terminating: true }],
    ['publishNotReadyAddresses: an unready pod is ready', { ready: false }, { publishNotReadyAddresses: true }, { ready: true, serving: false, terminating: false }],
    ['publishNotReadyAddresses: a terminating pod is ready', { deleting: true }, { publishNotReadyAddresses: true }, { ready: true, serving: true, terminating: true }],
    ['legacy tolerate-unready-endpoints "true" is an alias of publishNotReadyAddresses', { ready: false }, { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } }, { ready: true, serving: false, terminating: false }],
    ['legacy annotation "false": no effect', { ready: false }, { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'false' } }, { ready: false, serving: false, terminating: false }],
  ];
  for (const [name, po, so, want] of conditionCases) {
    test(`conditions: ${name}`, () => {
      const r = run({ service: svc(so), pods: [pod('p1', po)] });
      assert.deepEqual(r.create[0].endpoints![0].conditions, want);
    });
  }

  const inclusionCases: Array<[string, Parameters<typeof pod>[1], boolean]> = [
    ['Succeeded pod left out', { phase: 'Succeeded' }, false],
    ['Failed pod left out', { phase: 'Failed' }, false],
    ['pod without an IP left out', { ip: null }, false],
    ['Pending pod with an IP included (phase is not checked)', { phase: 'Pending', ready: false }, true],
  ];
  for (const [name, po, included] of inclusionCases) {
    test(`inclusion (ShouldPodBeInEndpoints(pod, true)): ${name}`, () => {
      const r = run({ pods: [pod('p1', po)] });
      assert.equal((r.create[0].endpoints ?? []).length, included ? 1 : 0);
    });
  }

  const hostnameCases: Array<[string, Parameters<typeof pod>[1], string | undefined]> = [
    ['hostname and subdomain = service name', { hostname: 'web-0', subdomain: 'web' }, 'web-0'],
    ['subdomain names another Service', { hostname: 'web-0', subdomain: 'other' }, undefined],
    ['no hostname', { subdomain: 'web' }, undefined],
    ['pod in another namespace than the Service', { hostname: 'web-0', subdomain: 'web', namespace: 'other' }, undefined],
  ];
  for (const [name, po, want] of hostnameCases) {
    test(`hostname (ShouldSetHostname): ${name}`, () => {
      const r = run({ pods: [pod('p1', po)] });
      assert.equal(r.create[0].endpoints![0].hostname, want);
    });
  }

  test('pod on a Node missing from the cache: skipped and reported (the sync retries)', () => {
    const r = run({ pods: [pod('p1'), pod('p2', { node: 'gone' })] });
    assert.deepEqual(shape(r).create, [{ type: 'IPv4', ports: [8080], eps: ['p1'] }]);
    assert.deepEqual(r.missingNodes, [{ pod: 'p2', node: 'gone' }]);
  });

  test('pod on a missing Node with publishNotReadyAddresses: included without zone', () => {
    const r = run({ service: svc({ publishNotReadyAddresses: true }), pods: [pod('p1', { node: 'gone' })] });
    assert.deepEqual(r.missingNodes, []);
    assert.equal(r.create[0].endpoints![0].nodeName, 'gone');
    assert.equal(r.create[0].endpoints![0].zone, undefined);
  });

  test('unnamed Service port: ports[].name is "" (kubectl describe svc dereferences it)', () => {
    const r = run({ service: svc({ ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] }), pods: [pod('p1')] });
    assert.deepEqual(r.create[0].ports, [{ name: '', port: 5432, protocol: 'TCP' }]);
  });

  test('appProtocol is copied from the Service port', () => {
    const r = run({ service: svc({ ports: [{ name: 'grpc', port: 9000, targetPort: 9000, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }] }), pods: [pod('p1')] });
    assert.deepEqual(r.create[0].ports, [{ name: 'grpc', port: 9000, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' }]);
  });

  test('named targetPort resolved per pod: pods resolving differently land in different slices', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
    const r = run({
      service: s,
      pods: [
        pod('p1', { ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }),
        pod('p2', { ports: [{ name: 'web', containerPort: 9090, protocol: 'TCP' }] }),
        pod('p3', { ports: [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] }),
        pod('p4', { ports: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }),
      ],
    });
    assert.deepEqual(shape(r).create.sort((a, b) => a.eps[0].localeCompare(b.eps[0])), [
      { type: 'IPv4', ports: [8080], eps: ['p1', 'p3'] },
      { type: 'IPv4', ports: [9090], eps: ['p2'] },
      { type: 'IPv4', ports: [], eps: ['p4'] },
    ]);
  });

  test('headless Service without ports: endpoints in a slice with ports null, headless label', () => {
    const r = run({ service: svc({ clusterIP: 'None', ports: [] }), pods: [pod('p1')] });
    assert.equal(r.create.length, 1);
    assert.equal(r.create[0].ports, null);
    assert.equal(r.create[0].endpoints!.length, 1);
    assert.equal(r.create[0].metadata.labels!['service.kubernetes.io/headless'], '');
  });

  test('Service labels are copied minus the reserved ones', () => {
    const r = run({ service: svc({ labels: { app: 'web', 'kubernetes.io/service-name': 'evil', 'endpointslice.kubernetes.io/managed-by': 'me', 'service.kubernetes.io/headless': 'x' } }), pods: [pod('p1')] });
    assert.deepEqual(r.create[0].metadata.labels, { app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  });

  test('dual stack (ipFamilies IPv4, IPv6): one slice set per address family', () => {
    const r = run({ service: svc({ ipFamilies: ['IPv4', 'IPv6'] }), pods: [pod('p1', { ip: ['10.244.0.5', 'fd00::5'] }), pod('p2', { ip: ['10.244.0.6'] })] });
    assert.deepEqual(shape(r).create, [
      { type: 'IPv4', ports: [8080], eps: ['p1', 'p2'] },
      { type: 'IPv6', ports: [8080], eps: ['p1'] },
    ]);
    assert.deepEqual(r.create[1].endpoints![0].addresses, ['fd00::5']);
  });

  test('an IPv6-only Service with IPv4 pods: an IPv6 placeholder', () => {
    const r = run({ service: svc({ ipFamilies: ['IPv6'] }), pods: [pod('p1')] });
    assert.deepEqual(shape(r).create, [{ type: 'IPv6', ports: [], eps: [] }]);
  });

  test('slices of an address type the Service no longer has are deleted', () => {
    const r = run({ pods: [pod('p1')], existingSlices: [slice('web-v6', [ep('p1', { ip: 'fd00::1' })], { addressType: 'IPv6' }), slice('web-v4', [ep('p1', { zone: 'zone-a' })])] });
    assert.deepEqual(shape(r), { create: [], update: [], delete: ['web-v6'] });
  });

  test('slices labelled for the Service but owned by another (an older Service of the same name): deleted', () => {
    const r = run({ pods: [pod('p1')], existingSlices: [slice('web-old', [ep('p1', { zone: 'zone-a' })], { ownerUid: 'old-uid' })] });
    assert.deepEqual(shape(r), { create: [{ type: 'IPv4', ports: [8080], eps: ['p1'] }], update: [], delete: ['web-old'] });
  });

  test('trigger time: set on every slice written, removed when there is none', () => {
    const r = run({ pods: [pod('p1')], triggerTime: '2026-01-01T00:01:00Z' });
    assert.equal(r.create[0].metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:01:00Z');
    const prev = slice('web-a', [ep('p1', { zone: 'zone-a', ready: false })]);
    prev.metadata.annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' };
    const r2 = run({ pods: [pod('p1')], existingSlices: [prev], triggerTime: '' });
    assert.equal(r2.update[0].metadata.annotations, undefined);
  });

  test('a Service being deleted gets no new slices (the garbage collector would race them)', () => {
    const r = run({ service: svc({ deletionTimestamp: '2026-01-01T00:05:00Z' }), pods: [pod('p1')] });
    assert.deepEqual(r.create, []);
  });
});

describe('EndpointSlice reconcile: packing and minimal churn (§4.1 Packing)', () => {
  test('at most maxEndpointsPerSlice endpoints per slice (250 pods, max 100 → 100, 100, 50)', () => {
    const r = run({ pods: pods(250) });
    assert.deepEqual(r.create.map((s) => s.endpoints!.length), [100, 100, 50]);
    assert.equal(new Set(r.create.flatMap((s) => s.endpoints!.map((e) => e.targetRef!.name))).size, 250);
  });

  test('maxEndpointsPerSlice is configurable', () => {
    const r = run({ pods: pods(5), maxEndpointsPerSlice: 2 });
    assert.deepEqual(r.create.map((s) => s.endpoints!.length), [2, 2, 1]);
  });

  test('nothing changed: no write at all', () => {
    const ps = pods(150);
    const r = run({ pods: ps, existingSlices: [slice('web-a', epsOf(ps.slice(0, 100))), slice('web-b', epsOf(ps.slice(100)))] });
    assert.deepEqual(shape(r), { create: [], update: [], delete: [] });
  });

  test('one pod turns unready: only the slice holding it is updated, in place', () => {
    const ps = pods(150);
    const existing = [slice('web-a', epsOf(ps.slice(0, 100))), slice('web-b', epsOf(ps.slice(100)))];
    ps[120] = pod(ps[120].metadata.name!, { ip: ps[120].status!.podIP!, ready: false });
    const r = run({ pods: ps, existingSlices: existing });
    assert.equal(r.update.length, 1);
    assert.equal(r.update[0].metadata.name, 'web-b');
    assert.equal(r.update[0].endpoints!.length, 50);
    assert.deepEqual(r.update[0].endpoints![20].conditions, { ready: false, serving: false, terminating: false });
    assert.deepEqual([r.create.length, r.delete.length], [0, 0]);
  });

  test('removed endpoints are dropped; a slice left empty is deleted', () => {
    const ps = pods(150);
    const existing = [slice('web-a', epsOf(ps.slice(0, 100))), slice('web-b', epsOf(ps.slice(100)))];
    const r = run({ pods: ps.slice(0, 99), existingSlices: existing });
    assert.deepEqual(shape(r).delete, ['web-b']);
    assert.deepEqual(shape(r).update.map((u) => [u.name, u.eps.length]), [['web-a', 99]]);
  });

  test('new endpoints fill the slices already being updated, fullest first', () => {
    const ps = pods(180);
    const existing = [slice('web-a', epsOf(ps.slice(0, 60))), slice('web-b', epsOf(ps.slice(60, 150)))];
    // p000 and p060 go away (both slices get updated: 59 and 89 left); 30 new pods arrive.
    const now = [...ps.slice(1, 60), ...ps.slice(61, 150), ...ps.slice(150)];
    const r = run({ pods: now, existingSlices: existing });
    const sizes = Object.fromEntries(r.update.map((s) => [s.metadata.name, s.endpoints!.length]));
    assert.deepEqual(sizes, { 'web-a': 78, 'web-b': 100 }, 'web-b (89) is filled to 100 first, the 19 left go to web-a');
    assert.deepEqual([r.create.length, r.delete.length], [0, 0]);
  });

  test('leftovers go to the untouched slice they fit best (closest fit), not a new slice', () => {
    const ps = pods(200);
    const existing = [slice('web-a', epsOf(ps.slice(0, 50))), slice('web-b', epsOf(ps.slice(50, 140))), slice('web-c', epsOf(ps.slice(140, 170)))];
    const r = run({ pods: [...ps.slice(0, 170), ...ps.slice(170, 178)], existingSlices: existing });
    assert.deepEqual(shape(r).update.map((u) => [u.name, u.eps.length]), [['web-b', 98]], '8 new endpoints fit web-b (90) exactly best');
    assert.deepEqual([r.create.length, r.delete.length], [0, 0]);
  });

  test('leftovers that fit nowhere go to new slices', () => {
    const ps = pods(300);
    const existing = [slice('web-a', epsOf(ps.slice(0, 100)))];
    const r = run({ pods: ps, existingSlices: existing });
    assert.deepEqual(r.create.map((s) => s.endpoints!.length), [100, 100]);
    assert.deepEqual([r.update.length, r.delete.length], [0, 0]);
  });

  test('creates are turned into updates of slices about to be deleted (targetPort changed: new port map)', () => {
    const ps = pods(3);
    const existing = [slice('web-a', epsOf(ps), { rv: '40' })];
    const r = run({ service: svc({ ports: [{ name: 'http', port: 80, targetPort: 9090, protocol: 'TCP' }] }), pods: ps, existingSlices: existing });
    assert.deepEqual(shape(r), { create: [], update: [{ name: 'web-a', eps: ['p000', 'p001', 'p002'] }], delete: [] });
    assert.deepEqual(r.update[0].ports, [{ name: 'http', port: 9090, protocol: 'TCP' }]);
    assert.equal(r.update[0].metadata.resourceVersion, '40');
    assert.equal(r.update[0].metadata.generateName, undefined);
  });

  test('the last pod goes: the slice becomes the placeholder in place', () => {
    const r = run({ pods: [], existingSlices: [slice('web-a', epsOf(pods(1)))] });
    assert.deepEqual(shape(r), { create: [], update: [{ name: 'web-a', eps: [] }], delete: [] });
    assert.equal(r.update[0].endpoints, null);
    assert.equal(r.update[0].ports, null);
  });

  test('Service labels changed: every slice is updated with the new labels, endpoints untouched', () => {
    const ps = pods(2);
    const r = run({ service: svc({ labels: { v: '2' } }), pods: ps, existingSlices: [slice('web-a', epsOf(ps))] });
    assert.deepEqual(shape(r).update, [{ name: 'web-a', eps: ['p000', 'p001'] }]);
    assert.equal(r.update[0].metadata.labels!.v, '2');
  });
});

describe('sameContent: never write a slice that did not change', () => {
  test('only the trigger time differs: same content', () => {
    const a = slice('a', [ep('p1')]);
    const b = { ...a, metadata: { ...a.metadata, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': 'x' } } };
    assert.equal(sameContent(a, b), true);
  });
  test('key order and [] vs null do not matter; a condition does', () => {
    const a = slice('a', [ep('p1')], { ports: [] });
    const b = slice('a', [{ targetRef: ep('p1').targetRef, nodeName: 'node-a', conditions: { terminating: false, serving: true, ready: true }, addresses: ['10.244.0.11'] }], { ports: null });
    assert.equal(sameContent(a, b), true);
    assert.equal(sameContent(a, slice('a', [ep('p1', { ready: false })], { ports: [] })), false);
  });
});
