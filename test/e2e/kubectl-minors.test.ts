// Issue 2: "This works with the kubectl on PATH and with the per-minor kubectl binaries 1.27 to 1.33
// installed beside it." Each binary runs the core of the walkthrough in a namespace of its own.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cleanup, kubectl, kubectlMinor, ROOT, startKubedisco, tableRows, type Kubedisco } from './harness.ts';

const MINORS = [27, 28, 29, 30, 31, 32, 33];
const SEED = join(ROOT, 'test/fixtures/seeds/001-cassandra.yaml');

let k: Kubedisco;
// API semantics only: no controllers or simulated nodes, so every output is deterministic.
before(async () => { k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] }); });
after(async () => { await k.stop(); cleanup(k); });

describe('per-minor kubectl binaries (kubectl-compatibility.md §0)', () => {
  for (const minor of MINORS) {
    test(`kubectl 1.${minor}: create namespace, apply, get, patch, scale, server-side apply, delete`, async () => {
      const bin = kubectlMinor(minor);
      assert.ok(bin, `kubectl.1.${minor} is not installed beside the kubectl on PATH`);
      const ns = `minor-${minor}`;
      const ok = async (args: string[]) => {
        const r = await kubectl(k, args, { bin });
        assert.equal(r.code, 0, `kubectl 1.${minor} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
        return r.stdout;
      };
      const version = JSON.parse(await ok(['version', '-o', 'json']));
      assert.match(version.clientVersion.gitVersion, new RegExp(`^v1\\.${minor}\\.`));
      assert.equal(await ok(['create', 'namespace', ns]), `namespace/${ns} created\n`);
      assert.equal(await ok(['apply', '-n', ns, '-f', SEED]), 'service/cassandra created\nstatefulset.apps/cassandra created\n');
      assert.equal(await ok(['apply', '-n', ns, '-f', SEED]), 'service/cassandra unchanged\nstatefulset.apps/cassandra unchanged\n');
      const svc = tableRows(await ok(['get', 'svc', '-n', ns]));
      assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      assert.deepEqual(svc[1].slice(0, 5), ['cassandra', 'ClusterIP', 'None', '<none>', '9042/TCP']);
      assert.equal(await ok(['label', '-n', ns, 'svc', 'cassandra', 'minor=x']), 'service/cassandra labeled\n');
      assert.equal(await ok(['patch', '-n', ns, 'svc', 'cassandra', '--type=merge', '-p', '{"metadata":{"annotations":{"a":"b"}}}']), 'service/cassandra patched\n');
      assert.equal(await ok(['scale', '-n', ns, 'sts', 'cassandra', '--replicas=2']), 'statefulset.apps/cassandra scaled\n');
      assert.equal(await ok(['get', '-n', ns, 'sts', 'cassandra', '-o', 'jsonpath={.spec.replicas}']), '2');
      assert.equal(await ok(['apply', '--server-side', '--force-conflicts', '-n', ns, '-f', SEED]), 'service/cassandra serverside-applied\nstatefulset.apps/cassandra serverside-applied\n');
      assert.equal(await ok(['delete', '-n', ns, '-f', SEED]), 'service "cassandra" deleted\nstatefulset.apps "cassandra" deleted\n');
    });
  }
});
