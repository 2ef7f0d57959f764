// Closed-loop load: each client (one keep-alive connection) sends its next request when the previous
// one is answered, until the time or count bound. Server CPU comes from /proc around the run.

import type { HttpClient } from './http.ts';
import { cpuSeconds } from './servers.ts';
import { summarize } from './stats.ts';

export interface LoadRun {
  clients: number;
  count: number;
  seconds: number;
  rate: number;
  serverCpuS: number;
  /** Operations per server CPU-second. */
  perCpuS: number;
  /** CPU-seconds of this (load-generating) process during the run. */
  clientCpuS: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `op` sends one request and throws unless it succeeded; it gets the client index and a per-client
 * sequence number. Returning false (without sending) ends that client early.
 */
export async function closedLoop(o: {
  conns: HttpClient[];
  durationMs: number;
  maxPerClient: number;
  pid: number;
  op: (c: HttpClient, client: number, i: number) => Promise<void | false>;
}): Promise<LoadRun> {
  const lat: number[] = [];
  const cpu0 = cpuSeconds(o.pid);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + o.durationMs;
  await Promise.all(o.conns.map(async (c, w) => {
    for (let i = 0; i < o.maxPerClient && performance.now() < deadline; i++) {
      const s = performance.now();
      if ((await o.op(c, w, i)) === false) break;
      lat.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const serverCpuS = cpuSeconds(o.pid) - cpu0;
  const cu = process.cpuUsage(client0);
  const s = summarize(lat);
  return {
    clients: o.conns.length, count: s.n, seconds, rate: s.n / seconds,
    serverCpuS, perCpuS: serverCpuS > 0 ? s.n / serverCpuS : NaN, clientCpuS: (cu.user + cu.system) / 1e6,
    p50Ms: s.p50, p99Ms: s.p99,
  };
}
