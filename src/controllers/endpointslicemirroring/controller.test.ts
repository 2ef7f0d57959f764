// The mirroring controller end to end: a real `kubedisco server` (API only) as a child process, the controller
// in this process over HTTP; seed 001's external-db. kubernetes-semantics.md §4.2.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { RestClient } from '../../client/index.ts';
import { cleanup, startKubedisco, type Kubedisco } from '../../../test/e2e/harness.ts';
import { eventually, listSlices, RES, runInProcess, type InProcess } from '../endpointslice/testing.ts';
import { EndpointSliceMirroringController } from './controller.ts';

const NS = 'default';
let k: Kubedisco;
let ip: InProcess<EndpointSliceMirroringController>;
let rest: RestClient;

before(async () => {
  k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] });
  ip = await runInProcess(k.apiURL, (ctx) => new EndpointSliceMirroringController(ctx));
  rest = ip.rest;
});
after(async () => {
  await ip?.stop();
  await k?.stop();
  if (k) cleanup(k);
});

const ips = (slices: EndpointSlice[]) => slices.flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}${e.conditions?.ready === false ? '-' : ''}`)).sort();
const one = (name: string) => eventually(`one ${name} slice`, async () => {
  const l = await listSlices(rest, NS, name);
  return l.length === 1 ? l[0] : undefined;
});

describe('EndpointSlice mirroring against a real API server (§4.2)', () => {
  test('seed 001 external-db: the hand-written Endpoints is mirrored into one slice', async () => {
    await rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'external-db', namespace: NS }, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } } as KObject);
    const ep = await rest.resource(RES.endpoints, NS).create({
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db', namespace: NS, labels: { team: 'db' } },
      subsets: [{ addresses: [{ ip: '10.0.0.50' }, { ip: '10.0.0.51' }], ports: [{ port: 5432 }] }],
    } as KObject);
    const s = await one('external-db');
    assert.deepEqual(ips([s]), ['10.0.0.50', '10.0.0.51']);
    assert.deepEqual(s.ports, [{ name: '', port: 5432, protocol: 'TCP' }]);
    assert.deepEqual(s.metadata.labels, { team: 'db', 'kubernetes.io/service-name': 'external-db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' });
    assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Endpoints', name: 'external-db', uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.match(s.metadata.name!, /^external-db-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('an edit of the Endpoints is mirrored in place (not ready: ready false)', async () => {
    const before = await one('external-db');
    await rest.resource(RES.endpoints, NS).patch('external-db', 'json', [{ op: 'add', path: '/subsets/0/notReadyAddresses', value: [{ ip: '10.0.0.52' }] }]);
    const s = await eventually('three addresses', async () => {
      const l = await listSlices(rest, NS, 'external-db');
      return l.length === 1 && (l[0].endpoints ?? []).length === 3 ? l[0] : undefined;
    });
    assert.equal(s.metadata.name, before.metadata.name);
    assert.deepEqual(ips([s]), ['10.0.0.50', '10.0.0.51', '10.0.0.52-']);
  });

  test('the kubernetes Endpoints (skip-mirror) is not mirrored', async () => {
    const l = await listSlices(rest, NS, 'kubernetes');
    assert.ok(l.every((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] !== 'endpointslicemirroring-controller.k8s.io'));
  });

  test('skip-mirror label: the mirrored slice goes; removing it mirrors again', async () => {
    await rest.resource(RES.endpoints, NS).patch('external-db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } } });
    await eventually('no slice', async () => (await listSlices(rest, NS, 'external-db')).length === 0);
    await rest.resource(RES.endpoints, NS).patch('external-db', 'merge', { metadata: { labels: { 'endpointslice.kubernetes.io/skip-mirror': null } } });
    await one('external-db');
  });

  test('the Service gains a selector: the mirrored slices are deleted; losing it mirrors again', async () => {
    // A ClusterIP Service (a headless one without selector is dual-stack and cannot take a selector here).
    await rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext3', namespace: NS }, spec: { ports: [{ port: 5432 }] } } as KObject);
    await rest.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext3', namespace: NS }, subsets: [{ addresses: [{ ip: '10.0.0.80' }], ports: [{ port: 5432 }] }] } as KObject);
    await one('ext3');
    await rest.resource(RES.services, NS).patch('ext3', 'merge', { spec: { selector: { app: 'db' } } });
    await eventually('no slice', async () => (await listSlices(rest, NS, 'ext3')).length === 0);
    await rest.resource(RES.services, NS).patch('ext3', 'merge', { spec: { selector: null } });
    await one('ext3');
  });

  test('a mirrored slice deleted by someone else is written again', async () => {
    const s = await one('external-db');
    await rest.resource(RES.slices, NS).delete(s.metadata.name!);
    await eventually('a new slice', async () => {
      const l = await listSlices(rest, NS, 'external-db');
      return l.length === 1 && l[0].metadata.name !== s.metadata.name;
    });
  });

  test('the Endpoints is deleted: the slice goes', async () => {
    await rest.resource(RES.endpoints, NS).delete('external-db');
    await eventually('no slice', async () => (await listSlices(rest, NS, 'external-db')).length === 0);
  });

  test('Endpoints without a Service are not mirrored; the Service appearing mirrors them', async () => {
    await rest.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext2', namespace: NS }, subsets: [{ addresses: [{ ip: '10.0.0.70' }], ports: [{ name: 'pg', port: 5432 }] }] } as KObject);
    await rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext2', namespace: NS }, spec: { ports: [{ name: 'pg', port: 5432 }] } } as KObject);
    const s = await one('ext2');
    assert.deepEqual(s.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    await rest.resource(RES.services, NS).delete('ext2');
    await eventually('no slice', async () => (await listSlices(rest, NS, 'ext2')).length === 0);
  });

  test('more than 1000 addresses in a subset: 1000 mirrored, a TooManyAddressesToMirror Warning on the Endpoints', async () => {
    const addresses = Array.from({ length: 1002 }, (_, i) => ({ ip: `10.1.${i >> 8}.${i & 255}` }));
    await rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'big', namespace: NS }, spec: { ports: [{ port: 80 }] } } as KObject);
    const ep = await rest.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'big', namespace: NS }, subsets: [{ addresses, ports: [{ port: 80 }] }] } as KObject);
    const s = await one('big');
    assert.equal(s.endpoints!.length, 1000);
    const ev = await eventually('the Warning', async () => {
      const l = await rest.resource(RES.events, NS).list({ fieldSelector: `involvedObject.name=big,involvedObject.kind=Endpoints,involvedObject.uid=${ep.metadata.uid}` });
      return l.items.find((e) => e.reason === 'TooManyAddressesToMirror');
    });
    assert.equal(ev.message, 'A max of 1000 addresses can be mirrored to EndpointSlices per Endpoints subset. 2 addresses were skipped');
    assert.equal((ev.source as { component: string }).component, 'endpoint-slice-mirroring-controller');
  });
});
