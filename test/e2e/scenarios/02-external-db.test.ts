// Seed 001, "Headless Services Without a Selector": examples/02-external-db. Every command of the example's
// README runs against a real `kubedisco server` and must print what the README shows (walkthrough.ts); the
// checks hold the answers to the seed's hand-written Endpoints (10.0.0.50, 10.0.0.51, port 5432).
// Nothing connects to 10.0.0.x: only DNS questions about them go to the server on 127.0.0.1.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRows } from '../harness.ts';
import { assertCleanedUp, describedEndpoints, exampleSteps, kcJSON, runSteps, sorted, startSession, stopSession, type Session } from './walkthrough.ts';

const SEED_ADDRESSES = ['10.0.0.50', '10.0.0.51'];
const SEED_PORT = 5432;

let s: Session;
before(async () => { s = await startSession(); });
after(async () => { await stopSession(s); });

test('seed 001 §external-db: a selectorless headless Service answers with its hand-written Endpoints 10.0.0.50 and 10.0.0.51', async (t) => {
  const withPort = SEED_ADDRESSES.map((a) => `${a}:${SEED_PORT}`);
  await runSteps(t, s, exampleSteps('02-external-db'), {
    'kubectl get svc external-db': (r) => {
      const [, row] = tableRows(r.stdout);
      assert.deepEqual([row[0], row[1], row[2], row[4]], ['external-db', 'ClusterIP', 'None', '5432/TCP']);
    },
    'kubectl get endpoints external-db': (r) => assert.deepEqual(sorted(tableRows(r.stdout)[1][1].split(',')), withPort),
    'kubectl describe svc external-db': async (_r, s) => {
      assert.deepEqual((await describedEndpoints(s, 'external-db')).map((l) => sorted(l.split(','))), [withPort]);
    },
    'kubectl get endpointslices -l kubernetes.io/service-name=external-db': async (_r, s) => {
      const [slice] = (await kcJSON(s, ['get', 'endpointslices', '-l', 'kubernetes.io/service-name=external-db'])).items;
      assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslicemirroring-controller.k8s.io');
      assert.deepEqual(sorted(slice.endpoints.map((e: any) => e.addresses[0])), SEED_ADDRESSES);
    },
    'dig @127.0.0.1 -p 1053 +short external-db.default.svc.cluster.local': (r) => assert.deepEqual(sorted(r.stdout.trim().split('\n')), SEED_ADDRESSES),
    'dig @127.0.0.1 -p 1053 +short SRV external-db.default.svc.cluster.local': (r) => {
      assert.deepEqual(sorted(r.stdout.trim().split('\n')), SEED_ADDRESSES.map((a) => `0 50 ${SEED_PORT} ${a.replaceAll('.', '-')}.external-db.default.svc.cluster.local.`));
    },
  });
  await assertCleanedUp(s);
});
