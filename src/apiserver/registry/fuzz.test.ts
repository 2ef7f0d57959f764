// No body can crash a strategy: a bounded, seeded fuzz loop mutates realistic objects of every kind this
// folder owns (wrong JSON types, nulls, odd strings) and drives them through create, update, status
// update and delete. Every outcome must be a result or a StatusError (400/422/500), never a TypeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { StatusError } from '../../api/status.ts';
import { createStrategies } from './index.ts';
import { runCreate, runStatusUpdate, runUpdate } from './strategy-harness.ts';

const TEMPLATES: Record<string, Record<string, unknown>> = {
  namespaces: { spec: { finalizers: 0 }, status: { phase: 0 } },
  nodes: { spec: { podCIDR: 0, podCIDRs: 0, taints: [{ key: 0, value: 0, effect: 0 }], providerID: 0, externalID: 0 }, status: { capacity: 0, allocatable: 0, addresses: [{ type: 0, address: 0 }] } },
  services: { spec: { type: 0, clusterIP: 0, clusterIPs: 0, ipFamilies: 0, ipFamilyPolicy: 0, ports: [{ name: 0, port: 0, targetPort: 0, nodePort: 0, protocol: 0 }], selector: 0, externalName: 0, sessionAffinity: 0, sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, externalTrafficPolicy: 0, externalIPs: 0 }, status: { loadBalancer: { ingress: [{ ip: 0, ipMode: 0, hostname: 0 }] } } },
  endpoints: { subsets: [{ addresses: [{ ip: 0, hostname: 0, nodeName: 0 }], notReadyAddresses: 0, ports: [{ name: 0, port: 0, protocol: 0, appProtocol: 0 }] }] },
  'endpointslices.discovery.k8s.io': { addressType: 0, endpoints: [{ addresses: [0], hostname: 0, nodeName: 0, deprecatedTopology: 0, hints: { forZones: [{ name: 0 }], forNodes: 0 }, conditions: 0 }], ports: [{ name: 0, port: 0, protocol: 0, appProtocol: 0 }] },
  events: { involvedObject: { namespace: 0 }, eventTime: 0, reportingComponent: 0, reportingInstance: 0, action: 0, reason: 0, message: 0 },
  configmaps: { data: { k: 0 }, binaryData: { k: 0 }, immutable: 0 },
  'leases.coordination.k8s.io': { spec: { leaseDurationSeconds: 0, leaseTransitions: 0, strategy: 0, preferredHolder: 0 } },
};

const ATOMS: unknown[] = [null, 0, -1, 1.5, 80, 70000, 'x', '', 'a b', 'None', 'NodePort', 'LoadBalancer', 'ExternalName', 'TCP', 'IPv4', 'IPv6',
  '10.96.0.5', '10.1.2.3', '127.0.0.1', 'fd00::1', 'NoSchedule', true, [], {}, ['x'], [null], [1], { a: 'b' }, { a: 1 }];

test('fuzz: malformed bodies produce results or StatusErrors, never crashes', () => {
  let seed = 20260804;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const mutate = (t: unknown): unknown => {
    if (t === 0 || rnd() < 0.12) return ATOMS[Math.floor(rnd() * ATOMS.length)];
    if (Array.isArray(t)) return t.map(mutate);
    if (t && typeof t === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(t)) if (rnd() < 0.85) o[k] = mutate(v);
      return o;
    }
    return t;
  };
  const meta = () => ({
    name: rnd() < 0.9 ? 'web' : mutate(0),
    ...(rnd() < 0.3 ? { labels: mutate({ a: 0 }), annotations: mutate({ a: 0 }), finalizers: mutate([0]), ownerReferences: mutate([{ apiVersion: 0, kind: 0, name: 0, uid: 0, controller: 0 }]) } : {}),
  });
  const strategies = createStrategies({ serviceCIDR: '10.96.0.0/24', nodePortRange: { min: 30000, max: 30100 } });
  const outcomes = { ok: 0, rejected: 0 };
  const guard = (label: string, fn: () => void) => {
    try { fn(); } catch (e) {
      assert.ok(e instanceof StatusError, `${label}: ${(e as Error)?.stack ?? e}`);
      outcomes.rejected++;
    }
  };
  for (let i = 0; i < 600; i++) {
    for (const [key, tpl] of Object.entries(TEMPLATES)) {
      const s = strategies.get(key)!;
      const body = { ...(mutate(tpl) as object), metadata: meta() } as unknown as KObject;
      guard(`${key} create`, () => {
        const r = runCreate(s, body);
        if (r.err) { outcomes.rejected++; return; }
        outcomes.ok++;
        guard(`${key} update`, () => { runUpdate(s, { ...(mutate(tpl) as object), metadata: { name: r.obj.metadata.name } } as unknown as KObject, r.obj); });
        guard(`${key} status`, () => { runStatusUpdate(s, { ...r.obj, ...(mutate(tpl) as object) } as KObject, r.obj); });
        s.afterDelete?.(r.obj);
      });
    }
  }
  assert.ok(outcomes.ok > 500 && outcomes.rejected > 500, JSON.stringify(outcomes));
});
