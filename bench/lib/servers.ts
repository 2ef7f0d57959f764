// Starting the servers under test as child processes on loopback (kubedisco, its DNS, etcd, Knot DNS), and a registry of
// every child so a failed or overrunning benchmark stops them by PID.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UdpDnsClient } from './dns.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'src/cmd/main.ts');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const STDERR_KEEP = 64 * 1024;

export interface Server {
  name: string;
  url: string;
  pid: number;
  /** The process's own temp dir (removed by stop()); '' for a process that has none. */
  dataDir: string;
  /** The last 64 KiB the process wrote to stderr. */
  stderr(): string;
  /** How the process ended ("exit code 1", "signal SIGKILL"), or undefined while it runs. */
  exitStatus(): string | undefined;
  /** SIGTERM, then SIGKILL after 10 s; removes the data dir. */
  stop(): Promise<void>;
}

export interface KubediscoServer extends Server {
  /** The kubeconfig the server wrote into its data dir (for `kubedisco controllers --kubeconfig`). */
  kubeconfig: string;
  /** The UDP/TCP port of its DNS component, when the ready line says `dns udp+tcp 127.0.0.1:PORT`. */
  dnsPort?: number;
}

const running = new Set<ChildProcess>();

/** SIGKILL every child still running (each by its PID); for a watchdog or an error path. */
export function killAll(): void {
  for (const p of running) if (p.pid && p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/** A loopback port that was free a moment ago (for servers that cannot report a port-0 bind). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

export function tempDir(root: string, prefix: string): string {
  return mkdtempSync(join(root, prefix));
}

function track(name: string, proc: ChildProcess, dataDir: string): Pick<Server, 'stderr' | 'stop' | 'exitStatus'> & { exited: Promise<void> } {
  running.add(proc);
  let err = '';
  proc.stderr!.on('data', (c) => { err = (err + c).slice(-STDERR_KEEP); });
  const exited = new Promise<void>((r) => proc.once('exit', () => { running.delete(proc); r(); }));
  let stopping: Promise<void> | undefined;
  return {
    exited,
    stderr: () => err,
    exitStatus: () => proc.exitCode !== null ? `exit code ${proc.exitCode}` : proc.signalCode !== null ? `signal ${proc.signalCode}` : undefined,
    stop() {
      stopping ??= (async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
        const timer = setTimeout(() => { process.stderr.write(`${name}: no exit 10 s after SIGTERM, sending SIGKILL\n`); proc.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Waits for a line on stdout matching `re`, bounded by START_TIMEOUT_MS and the process exiting. */
function waitForLine(proc: ChildProcess, re: RegExp, what: string, stderr: () => string): Promise<RegExpExecArray> {
  return new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error(`${what} did not become ready in ${START_TIMEOUT_MS / 1000} s; stderr:\n${stderr()}`)), START_TIMEOUT_MS);
    proc.stdout!.on('data', (c) => {
      out = (out + c).slice(-STDERR_KEEP);
      const m = re.exec(out);
      if (m) { clearTimeout(timer); res(m); }
    });
    proc.once('exit', (code, sig) => { clearTimeout(timer); rej(new Error(`${what} exited (${code ?? sig}) before it was ready; stderr:\n${stderr()}`)); });
  });
}

export interface KubediscoOptions {
  /** Where the data dir is created (the filesystem under test). */
  root: string;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfDir?: string;
  /**
   * `--controllers` for the server: default '' (none), so the API benchmarks measure the API server alone,
   * as etcd is measured alone; the controllers part runs them in their own process instead.
   */
  controllers?: string;
  /** `--nodes`: simulated nodes in the server process (default 0). */
  nodes?: number;
}

/**
 * `kubedisco server --data-dir <temp> --api-listen 127.0.0.1:0 --controllers '' --nodes 0` (the API alone
 * unless told otherwise), ready when it prints its ready line.
 */
export async function startKubedisco(o: KubediscoOptions): Promise<KubediscoServer> {
  const dataDir = tempDir(o.root, 'kubedisco-bench-');
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const proc = spawn(process.execPath, [...prof, MAIN, 'server', '--data-dir', dataDir, '--api-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0',
    '--controllers', o.controllers ?? '', '--nodes', String(o.nodes ?? 0)], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t = track('kubedisco', proc, dataDir);
  try {
    const m = await waitForLine(proc, /^kubedisco ready: api (http:\/\/\S+)(.*)$/m, 'kubedisco server', t.stderr);
    const dns = /dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(m[2]);
    return { name: 'kubedisco', url: m[1], pid: proc.pid!, dataDir, kubeconfig: join(dataDir, 'kubeconfig'), dnsPort: dns ? Number(dns[1]) : undefined,
      stderr: t.stderr, exitStatus: t.exitStatus, stop: t.stop };
  } catch (e) {
    await t.stop();
    throw e;
  }
}

/**
 * `kubedisco controllers --kubeconfig K --controllers a,b` as its own process, so its CPU can be read from
 * /proc/<pid>/stat apart from the API server's; ready when it prints `kubedisco controllers ready:` (its
 * informers have synced). `url` is the API it talks to.
 */
export async function startControllers(o: { kubeconfig: string; apiURL: string; controllers: string; cpuProfDir?: string }): Promise<Server> {
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const proc = spawn(process.execPath, [...prof, MAIN, 'controllers', '--kubeconfig', o.kubeconfig, '--controllers', o.controllers], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t = track('kubedisco controllers', proc, '');
  try {
    await waitForLine(proc, /^kubedisco controllers ready: /m, 'kubedisco controllers', t.stderr);
    return { name: 'kubedisco controllers', url: o.apiURL, pid: proc.pid!, dataDir: '', stderr: t.stderr, exitStatus: t.exitStatus, stop: t.stop };
  } catch (e) {
    await t.stop();
    throw e;
  }
}



/**
 * Polls `name` (type A) on 127.0.0.1:port until the answer's rcode is `rcode` (default NOERROR), bounded by
 * START_TIMEOUT_MS and by the process exiting.
 */
async function waitForDns(proc: ChildProcess, port: number, name: string, what: string, stderr: () => string, rcode = 0): Promise<void> {
  const c = new UdpDnsClient('127.0.0.1', port);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = 'no reply';
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what} exited (${proc.exitCode ?? proc.signalCode}); stderr:\n${stderr()}`);
      if (Date.now() > deadline) throw new Error(`${what} did not answer ${name} with rcode ${rcode} in ${START_TIMEOUT_MS / 1000} s (last: ${last}); stderr:\n${stderr()}`);
      try {
        const r = await c.query(name, 1, 200);
        if (r.rcode === rcode) return;
        last = `rcode ${r.rcode}`;
      } catch (e) { last = (e as Error).message; }
      await new Promise((r) => setTimeout(r, Math.min(20 * (i + 1), 200)));
    }
  } finally { c.close(); }
}

/** `knotd -c <conf>` (Knot DNS) as a child; ready when it answers `readyName` with NOERROR on 127.0.0.1:port. */
export async function startKnot(o: { conf: string; port: number; readyName: string }): Promise<Server> {
  const proc = spawn('knotd', ['-c', o.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  const t = track('knotd', proc, '');
  const failed = new Promise<never>((_, rej) => proc.once('error', (e) => rej(e)));
  failed.catch(() => {});
  try {
    await Promise.race([failed, waitForDns(proc, o.port, o.readyName, 'knotd', t.stderr)]);
    return { name: 'knotd', url: `udp://127.0.0.1:${o.port}`, pid: proc.pid!, dataDir: '', stderr: t.stderr, exitStatus: t.exitStatus, stop: t.stop };
  } catch (e) {
    await t.stop();
    throw e;
  }
}

/**
 * `kubedisco dns --kubeconfig K --listen 127.0.0.1:PORT` as its own process (so its memory and CPU are the DNS
 * server's alone); ready when it answers `readyName` with NOERROR (its informers have synced: §1.7).
 */
export async function startKubediscoDns(o: { kubeconfig: string; port: number; readyName: string; cpuProfDir?: string; args?: string[] }): Promise<Server> {
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  const proc = spawn(process.execPath, [...prof, MAIN, 'dns', '--kubeconfig', o.kubeconfig, '--listen', `127.0.0.1:${o.port}`, ...(o.args ?? [])], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t = track('kubedisco dns', proc, '');
  let out = '';
  proc.stdout!.on('data', (c) => { out = (out + c).slice(-4096); });
  const output = () => `${t.stderr()}${out ? `\nstdout:\n${out}` : ''}`;
  try {
    await waitForDns(proc, o.port, o.readyName, 'kubedisco dns', output);
    return { name: 'kubedisco dns', url: `udp://127.0.0.1:${o.port}`, pid: proc.pid!, dataDir: '', stderr: t.stderr, exitStatus: t.exitStatus, stop: t.stop };
  } catch (e) {
    await t.stop();
    throw e;
  }
}

/** A loopback port free for both UDP and TCP a moment ago (DNS servers bind both). */
export async function freeDnsPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    const ok = await new Promise<boolean>((res) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => { s.close(); res(false); });
      s.bind(port, '127.0.0.1', () => s.close(() => res(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free loopback port for UDP and TCP');
}

export function etcdVersion(): string | undefined {
  const r = spawnSync('etcd', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /etcd Version: (\S+)/.exec(r.stdout)?.[1] ?? r.stdout.split('\n')[0];
}

export const ETCD_INSTALL_HINT = 'etcd is not on PATH; install it with `apt-get install etcd-server` (Debian/Ubuntu, etcd 3.4) to measure the peer';

/** A single-member etcd on two loopback ports with a temp data dir on the filesystem under test. */
export async function startEtcd(o: { root: string }): Promise<Server> {
  const dataDir = tempDir(o.root, 'etcd-bench-');
  const [client, peer] = [await freePort(), await freePort()];
  const c = `http://127.0.0.1:${client}`;
  const p = `http://127.0.0.1:${peer}`;
  const proc = spawn('etcd', [
    '--name', 'bench', '--data-dir', join(dataDir, 'member-data'),
    '--listen-client-urls', c, '--advertise-client-urls', c,
    '--listen-peer-urls', p, '--initial-advertise-peer-urls', p,
    '--initial-cluster', `bench=${p}`, '--initial-cluster-state', 'new',
    '--logger', 'zap', '--log-level', 'error',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const t = track('etcd', proc, dataDir);
  const failed = new Promise<never>((_, rej) => proc.once('error', (e) => rej(e)));
  failed.catch(() => {});
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null) throw new Error(`etcd exited (${proc.exitCode}); stderr:\n${t.stderr()}`);
      if (Date.now() > deadline) throw new Error(`etcd did not answer in ${START_TIMEOUT_MS / 1000} s; stderr:\n${t.stderr()}`);
      const ok = await Promise.race([failed, fetch(`${c}/health`).then((r) => r.ok, () => false)]);
      if (ok) break;
      await new Promise((r) => setTimeout(r, Math.min(50 * (i + 1), 500)));
    }
    return { name: 'etcd', url: c, pid: proc.pid!, dataDir, stderr: t.stderr, exitStatus: t.exitStatus, stop: t.stop };
  } catch (e) {
    await t.stop();
    throw e;
  }
}

export function defaultRoot(): string { return tmpdir(); }
