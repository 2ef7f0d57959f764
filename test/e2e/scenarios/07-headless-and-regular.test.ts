// Seed 004's conclusion, a headless Service "combined with a regular Service to expose the same Pods":
// examples/07-headless-and-regular. Every command of the example's README runs against a real
// `kubedisco server` and must print what the README shows (walkthrough.ts); the checks hold both Services
// to the same two pods, and their DNS answers to rule book §4 (regular: the ClusterIP, one SRV naming the
// Service) and §5 (headless: every pod, one SRV per pod naming it).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows } from '../harness.ts';
import {
  assertCleanedUp, describedEndpoints, exampleSteps, podIPs, runSteps, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 004 §headless+regular: one set of pods behind a headless and a NodePort Service; same endpoints, DNS gives the pods for one and the ClusterIP for the other', async (t) => {
  let pods = new Map<string, string>();
  let clusterIP = '';
  const withPort = () => sorted(pods.values()).map((ip) => `${ip}:389`);
  await runSteps(t, s, exampleSteps('07-headless-and-regular'), {
    'kubectl rollout status statefulset openldap --timeout=60s': async (_r, s) => {
      pods = await podIPs(s, 'app.kubernetes.io/name=openldap-ha');
      assert.equal(pods.size, 2);
    },
    'kubectl get svc openldap openldap-external': (r) => {
      const [, headless, regular] = tableRows(r.stdout);
      assert.deepEqual(headless.slice(0, 3), ['openldap', 'ClusterIP', 'None']);
      assert.deepEqual(regular.slice(0, 2), ['openldap-external', 'NodePort']);
      clusterIP = regular[2];
      assert.match(clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
      assert.match(regular[4], /^389:(3[0-2]\d{3})\/TCP$/, 'a node port from 30000-32767');
    },
    'kubectl get endpoints openldap openldap-external': async (r, s) => {
      for (const row of tableRows(r.stdout).slice(1)) assert.deepEqual(sorted(row[1].split(',')), withPort(), row[0]);
      for (const svc of ['openldap', 'openldap-external']) {
        assert.deepEqual((await describedEndpoints(s, svc)).map((l) => sorted(l.split(','))), [withPort()], `describe svc ${svc}`);
      }
    },
    'dig @127.0.0.1 -p 1053 +short openldap-external.default.svc.cluster.local': (r) => assert.deepEqual(r.stdout.trim().split('\n'), [clusterIP]),
    'dig @127.0.0.1 -p 1053 +short openldap.default.svc.cluster.local': (r) => assert.deepEqual(sorted(r.stdout.trim().split('\n')), sorted(pods.values())),
    'dig @127.0.0.1 -p 1053 +short openldap-1.openldap.default.svc.cluster.local': (r) => assert.deepEqual(r.stdout.trim().split('\n'), [pods.get('openldap-1')]),
    'dig @127.0.0.1 -p 1053 +short SRV _ldap._tcp.openldap-external.default.svc.cluster.local': (r) => {
      assert.equal(r.stdout.trim(), '0 100 389 openldap-external.default.svc.cluster.local.');
    },
  });
  await assertCleanedUp(s);
});
