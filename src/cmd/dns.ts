// `kubedisco dns` (the cluster DNS component on its own, against any Kubernetes API) and `kubedisco
// lookup` (resolve a name the way a pod would, printed like nslookup).

import { parseArgs } from 'node:util';
import { createServer, type Server } from 'node:http';
import { createSocket } from 'node:dgram';
import { connect as tcpConnect } from 'node:net';
import { availableParallelism } from 'node:os';
import { connect } from '../client/index.ts';
import { startDnsServer, type RunningDns, type UdpIo } from '../dns/index.ts';
import { loadCodec } from '../dns/server/codec.ts';
import type { DnsConfig } from '../dns/kubernetes/resolve.ts';
import { TYPE, RCODE, CLASS_IN, type Message, type ResourceRecord } from '../dns/message.ts';
import { isLoopback, splitHostPort, UsageError } from './server.ts';

export const DNS_USAGE = `Flags for dns:
  --kubeconfig PATH, --context NAME  the API to watch (default $KUBECONFIG, else ~/.kube/config)
  --listen HOST:PORT        UDP and TCP address (default 127.0.0.1:1053; port 0 picks a free port)
  --zone ZONE               cluster domain (default cluster.local)
  --ttl N                   record TTL in seconds, 0-3600 (default 5)
  --pods disabled|insecure|verified  pod records (default insecure)
  --upstream HOST:PORT      forward names outside the zone there (default: REFUSED, never an open resolver)
  --workers N               UDP serving threads (default: number of cores)
  --udp-io auto|native|dgram  UDP through batched recvmmsg/sendmmsg (native, built by npm ci) or node:dgram
                            (default auto: native when built)
  --metrics-listen HOST:PORT  /metrics, /healthz, /readyz (default: off)
  --endpoint-pod-names      endpoints without a hostname are named after their pod, not their dashed IP
  --ignore-empty-service    a ClusterIP Service with no ready endpoints is NXDOMAIN
  --namespaces a,b,...      serve only these namespaces (others NXDOMAIN)
  --namespace-labels SEL    serve only namespaces whose labels match SEL (not with --namespaces)

Flags for lookup NAME:
  -n, --namespace NS        namespace of the pretend pod (default default)
  --type T                  A, AAAA, SRV, PTR, TXT, CNAME, NS, SOA (default A)
  --server HOST:PORT        the DNS server (default 127.0.0.1:1053)
  --zone ZONE               cluster domain for the search path (default cluster.local)
`;

/** --udp-io (see src/dns/server/README.md "UDP I/O"). */
export function parseUdpIo(v: string | undefined, flag = '--udp-io'): UdpIo | undefined {
  if (v === undefined) return undefined;
  if (v !== 'auto' && v !== 'native' && v !== 'dgram') throw new UsageError(`${flag}: expected auto, native or dgram, got ${JSON.stringify(v)}`);
  return v;
}

/** --workers: a whole number ≥ 1 (default: the number of cores). */
export function parseWorkers(v: string | undefined): number {
  if (v === undefined) return Math.max(1, availableParallelism());
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--workers: expected a whole number from 1 to 64, got ${JSON.stringify(v)}`);
  return n;
}

export interface DnsFlagValues {
  zone?: string; ttl?: string; pods?: string;
  'endpoint-pod-names'?: boolean; 'ignore-empty-service'?: boolean; namespaces?: string; 'namespace-labels'?: string;
}

/** CoreDNS kubernetes plugin options as flags (rule book §14). */
export function parseDnsConfig(v: DnsFlagValues): Partial<DnsConfig> {
  const cfg: Partial<DnsConfig> = {};
  if (v['endpoint-pod-names']) cfg.endpointPodNames = true; // §14.4
  if (v['ignore-empty-service']) cfg.ignoreEmptyService = true; // §14.5
  if (v.namespaces !== undefined) { // §14.6
    const list = v.namespaces.split(',').map((x) => x.trim()).filter(Boolean);
    if (!list.length) throw new UsageError('--namespaces: expected a comma-separated list of namespaces');
    cfg.namespaces = list;
  }
  if (v['namespace-labels'] !== undefined) {
    if (cfg.namespaces) throw new UsageError('--namespaces and --namespace-labels are mutually exclusive (as in CoreDNS)');
    cfg.namespaceLabels = v['namespace-labels'];
  }
  if (v.zone !== undefined) {
    const z = v.zone.toLowerCase().replace(/\.$/, '');
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(z)) throw new UsageError(`--zone: not a domain name: ${JSON.stringify(v.zone)}`);
    cfg.zone = z;
  }
  if (v.ttl !== undefined) {
    const n = Number(v.ttl);
    if (!Number.isInteger(n) || n < 0 || n > 3600) throw new UsageError(`--ttl: expected a whole number from 0 to 3600, got ${JSON.stringify(v.ttl)}`);
    cfg.ttl = n;
  }
  if (v.pods !== undefined) {
    if (!['disabled', 'insecure', 'verified'].includes(v.pods)) throw new UsageError(`--pods: expected disabled, insecure or verified, got ${JSON.stringify(v.pods)}`);
    cfg.pods = v.pods as DnsConfig['pods'];
  }
  return cfg;
}

export function parseUpstream(v: string | undefined): { host: string; port: number } | undefined {
  return v === undefined ? undefined : splitHostPort(v, '--upstream');
}

function listenAddr(v: string, flag: string): { host: string; port: number } {
  const a = splitHostPort(v, flag);
  if (!isLoopback(a.host)) throw new UsageError(`${flag} ${v}: only loopback addresses in this release (e.g. 127.0.0.1)`);
  return a;
}

export function dnsAddress(d: RunningDns): string {
  return `${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`;
}

/** /metrics, /healthz, /readyz of the DNS component (as CoreDNS's prometheus, health and ready plugins). */
function startHealthServer(addr: { host: string; port: number }, dns: RunningDns): Promise<Server> {
  const srv = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') { res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }); res.end(dns.renderMetrics()); return; }
    if (path === '/healthz' || path === '/livez') { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); return; }
    if (path === '/readyz') {
      const ok = dns.ready();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
      res.end(ok ? 'ok' : 'dns: the watches have not synced yet');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found\n');
  });
  return new Promise((resolve, reject) => { srv.once('error', reject); srv.listen(addr.port, addr.host, () => resolve(srv)); });
}

export async function dnsCommand(args: string[], signal: Promise<string>, stopOn: (s: Promise<string>, stop: () => Promise<void>) => Promise<void>): Promise<void> {
  const v = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' }, context: { type: 'string' }, listen: { type: 'string' }, zone: { type: 'string' }, ttl: { type: 'string' },
      pods: { type: 'string' }, upstream: { type: 'string' }, workers: { type: 'string' }, 'metrics-listen': { type: 'string' },
      'endpoint-pod-names': { type: 'boolean' }, 'ignore-empty-service': { type: 'boolean' }, namespaces: { type: 'string' },
      'namespace-labels': { type: 'string' }, 'udp-io': { type: 'string' },
    },
    strict: true,
  }).values;
  const listen = listenAddr(v.listen ?? '127.0.0.1:1053', '--listen');
  const config = parseDnsConfig(v);
  const upstream = parseUpstream(v.upstream);
  const workers = parseWorkers(v.workers);
  const udpIo = parseUdpIo(v['udp-io']);
  const metricsAddr = v['metrics-listen'] !== undefined ? listenAddr(v['metrics-listen'], '--metrics-listen') : undefined;
  const rest = connect({ kubeconfig: v.kubeconfig, context: v.context, userAgent: 'kubedisco-dns' });
  const dns = await startDnsServer({ rest, listen, config, upstream, workers, udpIo });
  let health: Server | undefined;
  try {
    if (metricsAddr) health = await startHealthServer(metricsAddr, dns);
  } catch (e) { await dns.stop(); rest.close(); throw e; }
  // Wait for the first sync (bounded: after 5 s the server serves anyway, rule book §1.7).
  for (let i = 0; i < 100 && !dns.ready(); i++) await new Promise((r) => setTimeout(r, 50));
  const ha = health?.address();
  const metricsShown = ha && typeof ha === 'object' ? `  metrics http://${ha.address}:${ha.port}/metrics` : '';
  process.stdout.write(`kubedisco dns ready: dns udp+tcp ${dnsAddress(dns)}  workers ${dns.workers}  synced ${dns.ready()}  udp-io ${dns.udpIo}${metricsShown}  against ${rest.config.server}\n`);
  await stopOn(signal, async () => {
    if (health) await new Promise<void>((r) => health!.close(() => r()));
    await dns.stop();
    rest.close();
  });
}

// ---- lookup ----

const TYPE_BY_NAME: Record<string, number> = { A: TYPE.A, AAAA: TYPE.AAAA, SRV: TYPE.SRV, PTR: TYPE.PTR, TXT: TYPE.TXT, CNAME: TYPE.CNAME, NS: TYPE.NS, SOA: TYPE.SOA, ANY: TYPE.ANY };

/**
 * The names a pod in `ns` tries for `name` (resolv.conf `search <ns>.svc.<zone> svc.<zone> <zone>`,
 * `options ndots:5`): a name ending in a dot is tried as is; one with at least 5 dots is tried as is
 * first, then with the search domains; any other name gets the search domains first, then as is.
 */
export function searchNames(name: string, ns: string, zone = 'cluster.local'): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const search = [`${ns}.svc.${zone}`, `svc.${zone}`, zone].map((s) => `${name}.${s}`);
  const dots = name.split('.').length - 1;
  return dots >= 5 ? [name, ...search] : [...search, name];
}

function udpExchange(pkt: Uint8Array, host: string, port: number, timeoutMs: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const t = setTimeout(() => { s.close(); resolve(undefined); }, timeoutMs);
    s.on('message', (m) => {
      if (m.length < 2 || m[0] !== pkt[0] || m[1] !== pkt[1]) return;
      clearTimeout(t); s.close(); resolve(new Uint8Array(m));
    });
    s.on('error', () => { clearTimeout(t); s.close(); resolve(undefined); });
    s.send(pkt, port, host);
  });
}

function tcpExchange(pkt: Uint8Array, host: string, port: number, timeoutMs: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const c = tcpConnect(port, host);
    let buf = Buffer.alloc(0);
    const done = (r: Uint8Array | undefined): void => { clearTimeout(t); c.destroy(); resolve(r); };
    const t = setTimeout(() => done(undefined), timeoutMs);
    c.on('connect', () => { const f = Buffer.alloc(2 + pkt.length); f.writeUInt16BE(pkt.length); f.set(pkt, 2); c.write(f); });
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(new Uint8Array(buf.subarray(2, 2 + buf.readUInt16BE(0))));
    });
    c.on('error', () => done(undefined));
  });
}

function fqdn(n: string): string { return n.endsWith('.') ? n : `${n}.`; }

function formatRecord(r: ResourceRecord): string {
  const d = r.data;
  switch (d.type) {
    case 'A': case 'AAAA': return `Name:\t${r.name}\nAddress: ${d.address}`;
    case 'CNAME': return `${r.name}\tcanonical name = ${fqdn(d.target)}`;
    case 'PTR': return `${r.name}\tname = ${fqdn(d.target)}`;
    case 'NS': return `${r.name}\tnameserver = ${fqdn(d.target)}`;
    case 'SRV': return `${r.name}\tservice = ${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`;
    case 'TXT': return `${r.name}\ttext = ${d.strings.map((s) => JSON.stringify(s)).join(' ')}`;
    case 'SOA': return `${r.name}\n\torigin = ${d.mname}\n\tmail addr = ${d.rname}\n\tserial = ${d.serial}\n\trefresh = ${d.refresh}\n\tretry = ${d.retry}\n\texpire = ${d.expire}\n\tminimum = ${d.minimum}`;
    default: return `${r.name}\trdata_${r.type} = (${d.data.length} bytes)`;
  }
}

const RCODE_TEXT: Record<number, string> = { [RCODE.NXDOMAIN]: 'NXDOMAIN', [RCODE.SERVFAIL]: 'SERVFAIL', [RCODE.REFUSED]: 'REFUSED', [RCODE.FORMERR]: 'FORMERR', [RCODE.NOTIMP]: 'NOTIMP' };

export async function lookupCommand(args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args,
    options: { namespace: { type: 'string', short: 'n' }, type: { type: 'string' }, server: { type: 'string' }, zone: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('lookup: expected exactly one NAME');
  const name = positionals[0];
  const typeName = (v.type ?? 'A').toUpperCase();
  const qtype = TYPE_BY_NAME[typeName];
  if (qtype === undefined) throw new UsageError(`--type: unknown type ${JSON.stringify(v.type)}; known: ${Object.keys(TYPE_BY_NAME).join(', ')}`);
  const server = splitHostPort(v.server ?? '127.0.0.1:1053', '--server');
  const codec = await loadCodec();
  const ns = v.namespace ?? 'default';
  const out: string[] = [`Server:\t\t${server.host}`, `Address:\t${server.host}#${server.port}`, ''];
  let last = RCODE.NXDOMAIN as number;
  let nodata = false;
  let sawNx = false;
  for (const candidate of searchNames(name, ns, v.zone ?? 'cluster.local')) {
    const id = Math.floor(Math.random() * 0x10000);
    const req: Message = {
      id, flags: { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0 },
      questions: [{ name: candidate, type: qtype, class: CLASS_IN }], answers: [], authorities: [], additionals: [],
    };
    const pkt = codec.encode(req, { maxSize: 512 });
    let bytes: Uint8Array | undefined;
    for (let attempt = 0; attempt < 2 && !bytes; attempt++) bytes = await udpExchange(pkt, server.host, server.port, 2000);
    if (!bytes) {
      process.stdout.write(`;; connection timed out; no servers could be reached\n\n`);
      return 1;
    }
    let res = codec.decode(bytes);
    if (res.flags.tc) {
      const t = await tcpExchange(pkt, server.host, server.port, 5000);
      if (t) res = codec.decode(t);
    }
    last = res.flags.rcode;
    if (last === RCODE.NXDOMAIN) sawNx = true;
    if (res.flags.rcode === RCODE.NOERROR && res.answers.length > 0) {
      if (!res.flags.aa) out.push('Non-authoritative answer:');
      for (const r of res.answers) out.push(formatRecord(r));
      process.stdout.write(out.join('\n') + '\n\n');
      return 0;
    }
    if (res.flags.rcode === RCODE.NOERROR) { nodata = true; continue; }
    // NXDOMAIN tries the next name; so does REFUSED (the bare name is outside the zone when no upstream
    // is configured, where a pod's resolver would have asked the upstream). Anything else stops.
    if (res.flags.rcode !== RCODE.NXDOMAIN && res.flags.rcode !== RCODE.REFUSED) break;
  }
  if (last === RCODE.REFUSED && sawNx) last = RCODE.NXDOMAIN;
  if (nodata && last === RCODE.NXDOMAIN) last = RCODE.NOERROR;
  if (last === RCODE.NOERROR) out.push(`*** Can't find ${name}: No answer`);
  else out.push(`** server can't find ${name}: ${RCODE_TEXT[last] ?? `rcode ${last}`}`);
  process.stdout.write(out.join('\n') + '\n\n');
  return 1;
}
