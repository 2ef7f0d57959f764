// The namespace controller end to end (kubernetes-semantics.md §9): `kubedisco server` as a child process with
// only the garbage collector and the namespace controller, no simulated nodes. Pods are bound to a node that
// nobody runs, so their deletion is graceful and they stay Terminating; the test plays the kubelet by
// deleting terminating pods with grace period 0.

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
const conditions = async (ns: string): Promise<Record<string, { status: string; reason: string; message: string }>> =>
  Object.fromEntries(((await getJSON(['namespace', ns])).status.conditions ?? []).map((c: any) => [c.type, c]));

/** Plays the kubelet for a namespace: deletes its terminating pods with grace period 0, until stopped. */
function kubelet(ns: string): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && i < 600; i++) {
      const r = await kubectl(k, ['get', 'pods', '-n', ns, '-o', 'json']);
      if (r.code === 0) {
        for (const p of JSON.parse(r.stdout).items) {
          if (p.metadata.deletionTimestamp) await kubectl(k, ['delete', 'pod', p.metadata.name, '-n', ns, '--grace-period=0', '--force', '--wait=false']);
        }
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  })();
  return { async stop() { running = false; await loop; } };
}

async function populate(ns: string): Promise<void> {
  await ok(['create', 'namespace', ns]);
  for (const name of ['web', 'db']) await ok(['create', 'service', 'clusterip', name, '--tcp=80:8080', '-n', ns]);
  for (const name of ['settings', 'scripts']) await ok(['create', 'configmap', name, '--from-literal=a=b', '-n', ns]);
  for (const name of ['web-0', 'web-1']) {
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'web' } }, spec: { nodeName: 'kubelet-played-by-the-test', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] } });
  }
  await apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: ns }, spec: { serviceName: 'web', replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] } } } });
}

describe('namespace controller (kubernetes-semantics.md §9) against kubedisco server', () => {
  test('kubectl delete namespace returns once services, configmaps, pods and the rest are gone', async () => {
    await populate('moon');
    const kl = kubelet('moon');
    try {
      await ok(['delete', 'namespace', 'moon', '--timeout=60s']);
    } finally {
      await kl.stop();
    }
    const r = await kubectl(k, ['get', 'namespace', 'moon']);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): namespaces "moon" not found');
    const left = await ok(['get', 'pods,services,configmaps,statefulsets,endpointslices', '-n', 'moon', '-o', 'name']);
    assert.equal(left.trim(), '');
  });

  test('while pods terminate: Terminating, content conditions True with kube\'s reasons and messages; gone once the kubelet removes the pods', async () => {
    await populate('sun');
    await ok(['delete', 'namespace', 'sun', '--wait=false']);
    await waitFor('the content deleted but for the terminating pods', async () => {
      const c = await conditions('sun');
      return c.NamespaceContentRemaining?.message === 'Some resources are remaining: pods. has 2 resource instances' ? c : false;
    });
    const ns = await getJSON(['namespace', 'sun']);
    assert.equal(ns.status.phase, 'Terminating');
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    const c = await conditions('sun');
    assert.deepEqual([c.NamespaceContentRemaining.status, c.NamespaceContentRemaining.reason], ['True', 'SomeResourcesRemain']);
    assert.deepEqual([c.NamespaceDeletionDiscoveryFailure.status, c.NamespaceDeletionDiscoveryFailure.reason, c.NamespaceDeletionDiscoveryFailure.message],
      ['False', 'ResourcesDiscovered', 'All resources successfully discovered']);
    assert.deepEqual([c.NamespaceDeletionGroupVersionParsingFailure.status, c.NamespaceDeletionGroupVersionParsingFailure.reason], ['False', 'ParsedGroupVersions']);
    assert.deepEqual([c.NamespaceDeletionContentFailure.status, c.NamespaceDeletionContentFailure.reason], ['False', 'ContentDeleted']);
    assert.deepEqual([c.NamespaceFinalizersRemaining.status, c.NamespaceFinalizersRemaining.reason, c.NamespaceFinalizersRemaining.message],
      ['False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished']);
    assert.equal((await ok(['get', 'services,configmaps,statefulsets', '-n', 'sun', '-o', 'name'])).trim(), '');
    const pods = (await getJSON(['pods', '-n', 'sun'])).items;
    assert.equal(pods.length, 2);
    for (const p of pods) assert.ok(p.metadata.deletionTimestamp, `${p.metadata.name} is terminating`);

    const created = await kubectl(k, ['create', 'configmap', 'late', '-n', 'sun']);
    assert.equal(created.code, 1);
    assert.match(created.stderr, /configmaps "late" is forbidden: unable to create new content in namespace sun because it is being terminated/);

    const kl = kubelet('sun');
    try {
      await ok(['wait', '--for=delete', 'namespace/sun', '--timeout=60s']);
    } finally {
      await kl.stop();
    }
  });

  test('content held by a finalizer: NamespaceFinalizersRemaining names it; removing the finalizer lets the namespace go', async () => {
    await ok(['create', 'namespace', 'mars']);
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'mars', finalizers: ['example.com/hold'] }, data: { a: 'b' } });
    await ok(['delete', 'namespace', 'mars', '--wait=false']);
    const c = await waitFor('finalizer condition', async () => {
      const x = await conditions('mars');
      return x.NamespaceFinalizersRemaining?.status === 'True' ? x : false;
    });
    assert.deepEqual([c.NamespaceFinalizersRemaining.reason, c.NamespaceFinalizersRemaining.message],
      ['SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances']);
    assert.equal(c.NamespaceContentRemaining.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.ok((await getJSON(['configmap', 'held', '-n', 'mars'])).metadata.deletionTimestamp);
    await ok(['patch', 'configmap', 'held', '-n', 'mars', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await ok(['wait', '--for=delete', 'namespace/mars', '--timeout=60s']);
  });

  test('a namespace deleted with --cascade=foreground is finished by the garbage collector and the namespace controller together', async () => {
    await ok(['create', 'namespace', 'venus']);
    await ok(['create', 'configmap', 'c', '--from-literal=a=b', '-n', 'venus']);
    await ok(['delete', 'namespace', 'venus', '--cascade=foreground', '--timeout=60s']);
    assert.equal((await kubectl(k, ['get', 'namespace', 'venus'])).code, 1);
  });

  test('a recreated namespace of the same name starts empty', async () => {
    await ok(['create', 'namespace', 'moon']);
    assert.equal((await ok(['get', 'pods,services,configmaps', '-n', 'moon', '-o', 'name'])).trim(), '');
  });
});
