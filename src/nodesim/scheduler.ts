// A small default-scheduler for the simulated nodes: pods with no spec.nodeName, schedulerName
// default-scheduler (or empty) and no scheduling gates are bound (POST pods/{name}/binding) to the simulated
// node with the fewest pods. The filters are kube-scheduler's default ones that matter without real
// resources, run in its plugin order and with its reason texts (pkg/scheduler/framework/plugins/...):
// NodeUnschedulable, TaintToleration (NoSchedule/NoExecute; a not-Ready node counts as tainted
// node.kubernetes.io/not-ready), NodeAffinity (nodeSelector and required node affinity), and the pod count
// part of NodeResourcesFit (allocatable pods, the kubelet's --max-pods). CPU and memory requests, pod
// (anti-)affinity, topology spread and preemption are not simulated.

import type { KObject } from '../api/meta.ts';
import { findResource } from '../api/resources.ts';
import { newRequirement, matches, type Operator } from '../api/selectors.ts';
import { isConflict, isNotFound } from '../api/status.ts';
import type { Pod, PodCondition, Toleration } from '../api/types/pod.ts';
import type { Node, Taint } from '../api/types/node.ts';
import {
  metaNamespaceKeyFunc, runWorkers, RateLimitingQueue, unwrapTombstone, type Clock, type EventRecorder, type RestClient, type SharedInformer,
} from '../client/index.ts';
import { log } from '../util/log.ts';
import type { NodeManager } from './nodes.ts';
import { rfc3339 } from './nodes.ts';

const PODS = findResource('', 'v1', 'pods')!;
interface KPod extends Pod { [field: string]: unknown }
export const DEFAULT_SCHEDULER = 'default-scheduler';

/** A candidate node as the filters see it. */
export interface CandidateNode {
  node: Node;
  /** Pods bound to it that are not terminal (including ones just bound and not yet seen in the cache). */
  pods: number;
}

type Obj = Record<string, unknown>;

/** Whether this scheduler should place the pod (kube-scheduler's queue admission, simplified). */
export function needsScheduling(pod: Pod): boolean {
  const s = pod.spec;
  if (!s || s.nodeName) return false;
  if (pod.metadata.deletionTimestamp) return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  if (s.schedulerName && s.schedulerName !== DEFAULT_SCHEDULER) return false;
  return !(s.schedulingGates && s.schedulingGates.length > 0);
}

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return t.operator === 'Exists';
}

function isReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

const OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt' };

/** One NodeSelectorTerm (matchExpressions on labels AND matchFields on metadata.name); an empty term matches nothing. */
function termMatches(term: Obj, node: Node): boolean {
  const exprs = Array.isArray(term.matchExpressions) ? (term.matchExpressions as Obj[]) : [];
  const fields = Array.isArray(term.matchFields) ? (term.matchFields as Obj[]) : [];
  if (exprs.length === 0 && fields.length === 0) return false;
  try {
    for (const e of exprs) {
      const op = OPS[String(e.operator)];
      if (!op) return false;
      const r = newRequirement(String(e.key), op, Array.isArray(e.values) ? (e.values as string[]) : []);
      if (!matches({ requirements: [r] }, node.metadata.labels)) return false;
    }
    for (const f of fields) {
      if (f.key !== 'metadata.name') return false;
      const values = Array.isArray(f.values) ? (f.values as string[]) : [];
      const has = values.includes(node.metadata.name!);
      if (f.operator === 'In' ? !has : f.operator === 'NotIn' ? has : true) return false;
    }
  } catch {
    return false;
  }
  return true;
}

/** NodeAffinity's filter: spec.nodeSelector, then requiredDuringSchedulingIgnoredDuringExecution (terms ORed). */
export function nodeAffinityMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const affinity = pod.spec?.affinity as Obj | undefined;
  const required = (affinity?.nodeAffinity as Obj | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as Obj | undefined;
  if (!required) return true;
  const terms = Array.isArray(required.nodeSelectorTerms) ? (required.nodeSelectorTerms as Obj[]) : [];
  return terms.some((t) => termMatches(t, node));
}

/** The first filter a node fails for the pod, as kube-scheduler words it; undefined when the pod fits. */
export function filterNode(pod: Pod, c: CandidateNode): string | undefined {
  const tolerations = pod.spec?.tolerations ?? [];
  const node = c.node;
  if (node.spec?.unschedulable && !tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))) {
    return 'node(s) were unschedulable';
  }
  const taints: Taint[] = [...(node.spec?.taints ?? [])];
  if (!isReady(node)) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  if (!nodeAffinityMatches(pod, node)) return "node(s) didn't match Pod's node affinity/selector";
  const maxPods = Number(node.status?.allocatable?.pods ?? Infinity);
  if (c.pods + 1 > maxPods) return 'Too many pods';
  return undefined;
}

/**
 * The node to bind to (fewest pods, then first in the given order), or the FitError message kube-scheduler
 * records when none fits: `0/3 nodes are available: 3 Too many pods. preemption: ...`
 * (pkg/scheduler/framework/types.go FitError.Error; reasons counted and sorted as strings).
 */
export function scheduleOne(pod: Pod, candidates: readonly CandidateNode[]): { node: string } | { message: string } {
  if (candidates.length === 0) return { message: 'no nodes available to schedule pods' };
  let best: CandidateNode | undefined;
  const reasons = new Map<string, number>();
  for (const c of candidates) {
    const why = filterNode(pod, c);
    if (why) { reasons.set(why, (reasons.get(why) ?? 0) + 1); continue; }
    if (!best || c.pods < best.pods) best = c;
  }
  if (best) return { node: best.node.metadata.name! };
  const n = candidates.length;
  const hist = [...reasons].map(([r, k]) => `${k} ${r}`).sort();
  // Default preemption: only a full node could be helped by evicting lower-priority pods, and the
  // simulator's pods all have the same priority, so no victim is ever found.
  const tooMany = reasons.get('Too many pods') ?? 0;
  const post = [tooMany ? `${tooMany} No preemption victims found for incoming pod` : '', n - tooMany ? `${n - tooMany} Preemption is not helpful for scheduling` : '']
    .filter(Boolean).sort().join(', ');
  return { message: `0/${n} nodes are available: ${hist.join(', ')}. preemption: 0/${n} nodes are available: ${post}.` };
}

export interface SchedulerOptions {
  rest: RestClient;
  pods: SharedInformer<KPod>;
  nodes: NodeManager;
  recorder: EventRecorder;
  clock: Clock;
  workers: number;
}

export interface SchedulerStats { bound: number; bindConflicts: number; unschedulable: number; errors: number }

export class Scheduler {
  readonly stats: SchedulerStats = { bound: 0, bindConflicts: 0, unschedulable: 0, errors: 0 };
  readonly queue: RateLimitingQueue<string>;
  private readonly opts: SchedulerOptions;
  /** Non-terminal pods with a node: key → node name, and the count per node. */
  private readonly nodeOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Pods bound by us whose binding the cache has not shown yet. */
  private readonly assumed = new Map<string, string>();
  private readonly unschedulable = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: SchedulerOptions) {
    this.opts = opts;
    this.queue = new RateLimitingQueue<string>({ clock: opts.clock });
    opts.pods.addEventHandler({
      onAdd: (p) => this.observe(p),
      onUpdate: (o, p) => {
        if (o.metadata.resourceVersion === p.metadata.resourceVersion) return;
        // An unschedulable pod whose spec did not change (e.g. our own PodScheduled=False write) waits for a
        // node change rather than failing again at once.
        const retry = !this.unschedulable.has(metaNamespaceKeyFunc(p)) || JSON.stringify(o.spec) !== JSON.stringify(p.spec);
        this.observe(p, retry);
      },
      onDelete: (t) => {
        const p = unwrapTombstone(t);
        const key = metaNamespaceKeyFunc(p);
        const had = this.nodeOf.has(key);
        this.account(key, undefined);
        this.unassume(key);
        this.unschedulable.delete(key);
        if (had) this.retryUnschedulable();
      },
    });
    opts.nodes.onNodeChange(() => this.retryUnschedulable());
  }

  /** Pods on `node` that count against its capacity. */
  podsOn(node: string): number {
    return this.counts.get(node) ?? 0;
  }

  private account(key: string, node: string | undefined): void {
    const prev = this.nodeOf.get(key);
    if (prev === node) return;
    if (prev !== undefined) this.counts.set(prev, (this.counts.get(prev) ?? 1) - 1);
    if (node !== undefined) { this.counts.set(node, (this.counts.get(node) ?? 0) + 1); this.nodeOf.set(key, node); } else this.nodeOf.delete(key);
  }

  private unassume(key: string): void {
    const n = this.assumed.get(key);
    if (n === undefined) return;
    this.assumed.delete(key);
    this.counts.set(n, (this.counts.get(n) ?? 1) - 1);
  }

  private observe(p: KPod, retry = true): void {
    const key = metaNamespaceKeyFunc(p);
    const terminal = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    const node = p.spec?.nodeName || undefined;
    if (node) this.unassume(key);
    const wasCounted = this.nodeOf.has(key);
    this.account(key, node && !terminal ? node : undefined);
    if (wasCounted && !this.nodeOf.has(key)) this.retryUnschedulable();
    if (!needsScheduling(p)) this.unschedulable.delete(key);
    else if (retry) this.queue.add(key);
  }

  private retryUnschedulable(): void {
    for (const k of this.unschedulable) this.queue.add(k);
  }

  start(): void {
    this.running = runWorkers(this.queue, this.opts.workers, (key) => this.sync(key), {
      onError: (e, key) => { this.stats.errors++; log('warn', 'nodesim', 'scheduling failed; retrying', { pod: key, err: (e as Error).message }); },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue.shutDownWithDrain();
    await this.running;
  }

  async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const pod = this.opts.pods.indexer.getByKey(key);
    if (!pod || !needsScheduling(pod)) { this.unschedulable.delete(key); return; }
    if (this.assumed.has(key)) return;
    const candidates: CandidateNode[] = this.opts.nodes.list().filter((m) => !m.gone).map((m) => ({ node: m.node, pods: this.podsOn(m.id.name) }));
    const r = scheduleOne(pod, candidates);
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    if ('node' in r) {
      this.assumed.set(key, r.node);
      this.counts.set(r.node, (this.counts.get(r.node) ?? 0) + 1);
      const client = this.opts.rest.resource(PODS, ns);
      try {
        await this.opts.rest.request({
          method: 'POST',
          path: client.objectPath(name, ns, 'binding'),
          body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: r.node } },
          resource: { group: '', resource: 'pods' },
          name,
        });
      } catch (e) {
        this.unassume(key);
        // Already bound (by another scheduler), being deleted, or gone: nothing left to do.
        if (isConflict(e) || isNotFound(e)) { this.stats.bindConflicts++; return; }
        throw e;
      }
      this.stats.bound++;
      this.unschedulable.delete(key);
      this.opts.recorder.event(pod as KObject, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${r.node}`);
      return;
    }
    this.stats.unschedulable++;
    this.unschedulable.add(key);
    this.opts.recorder.event(pod as KObject, 'Warning', 'FailedScheduling', r.message);
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === r.message) return;
    const cond: PodCondition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : rfc3339(this.opts.clock.now()), reason: 'Unschedulable', message: r.message };
    try {
      await this.opts.rest.resource(PODS, ns).patch(name, 'strategic', { metadata: { uid: pod.metadata.uid }, status: { conditions: [cond] } }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
