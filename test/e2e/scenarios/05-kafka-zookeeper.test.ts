// Seed 004, "a headless Kafka Zookeeper Service returns the IPs of all three Pods": examples/05-kafka-zookeeper.
// Every command of the example's README runs against a real `kubedisco server` and must print what the
// README shows (walkthrough.ts); the checks hold kubectl's line to the seed's, the endpoints to the three
// pods, and the SRV answers to rule book §5.4-§5.6 (one record per pod for each named port, the pod's
// stable name as target, weight 33 for three, the target's A record in the additional section).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows } from '../harness.ts';
import {
  assertCleanedUp, describedEndpoints, dig, exampleSteps, podIPs, runSteps, seedShape, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

// Seed 004, verbatim: the get svc line and the describe excerpt's Endpoints line.
const SEED_GET_SVC_LINE = 'kafka-zookeeper-headless   ClusterIP   None   <none>   2181/TCP,3888/TCP,2888/TCP   646d';
const SEED_CLIENT_ENDPOINTS = '10.233.66.179:2181,10.233.66.181:2181,10.233.69.223:2181';
const NS = 'xxx-middleware';
const SVC = `kafka-zookeeper-headless.${NS}.svc.cluster.local`;
const PORTS = { client: 2181, election: 3888, server: 2888 } as const;
const srvCommand = (port: string) => `dig @127.0.0.1 -p 1053 +short SRV _${port}._tcp.${SVC}`;

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 004 §kafka-zookeeper: a headless Service with ports 2181, 3888 and 2888 over 3 pods; SRV names each pod for each port', async (t) => {
  let pods = new Map<string, string>();
  const ips = () => sorted(pods.values());
  const targets = () => sorted(pods.keys()).map((p) => `${p}.${SVC}.`);
  const srvCheck = (port: keyof typeof PORTS) => (r: { stdout: string }) => {
    assert.deepEqual(sorted(r.stdout.trim().split('\n')), targets().map((tg) => `0 33 ${PORTS[port]} ${tg}`));
  };
  await runSteps(t, s, exampleSteps('05-kafka-zookeeper'), {
    'kubectl rollout status -n xxx-middleware statefulset kafka-zookeeper --timeout=60s': async (_r, s) => {
      pods = await podIPs(s, 'app=zookeeper', NS);
      assert.deepEqual(sorted(pods.keys()), ['kafka-zookeeper-0', 'kafka-zookeeper-1', 'kafka-zookeeper-2']);
    },
    'kubectl get svc -n=xxx-middleware | grep kafka-zookeeper-headless': (r) => assert.deepEqual(seedShape(r.stdout), seedShape(SEED_GET_SVC_LINE)),
    'kubectl describe svc -n=xxx-middleware kafka-zookeeper-headless': async (r, s) => {
      assert.match(r.stdout, /^Labels:\s+app=zookeeper$/m);
      assert.match(r.stdout, /^Port:\s+client {2}2181\/TCP$/m, 'the seed\'s first port, client 2181/TCP');
      const lines = await describedEndpoints(s, 'kafka-zookeeper-headless', NS);
      assert.deepEqual(seedShape(lines[0]), seedShape(SEED_CLIENT_ENDPOINTS), 'three endpoints on 2181, as the seed\'s');
      assert.deepEqual(lines.map((l) => sorted(l.split(','))), Object.values(PORTS).map((p) => ips().map((ip) => `${ip}:${p}`)));
    },
    'kubectl get endpoints -n xxx-middleware kafka-zookeeper-headless': (r) => assert.match(tableRows(r.stdout)[1][1], /^(\d+\.){3}\d+:2888,(\d+\.){3}\d+:2888,(\d+\.){3}\d+:2888 \+ 6 more\.\.\.$/),
    [`dig @127.0.0.1 -p 1053 +short ${SVC}`]: (r) => assert.deepEqual(sorted(r.stdout.trim().split('\n')), ips()),
    [srvCommand('client')]: srvCheck('client'),
    [srvCommand('election')]: srvCheck('election'),
    [srvCommand('server')]: srvCheck('server'),
    [`dig @127.0.0.1 -p 1053 +noall +answer +additional SRV _client._tcp.${SVC}`]: async (r, s) => {
      const additional = sorted(r.stdout.split('\n').filter((l) => /\sIN\s+A\s/.test(l)).map((l) => l.replace(/\s+/g, ' ')));
      assert.deepEqual(additional, sorted([...pods].map(([p, ip]) => `${p}.${SVC}. 5 IN A ${ip}`)));
      assert.match(await dig(s, `_client._tcp.${SVC}`, 'SRV'), /flags: qr aa rd;.*ANSWER: 3, AUTHORITY: 0, ADDITIONAL: 4/, 'authoritative; 3 SRV + 3 A + OPT');
    },
  });
  await assertCleanedUp(s, [NS]);
});
