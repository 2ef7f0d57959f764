// A UDP serving thread. It holds no resolver: it answers from its own reply cache, valid while the version
// the resolver's thread publishes (a SharedArrayBuffer slot) is unchanged, and asks the resolver's thread
// for everything else over its message port. So the cluster view exists once per process (memory), while
// every thread serves the hot path (cores). Reports metric snapshots to the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { DnsMetrics } from './metrics.ts';
import { cachedHit, cachedReply, precheck, ReplyCache, type Outcome, type Settled } from './handler.ts';
import type { Responder } from './serve.ts';
import { listenUdpWith, type UdpListener } from './udp.ts';
import type { Transport } from './types.ts';

export interface WorkerData {
  host: string;
  port: number;
  io: 'native' | 'dgram';
  /** Int32 slot 0: the answer version of the resolver's thread (handler.ts answerVersion). */
  version: SharedArrayBuffer;
  /** The resolver publishes versions (Resolver.onChange): replies may be cached here. */
  cacheable: boolean;
}

/** Worker → main. */
export type WorkerMessage =
  | { kind: 'listening' }
  | { kind: 'status'; metrics: DnsMetrics['snap'] }
  | { kind: 'query'; id: number; bytes: Uint8Array; transport: Transport }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

/** Main → worker. */
export type MainMessage =
  | { kind: 'answer'; id: number; reply?: Settled }
  | { kind: 'status' }
  | { kind: 'stop' };

/** Questions waiting for the resolver's thread at most; beyond, packets are dropped (the client retries). */
const MAX_IN_FLIGHT = 10_000;
/** An unanswered question is given up after this (the main thread's own upstream timeout is 2 s). */
const ASK_TIMEOUT_MS = 5_000;

const d = workerData as WorkerData;
const port = parentPort!;

try {
  const metrics = new DnsMetrics();
  const shared = new Int32Array(d.version);
  const cache = new ReplyCache();
  const cacheCtx = { cache, cacheVersion: () => Atomics.load(shared, 0) };
  const waiting = new Map<number, { done(r: Settled | undefined): void; at: number }>();
  let nextId = 0;
  const ask = (bytes: Uint8Array, transport: Transport): Promise<Settled | undefined> => new Promise((done) => {
    if (waiting.size >= MAX_IN_FLIGHT) { done(undefined); return; }
    const id = ++nextId;
    waiting.set(id, { done, at: performance.now() });
    port.postMessage({ kind: 'query', id, bytes, transport } satisfies WorkerMessage);
  });
  const decideHere = (buf: Uint8Array, transport: Transport): Outcome => {
    const early = precheck(buf, transport);
    if (early) return early;
    const c = d.cacheable ? cachedReply(buf, transport, cacheCtx) : { kind: 'miss' as const, version: 0 };
    if (c.kind !== 'miss') return c;
    // A copy: a view into the batch buffer would clone the whole buffer, and the slot is reused.
    const query = buf.slice();
    const reply = ask(query, transport).then((res) => {
      // Cached only if computed at the version still current (a reply from before a change is not kept).
      if (res && c.key !== undefined && res.cacheVersion !== undefined && res.cacheVersion === Atomics.load(shared, 0) && res.qtype !== undefined) {
        cache.set(query, c.key, res.cacheVersion, { bytes: res.bytes, qtype: res.qtype, rcode: res.rcode });
      }
      return res;
    });
    return { kind: 'pending', qtype: undefined, reply };
  };
  const r: Responder = { metrics, decide: decideHere, cached: d.cacheable ? (buf, transport) => cachedHit(buf, transport, cacheCtx) : undefined };
  const sock: UdpListener = await listenUdpWith(d.io, r, d.host, d.port, true);
  const status = (): void => port.postMessage({ kind: 'status', metrics: metrics.snap } satisfies WorkerMessage);
  const timer = setInterval(() => {
    status();
    const old = performance.now() - ASK_TIMEOUT_MS;
    for (const [id, w] of waiting) if (w.at < old) { waiting.delete(id); w.done(undefined); }
  }, 250);
  port.postMessage({ kind: 'listening' } satisfies WorkerMessage);
  status();
  port.on('message', async (m: MainMessage) => {
    if (m.kind === 'answer') {
      const w = waiting.get(m.id);
      if (w) { waiting.delete(m.id); w.done(m.reply); }
      return;
    }
    if (m.kind === 'status') { status(); return; }
    clearInterval(timer);
    status();
    await sock.close();
    for (const w of waiting.values()) w.done(undefined);
    waiting.clear();
    port.postMessage({ kind: 'stopped' } satisfies WorkerMessage);
    port.close();
  });
} catch (e) {
  port.postMessage({ kind: 'error', message: (e as Error).message } satisfies WorkerMessage);
}
