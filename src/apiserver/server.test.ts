// API semantics over real HTTP on an ephemeral port, with the memory backend: watch resourceVersion rules,
// selector transitions, bookmarks, watch-list, 410 Expired, paging, finalizers, propagation, subresources,
// dry run and warnings (kubectl-compatibility.md §2.6, §4; kubernetes-semantics.md §7.1, §8, §9).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBackend } from '../storage/memory/memory-backend.ts';
import { createStrategies } from './registry/index.ts';
import { Store } from './store.ts';
import { ApiServer } from './server.ts';
import { bootstrap } from './bootstrap.ts';

let backend: MemoryBackend;
let server: ApiServer;
let base = '';

before(async () => {
  backend = new MemoryBackend();
  const store = new Store(backend, createStrategies({ serviceCIDR: '10.96.0.0/12', nodePortRange: { min: 30000, max: 32767 } }));
  await store.init();
  server = new ApiServer({ store, host: '127.0.0.1', port: 0, watchTuning: { bookmarkIntervalMs: 50, maxBacklogBytes: 1 << 20 } });
  const addr = await server.listen();
  base = `http://127.0.0.1:${addr.port}`;
  await bootstrap(store, { serviceCIDR: '10.96.0.0/12', apiHost: '127.0.0.1', apiPort: addr.port });
});
after(async () => { await server.close(); await backend.close(); });

const CM = '/api/v1/namespaces/default/configmaps';

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const cm = (name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels, ...extra }, data: { k: name } });

/** Opens a watch and collects events until `until` says stop (bounded by a timeout). */
async function watch(path: string, until: (events: any[]) => boolean, timeoutMs = 5000): Promise<any[]> {
  const ac = new AbortController();
  const res = await fetch(base + path, { signal: ac.signal });
  assert.equal(res.status, 200);
  const events: any[] = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events)) {
      if (Date.now() > deadline) throw new Error(`watch timed out with ${events.length} events: ${JSON.stringify(events.map((e) => e.type))}`);
      const r = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((ok) => setTimeout(() => ok({ done: true, value: undefined }), deadline - Date.now()))]);
      if (r.done) break;
      buf += dec.decode(r.value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n')) >= 0) { events.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
    }
  } finally {
    ac.abort();
  }
  return events;
}

describe('watch (kubectl-compatibility.md §2.6)', () => {
  test('resourceVersion=0 sends synthetic ADDED events for current objects, then live events', async () => {
    await call('POST', CM, cm('w0-a'));
    const got = watch(`${CM}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dw0-a`, (ev) => ev.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    await call('PATCH', `${CM}/w0-a`, { data: { k: 'changed' } }, { 'Content-Type': 'application/merge-patch+json' });
    const events = await got;
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED']);
    assert.equal(events[1].object.data.k, 'changed');
  });

  test('resourceVersion=<list RV> sends no synthetic events, only later changes', async () => {
    const list = await call('GET', CM);
    const got = watch(`${CM}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`, (ev) => ev.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    await call('POST', CM, cm('w1-new'));
    const events = await got;
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w1-new']]);
  });

  test('a label selector turns label changes into ADDED and DELETED events', async () => {
    await call('POST', CM, cm('w2', { team: 'a' }));
    const list = await call('GET', CM);
    const got = watch(`${CM}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}&labelSelector=team%3Db`, (ev) => ev.length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    await call('PATCH', `${CM}/w2`, { metadata: { labels: { team: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    await call('PATCH', `${CM}/w2`, { metadata: { labels: { team: 'c' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const events = await got;
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.labels.team]), [['ADDED', 'b'], ['DELETED', 'c']]);
  });

  test('allowWatchBookmarks sends BOOKMARK events carrying only a resourceVersion', async () => {
    const events = await watch(`${CM}?watch=true&resourceVersion=0&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dnone`, (ev) => ev.some((e) => e.type === 'BOOKMARK'));
    const bm = events.find((e) => e.type === 'BOOKMARK');
    assert.deepEqual(Object.keys(bm.object).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.match(bm.object.metadata.resourceVersion, /^\d+$/);
  });

  test('sendInitialEvents ends the initial events with the k8s.io/initial-events-end bookmark (watch-list)', async () => {
    const events = await watch(`${CM}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&fieldSelector=metadata.name%3Dw0-a`,
      (ev) => ev.some((e) => e.type === 'BOOKMARK'));
    assert.equal(events[0].type, 'ADDED');
    assert.equal(events[1].type, 'BOOKMARK');
    assert.equal(events[1].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  });

  test('sendInitialEvents without allowWatchBookmarks is 422 Invalid', async () => {
    const r = await call('GET', `${CM}?watch=true&sendInitialEvents=true`);
    assert.equal(r.status, 422);
  });

  test('timeoutSeconds ends the stream', async () => {
    const started = Date.now();
    const events = await watch(`${CM}?watch=true&resourceVersion=0&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone`, () => false, 5000);
    assert.deepEqual(events, []);
    assert.ok(Date.now() - started < 4000, 'stream closed by the server, not by the test timeout');
  });

  test('a watch from a compacted resourceVersion gets an ERROR event with 410 Expired', async () => {
    await call('POST', CM, cm('w5'));
    const rev = backend.currentRevision();
    await call('PATCH', `${CM}/w5`, { data: { k: '2' } }, { 'Content-Type': 'application/merge-patch+json' });
    await backend.compact(backend.currentRevision());
    const events = await watch(`${CM}?watch=true&resourceVersion=${rev - 1}`, (ev) => ev.length >= 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal(events[0].object.code, 410);
    assert.equal(events[0].object.reason, 'Expired');
    assert.match(events[0].object.message, /^too old resource version: \d+ \(\d+\)$/);
  });

  test('Table watches carry one row per event (kubectl get -w)', async () => {
    const list = await call('GET', CM);
    const got = fetch(`${base}${CM}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const res = await got;
    const reader = res.body!.getReader();
    await call('POST', CM, cm('w6'));
    const { value } = await reader.read();
    await reader.cancel();
    const ev = JSON.parse(new TextDecoder().decode(value).split('\n')[0]);
    assert.equal(ev.object.kind, 'Table');
    assert.equal(ev.object.rows.length, 1);
    assert.equal(ev.object.rows[0].cells[0], 'w6');
  });
});

describe('list paging (limit and continue)', () => {
  test('pages come from one snapshot: a change between pages does not show', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    for (let i = 0; i < 7; i++) await call('POST', '/api/v1/namespaces/paging/configmaps', cm(`p${i}`));
    const p1 = await call('GET', '/api/v1/namespaces/paging/configmaps?limit=3');
    assert.deepEqual(p1.json.items.map((o: any) => o.metadata.name), ['p0', 'p1', 'p2']);
    assert.equal(p1.json.metadata.remainingItemCount, 4);
    await call('DELETE', '/api/v1/namespaces/paging/configmaps/p4');
    const p2 = await call('GET', `/api/v1/namespaces/paging/configmaps?limit=3&continue=${encodeURIComponent(p1.json.metadata.continue)}`);
    assert.deepEqual(p2.json.items.map((o: any) => o.metadata.name), ['p3', 'p4', 'p5']);
    assert.equal(p2.json.metadata.resourceVersion, p1.json.metadata.resourceVersion);
    const p3 = await call('GET', `/api/v1/namespaces/paging/configmaps?limit=3&continue=${encodeURIComponent(p2.json.metadata.continue)}`);
    assert.deepEqual(p3.json.items.map((o: any) => o.metadata.name), ['p6']);
    assert.equal(p3.json.metadata.continue, undefined);
  });

  test('a garbled continue token is 400', async () => {
    const r = await call('GET', `${CM}?limit=2&continue=garbage`);
    assert.equal(r.status, 400);
  });
});

describe('writes', () => {
  test('generateName gives a 5-character suffix from kube\'s alphabet', async () => {
    const r = await call('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('dryRun=All validates and answers but stores nothing', async () => {
    const r = await call('POST', `${CM}?dryRun=All`, cm('dry'));
    assert.equal(r.status, 201);
    assert.equal((await call('GET', `${CM}/dry`)).status, 404);
  });

  test('a finalizer holds a deleted object until it is removed (semantics §8)', async () => {
    await call('POST', CM, cm('fin', {}, { finalizers: ['example.com/hold'] }));
    const del = await call('DELETE', `${CM}/fin`);
    assert.equal(del.status, 202);
    const held = await call('GET', `${CM}/fin`);
    assert.ok(held.json.metadata.deletionTimestamp);
    assert.equal(held.json.metadata.deletionGracePeriodSeconds, 0);
    await call('PATCH', `${CM}/fin`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await call('GET', `${CM}/fin`)).status, 404);
  });

  test('Foreground and Orphan propagation add their finalizers (semantics §8)', async () => {
    await call('POST', CM, cm('fg'));
    await call('DELETE', `${CM}/fg`, { propagationPolicy: 'Foreground' });
    assert.deepEqual((await call('GET', `${CM}/fg`)).json.metadata.finalizers, ['foregroundDeletion']);
    await call('POST', CM, cm('orph'));
    await call('DELETE', `${CM}/orph?propagationPolicy=Orphan`);
    assert.deepEqual((await call('GET', `${CM}/orph`)).json.metadata.finalizers, ['orphan']);
    const both = await call('DELETE', `${CM}/orph`, { propagationPolicy: 'Orphan', orphanDependents: true });
    assert.equal(both.status, 422);
  });

  test('deletecollection removes only what the selector matches', async () => {
    await call('POST', CM, cm('dc1', { batch: 'x' }));
    await call('POST', CM, cm('dc2', { batch: 'x' }));
    await call('POST', CM, cm('dc3', { batch: 'y' }));
    const r = await call('DELETE', `${CM}?labelSelector=batch%3Dx`);
    assert.equal(r.status, 200);
    const left = await call('GET', `${CM}?labelSelector=batch`);
    assert.deepEqual(left.json.items.map((o: any) => o.metadata.name), ['dc3']);
  });

  test('a stale resourceVersion on PUT is 409; an unconditional PUT succeeds', async () => {
    const c = await call('POST', CM, cm('put'));
    await call('PATCH', `${CM}/put`, { data: { k: 'v2' } }, { 'Content-Type': 'application/merge-patch+json' });
    const stale = await call('PUT', `${CM}/put`, c.json);
    assert.equal(stale.status, 409);
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on configmaps "put": the object has been modified; please apply your changes to the latest version and try again');
    const { resourceVersion: _rv, ...meta } = c.json.metadata;
    const fresh = await call('PUT', `${CM}/put`, { ...c.json, metadata: meta, data: { k: 'v3' } });
    assert.equal(fresh.status, 200);
    assert.equal(fresh.json.data.k, 'v3');
  });

  test('a no-op update keeps the resourceVersion', async () => {
    const c = await call('POST', CM, cm('noop'));
    const r = await call('PUT', `${CM}/noop`, c.json);
    assert.equal(r.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
  });

  test('the legacy tolerate-unready annotation draws a Warning header naming publishNotReadyAddresses', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'legacy', annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } },
      spec: { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 1 }] },
    });
    assert.equal(r.status, 201);
    assert.match(r.headers.get('warning') ?? '', /^299 - ".*publishNotReadyAddresses.*"$/);
  });
});

describe('subresources', () => {
  const STS = '/apis/apps/v1/namespaces/default/statefulsets';
  const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { serviceName: 'web', replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };

  test('status writes change only status; main writes change only spec (pods and apps)', async () => {
    const c = await call('POST', STS, sts);
    assert.equal(c.json.metadata.generation, 1);
    const withStatus = { ...c.json, spec: { ...c.json.spec, replicas: 9 }, status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 } };
    const s = await call('PUT', `${STS}/web/status`, withStatus);
    assert.equal(s.status, 200);
    assert.equal(s.json.spec.replicas, 2, 'spec is ignored on /status');
    assert.equal(s.json.status.readyReplicas, 1);
    const m = await call('PUT', `${STS}/web`, { ...s.json, status: { replicas: 0 } });
    assert.equal(m.json.status.readyReplicas, 1, 'status is ignored on the main resource');
  });

  test('scale: GET returns autoscaling/v1 Scale; PUT with a stale resourceVersion is 409', async () => {
    const scale = await call('GET', `${STS}/web/scale`);
    assert.deepEqual({ kind: scale.json.kind, apiVersion: scale.json.apiVersion, spec: scale.json.spec, selector: scale.json.status.selector },
      { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, selector: 'app=web' });
    const ok = await call('PUT', `${STS}/web/scale`, { ...scale.json, spec: { replicas: 3 } });
    assert.equal(ok.status, 200);
    const stale = await call('PUT', `${STS}/web/scale`, { ...scale.json, spec: { replicas: 4 } });
    assert.equal(stale.status, 409);
    const neg = await call('PATCH', `${STS}/web/scale`, { spec: { replicas: -1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(neg.status, 422);
    assert.equal(neg.json.details.causes[0].message, 'Invalid value: -1: must be greater than or equal to 0');
    const after = await call('GET', `${STS}/web`);
    assert.equal(after.json.spec.replicas, 3);
    assert.equal(after.json.metadata.generation, 2);
  });

  test('namespaces: finalize with no finalizers completes a Terminating namespace', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin-ns' } });
    const d = await call('DELETE', '/api/v1/namespaces/fin-ns');
    assert.equal(d.status, 202);
    assert.equal(d.json.status.phase, 'Terminating');
    const again = await call('DELETE', '/api/v1/namespaces/fin-ns');
    assert.equal(again.status, 409);
    const ns = (await call('GET', '/api/v1/namespaces/fin-ns')).json;
    const f = await call('PUT', '/api/v1/namespaces/fin-ns/finalize', { ...ns, spec: { finalizers: [] } });
    assert.equal(f.status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/fin-ns')).status, 404);
  });
});

describe('metadata normalisation and finalize', () => {
  test('empty labels, annotations, ownerReferences and finalizers are stored as absent (Go omitempty)', async () => {
    await call('POST', CM, cm('empty', { a: 'b' }, { finalizers: ['x.io/y'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u-1' }] }));
    const r = await call('PATCH', `${CM}/empty`, { metadata: { labels: { a: null }, finalizers: [], ownerReferences: [], annotations: {} } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(r.status, 200);
    for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers']) assert.equal(k in r.json.metadata, false, k);
  });

  test('finalize changes only spec.finalizers: metadata.finalizers in the stored object still hold the namespace', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held-ns', finalizers: ['example.com/hold'] } });
    await call('DELETE', '/api/v1/namespaces/held-ns');
    const f = await call('PUT', '/api/v1/namespaces/held-ns/finalize', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held-ns' }, spec: { finalizers: [] } });
    assert.equal(f.status, 200);
    const ns = await call('GET', '/api/v1/namespaces/held-ns');
    assert.equal(ns.status, 200, 'still there: its metadata.finalizers are not empty');
    assert.deepEqual(ns.json.metadata.finalizers, ['example.com/hold']);
    assert.equal(ns.json.spec.finalizers, undefined);
    await call('PATCH', '/api/v1/namespaces/held-ns', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await call('GET', '/api/v1/namespaces/held-ns')).status, 404);
  });
});

describe('EndpointSlice generation (pkg/registry/discovery/endpointslice/strategy.go)', () => {
  test('bumped by endpoint and label changes, not by annotations', async () => {
    const ES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
    const c = await call('POST', ES, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'gen' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'] }], ports: [{ name: '', port: 80, protocol: 'TCP' }] });
    assert.equal(c.json.metadata.generation, 1);
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const e = await call('PATCH', `${ES}/gen`, { endpoints: [{ addresses: ['10.244.0.6'] }] }, merge);
    assert.equal(e.json.metadata.generation, 2);
    const l = await call('PATCH', `${ES}/gen`, { metadata: { labels: { x: 'y' } } }, merge);
    assert.equal(l.json.metadata.generation, 3);
    const a = await call('PATCH', `${ES}/gen`, { metadata: { annotations: { x: 'y' } } }, merge);
    assert.equal(a.json.metadata.generation, 3);
  });
});

describe('health', () => {
  test('/readyz?verbose lists each check', async () => {
    const r = await fetch(`${base}/readyz?verbose`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /^\[\+\]ping ok\nreadyz check passed\n$/);
  });
});
