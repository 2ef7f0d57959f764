// Object builders for the endpoint controllers' table tests, and helpers for their integration tests (not
// used by production code).

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import type { Service, ServicePort } from '../../api/types/core-v1-service.ts';
import type { Endpoint, EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Node } from '../../api/types/node.ts';
import type { ContainerPort, Pod } from '../../api/types/pod.ts';
import { connect, EventRecorder, realClock, SharedInformerFactory, type RestClient } from '../../client/index.ts';
import type { Controller, ControllerContext } from '../controller.ts';

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

// -------------------------------------------------------------------------------------------------
// Integration: a controller running in this process against a real API server (a child `kubedisco server
// --controllers '' --nodes 0`), so that tests can read its metrics().


export interface InProcess<C extends Controller> {
  rest: RestClient;
  controller: C;
  stop(): Promise<void>;
}

/** Builds the controller on its own informer factory (as the manager does), starts it, waits for its workers. */
export async function runInProcess<C extends Controller>(apiURL: string, make: (ctx: ControllerContext) => C): Promise<InProcess<C>> {
  const rest = connect({ server: apiURL, userAgent: 'endpoint-controllers-test' });
  const informers = new SharedInformerFactory(rest);
  const recorders = new Map<string, EventRecorder>();
  const ctx: ControllerContext = {
    rest,
    informers,
    clock: realClock,
    workers: 3,
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = new EventRecorder(rest, { component })));
      return r;
    },
  };
  const controller = make(ctx);
  const running = controller.run();
  informers.start();
  await running;
  return {
    rest,
    controller,
    async stop() {
      await controller.stop();
      await informers.stop();
      await Promise.all([...recorders.values()].map((r) => r.flush()));
      rest.close();
    },
  };
}

export const RES = {
  pods: findResource('', 'v1', 'pods')!,
  nodes: findResource('', 'v1', 'nodes')!,
  services: findResource('', 'v1', 'services')!,
  endpoints: findResource('', 'v1', 'endpoints')!,
  slices: findResource('discovery.k8s.io', 'v1', 'endpointslices')!,
  events: findResource('', 'v1', 'events')!,
  namespaces: findResource('', 'v1', 'namespaces')!,
};

/** Creates a pod (bound to `node`) and writes its status as a kubelet would: Running, podIP, Ready. */
export async function createRunningPod(rest: RestClient, ns: string, name: string, o: { labels: Record<string, string>; node: string; ip: string; ready?: boolean; hostname?: string; subdomain?: string; ports?: ContainerPort[] }): Promise<void> {
  await rest.resource(RES.pods, ns).create({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels: o.labels },
    spec: {
      nodeName: o.node,
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', ports: o.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
  } as KObject);
  await setPodStatus(rest, ns, name, { ip: o.ip, ready: o.ready ?? true });
}

/** PATCH pods/{name}/status (merge): phase Running, podIP/podIPs, the Ready condition. */
export async function setPodStatus(rest: RestClient, ns: string, name: string, o: { ip: string; ready: boolean }): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await rest.resource(RES.pods, ns).patch(name, 'merge', {
    status: {
      phase: 'Running', podIP: o.ip, podIPs: [{ ip: o.ip }],
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: now }],
    },
  }, { subresource: 'status' });
}

export async function createNode(rest: RestClient, name: string, zone?: string): Promise<void> {
  await rest.resource(RES.nodes).create({
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
  } as KObject);
}

export async function listSlices(rest: RestClient, ns: string, service: string): Promise<EndpointSlice[]> {
  const l = await rest.resource(RES.slices, ns).list({ labelSelector: `kubernetes.io/service-name=${service}` });
  return l.items as unknown as EndpointSlice[];
}

/** Polls until f returns a truthy value (bounded in time); returns it. */
export async function eventually<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
