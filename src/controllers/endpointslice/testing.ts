// Object builders for the endpoint controllers' table tests (not used by production code).

import type { Service, ServicePort } from '../../api/types/core-v1-service.ts';
import type { Endpoint, EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Node } from '../../api/types/node.ts';
import type { ContainerPort, Pod } from '../../api/types/pod.ts';

export interface SvcOpts {
  name?: string;
  namespace?: string;
  uid?: string;
  selector?: Record<string, string> | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  clusterIP?: string;
  ports?: ServicePort[];
  type?: 'ClusterIP' | 'ExternalName';
  publishNotReadyAddresses?: boolean;
  ipFamilies?: Array<'IPv4' | 'IPv6'>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export function svc(o: SvcOpts = {}): Service {
  const spec: NonNullable<Service['spec']> = {
    type: o.type ?? 'ClusterIP',
    clusterIP: o.clusterIP ?? '10.96.0.10',
    ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    ipFamilies: o.ipFamilies ?? ['IPv4'],
  };
  if (o.selector !== null) spec.selector = o.selector ?? { app: 'web' };
  if (o.publishNotReadyAddresses !== undefined) spec.publishNotReadyAddresses = o.publishNotReadyAddresses;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name ?? 'web',
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? 'svc-uid',
      resourceVersion: '10',
      creationTimestamp: o.creationTimestamp ?? '2026-01-01T00:00:00Z',
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}),
    },
    spec,
  };
}

export interface PodOpts {
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string | string[] | null;
  ready?: boolean;
  readyAt?: string;
  phase?: string;
  node?: string;
  hostname?: string;
  subdomain?: string;
  ports?: ContainerPort[];
  deleting?: boolean;
  uid?: string;
}

/** A Running pod named `name` with labels app=web, IP 10.244.0.<n> by default, Ready unless ready: false. */
export function pod(name: string, o: PodOpts = {}): Pod {
  const n = Number(/(\d+)$/.exec(name)?.[1] ?? 1);
  const ips = o.ip === null ? [] : Array.isArray(o.ip) ? o.ip : [o.ip ?? `10.244.0.${n + 10}`];
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: o.uid ?? `uid-${name}`,
      resourceVersion: '5',
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:10:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-a',
      containers: [{ name: 'c', image: 'img', ports: o.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
      ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
      ...(o.subdomain !== undefined ? { subdomain: o.subdomain } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ips.length ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: o.readyAt ?? '2026-01-01T00:01:00Z' }],
    },
  };
}

export function node(name: string, zone?: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } } };
}

export function nodeLookup(...nodes: Node[]): (name: string) => Node | undefined {
  const m = new Map(nodes.map((n) => [n.metadata.name!, n]));
  return (name) => m.get(name);
}

/** An endpoint as the EndpointSlice controller writes it for pod(name, ...) on node-a. */
export function ep(name: string, o: { ip?: string; ready?: boolean; serving?: boolean; terminating?: boolean; zone?: string; hostname?: string; node?: string } = {}): Endpoint {
  const n = Number(/(\d+)$/.exec(name)?.[1] ?? 1);
  const serving = o.serving ?? o.ready ?? true;
  const e: Endpoint = {
    addresses: [o.ip ?? `10.244.0.${n + 10}`],
    conditions: { ready: o.ready ?? true, serving, terminating: o.terminating ?? false },
    targetRef: { kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` },
  };
  if (o.hostname) e.hostname = o.hostname;
  e.nodeName = o.node ?? 'node-a';
  if (o.zone) e.zone = o.zone;
  return e;
}

/** A slice the controller manages for svc() (labels, ownerReference), as the cache would hold it. */
export function slice(name: string, endpoints: Endpoint[] | null, o: { ports?: EndpointSlice['ports']; addressType?: 'IPv4' | 'IPv6'; labels?: Record<string, string>; ownerUid?: string; rv?: string; service?: string } = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: o.rv ?? '20',
      generateName: `${o.service ?? 'web'}-`,
      labels: o.labels ?? { 'kubernetes.io/service-name': o.service ?? 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: o.service ?? 'web', uid: o.ownerUid ?? 'svc-uid', controller: true, blockOwnerDeletion: true }],
    },
    addressType: o.addressType ?? 'IPv4',
    endpoints,
    ports: o.ports === undefined ? [{ name: 'http', port: 8080, protocol: 'TCP' }] : o.ports,
  };
}
