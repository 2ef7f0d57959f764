// ClusterView: the resolver's in-memory model of the cluster, kept up to date event by event from the
// informers (or from tests) through apply*(). It keeps only what DNS needs (rule book §2), already
// normalised: canonical IPs, ready endpoints only (§2.3), slices merged per Service by the
// `kubernetes.io/service-name` label (§2.2), pods only when tracked (`pods verified`, §2.12).
//
// Indexes: namespace → name → Service (no key strings), by ClusterIP and by endpoint IP (PTR, §8), Service →
// its slices. Every change that alters what DNS can see bumps `version` (answer caches compare it), sets
// the SOA `serial` to the Unix time of that change (§11.1) and calls the onChange listeners.
//
// Memory (bench/dns-memory.ts): records are small immutable class instances (`key` is a getter, not a
// field); an IP index holds the record itself, an array only when several share the IP (a Set per IP cost
// ~250 bytes); port lists are interned per view; IP strings and frozen clusterIPs arrays are shared with the
// objects the informers hold (strip.ts), never copied.

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
  readonly name: string;
  /** Upper case: TCP, UDP, SCTP. */
  readonly protocol: string;
  /** -1 when the slice port has no number. */
  readonly port: number;
}

/** Shared by every record without clusterIPs, ports or addresses. */
const EMPTY: readonly never[] = Object.freeze([]);

/** A Service as DNS sees it. Immutable; its arrays may be shared with other records and the informer cache. */
export class ServiceRec {
  readonly namespace: string;
  readonly name: string;
  readonly kind: 'ClusterIP' | 'Headless' | 'ExternalName';
  /** Canonical, de-duplicated ClusterIPs (empty for headless/ExternalName). */
  readonly clusterIPs: readonly string[];
  readonly ports: readonly PortRec[];
  /** spec.externalName as written, without a trailing dot ('' otherwise). */
  readonly externalName: string;

  constructor(namespace: string, name: string, kind: ServiceRec['kind'], clusterIPs: readonly string[], ports: readonly PortRec[], externalName: string) {
    this.namespace = namespace;
    this.name = name;
    this.kind = kind;
    this.clusterIPs = clusterIPs;
    this.ports = ports;
    this.externalName = externalName;
  }

  /** `namespace/name`. */
  get key(): string { return `${this.namespace}/${this.name}`; }
}

/** One ready endpoint address. */
export class EndpointAddr {
  /** Canonical IP. */
  readonly ip: string;
  readonly family: 4 | 6;
  /** endpoints[].hostname ('' if none). */
  readonly hostname: string;
  /** targetRef.name ('' if none). */
  readonly targetRefName: string;
  /** The lower-case endpoint name (§5.3) without `endpoint_pod_names`. */
  readonly name: string;
  /** The lower-case endpoint name (§5.3) with `endpoint_pod_names`. */
  readonly podName: string;

  constructor(ip: string, family: 4 | 6, hostname: string, targetRefName: string) {
    this.ip = ip;
    this.family = family;
    this.hostname = hostname;
    this.targetRefName = targetRefName;
    this.name = endpointName(this, false);
    this.podName = hostname || !targetRefName || targetRefName.length >= 64 ? this.name : targetRefName.toLowerCase();
  }

  /** [name, podName]: the endpoint names (§5.3) in plain and endpoint_pod_names mode. */
  get names(): [string, string] { return [this.name, this.podName]; }
}

/** One EndpointSlice (ready endpoints only). Immutable. */
export class SliceRec {
  readonly namespace: string;
  /** The slice's own name. */
  readonly name: string;
  /** The Service name from the kubernetes.io/service-name label. */
  readonly service: string;
  readonly addresses: readonly EndpointAddr[];
  readonly ports: readonly PortRec[];

  constructor(namespace: string, name: string, service: string, addresses: readonly EndpointAddr[], ports: readonly PortRec[]) {
    this.namespace = namespace;
    this.name = name;
    this.service = service;
    this.addresses = addresses;
    this.ports = ports;
  }

  /** `namespace/name` of the slice. */
  get key(): string { return `${this.namespace}/${this.name}`; }
}

export interface ViewOptions {
  /** Track Pods (only `pods verified` needs them). Default false: applyPod is ignored. */
  trackPods?: boolean;
  /** Milliseconds clock for the SOA serial (default Date.now). */
  now?: () => number;
}

export interface NamespaceRec { name: string; labels: Readonly<Record<string, string>> }

interface PodRec { readonly namespace: string; readonly ip: string }

function keyOf(o: { metadata: { namespace?: string; name?: string } }): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

// Indexes from a value to one record or, rarely, several: a lone record is stored as is (a Set per IP
// cost ~250 bytes), several as an array in insertion order. Records are class instances, never arrays.
type Multi<V> = V | V[];

function multiAdd<K, V extends object>(m: Map<K, Multi<V>>, k: K, v: V): void {
  const cur = m.get(k);
  if (cur === undefined) m.set(k, v);
  else if (Array.isArray(cur)) { if (!cur.includes(v)) cur.push(v); }
  else if (cur !== v) m.set(k, [cur, v]);
}

function multiRemove<K, V extends object>(m: Map<K, Multi<V>>, k: K, v: V): void {
  const cur = m.get(k);
  if (cur === undefined) return;
  if (!Array.isArray(cur)) { if (cur === v) m.delete(k); return; }
  const i = cur.indexOf(v);
  if (i < 0) return;
  cur.splice(i, 1);
  if (cur.length === 1) m.set(k, cur[0]!);
}

function multiList<V extends object>(cur: Multi<V> | undefined): V[] {
  return cur === undefined ? [] : Array.isArray(cur) ? cur.slice() : [cur];
}

const byKey = (a: { key: string }, b: { key: string }): number => { const x = a.key, y = b.key; return x < y ? -1 : x > y ? 1 : 0; };

/** Endpoint name per rule book §5.3 (CoreDNS endpointHostname). */
export function endpointName(a: { hostname: string; targetRefName: string; ip: string }, podNames: boolean): string {
  if (a.hostname) return a.hostname.toLowerCase();
  if (podNames && a.targetRefName && a.targetRefName.length < 64) return a.targetRefName.toLowerCase();
  return dashedIP(a.ip);
}

/**
 * Canonical, de-duplicated IPs (Go net.ParseIP; invalid ones dropped). When `raw` already is that and is
 * frozen (strip.ts freezes it), it is returned itself: the record shares the array with the informer's
 * object. A caller's unfrozen array is never kept (it could be changed under the view).
 */
function canonicalIPs(raw: readonly string[]): readonly string[] {
  if (!Object.isFrozen(raw)) raw = raw.slice();
  let out: string[] | undefined;
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const text = canonicalIP(r)?.text;
    if (out === undefined) {
      if (text === r && raw.indexOf(r) === i) continue; // canonical and not a repeat: still `raw`
      out = raw.slice(0, i);
    }
    if (text !== undefined && !out.includes(text)) out.push(text);
  }
  if (out === undefined) return raw.length ? raw : EMPTY;
  return out.length ? out.slice() : EMPTY;
}

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed', 'Unknown']);
const PORT_LISTS_MAX = 10_000;

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean = (x, y) => x === y): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i]!, b[i]!)) return false;
  return true;
}

const sameAddr = (a: EndpointAddr, b: EndpointAddr): boolean => a.ip === b.ip && a.hostname === b.hostname && a.targetRefName === b.targetRefName;

function sameService(a: ServiceRec, b: ServiceRec): boolean {
  return a.kind === b.kind && a.externalName === b.externalName && sameList(a.clusterIPs, b.clusterIPs) && sameList(a.ports, b.ports);
}

function sameSlice(a: SliceRec, b: SliceRec): boolean {
  return a.service === b.service && sameList(a.ports, b.ports) && sameList(a.addresses, b.addresses, sameAddr);
}

export class ClusterView {
  /** Bumped on every change visible to DNS (answer caches key on it). */
  version = 0;
  /** SOA serial: Unix seconds of the last relevant change (initially the creation time). */
  serial: number;
  readonly trackPods: boolean;
  private readonly now: () => number;

  /** namespace → name → Service. */
  private readonly services = new Map<string, Map<string, ServiceRec>>();
  private readonly namespaces = new Map<string, NamespaceRec>();
  /** slice key (`ns/name`) → slice. */
  private readonly slices = new Map<string, SliceRec>();
  /** namespace → service name → its slices, sorted by slice key (deterministic answer order). */
  private readonly slicesBySvc = new Map<string, Map<string, readonly SliceRec[]>>();
  private readonly byClusterIP = new Map<string, Multi<ServiceRec>>();
  private readonly byEndpointIP = new Map<string, Multi<SliceRec>>();
  private readonly pods = new Map<string, PodRec>();
  private readonly podsByIP = new Map<string, Multi<PodRec>>();
  /** Port lists are few and repeated (every `http 80/TCP` Service): one frozen copy each. */
  private readonly portLists = new Map<string, readonly PortRec[]>();
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

  // ---- records ----

  /** The interned PortRec list of service or slice ports (slice ports without a number get -1). */
  private portList(ports: ReadonlyArray<{ name?: string; protocol?: string; port?: number }> | null | undefined, noNumber: number | undefined): readonly PortRec[] {
    if (!ports || ports.length === 0) return EMPTY;
    const recs = ports.map((p): PortRec => ({ name: p.name ?? '', protocol: (p.protocol ?? 'TCP').toUpperCase(), port: (p.port ?? noNumber) as number }));
    const key = recs.map((p) => `${p.name}\u0000${p.protocol}\u0000${p.port}`).join('\u0001');
    const known = this.portLists.get(key);
    if (known) return known;
    if (this.portLists.size >= PORT_LISTS_MAX) this.portLists.clear(); // bounded; records keep their lists
    for (const r of recs) Object.freeze(r);
    const list = Object.freeze(recs);
    this.portLists.set(key, list);
    return list;
  }

  private serviceRec(s: Service): ServiceRec {
    const spec = s.spec ?? {};
    const ns = s.metadata.namespace ?? '';
    const name = s.metadata.name ?? '';
    const ports = this.portList(spec.ports, undefined);
    if (spec.type === 'ExternalName') {
      const ext = spec.externalName ?? '';
      return new ServiceRec(ns, name, 'ExternalName', EMPTY, ports, ext.endsWith('.') ? ext.slice(0, -1) : ext);
    }
    const raw = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP !== undefined ? [spec.clusterIP] : EMPTY;
    if (raw[0] === 'None') return new ServiceRec(ns, name, 'Headless', EMPTY, ports, '');
    return new ServiceRec(ns, name, 'ClusterIP', canonicalIPs(raw), ports, '');
  }

  private sliceRec(s: EndpointSlice): SliceRec | undefined {
    const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svc) return undefined; // §2.2: a slice without the label is never used
    if (s.addressType !== 'IPv4' && s.addressType !== 'IPv6') return undefined; // FQDN slices carry no IPs
    const addresses: EndpointAddr[] = [];
    for (const ep of s.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue; // §2.3: ready null/absent = ready
      for (const a of ep.addresses ?? []) {
        const c = canonicalIP(a);
        if (!c) continue;
        addresses.push(new EndpointAddr(c.text === a ? a : c.text, c.family, ep.hostname ?? '', ep.targetRef?.name ?? ''));
      }
    }
    return new SliceRec(s.metadata.namespace ?? '', s.metadata.name ?? '', svc, addresses.length ? addresses.slice() : EMPTY, this.portList(s.ports, -1));
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
    const ns = s.metadata.namespace ?? '';
    const name = s.metadata.name ?? '';
    let inNs = this.services.get(ns);
    const old = inNs?.get(name);
    if (type === 'DELETED') {
      if (!old) return;
      for (const ip of old.clusterIPs) multiRemove(this.byClusterIP, ip, old);
      inNs!.delete(name);
      if (inNs!.size === 0) this.services.delete(ns);
      this.changed(true);
      return;
    }
    const rec = this.serviceRec(s);
    if (old && sameService(old, rec)) return;
    if (old) for (const ip of old.clusterIPs) multiRemove(this.byClusterIP, ip, old);
    if (!inNs) this.services.set(ns, (inNs = new Map()));
    inNs.set(name, rec);
    for (const ip of rec.clusterIPs) multiAdd(this.byClusterIP, ip, rec);
    this.changed(true);
  }

  applyEndpointSlice(type: EventType, s: EndpointSlice): void {
    const key = keyOf(s);
    const old = this.slices.get(key);
    const rec = type === 'DELETED' ? undefined : this.sliceRec(s);
    if (!old && !rec) return;
    if (old && rec && sameSlice(old, rec)) return;
    if (old) {
      this.slices.delete(key);
      const inNs = this.slicesBySvc.get(old.namespace)!;
      const list = inNs.get(old.service)!.filter((x) => x !== old);
      if (list.length) inNs.set(old.service, list);
      else if (inNs.delete(old.service) && inNs.size === 0) this.slicesBySvc.delete(old.namespace);
      for (const a of old.addresses) multiRemove(this.byEndpointIP, a.ip, old);
    }
    if (rec) {
      this.slices.set(key, rec);
      let inNs = this.slicesBySvc.get(rec.namespace);
      if (!inNs) this.slicesBySvc.set(rec.namespace, (inNs = new Map()));
      inNs.set(rec.service, [...(inNs.get(rec.service) ?? EMPTY), rec].sort(byKey));
      for (const a of rec.addresses) multiAdd(this.byEndpointIP, a.ip, rec);
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
      multiRemove(this.podsByIP, old.ip, old);
      this.changed(true);
      return;
    }
    if (p.metadata.deletionTimestamp) return;
    const raw = p.status?.podIP ?? '';
    const c = canonicalIP(raw);
    const ip = c ? (c.text === raw ? raw : c.text) : '';
    if (old && old.ip === ip) return;
    if (old) multiRemove(this.podsByIP, old.ip, old);
    const rec: PodRec = { namespace: p.metadata.namespace ?? '', ip };
    this.pods.set(key, rec);
    if (ip) multiAdd(this.podsByIP, ip, rec);
    this.changed(true);
  }

  // ---- queries (names are matched lower-case; Kubernetes names are lower-case already) ----

  namespace(name: string): NamespaceRec | undefined { return this.namespaces.get(name); }

  service(namespace: string, name: string): ServiceRec | undefined { return this.services.get(namespace)?.get(name); }

  /** The service's slices (merged view: iterate slices, then addresses), sorted by slice key. */
  slicesOf(namespace: string, name: string): readonly SliceRec[] { return this.slicesBySvc.get(namespace)?.get(name) ?? EMPTY; }

  /** Services whose spec.clusterIPs contain this canonical IP. */
  servicesByClusterIP(ip: string): ServiceRec[] { return multiList(this.byClusterIP.get(ip)); }

  /** Slices with a ready endpoint at this canonical IP, sorted by slice key. */
  slicesByEndpointIP(ip: string): SliceRec[] { return multiList(this.byEndpointIP.get(ip)).sort(byKey); }

  servicesInNamespace(ns: string): ServiceRec[] {
    const inNs = this.services.get(ns);
    return inNs ? [...inNs.values()].sort(byKey) : [];
  }

  /** Namespaces of the tracked pods whose status.podIP is this canonical IP. */
  podNamespacesByIP(ip: string): string[] { return multiList(this.podsByIP.get(ip)).map((p) => p.namespace); }

  /** Counts, for metrics and memory checks. */
  stats(): { services: number; endpointSlices: number; endpoints: number; namespaces: number; pods: number } {
    let endpoints = 0;
    for (const s of this.slices.values()) endpoints += s.addresses.length;
    let services = 0;
    for (const m of this.services.values()) services += m.size;
    return { services, endpointSlices: this.slices.size, endpoints, namespaces: this.namespaces.size, pods: this.pods.size };
  }
}
