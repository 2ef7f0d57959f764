// Closed-loop load: each client (one keep-alive connection) sends its next request when the previous
// one is answered, until the time or count bound. Server CPU comes from /proc around the run.

import type { HttpClient } from './http.ts';
import { cpuSeconds, machineBusySeconds, waitForQuiet } from './cpu.ts';
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
  /** CPU-seconds the machine spent on anything else (other processes, hypervisor steal): noise. */
  otherCpuS: number;
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
  const busy0 = machineBusySeconds();
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
  const busy = machineBusySeconds() - busy0;
  const s = summarize(lat);
  return {
    clients: o.conns.length, count: s.n, seconds, rate: s.n / seconds,
    serverCpuS, perCpuS: serverCpuS > 0 ? s.n / serverCpuS : NaN, clientCpuS: (cu.user + cu.system) / 1e6,
    otherCpuS: Math.max(0, busy - serverCpuS - (cu.user + cu.system) / 1e6),
    p50Ms: s.p50, p99Ms: s.p99,
  };
}

/** Runs whose neighbours used more than this many CPUs on average are measured again, within a budget. */
export const NOISY_CPUS = 0.25;

export function noisy(r: LoadRun): boolean { return r.otherCpuS / r.seconds > NOISY_CPUS; }

/** Time a section may spend re-measuring noisy runs; shared by all its runs. */
export interface RetryBudget { deadline: number; retries: number }

export function retryBudget(ms: number): RetryBudget { return { deadline: performance.now() + ms, retries: 0 }; }

/**
 * Measures once, and while the machine was busy with other work during the measurement (and the budget
 * allows) waits for it to be quiet and measures again, at most twice more. Returns the last run.
 */
export async function measureQuietly(f: () => Promise<LoadRun>, budget: RetryBudget): Promise<LoadRun> {
  let r = await f();
  for (let attempt = 0; attempt < 2 && noisy(r) && performance.now() < budget.deadline; attempt++) {
    await waitForQuiet(Math.min(10_000, Math.max(0, budget.deadline - performance.now())));
    budget.retries++;
    r = await f();
  }
  return r;
}
