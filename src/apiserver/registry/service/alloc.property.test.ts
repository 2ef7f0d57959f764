// Property test: after any sequence of creates, updates (type changes, re-applies, clusterIP edits) and
// deletes, the allocators hold exactly what the stored Services hold — nothing leaks, nothing is lost —
// and a fresh init() from the stored objects rebuilds the same state (kubernetes-semantics.md §2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { runCreate, runUpdate } from '../strategy-harness.ts';
import { serviceStrategy } from './strategy.ts';

const CFG = { serviceCIDR: '10.0.0.0/26', nodePortRange: { min: 30000, max: 30040 } };

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

function held(stored: Map<string, KObject>): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>(), ports = new Set<number>();
  for (const o of stored.values()) {
    const spec = o.spec;
    if (spec.type !== 'ExternalName') for (const ip of spec.clusterIPs ?? []) if (ip !== 'None') ips.add(ip);
    for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local' && spec.healthCheckNodePort) ports.add(spec.healthCheckNodePort);
  }
  return { ips, ports };
}

for (const seed of [1, 2, 3, 4, 5]) {
  test(`§2: allocator state always equals what stored Services hold (seed ${seed})`, () => {
    const rand = lcg(seed);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
    const s = serviceStrategy(CFG, { random: rand });
    const stored = new Map<string, KObject>();
    const types = ['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
    for (let step = 0; step < 600; step++) {
      const name = `s${Math.floor(rand() * 12)}`;
      const type = pick(types);
      const spec: Record<string, unknown> = { type, selector: { app: name } };
      if (type === 'ExternalName') spec.externalName = 'example.com';
      else spec.ports = pick([[{ name: 'a', port: 80 }], [{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53 }], [{ name: 'a', port: 80, ...(type !== 'ClusterIP' ? { nodePort: 30000 + Math.floor(rand() * 41) } : {}) }]]);
      if (type !== 'ExternalName' && rand() < 0.2) spec.clusterIP = pick(['None', '10.0.0.5', '10.0.0.40', '10.0.0.63']);
      if (type === 'LoadBalancer' && rand() < 0.5) spec.externalTrafficPolicy = 'Local';
      const obj = { metadata: { name }, spec } as KObject;
      const cur = stored.get(name);
      const op = rand();
      if (cur && op < 0.25) {
        s.afterDelete!(cur);
        stored.delete(name);
      } else if (cur) {
        const r = runUpdate(s, obj, cur);
        if (!r.err) stored.set(name, r.obj);
      } else {
        const r = runCreate(s, obj);
        if (!r.err) stored.set(name, r.obj);
      }
      const want = held(stored);
      const ipa = s.allocators.ipByFamily.get('IPv4')!;
      assert.equal(ipa.used, want.ips.size, `step ${step}: IPs in use`);
      for (const ip of want.ips) assert.ok(ipa.has(ip), `step ${step}: ${ip} should be allocated`);
      assert.equal(s.allocators.nodePorts.used, want.ports.size, `step ${step}: nodePorts in use`);
      for (const p of want.ports) assert.ok(s.allocators.nodePorts.has(p), `step ${step}: ${p} should be allocated`);
    }
    const fresh = serviceStrategy(CFG);
    fresh.init!([...stored.values()]);
    assert.deepEqual(fresh.repairProblems, []);
    assert.equal(fresh.allocators.ipByFamily.get('IPv4')!.used, s.allocators.ipByFamily.get('IPv4')!.used);
    assert.equal(fresh.allocators.nodePorts.used, s.allocators.nodePorts.used);
  });
}
