// Issue 2: "A durability test sends concurrent writes, kills the server with SIGKILL, restarts it, and
// finds every acknowledged write." Writes go over HTTP to the real server process on SQLite.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, http, startKubedisco } from './harness.ts';

test('every acknowledged write survives SIGKILL, with the same resourceVersion', async () => {
  for (let round = 0; round < 3; round++) {
    const first = await startKubedisco();
    const acked = new Map<string, string>(); // name → resourceVersion returned to the client
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 5000; i++) {
        const name = `w${w}-${i}`;
        try {
          const r = await http(first, 'POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } }));
          if (r.status === 201) acked.set(name, r.json.metadata.resourceVersion);
          else if (r.status) throw new Error(`unexpected ${r.status}: ${r.text}`);
        } catch (e) {
          if (stop) return; // the connection died with the server
          throw e;
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w).catch((e) => { if (!stop) throw e; }));
    // Kill at a different moment each round, while writes are in flight.
    await new Promise((r) => setTimeout(r, 300 + round * 250));
    stop = true;
    await first.kill();
    await Promise.allSettled(writers);
    assert.ok(acked.size > 50, `only ${acked.size} writes were acknowledged before the kill`);

    const second = await startKubedisco({ dataDir: first.dataDir });
    try {
      const list = await http(second, 'GET', '/api/v1/namespaces/default/configmaps');
      assert.equal(list.status, 200);
      const stored = new Map<string, string>(list.json.items.map((o: { metadata: { name: string; resourceVersion: string } }) => [o.metadata.name, o.metadata.resourceVersion]));
      const lost = [...acked].filter(([name, rv]) => stored.get(name) !== rv);
      assert.deepEqual(lost, [], `round ${round}: ${lost.length} of ${acked.size} acknowledged writes lost or changed`);
    } finally {
      await second.stop();
      cleanup(second);
    }
  }
});

test('a clean restart serves the same objects with the same resourceVersions', async () => {
  const first = await startKubedisco();
  const created = await http(first, 'POST', '/api/v1/namespaces/default/services', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep' }, spec: { ports: [{ port: 80 }] } }));
  assert.equal(created.status, 201);
  const before = await http(first, 'GET', '/api/v1/services');
  assert.equal(await first.stop(), 0, 'SIGTERM exits 0');
  const second = await startKubedisco({ dataDir: first.dataDir });
  try {
    const afterRestart = await http(second, 'GET', '/api/v1/services');
    const pick = (l: any) => l.json.items.map((o: any) => [o.metadata.name, o.metadata.resourceVersion, o.spec.clusterIP]).sort();
    assert.deepEqual(pick(afterRestart).filter((x: string[]) => x[0] !== 'kubernetes'), pick(before).filter((x: string[]) => x[0] !== 'kubernetes'));
    // The ClusterIP allocation survived the restart: requesting the same IP is a conflict.
    const dup = await http(second, 'POST', '/api/v1/namespaces/default/services', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'dup' }, spec: { clusterIP: created.json.spec.clusterIP, ports: [{ port: 80 }] } }));
    assert.equal(dup.status, 422);
    assert.match(dup.json.message, /provided IP is already allocated/);
  } finally {
    await second.stop();
    cleanup(second);
  }
});
