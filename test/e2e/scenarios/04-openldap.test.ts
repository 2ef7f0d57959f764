// Seed 004, "Observing a Headless Service" and "DNS-Based Pod Discovery": examples/04-openldap. Every command
// of the example's README runs against a real `kubedisco server` and must print what the README shows
// (walkthrough.ts); the checks hold kubectl's get/describe to the seed's and the DNS answers to the two pods.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows } from '../harness.ts';
import {
  assertCleanedUp, exampleSteps, podIPs, runSteps, seedShape, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

// Seed 004, verbatim: `kubectl get svc openldap` and `kubectl describe svc openldap`.
const SEED_GET_SVC = `NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
openldap   ClusterIP   None         <none>        389/TCP   185d`;
const SEED_DESCRIBE = `Name:              openldap
Namespace:         default
Labels:            app.kubernetes.io/instance=cb-openldap
                   app.kubernetes.io/managed-by=Helm
                   app.kubernetes.io/name=openldap-ha
Annotations:       meta.helm.sh/release-name: cb-openldap
                   meta.helm.sh/release-namespace: default
Selector:          app.kubernetes.io/instance=cb-openldap,app.kubernetes.io/name=openldap-ha
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                None
Ports:             ldap  389/TCP
TargetPort:        389/TCP
Endpoints:         10.233.0.214:389,10.233.9.73:389
Session Affinity: None`;
/**
 * The fields of the seed's describe that kubedisco must print alike. Not compared: Annotations (a Helm
 * release's, which the seed's manifest does not carry) and "Ports:" (kubectl has printed "Port:" since 1.x;
 * the port's value is compared under TargetPort and Endpoints).
 */
const SAME_FIELDS = ['Name', 'Namespace', 'Labels', 'Selector', 'Type', 'IP Family Policy', 'IP Families', 'IP', 'TargetPort', 'Endpoints', 'Session Affinity'];

/** `kubectl describe` text → field → value (continuation lines joined with a space). */
function fields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last = '';
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line);
    if (m && !/^\s/.test(line)) { last = m[1]; out.set(last, m[2].trim()); } else if (line.trim() && last) out.set(last, `${out.get(last)} ${line.trim()}`);
  }
  return out;
}

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 004 §openldap: get svc shows CLUSTER-IP None, describe lists the 2 ready pods on 389 as the seed does, DNS returns them', async (t) => {
  let ips: string[] = [];
  await runSteps(t, s, exampleSteps('04-openldap'), {
    'kubectl rollout status statefulset openldap --timeout=60s': async (_r, s) => {
      ips = sorted((await podIPs(s, 'app.kubernetes.io/name=openldap-ha')).values());
      assert.equal(ips.length, 2);
    },
    'kubectl get svc openldap': (r) => assert.deepEqual(seedShape(r.stdout), seedShape(SEED_GET_SVC)),
    'kubectl describe svc openldap': (r) => {
      const got = fields(r.stdout);
      const seed = fields(SEED_DESCRIBE);
      for (const f of SAME_FIELDS) assert.deepEqual(seedShape(got.get(f) ?? '<missing>'), seedShape(seed.get(f)!), `describe field ${f}`);
      assert.deepEqual(sorted(got.get('Endpoints')!.split(',')), ips.map((ip) => `${ip}:389`));
      assert.equal(got.get('Port'), 'ldap  389/TCP', 'the seed\'s "Ports: ldap 389/TCP"');
    },
    'kubectl get endpoints openldap': (r) => assert.deepEqual(sorted(tableRows(r.stdout)[1][1].split(',')), ips.map((ip) => `${ip}:389`)),
    'bin/kubedisco lookup openldap': (r) => {
      assert.deepEqual([...r.stdout.matchAll(/^Name:\t(.*)$/gm)].map((m) => m[1]), ['openldap.default.svc.cluster.local', 'openldap.default.svc.cluster.local']);
      assert.deepEqual(sorted([...r.stdout.matchAll(/^Address: (.*)$/gm)].map((m) => m[1])), ips);
    },
    'dig @127.0.0.1 -p 1053 +short openldap.default.svc.cluster.local': (r) => assert.deepEqual(sorted(r.stdout.trim().split('\n')), ips),
    'dig @127.0.0.1 -p 1053 +short SRV _ldap._tcp.openldap.default.svc.cluster.local': (r) => {
      assert.deepEqual(sorted(r.stdout.trim().split('\n')), ['0 50 389 openldap-0.openldap.default.svc.cluster.local.', '0 50 389 openldap-1.openldap.default.svc.cluster.local.']);
    },
  });
  await assertCleanedUp(s);
});
