// Watch fan-out: 100 HTTP watchers on the ConfigMaps of one namespace (?watch=true&resourceVersion=<list
// RV>) while a paced writer creates 1,000 ConfigMaps/s for ~5 s over 16 keep-alive connections. Every
// watcher must receive every acknowledged create exactly once, as ADDED, in resourceVersion order; if
// one does not, the benchmark throws. Reports delivery latency (write sent → receipt, and write
// acknowledged → receipt) and server CPU. Run alone: node bench/run.ts --only watch

import { clients, closeAll, type HttpClient } from './lib/http.ts';
import { openWatch } from './lib/watch.ts';
import { cpuSeconds, machineBusySeconds } from './lib/cpu.ts';
import { startKubedisco } from './lib/servers.ts';
import { summarize, type Summary } from './lib/stats.ts';

export interface WatchResult {
  watchers: number;
  targetRate: number;
  seconds: number;
  events: number;
  writeRate: number;
  deliveries: number;
  deliveriesPerSec: number;
  sentToReceipt: Summary;
  ackToReceipt: Summary;
  /** Share of deliveries a watcher read before the writer read the write's 201. */
  beforeAck: number;
  writeLatency: Summary;
  serverCpuS: number;
  clientCpuS: number;
  /** Machine busy time not spent by the server or this process (noise). */
  otherCpuS: number;
  bytesPerWatcher: number;
}

const NS = 'watch-bench';
const WRITERS = 16;
const DRAIN_TIMEOUT_MS = 20_000;

interface Received { type: string; name: string; rv: string; t: number }

interface Stream { got: Received[]; readonly bytes: number; readonly error?: string; close(): void }

/** One watch request on its own connection (lib/watch.ts), collecting every event; resolves at the 200 headers. */
async function openCollecting(base: string, path: string): Promise<Stream> {
  const got: Received[] = [];
  const w = await openWatch(base, path, (ev, t) => {
    got.push({ type: ev.type, name: ev.object?.metadata?.name ?? '', rv: ev.object?.metadata?.resourceVersion ?? '', t });
  });
  return { got, get bytes() { return w.bytes; }, get error() { return w.error; }, close: () => w.close() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Describes how `got` differs from `want` (names in RV order), or '' when it is identical. */
function difference(got: Received[], want: Array<{ name: string; rv: string }>): string {
  const seen = new Map<string, number>();
  for (const g of got) seen.set(g.name, (seen.get(g.name) ?? 0) + 1);
  const missing = want.filter((w) => !seen.has(w.name)).length;
  const dups = [...seen.values()].filter((n) => n > 1).length;
  const wrongType = got.filter((g) => g.type !== 'ADDED').length;
  for (let k = 0; k < Math.max(got.length, want.length); k++) {
    const g = got[k], w = want[k];
    if (!g || !w || g.name !== w.name || g.rv !== w.rv || g.type !== 'ADDED') {
      return `got ${got.length} events, want ${want.length}: ${missing} missing, ${dups} duplicated, ${wrongType} not ADDED; ` +
        `first difference at #${k}: got ${g ? `${g.type} ${g.name}@${g.rv}` : 'nothing'}, want ${w ? `ADDED ${w.name}@${w.rv}` : 'nothing'}`;
    }
  }
  return '';
}

export async function runWatchBench(o: { root: string; watchers?: number; rate?: number; seconds?: number; cpuProfDir?: string }): Promise<WatchResult> {
  const nWatchers = o.watchers ?? 100;
  const rate = o.rate ?? 1000;
  const seconds = o.seconds ?? 5;
  const total = Math.round(rate * seconds);
  const kd = await startKubedisco({ root: o.root, cpuProfDir: o.cpuProfDir });
  const conns: HttpClient[] = clients(kd.url, WRITERS);
  const streams: Stream[] = [];
  try {
    await conns[0].expect(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
    const list = JSON.parse((await conns[0].expect(200, 'GET', `/api/v1/namespaces/${NS}/configmaps`)).body);
    const rv: string = list.metadata.resourceVersion;
    const path = `/api/v1/namespaces/${NS}/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=300`;
    for (let i = 0; i < nWatchers; i++) streams.push(await openCollecting(kd.url, path));

    const sent = new Float64Array(total);
    const acked = new Float64Array(total);
    const rvs: string[] = new Array(total);
    const writeLat: number[] = [];
    let next = 0;
    const cpu0 = cpuSeconds(kd.pid);
    const client0 = process.cpuUsage();
    const busy0 = machineBusySeconds();
    const t0 = performance.now();
    const stopIssuingAt = t0 + seconds * 1000 * 3; // a slow server ends the run early rather than late
    await Promise.all(conns.map(async (c) => {
      for (;;) {
        const i = next++;
        if (i >= total || performance.now() > stopIssuingAt) return;
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0.5) await sleep(wait);
        sent[i] = performance.now();
        const r = await c.expect(201, 'POST', `/api/v1/namespaces/${NS}/configmaps`, JSON.stringify({
          apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `ev-${i}`, namespace: NS }, data: { seq: String(i) },
        }));
        acked[i] = performance.now();
        writeLat.push(acked[i] - sent[i]);
        rvs[i] = JSON.parse(r.body).metadata.resourceVersion;
      }
    }));
    const writeSeconds = (performance.now() - t0) / 1000;
    // Every acknowledged create, in the order the server committed them.
    const want: Array<{ name: string; rv: string }> = [];
    rvs.forEach((rv, i) => want.push({ name: `ev-${i}`, rv }));
    want.sort((a, b) => Number(a.rv) - Number(b.rv));
    const written = want.length;

    const drainUntil = performance.now() + DRAIN_TIMEOUT_MS;
    while (performance.now() < drainUntil && streams.some((s) => s.got.length < written && !s.error)) await sleep(20);
    const deliverSeconds = (performance.now() - t0) / 1000;
    const serverCpuS = cpuSeconds(kd.pid) - cpu0;
    const cu = process.cpuUsage(client0);
    const clientCpuS = (cu.user + cu.system) / 1e6;
    const otherCpuS = Math.max(0, machineBusySeconds() - busy0 - serverCpuS - clientCpuS);
    await sleep(100); // anything after the last expected event (a duplicate) shows up now

    const failures: string[] = [];
    streams.forEach((s, k) => {
      const d = difference(s.got, want);
      if (d || s.error) failures.push(`watcher ${k}: ${d || 'all events'}${s.error ? ` (stream: ${s.error})` : ''}`);
    });
    if (failures.length) {
      throw new Error(`watch fan-out LOST, DUPLICATED OR REORDERED EVENTS at ${failures.length} of ${nWatchers} watchers:\n  ${failures.slice(0, 10).join('\n  ')}`);
    }

    const fromSent: number[] = [];
    const fromAck: number[] = [];
    for (const s of streams) {
      for (const g of s.got) {
        const i = Number(g.name.slice(3));
        fromSent.push(g.t - sent[i]);
        fromAck.push(g.t - acked[i]);
      }
    }
    return {
      watchers: nWatchers, targetRate: rate, seconds: writeSeconds, events: written, writeRate: written / writeSeconds,
      deliveries: fromSent.length, deliveriesPerSec: fromSent.length / deliverSeconds,
      sentToReceipt: summarize(fromSent), ackToReceipt: summarize(fromAck), writeLatency: summarize(writeLat),
      beforeAck: fromAck.filter((x) => x < 0).length / fromAck.length,
      serverCpuS, clientCpuS, otherCpuS,
      bytesPerWatcher: Math.round(streams.reduce((a, s) => a + s.bytes, 0) / streams.length),
    };
  } finally {
    for (const s of streams) s.close();
    closeAll(conns);
    await kd.stop();
  }
}
