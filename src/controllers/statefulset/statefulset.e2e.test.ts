// The StatefulSet controller against the real server (a child process running only this controller and no
// simulated nodes). The test plays kubelet: it binds pods to a node (so deletions are graceful and pods stay
// terminating), marks them Running+Ready through PATCH …/pods/NAME/status (strategic merge), and finishes
// terminations with gracePeriodSeconds=0. kubernetes-semantics.md §5, §7.1, §10; kubectl-compatibility.md §3.10.
//
// Ordering is checked without timing: before a pod is made Ready the test asserts which pods exist, and while a
// pod is terminating it asserts the next one is untouched. The controller cannot move on before the test acts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cleanup, http, kubectl, startKubedisco, tableRows, waitFor, type Kubedisco } from '../../../test/e2e/harness.ts';

const NS = 'default';
const NODE = 'e2e-node';

let k: Kubedisco;
before(async () => { k = await startKubedisco({ extraArgs: ['--controllers', 'statefulset', '--nodes', '0'] }); });
after(async () => { await k.stop(); cleanup(k); });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const r = await http(k, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': contentType });
  assert.ok(r.status < 300, `${method} ${path} → ${r.status}: ${r.text}`);
  return r.json;
}

const podPath = (name: string, sub = '') => `/api/v1/namespaces/${NS}/pods/${name}${sub}`;

interface PodInfo { name: string; uid: string; terminating: boolean; phase: string; ready: boolean; raw: any }

async function pods(app: string): Promise<PodInfo[]> {
  const list = await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`);
  return list.items.map((p: any) => ({
    name: p.metadata.name, uid: p.metadata.uid, terminating: !!p.metadata.deletionTimestamp, phase: p.status?.phase ?? '',
    ready: (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'), raw: p,
  })).sort((a: PodInfo, b: PodInfo) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}
const names = (ps: PodInfo[]) => ps.map((p) => p.name);

// The kubelet's part.
async function bind(name: string): Promise<void> {
  await api('POST', podPath(name, '/binding'), { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } });
}
async function markReady(name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: now });
  await api('PATCH', podPath(name, '/status'), { status: { phase: 'Running', conditions: [cond('Initialized'), cond('ContainersReady'), cond('Ready')], startTime: now } }, 'application/strategic-merge-patch+json');
}
async function finishTermination(name: string): Promise<void> {
  const r = await http(k, 'DELETE', podPath(name), JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }));
  assert.ok(r.status < 300 || r.status === 404, `final delete of ${name}: ${r.status} ${r.text}`);
}
/** Waits for `name` to be created (a new one when `notUid` is given), checks its identity, binds it. */
async function scheduled(set: string, name: string, notUid?: string): Promise<PodInfo> {
  const p = await waitFor(`${name} created`, async () => (await pods(set)).find((x) => x.name === name && x.uid !== notUid && !x.terminating));
  assert.equal(p.phase, 'Pending');
  assert.equal(p.raw.spec.nodeName, undefined, 'created unscheduled');
  await bind(name);
  return p;
}

async function sts(name: string): Promise<any> {
  return api('GET', `/apis/apps/v1/namespaces/${NS}/statefulsets/${name}`);
}

/** `kubectl rollout status` in the background, with its output so far. */
function rolloutStatus(name: string): { out: () => string; done: Promise<number> } {
  let out = '';
  const p = spawn('kubectl', ['--kubeconfig', k.kubeconfig, '--cache-dir', k.cacheDir, 'rollout', 'status', `statefulset/${name}`, '--timeout=90s'], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout.on('data', (c) => { out += c; });
  p.stderr.on('data', (c) => { out += c; });
  const done = new Promise<number>((resolve) => p.on('close', (code) => resolve(code ?? -1)));
  return { out: () => out, done };
}

async function eventMessages(set: string): Promise<string[]> {
  const list = await api('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3D${set},involvedObject.kind%3DStatefulSet`);
  return list.items
    .filter((e: any) => e.source?.component === 'statefulset-controller')
    .sort((a: any, b: any) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((e: any) => `${e.type} ${e.reason} ${e.message}`);
}

const MANIFEST = (name: string, replicas: number, policy = 'OrderedReady') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  clusterIP: None
  selector: {app: ${name}}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: ${replicas}
  podManagementPolicy: ${policy}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{containerPort: 80, name: web}]}]
`;

describe('statefulset controller against kubedisco server (kubelet played by the test)', () => {
  test('OrderedReady: web-0, web-1, web-2 created one at a time, each after the previous is Ready; rollout status returns (§5, §3.10)', async () => {
    await ok(['apply', '-f', '-'], MANIFEST('web', 3));
    const rollout = rolloutStatus('web');
    for (let i = 0; i < 3; i++) {
      const p = await scheduled('web', `web-${i}`);
      assert.deepEqual(names(await pods('web')), Array.from({ length: i + 1 }, (_, j) => `web-${j}`), `web-${i + 1} must not exist before web-${i} is Ready`);
      if (i === 0) {
        const s = p.raw;
        assert.equal(s.spec.hostname, 'web-0');
        assert.equal(s.spec.subdomain, 'web');
        assert.equal(s.metadata.generateName, 'web-');
        assert.equal(s.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
        assert.equal(s.metadata.labels['apps.kubernetes.io/pod-index'], '0');
        assert.match(s.metadata.labels['controller-revision-hash'], /^web-[bcdf4-9]+$/);
        const set = await sts('web');
        assert.deepEqual(s.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      }
      await waitFor(`rollout status waiting for ${3 - i} pods`, async () => rollout.out().includes(`Waiting for ${3 - i} pods to be ready...`));
      await markReady(`web-${i}`);
    }
    assert.equal(await rollout.done, 0, rollout.out());
    assert.match(rollout.out(), /partitioned roll out complete: 3 new pods have been updated\.\.\.\n$/);

    const set = await sts('web');
    const st = set.status;
    assert.equal(st.observedGeneration, set.metadata.generation);
    assert.deepEqual([st.replicas, st.readyReplicas, st.currentReplicas, st.updatedReplicas, st.availableReplicas, st.collisionCount], [3, 3, 3, 3, 3, 0]);
    assert.equal(st.currentRevision, st.updateRevision);
    const revs = (await api('GET', `/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items.filter((r: any) => r.metadata.ownerReferences?.[0]?.uid === set.metadata.uid);
    assert.deepEqual(revs.map((r: any) => [r.metadata.name, r.revision]), [[st.updateRevision, 1]]);
    assert.equal(revs[0].metadata.labels['controller.kubernetes.io/hash'], st.updateRevision.slice('web-'.length));

    const row = tableRows(await ok(['get', 'sts', 'web']))[1];
    assert.deepEqual(row.slice(0, 2), ['web', '3/3']);
    await waitFor('create events', async () => {
      const ev = await eventMessages('web');
      return JSON.stringify(ev) === JSON.stringify([0, 1, 2].map((i) => `Normal SuccessfulCreate create Pod web-${i} in StatefulSet web successful`));
    });
    const described = await ok(['describe', 'sts', 'web']);
    assert.match(described, /SuccessfulCreate\s+\S+\s+statefulset-controller\s+create Pod web-2 in StatefulSet web successful/);
  });

  test('scale 3→5 creates web-3 then web-4; scale 5→2 deletes web-4, web-3, web-2, each waiting for the previous to be gone (§5)', async () => {
    assert.equal(await ok(['scale', 'sts', 'web', '--replicas=5']), 'statefulset.apps/web scaled\n');
    for (const i of [3, 4]) {
      await scheduled('web', `web-${i}`);
      assert.deepEqual(names(await pods('web')), Array.from({ length: i + 1 }, (_, j) => `web-${j}`));
      await markReady(`web-${i}`);
    }
    await waitFor('5/5 ready', async () => (await sts('web')).status.readyReplicas === 5);

    await ok(['scale', 'sts', 'web', '--replicas=2']);
    for (const i of [4, 3, 2]) {
      await waitFor(`web-${i} terminating`, async () => (await pods('web')).find((p) => p.name === `web-${i}`)?.terminating);
      const now = await pods('web');
      assert.deepEqual(now.filter((p) => p.terminating).map((p) => p.name), [`web-${i}`], `only web-${i} is terminating; a terminating pod blocks the next deletion`);
      assert.deepEqual(names(now), Array.from({ length: i + 1 }, (_, j) => `web-${j}`));
      await finishTermination(`web-${i}`);
    }
    await waitFor('web-0, web-1 left and status 2/2', async () => {
      const st = (await sts('web')).status;
      return JSON.stringify(names(await pods('web'))) === '["web-0","web-1"]' && st.replicas === 2 && st.readyReplicas === 2;
    });
    const ev = await waitFor('delete events', async () => {
      const e = (await eventMessages('web')).filter((m) => m.includes('SuccessfulDelete'));
      return e.length === 3 && e;
    });
    assert.deepEqual(ev, [4, 3, 2].map((i) => `Normal SuccessfulDelete delete Pod web-${i} in StatefulSet web successful`));
    assert.deepEqual(tableRows(await ok(['get', 'sts', 'web']))[1].slice(0, 2), ['web', '2/2']);
  });

  test('a deleted pod comes back under the same name after its deletion completes; a Failed pod is deleted and recreated (§5)', async () => {
    const before = (await pods('web')).find((p) => p.name === 'web-1')!;
    await ok(['delete', 'pod', 'web-1', '--wait=false']);
    await waitFor('web-1 terminating', async () => (await pods('web')).find((p) => p.name === 'web-1')?.terminating);
    await finishTermination('web-1');
    await scheduled('web', 'web-1', before.uid);
    await markReady('web-1');

    const web0 = (await pods('web')).find((p) => p.name === 'web-0')!;
    await api('PATCH', podPath('web-0', '/status'), { status: { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False' }] } }, 'application/strategic-merge-patch+json');
    // A Failed pod is deleted with grace 0 (CheckGracefulDelete), so it is gone at once and recreated.
    await scheduled('web', 'web-0', web0.uid);
    await markReady('web-0');
    await waitFor('2/2 again', async () => (await sts('web')).status.readyReplicas === 2);
    const ev = await eventMessages('web');
    assert.ok(ev.includes('Normal SuccessfulDelete delete Pod web-0 in StatefulSet web successful'), ev.join('\n'));
  });

  test('a matching orphan named like a member is adopted (and deleted: its ordinal is condemned); a non-member stays an orphan', async () => {
    await api('POST', `/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'web-7', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await api('POST', `/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await waitFor('web-7 adopted and deleted', async () => !(await pods('web')).some((p) => p.name === 'web-7'));
    await waitFor('delete event for web-7', async () => (await eventMessages('web')).includes('Normal SuccessfulDelete delete Pod web-7 in StatefulSet web successful'));
    const stray = (await pods('web')).find((p) => p.name === 'stray')!;
    assert.equal(stray.raw.metadata.ownerReferences, undefined);
    await finishTermination('stray');
  });

  test('rolling update: web-1 then web-0 replaced at the new revision; rollout status completes; currentRevision moves; rollout undo renumbers the old revision (§5)', async () => {
    const old = (await sts('web')).status.currentRevision;
    await ok(['set', 'image', 'sts/web', 'nginx=nginx:1.28']);
    const rollout = rolloutStatus('web');
    for (const i of [1, 0]) {
      const name = `web-${i}`;
      const prev = await waitFor(`${name} terminating`, async () => (await pods('web')).find((p) => p.name === name && p.terminating));
      assert.deepEqual((await pods('web')).filter((p) => p.terminating).map((p) => p.name), [name]);
      await finishTermination(name);
      const p = await scheduled('web', name, prev.uid);
      assert.equal(p.raw.spec.containers[0].image, 'nginx:1.28');
      assert.notEqual(p.raw.metadata.labels['controller-revision-hash'], old);
      await markReady(name);
    }
    assert.equal(await rollout.done, 0, rollout.out());
    assert.match(rollout.out(), /partitioned roll out complete: 2 new pods have been updated\.\.\.\n$/);
    const st = (await sts('web')).status;
    assert.notEqual(st.updateRevision, old);
    assert.equal(st.currentRevision, st.updateRevision);
    assert.deepEqual([st.replicas, st.readyReplicas, st.currentReplicas, st.updatedReplicas], [2, 2, 2, 2]);
    const revs = (await api('GET', `/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items.map((r: any) => [r.metadata.name, r.revision]).sort();
    assert.deepEqual(revs, [[old, 1], [st.updateRevision, 2]].sort());

    // kubectl rollout undo patches the template back: the old revision is renumbered (3), not duplicated.
    assert.match(await ok(['rollout', 'undo', 'sts/web']), /statefulset.apps\/web rolled back/);
    const undo = rolloutStatus('web');
    for (const i of [1, 0]) {
      const name = `web-${i}`;
      const prev = await waitFor(`${name} terminating`, async () => (await pods('web')).find((p) => p.name === name && p.terminating));
      await finishTermination(name);
      const p = await scheduled('web', name, prev.uid);
      assert.equal(p.raw.metadata.labels['controller-revision-hash'], old);
      await markReady(name);
    }
    assert.equal(await undo.done, 0, undo.out());
    const back = (await sts('web')).status;
    assert.deepEqual([back.currentRevision, back.updateRevision, back.currentReplicas, back.updatedReplicas], [old, old, 2, 2]);
    const revs2 = (await api('GET', `/apis/apps/v1/namespaces/${NS}/controllerrevisions`)).items.map((r: any) => [r.metadata.name, r.revision]).sort();
    assert.deepEqual(revs2, [[old, 3], [st.updateRevision, 2]].sort());
  });

  test('Parallel: all pods created without waiting for readiness; scale to 0 deletes them all at once (§5 Parallel)', async () => {
    await ok(['apply', '-f', '-'], MANIFEST('par', 3, 'Parallel'));
    await waitFor('par-0..2 created', async () => JSON.stringify(names(await pods('par'))) === '["par-0","par-1","par-2"]');
    const ps = await pods('par');
    assert.deepEqual(ps.map((p) => p.ready), [false, false, false], 'none was Ready when all three existed');
    for (const p of ps) { await bind(p.name); await markReady(p.name); }
    await waitFor('3/3', async () => (await sts('par')).status.readyReplicas === 3);
    await ok(['scale', 'sts', 'par', '--replicas=0']);
    await waitFor('all three terminating together', async () => (await pods('par')).every((p) => p.terminating));
    for (const p of ps) await finishTermination(p.name);
    await waitFor('no par pods and status 0', async () => (await pods('par')).length === 0 && (await sts('par')).status.replicas === 0);
    assert.deepEqual(tableRows(await ok(['get', 'sts', 'par']))[1].slice(0, 2), ['par', '0/0']);
  });

  const LONG = `long-${'x'.repeat(55)}`; // a valid set name whose controller-revision-hash label value exceeds 63
  test('a pod the API refuses gives a Warning FailedCreate event with the error (§10)', async () => {
    await ok(['apply', '-f', '-'], MANIFEST(LONG, 1));
    const ev = await waitFor('FailedCreate', async () => (await eventMessages(LONG)).find((m) => m.startsWith('Warning FailedCreate')));
    assert.match(ev, new RegExp(`^Warning FailedCreate create Pod ${LONG}-0 in StatefulSet ${LONG} failed error: Pod "${LONG}-0" is invalid: metadata\\.labels: Invalid value: "${LONG}-[bcdf4-9]+": must be no more than 63 characters`));
    await ok(['delete', 'sts', LONG]);
  });

  test('the controller logged no warnings or errors (no failed sync besides quiet conflicts and the refused pod)', () => {
    const bad = k.stderr().split('\n').filter((l) => !l.includes(LONG)).filter((l) => l.includes('"level":"error"') || (l.includes('"level":"warn"') && l.includes('statefulset-controller')));
    assert.deepEqual(bad, []);
  });
});
