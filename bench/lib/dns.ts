// DNS load and probing for bench/dns.ts: a minimal UDP query client (its own few lines of wire format, so the
// benchmark does not depend on the codec it measures), dnsperf as a child process with its output parsed,
// Knot DNS as a child process, and per-thread CPU from /proc/<pid>/task.

import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { clockTicks } from './cpu.ts';

/** Refuses anything but loopback: the simulated 10.x addresses live only inside DNS answers. */
export function assertLoopback(host: string): void {
  if (!/^127\./.test(host)) throw new Error(`the DNS benchmark sends packets to 127.0.0.1 only, not ${host}`);
}

export interface DnsReply { rcode: number; ancount: number; tc: boolean; a: string[]; ms: number }

/** A query with RD set (as stub resolvers send it); with `ednsSize`, an OPT record advertising that UDP size. */
function encodeQuery(id: number, name: string, type: number, ednsSize?: number): Buffer {
  const labels = name.replace(/\.$/, '').split('.');
  const q = Buffer.alloc(12 + labels.reduce((n, l) => n + l.length + 1, 1) + 4 + (ednsSize ? 11 : 0));
  q.writeUInt16BE(id, 0);
  q.writeUInt16BE(0x0100, 2);
  q.writeUInt16BE(1, 4);
  if (ednsSize) q.writeUInt16BE(1, 10);
  let o = 12;
  for (const l of labels) { q[o++] = l.length; o += q.write(l, o, 'ascii'); }
  q[o++] = 0;
  q.writeUInt16BE(type, o);
  q.writeUInt16BE(1, o + 2);
  if (ednsSize) { // root name, TYPE OPT, CLASS = UDP size, TTL 0, RDLEN 0
    q[o + 4] = 0;
    q.writeUInt16BE(41, o + 5);
    q.writeUInt16BE(ednsSize, o + 7);
  }
  return q;
}

function skipName(b: Buffer, o: number): number {
  for (;;) {
    const len = b[o];
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) return o + 2;
    if (len === 0) return o + 1;
    o += len + 1;
  }
}

function decodeReply(b: Buffer, ms: number): DnsReply {
  const flags = b.readUInt16BE(2);
  const qd = b.readUInt16BE(4);
  const an = b.readUInt16BE(6);
  let o = 12;
  for (let i = 0; i < qd; i++) o = skipName(b, o) + 4;
  const a: string[] = [];
  for (let i = 0; i < an; i++) {
    o = skipName(b, o);
    const type = b.readUInt16BE(o);
    const rdlen = b.readUInt16BE(o + 8);
    o += 10;
    if (type === 1 && rdlen === 4) a.push(`${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`);
    o += rdlen;
  }
  return { rcode: flags & 0xf, tc: (flags & 0x0200) !== 0, ancount: an, a, ms };
}

/** One UDP socket on loopback; one query in flight at a time (enough for probing). */
export class UdpDnsClient {
  private readonly sock = dgram.createSocket('udp4');
  private id = 1;
  private pending?: { id: number; t0: number; res: (r: DnsReply) => void; rej: (e: Error) => void; timer: NodeJS.Timeout };

  private readonly host: string;
  private readonly port: number;

  constructor(host: string, port: number) {
    assertLoopback(host);
    this.host = host;
    this.port = port;
    this.sock.on('message', (m) => {
      const p = this.pending;
      if (!p || m.length < 12 || m.readUInt16BE(0) !== p.id) return; // a late reply to a timed-out query
      this.pending = undefined;
      clearTimeout(p.timer);
      try { p.res(decodeReply(m, performance.now() - p.t0)); } catch (e) { p.rej(e as Error); }
    });
    this.sock.unref();
  }

  query(name: string, type = 1, timeoutMs = 1000, ednsSize?: number): Promise<DnsReply> {
    if (this.pending) throw new Error('UdpDnsClient: one query at a time');
    this.id = (this.id + 1) & 0xffff || 1;
    const id = this.id;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => { this.pending = undefined; rej(new Error(`${name}: no reply in ${timeoutMs} ms`)); }, timeoutMs);
      this.pending = { id, t0: performance.now(), res, rej, timer };
      this.sock.send(encodeQuery(id, name, type, ednsSize), this.port, this.host);
    });
  }

  close(): void { this.sock.close(); }
}

export interface DnsperfResult {
  sent: number;
  completed: number;
  lost: number;
  qps: number;
  seconds: number;
  rcodes: Record<string, number>;
  avgResponseBytes: number;
  avgLatencyMs: number;
  /** From -v per-query lines (only when verbose). */
  latenciesMs?: number[];
  /** CPU-seconds of dnsperf itself (user + system, from bash's `times`). */
  clientCpuS: number;
}

/** `dnsperf -s 127.0.0.1 -p PORT -d FILE -l SECONDS -c CLIENTS [-Q RATE] -e [-v]`, bounded by SECONDS + 20 s. */
export function dnsperf(o: { port: number; file: string; seconds: number; clients: number; outstanding?: number; rate?: number; verbose?: boolean }): Promise<DnsperfResult> {
  const args = ['-s', '127.0.0.1', '-p', String(o.port), '-d', o.file, '-l', String(o.seconds), '-c', String(o.clients), '-e',
    '-q', String(o.outstanding ?? 100), '-t', '2', '-O', 'suppress=timeouts'];
  if (o.rate) args.push('-Q', String(o.rate));
  if (o.verbose) args.push('-v');
  return new Promise((res, rej) => {
    // bash's `times` prints the children's user and system time after dnsperf exits: dnsperf's own CPU.
    const p = spawn('bash', ['-c', 'dnsperf "$@"; s=$?; times; exit $s', 'dnsperf', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lat: number[] = [];
    let tail = '';
    let err = '';
    const killer = setTimeout(() => p.kill('SIGKILL'), (o.seconds + 20) * 1000);
    let buf = '';
    p.stdout!.setEncoding('utf8');
    p.stdout!.on('data', (c: string) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('> ')) {
          if (o.verbose) { const x = Number(l.slice(l.lastIndexOf(' ') + 1)); if (Number.isFinite(x)) lat.push(x * 1000); }
        } else tail += `${l}\n`;
      }
    });
    p.stderr!.on('data', (c) => { err = (err + c).slice(-4096); });
    p.once('error', (e) => { clearTimeout(killer); rej(e); });
    p.once('exit', (code, sig) => {
      clearTimeout(killer);
      tail += buf;
      const num = (re: RegExp): number => Number(re.exec(tail)?.[1] ?? NaN);
      if (code !== 0 || !/Queries per second/.test(tail)) { rej(new Error(`dnsperf ${args.join(' ')}: ${code ?? sig}\n${tail.slice(-2000)}\n${err}`)); return; }
      const t = /(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(tail.trimEnd());
      const cpu = t ? Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4]) : NaN;
      const rcodes: Record<string, number> = {};
      for (const m of (/Response codes:\s+(.*)/.exec(tail)?.[1] ?? '').matchAll(/([A-Z]+) (\d+)/g)) rcodes[m[1]] = Number(m[2]);
      res({
        sent: num(/Queries sent:\s+(\d+)/), completed: num(/Queries completed:\s+(\d+)/), lost: num(/Queries lost:\s+(\d+)/),
        qps: num(/Queries per second:\s+([\d.]+)/), seconds: num(/Run time \(s\):\s+([\d.]+)/), rcodes,
        avgResponseBytes: num(/response (\d+)/), avgLatencyMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
        latenciesMs: o.verbose ? lat : undefined, clientCpuS: cpu,
      });
    });
  });
}

/** CPU-seconds per thread of a process (/proc/<pid>/task/<tid>/stat), keyed by thread name + tid. */
export function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[] = [];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return out; }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${comm}#${tid}`, (Number(f[11]) + Number(f[12])) / clockTicks());
    } catch { /* thread ended */ }
  }
  return out;
}

/** Threads that used more than `minCores` of a core between two threadCpu() samples `seconds` apart. */
export function busyThreads(before: Map<string, number>, after: Map<string, number>, seconds: number, minCores = 0.1): Array<{ thread: string; cores: number }> {
  const out: Array<{ thread: string; cores: number }> = [];
  for (const [k, v] of after) {
    const cores = (v - (before.get(k) ?? 0)) / seconds;
    if (cores >= minCores) out.push({ thread: k, cores });
  }
  return out.sort((a, b) => b.cores - a.cores);
}

export function knotVersion(): string | undefined {
  const r = spawnSync('knotd', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /version (\S+)/.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

export function dnsperfVersion(): string | undefined {
  const r = spawnSync('dnsperf', ['-h'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return /Version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown';
}

export const DNS_INSTALL_HINT = 'install the peer and the load generator with `apt-get install -y knot dnsperf` (Debian/Ubuntu)';

/** Installs knot and dnsperf with apt-get when they are missing and we are root (the CI machine); returns what is still missing. */
export function ensureDnsTools(): string[] {
  const missing = () => [['knotd', knotVersion()], ['dnsperf', dnsperfVersion()]].filter(([, v]) => !v).map(([n]) => n as string);
  if (missing().length && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    process.stderr.write('bench: installing knot and dnsperf with apt-get\n');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq knot dnsperf >/dev/null'], { stdio: 'inherit', timeout: 180_000 });
  }
  return missing();
}
