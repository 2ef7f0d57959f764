// The collector's requests against a scripted API (client/testing/fake-apiserver): what it reads live before
// acting on the graph (the cache may lag), and the exact delete options and patches it sends
// (garbagecollector_test.go checks the same through a fake client's recorded actions).

import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { connect, EventRecorder, realClock, SharedInformerFactory, type RestClient } from '../../client/index.ts';
import { FakeApiServer, statusBody, waitFor, type RecordedRequest } from '../../client/testing/fake-apiserver.ts';
import { GarbageCollector } from './controller.ts';

const PODS = findResource('', 'v1', 'pods')!;
const RS = findResource('apps', 'v1', 'replicasets')!;
const POD_PATH = '/api/v1/namespaces/d/pods/p';
const RS_PATH = '/apis/apps/v1/namespaces/d/replicasets/rs';

function json(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(text);
}

const rsOwner = (uid = 'rs-1', block = true) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, controller: true, blockOwnerDeletion: block });
const pod = (rv: string, owners = [rsOwner()]): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', uid: 'pod-1', resourceVersion: rv, ownerReferences: owners } });
const rs = (extra: Record<string, unknown> = {}, uid = 'rs-1'): KObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'd', uid, resourceVersion: '5', ...extra } });

interface Env { fake: FakeApiServer; rest: RestClient; gc: GarbageCollector; informers: SharedInformerFactory }
let env: Env | undefined;

async function start(setup: (fake: FakeApiServer) => void): Promise<Env> {
  const fake = await FakeApiServer.start();
  fake.collection('/api/v1/pods', 'Pod');
  fake.collection('/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1');
  setup(fake);
  const rest = connect({ server: fake.url });
  const informers = new SharedInformerFactory(rest);
  const gc = new GarbageCollector({ rest, informers, clock: realClock, recorder: (component) => new EventRecorder(rest, { component }), workers: 2 }, { resources: [PODS, RS] });
  const running = gc.run();
  informers.start();
  await running;
  env = { fake, rest, gc, informers };
  return env;
}

afterEach(async () => {
  if (!env) return;
  await env.gc.stop();
  await env.informers.stop();
  env.rest.close();
  await env.fake.close();
  env = undefined;
});

const deletes = (f: FakeApiServer) => f.requests.filter((r) => r.method === 'DELETE' && r.path === POD_PATH);
const body = (r: RecordedRequest) => JSON.parse(r.body);

describe('GarbageCollector requests (operations.go, attemptToDeleteItem)', () => {
  test('cache lag: the informers never showed the owner, but a live GET finds it → the dependent is kept', async () => {
    const { fake, gc } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.on('GET', RS_PATH, (_r, res) => json(res, 200, rs()));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod('1')));
    });
    // The virtual owner is verified live and, as it exists, polled until an informer shows it.
    await waitFor(() => fake.requestsTo(RS_PATH).length >= 2, 'the virtual owner polled');
    fake.collection('/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1').put(rs());
    await waitFor(() => gc.graph.get('rs-1')?.virtual === false, 'owner observed');
    assert.deepEqual(deletes(fake), []);
  });

  test('owner 404 on the live GET → the dependent is deleted Background with uid and resourceVersion preconditions', async () => {
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.reply('GET', RS_PATH, 404, statusBody(404, 'NotFound', 'replicasets.apps "rs" not found'));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod('7')));
      f.on('DELETE', POD_PATH, (_r, res) => json(res, 200, pod('8')));
    });
    await waitFor(() => deletes(fake).length === 1, 'the pod deleted');
    assert.deepEqual(body(deletes(fake)[0]), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'pod-1', resourceVersion: '7' }, propagationPolicy: 'Background' });
  });

  test('owner recreated (same name, other uid) → dangling: the dependent is deleted', async () => {
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.on('GET', RS_PATH, (_r, res) => json(res, 200, rs({}, 'rs-2')));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod('7')));
      f.on('DELETE', POD_PATH, (_r, res) => json(res, 200, pod('8')));
    });
    await waitFor(() => deletes(fake).length === 1, 'the pod deleted');
  });

  test('delete conflict where only the resourceVersion moved (same ownerReferences) → retried with the uid alone', async () => {
    let n = 0;
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.reply('GET', RS_PATH, 404, statusBody(404, 'NotFound', 'replicasets.apps "rs" not found'));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod(n === 0 ? '7' : '9')));
      f.on('DELETE', POD_PATH, (_r, res) => {
        if (n++ === 0) json(res, 409, statusBody(409, 'Conflict', 'Operation cannot be fulfilled on pods "p": the object has been modified'));
        else json(res, 200, pod('10'));
      });
    });
    await waitFor(() => deletes(fake).length === 2, 'the retried delete');
    assert.deepEqual(body(deletes(fake)[1]).preconditions, { uid: 'pod-1' });
  });

  test('delete conflict where the ownerReferences changed (adopted meanwhile) → not forced; the next pass keeps it', async () => {
    let adopted = false;
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.reply('GET', RS_PATH, 404, statusBody(404, 'NotFound', 'replicasets.apps "rs" not found'));
      f.on('GET', '/apis/apps/v1/namespaces/d/replicasets/other', (_r, res) => json(res, 200, { ...rs({}, 'rs-9'), metadata: { ...rs().metadata, name: 'other', uid: 'rs-9' } }));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, adopted ? pod('9', [{ ...rsOwner('rs-9'), name: 'other' }]) : pod('7')));
      f.on('DELETE', POD_PATH, (_r, res) => {
        adopted = true;
        json(res, 409, statusBody(409, 'Conflict', 'Operation cannot be fulfilled on pods "p": the object has been modified'));
      });
    });
    await waitFor(() => fake.requestsTo('/apis/apps/v1/namespaces/d/replicasets/other').length >= 1, 'the new owner looked up on the retry');
    assert.equal(deletes(fake).length, 1);
  });

  test('Orphan: the strategic merge patch deletes the reference; on 415 a merge patch at the read resourceVersion; then the finalizer', async () => {
    const patches: RecordedRequest[] = [];
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.collection('/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1').put(rs({ deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] }));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod('7')));
      f.on('PATCH', POD_PATH, (r, res) => {
        patches.push(r);
        if (r.headers['content-type'] === 'application/strategic-merge-patch+json') json(res, 415, statusBody(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format'));
        else json(res, 200, pod('8', []));
      });
      f.on('GET', RS_PATH, (_r, res) => json(res, 200, rs({ deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'], resourceVersion: '6' })));
      f.on('PATCH', RS_PATH, (r, res) => { patches.push(r); json(res, 200, rs()); });
    });
    await waitFor(() => patches.length === 3, 'three patches');
    assert.deepEqual(patches.map((p) => [p.path, p.headers['content-type'], JSON.parse(p.body)]), [
      [POD_PATH, 'application/strategic-merge-patch+json', { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-1' }], uid: 'pod-1' } }],
      [POD_PATH, 'application/merge-patch+json', { metadata: { resourceVersion: '7', ownerReferences: null } }],
      [RS_PATH, 'application/merge-patch+json', { metadata: { resourceVersion: '6', finalizers: null } }],
    ]);
    assert.deepEqual(deletes(fake), []);
  });

  test('Foreground: with a blocking dependent left the owner keeps its finalizer; the dependent is deleted', async () => {
    const { fake } = await start((f) => {
      f.collection('/api/v1/pods', 'Pod').put(pod('1'));
      f.collection('/apis/apps/v1/replicasets', 'ReplicaSet', 'apps/v1').put(rs({ deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }));
      f.on('GET', RS_PATH, (_r, res) => json(res, 200, rs({ deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })));
      f.on('GET', POD_PATH, (_r, res) => json(res, 200, pod('7')));
      f.on('DELETE', POD_PATH, (_r, res) => json(res, 200, pod('8')));
    });
    // (It may be deleted twice: queued by the owner's transition and again by the owner's pass; the fake keeps it.)
    await waitFor(() => deletes(fake).length >= 1, 'the dependent deleted');
    for (const d of deletes(fake)) assert.equal(body(d).propagationPolicy, 'Background', 'a dependent without dependents of its own goes Background');
    assert.deepEqual(fake.requests.filter((r) => r.method === 'PATCH'), [], 'no finalizer removed while the pod is still there');
    fake.collection('/api/v1/pods', 'Pod').remove('p');
    await waitFor(() => fake.requests.some((r) => r.method === 'PATCH' && r.path === RS_PATH), 'the finalizer removed once the pod is gone');
    assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === 'PATCH')!.body), { metadata: { resourceVersion: '5', finalizers: null } });
  });
});
