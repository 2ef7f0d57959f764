// CPU sampling from /proc: a process's CPU time, the whole machine's busy time, and waiting for the
// machine to be quiet before measuring.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat. */
export function clockTicks(): number {
  if (ticks === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticks = Number(r.stdout?.trim()) || 100;
  }
  return ticks;
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat utime+stime. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / clockTicks(); // fields 14 and 15
}

/** CPU seconds all CPUs of the machine have been busy (user, nice, system, irq, softirq, steal) since boot, from /proc/stat. */
export function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / clockTicks();
}

export interface Quiet { waitedS: number; otherCpus: number }

/**
 * Waits (at most maxMs) until the rest of the machine uses less than `threshold` CPUs over each of 3
 * consecutive seconds; returns how long it waited and the last reading (other processes, steal).
 */
export async function waitForQuiet(maxMs = 60_000, threshold = 0.15): Promise<Quiet> {
  const t0 = performance.now();
  let calm = 0;
  let other = NaN;
  while (performance.now() - t0 < maxMs) {
    const busy0 = machineBusySeconds();
    const own0 = process.cpuUsage();
    const s0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const own = process.cpuUsage(own0);
    other = (machineBusySeconds() - busy0 - (own.user + own.system) / 1e6) / ((performance.now() - s0) / 1000);
    calm = other < threshold ? calm + 1 : 0;
    if (calm >= 3) break;
  }
  return { waitedS: (performance.now() - t0) / 1000, otherCpus: Math.max(0, other) };
}

/** Resident set size of a process in bytes, from /proc/<pid>/status VmRSS (NaN when unreadable). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch { return NaN; }
}
