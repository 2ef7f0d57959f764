// The Endpoints controller end to end: a real `kubedisco server` (API only) as a child process, the controller
// in this process over HTTP, Pods written by the test as a kubelet would. kubernetes-semantics.md §3.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import type { Endpoints } from '../../api/types/endpoints.ts';
import { connect, type RestClient } from '../../client/index.ts';
import { cleanup, startKubedisco, type Kubedisco } from '../../../test/e2e/harness.ts';
import { createNode, createRunningPod, eventually, RES, runInProcess, setPodStatus, type InProcess } from '../endpointslice/testing.ts';
import { EndpointsController } from './controller.ts';

const NS = 'default';
let k: Kubedisco;
let ip: InProcess<EndpointsController>;
let rest: RestClient;

before(async () => {
  k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] });
  // Written before the controller starts: an Endpoints without a Service (deleted at start, checkLeftoverEndpoints)
  // and a leader-election record (kept).
  const pre = connect({ server: k.apiURL });
  await pre.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'orphan', namespace: NS } } as KObject);
  await pre.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'lock', namespace: NS, annotations: { 'control-plane.alpha.kubernetes.io/leader': '{"holderIdentity":"x"}' } } } as KObject);
  pre.close();
  ip = await runInProcess(k.apiURL, (ctx) => new EndpointsController(ctx));
  rest = ip.rest;
  await createNode(rest, 'node-a');
});
after(async () => {
  await ip?.stop();
  await k?.stop();
  if (k) cleanup(k);
});

const getEp = async (name: string): Promise<Endpoints | undefined> => {
  try {
    return (await rest.resource(RES.endpoints, NS).get(name)) as unknown as Endpoints;
  } catch {
    return undefined;
  }
};
const ips = (e: Endpoints | undefined, f: 'addresses' | 'notReadyAddresses' = 'addresses') => (e?.subsets ?? []).flatMap((s) => (s[f] ?? []).map((a) => a.ip));
const svc = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  rest.resource(RES.services, NS).create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS, ...metadata }, spec } as KObject);

describe('Endpoints controller against a real API server (§3)', () => {
  test('at start, an Endpoints whose Service does not exist is deleted; a leader-election record is kept', async () => {
    await eventually('orphan deleted', async () => (await getEp('orphan')) === undefined);
    assert.ok(await getEp('lock'));
  });

  test('ready pods in addresses (sorted as bytes), unready ones in notReadyAddresses; Service labels', async () => {
    await svc('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, { labels: { app: 'web' } });
    await createRunningPod(rest, NS, 'web-0', { labels: { app: 'web' }, node: 'node-a', ip: '10.244.0.9' });
    await createRunningPod(rest, NS, 'web-1', { labels: { app: 'web' }, node: 'node-a', ip: '10.244.0.10' });
    await createRunningPod(rest, NS, 'web-2', { labels: { app: 'web' }, node: 'node-a', ip: '10.244.0.11', ready: false });
    const e = await eventually('3 addresses', async () => {
      const x = await getEp('web');
      return ips(x).length + ips(x, 'notReadyAddresses').length === 3 ? x : undefined;
    });
    assert.deepEqual(ips(e), ['10.244.0.10', '10.244.0.9']);
    assert.deepEqual(ips(e, 'notReadyAddresses'), ['10.244.0.11']);
    assert.deepEqual(e.subsets![0].ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(e.metadata.labels, { app: 'web' });
    assert.equal(e.subsets![0].addresses![0].nodeName, 'node-a');
    assert.equal(e.subsets![0].addresses![0].targetRef!.name, 'web-1');
    assert.match(e.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time'], /Z$/);
  });

  test('a pod turning ready moves to addresses', async () => {
    await setPodStatus(rest, NS, 'web-2', { ip: '10.244.0.11', ready: true });
    const e = await eventually('3 ready', async () => {
      const x = await getEp('web');
      return ips(x).length === 3 ? x : undefined;
    });
    assert.equal(e.subsets![0].notReadyAddresses, undefined);
  });

  test('a terminating pod leaves Endpoints at once; with publishNotReadyAddresses it stays', async () => {
    await rest.resource(RES.pods, NS).delete('web-2', { gracePeriodSeconds: 30 });
    await eventually('web-2 gone from Endpoints', async () => !ips(await getEp('web')).includes('10.244.0.11'));
    await rest.resource(RES.services, NS).patch('web', 'merge', { spec: { publishNotReadyAddresses: true } });
    await eventually('web-2 back as ready', async () => ips(await getEp('web')).includes('10.244.0.11'));
    await rest.resource(RES.services, NS).patch('web', 'merge', { spec: { publishNotReadyAddresses: false } });
    await eventually('web-2 gone again', async () => !ips(await getEp('web')).includes('10.244.0.11'));
    await rest.resource(RES.pods, NS).delete('web-2', { gracePeriodSeconds: 0 });
  });

  test('the legacy tolerate-unready-endpoints annotation is honoured as publishNotReadyAddresses', async () => {
    await setPodStatus(rest, NS, 'web-1', { ip: '10.244.0.10', ready: false });
    await eventually('web-1 not ready', async () => ips(await getEp('web'), 'notReadyAddresses').includes('10.244.0.10'));
    await rest.resource(RES.services, NS).patch('web', 'merge', { metadata: { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } } });
    await eventually('web-1 published as ready', async () => ips(await getEp('web')).includes('10.244.0.10'));
  });

  test('nothing changed: no write (a Service annotation change syncs, and finds the Endpoints right)', async () => {
    const before = await getEp('web');
    const m0 = ip.controller.metrics();
    await rest.resource(RES.services, NS).patch('web', 'merge', { metadata: { annotations: { touched: '1' } } });
    await eventually('the sync', async () => ip.controller.metrics().skippedNoopWrites > m0.skippedNoopWrites);
    const m1 = ip.controller.metrics();
    assert.equal(m1.creates + m1.updates + m1.deletes, m0.creates + m0.updates + m0.deletes);
    assert.equal((await getEp('web'))!.metadata.resourceVersion, before!.metadata.resourceVersion);
  });

  test('headless Service: the service.kubernetes.io/headless label; no pods → no subsets', async () => {
    await svc('hl', { clusterIP: 'None', selector: { app: 'none-yet' }, ports: [{ port: 80 }] }, { labels: { tier: 'x' } });
    const e = await eventually('hl Endpoints', async () => getEp('hl'));
    assert.deepEqual(e.metadata.labels, { tier: 'x', 'service.kubernetes.io/headless': '' });
    assert.equal(e.subsets, undefined);
  });

  test('a selectorless Service\'s hand-written Endpoints is left alone', async () => {
    await svc('external-db', { clusterIP: 'None', ports: [{ port: 5432 }] });
    const mine = await rest.resource(RES.endpoints, NS).create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-db', namespace: NS }, subsets: [{ addresses: [{ ip: '10.0.0.50' }, { ip: '10.0.0.51' }], ports: [{ port: 5432 }] }] } as KObject);
    const m0 = ip.controller.metrics().syncs;
    await rest.resource(RES.services, NS).patch('external-db', 'merge', { metadata: { annotations: { touched: '1' } } });
    await eventually('the sync', async () => ip.controller.metrics().syncs > m0 && ip.controller.metrics().queue.processing === 0);
    const now = await getEp('external-db');
    assert.equal(now!.metadata.resourceVersion, mine.metadata.resourceVersion);
    assert.deepEqual(ips(now), ['10.0.0.50', '10.0.0.51']);
  });

  test('a restarted controller finds every Endpoints right and writes nothing', async () => {
    await ip.stop();
    ip = await runInProcess(k.apiURL, (ctx) => new EndpointsController(ctx));
    rest = ip.rest;
    // Every Service, and every Endpoints but the leader-election record (checkLeftoverEndpoints skips it).
    const eps = (await rest.resource(RES.endpoints, NS).list()).items.filter((e) => !e.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader']);
    const names = new Set([...(await rest.resource(RES.services, NS).list()).items, ...eps].map((o) => o.metadata.name));
    const keys = names.size;
    await eventually('every key synced', async () => ip.controller.metrics().syncs >= keys && ip.controller.metrics().queue.depth === 0 && ip.controller.metrics().queue.processing === 0);
    const m = ip.controller.metrics();
    assert.deepEqual([m.creates, m.updates, m.deletes], [0, 0, 0]);
  });

  test('an Endpoints deleted under a live Service is written again', async () => {
    const old = await getEp('web');
    await rest.resource(RES.endpoints, NS).delete('web');
    const e = await eventually('web recreated', async () => {
      const x = await getEp('web');
      return x && x.metadata.uid !== old!.metadata.uid ? x : undefined;
    });
    assert.equal(ips(e).length, 2);
  });

  test('the Service is deleted: its Endpoints goes', async () => {
    await rest.resource(RES.services, NS).delete('web');
    await eventually('web Endpoints deleted', async () => (await getEp('web')) === undefined);
  });
});
