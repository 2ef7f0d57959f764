// Issue 3, "What must be shown": pods become endpoints, with the real kubectl against `kubedisco server`
// (controllers and simulated nodes running in it, over the API). Seeds 001, 002 and 004.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, kubectl, ROOT, startKubedisco, tableRows, waitFor, type Kubedisco } from './harness.ts';

const seed = (f: string) => join(ROOT, 'test/fixtures/seeds', f);
const READY_ANNOTATION = 'nodesim.kubedisco.io/ready';

let k: Kubedisco;
before(async () => { k = await startKubedisco(); });
after(async () => { await k.stop(); cleanup(k); });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
/** The Endpoints: line of `kubectl describe svc`, from the EndpointSlices (kubectl-compatibility.md §3.6). */
async function describedEndpoints(svc: string, ns = 'default'): Promise<string> {
  const out = await ok(['describe', 'svc', svc, '-n', ns]);
  return /^Endpoints:\s+(.*)$/m.exec(out)![1].trim();
}
const sortedList = (s: string) => (s === '<none>' || s === '' ? [] : s.split(',').sort());

describe('controllers and simulated nodes (issue 3)', () => {
  test('seed 002: a Deployment of 3 behind regular-svc and headless-svc; endpoints and describe show the 3 pods', async () => {
    await ok(['create', 'namespace', 'moon']);
    await ok(['apply', '-n', 'moon', '-f', seed('002-moon.yaml')]);
    await ok(['rollout', 'status', 'deployment/app', '-n', 'moon', '--timeout=60s']);
    const pods = (await json(['get', 'pods', '-n', 'moon', '-l', 'app=web'])).items;
    assert.equal(pods.length, 3);
    const want = pods.map((p: any) => `${p.status.podIP}:8080`).sort();
    for (const p of pods) assert.match(p.metadata.name, /^app-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await waitFor('3 endpoints on both Services', async () => {
      for (const svc of ['regular-svc', 'headless-svc']) {
        const row = tableRows(await ok(['get', 'endpoints', svc, '-n', 'moon']))[1];
        if (JSON.stringify(sortedList(row[1])) !== JSON.stringify(want)) return false;
      }
      return true;
    });
    assert.deepEqual(sortedList(await describedEndpoints('headless-svc', 'moon')), want);
    assert.deepEqual(sortedList(await describedEndpoints('regular-svc', 'moon')), want);
  });

  test('seed 001: cassandra-0..2 Running 1/1, slices carry hostnames, scale 5 then 2 in order', async () => {
    await ok(['apply', '-f', seed('001-cassandra.yaml')]);
    await ok(['rollout', 'status', 'statefulset/cassandra', '--timeout=60s']);
    const rows = tableRows(await ok(['get', 'pods', '-l', 'app=cassandra']));
    assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 3)), [['cassandra-0', '1/1', 'Running'], ['cassandra-1', '1/1', 'Running'], ['cassandra-2', '1/1', 'Running']]);
    const hostnames = async () => {
      const slices = (await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=cassandra'])).items;
      return slices.flatMap((s: any) => (s.endpoints ?? []).filter((e: any) => e.conditions.ready).map((e: any) => e.hostname)).sort();
    };
    await waitFor('3 hostnames', async () => JSON.stringify(await hostnames()) === JSON.stringify(['cassandra-0', 'cassandra-1', 'cassandra-2']));

    await ok(['scale', 'statefulset', 'cassandra', '--replicas=5']);
    await ok(['rollout', 'status', 'statefulset/cassandra', '--timeout=60s']);
    const created = (await json(['get', 'pods', '-l', 'app=cassandra'])).items
      .map((p: any) => [p.metadata.name, Date.parse(p.metadata.creationTimestamp)] as const)
      .sort((a: readonly [string, number], b: readonly [string, number]) => a[1] - b[1] || a[0].localeCompare(b[0]));
    assert.deepEqual(created.map((c: readonly [string, number]) => c[0]).slice(3), ['cassandra-3', 'cassandra-4'], 'OrderedReady creates 3 before 4');
    await waitFor('5 hostnames', async () => (await hostnames()).length === 5);

    await ok(['scale', 'statefulset', 'cassandra', '--replicas=2']);
    await waitFor('2 pods left', async () => tableRows(await ok(['get', 'pods', '-l', 'app=cassandra'])).length === 3, 60_000);
    assert.deepEqual(tableRows(await ok(['get', 'pods', '-l', 'app=cassandra'])).slice(1).map((r) => r[0]), ['cassandra-0', 'cassandra-1']);
    await waitFor('2 hostnames', async () => JSON.stringify(await hostnames()) === JSON.stringify(['cassandra-0', 'cassandra-1']));
    const events = await ok(['describe', 'statefulset', 'cassandra']);
    const deletes = [...events.matchAll(/delete Pod (cassandra-\d) in StatefulSet cassandra successful/g)].map((m) => m[1]);
    assert.deepEqual(deletes, ['cassandra-4', 'cassandra-3', 'cassandra-2'], 'scale-down removes the highest ordinal first');
  });

  test('seed 001: external-db\'s hand-written Endpoints are mirrored into an EndpointSlice', async () => {
    await ok(['apply', '-f', seed('001-external-db.yaml')]);
    await waitFor('the mirrored slice', async () => {
      const slices = (await json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=external-db'])).items;
      if (slices.length !== 1) return false;
      const s = slices[0];
      assert.equal(s.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
      assert.deepEqual(s.endpoints.map((e: any) => e.addresses[0]).sort(), ['10.0.0.50', '10.0.0.51']);
      assert.deepEqual(s.ports.map((p: any) => p.port), [5432]);
      return true;
    });
    assert.deepEqual(sortedList(await describedEndpoints('external-db')), ['10.0.0.50:5432', '10.0.0.51:5432']);
  });

  test('seed 004: openldap lists two endpoints; an unready pod is included only through publishNotReadyAddresses or the legacy annotation', async () => {
    await ok(['apply', '-f', seed('004-openldap.yaml')]);
    await ok(['apply', '-f', seed('004-openldap-pods.yaml')]);
    await ok(['rollout', 'status', 'statefulset/openldap', '--timeout=60s']);
    const ips = async () => Object.fromEntries((await json(['get', 'pods', '-l', 'app.kubernetes.io/name=openldap-ha'])).items.map((p: any) => [p.metadata.name, `${p.status.podIP}:389`]));
    const all = await ips();
    const both = Object.values(all).sort();
    await waitFor('two endpoints', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify(both));

    await ok(['annotate', 'pod', 'openldap-1', `${READY_ANNOTATION}=false`]);
    await waitFor('openldap-1 unready', async () => tableRows(await ok(['get', 'pod', 'openldap-1']))[1][1] === '0/1');
    await waitFor('excluded', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify([all['openldap-0']]));

    await ok(['patch', 'svc', 'openldap', '--type=merge', '-p', '{"spec":{"publishNotReadyAddresses":true}}']);
    await waitFor('included through publishNotReadyAddresses', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify(both));
    await ok(['patch', 'svc', 'openldap', '--type=merge', '-p', '{"spec":{"publishNotReadyAddresses":false}}']);
    await waitFor('excluded again', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify([all['openldap-0']]));

    const r = await kubectl(k, ['annotate', 'svc', 'openldap', 'service.alpha.kubernetes.io/tolerate-unready-endpoints=true']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Warning: service\.alpha\.kubernetes\.io\/tolerate-unready-endpoints is deprecated; use spec\.publishNotReadyAddresses/m);
    await waitFor('included through the legacy annotation', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify(both));
    const ep = (await json(['get', 'endpoints', 'openldap'])).subsets[0];
    assert.equal(ep.addresses.length, 2, 'v1 Endpoints: the unready pod is published as ready');

    await ok(['annotate', 'svc', 'openldap', 'service.alpha.kubernetes.io/tolerate-unready-endpoints-']);
    await ok(['annotate', 'pod', 'openldap-1', `${READY_ANNOTATION}-`]);
    await waitFor('ready again', async () => JSON.stringify(sortedList(await describedEndpoints('openldap'))) === JSON.stringify(both));
  });

  test('a deleted StatefulSet pod comes back under the same name with a new IP', async () => {
    const before = (await json(['get', 'pod', 'cassandra-0'])).status.podIP;
    await ok(['delete', 'pod', 'cassandra-0']);
    const after = await waitFor('cassandra-0 back and ready', async () => {
      const r = await kubectl(k, ['get', 'pod', 'cassandra-0', '-o', 'json']);
      if (r.code !== 0) return false;
      const p = JSON.parse(r.stdout);
      return p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ? p : false;
    }, 60_000);
    assert.notEqual(after.status.podIP, before);
  });

  test('kubectl delete statefulset removes its pods; deleting a namespace removes everything in it', async () => {
    await ok(['delete', 'statefulset', 'cassandra', '--timeout=60s']);
    await waitFor('cassandra pods gone', async () => tableRows((await kubectl(k, ['get', 'pods', '-l', 'app=cassandra'])).stdout).length === 0, 60_000);
    await ok(['delete', 'namespace', 'moon', '--timeout=90s']);
    const r = await kubectl(k, ['get', 'namespace', 'moon']);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): namespaces "moon" not found');
    const leftovers = await ok(['get', 'pods,services,endpoints,endpointslices,deployments,replicasets', '-n', 'moon', '-o', 'name']);
    assert.equal(leftovers.trim(), '');
  });
});
