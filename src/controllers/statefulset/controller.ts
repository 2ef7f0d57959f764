// The StatefulSet controller (pkg/controller/statefulset/stateful_set.go + stateful_set_control.go +
// stateful_pod_control.go + stateful_set_status_updater.go). Informers on StatefulSets, Pods and
// ControllerRevisions; handlers map a pod to its controlling StatefulSet (an orphan to every set whose selector
// matches) and only enqueue keys; a level-based sync(key) claims revisions and pods (adopt/release), makes the
// update revision real, carries out the plan of reconcile.ts (creates, deletes, identity updates, in order,
// slow-start batches for Parallel), writes the status through the status subresource when it changed, and
// truncates the revision history. Events come from `statefulset-controller` (kubernetes-semantics.md §10).

import { keyOf, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { isEverything, matches, selectorFromLabelSelector, type LabelSelector } from '../../api/selectors.ts';
import { isAlreadyExists, isConflict, isInvalid, isNotFound, StatusError } from '../../api/status.ts';
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { LABEL_CONTROLLER_HASH } from '../../api/well-known.ts';
import { byNamespace, RateLimitingQueue, unwrapTombstone, type DeletedFinalStateUnknown, type EventRecorder, type HandlerRegistration, type SharedInformer } from '../../client/index.ts';
import { log } from '../../util/log.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { controllerRevisionName, goJSON, hashControllerRevision, sortRevisions } from './history.ts';
import { claimPods, claimRevisions, getStatefulSetRevisions, inconsistentStatus, planSync, revisionsToTruncate, type PodAction, type SyncPlan } from './reconcile.ts';
import { CONTROLLER_KIND, controllerOf, controllerRef, isPodReady } from './utils.ts';

const STS = findResource('apps', 'v1', 'statefulsets')!;
const PODS = findResource('', 'v1', 'pods')!;
const REVISIONS = findResource('apps', 'v1', 'controllerrevisions')!;
const COMPONENT = 'statefulset-controller';
/** MaxBatchSize: the largest slow-start batch in Parallel mode. */
export const MAX_BATCH_SIZE = 500;
/** CreateControllerRevision retries with a new collision count at most this often per sync. */
const MAX_REVISION_COLLISIONS = 10;

const asSet = (o: KObject) => o as unknown as StatefulSet;
const asPod = (o: KObject) => o as unknown as Pod;
const asRev = (o: KObject) => o as unknown as ControllerRevision;
const obj = (o: StatefulSet | Pod | ControllerRevision) => o as unknown as KObject;
/** The set as the event's involvedObject (cache items may lack apiVersion/kind). */
const withKind = (s: StatefulSet): KObject => ({ ...obj(s), apiVersion: 'apps/v1', kind: 'StatefulSet' });

/** apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause). */
function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/** A create refused because the namespace is terminating: stop the sync quietly (it is going away). */
class NamespaceGoingAway extends Error {}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function labelsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

/** slowStartBatch: batches of 1, 2, 4, … (≤ MAX_BATCH_SIZE); stops after the first batch with a failure. */
export async function slowStartBatch<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<unknown[]> {
  let i = 0;
  for (let size = Math.min(items.length, 1); size > 0; size = Math.min(2 * size, items.length - i, MAX_BATCH_SIZE)) {
    const results = await Promise.allSettled(items.slice(i, i + size).map(fn));
    i += size;
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    if (errors.length > 0) return errors;
  }
  return [];
}

export interface StatefulSetControllerMetrics {
  syncs: number;
  syncErrors: number;
  podsCreated: number;
  podsDeleted: number;
  podsUpdated: number;
  podWriteErrors: number;
  revisionsCreated: number;
  revisionsDeleted: number;
  statusUpdates: number;
  adopted: number;
  released: number;
}

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  readonly metrics: StatefulSetControllerMetrics = {
    syncs: 0, syncErrors: 0, podsCreated: 0, podsDeleted: 0, podsUpdated: 0, podWriteErrors: 0, revisionsCreated: 0, revisionsDeleted: 0, statusUpdates: 0, adopted: 0, released: 0,
  };
  private readonly ctx: ControllerContext;
  private readonly queue: RateLimitingQueue<string>;
  private readonly recorder: EventRecorder;
  private setInf?: SharedInformer<KObject>;
  private podInf?: SharedInformer<KObject>;
  private revInf?: SharedInformer<KObject>;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.recorder = ctx.recorder(COMPONENT);
  }

  async run(): Promise<void> {
    const setInf = (this.setInf = this.ctx.informers.informer(STS));
    const podInf = (this.podInf = this.ctx.informers.informer(PODS));
    // ControllerRevisions are only read from the cache (no handlers), as upstream.
    const revInf = (this.revInf = this.ctx.informers.informer(REVISIONS));
    this.regs.push(setInf.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_a, b) => this.enqueue(b),
      onDelete: (o) => this.enqueue(unwrapTombstone(o)),
    }));
    this.regs.push(podInf.addEventHandler({
      onAdd: (o) => this.addPod(asPod(o)),
      onUpdate: (a, b) => this.updatePod(asPod(a), asPod(b)),
      onDelete: (o) => this.deletePod(o),
    }));
    await Promise.all([setInf.waitForSync(), podInf.waitForSync(), revInf.waitForSync()]);
    if (this.stopped) return;
    this.workers = startSyncWorkers({
      component: COMPONENT, queue: this.queue, ctx: this.ctx, sync: (key) => this.sync(key),
      onFailure: () => { this.metrics.syncErrors++; },
      routine: (err) => isConflict(err) || isAlreadyExists(err),
      errorText: errText,
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopSyncWorkers(this.regs, this.queue, this.workers);
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers (stateful_set.go addPod/updatePod/deletePod): only enqueue keys.

  private enqueue(o: KObject | StatefulSet): void {
    this.queue.add(keyOf(o));
  }

  /** resolveControllerRef: the cached set a controller reference names, when kind and UID match. */
  private resolveControllerRef(namespace: string, pod: Pod): StatefulSet | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== CONTROLLER_KIND) return undefined;
    const set = this.setInf?.indexer.getByKey(`${namespace}/${ref.name}`);
    if (!set || set.metadata.uid !== ref.uid) return undefined;
    return asSet(set);
  }

  /** getStatefulSetsForPod: sets in the pod's namespace whose (non-empty) selector matches its labels. */
  private setsForPod(pod: Pod): StatefulSet[] {
    const out: StatefulSet[] = [];
    for (const o of this.setInf?.indexer.byIndex(byNamespace, pod.metadata.namespace ?? '') ?? []) {
      const set = asSet(o);
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(set.spec?.selector);
      } catch {
        continue;
      }
      if (sel.nothing || isEverything(sel) || !matches(sel, pod.metadata.labels)) continue;
      out.push(set);
    }
    if (out.length > 1) log('debug', COMPONENT, 'user error: more than one StatefulSet is selecting pods with labels', { pod: keyOf(pod), labels: pod.metadata.labels });
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // A pod that shows up already being deleted (e.g. after a restart): treat as a delete.
      this.deletePod(pod);
      return;
    }
    if (controllerOf(pod)) {
      const set = this.resolveControllerRef(pod.metadata.namespace ?? '', pod);
      if (set) this.enqueue(set);
      return;
    }
    // An orphan: every matching set may want to adopt it.
    for (const set of this.setsForPod(pod)) this.enqueue(set);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return; // a relist, not a change
    const labelChanged = !labelsEqual(old.metadata.labels, cur.metadata.labels);
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid || curRef?.name !== oldRef?.name || curRef?.kind !== oldRef?.kind;
    if (refChanged && oldRef) {
      const oldSet = this.resolveControllerRef(old.metadata.namespace ?? '', old);
      if (oldSet) this.enqueue(oldSet);
    }
    if (curRef) {
      const set = this.resolveControllerRef(cur.metadata.namespace ?? '', cur);
      if (!set) return;
      this.enqueue(set);
      // A pod that just became Ready becomes available minReadySeconds later: look again then.
      const mrs = set.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && mrs > 0) this.queue.addAfter(keyOf(set), mrs * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const set of this.setsForPod(cur)) this.enqueue(set);
  }

  private deletePod(o: KObject | Pod | DeletedFinalStateUnknown<KObject>): void {
    const pod = asPod(unwrapTombstone(o as KObject | DeletedFinalStateUnknown<KObject>));
    if (!controllerOf(pod)) return;
    const set = this.resolveControllerRef(pod.metadata.namespace ?? '', pod);
    if (set) this.enqueue(set);
  }

  // -------------------------------------------------------------------------------------------
  // sync.

  /** Level-based: converge the set named by key ("ns/name") from the caches. Throws to be retried. */
  async sync(key: string): Promise<void> {
    this.metrics.syncs++;
    const cached = this.setInf?.indexer.getByKey(key);
    if (!cached) return; // deleted; the garbage collector removes its pods and revisions
    const set = structuredClone(asSet(cached));
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(set.spec?.selector);
    } catch (e) {
      // A non-transient error: do not retry.
      log('warn', COMPONENT, 'error converting StatefulSet selector', { key, error: errText(e) });
      return;
    }
    const ns = set.metadata.namespace ?? '';
    const adoptCheck = this.canAdoptOnce(set);
    const revisions = await this.claimRevisions(set, selector, ns, adoptCheck);
    const pods = await this.claimPods(set, selector, ns, adoptCheck);
    await this.syncStatefulSet(key, set, pods, revisions);
  }

  /** canAdoptFunc: RecheckDeletionTimestamp against a fresh read, done at most once per sync. */
  private canAdoptOnce(set: StatefulSet): () => Promise<void> {
    let checked: Promise<void> | undefined;
    return () => (checked ??= (async () => {
      const fresh = asSet(await this.ctx.rest.resource(STS, set.metadata.namespace ?? '').get(set.metadata.name ?? ''));
      if (fresh.metadata.uid !== set.metadata.uid) throw new Error(`original ${set.metadata.namespace}/${set.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${set.metadata.uid}`);
      if (fresh.metadata.deletionTimestamp) throw new Error(`${set.metadata.namespace}/${set.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    })());
  }

  /** ListRevisions + adoptOrphanRevisions. */
  private async claimRevisions(set: StatefulSet, selector: LabelSelector, ns: string, canAdopt: () => Promise<void>): Promise<ControllerRevision[]> {
    const inNs = (this.revInf?.indexer.byIndex(byNamespace, ns) ?? []).map(asRev);
    const { owned, orphans } = claimRevisions(set, inNs, selector);
    if (orphans.length === 0) return owned;
    await canAdopt();
    const client = this.ctx.rest.resource(REVISIONS, ns);
    for (const r of orphans) {
      const patch = { metadata: { ownerReferences: [controllerRef(set)], uid: r.metadata.uid } };
      owned.push(asRev(await client.patch(r.metadata.name ?? '', 'strategic', patch)));
    }
    return owned;
  }

  /** getPodsForStatefulSet: ClaimPods over the namespace's pods (adopting and releasing through patches). */
  private async claimPods(set: StatefulSet, selector: LabelSelector, ns: string, canAdopt: () => Promise<void>): Promise<Pod[]> {
    const inNs = (this.podInf?.indexer.byIndex(byNamespace, ns) ?? []).map(asPod);
    const claim = claimPods(set, inNs, selector);
    const pods = [...claim.owned];
    const errors: unknown[] = [];
    const client = this.ctx.rest.resource(PODS, ns);
    for (const p of claim.adopt) {
      try {
        await canAdopt();
        const patch = { metadata: { ownerReferences: [controllerRef(set)], uid: p.metadata.uid } };
        pods.push(asPod(await client.patch(p.metadata.name ?? '', 'strategic', patch)));
        this.metrics.adopted++;
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
    }
    for (const p of claim.release) {
      try {
        const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: set.metadata.uid }], uid: p.metadata.uid } };
        await client.patch(p.metadata.name ?? '', 'strategic', patch);
        this.metrics.released++;
      } catch (e) {
        if (!isNotFound(e) && !isInvalid(e)) errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return pods;
  }

  /** UpdateStatefulSet: revisions, pods, status, history; then the minReadySeconds resync. */
  private async syncStatefulSet(key: string, set: StatefulSet, pods: Pod[], revisions: ControllerRevision[]): Promise<void> {
    const ns = set.metadata.namespace ?? '';
    const decision = getStatefulSetRevisions(set, revisions);
    let { current, update, collisionCount } = decision;
    const currentIsUpdate = current === decision.update;
    let firstError: unknown;
    let plan: SyncPlan | undefined;
    try {
      if (decision.action?.type === 'create') {
        ({ revision: update, collisionCount } = await this.createRevision(set, decision.action.revision, collisionCount));
      } else if (decision.action?.type === 'renumber') {
        const r = structuredClone(decision.action.revision);
        r.revision = decision.action.to;
        update = asRev(await this.ctx.rest.resource(REVISIONS, ns).update(obj(r)));
      }
      if (currentIsUpdate) current = update;
      plan = planSync({ set, pods, current, update, collisionCount, now: this.ctx.clock.now() });
      const failed = await this.execute(set, plan);
      if (failed !== undefined && !(failed instanceof NamespaceGoingAway)) firstError = failed;
      await this.writeStatus(set, failed !== undefined ? plan.statusOnError : plan.status).catch((e) => {
        if (firstError === undefined) firstError = e;
        else log('warn', COMPONENT, 'could not update status', { key, error: errText(e) });
      });
    } catch (e) {
      firstError = e;
    }
    try {
      await this.truncateHistory(set, pods, revisions, current, update);
    } catch (e) {
      if (firstError === undefined) firstError = e;
    }
    if (plan?.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
    if (firstError !== undefined) throw firstError;
  }

  /**
   * CreateControllerRevision: on a name collision with different data, bump the collision count and retry
   * under the new name; an existing revision with the same data is used as is.
   */
  private async createRevision(set: StatefulSet, revision: ControllerRevision, collisionCount: number): Promise<{ revision: ControllerRevision; collisionCount: number }> {
    const client = this.ctx.rest.resource(REVISIONS, set.metadata.namespace ?? '');
    const raw = goJSON(revision.data ?? null);
    for (let i = 0; i <= MAX_REVISION_COLLISIONS; i++) {
      const hash = hashControllerRevision(raw, collisionCount);
      const clone = structuredClone(revision);
      clone.metadata.name = controllerRevisionName(set.metadata.name ?? '', hash);
      clone.metadata.labels = { ...(clone.metadata.labels ?? {}), [LABEL_CONTROLLER_HASH]: hash };
      try {
        const created = asRev(await client.create(obj(clone)));
        this.metrics.revisionsCreated++;
        return { revision: created, collisionCount };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const existing = asRev(await client.get(clone.metadata.name));
        if (goJSON(existing.data ?? null) === raw) return { revision: existing, collisionCount };
        collisionCount++;
      }
    }
    throw new Error(`aborting ControllerRevision creation for ${set.metadata.namespace}/${set.metadata.name} after ${MAX_REVISION_COLLISIONS} name collisions`);
  }

  /** Runs the plan's phases in order; returns the failure that stopped it, if any. */
  private async execute(set: StatefulSet, plan: SyncPlan): Promise<unknown> {
    for (const phase of plan.phases) {
      if (phase.burst) {
        const errors = await slowStartBatch(phase.actions, (a) => this.apply(set, a));
        if (errors.length > 0) return errors.find((e) => !(e instanceof NamespaceGoingAway)) ?? errors[0];
      } else {
        for (const a of phase.actions) {
          try {
            await this.apply(set, a);
          } catch (e) {
            return e;
          }
        }
      }
    }
    return undefined;
  }

  /** StatefulPodControl: one pod write and its event (recordPodEvent). */
  private async apply(set: StatefulSet, a: PodAction): Promise<void> {
    const ns = set.metadata.namespace ?? '';
    const client = this.ctx.rest.resource(PODS, ns);
    const name = a.pod.metadata.name ?? '';
    const verb = a.type;
    try {
      if (a.type === 'create') {
        await client.create(obj(a.pod));
        this.metrics.podsCreated++;
      } else if (a.type === 'delete') {
        try {
          await client.delete(name);
        } catch (e) {
          if (isNotFound(e)) return; // already gone: done
          throw e;
        }
        this.metrics.podsDeleted++;
      } else {
        await client.update(obj(a.pod));
        this.metrics.podsUpdated++;
      }
    } catch (e) {
      if (verb === 'create' && isAlreadyExists(e)) throw e; // sunk without an event (the cache is behind)
      if (verb === 'create' && isNamespaceTerminating(e)) throw new NamespaceGoingAway(errText(e));
      this.metrics.podWriteErrors++;
      const Verb = verb[0].toUpperCase() + verb.slice(1);
      this.recorder.event(withKind(set), 'Warning', `Failed${Verb}`, `${verb} Pod ${name} in StatefulSet ${set.metadata.name} failed error: ${errText(e)}`);
      throw e;
    }
    const Verb = verb[0].toUpperCase() + verb.slice(1);
    this.recorder.event(withKind(set), 'Normal', `Successful${Verb}`, `${verb} Pod ${name} in StatefulSet ${set.metadata.name} successful`);
  }

  /** updateStatefulSetStatus: PUT …/status (with the cached resourceVersion) only when it changed. */
  private async writeStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    if (!inconsistentStatus(set, status)) return;
    const body = structuredClone(set);
    body.status = status;
    await this.ctx.rest.resource(STS, set.metadata.namespace ?? '').updateStatus(withKind(body));
    this.metrics.statusUpdates++;
  }

  /** truncateHistory. */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const doomed = revisionsToTruncate(set, pods, sortRevisions(revisions), current, update);
    const client = this.ctx.rest.resource(REVISIONS, set.metadata.namespace ?? '');
    for (const r of doomed) {
      try {
        await client.delete(r.metadata.name ?? '');
        this.metrics.revisionsDeleted++;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

/** The statefulset controller, by the name `kubedisco controllers --controllers statefulset` takes. */
export const statefulSetController: ControllerFactory = (ctx) => new StatefulSetController(ctx);
