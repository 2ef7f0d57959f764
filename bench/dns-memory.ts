// Heap cost of the cluster DNS's view of the cluster: one `watchCluster` (informers → ClusterView, what the
// one DNS thread holding the view keeps) per Service + endpoint, measured against a real kubedisco API.
//
//   node bench/dns-memory.ts [--scales 1,10] [--json]
//   (re-executes itself with --expose-gc; each measurement of each scale runs in a fresh process of its own)
//
// Per scale: starts `kubedisco server --storage memory --controllers '' --nodes 0 --api-listen 127.0.0.1:0
// --dns-listen 127.0.0.1:0` as a child process (own temp data dir, stopped by PID), creates the benchmark
// cluster through its API (bench/dns-data.ts objects, 16 keep-alive connections, kind by kind) — ×1: 1,000
// ClusterIP Services + 100 headless Services × one 10-endpoint slice in 10 namespaces (generateCluster());
// ×10: 10,000 + 1,000 × 10 in the same 10 namespaces — then, first thing in that process, one of (each
// measurement in a process of its own, so each includes compiling its code: a constant the slope cancels):
//  2. E = heap growth of a watchCluster whose label selector matches nothing (Namespaces only, no Service or
//     EndpointSlice): the empty baseline, with all its fixed costs (informers, connections, empty view);
//  3. L = heap growth of a watchCluster of the whole cluster, measured once it has synced and every object is
//     in the view: informer caches + ClusterView;
//     With it, 4. resolution speed on that view: the benchmark query mix (bench/dns-data.ts queries()), uncached
//     (resolveUncached) and cached (resolve): answers per CPU-second, median of 5 runs of 0.2 s, one thread;
//  5. the ClusterView's share (a rough breakdown): the heap growth of a fresh ClusterView fed the objects as the informers store
//     them (stripped), those objects being held already.
// Heap = heapUsed + external + arrayBuffers once gc() has settled (see heap()). Reported: bytes per Service+endpoint
// (L − E) / N, N = the view's services + endpoints (×1: 2,100 + the `kubernetes` Service and its endpoint),
// and across scales the slope (L₁₀ − L₁) / (N₁₀ − N₁), which cancels every per-process constant.

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, tempDir } from './lib/servers.ts';
import { clients, closeAll } from './lib/http.ts';
import { generateCluster, kubernetesObjects, queries, NAMESPACES, ENDPOINTS_PER_HEADLESS, type Cluster, type HeadlessService, type KObject } from './dns-data.ts';
import { RestClient } from '../src/client/rest.ts';
import { configForServer } from '../src/client/kubeconfig.ts';
import { findResource } from '../src/api/resources.ts';
import { watchCluster, type ClusterWatch, type WatchConfig } from '../src/dns/kubernetes/watch.ts';
import { ClusterView } from '../src/dns/kubernetes/view.ts';
import { newStrippers, stripperFor } from '../src/dns/kubernetes/strip.ts';
import { defaultDnsConfig, resolve, resolveUncached } from '../src/dns/kubernetes/resolve.ts';
import { CLASS_IN, TYPE } from '../src/dns/message.ts';

const START_TIMEOUT_MS = 30_000;
const SYNC_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The heap once garbage collection has settled: gc() until two readings, an event-loop turn apart, differ by
 * less than 4 KiB (at most 20 rounds). A single gc() pass can leave the previous watch's structures (held
 * by settling promises and sockets until their callbacks ran) to be freed during the next measurement,
 * which then came out too small: 193 B per object at ×10 where a cold single watch measures ~470 B.
 */
async function heap(gcNow: () => void): Promise<number> {
  let last = NaN;
  for (let i = 0; i < 20; i++) {
    gcNow(); gcNow();
    await sleep(20);
    const u = process.memoryUsage();
    const v = u.heapUsed + u.external + u.arrayBuffers;
    if (Math.abs(v - last) < 4096) return v;
    last = v;
  }
  return last;
}

interface Api { url: string; stop(): Promise<void> }

async function startApi(): Promise<Api> {
  const dataDir = tempDir(tmpdir(), 'kubedisco-dnsmem-');
  const proc: ChildProcess = spawn(process.execPath, [join(ROOT, 'src/cmd/main.ts'), 'server', '--storage', 'memory', '--data-dir', dataDir,
    '--controllers', '', '--nodes', '0', '--api-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0'], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c) => { err = (err + c).slice(-16_384); });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = '';
      const t = setTimeout(() => rej(new Error(`kubedisco server not ready in ${START_TIMEOUT_MS / 1000} s: ${err}`)), START_TIMEOUT_MS);
      proc.stdout!.on('data', (c) => {
        out += c;
        const m = /^kubedisco ready: api (http:\/\/\S+)/m.exec(out);
        if (m) { clearTimeout(t); res(m[1]!); }
      });
      proc.once('exit', (code) => { clearTimeout(t); rej(new Error(`kubedisco server exited (${code}): ${err}`)); });
    });
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Creates the cluster's objects through the API, kind by kind (Namespaces first), over 16 keep-alive
 * connections. The objects live only in this frame (a caller's frame would keep them until overwritten).
 */
async function createAll(url: string, c: Cluster): Promise<void> {
  const objs = kubernetesObjects(c);
  const conns = clients(url, 16);
  const path = (o: KObject): string => {
    const ns = o.metadata.namespace as string;
    if (o.kind === 'Namespace') return '/api/v1/namespaces';
    if (o.kind === 'Service') return `/api/v1/namespaces/${ns}/services`;
    return `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
  };
  try {
    for (const kind of ['Namespace', 'Service', 'EndpointSlice']) {
      const batch = objs.filter((o) => o.kind === kind);
      let next = 0;
      await Promise.all(conns.map(async (c) => {
        for (let i = next++; i < batch.length; i = next++) await c.expect(201, 'POST', path(batch[i]!), JSON.stringify(batch[i]));
      }));
    }
  } finally {
    closeAll(conns);
  }
}

/** Service + endpoint count the view holds. */
function names(w: ClusterWatch): number {
  const s = w.view.stats();
  return s.services + s.endpoints;
}

interface Measured { bytes: number; w: ClusterWatch; stop(): Promise<void> }

/**
 * Heap growth of one watchCluster over a RestClient of its own, measured once `until` holds; the watch keeps
 * running until stop(), which also closes the client.
 */
async function measureWatch(url: string, gcNow: () => void, config: WatchConfig, until: (w: ClusterWatch) => boolean): Promise<Measured> {
  const before = await heap(gcNow);
  const rest = new RestClient(configForServer(url));
  const w = watchCluster(rest, config);
  const stop = async () => { await w.stop(); rest.close(); };
  try {
    if (!(await w.ready({ timeoutMs: SYNC_TIMEOUT_MS }))) throw new Error('watchCluster did not sync');
    for (let i = 0; i < 600 && !until(w); i++) await sleep(100);
    if (!until(w)) throw new Error(`the view did not reach the expected size: ${JSON.stringify(w.view.stats())}`);
    await sleep(300); // the watches are open and idle
    return { bytes: await heap(gcNow) - before, w, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * The ClusterView's share: the heap growth of a fresh view fed the objects as the informers store them
 * (stripped), those objects being held already (as the informer caches hold them).
 */
async function measureViewAlone(url: string, gcNow: () => void): Promise<number> {
  const rest = new RestClient(configForServer(url));
  const strippers = newStrippers();
  const lists: Array<{ kind: string; items: KObject[] }> = [];
  try {
    for (const [g, v, p, kind] of [['', 'v1', 'namespaces', 'Namespace'], ['', 'v1', 'services', 'Service'], ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice']] as const) {
      const list = await rest.resource(findResource(g, v, p)!).list({});
      const strip = stripperFor(strippers, kind)!;
      lists.push({ kind, items: (list.items as unknown as KObject[]).map((o) => strip(o as never) as unknown as KObject) });
    }
  } finally {
    rest.close();
  }
  const before = await heap(gcNow);
  const view = new ClusterView();
  for (const l of lists) for (const o of l.items) view.apply('ADDED', o as never, l.kind);
  const bytes = await heap(gcNow) - before;
  if (view.stats().services === 0 || lists.length !== 3) throw new Error('no objects');
  return bytes;
}

function resolveSpeed(view: ClusterView, qs: string[]): { uncached: number; cached: number } {
  const cfg = defaultDnsConfig();
  const parsed = qs.map((l) => { const [name, type] = l.split(' '); return { name: name!, type: TYPE[type as keyof typeof TYPE], class: CLASS_IN }; });
  const run = (f: (i: number) => unknown): number => {
    for (let i = 0; i < parsed.length; i++) f(i); // warm-up
    const rates: number[] = [];
    for (let r = 0; r < 5; r++) {
      let n = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      while (performance.now() - t0 < 200 && n < 50_000_000) for (let i = 0; i < parsed.length; i++, n++) f(i);
      const c = process.cpuUsage(c0);
      rates.push(n / ((c.user + c.system) / 1e6));
    }
    return rates.sort((a, b) => a - b)[2]!;
  };
  const uncached = run((i) => resolveUncached(parsed[i]!, view, cfg));
  const cached = run((i) => resolve(parsed[i]!, view, cfg));
  return { uncached, cached };
}

interface ScaleResult { scale: number; n: number; emptyBytes: number; loadedBytes: number; perObject: number; viewAlonePerObject: number; uncachedQps: number; cachedQps: number }

/** A label no object has: a watch selecting it holds no Service or EndpointSlice (the empty baseline). */
const NOTHING = 'kubedisco.bench/dns-memory=none';

const collected = new FinalizationRegistry<() => void>((done) => done());

/**
 * One measured watch, run to completion, then waited for until it is garbage: a stopped watch can stay
 * reachable for a while (a suspended async frame's registers; the aborted watch request's error, whose
 * captured stack trace holds the watch through its receivers until Node releases the response), and would
 * otherwise be freed in the middle of the next measurement. Bounded: 20 s.
 */
async function watchOnce(url: string, gcNow: () => void, config: WatchConfig, until: (w: ClusterWatch) => boolean,
  use: (w: ClusterWatch) => unknown = () => undefined): Promise<{ bytes: number; names: number; used: unknown }> {
  let gone = false;
  const r = await measureOnce(url, gcNow, config, until, use, () => { gone = true; });
  const t0 = Date.now();
  while (!gone && Date.now() - t0 < 20_000) { gcNow(); await sleep(50); }
  if (!gone) throw new Error('a stopped watchCluster is still reachable 20 s later');
  return r;
}

async function measureOnce(url: string, gcNow: () => void, config: WatchConfig, until: (w: ClusterWatch) => boolean,
  use: (w: ClusterWatch) => unknown, onCollected: () => void): Promise<{ bytes: number; names: number; used: unknown }> {
  const m = await measureWatch(url, gcNow, config, until);
  collected.register(m.w.view, onCollected);
  try {
    return { bytes: m.bytes, names: names(m.w), used: use(m.w) };
  } finally {
    await m.stop();
  }
}

type Part = 'empty' | 'loaded' | 'view';
interface PartResult { bytes: number; n: number; uncachedQps?: number; cachedQps?: number }

/**
 * One measurement of one scale, alone in its process: a stopped watch stays reachable for a while (see
 * watchOnce) and was freed in the middle of the next measurement in the same process, which then came out
 * too small (≈190 B per object at ×10 against ≈470 B for the same watch measured first). So each of E, L and
 * the view's share runs first thing in a fresh process, against its own API server and cluster.
 */
async function runPart(scale: number, part: Part, gcNow: () => void): Promise<PartResult> {
  const api = await startApi();
  try {
    const c = generateCluster(scale);
    await createAll(api.url, c);
    // + the `kubernetes` Service and its one endpoint, which the API server creates by itself.
    const expected = c.clusterIP.length + c.headless.length + c.headless.length * ENDPOINTS_PER_HEADLESS + 2;
    if (part === 'empty') {
      const empty = await watchOnce(api.url, gcNow, { labels: NOTHING }, (w) => w.view.stats().namespaces > 0);
      if (empty.names !== 0) throw new Error(`the empty baseline holds ${empty.names} services+endpoints`);
      return { bytes: empty.bytes, n: 0 };
    }
    if (part === 'view') return { bytes: await measureViewAlone(api.url, gcNow), n: expected };
    const loaded = await watchOnce(api.url, gcNow, {}, (w) => names(w) >= expected, (w) => resolveSpeed(w.view, queries(c)));
    if (loaded.names !== expected) throw new Error(`the view holds ${loaded.names} services+endpoints, expected ${expected}`);
    const speed = loaded.used as { uncached: number; cached: number };
    return { bytes: loaded.bytes, n: loaded.names, uncachedQps: speed.uncached, cachedQps: speed.cached };
  } finally {
    await api.stop();
  }
}

async function runScale(scale: number): Promise<ScaleResult> {
  const empty = await runChild(scale, 'empty');
  const loaded = await runChild(scale, 'loaded');
  const view = await runChild(scale, 'view');
  return {
    scale, n: loaded.n, emptyBytes: empty.bytes, loadedBytes: loaded.bytes, perObject: (loaded.bytes - empty.bytes) / loaded.n,
    viewAlonePerObject: view.bytes / view.n, uncachedQps: loaded.uncachedQps ?? NaN, cachedQps: loaded.cachedQps ?? NaN,
  };
}

function report(r: ScaleResult): string {
  return `×${r.scale}: ${r.n} Services+endpoints; watchCluster heap: empty cluster ${(r.emptyBytes / 1024).toFixed(0)} KiB, loaded ${(r.loadedBytes / 1024).toFixed(0)} KiB → ` +
    `${r.perObject.toFixed(0)} B per Service+endpoint (of which ClusterView ${r.viewAlonePerObject.toFixed(0)} B); ` +
    `resolve ${(r.uncachedQps / 1e6).toFixed(2)} M/s uncached, ${(r.cachedQps / 1e6).toFixed(2)} M/s cached\n`;
}

/** Runs one measurement in a fresh process (so none inherits another's compiled code or garbage). */
function runChild(scale: number, part: Part): Promise<PartResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--child', String(scale), part], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c) => { out += c; });
    child.once('exit', (code) => {
      if (code !== 0) { rej(new Error(`scale ${scale} ${part}: exit code ${code}`)); return; }
      try { res(JSON.parse(out) as PartResult); } catch (e) { rej(e); }
    });
  });
}

async function main(gcNow: () => void): Promise<void> {
  const args = process.argv.slice(2);
  const child = args.indexOf('--child');
  if (child >= 0) {
    process.stdout.write(JSON.stringify(await runPart(Number(args[child + 1]), args[child + 2] as Part, gcNow)));
    return;
  }
  const i = args.indexOf('--scales');
  const scales = (i >= 0 ? args[i + 1]! : '1,10').split(',').map(Number);
  const json = args.includes('--json');
  const results: ScaleResult[] = [];
  for (const scale of scales) {
    const r = await runScale(scale);
    results.push(r);
    if (!json) process.stdout.write(report(r));
  }
  const first = results[0]!, last = results[results.length - 1]!;
  const slope = results.length >= 2 ? (last.loadedBytes - first.loadedBytes) / (last.n - first.n) : undefined;
  if (json) process.stdout.write(`${JSON.stringify({ results, slopeBytesPerObject: slope }, null, 2)}\n`);
  else if (slope !== undefined) process.stdout.write(`slope ×${first.scale}→×${last.scale}: ${slope.toFixed(0)} B per Service+endpoint (goal ≤ 600)\n`);
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.once('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
} else {
  await main(gc);
}
