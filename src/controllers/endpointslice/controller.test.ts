// The EndpointSlice controller end to end: a real `kubedisco server` (API only: --controllers '' --nodes 0) as a
// child process, the controller in this process over HTTP (so its metrics() can be read), Nodes and Pods
// written by the test as a kubelet would (status through the status subresource). kubernetes-semantics.md §4.1.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { RestClient } from '../../client/index.ts';
import { cleanup, startKubedisco, type Kubedisco } from '../../../test/e2e/harness.ts';
import { EndpointSliceController } from './controller.ts';
import { createNode, createRunningPod, eventually, listSlices, RES, runInProcess, setPodStatus, type InProcess } from './testing.ts';

const NS = 'default';
let k: Kubedisco;
let ip: InProcess<EndpointSliceController>;
let rest: RestClient;

before(async () => {
  k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] });
  ip = await runInProcess(k.apiURL, (ctx) => new EndpointSliceController(ctx, { maxEndpointsPerSlice: 2 }));
  rest = ip.rest;
  await createNode(rest, 'node-a', 'zone-a');
  await createNode(rest, 'node-b', 'zone-b');
});
after(async () => {
  await ip?.stop();
  await k?.stop();
  if (k) cleanup(k);
});

async function createService(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<KObject> {
  return rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS, ...metadata }, spec } as KObject);
}

const endpointsOf = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints ?? []);
const byPod = (slices: EndpointSlice[]) => Object.fromEntries(endpointsOf(slices).map((e) => [e.targetRef!.name!, e]));

describe('EndpointSlice controller against a real API server (§4.1)', () => {
  test('a selector Service without pods gets one placeholder slice; pods then fill it in place', async () => {
    await createService('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { labels: { app: 'web', team: 'a' } });
    const [placeholder] = await eventually('the placeholder', async () => {
      const s = await listSlices(rest, NS, 'web');
      return s.length === 1 ? s : undefined;
    });
    assert.equal(placeholder.endpoints, null);
    assert.equal(placeholder.ports, null);
    assert.match(placeholder.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(placeholder.metadata.labels, { app: 'web', team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    const svc = await rest.resource(RES.services, NS).get('web');
    assert.deepEqual(placeholder.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    await createRunningPod(rest, NS, 'web-0', { labels: { app: 'web' }, node: 'node-a', ip: '10.244.0.10' });
    const [s] = await eventually('web-0 in the slice', async () => {
      const l = await listSlices(rest, NS, 'web');
      return l.length === 1 && (l[0].endpoints ?? []).length === 1 ? l : undefined;
    });
    assert.equal(s.metadata.name, placeholder.metadata.name, 'the placeholder is rewritten in place, not replaced');
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const pod = await rest.resource(RES.pods, NS).get('web-0');
    assert.deepEqual(s.endpoints![0], {
      addresses: ['10.244.0.10'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: NS, name: 'web-0', uid: pod.metadata.uid },
      nodeName: 'node-a',
      zone: 'zone-a',
    });
    assert.match(s.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('at most maxEndpointsPerSlice (2 here) per slice: 5 pods → 3 slices', async () => {
    for (let i = 1; i < 5; i++) await createRunningPod(rest, NS, `web-${i}`, { labels: { app: 'web' }, node: i % 2 ? 'node-b' : 'node-a', ip: `10.244.0.${10 + i}` });
    const slices = await eventually('5 endpoints', async () => {
      const l = await listSlices(rest, NS, 'web');
      return endpointsOf(l).length === 5 ? l : undefined;
    });
    assert.deepEqual(slices.map((s) => s.endpoints!.length).sort(), [1, 2, 2]);
    assert.equal(byPod(slices)['web-1'].zone, 'zone-b');
  });

  test('a readiness flip rewrites only the slice that holds the pod', async () => {
    const before = await listSlices(rest, NS, 'web');
    const holder = before.find((s) => s.endpoints!.some((e) => e.targetRef!.name === 'web-3'))!;
    const updates0 = ip.controller.metrics().updates;
    await setPodStatus(rest, NS, 'web-3', { ip: '10.244.0.13', ready: false });
    const after = await eventually('web-3 not ready', async () => {
      const l = await listSlices(rest, NS, 'web');
      return byPod(l)['web-3']?.conditions?.ready === false ? l : undefined;
    });
    assert.deepEqual(byPod(after)['web-3'].conditions, { ready: false, serving: false, terminating: false });
    for (const s of after) {
      const b = before.find((x) => x.metadata.name === s.metadata.name)!;
      if (s.metadata.name === holder.metadata.name) assert.notEqual(s.metadata.resourceVersion, b.metadata.resourceVersion);
      else assert.equal(s.metadata.resourceVersion, b.metadata.resourceVersion, `${s.metadata.name} was rewritten`);
    }
    // The controller counts its write when the response arrives, just after the slice became visible.
    await eventually('the update counted', async () => ip.controller.metrics().updates > updates0);
    assert.equal(ip.controller.metrics().updates - updates0, 1);
  });

  test('a pod change that does not touch its endpoint enqueues nothing and writes nothing', async () => {
    const m0 = ip.controller.metrics();
    await rest.resource(RES.pods, NS).patch('web-0', 'merge', { metadata: { annotations: { unrelated: 'x' } } });
    // A later, relevant change is seen only after the annotation change was handled (one watch, in order).
    await setPodStatus(rest, NS, 'web-3', { ip: '10.244.0.13', ready: true });
    await eventually('web-3 ready again', async () => byPod(await listSlices(rest, NS, 'web'))['web-3']?.conditions?.ready === true);
    // The slice is visible as soon as the server commits it; the controller counts the write when the
    // response reaches it, a moment later.
    const writes = (m: typeof m0) => m.creates + m.updates + m.deletes;
    await eventually('the write counted', async () => writes(ip.controller.metrics()) > writes(m0));
    const m1 = ip.controller.metrics();
    assert.equal(m1.podEventEnqueues - m0.podEventEnqueues, 1, 'only the readiness change enqueued the Service');
    assert.equal(writes(m1) - writes(m0), 1);
  });

  test('a pod that matches no Service enqueues nothing', async () => {
    const m0 = ip.controller.metrics().podEventEnqueues;
    await createRunningPod(rest, NS, 'lonely', { labels: { app: 'nobody' }, node: 'node-a', ip: '10.244.0.99' });
    await setPodStatus(rest, NS, 'web-3', { ip: '10.244.0.13', ready: false });
    await eventually('web-3 unready', async () => byPod(await listSlices(rest, NS, 'web'))['web-3']?.conditions?.ready === false);
    assert.equal(ip.controller.metrics().podEventEnqueues - m0, 1);
  });

  test('a terminating pod stays: serving, not ready, terminating', async () => {
    await rest.resource(RES.pods, NS).delete('web-4', { gracePeriodSeconds: 30 });
    const e = await eventually('web-4 terminating', async () => {
      const x = byPod(await listSlices(rest, NS, 'web'))['web-4'];
      return x?.conditions?.terminating ? x : undefined;
    });
    assert.deepEqual(e.conditions, { ready: false, serving: true, terminating: true });
    await rest.resource(RES.pods, NS).delete('web-4', { gracePeriodSeconds: 0 });
    await eventually('web-4 gone', async () => !byPod(await listSlices(rest, NS, 'web'))['web-4']);
  });

  test('headless Service: hostname when spec.subdomain names it, headless label', async () => {
    await createService('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] });
    await createRunningPod(rest, NS, 'db-0', { labels: { app: 'db' }, node: 'node-a', ip: '10.244.1.10', hostname: 'db-0', subdomain: 'db', ports: [] });
    await createRunningPod(rest, NS, 'db-1', { labels: { app: 'db' }, node: 'node-a', ip: '10.244.1.11', hostname: 'db-1', subdomain: 'other', ports: [] });
    const slices = await eventually('db endpoints', async () => {
      const l = await listSlices(rest, NS, 'db');
      return endpointsOf(l).length === 2 ? l : undefined;
    });
    const eps = byPod(slices);
    assert.equal(eps['db-0'].hostname, 'db-0');
    assert.equal(eps['db-1'].hostname, undefined);
    assert.equal(slices[0].metadata.labels!['service.kubernetes.io/headless'], '');
    assert.deepEqual(slices[0].ports, [{ name: '', port: 5432, protocol: 'TCP' }]);
  });

  test('named targetPort resolved per pod: a pod exposing "http" on 9090 lands in its own slice', async () => {
    await createRunningPod(rest, NS, 'web-9', { labels: { app: 'web' }, node: 'node-a', ip: '10.244.0.19', ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] });
    const slices = await eventually('web-9 in a 9090 slice', async () => {
      const l = await listSlices(rest, NS, 'web');
      return l.some((s) => s.ports?.[0]?.port === 9090) ? l : undefined;
    });
    const s9090 = slices.filter((s) => s.ports?.[0]?.port === 9090);
    assert.deepEqual(endpointsOf(s9090).map((e) => e.targetRef!.name), ['web-9']);
  });

  test('a pod on a Node not in the cache is left out (Warning event) until the Node appears', async () => {
    await createRunningPod(rest, NS, 'web-7', { labels: { app: 'web' }, node: 'node-late', ip: '10.244.0.17' });
    const svc = await rest.resource(RES.services, NS).get('web');
    const ev = await eventually('the Warning event', async () => {
      const l = await rest.resource(RES.events, NS).list({ fieldSelector: `involvedObject.name=web,involvedObject.kind=Service,involvedObject.uid=${svc.metadata.uid}` });
      return l.items.find((e) => e.reason === 'FailedToUpdateEndpointSlices');
    });
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.message, 'Error updating Endpoint Slices for Service default/web: skipping Pod web-7 for Service default/web: node "node-late" not found');
    assert.equal((ev.source as { component: string }).component, 'endpoint-slice-controller');
    assert.equal(byPod(await listSlices(rest, NS, 'web'))['web-7'], undefined);
    await createNode(rest, 'node-late', 'zone-c');
    const e = await eventually('web-7 after its Node', async () => byPod(await listSlices(rest, NS, 'web'))['web-7']);
    assert.equal(e.zone, 'zone-c');
  });

  test('the legacy tolerate-unready-endpoints annotation publishes unready pods as ready', async () => {
    await rest.resource(RES.services, NS).patch('web', 'merge', { metadata: { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } } });
    await eventually('web-3 ready through the alias', async () => byPod(await listSlices(rest, NS, 'web'))['web-3']?.conditions?.ready === true);
    assert.equal(byPod(await listSlices(rest, NS, 'web'))['web-3'].conditions!.serving, false);
    await rest.resource(RES.services, NS).patch('web', 'merge', { metadata: { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': null } } });
    await eventually('web-3 unready again', async () => byPod(await listSlices(rest, NS, 'web'))['web-3']?.conditions?.ready === false);
  });

  test('selectorless and ExternalName Services get no slices', async () => {
    await createService('manual', { ports: [{ port: 80 }] });
    await createService('ext', { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } });
    // A Service created after them gets its placeholder: by then the two were handled.
    await createService('later', { selector: { app: 'later' }, ports: [{ port: 80 }] });
    await eventually('later placeholder', async () => (await listSlices(rest, NS, 'later')).length === 1);
    assert.deepEqual(await listSlices(rest, NS, 'manual'), []);
    assert.deepEqual(await listSlices(rest, NS, 'ext'), []);
  });

  test('every write changed something: resyncing every Service writes nothing', async () => {
    const m0 = ip.controller.metrics();
    // Touch each Service (an annotation) so that every one is synced again.
    for (const name of ['web', 'db', 'later']) await rest.resource(RES.services, NS).patch(name, 'merge', { metadata: { annotations: { touched: '1' } } });
    await eventually('three more syncs', async () => ip.controller.metrics().syncs - m0.syncs >= 3 && ip.controller.metrics().queue.processing === 0 && ip.controller.metrics().queue.depth === 0);
    const m1 = ip.controller.metrics();
    assert.equal(m1.creates + m1.updates + m1.deletes, m0.creates + m0.updates + m0.deletes);
    assert.ok(m1.noopSyncs > m0.noopSyncs);
  });

  test('a restarted controller finds every slice right and writes nothing', async () => {
    await ip.stop();
    ip = await runInProcess(k.apiURL, (ctx) => new EndpointSliceController(ctx, { maxEndpointsPerSlice: 2 }));
    rest = ip.rest;
    const services = (await rest.resource(RES.services, NS).list()).items.length;
    await eventually('every Service synced', async () => ip.controller.metrics().syncs >= services && ip.controller.metrics().queue.depth === 0 && ip.controller.metrics().queue.processing === 0);
    const m = ip.controller.metrics();
    assert.deepEqual([m.creates, m.updates, m.deletes], [0, 0, 0]);
  });
});
