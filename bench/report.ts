// Renders docs/benchmarks.md from the results of bench/run.ts.

import type { StorageBenchResult } from './storage.ts';
import type { CreatesResult, CreateRow } from './creates.ts';
import type { ListsResult } from './lists.ts';
import type { WatchResult } from './watch.ts';
import type { ProfileResult } from './profile.ts';
import type { ControllersResult, PhaseResult } from './controllers.ts';
import type { DnsResult, DnsRun, DnsServerResult } from './dns.ts';
import type { Machine } from './lib/machine.ts';
import type { Quiet } from './lib/cpu.ts';
import type { ProfileSummary } from './lib/profile.ts';
import { bytes, median, medianBy, ms, num, ratio } from './lib/stats.ts';
import { noisy, NOISY_CPUS } from './lib/load.ts';

export const CREATE_GOAL = 5000;
/** Issue 3: p99 propagation latency (pod readiness write → EndpointSlice update) at 1,000 pods. */
export const PROPAGATION_P99_GOAL_MS = 10;
/** Controller CPU per change at 10,000 pods over 1,000 pods: "flat" when at most this. */
export const FLAT_RATIO = 1.5;
/** Issue 4 goals: queries per server core ≥ 0.8 × Knot's; p99 ≤ 1 ms at 10,000 queries/s; ≤ 1 KB per Service + endpoint; propagation p99 ≤ 10 ms. */
export const DNS_PER_CORE_GOAL = 0.8;
export const DNS_P99_GOAL_MS = 1;
export const DNS_BYTES_PER_OBJECT_GOAL = 1024;
export const DNS_PROPAGATION_GOAL_MS = 10;

export interface Report {
  machine: Machine;
  etcd: string;
  seconds: number;
  storage?: StorageBenchResult;
  creates?: CreatesResult;
  lists?: ListsResult;
  watch?: WatchResult;
  controllers?: ControllersResult;
  dns?: DnsResult;
  profile?: ProfileResult;
  /** Section name → error message. */
  failed: Record<string, string>;
  /** Section name → how long it waited for a quiet machine, and the CPUs others used when it started. */
  quiet: Record<string, Quiet>;
}

/** A GitHub table; a column is right-aligned when every non-empty cell in it is a number. */
const pct = (x: number): string => `${num(x * 100, x > 0 && x < 0.1 ? 1 : 0)} %`;

function table(head: string[], rows: string[][]): string {
  const numeric = head.map((_, i) => rows.some((r) => r[i]) && rows.every((r) => !r[i] || /^[*\d–-]/.test(r[i])));
  return [
    `| ${head.join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function failedOr(r: Report, key: string, body: () => string): string {
  if (r.failed[key]) return `**FAILED:**\n\n\`\`\`\n${r.failed[key]}\n\`\`\``;
  return body();
}

function find(c: CreatesResult, target: string, what: string, n: number): CreateRow | undefined {
  return c.rows.find((x) => x.target === target && x.what.startsWith(what) && x.clients === n);
}

function summary(r: Report): string {
  const out: string[] = [];
  const c = r.creates;
  if (c) {
    const k16 = find(c, 'kubedisco', 'ConfigMap', 16)?.median.rate ?? NaN;
    const verdict = k16 >= CREATE_GOAL ? 'goal met' : '**goal missed**';
    const kRow = find(c, 'kubedisco', 'ConfigMap', 16);
    const sRow = find(c, 'kubedisco', 'Service', 16);
    out.push(`- Durable creates at 16 clients (ConfigMaps, SQLite, over HTTP): **${num(k16)}/s** (goal ≥ ${num(CREATE_GOAL)}/s: ${verdict}), ` +
      `${num(kRow?.median.perCpuS ?? NaN)} creates per server CPU-second, p99 ${ms(kRow?.median.p99Ms ?? NaN)} ms. Services (with ClusterIP allocation): ${num(sRow?.median.rate ?? NaN)}/s.`);
    for (const n of [1, 16]) {
      const k = find(c, 'kubedisco', 'ConfigMap', n)?.median.rate ?? NaN;
      const e = find(c, 'etcd', 'txn', n)?.median.rate;
      out.push(e === undefined
        ? `- ${n} client${n > 1 ? 's' : ''}: kubedisco ${num(k)}/s; etcd not measured.`
        : `- ${n} client${n > 1 ? 's' : ''}: kubedisco ${num(k)}/s vs etcd ${num(e)}/s, ratio kubedisco/etcd **${ratio(k, e)}**.`);
    }
  }
  const l = r.lists?.rows[0];
  if (l) out.push(`- LIST of all ${num(l.items)} Services (JSON, ${bytes(l.bytes)}): p50 ${ms(l.p50Ms)} ms, p99 ${ms(l.p99Ms)} ms.`);
  const w = r.watch;
  if (w) {
    out.push(`- Watch fan-out: ${num(w.events)} events × ${w.watchers} watchers = ${num(w.deliveries)} deliveries, every one exactly once and in order; ` +
      `write sent → watcher receipt p50 ${ms(w.sentToReceipt.p50)} ms, p99 ${ms(w.sentToReceipt.p99)} ms; ${pct(w.beforeAck)} of deliveries reached the watcher before the writer had its 201.`);
  }
  const ct = r.controllers && controllerVerdicts(r.controllers);
  if (ct) {
    out.push(`- EndpointSlice propagation (pod readiness write sent → slice update on a watch), one change at a time: ` +
      ct.rows.map((x) => `${num(x.pods)} pods p50 ${ms(x.single.fromSent.p50)} ms / p99 ${lat(x.single)} ms`).join('; ') +
      ` (goal p99 ≤ ${PROPAGATION_P99_GOAL_MS} ms at 1,000 pods: ${ct.goal}). Under ${num(r.controllers!.churnRate)} changes/s: ` +
      ct.rows.map((x) => `${num(x.pods)} pods p50 ${ms(x.churn.fromSent.p50)} ms / p99 ${lat(x.churn)} ms`).join('; ') +
      ` (from the PATCH's 200 to the slice, the controller's share: p99 ${ct.rows.map((x) => `${ms(x.churn.fromAck.p99)} ms`).join(' and ')}).`);
    out.push(`- Controller CPU per change under churn: ${ct.rows.map((x) => `${num(x.pods)} pods ${cpuMs(x.churn)} ms`).join(', ')}; ` +
      `ratio 10k/1k **${ct.ratio}** (${ct.flat}).`);
  }
  if (r.dns) out.push(...dnsSummary(r.dns));
  const st = r.storage?.writes.find((x) => x.backend === 'sqlite' && x.writers === 16);
  if (st) out.push(`- Storage alone (in-process SQLite Backend, 16 writers, no HTTP): ${num(st.createsPerSec)} creates/s.`);
  for (const [k, v] of Object.entries(r.failed)) out.push(`- **${k}: FAILED** — ${v.split('\n')[0]}`);
  return out.join('\n');
}

function creates(c: CreatesResult, nproc: number): string {
  const rows = c.rows.map((x) => {
    const m = x.median;
    return [x.target, x.what, String(x.clients), `**${num(m.rate)}**`, x.runs.map((r) => `${num(r.rate)}${noisy(r) ? '†' : ''}`).join(', '), ms(m.p50Ms), ms(m.p99Ms),
      `${num(m.serverCpuS, 2)} / ${num(m.seconds, 1)} s`, num(m.perCpuS), `${num(m.clientCpuS, 2)} / ${num(m.otherCpuS, 2)}`];
  });
  const ratios = [1, 16].map((n) => {
    const k = find(c, 'kubedisco', 'ConfigMap', n);
    const e = find(c, 'etcd', 'txn', n);
    return [String(n), k ? num(k.median.rate) : '–', e ? num(e.median.rate) : 'not measured', k && e ? ratio(k.median.rate, e.median.rate) : 'not measured',
      k ? num(k.median.perCpuS) : '–', e ? num(e.median.perCpuS) : 'not measured', k && e ? ratio(k.median.perCpuS, e.median.perCpuS) : 'not measured'];
  });
  return [
    `Closed loop: each client is one keep-alive connection that POSTs its next object as soon as the previous one is answered; ` +
    `${c.runMs / 1000} s per run (${c.serviceRunMs / 1000} s for Services), median of the runs shown. A create counts only when answered ` +
    `201 (kubedisco: after the SQLite COMMIT with \`synchronous=FULL\`) or \`succeeded: true\` (etcd: after the raft entry is fsynced). ` +
    `kubedisco stores a ConfigMap as ${c.configMapBytes} bytes of JSON; the etcd values have the same size (base64 on the wire) under ` +
    `\`/registry/configmaps/bench/<name>\`, written with \`POST /v3/kv/txn\` (compare \`create_revision == 0\`, then put: create-if-absent). ` +
    `Runs alternate kubedisco/etcd. Latency is client-side (send → full response). Server CPU is utime+stime from \`/proc/<pid>/stat\` over the run; "anything else" is the machine's busy time ` +
    `(\`/proc/stat\`) minus server and load generator: other processes and hypervisor steal, i.e. noise.`,
    '',
    table(['target', 'object', 'clients', 'creates/s', 'runs (creates/s)', 'p50 ms', 'p99 ms', 'server CPU-s / wall', 'creates per server CPU-s', 'CPU-s load generator / anything else'], rows),
    '',
    `${c.retries} run${c.retries === 1 ? ' was' : 's were'} measured again because other work used more than ${NOISY_CPUS} CPU during ` +
    `${c.retries === 1 ? 'it' : 'them'} (at most twice per run, within 60 s for the section); † marks a kept run that was still that noisy.`,
    '',
    c.etcd.version ? `etcd ${c.etcd.version}, single member, defaults apart from loopback URLs and \`--log-level error\`.` : `etcd: **not measured** — ${c.etcd.notMeasured}.`,
    '',
    table(['clients', 'kubedisco creates/s', 'etcd creates/s', 'kubedisco/etcd', 'kubedisco per CPU-s', 'etcd per CPU-s', 'kubedisco/etcd per CPU-s'], ratios),
    '',
    `Machine CPU in use at 16 clients (server + load generator, of ${nproc} CPUs): ` +
    c.rows.filter((x) => x.clients === 16).map((x) => `${x.target} ${x.what} ${num(((x.median.serverCpuS + x.median.clientCpuS) / x.median.seconds / nproc) * 100)} %`).join(', ') + '.',
  ].join('\n');
}

const ANCHORS = [
  '**Published figures, not measured here** (from `performance-anchors.md`; other hardware and versions, so orders of magnitude only):',
  '',
  '- etcd 3.2, 3 members × 8 vCPU, SSD (etcd op-guide `performance.md`): **583 writes/s at 1 client** (1.6 ms); 44,341 writes/s at 1,000 clients over 100 connections (22 ms).',
  '- k3s with kine on SQLite under load (vCluster load test, 5,000 secrets at 200 req/s): **1.4 s mean API latency**, against 0.35 s for k3s on etcd. SQLite FAQ: "a few dozen transactions per second" on a rotating disk without batching.',
].join('\n');

function lists(l: ListsResult): string {
  const p = l.populate;
  return [
    `${num(l.services)} Services in ${l.namespaces} namespaces (plus the \`kubernetes\` Service), created with 16 clients at ${num(p.rate)}/s ` +
    `(p50 ${ms(p.p50Ms)} ms, p99 ${ms(p.p99Ms)} ms, ${num(p.perCpuS)} creates per server CPU-second). Each case: 2 warm-ups, then the timed runs ` +
    `one after another on one keep-alive connection; time is send → last byte received (the client decodes the body after the clock stops; for the continue walk, the sum over the pages). With ~20 runs, p99 is the slowest run. Server CPU per run has a resolution of 10 ms / runs.`,
    '',
    table(['request', 'items', 'response size', 'requests', 'runs', 'p50 ms', 'p99 ms', 'server CPU ms per run', 'anything else, CPU ms per run'],
      l.rows.map((x) => [`${x.what}<br>\`GET ${x.path}\``, num(x.items), bytes(x.bytes), String(x.requests), String(x.runs), ms(x.p50Ms), ms(x.p99Ms), num(x.serverCpuMs, 1), num(x.otherCpuMs, 1)])),
    '',
    'The Table case sends `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (what `kubectl get svc -A` asks for). ' +
    'Published SLO for context (A4): LIST p99 ≤ 30 s cluster-wide, ≤ 5 s per namespace.',
  ].join('\n');
}

function watch(w: WatchResult): string {
  return [
    `${w.watchers} watchers, each its own connection: \`GET /api/v1/namespaces/watch-bench/configmaps?watch=true&resourceVersion=<list RV>\`. ` +
    `A writer paced at ${num(w.targetRate)} creates/s over 16 keep-alive connections created ${num(w.events)} ConfigMaps in ${num(w.seconds, 2)} s ` +
    `(${num(w.writeRate)}/s achieved). **Verified: every watcher received every acknowledged create exactly once, as ADDED, in resourceVersion order.**`,
    '',
    table(['measure', 'p50 ms', 'p99 ms', 'max ms', 'samples'], [
      ['write sent → watcher receipt', ms(w.sentToReceipt.p50), ms(w.sentToReceipt.p99), ms(w.sentToReceipt.max), num(w.sentToReceipt.n)],
      ['watcher receipt − write acknowledged (201 read)', ms(w.ackToReceipt.p50), ms(w.ackToReceipt.p99), ms(w.ackToReceipt.max), num(w.ackToReceipt.n)],
      ['write latency (sent → 201)', ms(w.writeLatency.p50), ms(w.writeLatency.p99), ms(w.writeLatency.max), num(w.writeLatency.n)],
    ]),
    '',
    `${pct(w.beforeAck)} of deliveries were read by the watcher before the writer read the write's 201 (negative "receipt − acknowledged"): ` +
    'the server sends watch events from the commit path before it answers the writers, and the watchers and the writer share one ' +
    'process and clock, so "write sent → receipt" (commit + fan-out + client queueing) is the delivery latency to read.',
    '',
    `Deliveries: ${num(w.deliveriesPerSec)}/s; ${bytes(w.bytesPerWatcher)} per watcher. Server CPU ${num(w.serverCpuS, 2)} s, load-generator CPU ` +
    `${num(w.clientCpuS, 2)} s (watchers and writer, one process) and ${num(w.otherCpuS, 2)} s for anything else on the machine over the ${num(w.seconds, 1)} s of writing plus the drain.`,
  ].join('\n');
}

function profile(p: ProfileResult): string {
  const pf = p.profile;
  const rows = (ls: ProfileSummary['lines']) => ls.map((l) => [`\`${l.fn}\``, `${num(l.share * 100, 1)} %`, num(l.selfMs)]);
  return [
    `A separate ${num(p.run.seconds, 1)} s run of the 16-client ConfigMap load against a server started with \`node --cpu-prof\` ` +
    `(${num(p.run.rate)} creates/s under the profiler, server CPU ${num(p.run.serverCpuS, 2)} s). The server's main thread was busy ` +
    `${num(pf.busyMs)} ms and idle ${num(pf.idleMs)} ms over its whole life (startup included). Self time, as a share of busy time; ` +
    'synchronous system calls (the SQLite COMMIT\'s fsync, socket writes) count as self time of the JavaScript function that made them.',
    '',
    table(['folder', 'share of busy', 'self ms'], rows(pf.folders)),
    '',
    table(['function', 'share of busy', 'self ms'], rows(pf.lines)),
  ].join('\n');
}

function storage(s: StorageBenchResult): string {
  return [
    `\`runStorageBench()\` from \`bench/storage.ts\`: the Backend in-process (no HTTP, no JSON encoding of objects), ${s.valueBytes}-byte values, ` +
    `median of ${s.writes[0]?.runs.length ?? 0} runs of ${s.runMs} ms each.`,
    '',
    table(['backend', 'writers', 'creates/s', 'runs', 'writes per commit', 'commit ms avg / max', 'event loop blocked by commits'],
      s.writes.map((w) => [w.backend, String(w.writers), `**${num(w.createsPerSec)}**`, w.runs.map((x) => num(x)).join(', '),
        w.avgBatch === undefined ? '' : num(w.avgBatch, 1), w.avgCommitMs === undefined ? '' : `${ms(w.avgCommitMs)} / ${ms(w.maxCommitMs!)}`,
        w.commitShareOfWall === undefined ? '' : `${Math.round(w.commitShareOfWall * 100)} %`])),
    '',
    'List latency with 10,000 pods and 10,000 services stored (median of 15):',
    '',
    table(['backend', 'list', 'items', 'median ms'], s.lists.map((l) => [l.backend, l.what, num(l.items), ms(l.medianMs)])),
  ].join('\n');
}

/** p99 of a phase; '∞' when more than 1 % of its changes never reached a slice. */
const lat = (p: PhaseResult): string => (Number.isFinite(p.fromSent.p99) ? ms(p.fromSent.p99) : '∞');
/** Controller CPU milliseconds per change. */
const cpuPer = (p: PhaseResult): number => (p.controllerCpuS * 1000) / p.changes;
const cpuMs = (p: PhaseResult): string => num(cpuPer(p), cpuPer(p) >= 1 ? 2 : 3);

function controllerVerdicts(c: ControllersResult) {
  const rows = c.scales;
  const at1k = rows.find((x) => x.pods === 1000);
  const at10k = rows.find((x) => x.pods === 10000);
  const goal = !at1k ? 'not measured'
    : at1k.single.fromSent.p99 <= PROPAGATION_P99_GOAL_MS ? 'goal met' : '**goal missed**';
  const rawRatio = at1k && at10k ? cpuPer(at10k.churn) / cpuPer(at1k.churn) : NaN;
  const ratioText = Number.isFinite(rawRatio) ? `${num(rawRatio, 2)}×` : '–';
  const flat = !Number.isFinite(rawRatio) ? 'not measured' : rawRatio <= FLAT_RATIO ? `flat: within ${FLAT_RATIO}×` : `**not flat**: above ${FLAT_RATIO}×`;
  return { rows, goal, ratio: ratioText, flat };
}

function controllers(c: ControllersResult, nproc: number): string {
  const v = controllerVerdicts(c);
  const noisyPhase = (p: PhaseResult) => p.otherCpuS / p.seconds > NOISY_CPUS;
  const phaseRow = (label: string, pods: number, p: PhaseResult) => [
    `${num(pods)}`, `${label}${p.remeasured ? ' (measured again)' : ''}${noisyPhase(p) ? ' †' : ''}`, num(p.changes), p.missed ? `**${p.missed}**` : '0',
    ms(p.fromSent.p50), lat(p), Number.isFinite(p.fromSent.max) ? ms(p.fromSent.max) : '∞',
    ms(p.fromAck.p50), ms(p.fromAck.p99), ms(p.write.p50), ms(p.write.p99),
    cpuMs(p), num((p.serverCpuS * 1000) / p.changes, 3), num(p.sliceEvents / p.changes, 2),
    `${num(p.controllerCpuS, 2)} / ${num(p.serverCpuS, 2)} / ${num(p.clientCpuS, 2)} / ${num(p.otherCpuS, 2)} in ${num(p.seconds, 1)} s`,
  ];
  const rows: string[][] = [];
  for (const x of c.scales) {
    rows.push(phaseRow('one at a time', x.pods, x.single));
    rows.push(phaseRow(`churn ${num(c.churnRate)}/s (${num(x.churn.rate)}/s achieved)`, x.pods, x.churn));
  }
  return [
    `\`kubedisco server ${c.serverArgs}\` serves the API alone; \`kubedisco controllers --kubeconfig <the server's> --controllers ${c.controllers}\` ` +
    'runs in its own process, so its CPU (utime+stime from `/proc/<pid>/stat`) is measured apart from the server\'s. The benchmark plays the kubelet: ' +
    'it registers Nodes (zone label, Ready, InternalIP) and creates Pods bound to them (`spec.nodeName`), then writes their status through the ' +
    '`status` subresource (strategic merge patch: Running, podIP, Ready and ContainersReady True). ' +
    `Services (ClusterIP, port 80 → named targetPort \`http\`) of ${c.podsPerService} pods each, ${c.servicesPerNamespace} per namespace, the same cluster grown in place ` +
    '(sizes below). Kubernetes finds the Services of a changed pod among the Services of its namespace, ' +
    'so fixed-size namespaces keep that neighbourhood fixed while the cluster grows 10×: a rising CPU per change means work that is not incremental. ' +
    'Simulated IPs (10.244.x) exist only in API objects.',
    '',
    `A change flips one pod's \`Ready\` condition (\`PATCH pods/NAME/status\`, Ready and ContainersReady False or True). Its latency runs from the PATCH being sent ` +
    '(and, second column pair, from its 200 being read) to the arrival, on a watch of `endpointslices` opened by the benchmark, of a slice carrying the pod\'s address ' +
    'with `conditions.ready` equal to the new value: the pod write\'s commit, its watch event to the controller, the controller\'s sync and slice write (a second durable commit), ' +
    `and that write's watch event. Each size is measured after the controller has settled (every pod in its Service's slices with the right \`ready\`, controller idle). ` +
    `"One at a time": ${num(c.flips)} changes (${num(c.flips / 2)} pods spread over all Services, each False then True), each waiting for its slice (≤ 2 s) and 5 ms before the next. ` +
    `"Churn": ${num(c.churnRate)} changes/s paced for ${num(c.churnSeconds)} s over 4 connections, each to a pod with no change in flight, then a drain (≤ 10 s); every change is timed. ` +
    `A change whose slice never came counts as +∞ (∞ in p99 means more than 1 % missed). CPU columns cover the whole phase including the drain. ` +
    `Before each size's one-at-a-time run, ${c.warmup} uncounted changes warm the controller up. A phase during which other work used more than ${NOISY_CPUS} CPU ` +
    'is run once more after the machine is quiet ("measured again"); † marks a kept run that was still that noisy. ' +
    '"sent → slice" is about "PATCH" (the pod write, sent → 200) plus "200 read → slice" (the controller\'s reaction, its slice write and that event): ' +
    'a tail in the first that the second lacks comes from the API server\'s write path (commit, fsync), not from the controller.',
    '',
    table(['pods', 'phase', 'changes', 'missed', 'sent → slice p50 ms', 'p99 ms', 'max ms', '200 read → slice p50 ms', 'p99 ms', 'PATCH p50 ms', 'PATCH p99 ms',
      'controller CPU ms per change', 'server CPU ms per change', 'slice events per change', 'CPU-s controller / server / load generator / anything else'], rows),
    '',
    table(['pods', 'Services', 'namespaces', 'Nodes', 'EndpointSlices', 'populate s', 'then settled in s', 'controller CPU-s to settle', 'controller RSS', 'controller idle CPUs'],
      c.scales.map((x) => [num(x.pods), num(x.services), num(x.namespaces), num(x.nodes), num(x.slices), num(x.populateS, 1), num(x.settleS, 1),
        num(x.settleControllerCpuS, 2), bytes(x.controllerRssBytes), num(x.idleControllerCpus, 3)])),
    '',
    `**Goal** (issue 3): p99 ≤ ${PROPAGATION_P99_GOAL_MS} ms at 1,000 pods, one change at a time, sent → slice: ${v.goal}. ` +
    `**Controller CPU per change** under churn, 10,000 pods over 1,000 pods: **${v.ratio}** (${v.flat}). ` +
    `The controller, the API server and the load generator share the machine's ${nproc} CPUs.`,
  ].join('\n');
}

const goal = (ok: boolean | undefined): string => ok === undefined ? 'not measured' : ok ? 'goal met' : '**goal missed**';
const satMedian = (s: DnsServerResult): DnsRun | undefined => s.saturation.length ? medianBy(s.saturation, (x) => x.perCoreQps) : undefined;
const medianOf = (s: DnsServerResult, f: (x: DnsRun) => number): number => median(s.saturation.map(f));

function dnsVerdicts(d: DnsResult) {
  const k = d.kubedisco;
  const kPer = k ? medianOf(k, (x) => x.perCoreQps) : NaN;
  const nPer = medianOf(d.knot, (x) => x.perCoreQps);
  const cores = k ? Math.max(...k.saturation.map((x) => x.serverCores)) : NaN;
  const busy = k ? Math.max(...k.saturation.map((x) => x.threads.length)) : NaN;
  return {
    kPer, nPer, perCoreRatio: kPer / nPer, cores, busyThreads: busy,
    perCore: k ? goal(kPer / nPer >= DNS_PER_CORE_GOAL) : 'not measured',
    p99: k?.fixed?.p99Ms !== undefined ? goal(k.fixed.p99Ms <= DNS_P99_GOAL_MS) : 'not measured',
    memory: d.memory ? goal(d.memory.perObject <= DNS_BYTES_PER_OBJECT_GOAL) : 'not measured',
    memorySlope: d.memory?.scale ? goal(d.memory.scale.slope <= DNS_BYTES_PER_OBJECT_GOAL) : 'not measured',
    dgramPer: d.dgram ? medianOf(d.dgram, (x) => x.perCoreQps) : NaN,
    // Every core serves when there are as many busy serving threads (each above 0.1 core, on its own reusePort
    // socket) as CPUs; the server's total stays near 1 core here because dnsperf needs the other one.
    allCores: k ? (busy >= d.nproc ? `all cores in use (${busy} busy serving threads on ${d.nproc} CPUs, ${num(cores, 2)} cores in all while dnsperf took the rest)` : `**not all cores in use** (${busy} busy threads on ${d.nproc} CPUs, ${num(cores, 2)} cores)`) : 'not measured',
    propagation: d.propagation ? goal(d.propagation.latency.p99 <= DNS_PROPAGATION_GOAL_MS) : 'not measured',
  };
}

function dnsSummary(d: DnsResult): string[] {
  const v = dnsVerdicts(d);
  const k = d.kubedisco;
  const knotSat = medianOf(d.knot, (x) => x.qps);
  if (!k) {
    return [`- Cluster DNS: Knot DNS ${num(knotSat)} queries/s (${num(v.nPer)} per server core); **kubedisco not measured yet** — ${d.kubediscoNotMeasured ?? 'its DNS server is not in this build'}.`];
  }
  const out = [
    `- Cluster DNS (dnsperf, ${num(d.services)} ClusterIP + ${num(d.headless)} headless Services, ${num(d.endpoints)} endpoints): kubedisco ${num(medianOf(k, (x) => x.qps))} queries/s, ` +
    `**${num(v.kPer)} per server core** vs Knot ${num(v.nPer)}: **${num(v.perCoreRatio, 2)}× Knot** (goal ≥ ${DNS_PER_CORE_GOAL}×: ${v.perCore}); ${v.allCores}. ` +
    `At ${num(FIXED)} queries/s p50 ${ms(k.fixed?.p50Ms ?? NaN)} ms / p99 ${ms(k.fixed?.p99Ms ?? NaN)} ms (Knot ${ms(d.knot.fixed?.p50Ms ?? NaN)} / ${ms(d.knot.fixed?.p99Ms ?? NaN)} ms; goal p99 ≤ ${DNS_P99_GOAL_MS} ms: ${v.p99}).`,
  ];
  if (d.dgram) out.push(`- The same DNS server with node:dgram instead of the native batched UDP I/O: ${num(v.dgramPer)} queries per server CPU-second (${num(v.dgramPer / v.nPer, 2)}× Knot; native/dgram ${num(v.kPer / v.dgramPer, 2)}×).`);
  if (d.memory) {
    const sc = d.memory.scale;
    out.push(`- DNS memory (RSS of \`kubedisco dns\`): ${bytes(d.memory.perObject)} per Service + endpoint above the empty baseline at ${num(d.memory.objects)} objects (goal ≤ 1 KB: ${v.memory})` +
      (sc ? `; growing the cluster to ${num(sc.objects)} objects added ${bytes(sc.slope)} per further object (goal ≤ 1 KB: ${v.memorySlope})` : '') +
      `; RSS ${bytes(k.rssBytes)} vs Knot ${bytes(d.knot.rssBytes)}.`);
  }
  if (d.propagation) out.push(`- DNS propagation (EndpointSlice readiness PATCH sent → changed DNS answer, ${num(d.endpoints)} endpoints): p50 ${ms(d.propagation.latency.p50)} ms, p99 ${dnsLat(d.propagation.latency.p99)} ms, of which the PATCH itself p99 ${ms(d.propagation.write.p99)} ms (goal ≤ ${DNS_PROPAGATION_GOAL_MS} ms: ${v.propagation}).`);
  return out;
}

const FIXED = 10_000;
const dnsLat = (x: number): string => (Number.isFinite(x) ? ms(x) : '∞');
const rc = (x: DnsRun): string => Object.entries(x.rcodes).map(([k, v]) => `${k} ${num((v / Math.max(1, x.sent)) * 100, 1)} %`).join(', ');

function dns(d: DnsResult, nproc: number): string {
  const v = dnsVerdicts(d);
  const servers = [d.knot, ...(d.kubedisco ? [d.kubedisco] : [])];
  const satRows = [...servers, ...(d.dgram ? [d.dgram] : [])].flatMap((s) => s.saturation.map((x, i) => [
    s.name, `saturation ${i + 1}`, `**${num(x.qps)}**`, `**${num(x.perCoreQps)}**`, num(x.serverCores, 2), num(x.clientCores, 2), num(x.otherCores, 2),
    x.threads.map((t) => `${t.thread.replace(/#\d+$/, '')} ${num(t.cores, 2)}`).join(', '), ms(x.avgMs), num(x.lost), num(x.respBytes), rc(x),
  ]));
  const fixedRows = servers.flatMap((s) => s.fixedRuns.map((x, i) =>
    [s.name, `${i + 1}${x === s.fixed ? ' (kept: lower-middle p99)' : ''}`, num(x.qps), ms(x.p50Ms ?? NaN), ms(x.p99Ms ?? NaN), ms(x.maxMs ?? NaN), num(x.serverCores, 2), num(x.lost)]));
  const k = d.kubedisco;
  const ratioRows: string[][] = k ? [
    ['queries/s (median of runs)', num(medianOf(k, (x) => x.qps)), num(medianOf(d.knot, (x) => x.qps)), ratio(medianOf(k, (x) => x.qps), medianOf(d.knot, (x) => x.qps)), '–'],
    ['queries per server CPU-second', num(v.kPer), num(v.nPer), `${num(v.perCoreRatio, 2)}×`, `≥ ${DNS_PER_CORE_GOAL}× Knot: ${v.perCore}`],
    [`p99 at ${num(FIXED)}/s, ms`, ms(k.fixed?.p99Ms ?? NaN), ms(d.knot.fixed?.p99Ms ?? NaN), ratio(k.fixed?.p99Ms ?? NaN, d.knot.fixed?.p99Ms ?? NaN), `≤ ${DNS_P99_GOAL_MS} ms: ${v.p99}`],
    ...(d.dgram ? [['queries per server CPU-second, kubedisco with node:dgram', num(v.dgramPer), num(v.nPer), `${num(v.dgramPer / v.nPer, 2)}×`, '– (what the native I/O replaces)']] : []),
    ['RSS after the runs', bytes(k.rssBytes), bytes(d.knot.rssBytes), ratio(k.rssBytes, d.knot.rssBytes), '–'],
  ] : [];
  const m = d.memory;
  const p = d.propagation;
  return [
    `${num(d.services)} ClusterIP Services (named port \`http\`), ${num(d.headless)} headless Services with ${num(d.endpoints / d.headless)} ready endpoints each (half with hostnames), ` +
    `in 10 namespaces, generated once by \`bench/dns-data.ts\`: as API objects for kubedisco (Namespaces, Services and EndpointSlices created through the API, no controllers) ` +
    `and as a zone file of ${num(d.zoneRecords)} records (A, SRV with CoreDNS weights, bare SRV, SOA/NS, per the rule book) for Knot DNS ${d.knotVersion}. ` +
    `${num(d.queryLines)} query lines, shuffled: ${d.mix.map(([n, sh]) => `${num(sh * 100)} % ${n}`).join(', ')}. ` +
    `dnsperf ${d.dnsperfVersion} on 127.0.0.1, ${d.clients} client sockets, ${d.outstanding} queries outstanding, EDNS0 (so a 10-endpoint SRV answer with its glue is never truncated); ` +
    `saturation runs of ${d.satSeconds} s alternate between the servers; then ${d.fixedRuns} × ${d.fixedSeconds} s per server at a fixed ${num(FIXED)} queries/s (\`-Q\`, alternating; the run with the lower-middle p99 counts, for both servers alike), latency percentiles from dnsperf's per-query lines (\`-v\`). ` +
    'Server CPU is utime+stime of the whole process (every thread) from `/proc/<pid>/stat`; "busy threads" are threads above 0.1 core from `/proc/<pid>/task`. ' +
    `Load generator and servers share the machine's ${nproc} CPUs (no pinning), so queries per server CPU-second is the capacity figure.`,
    '',
    k ? `kubedisco: ${k.how}. Knot: ${d.knot.how}.` : `Knot: ${d.knot.how}. **kubedisco: not measured yet** — ${d.kubediscoNotMeasured ?? 'its DNS server is not in this build'}.`,
    '',
    table(['server', 'run', 'queries/s', 'per server CPU-s', 'server cores', 'dnsperf cores', 'other cores', 'busy threads (cores)', 'avg ms', 'lost', 'resp bytes', 'rcodes'], satRows),
    '',
    table(['server', 'run', `at ${num(FIXED)}/s: achieved`, 'p50 ms', 'p99 ms', 'max ms', 'server cores', 'lost'], fixedRows),
    '',
    ...(k ? [table(['measure', 'kubedisco', 'Knot', 'kubedisco/Knot', 'goal'], ratioRows), ''] : []),
    ...(d.check ? [`Answers compared on the first ${d.check.compared} query lines (rcode, TC, answer count, A addresses; EDNS0 4096 as dnsperf sends): ` +
      (d.check.mismatches.length ? `**${d.check.mismatches.length} differ**: ${d.check.mismatches.slice(0, 5).map((x) => `\`${x}\``).join('; ')}` : 'all identical.'), ''] : []),
    ...(m ? [`Memory: \`kubedisco dns\` RSS ${bytes(m.emptyRss)} with the empty cluster, ${bytes(m.loadedRss)} after the ${num(m.objects)} Services + endpoints ` +
      `were created (${num(m.loadS, 1)} s through the API, all served ${num(m.servedS, 1)} s after the first write): **${bytes(m.perObject)} per Service + endpoint** ` +
      `(goal ≤ 1 KB: ${v.memory}). ` +
      (m.scale ? `After the query runs (RSS ${bytes(m.scale.beforeRss)}: reply caches and the rest filled), the cluster was grown to ${num(m.scale.objects)} Services + endpoints ` +
        `(${num(m.scale.loadS, 1)} s through the API until served): RSS ${bytes(m.scale.rss)}, **${bytes(m.scale.slope)} per further Service + endpoint** (goal ≤ 1 KB: ${v.memorySlope}). ` : '') +
      `Knot's RSS with the zone loaded: ${bytes(d.knot.rssBytes)}. Context: CoreDNS's published formula is ≈ 0.86 KB per Service/Pod + ~49 MB. ` +
      'The heap of the one view (informers + ClusterView, after GC) alone is measured by `node bench/dns-memory.ts` (src/dns/kubernetes/README.md).', ''] : []),
    ...(p ? [`**Propagation**: ${p.changes} changes at ${num(d.endpoints)} endpoints, one at a time (one endpoint per headless Service set not ready, then ready again), ` +
      'each a JSON patch of the endpoint\'s `conditions.ready`/`serving` in its EndpointSlice; from the PATCH being sent, the Service name is queried (A, UDP) back to back ' +
      `until the answer has (or lacks) the endpoint's address (${num(p.queriesPerChange, 1)} queries per change on average; ≤ 2 s, else missed = +∞).`,
    '',
    table(['measure', 'p50 ms', 'p99 ms', 'max ms', 'changes', 'missed'], [
      ['PATCH sent → changed DNS answer', ms(p.latency.p50), dnsLat(p.latency.p99), dnsLat(p.latency.max), num(p.changes), num(p.missed)],
      ['PATCH 200 read → changed DNS answer (the DNS side)', ms(p.fromAck.p50), dnsLat(p.fromAck.p99), dnsLat(p.fromAck.max), num(p.changes), num(p.missed)],
      ['PATCH sent → 200 (the API write, durable commit)', ms(p.write.p50), ms(p.write.p99), ms(p.write.max), num(p.write.n), '–'],
    ]),
    '', `Goal p99 ≤ ${DNS_PROPAGATION_GOAL_MS} ms at 1,000 pods: ${v.propagation}. The answer can change before the writer reads its 200 (the server emits watch events before it answers), so the DNS side can be negative.`, ''] : []),
    'Anchors measured earlier on this kind of machine (performance-anchors.md, Part B; other runs, not this one): Knot ≈ 123k and NSD ≈ 127k queries per server core; ' +
    'a Node.js responder sending cached encoded answers ≈ 64.5k per core; CoreDNS\'s published loopback ceiling ≈ 60k per core.',
  ].join('\n');
}

function quietNote(r: Report): string {
  const q = Object.entries(r.quiet);
  if (!q.length) return 'Parts started without waiting for a quiet machine (`--no-wait`).';
  return 'Before each part the run waited (at most 30 s) until the rest of the machine used under 0.15 CPU for 3 s; ' +
    'waited / CPUs used by others at the start: ' + q.map(([k, v]) => `${k} ${num(v.waitedS)} s / ${num(v.otherCpus, 2)}`).join(', ') +
    '. The tables show CPU used by anything else during each measurement.';
}

export function renderReport(r: Report): string {
  const m = r.machine;
  const sections: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (\`bench/run.ts\`; see [bench/README.md](../bench/README.md)) on ${m.date} in ${Math.round(r.seconds)} s. ` +
    'Do not edit by hand: rerun it. All load goes to 127.0.0.1; servers and the load generator run on the same machine and share its CPUs (no pinning).',
    '',
    '## Machine',
    '',
    table(['what', 'value'], [
      ['CPU', `${m.cpu}, ${m.nproc} CPUs (nproc)`], ['Load average at start (1 min)', m.loadavg], ['Memory', m.memory], ['Data dir', m.disk], ['OS / kernel', `${m.os} / ${m.kernel}`],
      ['Node.js', m.node], ['SQLite', m.sqlite], ['etcd', r.etcd],
    ]),
    '',
    quietNote(r),
    '',
    '## Summary',
    '',
    summary(r),
    '',
    '## 1. Durable creates per second: kubedisco (SQLite) and etcd',
    '',
    failedOr(r, 'creates', () => r.creates ? creates(r.creates, m.nproc) : '_not run_'),
    '',
    ANCHORS,
    '',
    '## 2. List latency at 10,000 Services',
    '',
    failedOr(r, 'lists', () => r.lists ? lists(r.lists) : '_not run_'),
    '',
    '## 3. Watch fan-out: 100 watchers, 1,000 events/s',
    '',
    failedOr(r, 'watch', () => r.watch ? watch(r.watch) : '_not run_'),
    '',
    '## 4. Storage micro-benchmark (in-process Backend)',
    '',
    failedOr(r, 'storage', () => r.storage ? storage(r.storage) : '_not run_'),
    '',
    '## 5. Controllers: pod readiness → EndpointSlice',
    '',
    failedOr(r, 'controllers', () => r.controllers ? controllers(r.controllers, m.nproc) : '_not run_'),
    '',
    '## 6. Cluster DNS: kubedisco and Knot DNS',
    '',
    failedOr(r, 'dns', () => r.dns ? dns(r.dns, m.nproc) : '_not run_'),
    '',
    '## 7. Where kubedisco\'s time goes at 16 clients (CPU profile)',
    '',
    failedOr(r, 'profile', () => r.profile ? profile(r.profile) : '_not run_'),
    '',
  ];
  return sections.join('\n');
}
