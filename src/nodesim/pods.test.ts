// The pod loop against a scriptable API (src/client/testing/fake-apiserver.ts): what it asks the API to do
// for pods on its node, on another node, terminating, and replaced under the same name
// (sample-controller's "check the actions" style; the stage outputs themselves are golden-tested).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/meta.ts';
import { findResource } from '../api/resources.ts';
import { connect, newInformer, type RestClient, type SharedInformer } from '../client/index.ts';
import { FakeApiServer, statusBody, type FakeCollection, type RecordedRequest } from '../client/testing/fake-apiserver.ts';
import { waitFor } from '../../test/e2e/harness.ts';
import { IpPool } from './ip-pool.ts';
import { buildNode, defaultCapacity, nodeIdentity, nodeLayout, type ManagedNode, type NodeManager } from './nodes.ts';
import { PodLifecycle } from './pods.ts';
import { loadStages, mergePatch } from './stage.ts';

const PODS = findResource('', 'v1', 'pods')!;
let api: FakeApiServer;
let pods: FakeCollection;
let rest: RestClient;
let informer: SharedInformer;
let loop: PodLifecycle;
/** Names whose status PATCH answers 409 (the UID precondition of a replaced pod). */
const conflicting = new Set<string>();

/** Enough of a strategic merge for pod status: conditions merged by type, lists replaced, null deletes. */
function applyStatusPatch(cur: KObject, patch: any): KObject {
  const status = { ...(cur.status ?? {}) };
  for (const [k, v] of Object.entries(patch.status ?? {})) {
    if (k.startsWith('$')) continue;
    if (k === 'conditions') {
      const list = [...(status.conditions ?? [])];
      for (const c of v as any[]) {
        const i = list.findIndex((x: any) => x.type === c.type);
        if (i < 0) list.push(mergePatch({}, c)); else list[i] = mergePatch(list[i], c);
      }
      status.conditions = list;
    } else if (v === null) delete status[k];
    else status[k] = v;
  }
  return { ...cur, status };
}

before(async () => {
  api = await FakeApiServer.start();
  pods = api.collection('/api/v1/pods', 'Pod');
  api.on('PATCH', /^\/api\/v1\/namespaces\/default\/pods\/[^/]+\/status$/, (req, res) => {
    const name = req.path.split('/')[6];
    const cur = pods.items.get(name);
    const body = conflicting.has(name) || !cur
      ? statusBody(cur ? 409 : 404, cur ? 'Conflict' : 'NotFound', cur ? `Operation cannot be fulfilled on pods "${name}": Precondition failed: UID in precondition: x, UID in object meta: y` : `pods "${name}" not found`)
      : pods.put(applyStatusPatch(cur, JSON.parse(req.body)));
    res.writeHead((body as any).code ?? 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  api.on('DELETE', /^\/api\/v1\/namespaces\/default\/pods\/[^/]+$/, (req, res) => {
    const removed = pods.remove(req.path.split('/')[6]);
    res.writeHead(removed ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(removed ?? statusBody(404, 'NotFound', 'gone')));
  });
  api.on('POST', '/api/v1/namespaces/default/events', (req, res) => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(req.body);
  });
  rest = connect({ server: api.url });
  informer = newInformer(rest, PODS);
  const layout = nodeLayout({ nodes: 1, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/16', namePrefix: 'kubedisco-node-' });
  const id = nodeIdentity(layout, 0);
  const managed: ManagedNode = { id, pool: new IpPool(id.podCIDR), node: buildNode(id, defaultCapacity(110), '2026-08-04T13:00:00Z'), gone: false };
  const nodes = { get: (n: string | undefined) => (n === id.name ? managed : undefined) } as unknown as NodeManager;
  loop = new PodLifecycle({ rest, pods: informer as never, nodes, stages: loadStages(), stageDelays: { 'pod-create': 0, 'pod-ready': 0, 'pod-delete': 0 }, clock: { now: () => Date.now(), setTimer: (f, ms) => { const t = setTimeout(f, ms); return { cancel: () => clearTimeout(t) }; } }, random: () => 0, workers: 2 });
  informer.run();
  await informer.waitForSync();
  loop.start();
});

after(async () => {
  await loop.stop();
  await informer.stop();
  rest.close();
  await api.close();
});

const pod = (name: string, nodeName: string, meta: Record<string, unknown> = {}): KObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-08-04T13:00:00Z' }] },
});
const writesTo = (name: string): RecordedRequest[] => api.requests.filter((r) => r.method !== 'GET' && r.path.includes(`/pods/${name}`));
const ready = (o: KObject | undefined) => o?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');

test('a pod on our node: pod-create then pod-ready, as two status PATCHes carrying the pod UID', async () => {
  pods.put(pod('mine', 'kubedisco-node-0'));
  await waitFor('mine ready', async () => ready(pods.items.get('mine')));
  const writes = writesTo('mine');
  assert.deepEqual(writes.map((w) => [w.method, w.path, w.headers['content-type']]), [
    ['PATCH', '/api/v1/namespaces/default/pods/mine/status', 'application/strategic-merge-patch+json'],
    ['PATCH', '/api/v1/namespaces/default/pods/mine/status', 'application/strategic-merge-patch+json'],
  ]);
  for (const w of writes) assert.equal(JSON.parse(w.body).metadata.uid, 'uid-mine');
  const p = pods.items.get('mine')!;
  assert.deepEqual([p.status.phase, p.status.podIP, p.status.hostIP], ['Running', '10.244.0.2', '10.240.0.1']);
});

test('a pod bound to another node gets no write at all, even when terminating', async () => {
  pods.put(pod('theirs', 'real-node', { deletionTimestamp: '2026-08-04T13:00:30Z', deletionGracePeriodSeconds: 30 }));
  pods.put(pod('marker', 'kubedisco-node-0'));
  await waitFor('marker ready', async () => ready(pods.items.get('marker')));
  assert.deepEqual(writesTo('theirs'), []);
});

test('a terminating pod is deleted with gracePeriodSeconds 0 and its UID as precondition; its IP is freed', async () => {
  const p = pods.items.get('mine')!;
  pods.put({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2099-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } });
  await waitFor('mine deleted', async () => !pods.items.has('mine'));
  const del = writesTo('mine').filter((w) => w.method === 'DELETE');
  assert.equal(del.length, 1);
  assert.deepEqual(JSON.parse(del[0].body), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid: 'uid-mine' } });
  pods.put(pod('next', 'kubedisco-node-0'));
  await waitFor('next ready', async () => ready(pods.items.get('next')));
  assert.equal(pods.items.get('next')!.status.podIP, '10.244.0.4', 'not .2 again (released a moment ago), not .3 (marker)');
});

test('a status write refused by the UID precondition (409) is not retried', async () => {
  conflicting.add('replaced');
  const errorsBefore = loop.stats.errors;
  pods.put(pod('replaced', 'kubedisco-node-0'));
  pods.put(pod('after', 'kubedisco-node-0'));
  await waitFor('after ready', async () => ready(pods.items.get('after')));
  assert.equal(writesTo('replaced').length, 1);
  assert.equal(loop.stats.errors, errorsBefore);
});
