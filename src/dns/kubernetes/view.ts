// ClusterView: the resolver's in-memory model of the cluster, kept up to date event by event from the
// informers (or from tests) through apply*(). It keeps only what DNS needs (rule book §2), already
// normalised: canonical IPs, ready endpoints only (§2.3), slices merged per Service by the
// `kubernetes.io/service-name` label (§2.2), pods only when tracked (`pods verified`, §2.12).
//
// Indexes: by service key (`ns/name`), by ClusterIP and by endpoint IP (PTR, §8), by namespace. Every change
// that alters what DNS can see bumps `version` (answer caches compare it) and sets the SOA `serial` to the
// Unix time of that change (§11.1).

import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Namespace } from '../../api/types/namespace.ts';
import type { Pod } from '../../api/types/pod.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import { canonicalIP, dashedIP } from './ip.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export interface PortRec {
  /** '' for an unnamed port. */
  name: string;
  /** Upper case: TCP, UDP, SCTP. */
  protocol: string;
  /** -1 when the slice port has no number. */
  port: number;
}

export interface ServiceRec {
  key: string;
  namespace: string;
  name: string;
  kind: 'ClusterIP' | 'Headless' | 'ExternalName';
  /** Canonical, de-duplicated ClusterIPs (empty for headless/ExternalName). */
  clusterIPs: string[];
  ports: PortRec[];
  /** spec.externalName as written, without a trailing dot ('' otherwise). */
  externalName: string;
}

export interface EndpointAddr {
  /** Canonical IP. */
  ip: string;
  family: 4 | 6;
  /** endpoints[].hostname ('' if none). */
  hostname: string;
  /** targetRef.name ('' if none). */
  targetRefName: string;
  /** Precomputed lower-case endpoint names (§5.3): [plain mode, endpoint_pod_names mode]. */
  names: [string, string];
}

export interface SliceRec {
  key: string;
  namespace: string;
  /** The Service name from the kubernetes.io/service-name label. */
  service: string;
  addresses: EndpointAddr[];
  ports: PortRec[];
}

export interface ViewOptions {
  /** Track Pods (only `pods verified` needs them). Default false: applyPod is ignored. */
  trackPods?: boolean;
  /** Milliseconds clock for the SOA serial (default Date.now). */
  now?: () => number;
}

export interface NamespaceRec { name: string; labels: Readonly<Record<string, string>> }

function keyOf(o: { metadata: { namespace?: string; name?: string } }): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) { s = new Set(); m.set(k, s); }
  s.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

/** Endpoint name per rule book §5.3 (CoreDNS endpointHostname). */
export function endpointName(a: { hostname: string; targetRefName: string; ip: string }, podNames: boolean): string {
  if (a.hostname) return a.hostname.toLowerCase();
  if (podNames && a.targetRefName && a.targetRefName.length < 64) return a.targetRefName.toLowerCase();
  return dashedIP(a.ip);
}

function serviceRec(s: Service): ServiceRec {
  const spec = s.spec ?? {};
  const ns = s.metadata.namespace ?? '';
  const name = s.metadata.name ?? '';
  const ports: PortRec[] = (spec.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase(), port: p.port }));
  if (spec.type === 'ExternalName') {
    const ext = (spec.externalName ?? '').replace(/\.$/, '');
    return { key: `${ns}/${name}`, namespace: ns, name, kind: 'ExternalName', clusterIPs: [], ports, externalName: ext };
  }
  const raw = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP !== undefined ? [spec.clusterIP] : [];
  if (raw[0] === 'None') return { key: `${ns}/${name}`, namespace: ns, name, kind: 'Headless', clusterIPs: [], ports, externalName: '' };
  const ips: string[] = [];
  for (const r of raw) {
    const c = canonicalIP(r);
    if (c && !ips.includes(c.text)) ips.push(c.text);
  }
  return { key: `${ns}/${name}`, namespace: ns, name, kind: 'ClusterIP', clusterIPs: ips, ports, externalName: '' };
}

function sliceRec(s: EndpointSlice): SliceRec | undefined {
  const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
  if (!svc) return undefined; // §2.2: a slice without the label is never used
  if (s.addressType !== 'IPv4' && s.addressType !== 'IPv6') return undefined; // FQDN slices carry no IPs
  const addresses: EndpointAddr[] = [];
  for (const ep of s.endpoints ?? []) {
    if (ep.conditions?.ready === false) continue; // §2.3: ready null/absent = ready
    for (const a of ep.addresses ?? []) {
      const c = canonicalIP(a);
      if (!c) continue;
      const base = { ip: c.text, hostname: ep.hostname ?? '', targetRefName: ep.targetRef?.name ?? '' };
      addresses.push({ ...base, family: c.family, names: [endpointName(base, false), endpointName(base, true)] });
    }
  }
  const ports: PortRec[] = (s.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase(), port: p.port ?? -1 }));
  return { key: keyOf(s), namespace: s.metadata.namespace ?? '', service: svc, addresses, ports };
}

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed', 'Unknown']);

export class ClusterView {
  /** Bumped on every change visible to DNS (answer caches key on it). */
  version = 0;
  /** SOA serial: Unix seconds of the last relevant change (initially the creation time). */
  serial: number;
  readonly trackPods: boolean;
  private readonly now: () => number;

  private readonly services = new Map<string, ServiceRec>();
  private readonly namespaces = new Map<string, NamespaceRec>();
  private readonly slices = new Map<string, SliceRec>();
  /** service key → its slices, sorted by slice key (deterministic answer order). */
  private readonly slicesBySvc = new Map<string, SliceRec[]>();
  private readonly byClusterIP = new Map<string, Set<string>>();
  private readonly byEndpointIP = new Map<string, Set<string>>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly pods = new Map<string, { namespace: string; ip: string }>();
  private readonly podsByIP = new Map<string, Set<string>>();
  /** Caches owned by consumers (the resolver's answer cache), dropped on every change. */
  readonly caches = new Map<unknown, Map<string, unknown>>();
  private readonly listeners = new Set<() => void>();

  constructor(opts: ViewOptions = {}) {
    this.trackPods = opts.trackPods ?? false;
    this.now = opts.now ?? Date.now;
    this.serial = Math.floor(this.now() / 1000);
  }

  private changed(relevantForSerial: boolean): void {
    this.version++;
    if (this.caches.size) this.caches.clear();
    if (relevantForSerial) this.serial = Math.floor(this.now() / 1000);
    if (this.listeners.size === 0) return;
    let failure: { e: unknown } | undefined;
    for (const l of [...this.listeners]) {
      try { l(); } catch (e) { failure ??= { e }; }
    }
    if (failure) throw failure.e;
  }

  /**
   * Calls `listener` synchronously after every `version` bump (the view, its serial and its caches are
   * already updated). Returns the unsubscribe function. Listeners must be quick; one that throws does not
   * keep the others from being called, and its error is rethrown to the caller of apply*() afterwards.
   */
  onChange(listener: () => void): () => void {
    const l = () => listener();
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  // ---- ingestion ----

  /** Feeds one event of any of the watched kinds (by `kind`, or pass the kind explicitly). */
  apply(type: EventType, obj: KObject | Service | EndpointSlice | Namespace | Pod, kind: string | undefined = obj.kind): void {
    switch (kind) {
      case 'Service': this.applyService(type, obj as unknown as Service); break;
      case 'EndpointSlice': this.applyEndpointSlice(type, obj as unknown as EndpointSlice); break;
      case 'Namespace': this.applyNamespace(type, obj as unknown as Namespace); break;
      case 'Pod': this.applyPod(type, obj as unknown as Pod); break;
      default: throw new Error(`ClusterView.apply: unsupported kind ${String(kind)}`);
    }
  }

  applyService(type: EventType, s: Service): void {
    const key = keyOf(s);
    const old = this.services.get(key);
    if (type === 'DELETED') {
      if (!old) return;
      this.unindexService(old);
      this.services.delete(key);
      this.changed(true);
      return;
    }
    const rec = serviceRec(s);
    if (old && JSON.stringify(old) === JSON.stringify(rec)) return;
    if (old) this.unindexService(old);
    this.services.set(key, rec);
    for (const ip of rec.clusterIPs) addTo(this.byClusterIP, ip, key);
    addTo(this.byNamespace, rec.namespace, key);
    this.changed(true);
  }

  private unindexService(r: ServiceRec): void {
    for (const ip of r.clusterIPs) removeFrom(this.byClusterIP, ip, r.key);
    removeFrom(this.byNamespace, r.namespace, r.key);
  }

  applyEndpointSlice(type: EventType, s: EndpointSlice): void {
    const key = keyOf(s);
    const old = this.slices.get(key);
    const rec = type === 'DELETED' ? undefined : sliceRec(s);
    if (!old && !rec) return;
    if (old && rec && JSON.stringify(old) === JSON.stringify(rec)) return;
    if (old) {
      this.slices.delete(key);
      const svcKey = `${old.namespace}/${old.service}`;
      const list = (this.slicesBySvc.get(svcKey) ?? []).filter((x) => x.key !== key);
      if (list.length) this.slicesBySvc.set(svcKey, list); else this.slicesBySvc.delete(svcKey);
      for (const a of old.addresses) removeFrom(this.byEndpointIP, a.ip, key);
    }
    if (rec) {
      this.slices.set(key, rec);
      const svcKey = `${rec.namespace}/${rec.service}`;
      const list = [...(this.slicesBySvc.get(svcKey) ?? []), rec].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      this.slicesBySvc.set(svcKey, list);
      for (const a of rec.addresses) addTo(this.byEndpointIP, a.ip, key);
    }
    this.changed(true);
  }

  applyNamespace(type: EventType, n: Namespace): void {
    const name = n.metadata.name ?? '';
    const old = this.namespaces.get(name);
    if (type === 'DELETED') {
      if (!old) return;
      this.namespaces.delete(name);
      this.changed(false); // CoreDNS does not move the serial on namespace events
      return;
    }
    const labels = { ...(n.metadata.labels ?? {}) };
    if (old && JSON.stringify(old.labels) === JSON.stringify(labels)) return;
    this.namespaces.set(name, { name, labels });
    this.changed(false);
  }

  /**
   * Pods (§2.12): only with trackPods. Terminal phases leave the cache (the watch's field selector would
   * delete them); a pod first seen terminating is not added; an update that sets deletionTimestamp on a
   * cached pod is skipped (it keeps answering until deleted). Only status.podIP is indexed.
   */
  applyPod(type: EventType, p: Pod): void {
    if (!this.trackPods) return;
    const key = keyOf(p);
    const old = this.pods.get(key);
    const terminal = TERMINAL_PHASES.has(p.status?.phase ?? '');
    if (type === 'DELETED' || terminal) {
      if (!old) return;
      this.pods.delete(key);
      removeFrom(this.podsByIP, old.ip, key);
      this.changed(true);
      return;
    }
    if (p.metadata.deletionTimestamp) return;
    const ip = canonicalIP(p.status?.podIP ?? '')?.text ?? '';
    if (old && old.ip === ip) return;
    if (old) removeFrom(this.podsByIP, old.ip, key);
    this.pods.set(key, { namespace: p.metadata.namespace ?? '', ip });
    if (ip) addTo(this.podsByIP, ip, key);
    this.changed(true);
  }

  // ---- queries (names are matched lower-case; Kubernetes names are lower-case already) ----

  namespace(name: string): NamespaceRec | undefined { return this.namespaces.get(name); }

  service(namespace: string, name: string): ServiceRec | undefined { return this.services.get(`${namespace}/${name}`); }

  /** The service's slices (merged view: iterate slices, then addresses), sorted by slice key. */
  slicesOf(namespace: string, name: string): readonly SliceRec[] { return this.slicesBySvc.get(`${namespace}/${name}`) ?? []; }

  /** Services whose spec.clusterIPs contain this canonical IP. */
  servicesByClusterIP(ip: string): ServiceRec[] {
    const keys = this.byClusterIP.get(ip);
    return keys ? [...keys].map((k) => this.services.get(k)!).filter(Boolean) : [];
  }

  /** Slices with a ready endpoint at this canonical IP. */
  slicesByEndpointIP(ip: string): SliceRec[] {
    const keys = this.byEndpointIP.get(ip);
    return keys ? [...keys].sort().map((k) => this.slices.get(k)!).filter(Boolean) : [];
  }

  servicesInNamespace(ns: string): ServiceRec[] {
    const keys = this.byNamespace.get(ns);
    return keys ? [...keys].sort().map((k) => this.services.get(k)!) : [];
  }

  /** Namespaces of the tracked pods whose status.podIP is this canonical IP. */
  podNamespacesByIP(ip: string): string[] {
    const keys = this.podsByIP.get(ip);
    return keys ? [...keys].map((k) => this.pods.get(k)!.namespace) : [];
  }

  /** Counts, for metrics and memory checks. */
  stats(): { services: number; endpointSlices: number; endpoints: number; namespaces: number; pods: number } {
    let endpoints = 0;
    for (const s of this.slices.values()) endpoints += s.addresses.length;
    return { services: this.services.size, endpointSlices: this.slices.size, endpoints, namespaces: this.namespaces.size, pods: this.pods.size };
  }
}
