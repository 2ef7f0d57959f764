// Seed 002, "Some Practical in Action": examples/03-moon. Every command of the example's README runs against a
// real `kubedisco server` and must print what the README shows (walkthrough.ts); the checks hold the answers
// to the pods and the ClusterIP the API reports, and to the seed's two nslookup answers (one address for
// regular-svc, three for headless-svc, under the names <svc>.moon.svc.cluster.local).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows, waitFor } from '../harness.ts';
import {
  assertCleanedUp, describedEndpoints, digShort, exampleSteps, podIPs, runSteps, seedShape, sorted, startSession, stopSession, type Session,
} from './walkthrough.ts';

// Seed 002, verbatim: the answers of `nslookup regular-svc` and `nslookup headless-svc` from a pod in moon.
const SEED_NSLOOKUP_REGULAR = `Name:   regular-svc.moon.svc.cluster.local
Address: 10.109.150.46`;
const SEED_NSLOOKUP_HEADLESS = `Name:   headless-svc.moon.svc.cluster.local
Address: 172.17.0.31
Name:   headless-svc.moon.svc.cluster.local
Address: 172.17.0.30
Name:   headless-svc.moon.svc.cluster.local
Address: 172.17.0.32`;
/** The answer part of nslookup-style output (what follows the Server/Address lines). */
const answers = (out: string) => out.slice(out.indexOf('\nName:') + 1);

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 002 §moon: regular-svc answers with one ClusterIP, headless-svc with the 3 pod IPs of the same Deployment, 5 after scaling', async (t) => {
  let ips: string[] = [];
  let clusterIP = '';
  const podIPList = async () => sorted((await podIPs(s, 'app=web', 'moon')).values());
  await runSteps(t, s, exampleSteps('03-moon'), {
    'kubectl rollout status -n moon deployment app --timeout=60s': async (_r, _s, n) => {
      ips = await podIPList();
      assert.equal(ips.length, n === 1 ? 3 : 5);
    },
    'kubectl get pods -n moon': (r) => assert.deepEqual(tableRows(r.stdout).slice(1).map((row) => row.slice(1, 3)), Array(3).fill(['1/1', 'Running'])),
    'kubectl get svc -n moon': (r) => {
      const rows = new Map(tableRows(r.stdout).slice(1).map((row) => [row[0], row]));
      assert.equal(rows.get('headless-svc')![2], 'None');
      clusterIP = rows.get('regular-svc')![2];
      assert.match(clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, 'a ClusterIP from the default 10.96.0.0/12');
    },
    'kubectl get endpoints -n moon': (r) => {
      for (const row of tableRows(r.stdout).slice(1)) assert.deepEqual(sorted(row[1].split(',')), ips.map((ip) => `${ip}:8080`), row[0]);
    },
    'kubectl describe svc -n moon headless-svc': async (_r, s) => {
      for (const svc of ['headless-svc', 'regular-svc']) {
        assert.deepEqual((await describedEndpoints(s, svc, 'moon')).map((l) => sorted(l.split(','))), [ips.map((ip) => `${ip}:8080`)], svc);
      }
    },
    'bin/kubedisco lookup regular-svc -n moon': (r) => {
      assert.deepEqual(seedShape(answers(r.stdout)), seedShape(SEED_NSLOOKUP_REGULAR), 'the seed\'s answer: one address');
      assert.match(r.stdout, new RegExp(`^Address: ${clusterIP.replaceAll('.', '\\.')}$`, 'm'));
    },
    'bin/kubedisco lookup headless-svc -n moon': (r) => {
      assert.deepEqual(seedShape(answers(r.stdout)), seedShape(SEED_NSLOOKUP_HEADLESS), 'the seed\'s answer: three addresses');
      assert.deepEqual(sorted([...r.stdout.matchAll(/^Address: (.*)$/gm)].map((m) => m[1])), ips);
    },
    'dig @127.0.0.1 -p 1053 +short regular-svc.moon.svc.cluster.local': (r) => assert.deepEqual(r.stdout.trim().split('\n'), [clusterIP]),
    'dig @127.0.0.1 -p 1053 +short headless-svc.moon.svc.cluster.local': async (r, s, n) => {
      if (n === 1) assert.deepEqual(sorted(r.stdout.trim().split('\n')), ips);
      else await waitFor('the 5 pod IPs', async () => JSON.stringify(await digShort(s, 'headless-svc.moon.svc.cluster.local')) === JSON.stringify(ips));
    },
  });
  await assertCleanedUp(s, ['moon']);
});
