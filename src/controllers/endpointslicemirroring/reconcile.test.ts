// Table tests of the mirroring decision (kubernetes-semantics.md §4.2; upstream
// pkg/controller/endpointslicemirroring/reconciler_test.go).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../../api/types/endpoints.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import { svc } from '../endpointslice/testing.ts';
import { reconcileMirroring, type MirroringReconcileInput } from './reconcile.ts';

/** Seed 001's external-db Endpoints, as the API server stores it (protocol defaulted). */
function externalDB(o: Partial<Endpoints['metadata']> = {}, subsets?: Endpoints['subsets']): Endpoints {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'external-db', namespace: 'default', uid: 'ep-uid', resourceVersion: '5', ...o },
    subsets: subsets ?? [{ addresses: [{ ip: '10.0.0.50' }, { ip: '10.0.0.51' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
  };
}

const selectorless = () => svc({ name: 'external-db', selector: null, clusterIP: 'None', ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] });

function run(o: Partial<MirroringReconcileInput>) {
  return reconcileMirroring({ service: 'service' in o ? o.service : selectorless(), endpoints: 'endpoints' in o ? o.endpoints : externalDB(), existingSlices: o.existingSlices ?? [], maxEndpointsPerSubset: o.maxEndpointsPerSubset });
}

/** The slice a previous run would have stored. */
function stored(s: EndpointSlice, name: string, rv = '9'): EndpointSlice {
  const c = structuredClone(s);
  delete c.metadata.generateName;
  return { ...c, metadata: { ...c.metadata, name, resourceVersion: rv, uid: `uid-${name}` } };
}

const ips = (s: EndpointSlice) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}${e.conditions?.ready ? '' : ' (not ready)'}`);

describe('mirroring: when (§4.2)', () => {
  const old = () => [stored(run({}).create[0], 'external-db-abcde')];
  const cases: Array<[string, Partial<MirroringReconcileInput>, string]> = [
    ['no Service of that name: mirrored slices deleted', { service: undefined }, 'ServiceMissing'],
    ['the Service gained a selector: mirrored slices deleted', { service: svc({ name: 'external-db' }) }, 'ServiceHasSelector'],
    ['the Endpoints was deleted: mirrored slices deleted', { endpoints: undefined }, 'EndpointsMissing'],
    ['endpointslice.kubernetes.io/skip-mirror: "true"', { endpoints: externalDB({ labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }) }, 'SkipMirror'],
    ['a leader-election record', { endpoints: externalDB({ annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } }) }, 'LeaderElection'],
  ];
  for (const [name, input, why] of cases) {
    test(name, () => {
      const r = run({ ...input, existingSlices: old() });
      assert.equal(r.notMirrored, why);
      assert.deepEqual(r.delete.map((s) => s.metadata.name), ['external-db-abcde']);
      assert.deepEqual([r.create.length, r.update.length], [0, 0]);
    });
  }
});

describe('mirroring: the slices (§4.2)', () => {
  test('seed 001 external-db: one slice, managed-by mirroring, owned by the Endpoints, ready endpoints, unnamed port', () => {
    const r = run({});
    assert.equal(r.notMirrored, undefined);
    assert.equal(r.create.length, 1);
    const s = r.create[0];
    assert.deepEqual(s, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        namespace: 'default',
        generateName: 'external-db-',
        labels: { 'kubernetes.io/service-name': 'external-db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Endpoints', name: 'external-db', uid: 'ep-uid', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.50'], conditions: { ready: true } }, { addresses: ['10.0.0.51'], conditions: { ready: true } }],
      ports: [{ name: '', port: 5432, protocol: 'TCP' }],
    });
    assert.deepEqual(r.events, []);
  });

  test('notReadyAddresses are mirrored with ready: false (PR #102683); serving/terminating unset', () => {
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50' }], notReadyAddresses: [{ ip: '10.0.0.52' }], ports: [{ port: 5432, protocol: 'TCP' }] }]) });
    assert.deepEqual(ips(r.create[0]), ['10.0.0.50', '10.0.0.52 (not ready)']);
    assert.deepEqual(r.create[0].endpoints![1].conditions, { ready: false });
  });

  test('nodeName, hostname and targetRef are copied', () => {
    const ref = { kind: 'Pod', namespace: 'default', name: 'db-0', uid: 'u0' };
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50', hostname: 'db-0', nodeName: 'n1', targetRef: ref }], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }]) });
    assert.deepEqual(r.create[0].endpoints![0], { addresses: ['10.0.0.50'], conditions: { ready: true }, hostname: 'db-0', targetRef: ref, nodeName: 'n1' });
    assert.deepEqual(r.create[0].ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  });

  test('labels copied; annotations copied except trigger time and last-applied-configuration', () => {
    const r = run({ endpoints: externalDB({
      labels: { team: 'db' },
      annotations: { note: 'x', 'endpoints.kubernetes.io/last-change-trigger-time': 't', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    }) });
    assert.deepEqual(r.create[0].metadata.labels, { team: 'db', 'kubernetes.io/service-name': 'external-db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    assert.deepEqual(r.create[0].metadata.annotations, { note: 'x' });
  });

  test('already mirrored and unchanged: no write', () => {
    const ep = externalDB({ labels: { team: 'db' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } });
    const r0 = run({ endpoints: ep });
    const r = run({ endpoints: ep, existingSlices: [stored(r0.create[0], 'external-db-abcde')] });
    assert.deepEqual([r.create.length, r.update.length, r.delete.length], [0, 0, 0]);
  });

  test('an address added: the slice is updated in place', () => {
    const existing = [stored(run({}).create[0], 'external-db-abcde', '33')];
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50' }, { ip: '10.0.0.51' }, { ip: '10.0.0.53' }], ports: [{ port: 5432, protocol: 'TCP' }] }]), existingSlices: existing });
    assert.deepEqual(r.update.map((s) => [s.metadata.name, s.metadata.resourceVersion, ips(s)]), [['external-db-abcde', '33', ['10.0.0.50', '10.0.0.51', '10.0.0.53']]]);
  });

  test('an Endpoints label changed: the slice is updated', () => {
    const existing = [stored(run({}).create[0], 'external-db-abcde')];
    const r = run({ endpoints: externalDB({ labels: { v: '2' } }), existingSlices: existing });
    assert.equal(r.update.length, 1);
    assert.equal(r.update[0].metadata.labels!.v, '2');
  });

  test('one slice per subset (port list): two port sets → two slices', () => {
    const r = run({ endpoints: externalDB({}, [
      { addresses: [{ ip: '10.0.0.50' }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { addresses: [{ ip: '10.0.0.60' }], ports: [{ port: 6432, protocol: 'TCP' }] },
    ]) });
    assert.deepEqual(r.create.map((s) => [s.ports![0].port, ips(s)]).sort(), [[5432, ['10.0.0.50']], [6432, ['10.0.0.60']]]);
  });

  test('one slice per address family', () => {
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50' }, { ip: 'fd00::50' }], ports: [{ port: 5432, protocol: 'TCP' }] }]) });
    assert.deepEqual(r.create.map((s) => [s.addressType, ips(s)]), [['IPv4', ['10.0.0.50']], ['IPv6', ['fd00::50']]]);
  });

  test('invalid IPs are skipped with an InvalidIPAddress Warning', () => {
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50' }, { ip: 'not-an-ip' }], ports: [{ port: 5432, protocol: 'TCP' }] }]) });
    assert.deepEqual(ips(r.create[0]), ['10.0.0.50']);
    assert.deepEqual(r.events, [{ type: 'Warning', reason: 'InvalidIPAddress', message: 'Skipped 1 invalid IP addresses when mirroring to EndpointSlices' }]);
  });

  test('at most 1000 addresses per subset, the rest skipped with TooManyAddressesToMirror', () => {
    const addrs = Array.from({ length: 1003 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}` }));
    const r = run({ endpoints: externalDB({}, [{ addresses: addrs, ports: [{ port: 5432, protocol: 'TCP' }] }]) });
    assert.equal(r.create.length, 1);
    assert.equal(r.create[0].endpoints!.length, 1000);
    assert.deepEqual(r.events, [{ type: 'Warning', reason: 'TooManyAddressesToMirror', message: 'A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 3 addresses were skipped' }]);
  });

  test('the port changed: the old slice is reused for the new port set (create turned into an update)', () => {
    const existing = [stored(run({}).create[0], 'external-db-abcde')];
    const r = run({ endpoints: externalDB({}, [{ addresses: [{ ip: '10.0.0.50' }], ports: [{ port: 6543, protocol: 'TCP' }] }]), existingSlices: existing });
    assert.deepEqual([r.create.length, r.delete.length], [0, 0]);
    assert.deepEqual(r.update.map((s) => [s.metadata.name, s.ports![0].port]), [['external-db-abcde', 6543]]);
  });

  test('two slices for one port set: the extra one is deleted', () => {
    const a = stored(run({}).create[0], 'external-db-aaaaa');
    const b = stored(run({}).create[0], 'external-db-bbbbb');
    const r = run({ existingSlices: [b, a] });
    assert.deepEqual([r.create.length, r.update.length, r.delete.map((s) => s.metadata.name)], [0, 0, ['external-db-bbbbb']]);
  });

  test('all addresses removed: the slices go (no placeholder for mirrored slices)', () => {
    const existing = [stored(run({}).create[0], 'external-db-abcde')];
    const r = run({ endpoints: externalDB({}, []), existingSlices: existing });
    assert.deepEqual([r.create.length, r.update.length, r.delete.map((s) => s.metadata.name)], [0, 0, ['external-db-abcde']]);
  });

  test('an Endpoints being deleted gets no new slices', () => {
    const r = run({ endpoints: externalDB({ deletionTimestamp: '2026-01-01T00:00:00Z' }) });
    assert.deepEqual(r.create, []);
  });
});
