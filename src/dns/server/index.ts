// The DNS servers of the component. The main thread holds the resolver (one cluster view per process) and
// serves UDP and TCP; `workers-1` worker threads serve UDP on the same port (reusePort), each answering from
// its own reply cache and asking the main thread for anything else (see README "Threads"). Aggregates
// readiness and metrics over the threads.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Server } from 'node:net';
import { createResolver, type ResolverSpec } from './resolver-spec.ts';
import { loadCodec } from './codec.ts';
import { DnsMetrics, emptySnapshot, mergeSnapshots, renderMetrics, type MetricsSnapshot } from './metrics.ts';
import { Forwarder, upstreamLookup } from './forward.ts';
import { decide, listenTcp, settle, type Responder, type TcpLimits } from './serve.ts';
import { answerVersion, cachedHit, handlePacket, ReplyCache, type HandlerContext } from './handler.ts';
import { listenUdpWith, resolveUdpIo, type UdpIo, type UdpListener } from './udp.ts';
import type { MainMessage, WorkerData, WorkerMessage } from './worker.ts';
import { log } from '../../util/log.ts';

export interface DnsServerOptions {
  listen: { host: string; port: number };
  resolver: ResolverSpec;
  /** Codec module URL (default: src/dns/wire). */
  codecModule?: string;
  upstream?: { host: string; port: number; timeoutMs?: number };
  /** UDP serving threads including the main one (default: the number of cores, min 1). */
  workers?: number;
  /** §1.7 startup_timeout: after this, serve NXDOMAIN even if not synced (default 5 s). */
  startupTimeoutMs?: number;
  tcp?: TcpLimits;
  /** UDP I/O: native recvmmsg/sendmmsg batches or node:dgram (default auto: native when built). */
  udpIo?: UdpIo;
}

export interface RunningDnsServer {
  host: string;
  port: number;
  workers: number;
  /** The UDP I/O in use, and why not native when it is dgram. */
  udpIo: 'native' | 'dgram';
  udpIoWhy?: string;
  ready(): boolean;
  renderMetrics(): string;
  stop(): Promise<void>;
}

interface WorkerState { worker: Worker; metrics: MetricsSnapshot }

export async function startDnsServers(opts: DnsServerOptions): Promise<RunningDnsServer> {
  const threads = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  const startupTimeoutMs = opts.startupTimeoutMs ?? 5000;
  const startedAt = performance.now();
  // §1.7: past the startup timeout, NXDOMAIN is served even unsynced. A flag set by one timer (then published),
  // not a clock compared per query, so every thread flips together.
  let timedOut = false;
  const { io, why } = resolveUdpIo(opts.udpIo);
  const resolver = await createResolver(opts.resolver);
  const codec = await loadCodec(opts.codecModule);
  const metrics = new DnsMetrics();
  const forwarder = opts.upstream ? new Forwarder(opts.upstream) : undefined;
  const ctx: HandlerContext = {
    resolver, codec, forwarding: !!forwarder, cache: new ReplyCache(), upstreamLookup: forwarder && upstreamLookup(forwarder, codec),
    synced: () => resolver.ready() || timedOut,
  };
  ctx.cacheVersion = () => answerVersion(ctx);
  const r: Responder = {
    metrics, forwarder, decide: (buf, transport) => handlePacket(buf, transport, ctx),
    cached: (buf, transport) => cachedHit(buf, transport, ctx),
  };

  // The answer version, published for worker threads' caches whenever it may have moved: on resolver changes
  // and when the server's own startup timeout passes. Without onChange the workers do not cache.
  const version = new SharedArrayBuffer(4);
  const shared = new Int32Array(version);
  const publish = (): void => { Atomics.store(shared, 0, answerVersion(ctx)); };
  const cacheable = !!(resolver.version && resolver.onChange);
  resolver.onChange?.(publish);
  const syncTimer = setTimeout(() => { timedOut = true; publish(); }, Math.max(0, startedAt + startupTimeoutMs - performance.now()));
  syncTimer.unref();
  publish();

  const { host } = opts.listen;
  let udp: UdpListener | undefined;
  let tcp: Server | undefined;
  const workers: WorkerState[] = [];
  let stopping: Promise<void> | undefined;
  const cleanup = async (): Promise<void> => {
    clearTimeout(syncTimer);
    await Promise.all(workers.map((w) => stopWorker(w.worker)));
    await udp?.close();
    if (tcp) await new Promise<void>((res) => tcp!.close(() => res()));
    forwarder?.close();
    await resolver.stop?.();
  };
  try {
    // Port 0: UDP picks the port, TCP takes the same number (retried if that number is taken for TCP).
    for (let attempt = 0; ; attempt++) {
      udp = await listenUdpWith(io, r, host, opts.listen.port, threads > 1);
      try {
        tcp = await listenTcp(r, host, udp.port, opts.tcp);
        break;
      } catch (e) {
        await udp.close();
        udp = undefined;
        if (opts.listen.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    for (let i = 1; i < threads; i++) {
      const data: WorkerData = { host, port: udp.port, io, version, cacheable };
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: data });
      const st: WorkerState = { worker, metrics: emptySnapshot() };
      workers.push(st);
      await new Promise<void>((res, rej) => {
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'listening') res();
          else if (m.kind === 'error') rej(new Error(`dns worker ${i}: ${m.message}`));
          else if (m.kind === 'status') st.metrics = m.metrics;
          else if (m.kind === 'query') answerForWorker(worker, m.id, m.bytes, m.transport);
        });
        worker.once('error', rej);
        worker.once('exit', (code) => {
          rej(new Error(`dns worker ${i} exited with ${code}`));
          // After start: its socket is gone and the kernel spreads its clients over the other threads.
          if (!stopping) log('warn', 'dns', 'worker thread exited; the other threads serve its share of UDP', { worker: i, code });
        });
      });
    }
  } catch (e) {
    await cleanup();
    throw e;
  }

  /** A worker's question: the same request path as the main thread's own packets; the worker counts it. */
  function answerForWorker(worker: Worker, id: number, bytes: Uint8Array, transport: 'udp' | 'tcp'): void {
    void settle(r, decide(r, bytes, transport), bytes).then((reply) => {
      // The version as the Int32 slot holds it (it wraps after 2^31), so the worker's comparison holds forever.
      const cacheVersion = reply?.cacheVersion === undefined ? undefined : reply.cacheVersion | 0;
      const msg: MainMessage = { kind: 'answer', id, reply: reply && { bytes: reply.bytes, rcode: reply.rcode, qtype: reply.qtype, cacheVersion } };
      worker.postMessage(msg);
    });
  }

  return {
    host,
    port: udp.port,
    workers: threads,
    udpIo: io,
    udpIoWhy: why,
    ready: () => resolver.ready(),
    renderMetrics: () => renderMetrics(mergeSnapshots([metrics.snap, ...workers.map((w) => w.metrics)]), resolver.names?.() ?? 0),
    stop() { stopping ??= cleanup(); return stopping; },
  };
}

function stopWorker(w: Worker): Promise<void> {
  return new Promise((res) => {
    const timer = setTimeout(() => { void w.terminate().then(() => res()); }, 3000);
    w.once('exit', () => { clearTimeout(timer); res(); });
    w.on('message', (m: WorkerMessage) => { if (m.kind === 'stopped') void w.terminate(); });
    w.postMessage({ kind: 'stop' } satisfies MainMessage);
  });
}
