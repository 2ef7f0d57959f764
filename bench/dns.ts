// Cluster DNS: kubedisco's DNS server and Knot DNS side by side, serving the same records (bench/dns-data.ts),
// loaded by dnsperf on loopback; then the propagation of a readiness change to the DNS answer.
//
// 1. `kubedisco server --controllers '' --nodes 0` (the API alone) and, as its own process, `kubedisco dns
//    --kubeconfig <the server's> --listen 127.0.0.1:PORT`, so the DNS server's CPU and memory are its own.
//    Its RSS is read empty (only the bootstrap `kubernetes` Service), then after the synthetic cluster is
//    created through the API (Namespaces, Services, EndpointSlices written directly: no controllers) and
//    served: (loaded − empty) / (Services + endpoints) is the memory per object.
// 2. `knotd -c knot.conf` with the zone file of the same records, one UDP worker per CPU.
// 3. Sampled answers compared between the two (rcode, answer count, A addresses).
// 4. Saturation: dnsperf closed loop (8 client sockets, 100 outstanding, EDNS0 so neither server truncates),
//    2 runs × 10 s per server, interleaved; queries/s and queries/s per server CPU-second (utime+stime of the
//    whole process, every thread, from /proc), busy threads (per-thread CPU from /proc/<pid>/task).
// 5. Latency at a fixed 10,000 queries/s (dnsperf -Q 10000 -v, 2 runs × 8 s per server, interleaved; the run with the
//    median p99 is kept): p50/p99 from the per-query lines.
// 6. Propagation at 1,000 endpoints (100 headless Services × 10): 200 changes, one at a time, each a JSON
//    patch of one endpoint's `conditions.ready` in its EndpointSlice; from the PATCH being sent, the
//    benchmark queries the Service's name (A) back to back over UDP until the answer has (or lacks) the
//    endpoint's address. Latency = PATCH sent → first changed answer received.
// 7. The same DNS server started with `--udp-io dgram` (node:dgram instead of the native recvmmsg/sendmmsg
//    batches), saturation runs only: what the native UDP I/O buys, measured in the same run.
// 8. Memory slope: the cluster grown to ×10 (10,000 ClusterIP + 1,000 headless × 10, same namespaces) through
//    the API; (RSS once served − RSS just before) / (objects added) is the memory per further object.
// Everything goes to 127.0.0.1; the simulated 10.x addresses appear only inside DNS answers.
// Run alone: node bench/run.ts --only dns

import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, machineBusySeconds, rssBytes } from './lib/cpu.ts';
import { clients, closeAll, type HttpClient } from './lib/http.ts';
import { busyThreads, dnsperf, dnsperfVersion, ensureDnsTools, knotVersion, threadCpu, UdpDnsClient, DNS_INSTALL_HINT, type DnsperfResult } from './lib/dns.ts';
import { freeDnsPort, startKnot, startKubedisco, startKubediscoDns, tempDir, type KubediscoServer, type Server } from './lib/servers.ts';
import { medianBy, summarize, type Summary } from './lib/stats.ts';
import {
  CLUSTERIP_SERVICES, ENDPOINTS_PER_HEADLESS, HEADLESS_SERVICES, MIX, ZONE, generateCluster, kubernetesObjects,
  kubernetesServiceRecords, writeAll, type Cluster, type KObject,
} from './dns-data.ts';

const SAT_SECONDS = 10;
const SAT_RUNS = 2;
const FIXED_SECONDS = 8;
const FIXED_RUNS = 2;
export const FIXED_RATE = 10_000;
const DNSPERF_CLIENTS = 8;
const OUTSTANDING = 100;
const WRITERS = 16;
const FLIPS = 200;
const FLIP_TIMEOUT_MS = 2_000;
const CHECK_SAMPLE = 400;
const SERVE_LIMIT_MS = 30_000;
/** The memory slope is read between the benchmark cluster and this multiple of it. */
const SCALE = 10;

export interface DnsRun {
  qps: number;
  seconds: number;
  sent: number;
  lost: number;
  rcodes: Record<string, number>;
  respBytes: number;
  serverCpuS: number;
  serverCores: number;
  perCoreQps: number;
  clientCores: number;
  otherCores: number;
  threads: Array<{ thread: string; cores: number }>;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  avgMs: number;
}

export interface DnsServerResult {
  name: string;
  /** How it runs (command, workers). */
  how: string;
  saturation: DnsRun[];
  /** The fixed-rate run with the median p99. */
  fixed?: DnsRun;
  fixedRuns: DnsRun[];
  rssBytes: number;
}

export interface PropagationResult {
  changes: number;
  missed: number;
  /** PATCH sent → first DNS answer reflecting the change, ms (missed = +∞). */
  latency: Summary;
  /** PATCH's 200 read → first changed answer, ms (negative when the answer changed before the 200 was read). */
  fromAck: Summary;
  /** PATCH sent → 200. */
  write: Summary;
  /** Queries sent per change while waiting. */
  queriesPerChange: number;
}

export interface DnsResult {
  knotVersion: string;
  dnsperfVersion: string;
  nproc: number;
  services: number;
  headless: number;
  endpoints: number;
  queryLines: number;
  zoneRecords: number;
  mix: ReadonlyArray<[string, number]>;
  knot: DnsServerResult;
  kubedisco?: DnsServerResult;
  /** Why kubedisco was not measured (its DNS server did not start). */
  kubediscoNotMeasured?: string;
  memory?: {
    emptyRss: number; loadedRss: number; objects: number; perObject: number; loadS: number; servedS: number;
    /** ×10 cluster: RSS just before growing it (after the query runs), after it is served, objects; slope per object. */
    scale?: { beforeRss: number; rss: number; objects: number; slope: number; loadS: number };
  };
  /** The same server with node:dgram for UDP (`--udp-io dgram`), saturation runs only: what the native I/O buys. */
  dgram?: DnsServerResult;
  check?: { compared: number; mismatches: string[] };
  propagation?: PropagationResult;
  satSeconds: number;
  fixedSeconds: number;
  fixedRuns: number;
  clients: number;
  outstanding: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createAll(conns: HttpClient[], objs: KObject[]): Promise<void> {
  const path = (o: KObject): string => {
    const ns = o.metadata.namespace as string | undefined;
    if (o.kind === 'Namespace') return '/api/v1/namespaces';
    if (o.kind === 'Service') return `/api/v1/namespaces/${ns}/services`;
    if (o.kind === 'EndpointSlice') return `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
    throw new Error(`unexpected kind ${o.kind}`);
  };
  // Kind by kind (Namespaces before what lives in them), 16 connections each.
  for (const kind of ['Namespace', 'Service', 'EndpointSlice']) {
    const batch = objs.filter((o) => o.kind === kind);
    let next = 0;
    await Promise.all(conns.map(async (c) => {
      for (let i = next++; i < batch.length; i = next++) await c.expect(201, 'POST', path(batch[i]), JSON.stringify(batch[i]));
    }));
  }
}

/** Polls until the DNS server serves the last objects created (a bounded wait). */
async function waitServed(port: number, c: Cluster): Promise<void> {
  const dns = new UdpDnsClient('127.0.0.1', port);
  const lastSvc = c.clusterIP[c.clusterIP.length - 1];
  const lastHl = c.headless[c.headless.length - 1];
  const deadline = Date.now() + SERVE_LIMIT_MS;
  try {
    for (;;) {
      const a = await dns.query(`${lastSvc.name}.${lastSvc.namespace}.svc.${ZONE}`).catch(() => undefined);
      const b = await dns.query(`${lastHl.name}.${lastHl.namespace}.svc.${ZONE}`).catch(() => undefined);
      if (a?.rcode === 0 && a.ancount === 1 && b?.rcode === 0 && b.ancount === ENDPOINTS_PER_HEADLESS) return;
      if (Date.now() > deadline) throw new Error(`kubedisco dns did not serve the loaded cluster within ${SERVE_LIMIT_MS / 1000} s`);
      await sleep(20);
    }
  } finally { dns.close(); }
}

/** Compares rcode, answer count and A addresses of a sample of the query file on both servers. */
async function compareAnswers(lines: string[], knotPort: number, kdPort: number): Promise<{ compared: number; mismatches: string[] }> {
  const k = new UdpDnsClient('127.0.0.1', knotPort);
  const d = new UdpDnsClient('127.0.0.1', kdPort);
  const mismatches: string[] = [];
  const TYPES: Record<string, number> = { A: 1, SRV: 33 };
  const sample = lines.slice(0, CHECK_SAMPLE);
  try {
    for (const l of sample) {
      const [name, type] = l.split(' ');
      // EDNS0 with 4096 bytes, as dnsperf -e sends: no answer of this cluster needs truncating.
      const a = await k.query(name, TYPES[type], 1000, 4096);
      const b = await d.query(name, TYPES[type], 1000, 4096);
      const show = (r: typeof a) => `rcode ${r.rcode}${r.tc ? ' TC' : ''}, ${r.ancount} answers${r.a.length ? ` [${[...r.a].sort().join(' ')}]` : ''}`;
      if (show(a) !== show(b)) mismatches.push(`${l}: Knot ${show(a)}; kubedisco ${show(b)}`);
    }
  } finally { k.close(); d.close(); }
  return { compared: sample.length, mismatches };
}

async function measure(pid: number, o: { port: number; file: string; seconds: number; rate?: number }): Promise<DnsRun> {
  const cpu0 = cpuSeconds(pid);
  const th0 = threadCpu(pid);
  const busy0 = machineBusySeconds();
  const t0 = performance.now();
  const r: DnsperfResult = await dnsperf({ port: o.port, file: o.file, seconds: o.seconds, clients: DNSPERF_CLIENTS, outstanding: OUTSTANDING, rate: o.rate, verbose: !!o.rate });
  const wall = (performance.now() - t0) / 1000;
  const serverCpuS = cpuSeconds(pid) - cpu0;
  const threads = busyThreads(th0, threadCpu(pid), r.seconds);
  const busy = machineBusySeconds() - busy0;
  const lat = r.latenciesMs ? summarize(r.latenciesMs) : undefined;
  return {
    qps: r.qps, seconds: r.seconds, sent: r.sent, lost: r.lost, rcodes: r.rcodes, respBytes: r.avgResponseBytes,
    serverCpuS, serverCores: serverCpuS / r.seconds, perCoreQps: serverCpuS > 0 ? (r.qps * r.seconds) / serverCpuS : NaN,
    clientCores: r.clientCpuS / r.seconds, otherCores: Math.max(0, (busy - serverCpuS - r.clientCpuS) / wall),
    threads, p50Ms: lat?.p50, p99Ms: lat?.p99, maxMs: lat?.max, avgMs: r.avgLatencyMs,
  };
}

/** One endpoint's readiness flipped through the API, timed until the Service's A answer shows it. */
async function propagation(api: HttpClient, port: number, c: Cluster): Promise<PropagationResult> {
  const dns = new UdpDnsClient('127.0.0.1', port);
  const lat: number[] = [];
  const write: number[] = [];
  const fromAck: number[] = [];
  let missed = 0;
  let queries = 0;
  // 100 endpoints, one per headless Service (endpoint index j % 10), each set not ready, then ready again.
  const targets = c.headless.map((h, j) => ({ h, k: j % ENDPOINTS_PER_HEADLESS }));
  const plan = [...targets.map((t) => ({ ...t, ready: false })), ...targets.map((t) => ({ ...t, ready: true }))].slice(0, FLIPS);
  try {
    for (const { h, k, ready } of plan) {
      const ip = h.endpoints[k].ip;
      const name = `${h.name}.${h.namespace}.svc.${ZONE}`;
      const patch = JSON.stringify([
        { op: 'test', path: `/endpoints/${k}/addresses/0`, value: ip },
        { op: 'replace', path: `/endpoints/${k}/conditions/ready`, value: ready },
        { op: 'replace', path: `/endpoints/${k}/conditions/serving`, value: ready },
      ]);
      const t0 = performance.now();
      let wroteAt = NaN;
      let writeErr: Error | undefined;
      const w = api.expect(200, 'PATCH', `/apis/discovery.k8s.io/v1/namespaces/${h.namespace}/endpointslices/${h.slice}`, patch,
        { 'Content-Type': 'application/json-patch+json' }).then(() => { wroteAt = performance.now(); }, (e: Error) => { writeErr = e; });
      let seen = NaN;
      while (performance.now() - t0 < FLIP_TIMEOUT_MS && !writeErr) {
        queries++;
        const r = await dns.query(name, 1, 200).catch(() => undefined);
        if (r && r.rcode === 0 && r.a.includes(ip) === ready) { seen = performance.now(); break; }
      }
      await w;
      if (writeErr) throw writeErr;
      write.push(wroteAt - t0);
      if (Number.isFinite(seen)) { lat.push(seen - t0); fromAck.push(seen - wroteAt); } else { missed++; lat.push(Infinity); fromAck.push(Infinity); }
      await sleep(5);
    }
  } finally { dns.close(); }
  return { changes: plan.length, missed, latency: summarize(lat), fromAck: summarize(fromAck), write: summarize(write), queriesPerChange: queries / plan.length };
}

export async function runDnsBench(o: { root: string; cpuProfDir?: string }): Promise<DnsResult> {
  const missing = ensureDnsTools();
  if (missing.length) throw new Error(`${missing.join(' and ')} not on PATH; ${DNS_INSTALL_HINT}`);
  const nproc = os.availableParallelism();
  const dir = tempDir(o.root, 'dns-bench-');
  const cluster = generateCluster();
  const objects = kubernetesObjects(cluster);
  const servers: Server[] = [];
  let api: KubediscoServer | undefined;
  let conns: HttpClient[] = [];
  try {
    api = await startKubedisco({ root: o.root });
    servers.push(api);
    conns = clients(api.url, WRITERS);
    const kube = JSON.parse((await conns[0].expect(200, 'GET', '/api/v1/namespaces/default/services/kubernetes')).body);
    const knotPort = await freeDnsPort();
    const data = writeAll(dir, cluster, { port: knotPort, udpWorkers: nproc, extraZoneLines: kubernetesServiceRecords(kube.spec.clusterIP, kube.spec.ports) });
    const lines = readFileSync(data.queries, 'utf8').trim().split('\n');
    const zoneRecords = readFileSync(data.zone, 'utf8').split('\n').filter((l) => / IN /.test(l)).length;
    const readyName = `kubernetes.default.svc.${ZONE}`;

    // kubedisco's DNS server, empty, then loaded.
    let kd: Server | undefined;
    let kdPort = 0;
    let notMeasured: string | undefined;
    let inServer = false;
    let memory: DnsResult['memory'];
    try {
      kdPort = await freeDnsPort();
      kd = await startKubediscoDns({ kubeconfig: api.kubeconfig, port: kdPort, readyName, cpuProfDir: o.cpuProfDir });
      servers.push(kd);
    } catch (e) {
      if (api.dnsPort) {
        // No `kubedisco dns` command yet: measure the DNS component inside the API server's process.
        kd = api;
        kdPort = api.dnsPort;
        inServer = true;
      } else notMeasured = `its DNS server did not start: ${(e as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`;
    }
    const emptyRss = kd ? (await sleep(1500), rssBytes(kd.pid)) : NaN;
    const l0 = performance.now();
    await createAll(conns, objects);
    const loadS = (performance.now() - l0) / 1000;
    let servedS = NaN;
    if (kd) {
      await waitServed(kdPort, cluster);
      servedS = (performance.now() - l0) / 1000;
      await sleep(2000);
      const loadedRss = rssBytes(kd.pid);
      const n = CLUSTERIP_SERVICES + HEADLESS_SERVICES + HEADLESS_SERVICES * ENDPOINTS_PER_HEADLESS;
      memory = { emptyRss, loadedRss, objects: n, perObject: (loadedRss - emptyRss) / n, loadS, servedS };
    }

    const knot = await startKnot({ conf: data.conf, port: knotPort, readyName });
    servers.push(knot);
    const check = kd ? await compareAnswers(lines, knotPort, kdPort) : undefined;

    const knotRes: DnsServerResult = { name: `Knot DNS ${knotVersion()}`, how: `\`knotd -c knot.conf\`, udp-workers ${nproc}, zone file of ${zoneRecords} records`, saturation: [], fixedRuns: [], rssBytes: NaN };
    const kdRes: DnsServerResult | undefined = !kd ? undefined : {
      name: 'kubedisco', saturation: [], fixedRuns: [], rssBytes: NaN,
      how: inServer ? '`kubedisco server --dns-listen 127.0.0.1:0` (DNS inside the API server process: its CPU and memory include the API server\'s)'
        : '`kubedisco dns --kubeconfig K --listen 127.0.0.1:PORT` (its own process; informers on the API server)',
    };
    for (let i = 0; i < SAT_RUNS; i++) {
      knotRes.saturation.push(await measure(knot.pid, { port: knotPort, file: data.queries, seconds: SAT_SECONDS }));
      if (kd && kdRes) kdRes.saturation.push(await measure(kd.pid, { port: kdPort, file: data.queries, seconds: SAT_SECONDS }));
    }
    for (let i = 0; i < FIXED_RUNS; i++) {
      knotRes.fixedRuns.push(await measure(knot.pid, { port: knotPort, file: data.queries, seconds: FIXED_SECONDS, rate: FIXED_RATE }));
      if (kd && kdRes) kdRes.fixedRuns.push(await measure(kd.pid, { port: kdPort, file: data.queries, seconds: FIXED_SECONDS, rate: FIXED_RATE }));
    }
    for (const r of [knotRes, ...(kdRes ? [kdRes] : [])]) r.fixed = medianBy(r.fixedRuns, (x) => x.p99Ms ?? NaN);
    knotRes.rssBytes = rssBytes(knot.pid);
    if (kd && kdRes) kdRes.rssBytes = rssBytes(kd.pid);

    const prop = kd ? await propagation(conns[0], kdPort, cluster) : undefined;

    // The same DNS server with node:dgram instead of the native batched UDP I/O, saturation only.
    let dgramRes: DnsServerResult | undefined;
    if (kd && !inServer) {
      const port = await freeDnsPort();
      const kd2 = await startKubediscoDns({ kubeconfig: api.kubeconfig, port, readyName, args: ['--udp-io', 'dgram'] });
      servers.push(kd2);
      await waitServed(port, cluster);
      dgramRes = { name: 'kubedisco, node:dgram', how: '`kubedisco dns ... --udp-io dgram`', saturation: [], fixedRuns: [], rssBytes: NaN };
      for (let i = 0; i < SAT_RUNS; i++) dgramRes.saturation.push(await measure(kd2.pid, { port, file: data.queries, seconds: SAT_SECONDS }));
      await kd2.stop();
    }

    // Memory slope: grow the cluster to ×10 (the same namespaces) and read the RSS again once it is served.
    if (kd && memory) {
      const big = generateCluster(SCALE);
      const have = new Set(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
      const extra = kubernetesObjects(big).filter((o) => !have.has(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
      const beforeRss = rssBytes(kd.pid);
      const g0 = performance.now();
      await createAll(conns, extra);
      await waitServed(kdPort, big);
      const loadS = (performance.now() - g0) / 1000;
      await sleep(2000);
      const rss = rssBytes(kd.pid);
      const objectsBig = big.clusterIP.length + big.headless.length * (1 + ENDPOINTS_PER_HEADLESS);
      memory.scale = { beforeRss, rss, objects: objectsBig, slope: (rss - beforeRss) / (objectsBig - memory.objects), loadS };
    }
    return {
      knotVersion: knotVersion() ?? '?', dnsperfVersion: dnsperfVersion() ?? '?', nproc,
      services: CLUSTERIP_SERVICES, headless: HEADLESS_SERVICES, endpoints: HEADLESS_SERVICES * ENDPOINTS_PER_HEADLESS,
      queryLines: lines.length, zoneRecords, mix: MIX, knot: knotRes, kubedisco: kdRes, kubediscoNotMeasured: notMeasured,
      memory, dgram: dgramRes, check, propagation: prop, satSeconds: SAT_SECONDS, fixedSeconds: FIXED_SECONDS, fixedRuns: FIXED_RUNS, clients: DNSPERF_CLIENTS, outstanding: OUTSTANDING,
    };
  } finally {
    closeAll(conns);
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

