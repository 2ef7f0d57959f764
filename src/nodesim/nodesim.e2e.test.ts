// The node simulator end to end: `kubedisco server --nodes 0` as a child process (only the garbage
// collector among the controllers), the simulator started here in-process against it over HTTP, and the
// real kubectl checking what a user sees. Simulated IPs only ever appear in API objects here.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, kubectl, startKubedisco, tableRows, waitFor, type Kubedisco } from '../../test/e2e/harness.ts';
import { connect, type RestClient } from '../client/index.ts';
import { startNodeSimulator, type RunningNodeSimulator } from './index.ts';

let k: Kubedisco;
let rest: RestClient;
let sim: RunningNodeSimulator;

const SIM_OPTIONS = { nodes: 3, podCIDR: '10.244.0.0/16', leaseRenewIntervalMs: 300 };

before(async () => {
  k = await startKubedisco({ extraArgs: ['--controllers', 'garbagecollector', '--nodes', '0'] });
  rest = connect({ server: k.apiURL, userAgent: 'nodesim-e2e' });
  sim = await startNodeSimulator({ rest, ...SIM_OPTIONS });
});
after(async () => {
  await sim?.stop();
  rest?.close();
  await k?.stop();
  if (k) cleanup(k);
});

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
/** READY and STATUS columns of `kubectl get pod NAME`. */
async function podRow(name: string): Promise<[string, string]> {
  const row = tableRows(await ok(['get', 'pod', name]))[1];
  return [row[1], row[2]];
}
const cond = (pod: any, type: string) => pod.status.conditions?.find((c: any) => c.type === type);
/** The pod's IP is inside the /24 its node was given. */
async function ipInNodeCIDR(pod: any): Promise<boolean> {
  const node = await json(['get', 'node', pod.spec.nodeName]);
  const prefix = node.spec.podCIDR.replace(/\.0\/24$/, '.');
  return pod.status.podIP.startsWith(prefix) && pod.status.hostIP === node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
}

describe('node simulator against kubedisco server', () => {
  test('registers 3 Ready nodes with zones, a podCIDR each and the simulated annotation', async () => {
    const rows = tableRows(await ok(['get', 'nodes', '-o', 'wide']));
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[4], r[5]]), [
      ['kubedisco-node-0', 'Ready', 'v1.32.4', '10.240.0.1'],
      ['kubedisco-node-1', 'Ready', 'v1.32.4', '10.240.0.2'],
      ['kubedisco-node-2', 'Ready', 'v1.32.4', '10.240.0.3'],
    ]);
    const nodes = (await json(['get', 'nodes'])).items;
    assert.deepEqual(nodes.map((n: any) => [n.spec.podCIDR, n.metadata.labels['topology.kubernetes.io/zone'], n.metadata.annotations['nodesim.kubedisco.io/node']]), [
      ['10.244.0.0/24', 'zone-a', 'simulated'],
      ['10.244.1.0/24', 'zone-b', 'simulated'],
      ['10.244.2.0/24', 'zone-c', 'simulated'],
    ]);
  });

  test('keeps a Lease per node in kube-node-lease and renews it', async () => {
    const first = await json(['get', 'lease', '-n', 'kube-node-lease', 'kubedisco-node-0']);
    assert.equal(first.spec.holderIdentity, 'kubedisco-node-0');
    assert.equal(first.spec.leaseDurationSeconds, 40);
    assert.equal(first.metadata.ownerReferences[0].kind, 'Node');
    await waitFor('a renewal', async () => (await json(['get', 'lease', '-n', 'kube-node-lease', 'kubedisco-node-0'])).spec.renewTime !== first.spec.renewTime);
    const rows = tableRows(await ok(['get', 'leases', '-n', 'kube-node-lease']));
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1]]), [0, 1, 2].map((i) => [`kubedisco-node-${i}`, `kubedisco-node-${i}`]));
  });

  let firstIP = '';
  test('kubectl run: the pod is scheduled (Scheduled event), gets an IP in its node\'s /24 and is 1/1 Running', async () => {
    await ok(['run', 'web', '--image=nginx']);
    await waitFor('web 1/1 Running', async () => JSON.stringify(await podRow('web')) === '["1/1","Running"]');
    const pod = await json(['get', 'pod', 'web']);
    assert.ok(await ipInNodeCIDR(pod), `${pod.status.podIP} on ${pod.spec.nodeName}`);
    assert.equal(cond(pod, 'Ready').status, 'True');
    assert.deepEqual(pod.status.containerStatuses.map((c: any) => [c.name, c.ready, c.started, c.restartCount, !!c.state.running?.startedAt]), [['web', true, true, 0, true]]);
    firstIP = pod.status.podIP;
    const described = await waitFor('the Scheduled event', async () => {
      const out = await ok(['describe', 'pod', 'web']);
      return out.includes('Scheduled') ? out : false;
    });
    assert.match(described, new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/web to ${pod.spec.nodeName}`));
    assert.match(described, /^Conditions:\n\s+Type\s+Status\n\s+PodReadyToStartContainers\s+True\s*\n\s+Initialized\s+True\s*\n\s+Ready\s+True\s*\n\s+ContainersReady\s+True\s*\n\s+PodScheduled\s+True/m);
  });

  test('the readiness annotation flips READY 0/1 and back to 1/1', async () => {
    await ok(['annotate', 'pod', 'web', 'nodesim.kubedisco.io/ready=false']);
    await waitFor('web 0/1', async () => JSON.stringify(await podRow('web')) === '["0/1","Running"]');
    const pod = await json(['get', 'pod', 'web']);
    assert.deepEqual([cond(pod, 'Ready').status, cond(pod, 'Ready').reason, cond(pod, 'Ready').message], ['False', 'ContainersNotReady', 'containers with unready status: [web]']);
    assert.equal(pod.status.podIP, firstIP, 'an unready pod keeps its IP');
    await ok(['annotate', 'pod', 'web', 'nodesim.kubedisco.io/ready-']);
    await waitFor('web 1/1', async () => JSON.stringify(await podRow('web')) === '["1/1","Running"]');
    const back = await json(['get', 'pod', 'web']);
    assert.equal(cond(back, 'Ready').status, 'True');
    assert.equal(cond(back, 'Ready').reason, undefined, 'no stale reason');
  });

  test('a readiness gate keeps Ready False until its condition is set True with kubectl patch --subresource=status', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gated' },
      spec: { readinessGates: [{ conditionType: 'example.com/lb-ready' }], containers: [{ name: 'app', image: 'nginx' }] },
    }));
    const gated = await waitFor('gated running', async () => {
      const p = await json(['get', 'pod', 'gated']);
      return p.status.phase === 'Running' ? p : false;
    });
    assert.deepEqual([cond(gated, 'Ready').status, cond(gated, 'Ready').reason, cond(gated, 'Ready').message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.']);
    assert.equal(tableRows(await ok(['get', 'pod', 'gated', '-o', 'wide']))[1][8], '0/1', 'READINESS GATES column');
    await ok(['patch', 'pod', 'gated', '--subresource=status', '--type=strategic', '-p', '{"status":{"conditions":[{"type":"example.com/lb-ready","status":"True"}]}}']);
    await waitFor('gated Ready', async () => cond(await json(['get', 'pod', 'gated']), 'Ready').status === 'True');
    await ok(['patch', 'pod', 'gated', '--subresource=status', '--type=strategic', '-p', '{"status":{"conditions":[{"type":"example.com/lb-ready","status":"False"}]}}']);
    await waitFor('gated unready again', async () => cond(await json(['get', 'pod', 'gated']), 'Ready').message === 'the status of pod readiness gate "example.com/lb-ready" is not "True", but False');
  });

  test('kubectl delete pod completes, and a recreated pod gets a new IP (seed 003 step 5)', async () => {
    await ok(['delete', 'pod', 'web', '--timeout=30s']);
    const r = await kubectl(k, ['get', 'pod', 'web']);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): pods "web" not found');
    await ok(['run', 'web', '--image=nginx']);
    const again = await waitFor('web running again', async () => {
      const p = await json(['get', 'pod', 'web']);
      return cond(p, 'Ready')?.status === 'True' ? p : false;
    });
    assert.notEqual(again.status.podIP, firstIP);
    assert.ok(await ipInNodeCIDR(again));
  });

  test('pods spread over the nodes; a pod no node fits gets FailedScheduling and PodScheduled False', async () => {
    for (const n of ['s1', 's2', 's3']) await ok(['run', n, '--image=nginx']);
    await waitFor('s1..s3 bound', async () => (await json(['get', 'pods', '-l', 'run in (s1,s2,s3)'])).items.every((p: any) => p.spec.nodeName));
    const counts = new Map<string, number>();
    for (const p of (await json(['get', 'pods'])).items) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
    assert.equal(counts.size, 3, `every node has pods: ${JSON.stringify([...counts])}`);

    await ok(['run', 'picky', '--image=nginx', '--overrides', JSON.stringify({ spec: { nodeSelector: { disk: 'ssd' } } })]);
    const msg = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    const picky = await waitFor('PodScheduled False', async () => {
      const p = await json(['get', 'pod', 'picky']);
      return cond(p, 'PodScheduled')?.status === 'False' ? p : false;
    });
    assert.deepEqual([cond(picky, 'PodScheduled').reason, cond(picky, 'PodScheduled').message], ['Unschedulable', msg]);
    assert.match(await ok(['describe', 'pod', 'picky']), /Warning\s+FailedScheduling\s+.+?\s+default-scheduler\s+0\/3 nodes are available/);
    // Labelling a node makes it fit: node changes bring unschedulable pods back to the scheduler.
    await ok(['label', 'node', 'kubedisco-node-2', 'disk=ssd']);
    await waitFor('picky Running on kubedisco-node-2', async () => {
      const p = await json(['get', 'pod', 'picky']);
      return p.spec.nodeName === 'kubedisco-node-2' && p.status.phase === 'Running';
    });
  });

  test('a pod bound to a node the simulator does not run is left alone (also when deleted)', async () => {
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'real-node-1', containers: [{ name: 'c', image: 'nginx' }] } }));
    await ok(['delete', 'pod', 'elsewhere', '--wait=false']);
    // A later pod of ours goes all the way to Running; by then the simulator has long seen the other one.
    await ok(['run', 'marker', '--image=nginx']);
    await waitFor('marker Running', async () => JSON.stringify(await podRow('marker')) === '["1/1","Running"]');
    await ok(['delete', 'pod', 'marker', '--timeout=30s']);
    const p = await json(['get', 'pod', 'elsewhere']);
    assert.ok(p.metadata.deletionTimestamp, 'still terminating: nobody runs real-node-1');
    assert.equal(p.status.podIP, undefined);
    assert.equal(p.status.phase, 'Pending');
    await ok(['delete', 'pod', 'elsewhere', '--grace-period=0', '--force']);
  });

  test('a restarted simulator re-adopts its nodes and pods and never hands out an IP in use', async () => {
    await sim.stop();
    sim = await startNodeSimulator({ rest, ...SIM_OPTIONS });
    const m = sim.metrics();
    assert.deepEqual([m.nodes, m.nodeStats.registered, m.nodeStats.adopted], [3, 0, 3]);
    const before = (await json(['get', 'pods'])).items;
    assert.equal(m.podIPsInUse, before.length, `every pod IP went back into its pool: ${JSON.stringify(before.map((b: any) => [b.metadata.name, b.spec.nodeName, b.status.podIP]))}`);
    await ok(['run', 'after-restart', '--image=nginx']);
    const p = await waitFor('after-restart Ready', async () => {
      const x = await json(['get', 'pod', 'after-restart']);
      return cond(x, 'Ready')?.status === 'True' ? x : false;
    });
    assert.ok(!before.some((b: any) => b.status.podIP === p.status.podIP), `${p.status.podIP} is new`);
    assert.match(sim.renderMetrics(), /^kubedisco_nodesim_nodes 3$/m);
    assert.match(sim.renderMetrics(), /^kubedisco_nodesim_stages_played_total\{stage="pod-ready"\} [1-9]/m);
  });
});
