// `kubedisco server`: the all-in-one process. It opens storage, starts the API server, and (as later
// components land) the controllers, node simulator and DNS, which reach the API only over HTTP.

import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { MemoryBackend } from '../storage/memory/memory-backend.ts';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend.ts';
import type { Backend } from '../storage/backend.ts';
import { createStrategies } from '../apiserver/registry/index.ts';
import { Store } from '../apiserver/store.ts';
import { ApiServer } from '../apiserver/server.ts';
import { bootstrap } from '../apiserver/bootstrap.ts';
import { log } from '../util/log.ts';
import { connect } from '../client/index.ts';
import { startControllerManager } from '../controllers/manager.ts';
import { CONTROLLERS, type ControllerName } from '../controllers/index.ts';
import { startNodeSimulator } from '../nodesim/index.ts';
import type { NodeSimulatorOptions } from '../nodesim/index.ts';
import { startDnsServer, type RunningDns, type UdpIo } from '../dns/index.ts';
import type { DnsConfig } from '../dns/kubernetes/resolve.ts';

export interface ServerFlags {
  dataDir: string;
  apiListen: string;
  dnsListen: string;
  serviceCIDR: string;
  nodePortRange: string;
  storage: 'sqlite' | 'memory';
  /** Simulated nodes to register (0: none, e.g. when real kubelets serve the pods). */
  nodes: number;
  podCIDR: string;
  /** Controllers to run; default all. */
  controllers?: ControllerName[];
  maxEndpointsPerSlice?: number;
  /** Further node simulator options (stage delays, a stages folder, max pods per node). */
  nodesim?: Omit<NodeSimulatorOptions, 'rest' | 'nodes' | 'podCIDR'>;
  /** Cluster DNS options (on --dns-listen): resolver overrides (zone, ttl, pods), upstream, serving threads. */
  dns?: { config?: Partial<DnsConfig>; upstream?: { host: string; port: number }; workers?: number; udpIo?: UdpIo };
}

export const DEFAULT_SERVER_FLAGS: ServerFlags = {
  dataDir: './data',
  apiListen: '127.0.0.1:6443',
  dnsListen: '127.0.0.1:1053',
  serviceCIDR: '10.96.0.0/12',
  nodePortRange: '30000-32767',
  storage: 'sqlite',
  nodes: 3,
  podCIDR: '10.244.0.0/16',
};

export function parseControllerNames(v: string): ControllerName[] {
  const names = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) if (!(n in CONTROLLERS)) throw new UsageError(`--controllers: unknown controller ${JSON.stringify(n)}; known: ${Object.keys(CONTROLLERS).join(', ')}`);
  return names as ControllerName[];
}

/** A flag value that cannot be parsed: exit 2 with usage. */
export class UsageError extends Error {}
/** A valid request the server refuses (non-loopback without TLS, data dir in use): exit 1. */
export class StartupError extends Error {}

export function splitHostPort(v: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(v);
  if (!m) throw new UsageError(`${flag}: expected HOST:PORT, got ${JSON.stringify(v)}`);
  const host = m[1] ?? m[2];
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`${flag}: port ${port} is out of range`);
  return { host: host || '0.0.0.0', port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

export interface RunningServer {
  apiURL: string;
  /** The cluster DNS (its real port when --dns-listen asked for port 0). */
  dns: RunningDns;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startServer(flags: ServerFlags): Promise<RunningServer> {
  const api = splitHostPort(flags.apiListen, '--api-listen');
  if (!isLoopback(api.host)) {
    throw new StartupError(`--api-listen ${flags.apiListen}: refusing to serve the API on a non-loopback address without TLS and authentication (not in this release); use a loopback address such as 127.0.0.1`);
  }
  const dnsListen = splitHostPort(flags.dnsListen, '--dns-listen');
  if (!isLoopback(dnsListen.host)) throw new StartupError(`--dns-listen ${flags.dnsListen}: only loopback addresses in this release (e.g. 127.0.0.1)`);
  const range = /^(\d+)-(\d+)$/.exec(flags.nodePortRange);
  if (!range || Number(range[1]) > Number(range[2]) || Number(range[2]) > 65535) throw new UsageError(`--node-port-range: expected MIN-MAX, got ${JSON.stringify(flags.nodePortRange)}`);
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(flags.serviceCIDR)) throw new UsageError(`--service-cidr: expected an IPv4 CIDR such as 10.96.0.0/12, got ${JSON.stringify(flags.serviceCIDR)}`);

  const dataDir = resolve(flags.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);

  let backend: Backend;
  if (flags.storage === 'memory') backend = new MemoryBackend();
  else backend = SqliteBackend.open(join(dataDir, 'kubedisco.db'));

  const strategies = createStrategies({ serviceCIDR: flags.serviceCIDR, nodePortRange: { min: Number(range[1]), max: Number(range[2]) } });
  const store = new Store(backend, strategies);
  await store.init();

  let bootstrapped = false;
  let components: Array<{ name: string; ready(): boolean; stop(): Promise<void> }> = [];
  const server = new ApiServer({
    store, host: api.host, port: api.port,
    readyChecks: [
      { name: 'storage', check: () => '' },
      { name: 'bootstrap-system-objects', check: () => (bootstrapped ? '' : 'system namespaces and the kubernetes Service are not in place yet') },
      { name: 'components', check: () => components.filter((c) => !c.ready()).map((c) => `${c.name} not ready`).join(', ') },
    ],
  });
  const addr = await server.listen();
  const hostForURL = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const apiURL = `http://${hostForURL}:${addr.port}`;
  await bootstrap(store, { serviceCIDR: flags.serviceCIDR, apiHost: api.host === 'localhost' ? '127.0.0.1' : addr.address, apiPort: addr.port });
  bootstrapped = true;

  // The other components reach the API over loopback HTTP, exactly as they would reach a real cluster.
  const rest = connect({ server: apiURL, userAgent: 'kubedisco-server' });
  const controllers = await startControllerManager({ rest, controllers: flags.controllers, maxEndpointsPerSlice: flags.maxEndpointsPerSlice });
  components.push({ name: 'controllers', ...controllers });
  if (flags.nodes > 0) {
    const nodesim = await startNodeSimulator({ rest, nodes: flags.nodes, podCIDR: flags.podCIDR, ...flags.nodesim });
    server.addMetricsSource(() => nodesim.renderMetrics());
    components.push({ name: 'nodesim', ...nodesim });
  }

  // The cluster DNS watches the API over HTTP too (its main thread holds the view; worker threads serve UDP).
  let dns: RunningDns;
  try {
    dns = await startDnsServer({ rest, listen: dnsListen, config: flags.dns?.config ?? {}, upstream: flags.dns?.upstream, workers: flags.dns?.workers, udpIo: flags.dns?.udpIo });
  } catch (e) {
    // e.g. --dns-listen in use: undo what is running so the process can exit with the error.
    for (const c of [...components].reverse()) await c.stop();
    rest.close();
    await server.close();
    await backend.close();
    lock.release();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES') throw new StartupError(`--dns-listen ${flags.dnsListen}: ${err.message}`);
    throw e;
  }
  server.addMetricsSource(() => dns.renderMetrics());
  server.addReadyCheck({ name: 'dns', check: () => (dns.ready() ? '' : 'the DNS watches have not synced yet') });
  components.push({ name: 'dns', ready: () => true /* its own readyz check, "dns" */, stop: () => dns.stop() });
  // The ready line promises synced answers: wait for the first sync (bounded, as CoreDNS's 5 s
  // startup_timeout, rule book §1.7; the readyz "dns" check reports it if it takes longer).
  for (let i = 0; i < 100 && !dns.ready(); i++) await new Promise((r) => setTimeout(r, 50));

  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfig(apiURL), { mode: 0o600 });

  let stopping: Promise<void> | undefined;
  return {
    apiURL,
    dns,
    kubeconfigPath,
    stop() {
      stopping ??= (async () => {
        for (const c of [...components].reverse()) await c.stop();
        components = [];
        rest.close();
        await server.close();
        await backend.close();
        lock.release();
      })();
      return stopping;
    },
  };
}

export function kubeconfig(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kubedisco',
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    '- name: kubedisco',
    '  context:',
    '    cluster: kubedisco',
    '    user: kubedisco',
    '    namespace: default',
    'current-context: kubedisco',
    'users:',
    '- name: kubedisco',
    '  user: {}',
    'preferences: {}',
    '',
  ].join('\n');
}

/** One server per data dir: a second one would serve a diverging copy of the same database. */
function acquireLock(dataDir: string): { release(): void } {
  const path = join(dataDir, 'kubedisco.pid');
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) throw new StartupError(`--data-dir ${dataDir}: already in use by kubedisco process ${pid}`);
  }
  writeFileSync(path, `${process.pid}\n`);
  return { release: () => { try { if (readFileSync(path, 'utf8').trim() === String(process.pid)) rmSync(path); } catch { /* already gone */ } } };
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function logStarted(s: RunningServer): void {
  log('info', 'server', 'started', { api: s.apiURL, kubeconfig: s.kubeconfigPath });
}
