// One synthetic cluster for the DNS benchmark, written two ways so kubedisco and Knot DNS serve the same
// records: (a) the Kubernetes objects (Namespaces, Services, EndpointSlices) that the benchmark creates
// through kubedisco's API, and (b) a Knot DNS zone file for cluster.local holding exactly the answers the
// rule book (cluster-dns-rules.md) gives for them, plus a minimal knot.conf. Also the dnsperf query file.
//
// Cluster: 1,000 ClusterIP Services (`svc-<i>`, one named port http 80/TCP → 8080, ClusterIP 10.100.x.y,
// no endpoints needed: §4.1) and 100 headless Services (`hl-<j>`, port http 80 → 8080) with one
// EndpointSlice each of 10 ready endpoints (10.244.<j>.<k+1>; even j: hostnames web-<k>, odd j: dashed
// IPs, §5.3), spread over 10 namespaces `dnsb-<n>`. The simulated 10.x addresses appear only inside DNS
// answers; nothing ever sends packets to them.
//
// Records (TTL 5, §1.5): per ClusterIP Service A (§4.1), `_http._tcp` SRV `0 100 80 <svc>.` (§4.4, weight
// floor(100/1) §4.7) and the bare SRV (§4.6); per headless Service 10 A at the Service name (§5.1), one A
// per endpoint name (§5.3), `_http._tcp` and bare SRV `0 10 8080 <h>.<svc>.` × 10 (§5.4-5.7: EndpointSlice
// port, weight floor(100/10)), and SRV `0 100 8080` at each endpoint name (§5.7); apex SOA (§11.1: MNAME
// ns.dns.<zone>, RNAME hostmaster.<zone>, 7200 1800 86400 5, TTL 5) and NS ns.dns.<zone> (§11.3).
// The SOA serial differs (kubedisco uses the time of the last change); nothing in the query mix asks for it
// except the authority SOA of NXDOMAIN answers, whose size is the same.
//
// Queries (dnsperf format `name TYPE`, shuffled with a fixed seed): 40 % ClusterIP Service A, 15 % headless
// Service A (10 records), 20 % endpoint-name A, 10 % ClusterIP SRV, 10 % headless SRV (10 SRV + 10 glue A),
// 5 % NXDOMAIN (`nx-<k>.<ns>.svc.cluster.local`).
//
// Run alone: node bench/dns-data.ts DIR [PORT] [UDP_WORKERS] writes objects.json, cluster.local.zone,
// knot.conf and queries.txt into DIR.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../src/util/prng.ts';

export const ZONE = 'cluster.local';
export const TTL = 5;
export const NAMESPACES = 10;
export const CLUSTERIP_SERVICES = 1000;
export const HEADLESS_SERVICES = 100;
export const ENDPOINTS_PER_HEADLESS = 10;
export const SERVICE_PORT = 80;
export const TARGET_PORT = 8080;
const QUERY_LINES = 20_000;

export interface KObject { apiVersion: string; kind: string; metadata: Record<string, unknown>; [k: string]: unknown }

export interface HeadlessService {
  namespace: string;
  name: string;
  slice: string;
  endpoints: Array<{ ip: string; hostname?: string; label: string }>;
}

export interface Cluster {
  namespaces: string[];
  clusterIP: Array<{ namespace: string; name: string; ip: string }>;
  headless: HeadlessService[];
}

const nsOf = (i: number): string => `dnsb-${i % NAMESPACES}`;

/**
 * The synthetic cluster; `scale` multiplies the Services (×10: 10,000 ClusterIP + 1,000 headless × 10 endpoints,
 * same 10 namespaces, for the memory slope). Scale 1 is the benchmark cluster; every larger scale contains it.
 */
export function generateCluster(scale = 1): Cluster {
  const nCip = CLUSTERIP_SERVICES * scale;
  const nHl = HEADLESS_SERVICES * scale;
  if (!Number.isInteger(scale) || scale < 1 || nCip >= 65_535 || nHl > 12 * 256) throw new Error(`scale ${scale} is too large for the address plan`);
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => nsOf(i));
  const clusterIP = Array.from({ length: nCip }, (_, i) => ({
    namespace: nsOf(i), name: `svc-${i}`, ip: `10.100.${(i + 1) >> 8}.${(i + 1) & 255}`,
  }));
  const headless = Array.from({ length: nHl }, (_, j): HeadlessService => ({
    namespace: nsOf(j), name: `hl-${j}`, slice: `hl-${j}-bench`,
    endpoints: Array.from({ length: ENDPOINTS_PER_HEADLESS }, (_, k) => {
      const ip = `10.${244 + (j >> 8)}.${j & 255}.${k + 1}`;
      return j % 2 === 0 ? { ip, hostname: `web-${k}`, label: `web-${k}` } : { ip, label: ip.replaceAll('.', '-') };
    }),
  }));
  return { namespaces, clusterIP, headless };
}

/** The EndpointSlice of a headless Service, every endpoint ready unless listed in `notReady`. */
export function endpointSlice(h: HeadlessService, notReady: ReadonlySet<string> = new Set()): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: h.slice, namespace: h.namespace, labels: { 'kubernetes.io/service-name': h.name, 'endpointslice.kubernetes.io/managed-by': 'bench.kubedisco' } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: TARGET_PORT, protocol: 'TCP' }],
    endpoints: h.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: !notReady.has(e.ip), serving: !notReady.has(e.ip), terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
    })),
  };
}

/** API objects in creation order: Namespaces, then Services, then EndpointSlices. */
export function kubernetesObjects(c: Cluster): KObject[] {
  const port = { name: 'http', port: SERVICE_PORT, targetPort: TARGET_PORT, protocol: 'TCP' };
  return [
    ...c.namespaces.map((n): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })),
    ...c.clusterIP.map((s): KObject => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace },
      spec: { type: 'ClusterIP', clusterIP: s.ip, clusterIPs: [s.ip], ports: [port], selector: { app: s.name } },
    })),
    ...c.headless.map((h): KObject => ({
      apiVersion: 'v1', kind: 'Service', metadata: { name: h.name, namespace: h.namespace },
      spec: { clusterIP: 'None', ports: [port], selector: { app: h.name } },
    })),
    ...c.headless.map((h) => endpointSlice(h)),
  ];
}

const fqdn = (...labels: string[]): string => `${labels.join('.')}.${ZONE}.`;

/**
 * The zone file. `extra` holds records for objects the API server creates by itself (the `kubernetes`
 * Service in `default`), so both servers hold the same names.
 */
export function zoneFile(c: Cluster, extra: string[] = []): string {
  const z = `${ZONE}.`;
  const out = [
    `$ORIGIN ${z}`,
    `$TTL ${TTL}`,
    `${z} ${TTL} IN SOA ns.dns.${z} hostmaster.${z} 1 7200 1800 86400 ${TTL}`,
    `${z} ${TTL} IN NS ns.dns.${z}`,
    `ns.dns.${z} ${TTL} IN A 127.0.0.1`,
    ...extra,
  ];
  for (const s of c.clusterIP) {
    const name = fqdn(s.name, s.namespace, 'svc');
    out.push(`${name} ${TTL} IN A ${s.ip}`,
      `_http._tcp.${name} ${TTL} IN SRV 0 100 ${SERVICE_PORT} ${name}`,
      `${name} ${TTL} IN SRV 0 100 ${SERVICE_PORT} ${name}`);
  }
  for (const h of c.headless) {
    const name = fqdn(h.name, h.namespace, 'svc');
    const w = Math.max(1, Math.floor(100 / h.endpoints.length));
    for (const e of h.endpoints) {
      const en = `${e.label}.${name}`;
      out.push(`${name} ${TTL} IN A ${e.ip}`, `${en} ${TTL} IN A ${e.ip}`,
        `_http._tcp.${name} ${TTL} IN SRV 0 ${w} ${TARGET_PORT} ${en}`,
        `${name} ${TTL} IN SRV 0 ${w} ${TARGET_PORT} ${en}`,
        `${en} ${TTL} IN SRV 0 100 ${TARGET_PORT} ${en}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Zone lines for the `kubernetes` Service the API server bootstraps (ClusterIP, named port https). */
export function kubernetesServiceRecords(ip: string, ports: Array<{ name?: string; port: number; protocol?: string }>): string[] {
  const name = fqdn('kubernetes', 'default', 'svc');
  const w = Math.max(1, Math.floor(100 / ports.length));
  return [`${name} ${TTL} IN A ${ip}`, ...ports.flatMap((p) => [
    ...(p.name ? [`_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${name} ${TTL} IN SRV 0 100 ${p.port} ${name}`] : []),
    `${name} ${TTL} IN SRV 0 ${w} ${p.port} ${name}`,
  ])];
}


export type QueryKind = 'service A' | 'headless A' | 'endpoint A' | 'service SRV' | 'headless SRV' | 'NXDOMAIN';
export const MIX: ReadonlyArray<[QueryKind, number]> = [
  ['service A', 0.40], ['headless A', 0.15], ['endpoint A', 0.20], ['service SRV', 0.10], ['headless SRV', 0.10], ['NXDOMAIN', 0.05],
];

/** dnsperf query lines (`name TYPE`, names without the trailing dot). */
export function queries(c: Cluster, lines = QUERY_LINES, seed = 4): string[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (const [kind, share] of MIX) {
    const n = Math.round(lines * share);
    for (let i = 0; i < n; i++) {
      const s = pick(c.clusterIP);
      const h = pick(c.headless);
      const name = (x: { name: string; namespace: string }) => `${x.name}.${x.namespace}.svc.${ZONE}`;
      switch (kind) {
        case 'service A': out.push(`${name(s)} A`); break;
        case 'headless A': out.push(`${name(h)} A`); break;
        case 'endpoint A': out.push(`${pick(h.endpoints).label}.${name(h)} A`); break;
        case 'service SRV': out.push(`_http._tcp.${name(s)} SRV`); break;
        case 'headless SRV': out.push(`_http._tcp.${name(h)} SRV`); break;
        case 'NXDOMAIN': out.push(`nx-${Math.floor(r() * 1e6)}.${s.namespace}.svc.${ZONE} A`); break;
      }
    }
  }
  for (let i = out.length - 1; i > 0; i--) { // Fisher-Yates with the same PRNG
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function knotConf(dir: string, port: number, udpWorkers: number): string {
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${port}`,
    `    udp-workers: ${udpWorkers}`,
    '    tcp-workers: 1',
    '    background-workers: 1',
    'control:',
    `    listen: "${join(dir, 'knot.sock')}"`,
    'database:',
    `    storage: "${join(dir, 'db')}"`,
    'log:',
    '  - target: stderr',
    '    any: warning',
    'zone:',
    `  - domain: ${ZONE}`,
    `    file: "${join(dir, `${ZONE}.zone`)}"`,
    '    journal-content: none',
    '    zonefile-sync: -1',
    '    semantic-checks: off',
    '',
  ].join('\n');
}

export interface Written { dir: string; objects: string; zone: string; conf: string; queries: string; queryCount: number }

/** Writes objects.json, the zone, knot.conf and queries.txt into `dir`. */
export function writeAll(dir: string, c: Cluster, o: { port: number; udpWorkers: number; extraZoneLines?: string[] }): Written {
  mkdirSync(join(dir, 'db'), { recursive: true });
  const w: Written = {
    dir, objects: join(dir, 'objects.json'), zone: join(dir, `${ZONE}.zone`), conf: join(dir, 'knot.conf'), queries: join(dir, 'queries.txt'), queryCount: 0,
  };
  writeFileSync(w.objects, JSON.stringify(kubernetesObjects(c)));
  writeFileSync(w.zone, zoneFile(c, o.extraZoneLines));
  writeFileSync(w.conf, knotConf(dir, o.port, o.udpWorkers));
  const q = queries(c);
  w.queryCount = q.length;
  writeFileSync(w.queries, `${q.join('\n')}\n`);
  return w;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node bench/dns-data.ts DIR [PORT] [UDP_WORKERS]');
  const w = writeAll(dir, generateCluster(), { port: Number(process.argv[3] ?? 5300), udpWorkers: Number(process.argv[4] ?? 2) });
  process.stdout.write(`${JSON.stringify(w, null, 2)}\n`);
}
