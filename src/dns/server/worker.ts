// A UDP serving thread: its own resolver (from the ResolverSpec), its own socket bound with reusePort
// to the main thread's port. Reports readiness and metric snapshots to the main thread.

import { parentPort, workerData } from 'node:worker_threads';
import { createResolver, type ResolverSpec } from './resolver-spec.ts';
import { DnsMetrics } from './metrics.ts';
import { Forwarder, upstreamLookup } from './forward.ts';
import { loadCodec } from './codec.ts';
import { ReplyCache } from './handler.ts';
import { listenUdp, type Responder } from './serve.ts';

export interface WorkerData {
  host: string;
  port: number;
  resolver: ResolverSpec;
  upstream?: { host: string; port: number };
  startupTimeoutMs: number;
  startedAt: number;
  codecModule?: string;
}

export type WorkerMessage =
  | { kind: 'listening' }
  | { kind: 'status'; ready: boolean; names: number; metrics: DnsMetrics['snap'] }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

const d = workerData as WorkerData;
const port = parentPort!;

try {
  const resolver = await createResolver(d.resolver);
  const metrics = new DnsMetrics();
  const forwarder = d.upstream ? new Forwarder(d.upstream) : undefined;
  const codec = await loadCodec(d.codecModule);
  const r: Responder = {
    metrics, forwarder,
    ctx: { resolver, codec, forwarding: !!forwarder, cache: new ReplyCache(), upstreamLookup: forwarder && upstreamLookup(forwarder, codec), synced: () => resolver.ready() || Date.now() - d.startedAt > d.startupTimeoutMs },
  };
  const sock = await listenUdp(r, d.host, d.port, true);
  const status = (): void => port.postMessage({ kind: 'status', ready: resolver.ready(), names: resolver.names?.() ?? 0, metrics: metrics.snap } satisfies WorkerMessage);
  const timer = setInterval(status, 250);
  port.postMessage({ kind: 'listening' } satisfies WorkerMessage);
  status();
  port.on('message', async (m: { kind: string }) => {
    if (m.kind === 'status') { status(); return; }
    if (m.kind !== 'stop') return;
    clearInterval(timer);
    status();
    await new Promise<void>((res) => sock.close(() => res()));
    forwarder?.close();
    await resolver.stop?.();
    port.postMessage({ kind: 'stopped' } satisfies WorkerMessage);
    port.close();
  });
} catch (e) {
  port.postMessage({ kind: 'error', message: (e as Error).message } satisfies WorkerMessage);
}
