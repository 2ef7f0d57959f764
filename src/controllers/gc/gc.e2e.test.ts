// The garbage collector end to end: `kubedisco server` as a child process running only the garbage collector
// (and the namespace controller), no simulated nodes; owners and dependents are created by hand with
// ownerReferences, and deleted with the real kubectl in each --cascade mode (kubernetes-semantics.md §8).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, kubectl, startKubedisco, waitFor, type Kubedisco } from '../../../test/e2e/harness.ts';

let k: Kubedisco;
before(async () => { k = await startKubedisco({ extraArgs: ['--controllers', 'garbagecollector,namespace', '--nodes', '0'] }); });
after(async () => { await k.stop(); cleanup(k); });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const getJSON = async (args: string[]) => JSON.parse(await ok(['get', ...args, '-o', 'json']));
const apply = (obj: object) => ok(['apply', '-f', '-'], JSON.stringify(obj));
const uidOf = async (kind: string, name: string, ns: string) => (await getJSON([kind, name, '-n', ns])).metadata.uid as string;
const names = async (kind: string, ns: string, selector?: string) =>
  ((await getJSON([kind, '-n', ns, ...(selector ? ['-l', selector] : [])])).items as any[]).map((o) => o.metadata.name as string).sort();
const exists = async (kind: string, name: string, ns: string) => (await kubectl(k, ['get', kind, name, '-n', ns, '-o', 'name'])).code === 0;

interface Owner { apiVersion: string; kind: string; name: string; uid: string }
const ref = (o: Owner, block = true) => ({ ...o, controller: true, blockOwnerDeletion: block });

const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] } };
async function statefulSet(ns: string, name: string): Promise<Owner> {
  await apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: ns }, spec: { serviceName: name, replicas: 0, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } });
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: await uidOf('statefulset', name, ns) };
}
async function deployment(ns: string, name: string): Promise<Owner> {
  await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 0, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } });
  return { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: await uidOf('deployment', name, ns) };
}
async function replicaSet(ns: string, name: string, owners: object[] = []): Promise<Owner> {
  await apply({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: ns, ownerReferences: owners }, spec: { replicas: 0, selector: { matchLabels: { app: 'x' } }, template: TEMPLATE } });
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: await uidOf('replicaset', name, ns) };
}
const pod = (ns: string, name: string, owners: object[], labels: Record<string, string> = {}) =>
  apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels, ownerReferences: owners }, spec: TEMPLATE.spec });
const configMap = (ns: string, name: string, owners: object[], extra: object = {}) =>
  apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ownerReferences: owners, ...extra }, data: { a: 'b' } });

describe('garbage collector (kubernetes-semantics.md §8) against kubedisco server', () => {
  before(async () => {
    for (const ns of ['bg', 'fg', 'orphan', 'multi']) await ok(['create', 'namespace', ns]);
  });

  test('Background: kubectl delete statefulset (waits) removes its pods and ControllerRevisions', async () => {
    const web = await statefulSet('bg', 'web');
    for (const i of [0, 1, 2]) await pod('bg', `web-${i}`, [ref(web)], { app: 'web' });
    await apply({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-5d4f8', namespace: 'bg', ownerReferences: [ref(web)] }, data: {}, revision: 1 });
    await ok(['delete', 'statefulset', 'web', '-n', 'bg', '--timeout=30s']);
    await waitFor('pods and revisions of web gone', async () => (await names('pods', 'bg', 'app=web')).length === 0 && (await names('controllerrevisions', 'bg')).length === 0);
  });

  test('Background cascades down a chain: Deployment → ReplicaSet → Pods', async () => {
    const app = await deployment('bg', 'app');
    const rs = await replicaSet('bg', 'app-7c9d', [ref(app)]);
    for (const i of [0, 1]) await pod('bg', `app-7c9d-${i}`, [ref(rs)], { app: 'app' });
    await ok(['delete', 'deployment', 'app', '-n', 'bg', '--timeout=30s']);
    await waitFor('ReplicaSet gone', async () => !(await exists('replicaset', 'app-7c9d', 'bg')));
    await waitFor('its pods gone', async () => (await names('pods', 'bg', 'app=app')).length === 0);
  });

  test('Background: a Service\'s EndpointSlices go with it', async () => {
    await ok(['create', 'service', 'clusterip', 'db', '--tcp=5432:5432', '-n', 'bg']);
    const svc: Owner = { apiVersion: 'v1', kind: 'Service', name: 'db', uid: await uidOf('service', 'db', 'bg') };
    await apply({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-abcde', namespace: 'bg', labels: { 'kubernetes.io/service-name': 'db' }, ownerReferences: [ref(svc)] }, addressType: 'IPv4', endpoints: [] });
    await ok(['delete', 'service', 'db', '-n', 'bg']);
    await waitFor('slice gone', async () => !(await exists('endpointslice', 'db-abcde', 'bg')));
  });

  test('Foreground: the owner stays (deletionTimestamp, foregroundDeletion) until every blocking dependent is gone, then kubectl returns', async () => {
    const app = await deployment('fg', 'app');
    const rs = await replicaSet('fg', 'app-5d', [ref(app)]);
    for (const i of [0, 1]) await pod('fg', `app-5d-${i}`, [ref(rs)], { app: 'app' });
    // A blocking dependent the test holds with its own finalizer, so the waiting state can be seen.
    await configMap('fg', 'held', [ref(app)], { finalizers: ['example.com/hold'] });
    await ok(['delete', 'deployment', 'app', '-n', 'fg', '--cascade=foreground', '--wait=false']);
    await waitFor('pods and ReplicaSet gone first', async () => (await names('pods', 'fg', 'app=app')).length === 0 && !(await exists('replicaset', 'app-5d', 'fg')));
    const waiting = await getJSON(['deployment', 'app', '-n', 'fg']);
    assert.ok(waiting.metadata.deletionTimestamp, 'the Deployment is being deleted');
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    await waitFor('the held dependent deleted too (it stays, marked, for its finalizer)', async () => !!(await getJSON(['configmap', 'held', '-n', 'fg'])).metadata.deletionTimestamp);
    assert.deepEqual((await getJSON(['deployment', 'app', '-n', 'fg'])).metadata.finalizers, ['foregroundDeletion'], 'the Deployment still waits for it');
    await ok(['patch', 'configmap', 'held', '-n', 'fg', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await ok(['wait', '--for=delete', 'deployment/app', '-n', 'fg', '--timeout=30s']);
  });

  test('Foreground: kubectl delete deploy --cascade=foreground completes', async () => {
    const web = await deployment('fg', 'web');
    const rs = await replicaSet('fg', 'web-6f', [ref(web)]);
    for (const i of [0, 1, 2]) await pod('fg', `web-6f-${i}`, [ref(rs)], { app: 'web' });
    await ok(['delete', 'deployment', 'web', '-n', 'fg', '--cascade=foreground', '--timeout=30s']);
    assert.equal(await exists('replicaset', 'web-6f', 'fg'), false);
    assert.deepEqual(await names('pods', 'fg', 'app=web'), []);
  });

  test('Orphan: kubectl delete statefulset --cascade=orphan leaves the pods, with no ownerReference', async () => {
    const web = await statefulSet('orphan', 'web');
    for (const i of [0, 1]) await pod('orphan', `web-${i}`, [ref(web)], { app: 'web' });
    await ok(['delete', 'statefulset', 'web', '-n', 'orphan', '--cascade=orphan', '--timeout=30s']);
    const pods = (await getJSON(['pods', '-n', 'orphan', '-l', 'app=web'])).items;
    assert.deepEqual(pods.map((p: any) => p.metadata.name).sort(), ['web-0', 'web-1']);
    for (const p of pods) assert.deepEqual(p.metadata.ownerReferences ?? [], [], `${p.metadata.name} keeps no ownerReference`);
    assert.equal(pods.some((p: any) => p.metadata.deletionTimestamp), false);
  });

  test('Orphan keeps references to other owners', async () => {
    const a = await replicaSet('orphan', 'a');
    const b = await replicaSet('orphan', 'b');
    await configMap('orphan', 'both', [ref(a, false), { ...ref(b, false), controller: false }]);
    await ok(['delete', 'replicaset', 'a', '-n', 'orphan', '--cascade=orphan', '--timeout=30s']);
    const cm = await getJSON(['configmap', 'both', '-n', 'orphan']);
    assert.deepEqual(cm.metadata.ownerReferences.map((r: any) => r.name), ['b']);
  });

  test('several owners: the dependent survives while one owner is left (its dangling reference is removed), and goes with the last', async () => {
    const a = await replicaSet('multi', 'a');
    const b = await replicaSet('multi', 'b');
    await configMap('multi', 'shared', [ref(a, false), { ...ref(b, false), controller: false }]);
    await ok(['delete', 'replicaset', 'a', '-n', 'multi', '--timeout=30s']);
    await waitFor('reference to a removed', async () => {
      const cm = await getJSON(['configmap', 'shared', '-n', 'multi']);
      return JSON.stringify(cm.metadata.ownerReferences.map((r: any) => r.name)) === '["b"]';
    });
    assert.equal((await getJSON(['configmap', 'shared', '-n', 'multi'])).metadata.deletionTimestamp, undefined);
    await ok(['delete', 'replicaset', 'b', '-n', 'multi', '--timeout=30s']);
    await waitFor('shared gone', async () => !(await exists('configmap', 'shared', 'multi')));
  });

  test('an owner recreated under the same name (new uid) does not own the old dependents: they are collected', async () => {
    const current = await statefulSet('multi', 'db');
    await pod('multi', 'db-0', [ref(current)], { app: 'db' });
    await pod('multi', 'db-stale', [ref({ ...current, uid: '00000000-0000-4000-8000-000000000001' })], { app: 'db' });
    await waitFor('the stale pod collected', async () => !(await exists('pod', 'db-stale', 'multi')));
    assert.equal(await exists('pod', 'db-0', 'multi'), true, 'the pod of the live owner stays');
  });

  test('a dependent whose owner never existed is collected', async () => {
    await configMap('multi', 'ghost-child', [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ghost', uid: '00000000-0000-4000-8000-000000000002' }]);
    await waitFor('ghost-child collected', async () => !(await exists('configmap', 'ghost-child', 'multi')));
  });

  test('a cluster-scoped owner (a Node) is looked up without a namespace: its namespaced dependent goes with it', async () => {
    await apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gc-node' } });
    const node: Owner = { apiVersion: 'v1', kind: 'Node', name: 'gc-node', uid: (await getJSON(['node', 'gc-node'])).metadata.uid };
    await configMap('multi', 'node-info', [ref(node, false)]);
    await configMap('multi', 'unrelated', []);
    await ok(['delete', 'node', 'gc-node', '--timeout=30s']);
    await waitFor('node-info collected', async () => !(await exists('configmap', 'node-info', 'multi')));
    assert.equal(await exists('configmap', 'unrelated', 'multi'), true);
  });
});
