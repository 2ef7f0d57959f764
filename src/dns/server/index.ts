// The DNS servers of the component: UDP on every thread (main + workers-1 worker threads, all bound to
// one port with reusePort), TCP on the main thread, each thread with its own resolver built from the
// same ResolverSpec (see README "Threads"). Aggregates readiness and metrics over the threads.

import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { Socket as UdpSocket } from 'node:dgram';
import type { Server } from 'node:net';
import { createResolver, type ResolverSpec } from './resolver-spec.ts';
import { loadCodec } from './codec.ts';
import { DnsMetrics, emptySnapshot, mergeSnapshots, renderMetrics, type MetricsSnapshot } from './metrics.ts';
import { Forwarder, upstreamLookup } from './forward.ts';
import { listenTcp, listenUdp, type Responder, type TcpLimits } from './serve.ts';
import { ReplyCache } from './handler.ts';
import type { WorkerData, WorkerMessage } from './worker.ts';

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
}

export interface RunningDnsServer {
  host: string;
  port: number;
  workers: number;
  ready(): boolean;
  renderMetrics(): string;
  stop(): Promise<void>;
}

interface WorkerState { worker: Worker; ready: boolean; names: number; metrics: MetricsSnapshot }

export async function startDnsServers(opts: DnsServerOptions): Promise<RunningDnsServer> {
  const threads = Math.max(1, Math.floor(opts.workers ?? availableParallelism()));
  const startupTimeoutMs = opts.startupTimeoutMs ?? 5000;
  const startedAt = Date.now();
  const resolver = await createResolver(opts.resolver);
  const codec = await loadCodec(opts.codecModule);
  const metrics = new DnsMetrics();
  const forwarder = opts.upstream ? new Forwarder(opts.upstream) : undefined;
  const r: Responder = {
    metrics, forwarder,
    ctx: { resolver, codec, forwarding: !!forwarder, cache: new ReplyCache(), upstreamLookup: forwarder && upstreamLookup(forwarder, codec), synced: () => resolver.ready() || Date.now() - startedAt > startupTimeoutMs },
  };
  const { host } = opts.listen;
  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  const workers: WorkerState[] = [];
  const cleanup = async (): Promise<void> => {
    await Promise.all(workers.map((w) => stopWorker(w.worker)));
    if (udp) await new Promise<void>((res) => udp!.close(() => res()));
    if (tcp) await new Promise<void>((res) => tcp!.close(() => res()));
    forwarder?.close();
    await resolver.stop?.();
  };
  try {
    // Port 0: UDP picks the port, TCP takes the same number (retried if that number is taken for TCP).
    for (let attempt = 0; ; attempt++) {
      udp = await listenUdp(r, host, opts.listen.port, threads > 1);
      const port = udp.address().port;
      try {
        tcp = await listenTcp(r, host, port, opts.tcp);
        break;
      } catch (e) {
        await new Promise<void>((res) => udp!.close(() => res()));
        udp = undefined;
        if (opts.listen.port !== 0 || attempt >= 10 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
    const port = udp.address().port;
    for (let i = 1; i < threads; i++) {
      const data: WorkerData = { host, port, resolver: opts.resolver, upstream: opts.upstream, startupTimeoutMs, startedAt, codecModule: opts.codecModule };
      const worker = new Worker(new URL('./worker.ts', import.meta.url), { workerData: data });
      const st: WorkerState = { worker, ready: false, names: 0, metrics: emptySnapshot() };
      workers.push(st);
      await new Promise<void>((res, rej) => {
        worker.on('message', (m: WorkerMessage) => {
          if (m.kind === 'listening') res();
          else if (m.kind === 'error') rej(new Error(`dns worker ${i}: ${m.message}`));
          else if (m.kind === 'status') { st.ready = m.ready; st.names = m.names; st.metrics = m.metrics; }
        });
        worker.once('error', rej);
        worker.once('exit', (code) => { st.ready = false; rej(new Error(`dns worker ${i} exited with ${code}`)); });
      });
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    host,
    port: udp.address().port,
    workers: threads,
    ready: () => resolver.ready() && workers.every((w) => w.ready),
    renderMetrics: () => renderMetrics(mergeSnapshots([metrics.snap, ...workers.map((w) => w.metrics)]), resolver.names?.() ?? 0),
    stop() { stopping ??= cleanup(); return stopping; },
  };
}

function stopWorker(w: Worker): Promise<void> {
  return new Promise((res) => {
    const timer = setTimeout(() => { void w.terminate().then(() => res()); }, 3000);
    w.once('exit', () => { clearTimeout(timer); res(); });
    w.on('message', (m: WorkerMessage) => { if (m.kind === 'stopped') void w.terminate(); });
    w.postMessage({ kind: 'stop' });
  });
}
