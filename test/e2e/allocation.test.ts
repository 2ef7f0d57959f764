// Service IP and NodePort allocation under concurrent creates and across a restart (kubernetes-semantics.md §2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, http, startKubedisco } from './harness.ts';

const svc = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

test('concurrent creates never share a ClusterIP or NodePort, and the allocations survive a restart', async () => {
  const first = await startKubedisco();
  try {
    const created = await Promise.all(Array.from({ length: 64 }, (_, i) =>
      http(first, 'POST', '/api/v1/namespaces/default/services', svc(`c${i}`, i % 4 === 0 ? { type: 'NodePort' } : {}))));
    for (const r of created) assert.equal(r.status, 201, r.text);
    const ips = created.map((r) => r.json.spec.clusterIP as string);
    assert.equal(new Set(ips).size, ips.length, 'every ClusterIP is distinct');
    for (const ip of ips) {
      const [a, b] = ip.split('.').map(Number);
      assert.ok(a === 10 && b >= 96 && b <= 111, `${ip} is inside 10.96.0.0/12`);
      assert.notEqual(ip, '10.96.0.1', 'the kubernetes Service keeps .1');
    }
    const ports = created.filter((r) => r.json.spec.type === 'NodePort').map((r) => r.json.spec.ports[0].nodePort as number);
    assert.equal(ports.length, 16);
    assert.equal(new Set(ports).size, ports.length, 'every NodePort is distinct');
    for (const p of ports) assert.ok(p >= 30000 && p <= 32767, `${p} is inside 30000-32767`);
    await first.stop();

    const second = await startKubedisco({ dataDir: first.dataDir });
    try {
      const ip = await http(second, 'POST', '/api/v1/namespaces/default/services', svc('again-ip', { clusterIP: ips[0] }));
      assert.equal(ip.status, 422);
      assert.equal(ip.json.details.causes[0].message, `Invalid value: []string{"${ips[0]}"}: failed to allocate IP ${ips[0]}: provided IP is already allocated`);
      const port = await http(second, 'POST', '/api/v1/namespaces/default/services', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'again-port' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: ports[0] }] } }));
      assert.equal(port.status, 422);
      assert.equal(port.json.details.causes[0].field, 'spec.ports[0].nodePort');
      assert.equal(port.json.details.causes[0].message, `Invalid value: ${ports[0]}: provided port is already allocated`);
      // Deleting releases: the IP can be requested again.
      assert.equal((await http(second, 'DELETE', '/api/v1/namespaces/default/services/c0')).status, 200);
      const reuse = await http(second, 'POST', '/api/v1/namespaces/default/services', svc('reuse', { clusterIP: ips[0] }));
      assert.equal(reuse.status, 201, reuse.text);
    } finally {
      await second.stop();
      cleanup(second);
    }
  } finally {
    await first.stop();
  }
});
