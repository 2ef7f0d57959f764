// The Endpoints controller's decision as a pure function (pkg/controller/endpoint/endpoints_controller.go
// syncService without the API calls), kubernetes-semantics.md §3: a Service, its pods and the cached
// Endpoints → nothing, delete, or the whole Endpoints object to create or update.

import type { Service } from '../../api/types/core-v1-service.ts';
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset } from '../../api/types/endpoints.ts';
import type { Pod } from '../../api/types/pod.ts';
import {
  ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_ENDPOINTS_OVER_CAPACITY, ANNOTATION_LEADER_ELECTION, LABEL_HEADLESS_SERVICE,
} from '../../api/well-known.ts';
import {
  findPort, hasSelector, isIPv6, isPodReady, isServiceIPSet, podIPs, publishNotReadyAddresses, semanticJSON, shouldPodBeInEndpoints, shouldSetHostname,
} from '../endpointslice/util.ts';
import { repackSubsets } from './repack.ts';

/** maxCapacity: the most addresses (ready + not ready) an Endpoints object carries. */
export const MAX_CAPACITY = 1000;
/** The value of endpoints.kubernetes.io/over-capacity. */
export const TRUNCATED = 'truncated';

export interface EndpointsReconcileInput {
  /** The Service; undefined when it is gone. */
  service?: Service;
  /** The pods the Service's selector matches. */
  pods: readonly Pod[];
  /** The cached Endpoints of the same name, if any. */
  current?: Endpoints;
  /** endpoints.kubernetes.io/last-change-trigger-time for the object written ('' removes it). */
  triggerTime?: string;
}

export type EndpointsDecision =
  | { action: 'none'; reason: 'ExternalName' | 'NoSelector' | 'Unchanged' | 'LeaderElection' }
  | { action: 'delete' }
  | { action: 'create' | 'update'; endpoints: Endpoints; ready: number; notReady: number; truncated: boolean };

/** podToEndpointAddressForService: the first pod IP of the Service's (first) family, nodeName always set, targetRef. */
export function podToEndpointAddress(svc: Service, pod: Pod): EndpointAddress | undefined {
  let v6: boolean;
  const families = svc.spec?.ipFamilies ?? [];
  if (families.length > 0) v6 = families[0] === 'IPv6';
  else if (isServiceIPSet(svc)) v6 = isIPv6(svc.spec!.clusterIP!);
  else v6 = isIPv6(pod.status?.podIP ?? '');
  const ip = podIPs(pod).find((x) => isIPv6(x) === v6);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec!.hostname;
  addr.nodeName = pod.spec?.nodeName ?? '';
  addr.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' };
  return addr;
}

/** The repacked subsets for a Service and its pods (§3.3–§3.9), with ready and not-ready counts. */
export function desiredSubsets(svc: Service, pods: readonly Pod[]): { subsets: EndpointSubset[]; ready: number; notReady: number } {
  const tolerateUnready = publishNotReadyAddresses(svc);
  const raw: EndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (pod: Pod, addr: EndpointAddress, port: EndpointPort | undefined) => {
    const ports = port ? [port] : undefined;
    if (tolerateUnready || isPodReady(pod)) {
      raw.push({ addresses: [addr], ...(ports ? { ports } : {}) });
      ready++;
    } else {
      raw.push({ notReadyAddresses: [addr], ...(ports ? { ports } : {}) });
      notReady++;
    }
  };
  const svcPorts = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = podToEndpointAddress(svc, pod);
    if (!addr) continue;
    if (svcPorts.length === 0) {
      // A headless Service may have no ports: the address goes in a subset without ports.
      if (svc.spec?.clusterIP === 'None') add(pod, addr, undefined);
      continue;
    }
    for (const sp of svcPorts) {
      const portNum = findPort(pod, sp);
      if (portNum === undefined) continue;
      const port: EndpointPort = sp.name ? { name: sp.name, port: portNum } : { port: portNum };
      if (sp.protocol) port.protocol = sp.protocol;
      if (sp.appProtocol !== undefined) port.appProtocol = sp.appProtocol;
      add(pod, addr, port);
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady };
}

/**
 * truncateEndpoints: above MAX_CAPACITY, keeps ready addresses first, spread over the subsets in proportion
 * (rounded up, the last subset gets what is left). Returns the new subsets and whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_CAPACITY) return { subsets, truncated: false };
  let truncateReady = false;
  let max = MAX_CAPACITY - totalReady;
  let numTotal = totalNotReady;
  if (totalReady > MAX_CAPACITY) {
    truncateReady = true;
    max = MAX_CAPACITY;
    numTotal = totalReady;
  }
  let canBeAdded = max;
  const out = subsets.map((orig) => {
    const s: EndpointSubset = { ...orig };
    const numInSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    let toBeAdded = Math.ceil((numInSubset / numTotal) * max);
    if (toBeAdded > canBeAdded) toBeAdded = canBeAdded;
    if (truncateReady) {
      if (s.addresses && s.addresses.length > toBeAdded) s.addresses = s.addresses.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses && s.notReadyAddresses.length > toBeAdded) s.notReadyAddresses = s.notReadyAddresses.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
    if (s.addresses && s.addresses.length === 0) delete s.addresses;
    if (s.notReadyAddresses && s.notReadyAddresses.length === 0) delete s.notReadyAddresses;
    return s;
  });
  return { subsets: out, truncated: true };
}

/** Subsets compared as apiequality.Semantic does, ignoring targetRef.resourceVersion. */
export function subsetsEqualIgnoreResourceVersion(a: readonly EndpointSubset[] | undefined, b: readonly EndpointSubset[] | undefined): boolean {
  const strip = (l: readonly EndpointSubset[] | undefined) => (l ?? []).map((s) => ({
    addresses: s.addresses?.map(stripRV),
    notReadyAddresses: s.notReadyAddresses?.map(stripRV),
    ports: s.ports,
  }));
  return semanticJSON(strip(a)) === semanticJSON(strip(b));
}

function stripRV(a: EndpointAddress): EndpointAddress {
  if (!a.targetRef?.resourceVersion) return a;
  const { resourceVersion: _rv, ...ref } = a.targetRef;
  return { ...a, targetRef: ref };
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (!(k in y) || x[k] !== y[k]) return false;
  return true;
}

/** syncService's decision for one Service key. */
export function reconcileEndpoints(input: EndpointsReconcileInput): EndpointsDecision {
  const { service: svc, current } = input;
  if (!svc) {
    if (current?.metadata.annotations?.[ANNOTATION_LEADER_ELECTION] !== undefined) return { action: 'none', reason: 'LeaderElection' };
    return { action: 'delete' };
  }
  if (svc.spec?.type === 'ExternalName') return { action: 'none', reason: 'ExternalName' };
  if (!hasSelector(svc)) return { action: 'none', reason: 'NoSelector' };

  const { subsets: repacked, ready, notReady } = desiredSubsets(svc, input.pods);
  const { subsets, truncated } = truncateSubsets(repacked);
  const create = !current?.metadata.resourceVersion;

  if (!create) {
    const compareLabels = { ...(current!.metadata.labels ?? {}) };
    delete compareLabels[LABEL_HEADLESS_SERVICE];
    const hasOverCapacity = current!.metadata.annotations?.[ANNOTATION_ENDPOINTS_OVER_CAPACITY] !== undefined;
    // kube compares the untruncated subsets, so an over-capacity Endpoints is rewritten on every sync;
    // kubedisco compares what it would write, so it is not.
    if (subsetsEqualIgnoreResourceVersion(current!.subsets, subsets) && sameLabels(compareLabels, svc.metadata.labels) && hasOverCapacity === truncated) {
      return { action: 'none', reason: 'Unchanged' };
    }
  }

  const base: Endpoints = create
    ? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace } }
    : structuredClone(current!);
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS_SERVICE] = '';
  else delete labels[LABEL_HEADLESS_SERVICE];
  const annotations: Record<string, string> = { ...(base.metadata.annotations ?? {}) };
  if (input.triggerTime) annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = input.triggerTime;
  else delete annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
  if (truncated) annotations[ANNOTATION_ENDPOINTS_OVER_CAPACITY] = TRUNCATED;
  else delete annotations[ANNOTATION_ENDPOINTS_OVER_CAPACITY];

  const metadata = { ...base.metadata };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const endpoints: Endpoints = { ...base, apiVersion: 'v1', kind: 'Endpoints', metadata };
  if (subsets.length > 0) endpoints.subsets = subsets;
  else delete endpoints.subsets;
  return { action: create ? 'create' : 'update', endpoints, ready, notReady, truncated };
}
