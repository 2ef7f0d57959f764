// The Deployment and ReplicaSet controllers against the real server: a child process running only these two
// controllers and no simulated nodes. The test plays kubelet in the background: it binds new pods to a node (so
// deletions are graceful and pods stay terminating until it finishes them), marks each pod Running+Ready once
// through PATCH pods/NAME/status (strategic merge), and deletes terminating pods with gracePeriodSeconds 0.
// Seed 002's Deployment in namespace moon; kubernetes-semantics.md §6, §7.1, §10; kubectl-compatibility.md §3.10.
//
// Rollout bounds are checked as invariants over every snapshot the kubelet takes, not with timing.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, http, kubectl, ROOT, startKubedisco, tableRows, waitFor, type Kubedisco } from '../../../test/e2e/harness.ts';

const NS = 'moon';
const NODE = 'e2e-node';
const SEED = join(ROOT, 'test/fixtures/seeds/002-moon.yaml');
const HASH = '[bcdfghjklmnpqrstvwxz2456789]';

let k: Kubedisco;

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin, timeoutMs: 90_000 });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const r = await http(k, method, path, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': contentType });
  assert.ok(r.status < 300, `${method} ${path} → ${r.status}: ${r.text}`);
  return r.json;
}

const podsPath = (q = '') => `/api/v1/namespaces/${NS}/pods${q}`;
const podPath = (name: string, sub = '') => `/api/v1/namespaces/${NS}/pods/${name}${sub}`;
const isReady = (p: any) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function podsOf(app: string): Promise<any[]> {
  return (await api('GET', podsPath(`?labelSelector=app%3D${app}`))).items;
}
async function replicaSets(app: string): Promise<any[]> {
  return (await api('GET', `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${app}`)).items;
}
async function deployment(name: string): Promise<any> {
  return api('GET', `/apis/apps/v1/namespaces/${NS}/deployments/${name}`);
}
async function events(kind: string, name: string): Promise<string[]> {
  const list = await api('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3D${name},involvedObject.kind%3D${kind}`);
  return list.items
    .sort((a: any, b: any) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((e: any) => `${e.source?.component} ${e.type} ${e.reason} ${e.message}`);
}

/** The kubelet's part, in the background: bind, make Ready once per pod, finish terminations. */
class Kubelet {
  private stopped = false;
  private loop?: Promise<void>;
  private readonly readied = new Set<string>();
  /** Called with every snapshot of the namespace's pods and ReplicaSets (for invariants). */
  observe?: (pods: any[], rss: any[]) => void;
  errors: string[] = [];

  start(): void {
    this.loop = (async () => {
      for (let i = 0; i < 100_000 && !this.stopped; i++) {
        try {
          await this.tick();
        } catch (e) {
          this.errors.push((e as Error).message);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Leaves a pod's readiness alone from now on (the test sets it). */
  hands(uid: string): void {
    this.readied.add(uid);
  }

  private async tick(): Promise<void> {
    const pods = (await api('GET', podsPath())).items;
    if (this.observe) this.observe(pods, (await api('GET', `/apis/apps/v1/namespaces/${NS}/replicasets`)).items);
    for (const p of pods) {
      const name = p.metadata.name;
      if (p.metadata.deletionTimestamp) {
        const r = await http(k, 'DELETE', podPath(name), JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 }));
        if (r.status >= 300 && r.status !== 404) this.errors.push(`final delete of ${name}: ${r.status} ${r.text}`);
      } else if (!p.spec.nodeName) {
        await api('POST', podPath(name, '/binding'), { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } });
      } else if (!this.readied.has(p.metadata.uid)) {
        this.readied.add(p.metadata.uid);
        const t = now();
        const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
        await api('PATCH', podPath(name, '/status'), {
          status: {
            phase: 'Running', startTime: t, podIP: '10.244.0.10', podIPs: [{ ip: '10.244.0.10' }],
            conditions: [cond('PodScheduled'), cond('Initialized'), cond('ContainersReady'), cond('Ready')],
            containerStatuses: p.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } })),
          },
        }, 'application/strategic-merge-patch+json');
      }
    }
  }
}

const kubelet = new Kubelet();
before(async () => {
  k = await startKubedisco({ extraArgs: ['--controllers', 'deployment,replicaset', '--nodes', '0'] });
  kubelet.start();
});
after(async () => {
  await kubelet.stop();
  await k.stop();
  cleanup(k);
});

describe('deployment and replicaset controllers against kubedisco server (kubelet played by the test)', () => {
  let rsName = '';
  let hash = '';

  test('seed 002: a Deployment of 3 → ReplicaSet app-<hash> → 3 pods with pod-template-hash; READY 3/3; rollout status returns (§6)', async () => {
    await ok(['create', 'namespace', NS]);
    await ok(['apply', '-n', NS, '-f', SEED]);
    const out = await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    assert.match(out, /deployment "app" successfully rolled out\n$/);

    const rss = await replicaSets('web');
    assert.equal(rss.length, 1);
    const rs = rss[0];
    rsName = rs.metadata.name;
    hash = rs.metadata.labels['pod-template-hash'];
    assert.match(hash, new RegExp(`^${HASH}{1,10}$`));
    assert.equal(rsName, `app-${hash}`);
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec.template.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.ownerReferences.map((o: any) => [o.kind, o.name, o.controller, o.blockOwnerDeletion]), [['Deployment', 'app', true, true]]);
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '4');
    assert.equal(rs.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], undefined, 'not copied from the deployment');
    assert.deepEqual([rs.status.replicas, rs.status.fullyLabeledReplicas, rs.status.readyReplicas, rs.status.availableReplicas, rs.status.observedGeneration], [3, 3, 3, 3, 1]);

    const pods = await podsOf('web');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name, new RegExp(`^app-${hash}-${HASH}{5}$`));
      assert.equal(p.metadata.generateName, `app-${hash}-`);
      assert.equal(p.metadata.labels['pod-template-hash'], hash);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }

    const rows = tableRows(await ok(['get', 'deploy', '-n', NS]));
    assert.deepEqual(rows[0].slice(0, 4), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE']);
    assert.deepEqual(rows[1].slice(0, 4), ['app', '3/3', '3', '3']);

    const d = await deployment('app');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.equal(d.metadata.generation, d.status.observedGeneration);
    assert.deepEqual([d.status.replicas, d.status.updatedReplicas, d.status.readyReplicas, d.status.availableReplicas, d.status.unavailableReplicas], [3, 3, 3, 3, undefined]);
    assert.deepEqual(d.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
    ]);

    assert.deepEqual(await events('Deployment', 'app'), [`deployment-controller Normal ScalingReplicaSet Scaled up replica set ${rsName} from 0 to 3`]);
    const rsEvents = await events('ReplicaSet', rsName);
    assert.deepEqual(rsEvents.map((e) => e.replace(/Created pod: \S+$/, 'Created pod: *')), Array(3).fill('replicaset-controller Normal SuccessfulCreate Created pod: *'));
    assert.deepEqual(rsEvents.map((e) => e.split(' ').at(-1)).sort(), pods.map((p) => p.metadata.name).sort());
    const described = await ok(['describe', 'deployment', 'app', '-n', NS]);
    assert.match(described, new RegExp(`Normal\\s+ScalingReplicaSet\\s+\\S+\\s+deployment-controller\\s+Scaled up replica set ${rsName} from 0 to 3`));
    assert.match(described, new RegExp(`NewReplicaSet:\\s+${rsName} \\(3/3 replicas created\\)`));
  });

  test('kubectl scale deploy to 5 and back to 3: the ReplicaSet follows; scale-down deletes the not-ready pod first', async () => {
    assert.equal((await ok(['scale', 'deployment', 'app', '-n', NS, '--replicas=5'])).trim(), 'deployment.apps/app scaled');
    await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    assert.deepEqual(tableRows(await ok(['get', 'deploy', 'app', '-n', NS]))[1].slice(0, 4), ['app', '5/5', '5', '5']);
    let rs = (await replicaSets('web'))[0];
    assert.equal(rs.metadata.name, rsName, 'scaling keeps the ReplicaSet');
    assert.equal(rs.spec.replicas, 5);
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(rs.metadata.annotations['deployment.kubernetes.io/max-replicas'], '7');

    // One pod goes unready (as a failing readiness probe would make it); the ReplicaSet must prefer it.
    const victim = (await podsOf('web'))[2];
    kubelet.hands(victim.metadata.uid);
    await api('PATCH', podPath(victim.metadata.name, '/status'), { status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now() }] } }, 'application/strategic-merge-patch+json');
    await waitFor('the ReplicaSet to see 4 ready pods', async () => (await replicaSets('web'))[0].status.readyReplicas === 4);

    await ok(['scale', 'deployment', 'app', '-n', NS, '--replicas=3']);
    await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    const left = await waitFor('3 pods left', async () => { const p = await podsOf('web'); return p.length === 3 ? p : false; });
    assert.ok(!left.some((p: any) => p.metadata.uid === victim.metadata.uid), 'the not-ready pod was deleted');
    assert.ok(left.every(isReady));
    rs = (await replicaSets('web'))[0];
    assert.equal(rs.spec.replicas, 3);
    assert.deepEqual(tableRows(await ok(['get', 'deploy', 'app', '-n', NS]))[1].slice(0, 4), ['app', '3/3', '3', '3']);

    const dEvents = await events('Deployment', 'app');
    assert.deepEqual(dEvents.slice(1), [
      `deployment-controller Normal ScalingReplicaSet Scaled up replica set ${rsName} to 5 from 3`,
      `deployment-controller Normal ScalingReplicaSet Scaled down replica set ${rsName} to 3 from 5`,
    ]);
    const deleted = (await events('ReplicaSet', rsName)).filter((e) => e.includes('SuccessfulDelete'));
    assert.equal(deleted.length, 2);
    assert.ok(deleted.includes(`replicaset-controller Normal SuccessfulDelete Deleted pod: ${victim.metadata.name}`), deleted.join('\n'));
  });

  test('an image change rolls out: new ReplicaSet (revision 2) within maxSurge/maxUnavailable; rollout status returns', async () => {
    // 3 replicas, 25%/25%: at most 4 pods wanted, at least 3 available, at every snapshot.
    const violations: string[] = [];
    let snapshots = 0;
    kubelet.observe = (pods, rss) => {
      snapshots++;
      const mine = rss.filter((r: any) => r.metadata.labels?.app === 'web');
      const wanted = mine.reduce((n: number, r: any) => n + r.spec.replicas, 0);
      const available = mine.reduce((n: number, r: any) => n + (r.status?.availableReplicas ?? 0), 0);
      if (wanted > 4) violations.push(`ReplicaSets want ${wanted} pods`);
      if (available < 3) violations.push(`ReplicaSets report ${available} available`);
      const ready = pods.filter((p: any) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp && isReady(p)).length;
      if (ready < 3) violations.push(`${ready} ready pods`);
    };
    assert.equal((await ok(['set', 'image', 'deployment/app', '-n', NS, 'nginx=nginx:1.27'])).trim(), 'deployment.apps/app image updated');
    const out = await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    assert.match(out, /deployment "app" successfully rolled out\n$/);
    const seen = snapshots;
    await waitFor('another snapshot after the rollout', async () => snapshots > seen + 1);
    kubelet.observe = undefined;
    assert.deepEqual(violations, []);

    const rss = await replicaSets('web');
    assert.equal(rss.length, 2);
    const nw = rss.find((r: any) => r.metadata.name !== rsName);
    const old = rss.find((r: any) => r.metadata.name === rsName);
    const newHash = nw.metadata.labels['pod-template-hash'];
    assert.notEqual(newHash, hash);
    assert.equal(nw.metadata.name, `app-${newHash}`);
    assert.equal(nw.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.deepEqual([nw.spec.replicas, nw.metadata.annotations['deployment.kubernetes.io/revision']], [3, '2']);
    assert.deepEqual([old.spec.replicas, old.status.replicas, old.metadata.annotations['deployment.kubernetes.io/revision']], [0, 0, '1']);
    const pods = await waitFor('only new pods', async () => { const p = await podsOf('web'); return p.length === 3 && p.every((x: any) => x.metadata.labels['pod-template-hash'] === newHash) ? p : false; });
    assert.ok(pods.every(isReady));

    const d = await deployment('app');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.deepEqual(d.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${nw.metadata.name}" has successfully progressed.`],
    ]);
    const dEvents = (await events('Deployment', 'app')).slice(3);
    assert.equal(dEvents[0], `deployment-controller Normal ScalingReplicaSet Scaled up replica set ${nw.metadata.name} from 0 to 1`);
    assert.ok(dEvents.includes(`deployment-controller Normal ScalingReplicaSet Scaled down replica set ${rsName} to 0 from 1`), dEvents.join('\n'));
    assert.ok(dEvents.includes(`deployment-controller Normal ScalingReplicaSet Scaled up replica set ${nw.metadata.name} to 3 from 2`), dEvents.join('\n'));
    const history = await ok(['rollout', 'history', 'deployment/app', '-n', NS]);
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^2\s+<none>$/m);
  });

  test('rollout undo brings back revision 1\'s ReplicaSet as revision 3; a paused deployment does not roll out until resumed', async () => {
    assert.equal((await ok(['rollout', 'undo', 'deployment/app', '-n', NS])).trim(), 'deployment.apps/app rolled back');
    await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    const back = await waitFor('revision 3 on the first ReplicaSet', async () => {
      const r = (await replicaSets('web')).find((x: any) => x.metadata.name === rsName);
      return r?.metadata.annotations['deployment.kubernetes.io/revision'] === '3' && r.spec.replicas === 3 ? r : false;
    });
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await replicaSets('web')).length, 2, 'the template matched an existing ReplicaSet: none created');
    await waitFor('only revision 1 pods', async () => { const p = await podsOf('web'); return p.length === 3 && p.every((x: any) => x.metadata.labels['pod-template-hash'] === hash); });
    assert.equal((await deployment('app')).metadata.annotations['deployment.kubernetes.io/revision'], '3');

    assert.equal((await ok(['rollout', 'pause', 'deployment/app', '-n', NS])).trim(), 'deployment.apps/app paused');
    await ok(['set', 'image', 'deployment/app', '-n', NS, 'nginx=nginx:1.28']);
    const paused = await waitFor('the paused spec observed', async () => { const d = await deployment('app'); return d.status.observedGeneration === d.metadata.generation ? d : false; });
    const progressing = paused.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    assert.equal((await replicaSets('web')).length, 2, 'no new ReplicaSet while paused');
    assert.deepEqual(tableRows(await ok(['get', 'deploy', 'app', '-n', NS]))[1].slice(0, 4), ['app', '3/3', '0', '3']);

    assert.equal((await ok(['rollout', 'resume', 'deployment/app', '-n', NS])).trim(), 'deployment.apps/app resumed');
    await ok(['rollout', 'status', 'deployment/app', '-n', NS, '--timeout=60s']);
    const rss = await replicaSets('web');
    assert.equal(rss.length, 3);
    const latest = rss.find((r: any) => r.spec.template.spec.containers[0].image === 'nginx:1.28');
    assert.deepEqual([latest.spec.replicas, latest.metadata.annotations['deployment.kubernetes.io/revision']], [3, '4']);
    const d = await deployment('app');
    assert.deepEqual(d.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [['Available', 'True', 'MinimumReplicasAvailable'], ['Progressing', 'True', 'NewReplicaSetAvailable']]);
  });

  test('Recreate: every old pod is gone before a new one exists; revisionHistoryLimit 0 deletes the old ReplicaSet', async () => {
    const manifest = (image: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch}
spec:
  replicas: 2
  revisionHistoryLimit: 0
  strategy: {type: Recreate}
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec: {containers: [{name: worker, image: "${image}"}]}
`;
    await ok(['apply', '-n', NS, '-f', '-'], manifest('busybox:1.36'));
    await ok(['rollout', 'status', 'deployment/batch', '-n', NS, '--timeout=60s']);
    const first = (await replicaSets('batch'))[0].metadata.name;
    const mixed: string[] = [];
    kubelet.observe = (pods) => {
      const hashes = new Set(pods.filter((p: any) => p.metadata.labels?.app === 'batch').map((p: any) => p.metadata.labels['pod-template-hash']));
      if (hashes.size > 1) mixed.push([...hashes].join(','));
    };
    await ok(['apply', '-n', NS, '-f', '-'], manifest('busybox:1.37'));
    await ok(['rollout', 'status', 'deployment/batch', '-n', NS, '--timeout=60s']);
    kubelet.observe = undefined;
    assert.deepEqual(mixed, [], 'old and new pods never coexist');
    const rss = await waitFor('the old ReplicaSet cleaned up', async () => { const l = await replicaSets('batch'); return l.length === 1 ? l : false; });
    const second = rss[0].metadata.name;
    assert.notEqual(second, first);
    assert.deepEqual(await events('Deployment', 'batch'), [
      `deployment-controller Normal ScalingReplicaSet Scaled up replica set ${first} from 0 to 2`,
      `deployment-controller Normal ScalingReplicaSet Scaled down replica set ${first} to 0 from 2`,
      `deployment-controller Normal ScalingReplicaSet Scaled up replica set ${second} from 0 to 2`,
    ]);
  });

  test('a bare ReplicaSet adopts a matching orphan and releases a pod relabelled away', async () => {
    await api('POST', podsPath(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await ok(['apply', '-n', NS, '-f', '-'], `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: solo}
spec:
  replicas: 2
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec: {containers: [{name: c, image: nginx}]}
`);
    const rs = await waitFor('solo ready 2/2', async () => { const r = await api('GET', `/apis/apps/v1/namespaces/${NS}/replicasets/solo`); return r.status?.readyReplicas === 2 ? r : false; });
    const pods = await podsOf('solo');
    assert.equal(pods.length, 2, 'the orphan counts: only one pod created');
    const stray = pods.find((p: any) => p.metadata.name === 'stray');
    assert.deepEqual(stray.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'solo', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);

    await ok(['label', 'pod', 'stray', '-n', NS, 'app=elsewhere', '--overwrite']);
    await waitFor('stray released', async () => !(await api('GET', podPath('stray'))).metadata.ownerReferences?.length);
    await waitFor('a replacement', async () => (await podsOf('solo')).filter(isReady).length === 2);
    assert.deepEqual(kubelet.errors, []);
  });
});
