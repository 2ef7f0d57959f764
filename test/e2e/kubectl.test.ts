// The real kubectl against `kubedisco server` on ephemeral ports: every command issue 2 names, the seed
// manifests verbatim, and the exact outputs kubectl prints (kubectl-compatibility.md §3, §5).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cleanup, kubectl, ROOT, startKubedisco, tableRows, waitFor, type Kubedisco } from './harness.ts';

const SEEDS = join(ROOT, 'test/fixtures/seeds');
const seed = (f: string) => join(SEEDS, f);

let k: Kubedisco;
// API semantics only: no controllers or simulated nodes, so every output is deterministic.
before(async () => { k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] }); });
after(async () => { await k.stop(); cleanup(k); });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(k, args, { stdin });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('kubectl against kubedisco (kubectl-compatibility.md §3)', () => {
  test('the ready line names the API, DNS, the kubeconfig and the next command', () => {
    assert.match(k.readyLine, /^kubedisco ready: api http:\/\/127\.0\.0\.1:\d+ .*dns .*kubeconfig \S+kubeconfig .*next: KUBECONFIG=\S+ kubectl get svc -A$/);
  });

  test('version: the dispatcher picks kubectl 1.32 from minor "32" (§0)', async () => {
    const out = await ok(['version', '-o', 'json']);
    const v = JSON.parse(out);
    assert.equal(v.serverVersion.major, '1');
    assert.equal(v.serverVersion.minor, '32');
    assert.match(v.clientVersion.gitVersion, /^v1\.32\./);
  });

  test('system namespaces and the kubernetes Service exist (semantics §2.1, §9)', async () => {
    const rows = tableRows(await ok(['get', 'ns']));
    assert.deepEqual(rows[0], ['NAME', 'STATUS', 'AGE']);
    const names = rows.slice(1).map((r) => r[0]).sort();
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = tableRows(await ok(['get', 'svc', 'kubernetes']));
    assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(svc[1].slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
  });

  test('apply -f creates, re-apply is unchanged, a changed re-apply is configured (§3.1)', async () => {
    assert.equal(await ok(['apply', '-f', seed('001-cassandra-service-cql.yaml')]), 'service/cassandra created\n');
    assert.equal(await ok(['apply', '-f', seed('001-cassandra-service-cql.yaml')]), 'service/cassandra unchanged\n');
    const ip = await ok(['get', 'svc', 'cassandra', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(ip, 'None', 'seed 001: kubectl get svc cassandra -o jsonpath={.spec.clusterIP} prints None');
    // seed 001's StatefulSet manifest declares the same Service with an unnamed port: a configured re-apply.
    const out = await ok(['apply', '-f', seed('001-cassandra.yaml')]);
    assert.equal(out, 'service/cassandra configured\nstatefulset.apps/cassandra created\n');
    const rows = tableRows(await ok(['get', 'svc', 'cassandra']));
    assert.deepEqual(rows[1].slice(0, 5), ['cassandra', 'ClusterIP', 'None', '<none>', '9042/TCP'], 'seed 001 table: cassandra ClusterIP None <none> 9042/TCP');
  });

  test('every seed manifest applies verbatim (seeds 000-004)', async () => {
    await ok(['create', 'namespace', 'moon']);
    await ok(['create', 'namespace', 'seed000']);
    assert.equal(await ok(['apply', '-n', 'seed000', '-f', seed('000-services.yaml')]), 'service/my-service created\nservice/cassandra created\nservice/mongodb-test created\n');
    await ok(['create', 'namespace', 'seed000h']);
    assert.equal(await ok(['apply', '-n', 'seed000h', '-f', seed('000-headless-my-service.yaml')]), 'service/my-service created\n');
    assert.equal(await ok(['apply', '-f', seed('001-external-db.yaml')]), 'service/external-db created\nendpoints/external-db created\n');
    assert.equal(await ok(['apply', '-f', seed('001-grpc-client-config.yaml')]), 'configmap/grpc-client-config created\n');
    assert.equal(await ok(['apply', '-n', 'moon', '-f', seed('002-moon.yaml')]), 'deployment.apps/app created\nservice/regular-svc created\nservice/headless-svc created\n');
    assert.equal(await ok(['apply', '-f', seed('003-my-headless-service.yaml')]), 'service/my-headless-service created\n');
    assert.equal(await ok(['apply', '-f', seed('004-openldap.yaml')]), 'service/openldap created\n');

    const moon = tableRows(await ok(['get', 'svc', '-n', 'moon']));
    const byName = new Map(moon.slice(1).map((r) => [r[0], r]));
    assert.match(byName.get('regular-svc')![2], /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/, 'regular-svc gets a ClusterIP from 10.96.0.0/12');
    assert.equal(byName.get('headless-svc')![2], 'None');
    const ldap = tableRows(await ok(['get', 'svc', 'openldap']));
    assert.deepEqual(ldap[1].slice(0, 5), ['openldap', 'ClusterIP', 'None', '<none>', '389/TCP'], 'seed 004: openldap ClusterIP None <none> 389/TCP');
    const ep = tableRows(await ok(['get', 'endpoints', 'external-db']));
    assert.deepEqual(ep[0], ['NAME', 'ENDPOINTS', 'AGE']);
    assert.equal(ep[1][1], '10.0.0.50:5432,10.0.0.51:5432');
  });

  test('seed 000: a NodePort Service with clusterIP None is rejected with Kubernetes\' message (semantics §1.4)', async () => {
    const r = await kubectl(k, ['apply', '-f', seed('000-nodeport-headless.yaml')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'The Service "my-nodeport" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services');
    const get = await kubectl(k, ['get', 'svc', 'my-nodeport']);
    assert.equal(get.stderr.trim(), 'Error from server (NotFound): services "my-nodeport" not found', 'nothing half-written');
  });

  test('describe svc shows the Kubernetes fields (§5)', async () => {
    const out = await ok(['describe', 'svc', 'openldap']);
    for (const line of [
      /^Name:\s+openldap$/m, /^Namespace:\s+default$/m, /^Labels:\s+app.kubernetes.io\/instance=cb-openldap$/m,
      /^Selector:\s+app.kubernetes.io\/instance=cb-openldap,app.kubernetes.io\/name=openldap-ha$/m,
      /^Type:\s+ClusterIP$/m, /^IP Family Policy:\s+SingleStack$/m, /^IP Families:\s+IPv4$/m, /^IP:\s+None$/m,
      /^Port:\s+ldap\s+389\/TCP$/m, /^TargetPort:\s+389\/TCP$/m, /^Session Affinity:\s+None$/m,
      /^Internal Traffic Policy:\s+Cluster$/m, /^Events:\s+<none>$/m,
    ]) assert.match(out, line);
  });

  test('create -f: 201 then AlreadyExists (§3.3)', async () => {
    await ok(['create', 'namespace', 'createns']);
    assert.equal(await ok(['create', '-n', 'createns', '-f', seed('003-my-headless-service.yaml')]), 'service/my-headless-service created\n');
    const r = await kubectl(k, ['create', '-n', 'createns', '-f', seed('003-my-headless-service.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(AlreadyExists\): error when creating ".*003-my-headless-service.yaml": services "my-headless-service" already exists/);
  });

  test('get tables have Kubernetes\' columns for every resource (§2.5)', async () => {
    const headers: Record<string, string[]> = {
      pods: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      statefulsets: ['NAME', 'READY', 'AGE'],
      deployments: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      endpointslices: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
      configmaps: ['NAME', 'DATA', 'AGE'],
    };
    for (const [res, want] of Object.entries(headers)) {
      const r = await kubectl(k, ['get', res, '-A']);
      assert.equal(r.code, 0, r.stderr);
      if (!r.stdout.trim()) continue; // "No resources found" goes to stderr
      assert.deepEqual(tableRows(r.stdout)[0], ['NAMESPACE', ...want], res);
    }
    const wide = tableRows(await ok(['get', 'svc', '-o', 'wide', '-n', 'moon']));
    assert.deepEqual(wide[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const sts = tableRows(await ok(['get', 'sts', 'cassandra']));
    assert.deepEqual(sts[1].slice(0, 2), ['cassandra', '0/3']);
    const none = await kubectl(k, ['get', 'pods', '-n', 'seed000']);
    assert.equal(none.stderr.trim(), 'No resources found in seed000 namespace.');
  });

  test('get -o yaml|json|jsonpath and --sort-by (§3.4)', async () => {
    const y = await ok(['get', 'svc', 'openldap', '-o', 'yaml']);
    assert.match(y, /^apiVersion: v1\nkind: Service\n/);
    assert.match(y, /clusterIPs:\n {2}- None\n/);
    const j = JSON.parse(await ok(['get', 'svc', 'openldap', '-o', 'json']));
    assert.equal(j.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(j.spec.ipFamilies, ['IPv4']);
    assert.equal(j.spec.internalTrafficPolicy, 'Cluster');
    assert.match(j.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(j.metadata.resourceVersion, /^\d+$/);
    const list = JSON.parse(await ok(['get', 'svc', '-n', 'moon', '-o', 'json']));
    assert.equal(list.kind, 'List');
    assert.equal(list.items.length, 2);
    assert.equal(await ok(['get', 'svc', '-n', 'moon', '-o', 'jsonpath={.items[*].metadata.name}']), 'headless-svc regular-svc');
    const sorted = tableRows(await ok(['get', 'svc', '-n', 'moon', '--sort-by=.metadata.name']));
    assert.deepEqual(sorted.slice(1).map((r) => r[0]), ['headless-svc', 'regular-svc']);
  });

  test('label, annotate, and label selectors (§3.9)', async () => {
    assert.equal(await ok(['label', 'svc', 'openldap', 'tier=directory']), 'service/openldap labeled\n');
    assert.equal(await ok(['annotate', 'svc', 'openldap', 'owner=ops']), 'service/openldap annotated\n');
    const r = await kubectl(k, ['label', 'svc', 'openldap', 'tier=other']);
    assert.match(r.stderr, /'tier' already has a value \(directory\), and --overwrite is false/);
    assert.deepEqual(tableRows(await ok(['get', 'svc', '-l', 'tier=directory'])).slice(1).map((x) => x[0]), ['openldap']);
    assert.deepEqual(tableRows(await ok(['get', 'svc', '-l', 'tier in (directory,web),app.kubernetes.io/name'])).slice(1).map((x) => x[0]), ['openldap']);
    assert.equal(await ok(['label', 'svc', 'openldap', 'tier-']), 'service/openldap unlabeled\n');
    const labels = JSON.parse(await ok(['get', 'svc', 'openldap', '-o', 'jsonpath={.metadata.labels}']));
    assert.equal(labels.tier, undefined);
  });

  test('patch with each patch type (§3, §8)', async () => {
    assert.equal(await ok(['patch', 'svc', 'openldap', '-p', '{"metadata":{"labels":{"p":"strategic"}}}']), 'service/openldap patched\n');
    assert.equal(await ok(['patch', 'svc', 'openldap', '--type=merge', '-p', '{"metadata":{"labels":{"p":"merge"}}}']), 'service/openldap patched\n');
    assert.equal(await ok(['patch', 'svc', 'openldap', '--type=json', '-p', '[{"op":"replace","path":"/metadata/labels/p","value":"json"}]']), 'service/openldap patched\n');
    assert.equal(await ok(['get', 'svc', 'openldap', '-o', 'jsonpath={.metadata.labels.p}']), 'json');
    // Strategic merge adds a port by merge key instead of replacing the list.
    await ok(['patch', 'svc', 'openldap', '-p', '{"spec":{"ports":[{"name":"ldaps","port":636,"targetPort":636}]}}']);
    assert.equal(await ok(['get', 'svc', 'openldap', '-o', 'jsonpath={.spec.ports[*].port}']), '636 389');
    const bad = await kubectl(k, ['patch', 'svc', 'openldap', '--type=json', '-p', '[{"op":"remove","path":"/spec/nosuch"}]']);
    assert.equal(bad.code, 1);
    const none = await kubectl(k, ['patch', 'svc', 'openldap', '-p', '{"metadata":{"labels":{"p":"json"}}}']);
    assert.equal(none.stdout, 'service/openldap patched (no change)\n');
  });

  test('scale through the /scale subresource bumps generation (§3.8)', async () => {
    const before = JSON.parse(await ok(['get', 'sts', 'cassandra', '-o', 'json']));
    assert.equal(await ok(['scale', 'sts', 'cassandra', '--replicas=5']), 'statefulset.apps/cassandra scaled\n');
    const afterScale = JSON.parse(await ok(['get', 'sts', 'cassandra', '-o', 'json']));
    assert.equal(afterScale.spec.replicas, 5);
    assert.equal(afterScale.metadata.generation, before.metadata.generation + 1);
    const r = await kubectl(k, ['scale', 'sts', 'cassandra', '--current-replicas=2', '--replicas=3']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Expected replicas to be 2, was 5/);
    assert.equal(await ok(['scale', 'sts', 'cassandra', '--current-replicas=5', '--replicas=3']), 'statefulset.apps/cassandra scaled\n');
  });

  test('apply --server-side creates and re-applies (§3.2)', async () => {
    await ok(['create', 'namespace', 'ssa']);
    assert.equal(await ok(['apply', '--server-side', '-n', 'ssa', '-f', seed('004-openldap.yaml')]), 'service/openldap serverside-applied\n');
    assert.equal(await ok(['apply', '--server-side', '-n', 'ssa', '-f', seed('004-openldap.yaml')]), 'service/openldap serverside-applied\n');
    const svc = JSON.parse(await ok(['get', 'svc', 'openldap', '-n', 'ssa', '-o', 'json', '--show-managed-fields']));
    assert.ok(svc.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply'));
  });

  test('get all lists the "all" category (§3.4)', async () => {
    const out = await ok(['get', 'all', '-n', 'moon']);
    assert.match(out, /^service\/headless-svc\s+ClusterIP\s+None\s+<none>\s+80\/TCP/m);
    assert.match(out, /^deployment\.apps\/app\s+/m);
  });

  test('get -w prints the watch events as table rows (§2.6)', async () => {
    const watcher = spawn('kubectl', ['--kubeconfig', k.kubeconfig, '--cache-dir', k.cacheDir, 'get', 'svc', '-n', 'moon', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (c) => { out += c; });
    try {
      await waitFor('initial rows', async () => out.includes('regular-svc'));
      await ok(['label', 'svc', 'regular-svc', '-n', 'moon', 'watched=yes']);
      await waitFor('a second regular-svc row', async () => out.split('\n').filter((l) => l.startsWith('regular-svc')).length >= 2);
      const rows = out.split('\n').filter(Boolean);
      assert.match(rows[0], /^NAME\s+TYPE\s+CLUSTER-IP/);
      assert.equal(rows.filter((l) => l.startsWith('regular-svc')).length, 2, 'no row printed twice');
    } finally {
      watcher.kill('SIGTERM');
    }
  });

  test('delete, delete -f, and NotFound for a missing object (§3.7)', async () => {
    assert.equal(await ok(['delete', 'svc', 'my-headless-service']), 'service "my-headless-service" deleted\n');
    assert.equal(await ok(['delete', '-f', seed('001-external-db.yaml')]), 'service "external-db" deleted\nendpoints "external-db" deleted\n');
    const r = await kubectl(k, ['delete', '-f', seed('001-external-db.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(NotFound\): error when deleting ".*001-external-db.yaml": services "external-db" not found/);
  });

  test('a ClusterIP is kept across a re-apply and released on delete (semantics §1.1, §2.2)', async () => {
    await ok(['create', 'namespace', 'alloc']);
    await ok(['apply', '-n', 'alloc', '-f', seed('000-services.yaml')]);
    const ip1 = await ok(['get', 'svc', 'my-service', '-n', 'alloc', '-o', 'jsonpath={.spec.clusterIP}']);
    await ok(['apply', '-n', 'alloc', '-f', seed('000-services.yaml')]);
    assert.equal(await ok(['get', 'svc', 'my-service', '-n', 'alloc', '-o', 'jsonpath={.spec.clusterIP}']), ip1);
    await ok(['delete', 'svc', 'my-service', '-n', 'alloc']);
    const manifest = `apiVersion: v1\nkind: Service\nmetadata:\n  name: pinned\nspec:\n  clusterIP: ${ip1}\n  ports:\n  - port: 80\n`;
    assert.equal(await ok(['apply', '-n', 'alloc', '-f', '-'], manifest), 'service/pinned created\n');
    const dup = await kubectl(k, ['apply', '-n', 'alloc', '-f', '-'], { stdin: manifest.replace('name: pinned', 'name: pinned2') });
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr.trim(), `The Service "pinned2" is invalid: spec.clusterIPs: Invalid value: []string{"${ip1}"}: failed to allocate IP ${ip1}: provided IP is already allocated`);
  });

  test('namespaces: Terminating on delete, creates refused, immortal ones protected (semantics §9)', async () => {
    await ok(['create', 'namespace', 'doomed']);
    await ok(['apply', '-n', 'doomed', '-f', seed('003-my-headless-service.yaml')]);
    await ok(['delete', 'namespace', 'doomed', '--wait=false']);
    assert.equal(await ok(['get', 'ns', 'doomed', '-o', 'jsonpath={.status.phase}']), 'Terminating');
    const r = await kubectl(k, ['apply', '-n', 'doomed', '-f', seed('004-openldap.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(Forbidden\): error when creating ".*004-openldap.yaml": services "openldap" is forbidden: unable to create new content in namespace doomed because it is being terminated/);
    const missing = await kubectl(k, ['apply', '-n', 'nosuchns', '-f', seed('004-openldap.yaml')]);
    assert.match(missing.stderr, /Error from server \(NotFound\): error when creating ".*004-openldap.yaml": namespaces "nosuchns" not found/);
    const immortal = await kubectl(k, ['delete', 'namespace', 'default']);
    assert.equal(immortal.stderr.trim(), 'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });

  test('fieldValidation=Strict names unknown fields (kubectl sends Strict)', async () => {
    const manifest = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\nspec:\n  portz:\n  - port: 80\n  ports:\n  - port: 80\n';
    const r = await kubectl(k, ['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /strict decoding error: unknown field "spec.portz"/);
    const w = await kubectl(k, ['apply', '--validate=warn', '-f', '-'], { stdin: manifest });
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /Warning: unknown field "spec.portz"/);
  });

  test('invalid names get the DNS-1035 message (semantics §1.3)', async () => {
    const r = await kubectl(k, ['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: My-Svc\nspec:\n  ports:\n  - port: 80\n' });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `The Service "My-Svc" is invalid: metadata.name: Invalid value: "My-Svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`);
  });
});
