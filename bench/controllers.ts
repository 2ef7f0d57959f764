// Controllers: pod readiness → EndpointSlice. `kubedisco server --controllers '' --nodes 0` serves the API
// alone; `kubedisco controllers --controllers endpointslice` runs in its own process, so its CPU is read
// from /proc/<pid>/stat apart from the server's. The benchmark plays the kubelet: it creates Nodes and
// Pods bound to them (spec.nodeName) and writes their status (Running, podIP, Ready) through the status
// subresource, then flips pods' Ready condition and times each flip until the EndpointSlice carrying that
// pod's address with the new `ready` value arrives on a watch of endpointslices.
//
// Layout: Services of 10 pods each (ClusterIP, port 80 → named targetPort `http`), 100 Services per
// namespace. 1,000 pods = 100 Services in 1 namespace; 10,000 pods = 1,000 Services in 10 namespaces
// (the same cluster grown in place). Pods sit on 40 Nodes (250 per node, IPs 10.244.<node>.x; API
// objects only, never contacted). Kubernetes finds a pod's Services by matching the Services of its
// namespace, so namespaces of a fixed size keep that neighbourhood fixed while the cluster grows 10×:
// any growth of the CPU per change then comes from work that is not incremental.
//
// At each size, after the controller has settled (every pod's address in its Service's slices with the
// right ready value, and the controller idle): (a) 300 flips one at a time (150 pods → False → True);
// (b) a churn of 100 flips/s paced for 10 s; controller CPU per change over each phase.
// Run alone: node bench/run.ts --only controllers

import { clients, closeAll, type HttpClient } from './lib/http.ts';
import { cpuSeconds, machineBusySeconds, rssBytes, waitForQuiet } from './lib/cpu.ts';
import { NOISY_CPUS } from './lib/load.ts';
import { startControllers, startKubedisco, type Server } from './lib/servers.ts';
import { summarize, type Summary } from './lib/stats.ts';
import { openWatch, type WatchEvent, type WatchStream } from './lib/watch.ts';

const PODS_PER_SERVICE = 10;
const SERVICES_PER_NAMESPACE = 100;
const PODS_PER_NODE = 250;
const WRITERS = 16;
const CHURN_CONNS = 4;
const SMP = { 'Content-Type': 'application/strategic-merge-patch+json' };
const MAX_PODS = 10_000;
const NODES = Math.ceil(MAX_PODS / PODS_PER_NODE);
const FLIP_TIMEOUT_MS = 2_000;
/** Uncounted changes before the one-at-a-time measurement at each size. */
const WARMUP = 20;
const DRAIN_MS = 10_000;
const POPULATE_LIMIT_MS = 60_000;
const PART_LIMIT_MS = 150_000;

export interface PhaseResult {
  /** Changes sent (PATCH pods/NAME/status answered 200). */
  changes: number;
  /** Changes whose EndpointSlice update never arrived within the time allowed (2 s per flip; 10 s drain after a churn). */
  missed: number;
  /** Write sent → EndpointSlice event received, ms; a missed change counts as +∞. */
  fromSent: Summary;
  /** Write acknowledged (200 read) → EndpointSlice event received, ms (negative when the event came first). */
  fromAck: Summary;
  /** The PATCH itself, sent → 200. */
  write: Summary;
  seconds: number;
  /** Achieved change rate (churn). */
  rate: number;
  controllerCpuS: number;
  serverCpuS: number;
  clientCpuS: number;
  otherCpuS: number;
  /** EndpointSlice watch events received during the phase (writes by the controller). */
  sliceEvents: number;
  /** Measured a second time because other work used more than NOISY_CPUS during the first run. */
  remeasured?: boolean;
}

export interface ScaleResult {
  pods: number;
  services: number;
  namespaces: number;
  nodes: number;
  slices: number;
  /** Time to create what this size adds (Services, Pods and their status) with 16 clients. */
  populateS: number;
  /** From the last write of populate to settled. */
  settleS: number;
  /** Controller CPU-seconds from the start of populate to settled: the cost of reaching this size. */
  settleControllerCpuS: number;
  controllerRssBytes: number;
  /** Controller CPUs in use while idle, over the settle check's last window. */
  idleControllerCpus: number;
  single: PhaseResult;
  churn: PhaseResult;
}

export interface ControllersResult {
  controllers: string;
  podsPerService: number;
  servicesPerNamespace: number;
  serverArgs: string;
  flips: number;
  warmup: number;
  churnRate: number;
  churnSeconds: number;
  scales: ScaleResult[];
}

interface Rec { k: number; want: boolean; sent: number; acked: number; seen: number; done?: () => void }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Global pod index k → its Service, namespace, node, IP. */
const svcOf = (k: number) => Math.floor(k / PODS_PER_SERVICE);
const nsOfSvc = (s: number) => `ctl-bench-${Math.floor(s / SERVICES_PER_NAMESPACE)}`;
const podName = (k: number) => `svc-${svcOf(k)}-${k % PODS_PER_SERVICE}`;
const nodeOf = (k: number) => Math.floor(k / PODS_PER_NODE);
const nodeName = (n: number) => `bench-node-${n}`;
const ipOf = (k: number) => `10.244.${nodeOf(k)}.${(k % PODS_PER_NODE) + 2}`;
const podPath = (k: number) => `/api/v1/namespaces/${nsOfSvc(svcOf(k))}/pods/${podName(k)}`;

function readyPatch(want: boolean, now: string): string {
  const st = want ? 'True' : 'False';
  return JSON.stringify({ status: { conditions: [
    { type: 'ContainersReady', status: st, lastTransitionTime: now },
    { type: 'Ready', status: st, lastTransitionTime: now },
  ] } });
}

/** Runs op(i) for i in [from, to) over the connections, each taking the next index; bounded in time. */
async function forEach(conns: HttpClient[], from: number, to: number, op: (c: HttpClient, i: number) => Promise<void>): Promise<void> {
  let next = from;
  const deadline = performance.now() + POPULATE_LIMIT_MS;
  await Promise.all(conns.map(async (c) => {
    for (;;) {
      const i = next++;
      if (i >= to) return;
      if (performance.now() > deadline) throw new Error(`populate: not done after ${POPULATE_LIMIT_MS / 1000} s (${i - from} of ${to - from})`);
      await op(c, i);
    }
  }));
}

export async function runControllersBench(o: {
  root: string; cpuProfDir?: string; sizes?: number[]; flips?: number; churnRate?: number; churnSeconds?: number;
}): Promise<ControllersResult> {
  const sizes = o.sizes ?? [1_000, 10_000];
  const flips = o.flips ?? 300;
  const churnRate = o.churnRate ?? 100;
  const churnSeconds = o.churnSeconds ?? 10;
  for (const n of sizes) if (n % (PODS_PER_SERVICE * SERVICES_PER_NAMESPACE) || n > MAX_PODS) throw new Error(`sizes: ${n} is not a multiple of 1,000 up to ${MAX_PODS}`);
  const partDeadline = performance.now() + PART_LIMIT_MS;

  const kd = await startKubedisco({ root: o.root, controllers: '', nodes: 0 });
  let ctl: Server | undefined;
  let stream: WatchStream | undefined;
  const conns = clients(kd.url, WRITERS);
  try {
    // The benchmark's view of the slices, from a watch opened before anything exists.
    const slices = new Map<string, Array<{ addr: string; ready: boolean; pod: string }>>();
    const pending = new Map<string, Rec>();
    const podOfAddr = new Map<string, number>();
    let sliceEvents = 0;
    const list = JSON.parse((await conns[0].expect(200, 'GET', '/apis/discovery.k8s.io/v1/endpointslices')).body);
    stream = await openWatch(kd.url, `/apis/discovery.k8s.io/v1/endpointslices?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=600`,
      (ev: WatchEvent, t: number) => {
        const md = ev.object?.metadata ?? {};
        if (!String(md.namespace).startsWith('ctl-bench-')) return;
        sliceEvents++;
        const key = `${md.namespace}/${md.name}`;
        if (ev.type === 'DELETED') { slices.delete(key); return; }
        const eps = ((ev.object.endpoints ?? []) as any[]).map((e) => ({
          addr: String(e.addresses?.[0] ?? ''), ready: e.conditions?.ready !== false, pod: String(e.targetRef?.name ?? ''),
        }));
        slices.set(key, eps);
        for (const e of eps) {
          const r = pending.get(e.addr);
          if (r && r.want === e.ready) { r.seen = t; pending.delete(e.addr); r.done?.(); }
        }
      });

    const ready = new Uint8Array(MAX_PODS);
    let pods = 0;

    /** '' when the slices hold exactly the pods [0, pods) with their current readiness; else what differs. */
    function mismatch(): string {
      let right = 0, wrong = 0, extra = 0, total = 0;
      for (const eps of slices.values()) {
        for (const e of eps) {
          total++;
          const k = podOfAddr.get(e.addr);
          if (k === undefined || k >= pods || e.pod !== podName(k)) extra++;
          else if (e.ready === (ready[k] === 1)) right++;
          else wrong++;
        }
      }
      return right === pods && total === pods ? '' : `${right} of ${pods} pods in their slices with the right ready value, ${wrong} with the wrong one, ${extra} unknown, ${total - right - wrong - extra} duplicates; ${slices.size} slices`;
    }

    function alive(): void {
      if (stream?.error) throw new Error(`endpointslice watch failed: ${stream.error}`);
      const st = ctl?.exitStatus();
      if (st) throw new Error(`kubedisco controllers exited (${st})${st === 'exit code 0' ? ' on its own: nothing kept it running (is the endpointslice controller still the placeholder?)' : ''}; stderr:\n${ctl!.stderr().slice(-2000)}`);
    }

    /** Waits until the slices match and the controller has used < 0.05 CPU over the last 0.5 s. */
    async function settle(maxMs: number): Promise<{ seconds: number; idleCpus: number }> {
      const t0 = performance.now();
      const samples: Array<{ t: number; cpu: number; ok: boolean }> = [];
      for (;;) {
        alive();
        const now = performance.now();
        samples.push({ t: now, cpu: cpuSeconds(ctl!.pid), ok: mismatch() === '' });
        while (samples.length > 1 && now - samples[1].t >= 500) samples.shift();
        const first = samples[0];
        if (now - first.t >= 500 && samples.every((s) => s.ok)) {
          const idleCpus = (samples[samples.length - 1].cpu - first.cpu) / ((now - first.t) / 1000);
          if (idleCpus < 0.05) return { seconds: (now - t0) / 1000, idleCpus };
        }
        if (now - t0 > maxMs || now > partDeadline) throw new Error(`the endpointslice controller did not settle in ${((now - t0) / 1000).toFixed(0)} s: ${mismatch() || 'slices right but the controller stayed busy'}`);
        await sleep(100);
      }
    }

    async function flip(c: HttpClient, k: number, want: boolean, writeLat: number[]): Promise<Rec> {
      const rec: Rec = { k, want, sent: performance.now(), acked: NaN, seen: NaN };
      pending.set(ipOf(k), rec);
      ready[k] = want ? 1 : 0;
      const r = await c.request('PATCH', `${podPath(k)}/status`, readyPatch(want, new Date().toISOString().replace(/\.\d+Z$/, 'Z')), SMP);
      rec.acked = performance.now();
      if (r.status !== 200) throw new Error(`PATCH ${podPath(k)}/status: want 200, got ${r.status}: ${r.body.slice(0, 300)}`);
      writeLat.push(rec.acked - rec.sent);
      return rec;
    }

    function waitSeen(rec: Rec, ms: number): Promise<void> {
      if (!Number.isNaN(rec.seen)) return Promise.resolve();
      return new Promise((res) => {
        const timer = setTimeout(() => { rec.done = undefined; res(); }, ms);
        rec.done = () => { clearTimeout(timer); res(); };
      });
    }

    function phase(recs: Rec[], writeLat: number[], m0: Meter, events0: number): PhaseResult {
      const m = m0.read();
      const fromSent = recs.map((r) => (Number.isNaN(r.seen) ? Infinity : r.seen - r.sent));
      const seen = recs.filter((r) => !Number.isNaN(r.seen));
      for (const r of recs) if (Number.isNaN(r.seen)) pending.delete(ipOf(r.k));
      return {
        changes: recs.length, missed: recs.length - seen.length,
        fromSent: summarize(fromSent), fromAck: summarize(seen.map((r) => r.seen - r.acked)), write: summarize(writeLat),
        seconds: m.seconds, rate: recs.length / m.seconds,
        controllerCpuS: m.cpu[0], serverCpuS: m.cpu[1], clientCpuS: m.clientCpuS, otherCpuS: m.otherCpuS,
        sliceEvents: sliceEvents - events0,
      };
    }

    /**
     * Runs a phase after the controller has settled; when other work on the machine used more than
     * NOISY_CPUS during it, waits for a quiet machine and runs it once more (within the part's time), keeping
     * the second run.
     */
    async function measure(what: string, f: () => Promise<PhaseResult>): Promise<PhaseResult> {
      await settle(20_000);
      let r = await f();
      if (r.otherCpuS / r.seconds > NOISY_CPUS && partDeadline - performance.now() > 45_000) {
        process.stderr.write(`bench: controllers: ${what}: other work used ${(r.otherCpuS / r.seconds).toFixed(2)} CPUs meanwhile; measuring again\n`);
        await settle(20_000);
        await waitForQuiet(10_000);
        await settle(20_000);
        r = { ...(await f()), remeasured: true };
      }
      return r;
    }

    // The pods to flip, spread over every Service: m → Service m mod S, its (m div S)-th pod.
    let cursor = 0;
    const nextPod = (): number => {
      const services = pods / PODS_PER_SERVICE;
      for (let tries = 0; tries < pods; tries++) {
        const m = cursor++ % pods;
        const k = (m % services) * PODS_PER_SERVICE + (Math.floor(m / services) % PODS_PER_SERVICE);
        if (!pending.has(ipOf(k))) return k;
      }
      throw new Error('every pod has a change in flight');
    };

    // Nodes, as a kubelet registers them: the Node, then its status (Ready, InternalIP).
    await forEach(conns, 0, NODES, async (c, n) => {
      await c.expect(201, 'POST', '/api/v1/nodes', JSON.stringify({
        apiVersion: 'v1', kind: 'Node',
        metadata: { name: nodeName(n), labels: { 'kubernetes.io/hostname': nodeName(n), 'topology.kubernetes.io/zone': `zone-${'abc'[n % 3]}` } },
        spec: { podCIDR: `10.244.${n}.0/24`, podCIDRs: [`10.244.${n}.0/24`] },
      }));
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await c.expect(200, 'PATCH', `/api/v1/nodes/${nodeName(n)}/status`, JSON.stringify({ status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
        addresses: [{ type: 'InternalIP', address: `10.240.0.${n + 1}` }, { type: 'Hostname', address: nodeName(n) }],
      } }), SMP);
    });

    ctl = await startControllers({ kubeconfig: kd.kubeconfig, apiURL: kd.url, controllers: 'endpointslice', cpuProfDir: o.cpuProfDir });
    await sleep(200);
    alive();

    const scales: ScaleResult[] = [];
    for (const size of sizes) {
      const s0 = pods / PODS_PER_SERVICE, s1 = size / PODS_PER_SERVICE;
      const ctlCpu0 = cpuSeconds(ctl.pid);
      const p0 = performance.now();
      for (let ns = Math.ceil(s0 / SERVICES_PER_NAMESPACE); ns < s1 / SERVICES_PER_NAMESPACE; ns++) {
        await conns[0].expect(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ctl-bench-${ns}` } }));
      }
      await forEach(conns, s0, s1, async (c, s) => {
        await c.expect(201, 'POST', `/api/v1/namespaces/${nsOfSvc(s)}/services`, JSON.stringify({
          apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: nsOfSvc(s), labels: { bench: 'controllers' } },
          spec: { selector: { app: `svc-${s}` }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
        }));
      });
      await forEach(conns, pods, size, async (c, k) => {
        const ns = nsOfSvc(svcOf(k));
        await c.expect(201, 'POST', `/api/v1/namespaces/${ns}/pods`, JSON.stringify({
          apiVersion: 'v1', kind: 'Pod', metadata: { name: podName(k), namespace: ns, labels: { app: `svc-${svcOf(k)}` } },
          spec: { nodeName: nodeName(nodeOf(k)), containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
        }));
        const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const ip = ipOf(k);
        podOfAddr.set(ip, k);
        ready[k] = 1;
        await c.expect(200, 'PATCH', `${podPath(k)}/status`, JSON.stringify({ status: {
          phase: 'Running', hostIP: `10.240.0.${nodeOf(k) + 1}`, hostIPs: [{ ip: `10.240.0.${nodeOf(k) + 1}` }], podIP: ip, podIPs: [{ ip }], startTime: now,
          conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
          containerStatuses: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: now } } }],
        } }), SMP);
      });
      const populateS = (performance.now() - p0) / 1000;
      pods = size;
      process.stderr.write(`bench: controllers: ${pods} pods in ${s1} Services written in ${populateS.toFixed(1)} s; waiting for the slices\n`);
      const st = await settle(60_000);
      const settleControllerCpuS = cpuSeconds(ctl.pid) - ctlCpu0;
      const sliceCount = slices.size;
      const rss = rssBytes(ctl.pid);

      // (a) One at a time: flip, wait for the slice, 5 ms pause, next. The first WARMUP changes at each
      // size are not counted (the controller's update path is compiled by V8 on first use).
      const single = await measure(`${pods} pods one at a time`, async () => {
        const writeLat: number[] = [];
        const recs: Rec[] = [];
        for (let i = 0; i < WARMUP / 2; i++) {
          const k = nextPod();
          for (const want of [false, true]) { await waitSeen(await flip(conns[0], k, want, []), FLIP_TIMEOUT_MS); alive(); await sleep(5); }
        }
        await settle(20_000);
        const m = new Meter([ctl!.pid, kd.pid]);
        const ev0 = sliceEvents;
        for (let i = 0; i < flips / 2 && performance.now() < partDeadline; i++) {
          const k = nextPod();
          for (const want of [false, true]) {
            const r = await flip(conns[0], k, want, writeLat);
            recs.push(r);
            await waitSeen(r, FLIP_TIMEOUT_MS);
            alive();
            await sleep(5);
          }
        }
        return phase(recs, writeLat, m, ev0);
      });

      // (b) Churn: `churnRate` flips per second, paced, each to a pod without a change in flight.
      const churn = await measure(`${pods} pods churn`, async () => {
        const writeLat: number[] = [];
        const total = Math.round(churnRate * churnSeconds);
        const inflight: Array<Promise<Rec>> = [];
        const m = new Meter([ctl!.pid, kd.pid]);
        const ev0 = sliceEvents;
        const t0 = performance.now();
        for (let j = 0; j < total; j++) {
          const wait = t0 + (j * 1000) / churnRate - performance.now();
          if (wait > 0.5) await sleep(wait);
          if (performance.now() - t0 > churnSeconds * 2000 || performance.now() > partDeadline) break;
          const k = nextPod();
          inflight.push(flip(conns[j % CHURN_CONNS], k, ready[k] !== 1, writeLat));
          if (j % 50 === 0) alive();
        }
        const recs = await Promise.all(inflight);
        const drainUntil = performance.now() + DRAIN_MS;
        while (performance.now() < drainUntil && recs.some((r) => Number.isNaN(r.seen))) { alive(); await sleep(5); }
        return phase(recs, writeLat, m, ev0);
      });

      await settle(20_000);
      scales.push({
        pods, services: s1, namespaces: s1 / SERVICES_PER_NAMESPACE, nodes: Math.ceil(pods / PODS_PER_NODE), slices: sliceCount,
        populateS, settleS: st.seconds, settleControllerCpuS, controllerRssBytes: rss, idleControllerCpus: st.idleCpus, single, churn,
      });
      process.stderr.write(`bench: controllers: ${pods} pods: one at a time p50 ${single.fromSent.p50.toFixed(2)} ms p99 ${single.fromSent.p99.toFixed(2)} ms; ` +
        `churn p50 ${churn.fromSent.p50.toFixed(2)} ms p99 ${churn.fromSent.p99.toFixed(2)} ms, ${(churn.controllerCpuS * 1000 / churn.changes).toFixed(3)} controller CPU-ms per change\n`);
    }
    return { controllers: 'endpointslice', podsPerService: PODS_PER_SERVICE, servicesPerNamespace: SERVICES_PER_NAMESPACE, serverArgs: "--controllers '' --nodes 0", flips, warmup: WARMUP, churnRate, churnSeconds, scales };
  } finally {
    stream?.close();
    closeAll(conns);
    if (ctl) await ctl.stop();
    await kd.stop();
  }
}

/** CPU of some processes, of this one, and of the rest of the machine, since construction. */
class Meter {
  private readonly pids: number[];
  private readonly cpu0: number[];
  private readonly client0 = process.cpuUsage();
  private readonly busy0 = machineBusySeconds();
  private readonly t0 = performance.now();
  constructor(pids: number[]) { this.pids = pids; this.cpu0 = pids.map(cpuSeconds); }
  read(): { seconds: number; cpu: number[]; clientCpuS: number; otherCpuS: number } {
    const cpu = this.pids.map((p, i) => cpuSeconds(p) - this.cpu0[i]);
    const cu = process.cpuUsage(this.client0);
    const clientCpuS = (cu.user + cu.system) / 1e6;
    const busy = machineBusySeconds() - this.busy0;
    return { seconds: (performance.now() - this.t0) / 1000, cpu, clientCpuS, otherCpuS: Math.max(0, busy - clientCpuS - cpu.reduce((a, b) => a + b, 0)) };
  }
}
