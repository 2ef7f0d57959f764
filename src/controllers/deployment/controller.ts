// The Deployment controller (pkg/controller/deployment): Deployment → ReplicaSets named <deployment>-<hash>.
// Informers on Deployments, ReplicaSets and Pods; handlers map a ReplicaSet (or, for Recreate, a deleted pod)
// to its Deployment and only enqueue keys; sync(key) follows syncDeployment: claim ReplicaSets, then status
// only (being deleted), scale (paused or a scaling event), or roll out (RollingUpdate / Recreate), then write
// the status with its Available/Progressing conditions. The decisions are in reconcile.ts; this file performs
// the writes in kube's order, carrying forward what each write returned so one sync never works from its own
// stale copies. Optimistic concurrency everywhere: a 409 requeues.

import { keyOf, splitKey, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { selectorFromLabelSelector } from '../../api/selectors.ts';
import { isAlreadyExists, isNotFound } from '../../api/status.ts';
import type { Deployment, ReplicaSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { ANNOTATION_DEPLOYMENT_REVISION } from '../../api/well-known.ts';
import { byNamespace, RateLimitingQueue, unwrapTombstone, type DeletedFinalStateUnknown, type HandlerRegistration, type SharedInformer } from '../../client/index.ts';
import { log } from '../../util/log.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { isNamespaceTerminating } from '../replicaset/controller.ts';
import { adoptPatch, controllerOf, newControllerRef, planClaims, releasePatch } from '../replicaset/reconcile.ts';
import {
  applyScaleStep, buildNewReplicaSet, calculateStatus, deploymentComplete, deploymentSelectsReplicaSet, findNewReplicaSet, findOldReplicaSets,
  getCondition, hasProgressDeadline, isOurNewReplicaSet, isScalingEvent, maxRevision, newCondition, pausedConditionsStatus, planCleanup,
  planRecreate, planRolling, planScale, podMapForDeployment, progressCheckAfterMs, REASONS, rolloutStatus, selectsEverything, setCondition,
  setDeploymentRevision, setNewReplicaSetAnnotations, statusEqual, type ScaleStep,
} from './reconcile.ts';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const RS = findResource('apps', 'v1', 'replicasets')!;
const PODS = findResource('', 'v1', 'pods')!;
const COMPONENT = 'deployment-controller';

const asD = (o: KObject) => o as unknown as Deployment;
const asRS = (o: KObject) => o as unknown as ReplicaSet;
const asPod = (o: KObject) => o as unknown as Pod;
const withKind = (d: Deployment): KObject => ({ ...(d as unknown as KObject), apiVersion: 'apps/v1', kind: 'Deployment' });

/** One sync's working state: the deployment and its ReplicaSets as the latest writes returned them. */
interface SyncState {
  key: string;
  d: Deployment;
  rsList: ReplicaSet[];
}

export interface DeploymentControllerMetrics {
  syncs: number;
  syncErrors: number;
  replicaSetsCreated: number;
  replicaSetsScaled: number;
  replicaSetsDeleted: number;
  statusUpdates: number;
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly metrics: DeploymentControllerMetrics = { syncs: 0, syncErrors: 0, replicaSetsCreated: 0, replicaSetsScaled: 0, replicaSetsDeleted: 0, statusUpdates: 0 };
  private readonly ctx: ControllerContext;
  private readonly queue: RateLimitingQueue<string>;
  private dInf?: SharedInformer<KObject>;
  private rsInf?: SharedInformer<KObject>;
  private podInf?: SharedInformer<KObject>;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext) {
    this.ctx = ctx;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  }

  async run(): Promise<void> {
    const dInf = (this.dInf = this.ctx.informers.informer(DEPLOYMENTS));
    const rsInf = (this.rsInf = this.ctx.informers.informer(RS));
    const podInf = (this.podInf = this.ctx.informers.informer(PODS));
    this.regs.push(dInf.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (a, b) => { if (a.metadata.resourceVersion !== b.metadata.resourceVersion) this.enqueue(b); },
      onDelete: (o) => this.enqueue(unwrapTombstone(o)),
    }));
    this.regs.push(rsInf.addEventHandler({
      onAdd: (o) => this.addReplicaSet(asRS(o)),
      onUpdate: (a, b) => this.updateReplicaSet(asRS(a), asRS(b)),
      onDelete: (o) => this.deleteReplicaSet(o),
    }));
    this.regs.push(podInf.addEventHandler({ onDelete: (o) => this.deletePod(o) }));
    await Promise.all([dInf.waitForSync(), rsInf.waitForSync(), podInf.waitForSync()]);
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

  private enqueue(o: KObject | Deployment): void {
    this.queue.add(keyOf(o));
  }

  /** resolveControllerRef: the cached Deployment a controller reference names, if kind and UID match. */
  private deploymentOf(namespace: string, obj: { metadata: KObject['metadata'] }): Deployment | undefined {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== 'Deployment' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
    const d = this.dInf!.indexer.getByKey(`${namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? asD(d) : undefined;
  }

  /** GetDeploymentsForReplicaSet: deployments whose non-empty selector matches an orphan ReplicaSet's labels. */
  private deploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    if (!rs.metadata.labels || Object.keys(rs.metadata.labels).length === 0) return [];
    return this.dInf!.indexer.byIndex(byNamespace, rs.metadata.namespace ?? '').map(asD).filter((d) => deploymentSelectsReplicaSet(d, rs));
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) {
      this.deleteReplicaSet(rs as unknown as KObject);
      return;
    }
    if (controllerOf(rs)) {
      const d = this.deploymentOf(rs.metadata.namespace ?? '', rs);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = controllerOf(cur), oldRef = controllerOf(old);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const d = this.deploymentOf(old.metadata.namespace ?? '', old);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.deploymentOf(cur.metadata.namespace ?? '', cur);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(o: KObject | DeletedFinalStateUnknown<KObject>): void {
    const rs = asRS(unwrapTombstone(o));
    const d = this.deploymentOf(rs.metadata.namespace ?? '', rs);
    if (d) this.enqueue(d);
  }

  /** deletePod: a Recreate deployment waits for its old pods to be gone; resync it when none is left. */
  private deletePod(o: KObject | DeletedFinalStateUnknown<KObject>): void {
    const pod = asPod(unwrapTombstone(o));
    const ns = pod.metadata.namespace ?? '';
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsInf!.indexer.getByKey(`${ns}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.deploymentOf(ns, rs);
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const owned = this.rsInf!.indexer.byIndex(byNamespace, ns).map(asRS).filter((r) => controllerOf(r)?.uid === d.metadata.uid);
    const podMap = podMapForDeployment(d, owned, this.podInf!.indexer.byIndex(byNamespace, ns).map(asPod));
    let n = 0;
    for (const pods of podMap.values()) n += pods.length;
    if (n === 0) this.enqueue(d);
  }

  // -------------------------------------------------------------------------------------------
  // sync

  async sync(key: string): Promise<void> {
    this.metrics.syncs++;
    const cached = this.dInf!.indexer.getByKey(key);
    if (!cached) return;
    const st: SyncState = { key, d: structuredClone(asD(cached)), rsList: [] };
    try {
      await this.syncDeployment(st);
    } catch (e) {
      if (isNamespaceTerminating(e)) return; // everything in the namespace is going away
      throw e;
    }
  }

  /** syncDeployment. */
  private async syncDeployment(st: SyncState): Promise<void> {
    const d = st.d;
    if (selectsEverything(d)) {
      this.ctx.recorder(COMPONENT).event(withKind(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        st.d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await this.updateDeploymentStatus(st);
      }
      return;
    }
    st.rsList = await this.claimReplicaSets(d);
    const { namespace } = splitKey(st.key);
    const podMap = podMapForDeployment(d, st.rsList, this.podInf!.indexer.byIndex(byNamespace, namespace).map(asPod));

    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(st);
    await this.checkPausedConditions(st);
    if (st.d.spec?.paused) return this.syncScale(st);
    // The deprecated rollbackTo annotation (extensions/v1beta1) is not honoured: apps/v1 has no rollback API.
    if (await this.isScalingEvent(st)) return this.syncScale(st);
    switch (st.d.spec?.strategy?.type) {
      case 'Recreate': return this.rolloutRecreate(st, podMap);
      case 'RollingUpdate': return this.rolloutRolling(st);
      default: throw new Error(`unexpected deployment strategy type: ${st.d.spec?.strategy?.type}`);
    }
  }

  /**
   * getReplicaSetsForDeployment: the namespace's ReplicaSets this deployment controls, adopting orphans its
   * selector matches and releasing owned ones it no longer matches (ClaimReplicaSets). Adoption first re-reads
   * the deployment (RecheckDeletionTimestamp).
   */
  private async claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const ns = d.metadata.namespace ?? '';
    let selector;
    try {
      selector = selectorFromLabelSelector(d.spec?.selector);
    } catch (e) {
      throw new Error(`deployment ${ns}/${d.metadata.name} has invalid label selector: ${(e as Error).message}`);
    }
    const all = this.rsInf!.indexer.byIndex(byNamespace, ns);
    const plan = planClaims({ uid: d.metadata.uid ?? '', namespace: ns, deleting: !!d.metadata.deletionTimestamp, selector }, all);
    const owned = plan.owned.map((o) => structuredClone(asRS(o)));
    if (!plan.adopt.length && !plan.release.length) return owned;
    const client = this.ctx.rest.resource(RS, ns);
    const errors: Error[] = [];
    if (plan.adopt.length) {
      let cannot: Error | undefined;
      try {
        const fresh = await this.ctx.rest.resource(DEPLOYMENTS, ns).get(d.metadata.name ?? '');
        if (fresh.metadata.uid !== d.metadata.uid) cannot = new Error(`original Deployment ${ns}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${d.metadata.uid}`);
        else if (fresh.metadata.deletionTimestamp) cannot = new Error(`${ns}/${d.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
      } catch (e) {
        cannot = e as Error;
      }
      for (const o of plan.adopt) {
        if (cannot) { errors.push(cannot); break; }
        try {
          owned.push(asRS(await client.patch(o.metadata.name ?? '', 'strategic', adoptPatch(newControllerRef(d, 'apps/v1', 'Deployment'), o.metadata.uid ?? ''))));
        } catch (e) {
          if (!isNotFound(e)) errors.push(e as Error);
        }
      }
    }
    for (const o of plan.release) {
      try {
        await client.patch(o.metadata.name ?? '', 'strategic', releasePatch(d.metadata.uid ?? '', o.metadata.uid ?? ''));
      } catch (e) {
        if (!isNotFound(e)) errors.push(e as Error);
      }
    }
    if (errors.length) throw errors[0];
    return owned;
  }

  private latest(st: SyncState, rs: ReplicaSet): ReplicaSet;
  private latest(st: SyncState, rs: ReplicaSet | undefined): ReplicaSet | undefined;
  private latest(st: SyncState, rs: ReplicaSet | undefined): ReplicaSet | undefined {
    if (!rs) return undefined;
    return st.rsList.find((r) => r.metadata.uid === rs.metadata.uid) ?? rs;
  }

  /** getAllReplicaSetsAndSyncRevision. */
  private async getAllReplicaSets(st: SyncState, createIfNotExisted: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(st.d, st.rsList).all;
    const newRS = await this.getNewReplicaSet(st, oldRSs, createIfNotExisted);
    return { newRS, oldRSs: oldRSs.map((rs) => this.latest(st, rs)) };
  }

  /**
   * getNewReplicaSet: the existing new ReplicaSet with its annotations (revision, copied annotations) and
   * minReadySeconds synced and the deployment's revision updated; or, when asked, a new one (a name taken by a
   * different template bumps status.collisionCount and retries).
   */
  private async getNewReplicaSet(st: SyncState, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(st.d, st.rsList);
    const newRevision = String(maxRevision(oldRSs) + 1);
    const recorder = this.ctx.recorder(COMPONENT);
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(st.d, copy, newRevision, true);
      const minReady = st.d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
        copy.spec = { ...(copy.spec ?? {}), minReadySeconds: minReady || undefined };
        return this.updateReplicaSet_(st, copy);
      }
      let needsUpdate = setDeploymentRevision(st.d, copy.metadata.annotations?.[ANNOTATION_DEPLOYMENT_REVISION] ?? '');
      if (hasProgressDeadline(st.d) && !getCondition(st.d.status, 'Progressing')) {
        setCondition((st.d.status ??= {}), newCondition('Progressing', 'True', REASONS.foundNewRS, `Found new replica set "${copy.metadata.name}"`, this.ctx.clock.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateDeploymentStatus(st);
      return copy;
    }
    if (!create) return undefined;

    const rs = buildNewReplicaSet(st.d, oldRSs, newRevision);
    const ns = st.d.metadata.namespace ?? '';
    let createdRS: ReplicaSet;
    let alreadyExists = false;
    try {
      createdRS = asRS(await this.ctx.rest.resource(RS, ns).create(rs as unknown as KObject));
      this.metrics.replicaSetsCreated++;
    } catch (e) {
      if (isAlreadyExists(e)) {
        // A slow cache (we created it already) or a hash collision with a ReplicaSet of another template.
        alreadyExists = true;
        const cachedRS = this.rsInf!.indexer.getByKey(`${ns}/${rs.metadata.name}`);
        if (!cachedRS) throw e;
        if (isOurNewReplicaSet(st.d, asRS(cachedRS))) {
          createdRS = structuredClone(asRS(cachedRS));
        } else {
          st.d.status = { ...(st.d.status ?? {}), collisionCount: (st.d.status?.collisionCount ?? 0) + 1 };
          try {
            await this.updateDeploymentStatus(st);
            log('info', COMPONENT, 'hash collision, bumped collisionCount', { deployment: st.key, collisionCount: st.d.status?.collisionCount });
          } catch {
            // requeued by the error below either way
          }
          throw e;
        }
      } else if (isNamespaceTerminating(e)) {
        throw e;
      } else {
        const msg = `Failed to create new replica set "${rs.metadata.name}": ${(e as Error).message}`;
        if (hasProgressDeadline(st.d)) {
          setCondition((st.d.status ??= {}), newCondition('Progressing', 'False', REASONS.failedRSCreate, msg, this.ctx.clock.now()));
          try { await this.updateDeploymentStatus(st); } catch { /* the bigger problem is reported */ }
        }
        recorder.event(withKind(st.d), 'Warning', REASONS.failedRSCreate, msg);
        throw e;
      }
    }
    const replicas = createdRS.spec?.replicas ?? 0;
    if (!alreadyExists && replicas > 0) {
      recorder.event(withKind(st.d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata.name} from 0 to ${replicas}`);
    }
    const i = st.rsList.findIndex((r) => r.metadata.uid === createdRS.metadata.uid);
    if (i >= 0) st.rsList[i] = createdRS;
    else st.rsList.push(createdRS);
    let needsUpdate = setDeploymentRevision(st.d, newRevision);
    if (!alreadyExists && hasProgressDeadline(st.d)) {
      setCondition((st.d.status ??= {}), newCondition('Progressing', 'True', REASONS.newReplicaSet, `Created new replica set "${createdRS.metadata.name}"`, this.ctx.clock.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateDeploymentStatus(st);
    return createdRS;
  }

  /** Executes scale steps in order (each against the latest copy of its ReplicaSet); returns how many changed a size. */
  private async executeSteps(st: SyncState, steps: readonly ScaleStep[]): Promise<number> {
    let scaled = 0;
    for (const step of steps) {
      const out = applyScaleStep(st.d, { ...step, rs: this.latest(st, step.rs) });
      if (!out) continue;
      await this.updateReplicaSet_(st, out.rs);
      if (out.event) {
        scaled++;
        this.metrics.replicaSetsScaled++;
        this.ctx.recorder(COMPONENT).event(withKind(st.d), 'Normal', 'ScalingReplicaSet', out.event);
      }
    }
    return scaled;
  }

  /** sync (sync.go): scaling events and paused deployments. */
  private async syncScale(st: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSets(st, false);
    await this.executeSteps(st, planScale(st.d, this.latest(st, newRS), oldRSs.map((r) => this.latest(st, r))));
    if (st.d.spec?.paused) await this.cleanup(st, oldRSs);
    await this.syncDeploymentStatus(st, newRS);
  }

  /** syncStatusOnly: a deployment being deleted only gets its status refreshed. */
  private async syncStatusOnly(st: SyncState): Promise<void> {
    const { newRS } = await this.getAllReplicaSets(st, false);
    await this.syncDeploymentStatus(st, newRS);
  }

  private async isScalingEvent(st: SyncState): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSets(st, false);
    return isScalingEvent(st.d, this.latest(st, newRS), oldRSs);
  }

  private async checkPausedConditions(st: SyncState): Promise<void> {
    const s = pausedConditionsStatus(st.d, this.ctx.clock.now());
    if (!s) return;
    st.d.status = s;
    await this.updateDeploymentStatus(st);
  }

  /** rolloutRolling: one step of a rolling update per sync; the next sync continues as pods become available. */
  private async rolloutRolling(st: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSets(st, true);
    if (!newRS) return;
    const plan = planRolling(st.d, this.latest(st, newRS), oldRSs.map((r) => this.latest(st, r)));
    if (plan.phase !== 'idle' && (await this.executeSteps(st, plan.steps)) > 0) return this.syncRolloutStatus(st, newRS);
    if (deploymentComplete(st.d, st.d.status ?? {})) await this.cleanup(st, oldRSs);
    await this.syncRolloutStatus(st, newRS);
  }

  /** rolloutRecreate: old ReplicaSets to zero, wait until their pods are gone, then the new one to full size. */
  private async rolloutRecreate(st: SyncState, podMap: Map<string, Pod[]>): Promise<void> {
    let { newRS, oldRSs } = await this.getAllReplicaSets(st, false);
    let plan = planRecreate(st.d, this.latest(st, newRS), oldRSs, podMap);
    if (plan.phase === 'scaleDownOld') {
      await this.executeSteps(st, plan.steps);
      return this.syncRolloutStatus(st, newRS);
    }
    if (plan.phase === 'waitForOldPods') return this.syncRolloutStatus(st, newRS);
    if (plan.phase === 'createNew') {
      ({ newRS, oldRSs } = await this.getAllReplicaSets(st, true));
      plan = planRecreate(st.d, this.latest(st, newRS), oldRSs, podMap);
    }
    if (plan.phase === 'scaleUpNew') await this.executeSteps(st, plan.steps);
    if (deploymentComplete(st.d, st.d.status ?? {})) await this.cleanup(st, oldRSs);
    await this.syncRolloutStatus(st, newRS);
  }

  /** cleanupDeployment: delete old zero-replica ReplicaSets beyond revisionHistoryLimit. */
  private async cleanup(st: SyncState, oldRSs: ReplicaSet[]): Promise<void> {
    for (const rs of planCleanup(st.d, oldRSs.map((r) => this.latest(st, r)))) {
      try {
        await this.ctx.rest.resource(RS, rs.metadata.namespace ?? '').delete(rs.metadata.name ?? '');
        this.metrics.replicaSetsDeleted++;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private allRSs(st: SyncState, newRS: ReplicaSet | undefined): Array<ReplicaSet | undefined> {
    const nr = this.latest(st, newRS);
    return [...findOldReplicaSets(st.d, st.rsList).all.filter((r) => !nr || r.metadata.uid !== nr.metadata.uid), nr];
  }

  /** syncDeploymentStatus: calculateStatus, written only when it differs. */
  private async syncDeploymentStatus(st: SyncState, newRS: ReplicaSet | undefined): Promise<void> {
    const next = calculateStatus(this.allRSs(st, newRS), this.latest(st, newRS), st.d, this.ctx.clock.now());
    if (statusEqual(st.d.status, next)) return;
    st.d.status = next;
    await this.updateDeploymentStatus(st);
  }

  /** syncRolloutStatus: the status with progress conditions; a stuck rollout is re-checked at its deadline. */
  private async syncRolloutStatus(st: SyncState, newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.ctx.clock.now();
    const next = rolloutStatus(this.allRSs(st, newRS), this.latest(st, newRS), st.d, now);
    if (statusEqual(st.d.status, next)) {
      const after = progressCheckAfterMs(st.d, next, now);
      if (after === 0) this.queue.addRateLimited(st.key);
      else if (after !== undefined) this.queue.addAfter(st.key, after);
      return;
    }
    st.d.status = next;
    await this.updateDeploymentStatus(st);
  }

  private async updateDeploymentStatus(st: SyncState): Promise<void> {
    const out = await this.ctx.rest.resource(DEPLOYMENTS, st.d.metadata.namespace ?? '').updateStatus(st.d as unknown as KObject);
    this.metrics.statusUpdates++;
    st.d = asD(out);
  }

  private async updateReplicaSet_(st: SyncState, rs: ReplicaSet): Promise<ReplicaSet> {
    const out = asRS(await this.ctx.rest.resource(RS, rs.metadata.namespace ?? '').update(rs as unknown as KObject));
    const i = st.rsList.findIndex((r) => r.metadata.uid === out.metadata.uid);
    if (i >= 0) st.rsList[i] = out;
    else st.rsList.push(out);
    return out;
  }
}

export const deploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);
