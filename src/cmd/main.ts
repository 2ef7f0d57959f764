// The `kubedisco` command. `npm start` runs `kubedisco server`.

import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { DEFAULT_SERVER_FLAGS, startServer, StartupError, UsageError, type ServerFlags } from './server.ts';

const USAGE = `Usage: kubedisco <command> [flags]

Commands:
  server    Run the all-in-one server: Kubernetes-compatible API on SQLite (and, as they land,
            controllers, simulated nodes and cluster DNS).

Flags for server:
  --data-dir DIR            where the database and the kubeconfig live (default ${DEFAULT_SERVER_FLAGS.dataDir})
  --api-listen HOST:PORT    API address, loopback only (default ${DEFAULT_SERVER_FLAGS.apiListen}; port 0 picks a free port)
  --dns-listen HOST:PORT    cluster DNS address (default ${DEFAULT_SERVER_FLAGS.dnsListen})
  --service-cidr CIDR       ClusterIP range (default ${DEFAULT_SERVER_FLAGS.serviceCIDR})
  --node-port-range MIN-MAX NodePort range (default ${DEFAULT_SERVER_FLAGS.nodePortRange})
  --storage sqlite|memory   storage backend (default sqlite; memory keeps nothing across restarts)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command !== 'server') {
    process.stderr.write(`kubedisco: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
    return 2;
  }
  let flags: ServerFlags;
  try {
    const { values } = parseArgs({
      args: rest,
      options: {
        'data-dir': { type: 'string' },
        'api-listen': { type: 'string' },
        'dns-listen': { type: 'string' },
        'service-cidr': { type: 'string' },
        'node-port-range': { type: 'string' },
        storage: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) { process.stdout.write(USAGE); return 0; }
    const storage = values.storage ?? DEFAULT_SERVER_FLAGS.storage;
    if (storage !== 'sqlite' && storage !== 'memory') throw new UsageError(`--storage: expected sqlite or memory, got ${JSON.stringify(storage)}`);
    flags = {
      dataDir: values['data-dir'] ?? DEFAULT_SERVER_FLAGS.dataDir,
      apiListen: values['api-listen'] ?? DEFAULT_SERVER_FLAGS.apiListen,
      dnsListen: values['dns-listen'] ?? DEFAULT_SERVER_FLAGS.dnsListen,
      serviceCIDR: values['service-cidr'] ?? DEFAULT_SERVER_FLAGS.serviceCIDR,
      nodePortRange: values['node-port-range'] ?? DEFAULT_SERVER_FLAGS.nodePortRange,
      storage,
    };
  } catch (e) {
    process.stderr.write(`kubedisco server: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }

  let server;
  try {
    server = await startServer(flags);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`kubedisco server: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof StartupError || (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES') {
      process.stderr.write(`kubedisco server: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  const kc = relative(process.cwd(), server.kubeconfigPath) || server.kubeconfigPath;
  const kcShown = kc.startsWith('..') ? server.kubeconfigPath : `./${kc}`;
  process.stdout.write(
    `kubedisco ready: api ${server.apiURL}  dns off (the DNS component is not in this build yet; --dns-listen ${flags.dnsListen} reserved)  kubeconfig ${kcShown}  next: KUBECONFIG=${kcShown} kubectl get svc -A\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      process.stderr.write(`kubedisco: ${sig} received, shutting down\n`);
      server.stop().then(resolve, (e) => { process.stderr.write(`kubedisco: error while stopping: ${(e as Error).message}\n`); resolve(); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`kubedisco: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
