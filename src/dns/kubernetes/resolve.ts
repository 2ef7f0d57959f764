// The cluster DNS resolver: one question + the ClusterView + the options → an Answer, following the rule book
// (/work/shared/reference/cluster-dns-rules.md; section numbers in comments) and, where the book points at it,
// CoreDNS's kubernetes plugin (handler.go dispatch, kubernetes.go Services/Records/findServices/findPods,
// reverse.go, ns.go, plugin/backend_lookup.go builders). Pure given the view; answers are cached per
// (config, question name as written, type, synced) until the view changes.

import { parseLabelSelector, matches, type LabelSelector } from '../../api/selectors.ts';
import { CLASS_IN, RCODE, TYPE, type Answer, type Question, type ResourceRecord } from '../message.ts';
import { addressFromReverse, canonicalIP } from './ip.ts';
import type { ClusterView, ServiceRec } from './view.ts';

export type PodsMode = 'disabled' | 'insecure' | 'verified';

export interface DnsConfig {
  /** The cluster zone (lower case, no trailing dot). */
  zone: string;
  /** Reverse zones served for PTR (§8.1, §14.1); [] disables PTR. */
  reverseZones: string[];
  /** Record TTL, 0..3600 (§1.5, §14.2). */
  ttl: number;
  /** Pod records (§9, §14.7). */
  pods: PodsMode;
  /** `endpoint_pod_names` (§14.4). */
  endpointPodNames: boolean;
  /** `ignore empty_service` (§14.5). */
  ignoreEmptyService: boolean;
  /** `namespaces NS...` (§14.6); undefined or [] = all. */
  namespaces?: string[];
  /** `namespace_labels SELECTOR` (§14.6), a label selector string. */
  namespaceLabels?: string;
  /** `noendpoints` (§14.8). */
  noEndpoints: boolean;
  /** The watches have synced (or startup_timeout passed): before that NXDOMAIN becomes SERVFAIL (§1.7). */
  synced: boolean;
  /** `fallthrough [ZONES]` (§14.3): name errors in these zones ([] = every zone) resolve to undefined. */
  fallthrough?: string[];
  /** The server's own addresses for NS and ns.dns.<zone> (§11.3). Default ['127.0.0.1']. */
  nsIPs?: string[];
}

/**
 * Defaults: the plugin's own (ttl 5, endpoint_pod_names off, no namespace filter) except where kubeadm's
 * Corefile differs in a way that matters for conformance: reverse zones `in-addr.arpa ip6.arpa` (PTR on)
 * and `pods insecure` (§15.2). kubeadm's `ttl 30` is not taken (the seeds expect 5); its `fallthrough
 * in-addr.arpa ip6.arpa` is left to the server, which only enables it when an upstream is configured.
 */
export function defaultDnsConfig(overrides: Partial<DnsConfig> = {}): DnsConfig {
  return {
    zone: 'cluster.local', reverseZones: ['in-addr.arpa', 'ip6.arpa'], ttl: 5, pods: 'insecure', endpointPodNames: false,
    ignoreEmptyService: false, noEndpoints: false, synced: true, ...overrides,
  };
}

export const DNS_SCHEMA_VERSION = '1.1.0';

/** An address/target the backend found (CoreDNS msg.Service, reduced). */
interface Item {
  /** 'ip': an address record; 'cname': ExternalName target; 'text': dns-version. */
  kind: 'ip' | 'cname' | 'text';
  host: string;
  family: 4 | 6 | 0;
  /** -1: no port known (never an SRV, §2.9). */
  port: number;
  /** The SRV target / NS name (no trailing dot). */
  target: string;
  ttl: number;
}

/** NXDOMAIN-class result (CoreDNS errNoItems / errNsNotExposed / errInvalidRequest). */
const NAME_ERROR = null;
type Found = Item[] | null;

interface Ctx {
  view: ClusterView;
  cfg: DnsConfig;
  /** Matched zone, lower case. */
  zone: string;
  /** The zone as the client wrote it (§17.2). */
  zoneQ: string;
  reverse: boolean;
  nsSelector: LabelSelector | undefined;
}

const selectorCache = new Map<string, LabelSelector>();
function selectorFor(s: string | undefined): LabelSelector | undefined {
  if (!s) return undefined;
  let sel = selectorCache.get(s);
  if (!sel) { sel = parseLabelSelector(s); selectorCache.set(s, sel); }
  return sel;
}

function stripDot(s: string): string { return s.endsWith('.') ? s.slice(0, -1) : s; }

function rr(name: string, type: number, ttl: number, data: ResourceRecord['data']): ResourceRecord {
  return { name, type, class: CLASS_IN, ttl, data };
}

function addressRR(name: string, ip: string, family: 4 | 6 | 0, ttl: number): ResourceRecord {
  return family === 6 ? rr(name, TYPE.AAAA, ttl, { type: 'AAAA', address: ip }) : rr(name, TYPE.A, ttl, { type: 'A', address: ip });
}

/** Longest configured zone containing the (lower-case) name. */
function matchZone(lname: string, cfg: DnsConfig): { zone: string; reverse: boolean } | undefined {
  let best: { zone: string; reverse: boolean } | undefined;
  const consider = (z: string, reverse: boolean) => {
    const zl = stripDot(z).toLowerCase();
    if ((lname === zl || lname.endsWith('.' + zl) || zl === '') && (!best || zl.length > best.zone.length)) best = { zone: zl, reverse };
  };
  consider(cfg.zone, false);
  for (const z of cfg.reverseZones) consider(z, true);
  return best;
}

// ---------------------------------------------------------------------------------------------------------
// Backend (CoreDNS kubernetes.go)

function namespaceExposed(c: Ctx, ns: string): boolean {
  const list = c.cfg.namespaces;
  if (list && list.length && !list.includes(ns)) return false;
  const rec = c.view.namespace(ns);
  if (!rec) return false; // §2.11
  if (c.nsSelector && !matches(c.nsSelector, rec.labels)) return false;
  return true;
}

function stripUnderscore(s: string): string { return s.startsWith('_') ? s.slice(1) : s; }

interface Request { podOrSvc: '' | 'svc' | 'pod'; namespace: string; service: string; endpoint: string; port: string; protocol: string }

/** parse.go parseRequest (§3). undefined = invalid (NXDOMAIN). */
function parseRequest(lname: string, zone: string): Request | undefined {
  const r: Request = { podOrSvc: '', namespace: '', service: '', endpoint: '', port: '', protocol: '' };
  const base = lname === zone ? '' : zone === '' ? lname : lname.slice(0, lname.length - zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') return r; // §12: apex, svc, pod are NODATA
  const segs = base.split('.');
  let last = segs.length - 1;
  const kind = segs[last]!;
  if (kind !== 'svc' && kind !== 'pod') return undefined; // §3.1
  r.podOrSvc = kind;
  r.namespace = segs[--last] ?? '';
  if (--last < 0) return r;
  r.service = segs[last]!;
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0]!;
  else if (last === 1) { r.protocol = stripUnderscore(segs[1]!); r.port = stripUnderscore(segs[0]!); }
  else return undefined; // §3.2 too long
  return r;
}

/** kubernetes.go Records. */
function records(c: Ctx, lname: string): Found {
  const r = parseRequest(lname, c.zone);
  if (!r) return NAME_ERROR;
  if (r.podOrSvc === '') return [];
  if (c.reverse) return NAME_ERROR; // §8.5 non-PTR lookups in reverse zones
  if (!namespaceExposed(c, r.namespace)) return NAME_ERROR;
  return r.podOrSvc === 'pod' ? findPods(c, r) : findServices(c, r);
}

function portMatches(r: Request, name: string, protocol: string): boolean {
  if (r.port !== '' && r.port !== name.toLowerCase()) return false;
  if (r.protocol !== '' && r.protocol !== protocol.toLowerCase()) return false;
  return true;
}

const NO_PORTS = [{ name: '', protocol: '', port: -1 }];

/** kubernetes.go findServices (§4, §5, §7, §14.5, §14.8). */
function findServices(c: Ctx, r: Request): Found {
  if (r.service === '') return []; // §12: existing namespace is NODATA
  const svc = c.view.service(r.namespace, r.service);
  if (!svc) return NAME_ERROR;
  const ttl = c.cfg.ttl;
  if (c.cfg.ignoreEmptyService && svc.kind === 'ClusterIP') {
    let n = 0;
    if (!c.cfg.noEndpoints) for (const s of c.view.slicesOf(svc.namespace, svc.name)) n += s.addresses.length;
    if (n === 0) return NAME_ERROR; // §14.5
  }
  if (svc.kind === 'ExternalName') {
    if (r.endpoint || r.port || r.protocol) return NAME_ERROR; // §7.4
    if (!svc.externalName || canonicalIP(svc.externalName)) return NAME_ERROR; // §7.5
    return [{ kind: 'cname', host: svc.externalName, family: 0, port: -1, target: `${svc.name}.${svc.namespace}.svc.${c.zoneQ}`, ttl }];
  }
  const items: Item[] = [];
  if (svc.kind === 'Headless' || r.endpoint) { // §5, §4.8
    if (c.cfg.noEndpoints) return NAME_ERROR; // §14.8
    const podNames = c.cfg.endpointPodNames;
    for (const slice of c.view.slicesOf(svc.namespace, svc.name)) {
      const ports = slice.ports.length ? slice.ports : NO_PORTS;
      for (const a of slice.addresses) {
        const h = podNames ? a.podName : a.name;
        if (r.endpoint && r.endpoint !== h) continue;
        for (const p of ports) {
          if (!portMatches(r, p.name, p.protocol)) continue;
          items.push({ kind: 'ip', host: a.ip, family: a.family, port: p.port, target: `${h}.${svc.name}.${svc.namespace}.svc.${c.zoneQ}`, ttl });
        }
      }
    }
    return items.length ? items : NAME_ERROR; // §5.2, §5.8
  }
  for (const p of svc.ports) { // §4.1, §4.4
    if (!portMatches(r, p.name, p.protocol)) continue;
    for (const ip of svc.clusterIPs) {
      items.push({ kind: 'ip', host: ip, family: ip.includes(':') ? 6 : 4, port: p.port, target: `${svc.name}.${svc.namespace}.svc.${c.zoneQ}`, ttl });
    }
  }
  return items.length ? items : NAME_ERROR;
}

/** kubernetes.go findPods (§9). */
function findPods(c: Ctx, r: Request): Found {
  if (c.cfg.pods === 'disabled') return NAME_ERROR; // §9.2
  const podname = r.service;
  if (podname === '') return []; // §9.5
  const raw = (podname.split('-').length - 1 === 3 && !podname.includes('--')) ? podname.replaceAll('-', '.') : podname.replaceAll('-', ':'); // §9.1
  const ip = canonicalIP(raw);
  if (!ip) return NAME_ERROR;
  const item: Item = { kind: 'ip', host: ip.text, family: ip.family, port: 0, target: `${podname}.${r.namespace}.pod.${c.zoneQ}`, ttl: c.cfg.ttl };
  if (c.cfg.pods === 'insecure') return [item]; // §9.3
  // verified (§9.4): a cached pod in that namespace with exactly this status.podIP (as CoreDNS, the text must match)
  if (raw !== ip.text) return NAME_ERROR;
  return c.view.podNamespacesByIP(ip.text).includes(r.namespace) ? [item] : NAME_ERROR;
}

/** ns.go nsAddrs (§11.3): the DNS Services selecting our own IPs, else ns.dns.<zone> with our IPs. */
function nsAddrs(c: Ctx): Item[] {
  const out: Item[] = [];
  const ttl = c.cfg.ttl;
  const podNames = c.cfg.endpointPodNames;
  const local = c.cfg.nsIPs ?? ['127.0.0.1'];
  for (const lip of local) {
    const ip = canonicalIP(lip)?.text ?? lip;
    for (const slice of c.view.slicesByEndpointIP(ip)) {
      const svc = c.view.service(slice.namespace, slice.service);
      if (!svc) continue;
      if (svc.kind === 'Headless') {
        for (const a of slice.addresses) out.push({ kind: 'ip', host: a.ip, family: a.family, port: -1, target: `${(podNames ? a.podName : a.name)}.${svc.name}.${svc.namespace}.svc.${c.zoneQ}`, ttl });
        continue;
      }
      for (const cip of svc.clusterIPs) out.push({ kind: 'ip', host: cip, family: cip.includes(':') ? 6 : 4, port: -1, target: `${svc.name}.${svc.namespace}.svc.${c.zoneQ}`, ttl });
    }
  }
  if (out.length === 0) {
    for (const lip of local) {
      const p = canonicalIP(lip);
      if (p) out.push({ kind: 'ip', host: p.text, family: p.family, port: -1, target: `ns.dns.${c.zoneQ}`, ttl });
    }
  }
  return out;
}

/** kubernetes.go Services: qtype-specific front of Records. */
function services(c: Ctx, lname: string, qtype: number): Found {
  if (qtype === TYPE.TXT) {
    const base = lname === c.zone ? '' : lname.slice(0, lname.length - c.zone.length - 1);
    if (base === 'dns-version' && !c.reverse) { // §10.1
      return [{ kind: 'text', host: DNS_SCHEMA_VERSION, family: 0, port: -1, target: '', ttl: 28800 }];
    }
    const found = records(c, lname);
    return found && found.length ? [] : NAME_ERROR; // §10.2 (CoreDNS: NODATA only if the name has records)
  }
  if (qtype === TYPE.NS) return nsAddrs(c);
  if (lname === `ns.dns.${c.zoneQ}`) { // isDefaultNS compares the lower-cased name with the zone as written
    return nsAddrs(c).filter((i) => (qtype === TYPE.A && i.family === 4) || (qtype === TYPE.AAAA && i.family === 6));
  }
  const found = records(c, lname);
  if (qtype !== TYPE.SRV || !found) return found;
  return found.filter((i) => i.kind !== 'cname'); // §7.4 SRV on ExternalName is NODATA
}

// ---------------------------------------------------------------------------------------------------------
// Builders (CoreDNS plugin/backend_lookup.go)

const MAX_CNAME_CHAIN = 8; // backend_lookup.go: stop adding once more than 7 records precede

interface AddrResult { records: ResourceRecord[]; err: boolean }

/** A/AAAA (§4.1, §5.1, §7.3 in-zone chasing). `owner` is the name as written. */
function addressLookup(c: Ctx, owner: string, lname: string, qtype: number, previous: ResourceRecord[]): AddrResult {
  const found = lname === c.zone ? records(c, lname) : services(c, lname, qtype);
  if (!found) return { records: [], err: true };
  const out: ResourceRecord[] = [];
  const seen = new Set<string>();
  const want = qtype === TYPE.AAAA ? 6 : 4;
  for (const it of found) {
    if (it.kind === 'cname') {
      const target = stripDot(it.host);
      const ltarget = target.toLowerCase();
      if (ltarget === lname) continue; // x CNAME x
      if (previous.length >= MAX_CNAME_CHAIN) continue;
      const rec = rr(owner, TYPE.CNAME, it.ttl, { type: 'CNAME', target });
      if (previous.some((p) => p.name.toLowerCase() === owner.toLowerCase() && p.data.type === 'CNAME' && p.data.target.toLowerCase() === ltarget)) continue;
      if (c.zone === '' || ltarget === c.zone || ltarget.endsWith('.' + c.zone)) {
        const next = addressLookup(c, target, ltarget, qtype, [...previous, rec]);
        if (!next.err && next.records.length) out.push(rec, ...next.records); // §7.3 quirk: no target data → no CNAME
        continue;
      }
      out.push(rec); // out of zone: completed by resolveChased() through the upstream
      continue;
    }
    if (it.kind === 'ip' && it.family === want && !seen.has(it.host)) {
      seen.add(it.host);
      out.push(addressRR(owner, it.host, it.family, it.ttl));
    }
  }
  return { records: out, err: false };
}

interface Built { records: ResourceRecord[]; extra: ResourceRecord[]; err: boolean; refused?: boolean }

function srvLookup(c: Ctx, owner: string, lname: string): Built {
  const found = lname === c.zone ? records(c, lname) : services(c, lname, TYPE.SRV);
  if (!found) return { records: [], extra: [], err: true };
  const weight = Math.max(1, Math.floor(100 / (found.length || 1))); // §4.7, §5.6
  const recs: ResourceRecord[] = [];
  const extra: ResourceRecord[] = [];
  const dup = new Set<string>();
  for (const it of found) {
    if (it.port === -1 || it.kind !== 'ip') continue; // §2.9
    const k1 = `${it.target}\u0000\u0000${it.port}`;
    if (!dup.has(k1)) { dup.add(k1); recs.push(rr(owner, TYPE.SRV, it.ttl, { type: 'SRV', priority: 0, weight, port: it.port, target: it.target })); }
    const k2 = `${it.target}\u0000${it.host}\u00000`;
    if (!dup.has(k2)) { dup.add(k2); extra.push(addressRR(it.target, it.host, it.family, it.ttl)); } // §4.5
  }
  return { records: recs, extra, err: false };
}

/** reverse.go (§8). */
function ptrLookup(c: Ctx, owner: string, lname: string): Built {
  const ip = addressFromReverse(lname);
  if (ip === undefined) { // §8.5: partial reverse names and forward names
    const found = records(c, lname);
    return { records: [], extra: [], err: !found };
  }
  const zone = stripDot(c.cfg.zone).toLowerCase(); // PTR targets use the primary zone as configured (§14.1)
  const list = c.cfg.namespaces;
  const exposed = (ns: string) => !(list && list.length) || (list.includes(ns) && c.view.namespace(ns) !== undefined);
  const targets: string[] = [];
  const svcs = c.view.servicesByClusterIP(ip).filter((s: ServiceRec) => exposed(s.namespace));
  if (svcs.length) {
    targets.push(`${svcs[0]!.name}.${svcs[0]!.namespace}.svc.${zone}`); // §8.2
  } else {
    const podNames = c.cfg.endpointPodNames;
    for (const slice of c.view.slicesByEndpointIP(ip)) { // §8.3
      if (!exposed(slice.namespace)) continue;
      for (const a of slice.addresses) {
        if (a.ip !== ip) continue;
        const t = `${(podNames ? a.podName : a.name)}.${slice.service}.${slice.namespace}.svc.${zone}`;
        if (!targets.includes(t)) targets.push(t);
      }
    }
  }
  if (!targets.length) return { records: [], extra: [], err: true };
  return { records: targets.map((t) => rr(owner, TYPE.PTR, c.cfg.ttl, { type: 'PTR', target: t })), extra: [], err: false };
}

function soaRecord(c: Ctx): ResourceRecord {
  const ttl = c.cfg.ttl;
  return rr(c.zoneQ, TYPE.SOA, Math.min(ttl, 300), {
    type: 'SOA', mname: `ns.dns.${c.zoneQ}`, rname: `hostmaster.${c.zoneQ}`, serial: c.view.serial >>> 0,
    refresh: 7200, retry: 1800, expire: 86400, minimum: ttl,
  }); // §11.1
}

function nsApex(c: Ctx, owner: string, lname: string): Built {
  const items = services(c, lname, TYPE.NS) ?? [];
  const recs: ResourceRecord[] = [];
  const extra: ResourceRecord[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    extra.push(addressRR(it.target, it.host, it.family, it.ttl));
    if (seen.has(it.target)) continue;
    seen.add(it.target);
    recs.push(rr(owner, TYPE.NS, it.ttl, { type: 'NS', target: it.target }));
  }
  return { records: recs, extra, err: false };
}

function dispatch(c: Ctx, q: Question, owner: string, lname: string): Built {
  // §11.3 NS at the apex (§17.3: compared lower-cased against the zone as written, so mixed case is NODATA)
  if (q.type === TYPE.NS && lname === c.zoneQ) return nsApex(c, owner, lname);
  switch (q.type) {
    case TYPE.A:
    case TYPE.AAAA: {
      const r = addressLookup(c, owner, lname, q.type, []);
      return { records: r.records, extra: [], err: r.err };
    }
    case TYPE.TXT: {
      const found = services(c, lname, TYPE.TXT);
      if (!found) return { records: [], extra: [], err: true };
      return { records: found.map((i) => rr(owner, TYPE.TXT, i.ttl, { type: 'TXT', strings: [i.host] })), extra: [], err: false };
    }
    case TYPE.CNAME: { // §7.2, §13.1
      const found = lname === c.zone ? records(c, lname) : services(c, lname, TYPE.CNAME);
      if (!found) return { records: [], extra: [], err: true };
      const first = found[0];
      const recs = first && first.kind === 'cname' ? [rr(owner, TYPE.CNAME, first.ttl, { type: 'CNAME', target: stripDot(first.host) })] : [];
      return { records: recs, extra: [], err: false };
    }
    case TYPE.PTR: return ptrLookup(c, owner, lname);
    case TYPE.MX: { // §13.2
      const found = lname === c.zone ? records(c, lname) : services(c, lname, TYPE.MX);
      return { records: [], extra: [], err: !found };
    }
    case TYPE.SRV: return srvLookup(c, owner, lname);
    case TYPE.SOA: // §11.1, §11.2
      return { records: owner === c.zoneQ ? [{ ...soaRecord(c), name: owner }] : [], extra: [], err: false };
    case TYPE.AXFR:
    case TYPE.IXFR:
      return { records: [], extra: [], err: false, refused: true }; // §11.4
    default: { // §12.1 (also NS below the apex): existence test through an A lookup
      const r = addressLookup(c, owner, lname, TYPE.A, []);
      return { records: [], extra: [], err: r.err };
    }
  }
}

function inFallthrough(lname: string, cfg: DnsConfig): boolean {
  const ft = cfg.fallthrough;
  if (!ft) return false;
  if (ft.length === 0) return true;
  return ft.some((z) => { const zl = stripDot(z).toLowerCase(); return lname === zl || lname.endsWith('.' + zl); });
}

/** resolve() without the answer cache. */
export function resolveUncached(q: Question, view: ClusterView, cfg: DnsConfig): Answer | undefined {
  const owner = stripDot(q.name);
  const lname = owner.toLowerCase();
  const m = matchZone(lname, cfg);
  if (!m) return undefined; // §15: not ours
  const c: Ctx = { view, cfg, zone: m.zone, zoneQ: owner.slice(owner.length - m.zone.length), reverse: m.reverse, nsSelector: selectorFor(cfg.namespaceLabels) };
  const b = dispatch(c, q, owner, lname);
  if (b.refused) return { rcode: RCODE.REFUSED, authoritative: false, answers: [], authorities: [], additionals: [] };
  if (b.err) {
    if (inFallthrough(lname, cfg)) return undefined; // §14.3
    return { rcode: cfg.synced ? RCODE.NXDOMAIN : RCODE.SERVFAIL, authoritative: true, answers: [], authorities: [soaRecord(c)], additionals: [] }; // §1.3, §1.7
  }
  if (b.records.length === 0) return { rcode: RCODE.NOERROR, authoritative: true, answers: [], authorities: [soaRecord(c)], additionals: [] };
  return { rcode: RCODE.NOERROR, authoritative: true, answers: b.records, authorities: [], additionals: b.extra }; // §1.1, §1.2
}

const CACHE_LIMIT = 100_000;

/**
 * Answers one question from the cluster zone or a reverse zone; undefined when the name is outside every
 * configured zone (the server answers REFUSED or forwards) or falls through (§14.3). The returned Answer
 * may be shared with later calls (cached until the view changes): treat it as read-only.
 */
export function resolve(q: Question, view: ClusterView, cfg: DnsConfig): Answer | undefined {
  let cache = view.caches.get(cfg) as Map<string, Answer | undefined> | undefined;
  if (!cache) { cache = new Map(); view.caches.set(cfg, cache); }
  const key = `${cfg.synced ? 1 : 0}${q.type} ${q.name}`;
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit;
  const a = resolveUncached(q, view, cfg);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, a);
  return a;
}

export interface UpstreamResult { answers: ResourceRecord[]; truncated?: boolean }
/** Looks a name up outside the cluster zone (the server's forwarder). Rejects or returns undefined on failure. */
export type Upstream = (q: Question) => Promise<UpstreamResult | undefined>;

/**
 * resolve() plus CoreDNS's out-of-zone ExternalName chasing (§7.3): for A/AAAA whose answer ends with a CNAME
 * leaving the zone, the target is looked up through `upstream` and its records appended (TTLs as received,
 * rcode stays NOERROR; `truncated` reports a truncated upstream answer). If the upstream fails, CoreDNS
 * drops the CNAME: NODATA.
 */
export async function resolveChased(q: Question, view: ClusterView, cfg: DnsConfig, upstream?: Upstream): Promise<(Answer & { truncated?: boolean }) | undefined> {
  const a = resolve(q, view, cfg);
  if (!a || !upstream || (q.type !== TYPE.A && q.type !== TYPE.AAAA) || a.answers.length === 0) return a;
  const last = a.answers[a.answers.length - 1]!;
  if (last.data.type !== 'CNAME') return a;
  const target = last.data.target;
  if (matchZone(target.toLowerCase(), cfg)) return a;
  let res: UpstreamResult | undefined;
  try { res = await upstream({ name: target, type: q.type, class: CLASS_IN }); } catch { res = undefined; }
  if (!res) {
    const owner = stripDot(q.name);
    const m = matchZone(owner.toLowerCase(), cfg)!;
    const c: Ctx = { view, cfg, zone: m.zone, zoneQ: owner.slice(owner.length - m.zone.length), reverse: m.reverse, nsSelector: undefined };
    return { rcode: RCODE.NOERROR, authoritative: true, answers: [], authorities: [soaRecord(c)], additionals: [] };
  }
  return { ...a, answers: [...a.answers, ...res.answers], truncated: res.truncated ?? false };
}
