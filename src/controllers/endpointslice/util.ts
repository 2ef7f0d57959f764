// Helpers shared by the three endpoint controllers, after staging/src/k8s.io/endpointslice/{utils.go,
// util/controller_utils.go, util/endpointset.go} and pkg/api/v1/pod/util.go (kubernetes-semantics.md §3, §4).
// Pure functions over plain objects; nothing here touches the API.

import type { OwnerReference } from '../../api/meta.ts';
import type { Service, ServicePort } from '../../api/types/core-v1-service.ts';
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Node } from '../../api/types/node.ts';
import type { ObjectReference, Pod } from '../../api/types/pod.ts';
import {
  ANNOTATION_TOLERATE_UNREADY_ENDPOINTS, LABEL_ENDPOINTSLICE_MANAGED_BY, LABEL_HEADLESS_SERVICE, LABEL_SERVICE_NAME, LABEL_TOPOLOGY_ZONE,
} from '../../api/well-known.ts';

/** The managed-by value of the EndpointSlice controller (endpointslice.ControllerName). */
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** The managed-by value of the mirroring controller. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
/** kube-controller-manager --max-endpoints-per-slice default (config/v1alpha1/defaults.go). */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

// -------------------------------------------------------------------------------------------------
// Pods (pkg/api/v1/pod/util.go, endpointslice/util/controller_utils.go)

/** podutil.IsPodReady: the Ready condition (the first one of that type) is True. */
export function isPodReady(pod: Pod): boolean {
  for (const c of pod.status?.conditions ?? []) if (c.type === 'Ready') return c.status === 'True';
  return false;
}

/** The Ready condition's lastTransitionTime (getPodTriggerTime), '' when absent. */
export function podReadyTransitionTime(pod: Pod): string {
  for (const c of pod.status?.conditions ?? []) if (c.type === 'Ready') return c.lastTransitionTime ?? '';
  return '';
}

/** podutil.IsPodTerminal: phase Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** status.podIPs, or [status.podIP] for a status written without podIPs (the API server's v1 conversion does the same). */
export function podIPs(pod: Pod): string[] {
  const list = pod.status?.podIPs;
  if (list && list.length > 0) return list.map((p) => p.ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  const ip = pod.status?.podIP;
  return ip ? [ip] : [];
}

/**
 * ShouldPodBeInEndpoints: not terminal, has an IP, and (unless includeTerminating) no deletionTimestamp.
 * The Endpoints controller passes publishNotReadyAddresses; the EndpointSlice controller passes true.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs && pod.status.podIPs.length > 0)) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** ShouldSetHostname: spec.hostname set, spec.subdomain equal to the Service's name, same namespace (§3.6). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && (svc.metadata.namespace ?? '') === (pod.metadata.namespace ?? '');
}

/**
 * podutil.FindPort (§3.7): an integer targetPort is the port; a named one is the first container port with
 * the same name and protocol (also in restartable init containers). undefined when no container has it.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const proto = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if ((c as { restartPolicy?: string }).restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === proto) return p.containerPort;
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------
// Services

/** Go's strconv.ParseBool true values. */
function parseBoolTrue(v: string | undefined): boolean {
  return v === '1' || v === 't' || v === 'T' || v === 'true' || v === 'TRUE' || v === 'True';
}

/**
 * spec.publishNotReadyAddresses, or its legacy alias: the annotation
 * service.alpha.kubernetes.io/tolerate-unready-endpoints parsed as Go's ParseBool did before 1.24.
 * Kubernetes ≥ 1.24 ignores the annotation; kubedisco honours it (docs/dev/issue3-contracts.md).
 */
export function publishNotReadyAddresses(svc: Service): boolean {
  return svc.spec?.publishNotReadyAddresses === true || parseBoolTrue(svc.metadata.annotations?.[ANNOTATION_TOLERATE_UNREADY_ENDPOINTS]);
}

/**
 * Whether the Service has a selector. An empty selector counts as none: a real API server stores `{}` as an
 * absent map (protobuf), so controllers there see nil, the "selectorless" case.
 */
export function hasSelector(svc: Service): boolean {
  const s = svc.spec?.selector;
  return !!s && typeof s === 'object' && Object.keys(s).length > 0;
}

/** labels.Set(selector).AsSelectorPreValidated().Matches(labels). */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const k in selector) {
    if (!labels || labels[k] !== selector[k]) return false;
  }
  return true;
}

/** helper.IsServiceIPSet: clusterIP is neither "None" nor empty (a headless Service is not). */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== 'None' && ip !== '';
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

/** getAddressTypesForService: from spec.ipFamilies; without them from clusterIP; headless without them: both. */
export function addressTypesForService(svc: Service): AddressType[] {
  const out: AddressType[] = [];
  for (const f of svc.spec?.ipFamilies ?? []) {
    const t: AddressType | undefined = f === 'IPv4' ? 'IPv4' : f === 'IPv6' ? 'IPv6' : undefined;
    if (t && !out.includes(t)) out.push(t);
  }
  if (out.length > 0) return out;
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec!.clusterIP!) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

// -------------------------------------------------------------------------------------------------
// Endpoints of a slice (endpointslice/utils.go)

/** getEndpointPorts (§4.1 Ports): one port per Service port the pod resolves; name always set ("" when unnamed). */
export function endpointPortsFor(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** podToEndpoint (§4.1 Endpoint): addresses of the family, conditions ready/serving/terminating, hostname, targetRef, nodeName, zone. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = publishNotReadyAddresses(svc) || (serving && !terminating);
  const addresses = podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6'));
  const ep: Endpoint = {
    addresses,
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec!.hostname;
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** hashEndpoint's identity: sorted addresses, hostname, targetRef namespace/name. */
export function endpointKey(ep: Endpoint): string {
  const addrs = ep.addresses.length > 1 ? [...ep.addresses].sort() : ep.addresses;
  const ref = ep.targetRef;
  return `${addrs.join(',')}\u0000${ep.hostname ?? ''}\u0000${ref?.namespace ?? ''}/${ref?.name ?? ''}`;
}

function sameOptional<T>(a: T | undefined | null, b: T | undefined | null): boolean {
  return (a ?? undefined) === (b ?? undefined);
}

/** apiequality.Semantic.DeepEqual of two ObjectReferences ignoring resourceVersion ("" equals absent). */
function sameTargetRef(a: ObjectReference | undefined, b: ObjectReference | undefined): boolean {
  if (!a || !b) return !a === !b;
  return (a.kind ?? '') === (b.kind ?? '') && (a.namespace ?? '') === (b.namespace ?? '') && (a.name ?? '') === (b.name ?? '') &&
    (a.uid ?? '') === (b.uid ?? '') && (a.apiVersion ?? '') === (b.apiVersion ?? '') && (a.fieldPath ?? '') === (b.fieldPath ?? '');
}

/** EndpointsEqualBeyondHash: nodeName, zone, the three conditions, targetRef (ignoring resourceVersion) and hints. */
export function endpointsEqualBeyondHash(a: Endpoint, b: Endpoint): boolean {
  return sameOptional(a.nodeName, b.nodeName) && sameOptional(a.zone, b.zone) &&
    sameOptional(a.conditions?.ready, b.conditions?.ready) && sameOptional(a.conditions?.serving, b.conditions?.serving) &&
    sameOptional(a.conditions?.terminating, b.conditions?.terminating) && sameTargetRef(a.targetRef, b.targetRef) &&
    JSON.stringify(a.hints ?? null) === JSON.stringify(b.hints ?? null);
}

/** One EndpointPort as a map key (the pointer fields of Go: protocol defaults to TCP, an absent appProtocol differs from ""). */
function portKey(p: EndpointPort): string {
  return `${p.name ?? ''}\u0000${p.port ?? ''}\u0000${p.protocol ?? 'TCP'}\u0000${p.appProtocol ?? '\u0001'}`;
}

/** NewPortMapKey: the same key for the same set of ports in any order ('' for none). */
export function portMapKey(ports: readonly EndpointPort[] | null | undefined): string {
  if (!ports || ports.length === 0) return '';
  if (ports.length === 1) return portKey(ports[0]);
  return ports.map(portKey).sort().join('\u0002');
}

/** EndpointSet (endpointslice/util/endpointset.go): endpoints by identity, popped in insertion order. */
export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  insert(ep: Endpoint): void {
    this.items.set(endpointKey(ep), ep);
  }

  get(ep: Endpoint): Endpoint | undefined {
    return this.items.get(endpointKey(ep));
  }

  delete(ep: Endpoint): void {
    this.items.delete(endpointKey(ep));
  }

  popAny(): Endpoint | undefined {
    for (const [k, v] of this.items) {
      this.items.delete(k);
      return v;
    }
    return undefined;
  }

  get size(): number {
    return this.items.size;
  }
}

// -------------------------------------------------------------------------------------------------
// Slice metadata

/** isReservedLabelKey: labels the controller owns on its slices. */
export function isReservedLabelKey(k: string): boolean {
  return k === LABEL_SERVICE_NAME || k === LABEL_ENDPOINTSLICE_MANAGED_BY || k === LABEL_HEADLESS_SERVICE;
}

function sameStringMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || a[k] !== b[k]) return false;
  return true;
}

/**
 * setEndpointSliceLabels: the Service's labels minus reserved ones, the headless label when the Service has no
 * cluster IP, service-name and managed-by. `updated` says whether the slice's non-reserved labels differed.
 */
export function endpointSliceLabels(sliceLabels: Readonly<Record<string, string>> | undefined, svc: Service, controllerName: string): { labels: Record<string, string>; updated: boolean } {
  const epLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(sliceLabels ?? {})) if (!isReservedLabelKey(k)) epLabels[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!isReservedLabelKey(k)) labels[k] = v;
  const updated = !sameStringMap(epLabels, labels);
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS_SERVICE] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_ENDPOINTSLICE_MANAGED_BY] = controllerName;
  return { labels, updated };
}

/** metav1.NewControllerRef. */
export function controllerRef(owner: { metadata: { name?: string; uid?: string } }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** ownedBy: some ownerReference names this Service (v1, kind Service, same UID). */
export function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** getEndpointSlicePrefix: `<name>-` (a Service name is a DNS-1035 label, so the prefix is always valid). */
export function endpointSlicePrefix(name: string): string {
  return `${name}-`;
}

/** ServiceControllerKey: `<namespace>/<kubernetes.io/service-name>` of a slice, undefined without the label. */
export function serviceKeyOfSlice(slice: EndpointSlice): string | undefined {
  const name = slice.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${slice.metadata.namespace ?? ''}/${name}` : undefined;
}

/** Time.UTC().Format(time.RFC3339Nano): trailing zeros of the fraction dropped (second precision prints no fraction). */
export function formatRFC3339Nano(ms: number): string {
  if (ms === lastFormatted.ms) return lastFormatted.text;
  const text = new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
  lastFormatted.ms = ms;
  lastFormatted.text = text;
  return text;
}
const lastFormatted = { ms: NaN, text: '' };

/** A metav1.Time string as epoch ms (NaN when absent or unparseable). */
export function parseTime(s: string | null | undefined): number {
  return s ? Date.parse(s) : NaN;
}

// -------------------------------------------------------------------------------------------------
// Which Services a pod change concerns (endpointslice/util/controller_utils.go)

function sameStringMapOpt(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return sameStringMap(a ?? {}, b ?? {});
}

/**
 * podEndpointsChanged → [podChanged, labelsChanged]. podChanged: deletionTimestamp set (on either version, as
 * Go's pointer comparison does), readiness flipped, pod IPs changed; kubedisco also counts a phase change to or
 * from Succeeded/Failed and a changed status.podIP (read when podIPs is absent). labelsChanged: labels,
 * hostname or subdomain changed (membership or hostnames may change).
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): [boolean, boolean] {
  const labelsChanged = !sameStringMapOpt(oldPod.metadata.labels, newPod.metadata.labels) ||
    (oldPod.spec?.hostname ?? '') !== (newPod.spec?.hostname ?? '') || (oldPod.spec?.subdomain ?? '') !== (newPod.spec?.subdomain ?? '');
  if (oldPod.metadata.deletionTimestamp || newPod.metadata.deletionTimestamp) return [true, labelsChanged];
  if (isPodReady(oldPod) !== isPodReady(newPod)) return [true, labelsChanged];
  if (isPodTerminal(oldPod) !== isPodTerminal(newPod)) return [true, labelsChanged];
  const a = podIPs(oldPod);
  const b = podIPs(newPod);
  if (a.length !== b.length) return [true, labelsChanged];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return [true, labelsChanged];
  if ((oldPod.spec?.nodeName ?? '') !== (newPod.spec?.nodeName ?? '')) return [true, labelsChanged];
  return [false, labelsChanged];
}

/**
 * GetServicesToUpdateOnPodChange: nothing for an unchanged resourceVersion (a relist); the new labels'
 * Services when the pod changed; when labels changed too, the old labels' Services as well (or, for a
 * labels-only change, the symmetric difference).
 */
export function servicesToUpdateOnPodChange(oldPod: Pod, newPod: Pod, servicesOf: (pod: Pod) => string[]): Set<string> {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return new Set();
  const [podChanged, labelsChanged] = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const services = new Set(servicesOf(newPod));
  if (!labelsChanged) return services;
  const old = new Set(servicesOf(oldPod));
  if (podChanged) {
    for (const k of old) services.add(k);
    return services;
  }
  const out = new Set<string>();
  for (const k of services) if (!old.has(k)) out.add(k);
  for (const k of old) if (!services.has(k)) out.add(k);
  return out;
}

// -------------------------------------------------------------------------------------------------
// Comparison

/**
 * A canonical JSON text for apiequality.Semantic-style comparison: object keys sorted, null and absent the
 * same, an empty list the same as none.
 */
export function semanticJSON(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? 'null' : `[${v.map(semanticJSON).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === null || x === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${semanticJSON(x)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}
