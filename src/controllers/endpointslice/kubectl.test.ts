// What kubectl shows of the three endpoint controllers: `kubedisco server --controllers
// endpointslice,endpoints,endpointslicemirroring --nodes 0` as a child process, Nodes and Pods written with
// kubectl as a kubelet would (status through --subresource=status), and the outputs of `kubectl get
// endpoints`, `kubectl get endpointslices`, `kubectl describe svc` and `kubectl describe endpoints`
// (kubectl-compatibility.md §3.6, §4, §5).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, kubectl, ROOT, startKubedisco, tableRows, waitFor, type Kubedisco } from '../../../test/e2e/harness.ts';

let k: Kubedisco;
before(async () => { k = await startKubedisco({ extraArgs: ['--controllers', 'endpointslice,endpoints,endpointslicemirroring', '--nodes', '0'] }); });
after(async () => { await k.stop(); cleanup(k); });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The table row of `name`, or of a slice generated from it (`<name>-xxxxx`). */
const row = async (args: string[], name: string) =>
  tableRows(await ok(args)).find((r) => r[0] === name || new RegExp(`^${name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`).test(r[0]));
const describeLine = async (svc: string, field: string) => new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(await ok(['describe', 'svc', svc]))?.[1].trim();

/** A pod on node-a, then its status (Running, IP, Ready) as the kubelet writes it. */
async function runningPod(name: string, ip: string, ready = true, extra = ''): Promise<void> {
  await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec:
  nodeName: node-a
  ${extra}
  containers: [{name: c, image: registry.k8s.io/pause:3.10, ports: [{name: http, containerPort: 8080}]}]
`);
  await setReady(name, ip, ready);
}

async function setReady(name: string, ip: string, ready: boolean): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await ok(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: {
    phase: 'Running', podIP: ip, podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }],
  } })]);
}

describe('kubectl output of the endpoint controllers (kubectl-compatibility.md §5)', () => {
  test('a Service without pods: placeholder slice (<unset>), Endpoints <none>', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {topology.kubernetes.io/zone: zone-a}}
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless, labels: {app: web}}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`);
    const slice = await waitFor('the placeholder slice', async () => row(['get', 'endpointslices'], 'web'));
    assert.match(slice[0], /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(slice.slice(1, 4), ['IPv4', '<unset>', '<unset>']);
    const ep = await waitFor('the Endpoints', async () => row(['get', 'endpoints'], 'web'));
    assert.equal(ep[1], '<none>');
    assert.equal(await describeLine('web', 'Endpoints'), '');
  });

  test('two ready pods: get endpoints, get endpointslices, describe svc and describe endpoints show them', async () => {
    await runningPod('web-0', '10.244.0.11');
    await runningPod('web-1', '10.244.0.12');
    const want = '10.244.0.11:8080,10.244.0.12:8080';
    await waitFor('both Endpoints', async () => (await row(['get', 'endpoints'], 'web'))?.[1] === want && (await row(['get', 'endpoints'], 'web-headless'))?.[1] === want);
    const rows = tableRows(await ok(['get', 'endpoints']));
    assert.deepEqual(rows[0], ['NAME', 'ENDPOINTS', 'AGE']);
    assert.deepEqual(rows.filter((r) => r[0].startsWith('web')).map((r) => r.slice(0, 2)), [['web', want], ['web-headless', want]]);

    await waitFor('both slices filled', async () => {
      const s = tableRows(await ok(['get', 'endpointslices'])).filter((r) => r[0].startsWith('web'));
      return s.length === 2 && s.every((r) => r[3] === '10.244.0.11,10.244.0.12');
    });
    const slices = tableRows(await ok(['get', 'endpointslices']));
    assert.deepEqual(slices[0], ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    for (const r of slices.filter((x) => x[0].startsWith('web'))) assert.deepEqual(r.slice(1, 4), ['IPv4', '8080', '10.244.0.11,10.244.0.12']);

    const out = await ok(['describe', 'svc', 'web-headless']);
    assert.match(out, /^Endpoints:\s+10\.244\.0\.11:8080,10\.244\.0\.12:8080$/m);
    assert.match(out, /^Events:\s+<none>$/m);

    const ep = await ok(['describe', 'endpoints', 'web-headless']);
    assert.match(ep, /^Labels:\s+app=web\n\s+service\.kubernetes\.io\/headless=\n/m);
    assert.match(ep, /^ {2}Addresses:\s+10\.244\.0\.11,10\.244\.0\.12$/m);
    assert.match(ep, /^ {2}NotReadyAddresses:\s+<none>$/m);
    assert.match(ep, /^ {4}http\s+8080\s+TCP$/m);
  });

  test('an unready pod: listed by neither describe svc nor get endpoints; in notReadyAddresses', async () => {
    await setReady('web-1', '10.244.0.12', false);
    await waitFor('web-1 out of describe svc', async () => (await describeLine('web', 'Endpoints')) === '10.244.0.11:8080');
    await waitFor('web-1 out of get endpoints', async () => (await row(['get', 'endpoints'], 'web'))?.[1] === '10.244.0.11:8080');
    assert.match(await ok(['describe', 'endpoints', 'web']), /^ {2}NotReadyAddresses:\s+10\.244\.0\.12$/m);
    // The slice still lists the address (ready: false): get endpointslices shows every address.
    assert.equal((await row(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'], 'web'))?.[3], '10.244.0.11,10.244.0.12');
  });

  test('publishNotReadyAddresses and its legacy alias annotation publish the unready pod', async () => {
    await ok(['patch', 'svc', 'web', '--type=merge', '-p', '{"spec":{"publishNotReadyAddresses":true}}']);
    await waitFor('web-1 back through publishNotReadyAddresses', async () => (await describeLine('web', 'Endpoints')) === '10.244.0.11:8080,10.244.0.12:8080');
    await ok(['patch', 'svc', 'web', '--type=merge', '-p', '{"spec":{"publishNotReadyAddresses":false}}']);
    await waitFor('web-1 out again', async () => (await describeLine('web', 'Endpoints')) === '10.244.0.11:8080');
    await kubectl(k, ['annotate', 'svc', 'web', 'service.alpha.kubernetes.io/tolerate-unready-endpoints=true']);
    await waitFor('web-1 back through the annotation', async () => (await describeLine('web', 'Endpoints')) === '10.244.0.11:8080,10.244.0.12:8080');
    await waitFor('and in get endpoints', async () => (await row(['get', 'endpoints'], 'web'))?.[1] === '10.244.0.11:8080,10.244.0.12:8080');
  });

  test('seed 001 external-db: the hand-written Endpoints is mirrored; describe svc lists both addresses', async () => {
    await ok(['apply', '-f', join(ROOT, 'test/fixtures/seeds/001-external-db.yaml')]);
    const s = await waitFor('the mirrored slice', async () => row(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=external-db'], 'external-db'));
    assert.deepEqual(s.slice(1, 4), ['IPv4', '5432', '10.0.0.50,10.0.0.51']);
    assert.equal(await describeLine('external-db', 'Endpoints'), '10.0.0.50:5432,10.0.0.51:5432');
    assert.equal((await row(['get', 'endpoints'], 'external-db'))?.[1], '10.0.0.50:5432,10.0.0.51:5432');
    const labels = JSON.parse(await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=external-db', '-o', 'jsonpath={.items[0].metadata.labels}']));
    assert.equal(labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
  });

  test('StatefulSet-style pods of a headless Service carry hostnames in the slice', async () => {
    await runningPod('web-2', '10.244.0.13', true, 'hostname: web-2\n  subdomain: web-headless');
    const hostnames = await waitFor('the hostname', async () => {
      const h = (await ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web-headless', '-o', 'jsonpath={.items[*].endpoints[*].hostname}'])).trim();
      return h ? h : undefined;
    });
    assert.equal(hostnames, 'web-2');
  });
});
