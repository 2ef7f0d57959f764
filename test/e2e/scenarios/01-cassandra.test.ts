// Seed 001, "Headless Services with StatefulSets" and "Verifying a Headless Service": examples/01-cassandra.
// Every command of the example's README runs against a real `kubedisco server` (real kubectl, real dig,
// bin/kubedisco lookup) and its output must have the shape the README shows (walkthrough.ts); the checks
// below then hold the outputs to the pods the API reports and to what the seed shows.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows, waitFor } from '../harness.ts';
import {
  assertCleanedUp, describedEndpoints, digShort, exampleSteps, podIPs, runSteps, shape, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

// Seed 001, verbatim but for the spacing its page lost: `kubectl get svc cassandra` and the three pod IPs
// of "With a headless Service: nslookup cassandra.default.svc.cluster.local".
const SEED_GET_SVC = 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE\ncassandra ClusterIP None <none> 9042/TCP 10s';
const SEED_POD_IPS = ['10.244.1.5', '10.244.2.8', '10.244.3.12'];
const SEED_POD_NAMES = ['cassandra-0.cassandra.default.svc.cluster.local', 'cassandra-1.cassandra.default.svc.cluster.local', 'cassandra-2.cassandra.default.svc.cluster.local'];

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 001 §cassandra: a StatefulSet of 3 behind a headless Service; CLUSTER-IP None, 3 endpoints, dig returns the 3 pod IPs and per-pod names that survive a restart', async (t) => {
  let ips = new Map<string, string>();
  let restartedFrom = '';
  const ipList = () => sorted(ips.values());
  await runSteps(t, s, exampleSteps('01-cassandra'), {
    'kubectl rollout status statefulset cassandra --timeout=60s': async (_r, s, n) => {
      ips = await podIPs(s, 'app=cassandra');
      assert.deepEqual(sorted(ips.keys()), ['cassandra-0', 'cassandra-1', 'cassandra-2']);
      if (n === 2) assert.notEqual(ips.get('cassandra-0'), restartedFrom, 'the recreated cassandra-0 has a new IP');
    },
    'kubectl get svc cassandra': (r) => {
      assert.deepEqual(shape(r.stdout), shape(SEED_GET_SVC), 'the seed\'s table, but for the age');
      assert.equal(tableRows(r.stdout)[1][2], 'None');
    },
    'kubectl get svc cassandra -o jsonpath=\'{.spec.clusterIP}\'': (r) => assert.equal(r.stdout, 'None'),
    'kubectl get endpoints cassandra': (r) => {
      assert.deepEqual(sorted(tableRows(r.stdout)[1][1].split(',')), ipList().map((ip) => `${ip}:9042`));
    },
    'kubectl describe svc cassandra': async (_r, s) => {
      assert.deepEqual((await describedEndpoints(s, 'cassandra')).map((l) => sorted(l.split(','))), [ipList().map((ip) => `${ip}:9042`)]);
    },
    'dig @127.0.0.1 -p 1053 +short cassandra.default.svc.cluster.local': (r) => {
      const got = sorted(r.stdout.trim().split('\n'));
      assert.equal(got.length, SEED_POD_IPS.length, 'as many A records as the seed shows');
      assert.deepEqual(got, ipList());
    },
    'dig @127.0.0.1 -p 1053 +short cassandra-0.cassandra.default.svc.cluster.local': async (r, s, n) => {
      if (n === 1) {
        // The seed's table of per-pod names: each answers with its own pod's IP.
        for (const [pod, ip] of ips) assert.deepEqual(await digShort(s, `${pod}.cassandra.default.svc.cluster.local`), [ip]);
        restartedFrom = ips.get('cassandra-0')!;
      } else {
        // The name follows the recreated pod (it may take a DNS watch event after `rollout status`).
        const now = (await podIPs(s, 'app=cassandra')).get('cassandra-0')!;
        assert.notEqual(now, restartedFrom);
        await waitFor('cassandra-0 to resolve to its new IP', async () => JSON.stringify(await digShort(s, 'cassandra-0.cassandra.default.svc.cluster.local')) === JSON.stringify([now]));
      }
    },
    'bin/kubedisco lookup cassandra': (r) => {
      assert.deepEqual([...r.stdout.matchAll(/^Name:\t(.*)$/gm)].map((m) => m[1]), Array(3).fill('cassandra.default.svc.cluster.local'));
      assert.deepEqual(sorted([...r.stdout.matchAll(/^Address: (.*)$/gm)].map((m) => m[1])), ipList());
    },
    'dig @127.0.0.1 -p 1053 +short -x $(dig @127.0.0.1 -p 1053 +short cassandra-1.cassandra.default.svc.cluster.local)': async (r, s) => {
      assert.equal(r.stdout.trim(), 'cassandra-1.cassandra.default.svc.cluster.local.');
      // The seed's nslookup output names every address by its pod: so does each PTR record.
      for (const [pod, ip] of ips) {
        assert.deepEqual(await digShort(s, ip.split('.').reverse().join('.') + '.in-addr.arpa', 'PTR'), [`${pod}.cassandra.default.svc.cluster.local.`]);
      }
      assert.deepEqual(sorted([...ips.keys()].map((p) => `${p}.cassandra.default.svc.cluster.local`)), SEED_POD_NAMES);
    },
    'dig @127.0.0.1 -p 1053 +short SRV _cql._tcp.cassandra.default.svc.cluster.local': (r) => {
      assert.deepEqual(sorted(r.stdout.trim().split('\n')), SEED_POD_NAMES.map((n) => `0 33 9042 ${n}.`));
    },
  });
  await assertCleanedUp(s);
});
