// Small object builders for the resolver tests (Services, EndpointSlices, Namespaces, Pods as the API
// serves them) and the shared cluster most table cases run against. Test support only.

import type { EndpointSlice, Endpoint, EndpointPort } from '../../api/types/endpointslice.ts';
import type { Namespace } from '../../api/types/namespace.ts';
import type { Pod } from '../../api/types/pod.ts';
import type { Service, ServicePort, ServiceSpec } from '../../api/types/core-v1-service.ts';
import { ClusterView } from './view.ts';

export const NOW_MS = 1_700_000_000_000;
export const SERIAL = 1_700_000_000;

export function ns(name: string, labels: Record<string, string> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function svc(namespace: string, name: string, spec: ServiceSpec): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

export function clusterIP(namespace: string, name: string, ips: string[], ports: ServicePort[]): Service {
  return svc(namespace, name, { type: 'ClusterIP', clusterIP: ips[0], clusterIPs: ips, ports });
}

export function headless(namespace: string, name: string, ports: ServicePort[] = []): Service {
  return svc(namespace, name, { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports });
}

export function externalName(namespace: string, name: string, target: string): Service {
  return svc(namespace, name, { type: 'ExternalName', externalName: target });
}

export interface EpSpec { ip: string | string[]; hostname?: string; ready?: boolean | null; pod?: string; terminating?: boolean }

export function slice(namespace: string, name: string, service: string | undefined, eps: EpSpec[], ports: EndpointPort[] = [], addressType: 'IPv4' | 'IPv6' = 'IPv4'): EndpointSlice {
  const endpoints: Endpoint[] = eps.map((e) => {
    const ep: Endpoint = { addresses: Array.isArray(e.ip) ? e.ip : [e.ip], conditions: {} };
    if (e.ready !== null) ep.conditions = { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false };
    if (e.hostname) ep.hostname = e.hostname;
    if (e.pod) ep.targetRef = { kind: 'Pod', namespace, name: e.pod };
    return ep;
  });
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace, name, labels: service ? { 'kubernetes.io/service-name': service } : {} },
    addressType, endpoints, ports,
  };
}

export function pod(namespace: string, name: string, ip: string, extra: { phase?: string; deleting?: boolean; ips?: string[] } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { namespace, name, ...(extra.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    status: { phase: (extra.phase ?? 'Running') as 'Running', podIP: ip, podIPs: (extra.ips ?? [ip]).map((x) => ({ ip: x })) },
  } as Pod;
}

/** The shared test cluster (seed scenarios plus edge cases), as objects. */
export function clusterObjects(): Array<Service | EndpointSlice | Namespace | Pod> {
  return [
    ns('default'), ns('moon'), ns('xxx-middleware'), ns('kube-system'), ns('empty'), ns('prod', { env: 'prod' }),
    // Seed 002/003: cassandra StatefulSet of 3 behind a headless Service (+ one unready pod, §2.3).
    headless('default', 'cassandra', [{ name: 'cql', port: 9042, protocol: 'TCP', targetPort: 9042 }]),
    slice('default', 'cassandra-x7k2p', 'cassandra', [
      { ip: '10.244.1.5', hostname: 'cassandra-0', pod: 'cassandra-0' },
      { ip: '10.244.2.6', hostname: 'cassandra-1', pod: 'cassandra-1' },
      { ip: '10.244.3.7', hostname: 'cassandra-2', pod: 'cassandra-2' },
      { ip: '10.244.1.9', hostname: 'cassandra-3', pod: 'cassandra-3', ready: false },
    ], [{ name: 'cql', port: 9042, protocol: 'TCP' }]),
    // Seed 004: moon headless-svc (no hostnames) and regular-svc.
    headless('moon', 'headless-svc', [{ port: 80, protocol: 'TCP', targetPort: 8080 }]),
    slice('moon', 'headless-svc-abcde', 'headless-svc', [
      { ip: '10.244.1.10', pod: 'web-a' }, { ip: '10.244.2.11', pod: 'web-b' }, { ip: '10.244.3.12', pod: 'web-c' },
      { ip: '10.244.3.13', pod: 'web-d', ready: false, terminating: true },
    ], [{ name: '', port: 8080, protocol: 'TCP' }]),
    clusterIP('moon', 'regular-svc', ['10.96.0.20'], [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]),
    slice('moon', 'regular-svc-fghij', 'regular-svc', [{ ip: '10.244.1.10', pod: 'web-a' }], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
    // Seed 004: kafka zookeeper headless with three named ports.
    headless('xxx-middleware', 'kafka-zookeeper-headless', [
      { name: 'client', port: 2181, protocol: 'TCP', targetPort: 2181 },
      { name: 'election', port: 3888, protocol: 'TCP', targetPort: 3888 },
      { name: 'follower', port: 2888, protocol: 'TCP', targetPort: 2888 },
    ]),
    slice('xxx-middleware', 'kafka-zookeeper-headless-1', 'kafka-zookeeper-headless', [
      { ip: '10.233.66.179', hostname: 'kafka-zookeeper-0', pod: 'kafka-zookeeper-0' },
      { ip: '10.233.66.181', hostname: 'kafka-zookeeper-1', pod: 'kafka-zookeeper-1' },
      { ip: '10.233.69.223', hostname: 'kafka-zookeeper-2', pod: 'kafka-zookeeper-2' },
    ], [{ name: 'client', port: 2181, protocol: 'TCP' }, { name: 'election', port: 3888, protocol: 'TCP' }, { name: 'follower', port: 2888, protocol: 'TCP' }]),
    // Seed 001: selectorless headless external-db, Endpoints mirrored into a slice (§2.8).
    headless('default', 'external-db', [{ port: 5432, protocol: 'TCP', targetPort: 5432 }]),
    slice('default', 'external-db-mirror', 'external-db', [{ ip: '10.0.0.50' }, { ip: '10.0.0.51' }], [{ name: '', port: 5432, protocol: 'TCP' }]),
    // Edge cases.
    clusterIP('default', 'dual', ['10.96.0.30', 'fd00::30'], [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]),
    clusterIP('default', 'empty-cip', ['10.96.0.40'], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    headless('default', 'empty-hl', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    headless('default', 'unready-hl', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'unready-hl-1', 'unready-hl', [{ ip: '10.244.7.1', ready: false }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    headless('default', 'nullready', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'nullready-1', 'nullready', [{ ip: '10.244.7.2', ready: null }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    headless('default', 'noports'),
    slice('default', 'noports-1', 'noports', [{ ip: '10.244.6.1' }], []),
    headless('default', 'v6only', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'v6only-1', 'v6only', [{ ip: 'fd00::' }, { ip: 'fd00::1:5' }], [{ name: 'http', port: 80, protocol: 'TCP' }], 'IPv6'),
    headless('default', 'dup', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'dup-1', 'dup', [{ ip: '10.244.8.1', hostname: 'same' }, { ip: '10.244.8.2', hostname: 'same' }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    headless('default', 'split', [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'split-a', 'split', [{ ip: '10.244.9.1' }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'split-b', 'split', [{ ip: '10.244.9.2' }, { ip: '10.244.9.1' }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    slice('default', 'orphan', undefined, [{ ip: '10.244.9.9' }], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    externalName('default', 'ext', 'db.example.com'),
    externalName('default', 'ext-in', 'regular-svc.moon.svc.cluster.local.'),
    externalName('default', 'ext-chain', 'ext-in.default.svc.cluster.local'),
    externalName('default', 'ext-dead', 'missing.default.svc.cluster.local'),
    externalName('default', 'ext-ip', '1.2.3.4'),
    clusterIP('prod', 'api', ['10.96.1.1'], [{ name: 'http', port: 80, protocol: 'TCP' }]),
    clusterIP('kube-system', 'kube-dns', ['10.96.0.10'], [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
    ]),
    slice('kube-system', 'kube-dns-1', 'kube-dns', [{ ip: '10.244.0.2', pod: 'coredns-1' }], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]),
    pod('default', 'web-0', '10.244.5.5'),
    pod('default', 'web-v6', '10.244.5.6', { ips: ['10.244.5.6', 'fd00::5:6'] }),
    pod('default', 'done', '10.244.5.7', { phase: 'Succeeded' }),
    pod('default', 'dying', '10.244.5.8', { deleting: true }),
  ];
}

export function clusterView(trackPods = true): ClusterView {
  const v = new ClusterView({ trackPods, now: () => NOW_MS });
  for (const o of clusterObjects()) v.apply('ADDED', o);
  return v;
}
