// Seed 003, "Headless services concept in Kubernetes - Step-by-Step Execution": examples/09-step-by-step, all
// six steps of the seed's process table. Every command of the example's README runs against a real
// `kubedisco server` and must print what the README shows (walkthrough.ts); the checks hold each step to
// the seed's status tracker: clusterIP None throughout; DNS Response None before the pods, the pod IPs
// after step 3, the changed pod IPs after step 5 (one IP replaced, then scaled), None after step 6.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows, waitFor } from '../harness.ts';
import { assertCleanedUp, dig, digShort, exampleSteps, kcJSON, rcode, runSteps, sorted, startSession, stopSession, type Session } from './walkthrough.ts';

const NAME = 'my-headless-service.default.svc.cluster.local';
const DIG = `dig @127.0.0.1 -p 1053 +short ${NAME}`;

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

/** Pod name → IP of the app=myapp pods that are not being deleted. */
async function livePods(s: Session): Promise<Map<string, string>> {
  const items = (await kcJSON(s, ['get', 'pods', '-l', 'app=myapp'])).items;
  return new Map(items.filter((p: any) => !p.metadata.deletionTimestamp && p.status.podIP).map((p: any) => [p.metadata.name, p.status.podIP]));
}

test('seed 003 §step-by-step: create the headless Service, pods start, DNS returns their IPs, a client picks one, DNS follows a new IP and scaling, NXDOMAIN after delete', async (t) => {
  let atStep3 = new Map<string, string>();
  let deleted = { name: '', ip: '' };
  /** DNS answers exactly the live pods' IPs (waiting for the watch to deliver the change). */
  const dnsFollows = async (s: Session, count: number) => {
    const want = await waitFor(`${count} live pods`, async () => { const p = await livePods(s); return p.size === count && p; }, 60_000);
    await waitFor(`DNS to answer the ${count} live pod IPs`, async () => JSON.stringify(await digShort(s, NAME)) === JSON.stringify(sorted(want.values())));
    return want;
  };
  await runSteps(t, s, exampleSteps('09-step-by-step'), {
    // Step 1. Tracker: clusterIP None, Pod IPs None, DNS Response None.
    'kubectl get svc my-headless-service': async (r, s) => {
      assert.equal(tableRows(r.stdout)[1][2], 'None');
      assert.equal((await kcJSON(s, ['get', 'svc', 'my-headless-service'])).spec.clusterIP, 'None');
      assert.equal((await livePods(s)).size, 0);
    },
    // Step 2. Tracker: Pod IPs "10.1.1.5, 10.1.1.6": two pods, each with its IP, both endpoints.
    'kubectl get endpoints my-headless-service': async (r, s) => {
      const pods = await livePods(s);
      assert.equal(pods.size, 2);
      assert.deepEqual(sorted(tableRows(r.stdout)[1][1].split(',')), sorted(pods.values()).map((ip) => `${ip}:80`));
    },
    [DIG]: async (r, s, n) => {
      if (n === 1) { // Step 3: DNS Response = the pod IPs.
        atStep3 = await livePods(s);
        assert.deepEqual(sorted(r.stdout.trim().split('\n')), sorted(atStep3.values()));
      } else if (n === 2) { // Step 5: a pod's IP changed ("10.1.1.5, 10.1.1.7").
        const now = await dnsFollows(s, 2);
        const ips = new Set(now.values());
        assert.ok(!ips.has(deleted.ip), `the deleted pod's IP ${deleted.ip} is gone`);
        assert.equal([...ips].filter((ip) => ![...atStep3.values()].includes(ip)).length, 1, 'one new IP, one kept');
      } else {
        await dnsFollows(s, n === 3 ? 3 : 1); // scaled to 3, then to 1
      }
    },
    // Step 4: the address a client would dial is one of the answers, and it is the pod's own IP.
    [`ip=$(${DIG} | head -n 1); echo "dial $ip:80 = $(kubectl get pods --field-selector status.podIP=$ip -o name)"`]: (r) => {
      const m = /^dial (\S+):80 = pod\/(\S+)$/.exec(r.stdout.trim());
      assert.ok(m, r.stdout);
      assert.equal(atStep3.get(m[2]), m[1], 'the pod with that IP');
    },
    'kubectl delete $(kubectl get pods -l app=myapp -o name | head -n 1)': (r) => {
      const name = /^pod "(\S+)" deleted$/.exec(r.stdout.trim())![1];
      deleted = { name, ip: atStep3.get(name)! };
      assert.ok(deleted.ip);
    },
    // Progress while the replacement starts: each pod as it is ready, the new one with its new IP.
    'bin/kubedisco wait deployment/myapp': async (r, s) => {
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines[0], 'waiting for 2 pods of deployment/myapp to be ready (selector app=myapp)');
      assert.equal(lines.at(-1), 'deployment/myapp: 2/2 pods ready');
      const pods = await livePods(s);
      const shown = new Map(lines.slice(1, -1).map((l) => /^pod\/(\S+) ready: (\S+) on kubedisco-node-\d \(\d\/2\)$/.exec(l)!.slice(1, 3) as [string, string]));
      assert.deepEqual(shown, pods, 'the 2 live pods, each with its IP');
      assert.ok(!shown.has(deleted.name));
    },
    // Step 6: No DNS entries for the service; the pods are still there until their Deployment goes.
    'kubectl delete svc my-headless-service': async (_r, s) => {
      await waitFor('NXDOMAIN', async () => rcode(await dig(s, NAME)) === 'NXDOMAIN');
      assert.equal(rcode(await dig(s, NAME, 'SRV')), 'NXDOMAIN');
      assert.equal((await livePods(s)).size, 1);
    },
  });
  await assertCleanedUp(s);
});
