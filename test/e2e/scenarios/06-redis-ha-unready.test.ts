// Seed 004, "Discovering All Pods, Including Unready Ones": examples/06-redis-ha-unready. Every command of the
// example's README runs against a real `kubedisco server` and must print what the README shows
// (walkthrough.ts); the checks hold the endpoints and DNS answers to the pods' readiness: not-ready pods
// are published through spec.publishNotReadyAddresses and through the legacy annotation (which draws the
// API's Warning), and left out by default.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, tableRows } from '../harness.ts';
import {
  assertCleanedUp, describedEndpoints, digShort, exampleSteps, kcJSON, podIPs, runSteps, seedShape, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

// Seed 004, verbatim: `kubectl describe svc -n=xxx-system redis-ha-announce-0` (the lines it shows).
const SEED_DESCRIBE = `Annotations:       service.alpha.kubernetes.io/tolerate-unready-endpoints: true
Endpoints:         10.233.0.213:6379`;
const WARNING = /^Warning: service\.alpha\.kubernetes\.io\/tolerate-unready-endpoints is deprecated; use spec\.publishNotReadyAddresses/m;

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

async function ready(s: Session, pod: string): Promise<boolean> {
  const p = await kcJSON(s, ['get', 'pod', pod]);
  return p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false;
}

test('seed 004 §redis-ha: not-ready pods are endpoints and DNS answers through publishNotReadyAddresses and the legacy annotation (with a Warning), not by default', async (t) => {
  let pods = new Map<string, string>();
  const ips = () => sorted(pods.values());
  await runSteps(t, s, exampleSteps('06-redis-ha-unready'), {
    'kubectl apply -f examples/06-redis-ha-unready/redis-ha.yaml': (r) => assert.doesNotMatch(r.stderr, /Warning/, 'publishNotReadyAddresses draws no warning'),
    'bin/kubedisco wait statefulset/redis-ha-server --for running': (r) => {
      // Progress: one line per pod as it runs, then the summary.
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines[0], 'waiting for 3 pods of statefulset/redis-ha-server to be running (selector app=redis-ha)');
      assert.deepEqual(lines.slice(1, 4).map((l) => /^pod\/(redis-ha-server-\d) running: 10\.244\.\d+\.\d+ on kubedisco-node-\d \((\d)\/3\)$/.exec(l)?.slice(1)).map((m) => m?.[1]), ['1', '2', '3']);
      assert.deepEqual(sorted(lines.slice(1, 4).map((l) => l.split(' ')[0])), ['pod/redis-ha-server-0', 'pod/redis-ha-server-1', 'pod/redis-ha-server-2']);
      assert.equal(lines[4], 'statefulset/redis-ha-server: 3/3 pods running');
    },
    'kubectl get pods -l app=redis-ha': async (r, s, n) => {
      const rows = tableRows(r.stdout).slice(1).map((row) => row.slice(0, 3));
      pods = await podIPs(s, 'app=redis-ha');
      assert.equal(pods.size, 3);
      if (n === 1) assert.deepEqual(rows, [0, 1, 2].map((i) => [`redis-ha-server-${i}`, '0/1', 'Running']));
      else assert.deepEqual(rows.map((row) => row[1]), ['1/1', '0/1', '0/1']);
    },
    'kubectl get endpoints redis-ha redis-ha-ready-only': async (r, s) => {
      const rows = tableRows(r.stdout).slice(1);
      assert.deepEqual(sorted(rows[0][1].split(',')), ips().map((ip) => `${ip}:6379`));
      assert.equal(rows[1].length, 2, 'redis-ha-ready-only: an empty ENDPOINTS cell');
      const ep = await kcJSON(s, ['get', 'endpoints', 'redis-ha-ready-only']);
      assert.deepEqual(sorted(ep.subsets[0].notReadyAddresses.map((a: any) => a.ip)), ips(), 'held as notReadyAddresses');
      assert.equal(ep.subsets[0].addresses, undefined);
    },
    'dig @127.0.0.1 -p 1053 +short redis-ha.default.svc.cluster.local': (r) => assert.deepEqual(sorted(r.stdout.trim().split('\n')), ips()),
    'dig @127.0.0.1 -p 1053 +short SRV _server._tcp.redis-ha.default.svc.cluster.local': async (r, s) => {
      assert.deepEqual(sorted(r.stdout.trim().split('\n')), [0, 1, 2].map((i) => `0 33 6379 redis-ha-server-${i}.redis-ha.default.svc.cluster.local.`));
      for (const [pod, ip] of pods) assert.deepEqual(await digShort(s, `${pod}.redis-ha.default.svc.cluster.local`), [ip]);
    },
    'kubectl apply -f examples/06-redis-ha-unready/redis-ha-announce-0.yaml': (r) => assert.match(r.stderr, WARNING),
    'kubectl describe svc redis-ha-announce-0': async (r, s) => {
      const lines = r.stdout.split('\n').filter((l) => /^(Annotations|Endpoints):/.test(l)).join('\n');
      assert.deepEqual(seedShape(lines), seedShape(SEED_DESCRIBE), 'the seed\'s Annotations and Endpoints lines');
      assert.deepEqual(await describedEndpoints(s, 'redis-ha-announce-0'), [`${pods.get('redis-ha-server-0')}:6379`]);
      assert.equal(await ready(s, 'redis-ha-server-0'), false, 'published though not ready');
    },
    'kubectl annotate pod redis-ha-server-0 nodesim.kubedisco.io/ready-': async (_r, s) => {
      // An update of a Service with the annotation warns again (every write does).
      const again = await kubectl(s.k, ['label', 'svc', 'redis-ha-announce-0', 'example=warned-again']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, WARNING);
    },
    'dig @127.0.0.1 -p 1053 +short redis-ha-ready-only.default.svc.cluster.local': (r) => assert.deepEqual(r.stdout.trim().split('\n'), [pods.get('redis-ha-server-0')]),
  });
  await assertCleanedUp(s);
});
