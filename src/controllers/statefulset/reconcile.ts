// The StatefulSet controller's decisions as pure functions (pkg/controller/statefulset/stateful_set_control.go
// UpdateStatefulSet / getStatefulSetRevisions / updateStatefulSet / processReplica / processCondemned /
// truncateHistory / updateStatefulSetStatus, and controller_ref_manager.go ClaimPods): plain inputs (the set,
// its pods, its revisions, the time) in; the writes to make, in order, and the status out. No I/O, no queue.
//
// kubernetes-semantics.md §5 is the reference for every rule here.

import type { ControllerRevision, StatefulSet, StatefulSetStatus } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { matches, type LabelSelector } from '../../api/selectors.ts';
import { applyRevision, findEqualRevisions, equalRevision, newRevision, nextRevision, sortRevisions } from './history.ts';
import {
  allowsBurst, controllerOf, endOrdinal, getOrdinal, getPodRevision, identityMatches, isCreated, isFailed, isMemberOf,
  isRunningAndAvailable, isRunningAndReady, isSucceeded, isTerminating, isUnavailable, newVersionedStatefulSetPod,
  podInOrdinalRange, specReplicas, startOrdinal, storageMatches, updateIdentity, updateStorage,
} from './utils.ts';

// ---------------------------------------------------------------------------------------------
// Claiming pods and revisions (ControllerRefManager).

export interface PodClaim {
  /** Pods the set controls whose labels still match: the set's pods. */
  owned: Pod[];
  /** Orphans that match (selector and name): adopt them (add the controller reference), then they are the set's. */
  adopt: Pod[];
  /** Pods the set controls that no longer match: release them (drop the reference). */
  release: Pod[];
}

/**
 * ClaimPods with getPodsForStatefulSet's filter: a pod belongs to the set when it matches the selector and its
 * name is `<set>-<ordinal>` (isMemberOf). Pods controlled by something else are ignored. A set being deleted
 * neither adopts nor releases; terminating orphans are not adopted.
 */
export function claimPods(set: StatefulSet, podsInNamespace: readonly Pod[], selector: LabelSelector): PodClaim {
  const out: PodClaim = { owned: [], adopt: [], release: [] };
  const deleting = !!set.metadata.deletionTimestamp;
  for (const pod of podsInNamespace) {
    if ((pod.metadata.namespace ?? '') !== (set.metadata.namespace ?? '')) continue;
    const match = matches(selector, pod.metadata.labels) && isMemberOf(set, pod);
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.uid !== set.metadata.uid) continue;
      if (match) out.owned.push(pod);
      else if (!deleting) out.release.push(pod);
      continue;
    }
    if (deleting || !match || isTerminating(pod)) continue;
    out.adopt.push(pod);
  }
  return out;
}

/**
 * ListControllerRevisions + adoptOrphanRevisions: revisions whose labels match the selector and that the set
 * controls (`owned`) or nobody controls (`orphans`, to adopt).
 */
export function claimRevisions(set: StatefulSet, revisionsInNamespace: readonly ControllerRevision[], selector: LabelSelector): { owned: ControllerRevision[]; orphans: ControllerRevision[] } {
  const owned: ControllerRevision[] = [];
  const orphans: ControllerRevision[] = [];
  for (const r of revisionsInNamespace) {
    if ((r.metadata.namespace ?? '') !== (set.metadata.namespace ?? '')) continue;
    if (!matches(selector, r.metadata.labels)) continue;
    const ref = controllerOf(r);
    if (!ref) orphans.push(r);
    else if (ref.uid === set.metadata.uid) owned.push(r);
  }
  return { owned, orphans };
}

// ---------------------------------------------------------------------------------------------
// Revisions (getStatefulSetRevisions).

export type RevisionAction =
  /** No equal revision exists: create this one (it becomes the update revision). */
  | { type: 'create'; revision: ControllerRevision }
  /** An equal but older revision exists (a rollback): give it the next revision number. */
  | { type: 'renumber'; revision: ControllerRevision; to: number };

export interface RevisionDecision {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  /** The write that makes `update` real, if any. */
  action?: RevisionAction;
}

/**
 * getStatefulSetRevisions: the update revision is the set's template as a revision (an existing equal one
 * when there is one), the current revision is status.currentRevision if it still exists, else the update
 * revision.
 */
export function getStatefulSetRevisions(set: StatefulSet, revisions: readonly ControllerRevision[]): RevisionDecision {
  const sorted = sortRevisions(revisions);
  const collisionCount = set.status?.collisionCount ?? 0;
  let update = newRevision(set, nextRevision(sorted), collisionCount);
  let action: RevisionAction | undefined;
  const equal = findEqualRevisions(sorted, update);
  if (equal.length > 0 && equalRevision(sorted[sorted.length - 1], equal[equal.length - 1])) {
    update = sorted[sorted.length - 1];
  } else if (equal.length > 0) {
    const to = update.revision;
    update = { ...structuredClone(equal[equal.length - 1]), revision: to };
    action = { type: 'renumber', revision: equal[equal.length - 1], to };
  } else {
    action = { type: 'create', revision: update };
  }
  const current = sorted.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount, action };
}

/**
 * truncateHistory: revisions that are not live (not current, not update, not the revision of any pod) are
 * deleted oldest first until at most revisionHistoryLimit of them remain.
 */
export function revisionsToTruncate(set: StatefulSet, pods: readonly Pod[], revisions: readonly ControllerRevision[], current: ControllerRevision | undefined, update: ControllerRevision | undefined): ControllerRevision[] {
  const live = new Set<string>();
  if (current?.metadata.name) live.add(current.metadata.name);
  if (update?.metadata.name) live.add(update.metadata.name);
  for (const p of pods) live.add(getPodRevision(p));
  const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}

// ---------------------------------------------------------------------------------------------
// Pods (updateStatefulSet).

export type PodAction =
  | { type: 'create'; pod: Pod }
  /** `why`: a Failed/Succeeded replica (recreated later), a condemned ordinal (scale down), or a rolling update. */
  | { type: 'delete'; pod: Pod; why: 'failed' | 'scale-down' | 'update' }
  /** Identity or storage fix-up of an existing pod: `pod` is the corrected copy to PUT. */
  | { type: 'update'; pod: Pod };

/**
 * A group of writes. `burst` (Parallel): issued in slow-start batches (1, 2, 4, …), stopping after a batch with
 * a failure. Otherwise one at a time, stopping at the first failure. A failure also skips the later phases.
 */
export interface Phase {
  name: 'replicas' | 'condemned' | 'update';
  burst: boolean;
  actions: PodAction[];
}

export interface SyncInput {
  set: StatefulSet;
  /** The set's pods (claimed). */
  pods: readonly Pod[];
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
  /** ms since the epoch (minReadySeconds). */
  now: number;
}

export interface SyncPlan {
  phases: Phase[];
  /** The status once every write succeeded (completeRollingUpdate applied). */
  status: StatefulSetStatus;
  /** The status to write when a write failed (no rolling-update deletion counted). */
  statusOnError: StatefulSetStatus;
  /** Why the plan stops where it does (OrderedReady waits, a rolling update waits), for logs and tests. */
  waiting?: string;
  /** minReadySeconds > 0 and not every replica is available yet: look again after this many ms. */
  requeueAfterMs?: number;
}

interface Counts { replicas: number; readyReplicas: number; availableReplicas: number; currentReplicas: number; updatedReplicas: number }

/** computeReplicaStatus (§5 Status). */
export function computeReplicaStatus(pods: readonly Pod[], minReadySeconds: number, now: number, currentRevision: string, updateRevision: string): Counts {
  const c: Counts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) c.replicas++;
    if (isRunningAndReady(pod)) {
      c.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) c.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const rev = getPodRevision(pod);
      if (rev === currentRevision) c.currentReplicas++;
      if (rev === updateRevision) c.updatedReplicas++;
    }
  }
  return c;
}

/**
 * The status as Go serializes StatefulSetStatus: replicas and availableReplicas always, collisionCount
 * (a pointer) always, the other counters and names only when non-zero.
 */
function wireStatus(observedGeneration: number, c: Counts, currentRevision: string, updateRevision: string, collisionCount: number): StatefulSetStatus {
  const s: StatefulSetStatus = { replicas: c.replicas, availableReplicas: c.availableReplicas };
  if (observedGeneration) s.observedGeneration = observedGeneration;
  if (c.readyReplicas) s.readyReplicas = c.readyReplicas;
  if (c.currentReplicas) s.currentReplicas = c.currentReplicas;
  if (c.updatedReplicas) s.updatedReplicas = c.updatedReplicas;
  if (currentRevision) s.currentRevision = currentRevision;
  if (updateRevision) s.updateRevision = updateRevision;
  s.collisionCount = collisionCount;
  return s;
}

/**
 * completeRollingUpdate: once every replica is updated and ready (RollingUpdate), the update revision becomes
 * the current one.
 */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
  const n = specReplicas(set);
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && (status.updatedReplicas ?? 0) === n && (status.readyReplicas ?? 0) === n && status.replicas === n) {
    const s = { ...status, currentRevision: status.updateRevision };
    if (status.updatedReplicas) s.currentReplicas = status.updatedReplicas;
    else delete s.currentReplicas;
    return s;
  }
  return status;
}

/** inconsistentStatus: whether the status must be written (a newer generation, or any counter or name differs). */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const cur = set.status ?? { replicas: 0, availableReplicas: 0 };
  return (status.observedGeneration ?? 0) > (cur.observedGeneration ?? 0) ||
    status.replicas !== (cur.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (cur.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (cur.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (cur.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (cur.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (cur.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (cur.updateRevision ?? '');
}

function podLabel(p: Pod): string {
  return p.metadata.name ?? '';
}

/**
 * updateStatefulSet. Replicas are the ordinals [start, start+replicas); other pods are condemned (highest
 * ordinal first). In order:
 *  1. each replica, ascending: Failed/Succeeded → delete (recreated on a later sync); missing → create;
 *     OrderedReady stops after a create, at a terminating pod, or at one not Running+Ready(+Available);
 *     identity/storage drift → update;
 *  2. condemned pods: OrderedReady deletes the highest one only once every replica is healthy, one per sync,
 *     and waits for a terminating one to be gone; Parallel deletes all (non-terminating) at once;
 *  3. RollingUpdate: delete the highest replica ≥ partition whose revision is not the update revision, unless a
 *     replica above it is unavailable (then wait). OnDelete never deletes.
 * A set being deleted gets its status only.
 */
export function planSync(input: SyncInput): SyncPlan {
  const { set, current, update, collisionCount, now } = input;
  const mrs = set.spec?.minReadySeconds ?? 0;
  const currentSet = applyRevision(set, current);
  const updateSet = applyRevision(set, update);
  const currentName = current.metadata.name ?? '';
  const updateName = update.metadata.name ?? '';
  const generation = set.metadata.generation ?? 0;

  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const replicas: Pod[] = new Array(Math.max(0, end - start + 1));
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= end; ord++) {
    if (!replicas[ord - start]) replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, currentName, updateName, ord);
  }
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

  let firstUnavailable: Pod | undefined = replicas.find((p) => isUnavailable(p, mrs, now));
  if (!firstUnavailable) {
    for (let i = condemned.length - 1; i >= 0; i--) {
      if (isUnavailable(condemned[i], mrs, now)) { firstUnavailable = condemned[i]; break; }
    }
  }

  const counts = computeReplicaStatus([...replicas, ...condemned], mrs, now, currentName, updateName);
  const observed = completeRollingUpdate(set, wireStatus(generation, counts, currentName, updateName, collisionCount));
  const requeueAfterMs = mrs > 0 && counts.availableReplicas !== specReplicas(set) ? mrs * 1000 : undefined;
  const plan = (phases: Phase[], waiting?: string, status = observed): SyncPlan => {
    const p: SyncPlan = { phases: phases.filter((ph) => ph.actions.length > 0), status, statusOnError: observed };
    if (waiting) p.waiting = waiting;
    if (requeueAfterMs !== undefined) p.requeueAfterMs = requeueAfterMs;
    return p;
  };

  if (set.metadata.deletionTimestamp) return plan([], 'the StatefulSet is being deleted');

  const monotonic = !allowsBurst(set);
  const phases: Phase[] = [];

  // 1. Replicas (processReplica).
  const rep: Phase = { name: 'replicas', burst: !monotonic, actions: [] };
  phases.push(rep);
  for (const pod of replicas) {
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) rep.actions.push({ type: 'delete', pod, why: 'failed' });
      if (monotonic) return plan(phases, `${podLabel(pod)} is ${pod.status?.phase}; it is recreated once its deletion completes`);
      continue;
    }
    if (!isCreated(pod)) {
      rep.actions.push({ type: 'create', pod });
      if (monotonic) return plan(phases, `${podLabel(pod)} is being created`);
      continue;
    }
    if (monotonic) {
      if (isTerminating(pod)) return plan(phases, `${podLabel(pod)} is terminating`);
      if (!isRunningAndReady(pod)) return plan(phases, `${podLabel(pod)} is not Running and Ready`);
      if (!isRunningAndAvailable(pod, mrs, now)) return plan(phases, `${podLabel(pod)} is not available (minReadySeconds ${mrs})`);
    }
    if (identityMatches(set, pod) && storageMatches(set, pod)) continue;
    const fixed = structuredClone(pod);
    if (!identityMatches(updateSet, fixed)) updateIdentity(updateSet, fixed);
    if (!storageMatches(updateSet, fixed)) updateStorage(updateSet, fixed);
    rep.actions.push({ type: 'update', pod: fixed });
  }

  // 2. Condemned pods (processCondemned), highest ordinal first.
  const con: Phase = { name: 'condemned', burst: !monotonic, actions: [] };
  phases.push(con);
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return plan(phases, `${podLabel(pod)} is terminating (scale down)`);
      continue;
    }
    if (monotonic && pod !== firstUnavailable && !isRunningAndReady(pod)) return plan(phases, `${podLabel(firstUnavailable!)} is not Running and Ready (scale down)`);
    if (monotonic && pod !== firstUnavailable && !isRunningAndAvailable(pod, mrs, now)) return plan(phases, `${podLabel(firstUnavailable!)} is not available (scale down)`);
    con.actions.push({ type: 'delete', pod, why: 'scale-down' });
    if (monotonic) return plan(phases, `${podLabel(pod)} is being deleted (scale down)`);
  }

  // 3. Rolling update.
  if (set.spec?.updateStrategy?.type === 'OnDelete') return plan(phases);
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= partition; target--) {
    const pod = replicas[target];
    if (getPodRevision(pod) !== updateName && !isTerminating(pod)) {
      phases.push({ name: 'update', burst: false, actions: [{ type: 'delete', pod, why: 'update' }] });
      // Upstream decrements currentReplicas unconditionally, which goes to -1 (and fails status validation)
      // when the deleted pod is at neither revision, e.g. after a rollback; count it only if it was counted.
      const counted = isCreated(pod) && getPodRevision(pod) === currentName;
      const s = { ...counts, currentReplicas: counts.currentReplicas - (counted ? 1 : 0) };
      return plan(phases, `${podLabel(pod)} is being replaced (rolling update)`, completeRollingUpdate(set, wireStatus(generation, s, currentName, updateName, collisionCount)));
    }
    if (isUnavailable(pod, mrs, now)) return plan(phases, `${podLabel(pod)} is not available yet (rolling update)`);
  }
  return plan(phases);
}

// ---------------------------------------------------------------------------------------------
// Everything at once, for tests and callers without collisions to handle.

export interface ReconcileInput {
  set: StatefulSet;
  pods: readonly Pod[];
  revisions: readonly ControllerRevision[];
  now: number;
}

export interface ReconcileResult {
  revisions: RevisionDecision;
  plan: SyncPlan;
  /** Revisions to delete after the sync (truncateHistory). */
  truncate: ControllerRevision[];
}

/** UpdateStatefulSet as one pure step, assuming the revision write succeeds without a name collision. */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const revisions = getStatefulSetRevisions(input.set, input.revisions);
  const plan = planSync({ set: input.set, pods: input.pods, current: revisions.current, update: revisions.update, collisionCount: revisions.collisionCount, now: input.now });
  const truncate = revisionsToTruncate(input.set, input.pods, input.revisions, revisions.current, revisions.update);
  return { revisions, plan, truncate };
}

/** `create web-0`, `delete web-2`, `update web-1`: one line per write, for logs and tests. */
export function describeActions(plan: SyncPlan): string[] {
  return plan.phases.flatMap((ph) => ph.actions.map((a) => `${a.type} ${a.pod.metadata.name}`));
}
