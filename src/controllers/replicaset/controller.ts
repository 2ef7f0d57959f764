// The ReplicaSet controller (pkg/controller/replicaset/replica_set.go): keeps spec.replicas active pods for each
// ReplicaSet. Informers on ReplicaSets and Pods; handlers map a pod to its controlling ReplicaSet (or, for an
// orphan, to every ReplicaSet whose selector matches) and only enqueue keys; a level-based sync(key) claims
// pods (adopt/release), creates or deletes the difference in slow-start batches behind expectations, and writes
// the status through the status subresource when it changed. Decisions are in reconcile.ts.

import { keyOf, splitKey, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { isEverything, isNothing, matches, selectorFromLabelSelector, type LabelSelector } from '../../api/selectors.ts';
import { isInvalid, isNotFound, StatusError } from '../../api/status.ts';
import type { ReplicaSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { byNamespace, RateLimitingQueue, unwrapTombstone, type DeletedFinalStateUnknown, type HandlerRegistration, type SharedInformer } from '../../client/index.ts';
import { log } from '../../util/log.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { Expectations } from './expectations.ts';
import {
  adoptPatch, calculateStatus, controllerOf, filterActivePods, isPodReady, newControllerRef, nextAvailableAfterMs, planClaims,
  planReplicas, podFromTemplate, releasePatch, slowStartBatches, specReplicas, statusToWrite,
} from './reconcile.ts';

const RS = findResource('apps', 'v1', 'replicasets')!;
const PODS = findResource('', 'v1', 'pods')!;
const COMPONENT = 'replicaset-controller';

/** apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause). */
export function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

const asRS = (o: KObject) => o as unknown as ReplicaSet;
const asPod = (o: KObject) => o as unknown as Pod;
const withKind = (rs: ReplicaSet): KObject => ({ ...(rs as unknown as KObject), apiVersion: 'apps/v1', kind: 'ReplicaSet' });

export interface ReplicaSetControllerMetrics {
  syncs: number;
  syncErrors: number;
  podsCreated: number;
  podsDeleted: number;
  createErrors: number;
  deleteErrors: number;
  adopted: number;
  released: number;
  statusUpdates: number;
}

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly metrics: ReplicaSetControllerMetrics = { syncs: 0, syncErrors: 0, podsCreated: 0, podsDeleted: 0, createErrors: 0, deleteErrors: 0, adopted: 0, released: 0, statusUpdates: 0 };
  private readonly ctx: ControllerContext;
  private readonly queue: RateLimitingQueue<string>;
  private readonly expectations: Expectations;
  private rsInf?: SharedInformer<KObject>;
  private podInf?: SharedInformer<KObject>;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
    this.expectations = new Expectations(ctx.clock);
  }

  async run(): Promise<void> {
    const rsInf = (this.rsInf = this.ctx.informers.informer(RS));
    const podInf = (this.podInf = this.ctx.informers.informer(PODS));
    this.regs.push(rsInf.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (a, b) => this.updateRS(a, b),
      onDelete: (o) => this.deleteRS(o),
    }));
    this.regs.push(podInf.addEventHandler({
      onAdd: (o) => this.addPod(asPod(o)),
      onUpdate: (a, b) => this.updatePod(asPod(a), asPod(b)),
      onDelete: (o) => this.deletePod(o),
    }));
    await Promise.all([rsInf.waitForSync(), podInf.waitForSync()]);
    if (this.stopped) return;
    this.workers = startSyncWorkers({
      component: COMPONENT, queue: this.queue, ctx: this.ctx, sync: (key) => this.sync(key),
      onFailure: () => { this.metrics.syncErrors++; },
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopSyncWorkers(this.regs, this.queue, this.workers);
  }

  // -------------------------------------------------------------------------------------------
  // Event handlers (only enqueue keys).

  private enqueue(o: KObject): void {
    this.queue.add(keyOf(o));
  }

  private updateRS(oldObj: KObject, cur: KObject): void {
    // A recreated object with the same name: the old one's expectations must go (replica_set.go updateRS).
    if (oldObj.metadata.uid !== cur.metadata.uid) this.expectations.delete(keyOf(oldObj));
    this.enqueue(cur);
  }

  private deleteRS(o: KObject | DeletedFinalStateUnknown<KObject>): void {
    const rs = unwrapTombstone(o);
    const key = keyOf(rs);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  /** resolveControllerRef: the cached ReplicaSet a controller reference names, if the kind and UID match. */
  private resolveControllerRef(namespace: string, pod: Pod): ReplicaSet | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
    const rs = this.rsInf!.indexer.getByKey(`${namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? asRS(rs) : undefined;
  }

  /** getPodReplicaSets: ReplicaSets whose (non-empty) selector matches an orphan pod's labels. */
  private podReplicaSets(pod: Pod): ReplicaSet[] {
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) return [];
    const out: ReplicaSet[] = [];
    for (const o of this.rsInf!.indexer.byIndex(byNamespace, pod.metadata.namespace ?? '')) {
      const rs = asRS(o);
      let sel: LabelSelector;
      try {
        sel = selectorFromLabelSelector(rs.spec?.selector);
      } catch {
        continue;
      }
      if (isEverything(sel) || isNothing(sel) || !matches(sel, pod.metadata.labels)) continue;
      out.push(rs);
    }
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // A pod that shows up already being deleted (e.g. after a relist) counts as a deletion.
      this.deletePod(pod as unknown as KObject);
      return;
    }
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', pod);
      if (!rs) return;
      const key = keyOf(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const rs of this.podReplicaSets(pod)) this.queue.add(keyOf(rs));
  }

  private updatePod(oldPod: Pod, cur: Pod): void {
    if (oldPod.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(oldPod.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: act now rather than when the kubelet finally removes the pod.
      this.deletePod(cur as unknown as KObject);
      if (labelsChanged) this.deletePod(oldPod as unknown as KObject);
      return;
    }
    const curRef = controllerOf(cur), oldRef = controllerOf(oldPod);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const old = this.resolveControllerRef(oldPod.metadata.namespace ?? '', oldPod);
      if (old) this.queue.add(keyOf(old));
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace ?? '', cur);
      if (!rs) return;
      this.queue.add(keyOf(rs));
      // Became ready: resync once minReadySeconds have passed so availableReplicas follows.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(oldPod) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.podReplicaSets(cur)) this.queue.add(keyOf(rs));
  }

  private deletePod(o: KObject | DeletedFinalStateUnknown<KObject>): void {
    const pod = asPod(unwrapTombstone(o));
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', pod);
    if (!rs) return;
    const key = keyOf(rs);
    this.expectations.deletionObserved(key, keyOf(pod));
    this.queue.add(key);
  }

  // -------------------------------------------------------------------------------------------
  // sync

  /** syncReplicaSet. */
  async sync(key: string): Promise<void> {
    this.metrics.syncs++;
    const cached = this.rsInf!.indexer.getByKey(key);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs = structuredClone(asRS(cached));
    const needsSync = this.expectations.satisfied(key);
    let selector: LabelSelector;
    try {
      selector = selectorFromLabelSelector(rs.spec?.selector);
    } catch (e) {
      // An invalid selector cannot be fixed by retrying (validation normally prevents it).
      log('warn', COMPONENT, 'invalid selector', { key, error: (e as Error).message });
      return;
    }
    const { namespace } = splitKey(key);
    const all = this.podInf!.indexer.byIndex(byNamespace, namespace).map(asPod);
    const active = await this.claimPods(rs, selector, filterActivePods(all));

    let manageError: Error | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, active);
      } catch (e) {
        manageError = e as Error;
      }
    }

    const now = this.ctx.clock.now();
    const status = statusToWrite(rs, calculateStatus(rs, active, manageError, now));
    let updated = rs;
    if (status) updated = await this.updateStatus(rs, status);
    // Resync after minReadySeconds as a last line of defence (and so availableReplicas catches up).
    if (!manageError && (updated.spec?.minReadySeconds ?? 0) > 0 && (updated.status?.readyReplicas ?? 0) === specReplicas(updated)
      && (updated.status?.availableReplicas ?? 0) !== specReplicas(updated)) {
      const after = nextAvailableAfterMs(active, updated.spec!.minReadySeconds!, now) ?? (updated.spec!.minReadySeconds! * 1000);
      this.queue.addAfter(key, after);
    }
    if (manageError) throw manageError;
  }

  /**
   * claimPods: adopt matching orphans, release owned pods that stopped matching. Adoption first re-reads the
   * ReplicaSet from the API (RecheckDeletionTimestamp) so a ReplicaSet that was just deleted does not adopt.
   */
  private async claimPods(rs: ReplicaSet, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    const plan = planClaims({ uid: rs.metadata.uid ?? '', namespace: rs.metadata.namespace ?? '', deleting: !!rs.metadata.deletionTimestamp, selector }, pods as unknown as KObject[]);
    const owned = plan.owned.map(asPod);
    if (plan.adopt.length === 0 && plan.release.length === 0) return owned;
    const client = this.ctx.rest.resource(PODS, rs.metadata.namespace ?? '');
    const errors: Error[] = [];
    if (plan.adopt.length) {
      let canAdopt: Error | undefined;
      try {
        const fresh = await this.ctx.rest.resource(RS, rs.metadata.namespace ?? '').get(rs.metadata.name ?? '');
        if (fresh.metadata.uid !== rs.metadata.uid) canAdopt = new Error(`original ReplicaSet ${rs.metadata.namespace}/${rs.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${rs.metadata.uid}`);
        else if (fresh.metadata.deletionTimestamp) canAdopt = new Error(`${rs.metadata.namespace}/${rs.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      } catch (e) {
        canAdopt = e as Error;
      }
      for (const o of plan.adopt) {
        if (canAdopt) { errors.push(canAdopt); break; }
        try {
          await client.patch(o.metadata.name ?? '', 'strategic', adoptPatch(newControllerRef(rs, 'apps/v1', 'ReplicaSet'), o.metadata.uid ?? ''));
          owned.push(asPod(o));
          this.metrics.adopted++;
        } catch (e) {
          if (!isNotFound(e)) errors.push(e as Error);
        }
      }
    }
    for (const o of plan.release) {
      try {
        await client.patch(o.metadata.name ?? '', 'strategic', releasePatch(rs.metadata.uid ?? '', o.metadata.uid ?? ''));
        this.metrics.released++;
      } catch (e) {
        if (!isNotFound(e) && !isInvalid(e)) errors.push(e as Error);
      }
    }
    if (errors.length) throw errors[0];
    return owned;
  }

  /** manageReplicas: create or delete the difference, behind expectations. */
  private async manageReplicas(key: string, rs: ReplicaSet, active: Pod[]): Promise<void> {
    const related = this.relatedPods(rs);
    const plan = planReplicas(rs, active, related, this.ctx.clock.now());
    if (plan.action === 'create') {
      this.expectations.expectCreations(key, plan.count);
      let ok = 0;
      let err: unknown;
      for (const size of slowStartBatches(plan.count)) {
        const results = await Promise.allSettled(Array.from({ length: size }, () => this.createPod(rs)));
        const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
        ok += results.filter((r) => r.status === 'fulfilled').length;
        if (failed) { err = failed.reason; break; }
      }
      // Creates never attempted (or failed) will never be observed.
      for (let i = ok; i < plan.count; i++) this.expectations.creationObserved(key);
      if (err) throw err;
    } else if (plan.action === 'delete') {
      this.expectations.expectDeletions(key, plan.pods.map((p) => keyOf(p)));
      const results = await Promise.allSettled(plan.pods.map((p) => this.deletePodOf(rs, p)));
      let err: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        // The deletion will not be observed; a pod already gone is not an error.
        this.expectations.deletionObserved(key, keyOf(plan.pods[i]));
        if (!isNotFound(r.reason) && err === undefined) err = r.reason;
      });
      if (err) throw err;
    }
  }

  /** RealPodControl.CreatePods (with the SuccessfulCreate / FailedCreate events). */
  private async createPod(rs: ReplicaSet): Promise<void> {
    const pod = podFromTemplate(rs);
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    const recorder = this.ctx.recorder(COMPONENT);
    try {
      const created = await this.ctx.rest.resource(PODS, rs.metadata.namespace ?? '').create(pod as unknown as KObject);
      this.metrics.podsCreated++;
      recorder.event(withKind(rs), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      if (isNamespaceTerminating(e)) return; // the namespace is going away: nothing more to do
      this.metrics.createErrors++;
      recorder.event(withKind(rs), 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  /** RealPodControl.DeletePod (with the SuccessfulDelete / FailedDelete events). */
  private async deletePodOf(rs: ReplicaSet, pod: Pod): Promise<void> {
    const recorder = this.ctx.recorder(COMPONENT);
    const name = pod.metadata.name ?? '';
    try {
      await this.ctx.rest.resource(PODS, rs.metadata.namespace ?? '').delete(name);
    } catch (e) {
      if (isNotFound(e)) throw e;
      this.metrics.deleteErrors++;
      recorder.event(withKind(rs), 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw new Error(`unable to delete pods: ${(e as Error).message}`);
    }
    this.metrics.podsDeleted++;
    recorder.event(withKind(rs), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /**
   * getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller (a Deployment's other
   * ReplicaSets), used to spread deletions across nodes. Without a controller, just this ReplicaSet's pods.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const ref = controllerOf(rs);
    const sets = ref
      ? this.rsInf!.indexer.byIndex(byNamespace, rs.metadata.namespace ?? '').map(asRS).filter((r) => controllerOf(r)?.uid === ref.uid)
      : [rs];
    const pods = this.podInf!.indexer.byIndex(byNamespace, rs.metadata.namespace ?? '').map(asPod);
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const r of sets) {
      let sel: LabelSelector;
      try { sel = selectorFromLabelSelector(r.spec?.selector); } catch { continue; }
      for (const p of pods) {
        const uid = p.metadata.uid ?? keyOf(p);
        if (seen.has(uid) || !matches(sel, p.metadata.labels)) continue;
        seen.add(uid);
        out.push(p);
      }
    }
    return out;
  }

  /** updateReplicaSetStatus: PUT the status subresource; on failure re-read once and retry (statusUpdateRetries = 1). */
  private async updateStatus(rs: ReplicaSet, status: NonNullable<ReplicaSet['status']>): Promise<ReplicaSet> {
    const client = this.ctx.rest.resource(RS, rs.metadata.namespace ?? '');
    let target: ReplicaSet = { ...rs, status };
    for (let attempt = 0; ; attempt++) {
      try {
        const out = asRS(await client.updateStatus(target as unknown as KObject));
        this.metrics.statusUpdates++;
        return out;
      } catch (e) {
        if (attempt >= 1 || isNotFound(e)) throw e;
        const fresh = asRS(await client.get(rs.metadata.name ?? ''));
        // The status was computed for the cached generation; keep it and record that generation.
        target = { ...fresh, status: { ...status, observedGeneration: rs.metadata.generation } };
      }
    }
  }
}

export const replicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx);
