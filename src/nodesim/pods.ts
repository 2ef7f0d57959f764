// The simulated kubelet's pod loop (KWOK's pod_controller.go): informer events → a queue of pod keys →
// sync(key), which matches the pod against the stages, waits out the stage's delay (the delaying queue
// brings the key back when it is due) and plays it: a strategic-merge PATCH of pods/{name}/status, or the
// final DELETE with gracePeriodSeconds 0. Only pods bound to a node this simulator runs are touched.
//
// Besides the stages, the loop keeps the kubelet-owned conditions true to the container statuses (the
// kubelet's status manager): when someone else changes what they depend on (a readiness gate condition, a
// hand-edited Ready), they are written again.

import { createHash } from 'node:crypto';
import type { KObject } from '../api/meta.ts';
import { findResource } from '../api/resources.ts';
import { isConflict, isInvalid, isNotFound } from '../api/status.ts';
import type { Pod } from '../api/types/pod.ts';
import {
  EventRecorder, metaNamespaceKeyFunc, type ResourceClient, runWorkers, RateLimitingQueue, unwrapTombstone, type Clock, type RestClient, type SharedInformer,
} from '../client/index.ts';
import { log } from '../util/log.ts';
import { conditionSyncPatch } from './kubelet-status.ts';
import { IpPoolExhaustedError } from './ip-pool.ts';
import { CONTAINER_RUNTIME, rfc3339, type ManagedNode, type NodeManager } from './nodes.ts';
import { selectStage, type RenderEnv, type Stage, type StageResult } from './stage.ts';

const PODS = findResource('', 'v1', 'pods')!;
interface KPod extends Pod { [field: string]: unknown }

/** A container ID as a runtime would report it: `<runtime>://<64 hex>`, stable per pod UID and container. */
export function containerID(uid: string, container: string): string {
  return `${CONTAINER_RUNTIME}://${createHash('sha256').update(`${uid}/${container}`).digest('hex')}`;
}

export interface PodLifecycleOptions {
  rest: RestClient;
  pods: SharedInformer<KPod>;
  nodes: NodeManager;
  stages: readonly Stage[];
  /** Per-stage delay overrides (ms), replacing a stage's durationMilliseconds. */
  stageDelays: Readonly<Record<string, number>>;
  clock: Clock;
  random: () => number;
  workers: number;
}

export interface PodLifecycleStats {
  /** Stages played, by stage name. */
  played: Record<string, number>;
  statusPatches: number;
  deletes: number;
  conditionSyncs: number;
  errors: number;
  /** Stages waiting for their delay. */
  pending(): number;
}

interface Pending { stage: string; uid: string; dueAt: number }

/** Plays of one stage in a row for one pod before they are slowed down. */
const REPEAT_LIMIT = 3;

export class PodLifecycle {
  readonly queue: RateLimitingQueue<string>;
  readonly stats: PodLifecycleStats;
  private readonly opts: PodLifecycleOptions;
  private readonly pending = new Map<string, Pending>();
  /** After a write: the resourceVersion it was based on, so a cache still showing it is known to be stale. */
  private readonly wroteFrom = new Map<string, { uid: string; rv: string }>();
  private readonly recorders = new Map<string, EventRecorder>();
  /** The stage last played per pod and how many times in a row: a stage that keeps matching its own result
   *  (a badly written stage file) is slowed to one play a second instead of looping at API speed. */
  private readonly lastPlayed = new Map<string, { uid: string; stage: string; n: number }>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: PodLifecycleOptions) {
    this.opts = opts;
    this.queue = new RateLimitingQueue<string>({ clock: opts.clock });
    this.stats = { played: {}, statusPatches: 0, deletes: 0, conditionSyncs: 0, errors: 0, pending: () => this.pending.size };
    opts.pods.addEventHandler({
      onAdd: (p) => this.enqueueIfOurs(p),
      onUpdate: (o, p) => { if (o.metadata.resourceVersion !== p.metadata.resourceVersion) this.enqueueIfOurs(p); },
      onDelete: (t) => this.forget(unwrapTombstone(t)),
    });
  }

  private enqueueIfOurs(p: KPod): void {
    if (this.opts.nodes.get(p.spec?.nodeName)) this.queue.add(metaNamespaceKeyFunc(p));
  }

  /** The pod is gone: free its IP, cancel its pending stage. */
  private forget(p: KPod): void {
    const key = metaNamespaceKeyFunc(p);
    const uid = p.metadata.uid ?? '';
    this.opts.nodes.get(p.spec?.nodeName)?.pool.release(uid);
    if (this.pending.get(key)?.uid === uid) this.pending.delete(key);
    if (this.wroteFrom.get(key)?.uid === uid) this.wroteFrom.delete(key);
    if (this.lastPlayed.get(key)?.uid === uid) this.lastPlayed.delete(key);
  }

  /**
   * Takes over pods already on our nodes (a restart): their IPs go back into the pools, and every one is
   * queued so whatever stage is due gets played.
   */
  adoptExisting(): void {
    for (const p of this.opts.pods.indexer.list()) {
      const m = this.opts.nodes.get(p.spec?.nodeName);
      if (!m) continue;
      const ip = p.status?.podIP;
      if (ip && !p.spec?.hostNetwork && !m.pool.adopt(p.metadata.uid ?? '', ip)) {
        log('warn', 'nodesim', 'pod IP outside its node\'s pool or taken twice; keeping it as is', { pod: metaNamespaceKeyFunc(p), ip, podCIDR: m.pool.cidr });
      }
      this.queue.add(metaNamespaceKeyFunc(p));
    }
  }

  start(): void {
    this.running = runWorkers(this.queue, this.opts.workers, (key) => this.sync(key), {
      onError: (e, key) => { this.stats.errors++; log('warn', 'nodesim', 'pod sync failed; retrying', { pod: key, err: (e as Error).message }); },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue.shutDownWithDrain();
    await this.running;
    await Promise.all([...this.recorders.values()].map((r) => r.flush()));
  }

  private recorder(node: string): EventRecorder {
    let r = this.recorders.get(node);
    if (!r) this.recorders.set(node, (r = new EventRecorder(this.opts.rest, { component: 'kubelet', host: node, clock: this.opts.clock })));
    return r;
  }

  async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const pod = this.opts.pods.indexer.getByKey(key);
    if (!pod) { this.pending.delete(key); this.wroteFrom.delete(key); this.lastPlayed.delete(key); return; }
    const m = this.opts.nodes.get(pod.spec?.nodeName);
    if (!m) { this.pending.delete(key); return; }
    const uid = pod.metadata.uid ?? '';
    const wrote = this.wroteFrom.get(key);
    if (wrote) {
      // Our last write is not in the cache yet: its watch event will bring the key back.
      if (wrote.uid === uid && wrote.rv === pod.metadata.resourceVersion) return;
      this.wroteFrom.delete(key);
    }
    const now = this.opts.clock.now();
    let p = this.pending.get(key);
    // Keep a pending stage while it still matches (so a weighted pick is not re-rolled on every event).
    const kept = p && p.uid === uid ? this.opts.stages.find((s) => s.name === p!.stage && s.matches(pod)) : undefined;
    const stage = kept ?? selectStage(this.opts.stages, pod, this.opts.random);
    if (!stage) {
      this.pending.delete(key);
      await this.syncConditions(key, pod);
      return;
    }
    if (!kept) {
      let delay = stage.delayMs(pod, now, this.opts.random, this.opts.stageDelays[stage.name]);
      const last = this.lastPlayed.get(key);
      if (last && last.uid === uid && last.stage === stage.name && last.n >= REPEAT_LIMIT) {
        if (last.n === REPEAT_LIMIT) log('warn', 'nodesim', 'a stage keeps matching the pod it just wrote; playing it at most once a second', { pod: key, stage: stage.name });
        delay = Math.max(delay, 1000);
      }
      p = { stage: stage.name, uid, dueAt: now + delay };
      this.pending.set(key, p);
    }
    if (now < p!.dueAt) {
      this.queue.addAfter(key, p!.dueAt - now);
      return;
    }
    // Due. If playing fails, the stage stays pending (already due) and the retry plays it without a new delay.
    await this.play(key, stage, pod, m);
    if (this.pending.get(key) === p) this.pending.delete(key);
    const last = this.lastPlayed.get(key);
    this.lastPlayed.set(key, last && last.uid === uid && last.stage === stage.name ? { ...last, n: last.n + 1 } : { uid, stage: stage.name, n: 1 });
  }

  private env(pod: Pod, m: ManagedNode): RenderEnv {
    const uid = pod.metadata.uid ?? '';
    return {
      now: rfc3339(this.opts.clock.now()),
      podIP: () => (pod.spec?.hostNetwork ? this.hostIP(m) : m.pool.allocate(uid)),
      hostIP: () => this.hostIP(m),
      nodeName: () => m.id.name,
      containerID: (c) => containerID(uid, c),
    };
  }

  private hostIP(m: ManagedNode): string {
    return m.node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? m.id.internalIP;
  }

  private async play(key: string, stage: Stage, pod: Pod, m: ManagedNode): Promise<void> {
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    let result: StageResult;
    try {
      result = stage.render(pod, this.env(pod, m));
    } catch (e) {
      if (e instanceof IpPoolExhaustedError) {
        // kubelet: FailedCreatePodSandBox, and the sandbox is retried later.
        this.recorder(m.id.name).event(pod as KObject, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: failed to allocate for range 0: no IP addresses available in range set: ${m.pool.cidr}`);
      }
      throw e;
    }
    const client = this.opts.rest.resource<KPod>(PODS, ns);
    if (result.delete) {
      try {
        await client.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
      } catch (e) {
        // Gone already, or the name now belongs to a new pod (UID precondition): done either way.
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
      this.stats.deletes++;
      this.wroteFrom.set(key, { uid: pod.metadata.uid ?? '', rv: pod.metadata.resourceVersion ?? '' });
    } else if (result.patch) {
      if (!(await this.patchStatus(key, client, pod, result.patch))) return;
    }
    this.stats.played[stage.name] = (this.stats.played[stage.name] ?? 0) + 1;
    for (const e of result.events) this.recorder(m.id.name).event(pod as KObject, e.type, e.reason, e.message);
  }

  /** PATCH pods/{name}/status (strategic merge); false when the pod is gone or was replaced. */
  private async patchStatus(key: string, client: ResourceClient<KPod>, pod: Pod, patch: unknown): Promise<boolean> {
    let updated: KPod;
    try {
      updated = await client.patch(pod.metadata.name!, 'strategic', patch, { subresource: 'status' });
    } catch (e) {
      // metadata.uid in the patch is a precondition: a pod recreated under the same name answers 409
      // ("Precondition failed: UID in precondition: …"), and is driven by its own events.
      if (isNotFound(e) || isConflict(e) || isInvalid(e)) return false;
      throw e;
    }
    this.stats.statusPatches++;
    if (updated.metadata.resourceVersion !== pod.metadata.resourceVersion) {
      this.wroteFrom.set(key, { uid: pod.metadata.uid ?? '', rv: pod.metadata.resourceVersion ?? '' });
    }
    return true;
  }

  /** The status manager's part: rewrite the kubelet conditions when they no longer follow from the status. */
  private async syncConditions(key: string, pod: Pod): Promise<void> {
    const patch = conditionSyncPatch(pod, rfc3339(this.opts.clock.now()));
    if (!patch) return;
    if (await this.patchStatus(key, this.opts.rest.resource<KPod>(PODS, pod.metadata.namespace!), pod, patch)) this.stats.conditionSyncs++;
  }
}
