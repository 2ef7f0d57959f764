// Durable creates/s against `kubedisco server` (SQLite, group commit) and, side by side, a single-member
// etcd 3.4 driven through its JSON gateway with the same shape of load: keep-alive POSTs from 1 and 16
// clients, closed loop, each create acknowledged only once durable (kubedisco: 201 after COMMIT;
// etcd: txn response after the raft entry is fsynced). Runs are interleaved kubedisco/etcd so machine
// noise hits both. Run alone: node bench/run.ts --only creates

import { clients, closeAll, type HttpClient } from './lib/http.ts';
import { closedLoop, measureQuietly, retryBudget, type LoadRun, type RetryBudget } from './lib/load.ts';
import { ETCD_INSTALL_HINT, etcdVersion, startEtcd, startKubedisco, type Server } from './lib/servers.ts';
import { medianBy } from './lib/stats.ts';

export interface CreateRow {
  target: 'kubedisco' | 'etcd';
  what: string;
  clients: number;
  /** The run with the median rate. */
  median: LoadRun;
  runs: LoadRun[];
}

export interface CreatesResult {
  runMs: number;
  serviceRunMs: number;
  /** Bytes of a stored ConfigMap as the server returns it; etcd values have this size. */
  configMapBytes: number;
  etcd: { version?: string; notMeasured?: string };
  rows: CreateRow[];
  /** Runs measured again because other work on the machine used more than NOISY_CPUS during them. */
  retries: number;
}

export interface CreatesOptions {
  root: string;
  runs?: number;
  runMs?: number;
  serviceRunMs?: number;
  cpuProfDir?: string;
}

const CLIENTS = [1, 16];
const NS = 'bench';
const MAX_PER_CLIENT = 200_000;
const RETRY_BUDGET_MS = 60_000;

function configMap(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name, namespace: NS, labels: { app: 'bench' } },
    data: { 'app.properties': 'color=blue\nsize=medium\nreplicas=3\n', mode: 'bench' },
  });
}

function service(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name, namespace: NS, labels: { app: 'bench' } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** etcd create-if-absent, as kube-apiserver's storage does it: txn(create_revision(key) == 0, put). */
function etcdCreate(key: string, value: string): string {
  const k = b64(key);
  return JSON.stringify({
    compare: [{ target: 'CREATE', result: 'EQUAL', key: k, create_revision: '0' }],
    success: [{ request_put: { key: k, value } }],
  });
}

async function createConfigMap(c: HttpClient, name: string): Promise<void> {
  await c.expect(201, 'POST', `/api/v1/namespaces/${NS}/configmaps`, configMap(name));
}

async function createService(c: HttpClient, name: string): Promise<void> {
  await c.expect(201, 'POST', `/api/v1/namespaces/${NS}/services`, service(name));
}

function etcdOp(valueB64: string) {
  return async (c: HttpClient, name: string): Promise<void> => {
    const r = await c.expect(200, 'POST', '/v3/kv/txn', etcdCreate(`/registry/configmaps/${NS}/${name}`, valueB64));
    if (!r.body.includes('"succeeded":true')) throw new Error(`etcd txn did not succeed: ${r.body.slice(0, 300)}`);
  };
}

let measurements = 0;

async function measure(server: Server, n: number, durationMs: number, tag: string, op: (c: HttpClient, name: string) => Promise<void>): Promise<LoadRun> {
  const conns = clients(server.url, n);
  const prefix = `${tag}-m${measurements++}-c${n}`; // unique per measurement, so a repeated run creates new names
  try {
    return await closedLoop({ conns, durationMs, maxPerClient: MAX_PER_CLIENT, pid: server.pid, op: (c, w, i) => op(c, `${prefix}-w${w}-${i}`) });
  } finally {
    closeAll(conns);
  }
}

function row(target: CreateRow['target'], what: string, n: number, runs: LoadRun[]): CreateRow {
  return { target, what, clients: n, median: medianBy(runs, (r) => r.rate), runs };
}

export async function runCreatesBench(o: CreatesOptions): Promise<CreatesResult> {
  const runs = o.runs ?? 3;
  const runMs = o.runMs ?? 3000;
  const serviceRunMs = o.serviceRunMs ?? 2000;
  const version = etcdVersion();
  const result: CreatesResult = { runMs, serviceRunMs, configMapBytes: 0, etcd: version ? { version } : { notMeasured: ETCD_INSTALL_HINT }, rows: [], retries: 0 };
  if (!version) process.stderr.write(`${ETCD_INSTALL_HINT}\n`);

  const kd = await startKubedisco({ root: o.root, cpuProfDir: o.cpuProfDir });
  let etcd: Server | undefined;
  try {
    const [admin] = clients(kd.url, 1);
    await admin.expect(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
    const probe = await admin.expect(201, 'POST', `/api/v1/namespaces/${NS}/configmaps`, configMap('probe'));
    admin.close();
    result.configMapBytes = probe.bytes;
    const value = b64('v'.repeat(probe.bytes));
    const etcdCreateOp = etcdOp(value);

    if (version) etcd = await startEtcd({ root: o.root });
    // Warm-up (JIT, connection setup, first WAL segment), not reported.
    await measure(kd, 16, 500, 'warm', createConfigMap);
    await measure(kd, 16, 300, 'warm', createService);
    if (etcd) await measure(etcd, 16, 500, 'warm', etcdCreateOp);

    const budget: RetryBudget = retryBudget(RETRY_BUDGET_MS);
    const kdRuns = new Map<number, LoadRun[]>(CLIENTS.map((n) => [n, []]));
    const etcdRuns = new Map<number, LoadRun[]>(CLIENTS.map((n) => [n, []]));
    const svcRuns = new Map<number, LoadRun[]>(CLIENTS.map((n) => [n, []]));
    for (let r = 0; r < runs; r++) {
      for (const n of CLIENTS) {
        kdRuns.get(n)!.push(await measureQuietly(() => measure(kd, n, runMs, `cm-r${r}`, createConfigMap), budget));
        if (etcd) etcdRuns.get(n)!.push(await measureQuietly(() => measure(etcd!, n, runMs, `cm-r${r}`, etcdCreateOp), budget));
      }
    }
    for (let r = 0; r < runs; r++) {
      for (const n of CLIENTS) svcRuns.get(n)!.push(await measureQuietly(() => measure(kd, n, serviceRunMs, `svc-r${r}`, createService), budget));
    }
    for (const n of CLIENTS) {
      result.rows.push(row('kubedisco', 'ConfigMap', n, kdRuns.get(n)!));
      if (etcd) result.rows.push(row('etcd', 'txn create-if-absent', n, etcdRuns.get(n)!));
    }
    for (const n of CLIENTS) result.rows.push(row('kubedisco', 'Service (+ClusterIP)', n, svcRuns.get(n)!));
    result.retries = budget.retries;
    return result;
  } finally {
    await Promise.all([kd.stop(), etcd?.stop()]);
  }
}
