// The node simulator (KWOK-like; README.md): registers simulated Nodes and keeps their Leases fresh, binds
// unscheduled pods to them, and moves their pods through the lifecycle stages in stages/*.yaml. It reaches
// the API only through src/client, so it runs against kubedisco's API server or any other.

import type { Node } from '../api/types/node.ts';
import type { Pod } from '../api/types/pod.ts';
import { findResource } from '../api/resources.ts';
import { EventRecorder, realClock, SharedInformerFactory, type Clock, type RestClient } from '../client/index.ts';
import { defaultCapacity, NodeManager, nodeLayout, type NodeManagerStats } from './nodes.ts';
import { PodLifecycle } from './pods.ts';
import { Scheduler, type SchedulerStats } from './scheduler.ts';
import { loadStages, parseGoDuration, type Stage } from './stage.ts';

interface KPod extends Pod { [field: string]: unknown }
interface KNode extends Node { [field: string]: unknown }

export { DEFAULT_STAGES_DIR, loadStages, parseStages, parseGoDuration, type Stage } from './stage.ts';

export interface NodeSimulatorOptions {
  rest: RestClient;
  /** Simulated nodes to run: kubedisco-node-0 … kubedisco-node-(N-1). */
  nodes: number;
  /** The cluster's pod CIDR; node i gets its i-th /nodeCIDRMaskSize block as spec.podCIDR. */
  podCIDR: string;
  /** Size of each node's pod CIDR block (kube-controller-manager --node-cidr-mask-size; default 24). */
  nodeCIDRMaskSize?: number;
  /** Where node InternalIPs (the pods' hostIP) come from: node i gets the (i+1)-th address (default 10.240.0.0/16). */
  nodeIPCIDR?: string;
  /** Node name prefix (default "kubedisco-node-"). */
  namePrefix?: string;
  /** Allocatable pods per node (kubelet --max-pods; default 110); the scheduler honours it. */
  maxPods?: number;
  /** Folder of stage YAML files (default: the shipped src/nodesim/stages). */
  stagesDir?: string;
  /** Stages given directly (tests); wins over stagesDir. */
  stages?: Stage[];
  /** Per-stage delay overrides in ms, e.g. { 'pod-ready': 1000 }. */
  stageDelays?: Record<string, number>;
  /** Run the scheduler (default true; turn it off next to a real kube-scheduler). */
  scheduler?: boolean;
  /** Node lease duration (default 40 s); leases are renewed every leaseRenewIntervalMs (default 10 s). */
  leaseDurationSeconds?: number;
  leaseRenewIntervalMs?: number;
  /** How often the Node status (condition heartbeats) is reported (default 5 min, kubelet nodeStatusReportFrequency). */
  nodeStatusReportMs?: number;
  /** Pod workers (default 5) and scheduler workers (default 2). */
  workers?: number;
  schedulerWorkers?: number;
  clock?: Clock;
  random?: () => number;
}

export interface NodeSimulatorMetrics {
  nodes: number;
  nodeStats: NodeManagerStats;
  scheduler: SchedulerStats | undefined;
  stagesPlayed: Record<string, number>;
  statusPatches: number;
  deletes: number;
  conditionSyncs: number;
  podErrors: number;
  pendingStages: number;
  queueDepth: number;
  podIPsInUse: number;
  podIPCapacity: number;
}

export interface RunningNodeSimulator {
  ready(): boolean;
  stop(): Promise<void>;
  /** Names of the nodes this simulator runs. */
  nodeNames(): string[];
  metrics(): NodeSimulatorMetrics;
  /** The same numbers as Prometheus text (kubedisco_nodesim_*). */
  renderMetrics(): string;
}

export const DEFAULT_NODE_NAME_PREFIX = 'kubedisco-node-';
export const DEFAULT_NODE_IP_CIDR = '10.240.0.0/16';

/**
 * Parses a --stage-delays value: `pod-create=100ms,pod-ready=1s` (Go durations, or plain milliseconds).
 * Throws an Error whose message names the bad entry.
 */
export function parseStageDelays(v: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of v.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/.exec(part);
    const ms = m ? (/^\d+$/.test(m[3]) ? Number(m[3]) : parseGoDuration(m[3])) : undefined;
    if (!m || ms === undefined) throw new Error(`expected STAGE=DURATION[,STAGE=DURATION...] such as pod-ready=1s, got ${JSON.stringify(part)}`);
    out[m[1]] = ms;
  }
  return out;
}

/**
 * Checks the options that can be wrong without an API server (CIDRs, counts, the stage files and the
 * stage names of stageDelays); throws a RangeError/TypeError/StageError with a readable message. Returns
 * the stages to run.
 */
export function validateNodeSimulatorOptions(opts: Omit<NodeSimulatorOptions, 'rest'>): Stage[] {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 0) throw new RangeError(`nodes: expected a whole number ≥ 0, got ${opts.nodes}`);
  nodeLayout({
    nodes: opts.nodes,
    podCIDR: opts.podCIDR,
    nodeCIDRMaskSize: opts.nodeCIDRMaskSize ?? 24,
    nodeIPCIDR: opts.nodeIPCIDR ?? DEFAULT_NODE_IP_CIDR,
    namePrefix: opts.namePrefix ?? DEFAULT_NODE_NAME_PREFIX,
  });
  const maxPods = opts.maxPods ?? 110;
  if (!Number.isInteger(maxPods) || maxPods < 1) throw new RangeError(`max pods: expected a whole number ≥ 1, got ${maxPods}`);
  const stages = opts.stages ?? loadStages(opts.stagesDir);
  for (const name of Object.keys(opts.stageDelays ?? {})) {
    if (!stages.some((s) => s.name === name)) throw new RangeError(`stage delay for unknown stage ${JSON.stringify(name)} (stages: ${stages.map((s) => s.name).join(', ')})`);
  }
  return stages;
}

/**
 * Starts the simulator: informers (pods, nodes) synced, nodes registered or re-adopted, pods on them
 * adopted, then the pod workers, the scheduler and the heartbeats. Resolves once all of that runs.
 * Throws (before touching the API) on invalid options.
 */
export async function startNodeSimulator(opts: NodeSimulatorOptions): Promise<RunningNodeSimulator> {
  const stages = validateNodeSimulatorOptions(opts);
  const layout = nodeLayout({
    nodes: opts.nodes,
    podCIDR: opts.podCIDR,
    nodeCIDRMaskSize: opts.nodeCIDRMaskSize ?? 24,
    nodeIPCIDR: opts.nodeIPCIDR ?? DEFAULT_NODE_IP_CIDR,
    namePrefix: opts.namePrefix ?? DEFAULT_NODE_NAME_PREFIX,
  });
  const maxPods = opts.maxPods ?? 110;
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;

  const informers = new SharedInformerFactory(opts.rest, { clock });
  const podInformer = informers.informer<KPod>(findResource('', 'v1', 'pods')!);
  const nodeInformer = informers.informer<KNode>(findResource('', 'v1', 'nodes')!);
  const nodes = new NodeManager({
    rest: opts.rest, nodes: nodeInformer, clock, layout, capacity: defaultCapacity(maxPods),
    leaseDurationSeconds: opts.leaseDurationSeconds ?? 40,
    leaseRenewIntervalMs: opts.leaseRenewIntervalMs ?? 10_000,
    nodeStatusReportMs: opts.nodeStatusReportMs ?? 300_000,
    concurrency: 16,
  });
  const pods = new PodLifecycle({ rest: opts.rest, pods: podInformer, nodes, stages, stageDelays: opts.stageDelays ?? {}, clock, random, workers: opts.workers ?? 5 });
  const schedulerRecorder = new EventRecorder(opts.rest, { component: 'default-scheduler', clock });
  const scheduler = opts.scheduler === false || opts.nodes === 0
    ? undefined
    : new Scheduler({ rest: opts.rest, pods: podInformer, nodes, recorder: schedulerRecorder, clock, workers: opts.schedulerWorkers ?? 2 });

  let started = false;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await nodes.stop();
    await scheduler?.stop();
    await pods.stop();
    await informers.stop();
    await schedulerRecorder.flush();
  };
  try {
    informers.start();
    await informers.waitForSync();
    await nodes.register();
    pods.adoptExisting();
    pods.start();
    scheduler?.start();
    nodes.startHeartbeats();
    started = true;
  } catch (e) {
    await stop();
    throw e;
  }

  const metrics = (): NodeSimulatorMetrics => {
    const managed = nodes.list();
    return {
      nodes: managed.length,
      nodeStats: { ...nodes.stats },
      scheduler: scheduler ? { ...scheduler.stats } : undefined,
      stagesPlayed: { ...pods.stats.played },
      statusPatches: pods.stats.statusPatches,
      deletes: pods.stats.deletes,
      conditionSyncs: pods.stats.conditionSyncs,
      podErrors: pods.stats.errors,
      pendingStages: pods.stats.pending(),
      queueDepth: pods.queue.len(),
      podIPsInUse: managed.reduce((n, m) => n + m.pool.inUse(), 0),
      podIPCapacity: managed.reduce((n, m) => n + m.pool.capacity(), 0),
    };
  };

  return {
    ready: () => started && !stopped && informers.hasSynced(),
    stop,
    nodeNames: () => nodes.list().map((m) => m.id.name),
    metrics,
    renderMetrics: () => renderMetrics(metrics()),
  };
}

/** Prometheus text exposition of the simulator's numbers (design.md habit 8: kubedisco_<component>_<name>). */
export function renderMetrics(m: NodeSimulatorMetrics): string {
  const out: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[labels: string, value: number]>) => {
    out.push(`# HELP kubedisco_nodesim_${name} ${help}`, `# TYPE kubedisco_nodesim_${name} ${type}`);
    for (const [l, v] of samples) out.push(`kubedisco_nodesim_${name}${l} ${v}`);
  };
  metric('nodes', 'gauge', 'Simulated nodes run by this simulator.', [['', m.nodes]]);
  metric('node_registrations_total', 'counter', 'Nodes created (registered) or re-adopted at start.', [['{how="created"}', m.nodeStats.registered], ['{how="adopted"}', m.nodeStats.adopted]]);
  metric('lease_renewals_total', 'counter', 'Node Lease renewals (and creations).', [['', m.nodeStats.leaseRenewals]]);
  metric('lease_errors_total', 'counter', 'Failed node Lease renewals.', [['', m.nodeStats.leaseErrors]]);
  metric('node_status_reports_total', 'counter', 'Node status heartbeats written.', [['', m.nodeStats.statusReports]]);
  if (m.scheduler) {
    metric('scheduler_bindings_total', 'counter', 'Pods bound to a simulated node.', [['', m.scheduler.bound]]);
    metric('scheduler_unschedulable_total', 'counter', 'Scheduling attempts that found no fitting node.', [['', m.scheduler.unschedulable]]);
  }
  metric('stages_played_total', 'counter', 'Lifecycle stages played, by stage.', Object.entries(m.stagesPlayed).sort().map(([s, v]) => [`{stage="${s}"}`, v]));
  metric('pod_status_patches_total', 'counter', 'PATCH pods/status writes (stages and condition syncs).', [['', m.statusPatches]]);
  metric('pod_deletes_total', 'counter', 'Pods deleted at the end of their graceful termination.', [['', m.deletes]]);
  metric('pod_sync_errors_total', 'counter', 'Pod syncs that failed and were retried.', [['', m.podErrors]]);
  metric('pending_stages', 'gauge', 'Stages waiting for their delay.', [['', m.pendingStages]]);
  metric('pod_ips_in_use', 'gauge', 'Pod IPs held by pods on the simulated nodes.', [['', m.podIPsInUse]]);
  metric('pod_ip_capacity', 'gauge', 'Pod IPs the simulated nodes can hand out.', [['', m.podIPCapacity]]);
  return out.join('\n') + '\n';
}
