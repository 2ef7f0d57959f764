// The `kubedisco` command. `npm start` runs `kubedisco server`.

import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { connect } from '../client/index.ts';
import { startControllerManager } from '../controllers/manager.ts';
import { startNodeSimulator } from '../nodesim/index.ts';
import { parseStageDelays, validateNodeSimulatorOptions, type NodeSimulatorOptions } from '../nodesim/index.ts';
import { dnsAddress, dnsCommand, DNS_USAGE, lookupCommand, parseDnsConfig, parseUdpIo, parseUpstream, parseWorkers } from './dns.ts';
import { DEFAULT_SERVER_FLAGS, parseControllerNames, startServer, StartupError, UsageError, type ServerFlags } from './server.ts';
import { waitCommand, WAIT_USAGE } from './wait.ts';

const D = DEFAULT_SERVER_FLAGS;
const USAGE = `Usage: kubedisco <command> [flags]

Commands:
  server        Run everything in one process: the Kubernetes-compatible API on SQLite, the
                controllers and the simulated nodes (which reach the API over loopback HTTP).
  controllers   Run only the controllers against a Kubernetes API (kubedisco's or a real cluster's).
  nodesim       Run only the simulated nodes against a Kubernetes API.
  dns           Run only the cluster DNS (UDP and TCP) against a Kubernetes API.
  lookup NAME   Resolve NAME as a pod in a namespace would (search path, ndots:5), like nslookup.
  wait KIND/NAME  Wait until a StatefulSet's or Deployment's pods are ready, showing each as it gets there.

Flags for server:
  --data-dir DIR            where the database and the kubeconfig live (default ${D.dataDir})
  --api-listen HOST:PORT    API address, loopback only (default ${D.apiListen}; port 0 picks a free port)
  --dns-listen HOST:PORT    cluster DNS address, UDP and TCP (default ${D.dnsListen}; port 0 picks a free port)
  --dns-zone, --dns-ttl, --dns-pods, --dns-upstream, --dns-workers, --dns-udp-io, --dns-endpoint-pod-names,
  --dns-ignore-empty-service, --dns-namespaces, --dns-namespace-labels  as the same flags of dns
  --service-cidr CIDR       ClusterIP range (default ${D.serviceCIDR})
  --node-port-range MIN-MAX NodePort range (default ${D.nodePortRange})
  --storage sqlite|memory   storage backend (default sqlite; memory keeps nothing across restarts)
  --nodes N                 simulated nodes (default ${D.nodes}; 0 runs none)
  --pod-cidr CIDR           pod IPs for the simulated nodes, split per node (default ${D.podCIDR})
  --controllers a,b,...     controllers to run (default all)
  --max-endpoints-per-slice N  endpoints per EndpointSlice, 1-1000 (default 100)
  --stage-delays S=D,...    simulated pods: delay of a lifecycle stage, e.g. pod-create=100ms,pod-ready=1s
                            (stages and defaults: src/nodesim/README.md)
  --stages DIR              simulated pods: a folder of stage YAML files instead of the built-in ones
  --max-pods N              pods per simulated node (kubelet --max-pods; default 110)

Flags for controllers and nodesim:
  --kubeconfig PATH         the API to use (default $KUBECONFIG, else ~/.kube/config)
  --context NAME            kubeconfig context
  --controllers a,b,...     (controllers) which to run, default all
  --nodes N, --pod-cidr CIDR  (nodesim) as for server
  --stage-delays, --stages, --max-pods  (nodesim) as for server
  --no-scheduler            (nodesim) leave binding pods to another scheduler (next to a real kube-scheduler)

${DNS_USAGE}
${WAIT_USAGE}`;

class ExitError extends Error {
  readonly code: number;
  constructor(code: number, message: string) { super(message); this.code = code; }
}

function parse(command: string, args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' }, 'api-listen': { type: 'string' }, 'dns-listen': { type: 'string' },
        'service-cidr': { type: 'string' }, 'node-port-range': { type: 'string' }, storage: { type: 'string' },
        nodes: { type: 'string' }, 'pod-cidr': { type: 'string' }, controllers: { type: 'string' },
        kubeconfig: { type: 'string' }, context: { type: 'string' }, 'max-endpoints-per-slice': { type: 'string' },
        'stage-delays': { type: 'string' }, stages: { type: 'string' }, 'max-pods': { type: 'string' }, 'no-scheduler': { type: 'boolean' },
        'dns-zone': { type: 'string' }, 'dns-ttl': { type: 'string' }, 'dns-pods': { type: 'string' },
        'dns-upstream': { type: 'string' }, 'dns-workers': { type: 'string' }, 'dns-udp-io': { type: 'string' },
        'dns-endpoint-pod-names': { type: 'boolean' }, 'dns-ignore-empty-service': { type: 'boolean' },
        'dns-namespaces': { type: 'string' }, 'dns-namespace-labels': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw new ExitError(2, `kubedisco ${command}: ${(e as Error).message}\n\n${USAGE}`);
  }
}

/** kube-controller-manager --max-endpoints-per-slice: 1 to 1000, default 100. */
function maxEndpointsPerSlice(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`--max-endpoints-per-slice: expected a whole number from 1 to 1000, got ${JSON.stringify(v)}`);
  return n;
}

function nodeCount(v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 5000) throw new UsageError(`--nodes: expected a whole number from 0 to 5000, got ${JSON.stringify(v)}`);
  return n;
}

/** The node simulator flags beyond --nodes/--pod-cidr, checked before anything starts (bad values exit 2). */
function nodesimFlags(v: ReturnType<typeof parse>, nodes: number, podCIDR: string): Omit<NodeSimulatorOptions, 'rest' | 'nodes' | 'podCIDR'> {
  const extra: Omit<NodeSimulatorOptions, 'rest' | 'nodes' | 'podCIDR'> = {};
  try {
    if (v['stage-delays'] !== undefined) extra.stageDelays = parseStageDelays(v['stage-delays']);
  } catch (e) { throw new UsageError(`--stage-delays: ${(e as Error).message}`); }
  if (v.stages !== undefined) extra.stagesDir = v.stages;
  if (v['max-pods'] !== undefined) {
    const n = Number(v['max-pods']);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-pods: expected a whole number ≥ 1, got ${JSON.stringify(v['max-pods'])}`);
    extra.maxPods = n;
  }
  if (v['no-scheduler']) extra.scheduler = false;
  try {
    if (nodes > 0) validateNodeSimulatorOptions({ nodes, podCIDR, ...extra });
  } catch (e) { throw new UsageError((e as Error).message); }
  return extra;
}

/**
 * Installed before anything starts, so a signal that arrives while starting (or right after the ready
 * line, before the next statement runs) is never handled by Node's default handler, which would kill the
 * process without a clean stop.
 */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}

async function stopOn(signal: Promise<string>, stop: () => Promise<void>): Promise<void> {
  // Keep the process alive until a signal even when nothing else holds the event loop open
  // (e.g. `kubedisco controllers --controllers ''`).
  const keepAlive = setInterval(() => {}, 1 << 30);
  const sig = await signal;
  clearInterval(keepAlive);
  process.stderr.write(`kubedisco: ${sig} received, shutting down\n`);
  try { await stop(); } catch (e) { process.stderr.write(`kubedisco: error while stopping: ${(e as Error).message}\n`); }
}

async function server(args: string[]): Promise<void> {
  const v = parse('server', args);
  if (v.help) { process.stdout.write(USAGE); return; }
  const storage = v.storage ?? D.storage;
  if (storage !== 'sqlite' && storage !== 'memory') throw new UsageError(`--storage: expected sqlite or memory, got ${JSON.stringify(storage)}`);
  const flags: ServerFlags = {
    dataDir: v['data-dir'] ?? D.dataDir,
    apiListen: v['api-listen'] ?? D.apiListen,
    dnsListen: v['dns-listen'] ?? D.dnsListen,
    serviceCIDR: v['service-cidr'] ?? D.serviceCIDR,
    nodePortRange: v['node-port-range'] ?? D.nodePortRange,
    storage,
    nodes: nodeCount(v.nodes, D.nodes),
    podCIDR: v['pod-cidr'] ?? D.podCIDR,
    controllers: v.controllers !== undefined ? parseControllerNames(v.controllers) : undefined,
    maxEndpointsPerSlice: maxEndpointsPerSlice(v['max-endpoints-per-slice']),
    nodesim: nodesimFlags(v, nodeCount(v.nodes, D.nodes), v['pod-cidr'] ?? D.podCIDR),
    dns: {
      config: parseDnsConfig({
        zone: v['dns-zone'], ttl: v['dns-ttl'], pods: v['dns-pods'],
        'endpoint-pod-names': v['dns-endpoint-pod-names'], 'ignore-empty-service': v['dns-ignore-empty-service'],
        namespaces: v['dns-namespaces'], 'namespace-labels': v['dns-namespace-labels'],
      }),
      upstream: parseUpstream(v['dns-upstream']),
      workers: parseWorkers(v['dns-workers']),
      udpIo: parseUdpIo(v['dns-udp-io'], '--dns-udp-io'),
    },
  };
  const signal = shutdownSignal();
  const s = await startServer(flags);
  const kc = relative(process.cwd(), s.kubeconfigPath);
  const kcShown = !kc || kc.startsWith('..') ? s.kubeconfigPath : `./${kc}`;
  process.stdout.write(
    `kubedisco ready: api ${s.apiURL}  dns udp+tcp ${dnsAddress(s.dns)}  kubeconfig ${kcShown}  next: KUBECONFIG=${kcShown} kubectl get svc -A\n`,
  );
  await stopOn(signal, () => s.stop());
}

async function controllers(args: string[]): Promise<void> {
  const v = parse('controllers', args);
  if (v.help) { process.stdout.write(USAGE); return; }
  const signal = shutdownSignal();
  const rest = connect({ kubeconfig: v.kubeconfig, context: v.context, userAgent: 'kubedisco-controllers' });
  const running = await startControllerManager({
    rest,
    controllers: v.controllers !== undefined ? parseControllerNames(v.controllers) : undefined,
    maxEndpointsPerSlice: maxEndpointsPerSlice(v['max-endpoints-per-slice']),
  });
  process.stdout.write(`kubedisco controllers ready: ${running.names.join(', ')} against ${rest.config.server}\n`);
  await stopOn(signal, async () => { await running.stop(); rest.close(); });
}

async function nodesim(args: string[]): Promise<void> {
  const v = parse('nodesim', args);
  if (v.help) { process.stdout.write(USAGE); return; }
  const signal = shutdownSignal();
  const rest = connect({ kubeconfig: v.kubeconfig, context: v.context, userAgent: 'kubedisco-nodesim' });
  const nodes = nodeCount(v.nodes, D.nodes);
  const extra = nodesimFlags(v, nodes, v['pod-cidr'] ?? D.podCIDR);
  const running = await startNodeSimulator({ rest, nodes, podCIDR: v['pod-cidr'] ?? D.podCIDR, ...extra });
  process.stdout.write(`kubedisco nodesim ready: ${nodes} nodes against ${rest.config.server}\n`);
  await stopOn(signal, async () => { await running.stop(); rest.close(); });
}

/**
 * The DNS server's young generation, in MiB per semi-space. V8 grows it (up to 16 MiB by default) after a
 * burst of allocation, such as the first LIST of every Service and EndpointSlice, and does not shrink it:
 * that alone cost `kubedisco dns` ~2 KiB of RSS per Service+endpoint at 2,100 objects, against ~0.5 KiB
 * with this cap (docs/benchmarks.md §6). Its hot path allocates almost nothing, so the cap costs no speed.
 */
const DNS_SEMI_SPACE_MB = 1;

async function dns(args: string[]): Promise<void> {
  if (args.includes('-h') || args.includes('--help')) { process.stdout.write(USAGE); return; }
  // V8 sizes its heap once, at start: run again, in place (same pid), with the cap unless it is set already.
  if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) && typeof process.execve === 'function') {
    process.execve(process.execPath, [process.execPath, `--max-semi-space-size=${DNS_SEMI_SPACE_MB}`, ...process.execArgv, ...process.argv.slice(1)], process.env);
  }
  const signal = shutdownSignal();
  await usageOnParseError('dns', () => dnsCommand(args, signal, stopOn));
}

async function lookup(args: string[]): Promise<void> {
  if (args.includes('-h') || args.includes('--help')) { process.stdout.write(USAGE); return; }
  const code = await usageOnParseError('lookup', () => lookupCommand(args));
  if (code !== 0) throw new ExitError(code, '');
}

/** node:util parseArgs errors (unknown flag, missing value) exit 2 with usage, as the other commands. */
async function usageOnParseError<T>(command: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (String((e as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS')) throw new ExitError(2, `kubedisco ${command}: ${(e as Error).message}\n\n${USAGE}`);
    throw e;
  }
}

async function wait(args: string[]): Promise<void> {
  if (args.includes('-h') || args.includes('--help')) { process.stdout.write(USAGE); return; }
  const code = await usageOnParseError('wait', () => waitCommand(args));
  if (code !== 0) throw new ExitError(code, '');
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { server, controllers, nodesim, dns, lookup, wait };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`kubedisco: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (e) {
    if (e instanceof ExitError) { process.stderr.write(e.message); return e.code; }
    if (e instanceof UsageError) { process.stderr.write(`kubedisco ${command}: ${e.message}\n\n${USAGE}`); return 2; }
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof StartupError || code === 'EADDRINUSE' || code === 'EACCES' || code === 'ECONNREFUSED') {
      process.stderr.write(`kubedisco ${command}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

// A failure may leave half-started servers (and our signal handlers) holding the event loop open:
// end the process explicitly, or it would hang and ignore SIGTERM.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (code !== 0) process.exit(code);
}, (e) => {
  process.stderr.write(`kubedisco: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
