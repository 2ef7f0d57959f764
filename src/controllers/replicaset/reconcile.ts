// The ReplicaSet controller's decisions as pure functions (kubernetes-semantics.md §6, §7.1): which pods a
// ReplicaSet owns, adopts or releases (controller_ref_manager.go ClaimObject), how many pods to create or which
// to delete (replica_set.go manageReplicas, getPodsToDelete; controller_utils.go ActivePodsWithRanks), the pod
// made from the template (controller_utils.go GetPodFromTemplate) and the status (replica_set_utils.go
// calculateStatus). No I/O and no clock reads: the caller passes `nowMs`. The Deployment controller reuses the
// pod predicates and the claim logic.

import type { KObject, OwnerReference } from '../../api/meta.ts';
import { matches, type LabelSelector } from '../../api/selectors.ts';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../../api/types/apps.ts';
import type { Pod, PodCondition } from '../../api/types/pod.ts';
import { ANNOTATION_POD_DELETION_COST } from '../../api/well-known.ts';

/** replicaset.BurstReplicas: at most this many creates or deletes per sync. */
export const BURST_REPLICAS = 500;
/** controller.SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

// ---------------------------------------------------------------------------------------------
// Small helpers over objects (Go's pointer defaults: spec.replicas is always set after API defaulting).

export function specReplicas(obj: { spec?: { replicas?: number } | null }): number {
  const r = obj.spec?.replicas;
  return typeof r === 'number' ? r : 1;
}

/** Milliseconds since the epoch of an RFC 3339 time, or undefined when absent/unparseable (Go's zero Time). */
export function timeMs(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** metav1.Time as JSON: RFC 3339 with second precision, as Go marshals it. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.GetControllerOf: the owner reference with controller: true. */
export function controllerOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef. */
export function newControllerRef(owner: { metadata: { name?: string; uid?: string } }, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

// ---------------------------------------------------------------------------------------------
// Pod predicates (pkg/api/v1/pod/util.go, pkg/controller/controller_utils.go).

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True (§7.1). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and (minReadySeconds == 0 or the Ready condition's lastTransitionTime +
 * minReadySeconds is strictly before now).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = timeMs(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < nowMs;
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

/** controller.FilterActivePods. */
export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/**
 * The ms after which a ready-but-not-yet-available pod becomes available (for a requeue), or undefined when
 * no pod is waiting on minReadySeconds.
 */
export function nextAvailableAfterMs(pods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  if (!minReadySeconds) return undefined;
  let soonest: number | undefined;
  for (const p of pods) {
    if (!isPodReady(p) || isPodAvailable(p, minReadySeconds, nowMs)) continue;
    const since = timeMs(podReadyCondition(p)?.lastTransitionTime);
    if (since === undefined) continue;
    const wait = Math.max(0, since + minReadySeconds * 1000 - nowMs) + 1;
    soonest = soonest === undefined ? wait : Math.min(soonest, wait);
  }
  return soonest;
}

// ---------------------------------------------------------------------------------------------
// Claiming (controller_ref_manager.go BaseControllerRefManager.ClaimObject).

export interface ClaimOwner {
  uid: string;
  namespace: string;
  /** The owner has a deletionTimestamp: it neither adopts nor releases. */
  deleting: boolean;
  selector: LabelSelector;
}

export interface ClaimPlan<T> {
  /** Objects the owner controls whose labels match (kept). */
  owned: T[];
  /** Orphans that match: to adopt (they join `owned` once the adoption patch succeeds). */
  adopt: T[];
  /** Objects the owner controls that no longer match: to release. */
  release: T[];
}

/**
 * ClaimObject for each object: controlled by another owner → ignored; controlled by us → owned if the selector
 * matches, else released (unless we are being deleted); an orphan → adopted if we are not being deleted, the
 * selector matches, it is not itself being deleted and it is in our namespace.
 */
export function planClaims<T extends KObject>(owner: ClaimOwner, objs: readonly T[]): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  for (const o of objs) {
    const ref = controllerOf(o);
    const match = matches(owner.selector, o.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.uid) continue;
      if (match) plan.owned.push(o);
      else if (!owner.deleting) plan.release.push(o);
      continue;
    }
    if (owner.deleting || !match) continue;
    if (o.metadata.deletionTimestamp) continue;
    if (owner.namespace && (o.metadata.namespace ?? '') !== owner.namespace) continue;
    plan.adopt.push(o);
  }
  return plan;
}

/** The strategic-merge patch AdoptPod/AdoptReplicaSet send (the uid guards against a recreated object). */
export function adoptPatch(controllerRef: OwnerReference, objUID: string): unknown {
  return { metadata: { ownerReferences: [controllerRef], uid: objUID } };
}

/** The strategic-merge patch ReleasePod/ReleaseReplicaSet send. */
export function releasePatch(ownerUID: string, objUID: string): unknown {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUID }], uid: objUID } };
}

// ---------------------------------------------------------------------------------------------
// The pod a ReplicaSet creates (controller_utils.go GetPodFromTemplate, getPodsPrefix).

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * getPodsPrefix: `<name>-` when that, with generateName's 5 random characters, still makes a valid pod name
 * (ValidatePodName with prefix: the prefix minus its trailing dash must be a DNS-1123 subdomain of at most 253
 * characters); otherwise the bare name.
 */
export function podNamePrefix(controllerName: string): string {
  const prefix = `${controllerName}-`;
  const body = prefix.slice(0, -1);
  return body.length <= 253 && DNS1123_SUBDOMAIN.test(body) ? prefix : controllerName;
}

/**
 * The pod to POST for one replica: template labels, annotations and finalizers, generateName `<rs>-`, the
 * controller reference, and a copy of the template spec (no nodeName: a scheduler binds it).
 */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec?.template ?? {};
  const m = t.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(rs.metadata.name ?? ''),
      namespace: rs.metadata.namespace,
      ownerReferences: [newControllerRef(rs, 'apps/v1', 'ReplicaSet')],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  };
  if (m.labels && Object.keys(m.labels).length) pod.metadata.labels = { ...m.labels };
  if (m.annotations && Object.keys(m.annotations).length) pod.metadata.annotations = { ...m.annotations };
  if (m.finalizers?.length) pod.metadata.finalizers = [...m.finalizers];
  return pod;
}

// ---------------------------------------------------------------------------------------------
// Scaling decisions (replica_set.go manageReplicas).

export type ReplicaPlan =
  | { action: 'none' }
  | { action: 'create'; count: number }
  | { action: 'delete'; pods: Pod[] };

/**
 * manageReplicas: with fewer active pods than spec.replicas, create the difference (at most `burst`); with more,
 * delete the difference (at most `burst`), choosing by getPodsToDelete.
 */
export function planReplicas(rs: ReplicaSet, activePods: readonly Pod[], relatedPods: readonly Pod[], nowMs: number, burst = BURST_REPLICAS): ReplicaPlan {
  const diff = activePods.length - specReplicas(rs);
  if (diff < 0) return { action: 'create', count: Math.min(-diff, burst) };
  if (diff > 0) return { action: 'delete', pods: podsToDelete(activePods, relatedPods, Math.min(diff, burst), nowMs) };
  return { action: 'none' };
}

/**
 * slowStartBatch's batch sizes: 1, 2, 4, ... until count is reached (the first batch that has a failure ends
 * the sequence; the caller stops there).
 */
export function slowStartBatches(count: number, initial = SLOW_START_INITIAL_BATCH_SIZE): number[] {
  const out: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    out.push(size);
    remaining -= size;
  }
  return out;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * helper.GetDeletionCostFromPodAnnotations: an int32 in decimal without a plus sign or leading zeros; an invalid
 * value counts as 0 (the ranking ignores the error).
 */
export function podDeletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[ANNOTATION_POD_DELETION_COST];
  if (v === undefined || !/^(-\d+|0|[1-9]\d*)$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  // Restartable (sidecar) init containers count as well.
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** afterOrZero: a zero time sorts first; otherwise the later time first. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: compares floor(log2(age in ns)); younger buckets sort first. */
function logarithmicRankDiff(t1: number, t2: number, nowMs: number): number {
  const d1 = (nowMs - t1) * 1e6, d2 = (nowMs - t2) * 1e6;
  const r1 = d1 > 0 ? Math.floor(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.floor(Math.log2(d2)) : -1;
  return r1 - r2;
}

function compareUIDs(a: Pod, b: Pod): boolean {
  return (a.metadata.uid ?? '') < (b.metadata.uid ?? '');
}

/**
 * ActivePodsWithRanks.Less (controller_utils.go, LogarithmicScaleDown and PodDeletionCost on, as in 1.22+): true
 * when pod a should be deleted before pod b. `rankA`/`rankB` are the number of related active pods on each pod's
 * node (more co-located pods → deleted first).
 */
export function deleteBefore(a: Pod, b: Pod, rankA: number, rankB: number, nowMs: number): boolean {
  const na = a.spec?.nodeName ?? '', nb = b.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (na !== nb && (na === '' || nb === '')) return na === '';
  // 2. Pending < Unknown < Running.
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0, pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  // 3. Not ready < ready.
  const ra = isPodReady(a), rb = isPodReady(b);
  if (ra !== rb) return !ra;
  // 4. Lower pod-deletion-cost < higher.
  const ca = podDeletionCost(a), cb = podDeletionCost(b);
  if (ca !== cb) return ca < cb;
  // 5. Doubled up < not doubled up.
  if (rankA !== rankB) return rankA > rankB;
  // 6. Both ready: ready for a shorter time first (logarithmic buckets, then UID).
  if (ra && rb) {
    const ta = timeMs(podReadyCondition(a)?.lastTransitionTime), tb = timeMs(podReadyCondition(b)?.lastTransitionTime);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
      const d = logarithmicRankDiff(ta, tb, nowMs);
      if (d === 0) return compareUIDs(a, b);
      return d < 0;
    }
  }
  // 7. More container restarts first.
  const xa = maxContainerRestarts(a), xb = maxContainerRestarts(b);
  if (xa !== xb) return xa > xb;
  // 8. Empty creation time < newer < older (logarithmic buckets, then UID).
  const ka = timeMs(a.metadata.creationTimestamp), kb = timeMs(b.metadata.creationTimestamp);
  if (ka !== kb) {
    if (ka === undefined || kb === undefined) return afterOrZero(ka, kb);
    const d = logarithmicRankDiff(ka, kb, nowMs);
    if (d === 0) return compareUIDs(a, b);
    return d < 0;
  }
  return false;
}

/**
 * getPodsToDelete: the first `diff` pods after ranking (getPodsRankedByRelatedPodsOnSameNode: a pod's rank is
 * the number of active related pods — pods of every ReplicaSet with the same controller — on its node). No
 * sorting when every pod goes. The sort is stable (Go's sort.Sort is not: ties keep input order here).
 */
export function podsToDelete(active: readonly Pod[], related: readonly Pod[], diff: number, nowMs: number): Pod[] {
  if (diff >= active.length) return active.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = active.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deleteBefore(x.pod, y.pod, x.rank, y.rank, nowMs) ? -1 : deleteBefore(y.pod, x.pod, y.rank, x.rank, nowMs) ? 1 : 0));
  return ranked.slice(0, diff).map((r) => r.pod);
}

// ---------------------------------------------------------------------------------------------
// Status (replica_set_utils.go calculateStatus, updateReplicaSetStatus).

/**
 * calculateStatus: replicas = active owned pods; fullyLabeledReplicas = those whose labels include every
 * template label; readyReplicas / availableReplicas (minReadySeconds); the ReplicaFailure condition is set
 * (reason FailedCreate / FailedDelete, message = the error) when manageReplicas failed and none is present,
 * and removed once a sync succeeds. observedGeneration is left as it was (updateNeeded decides).
 */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], manageError: Error | undefined, nowMs: number): ReplicaSetStatus {
  const old = rs.status ?? { replicas: 0 };
  const status: ReplicaSetStatus = structuredClone(old);
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0, ready = 0, available = 0;
  for (const p of activePods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, nowMs)) available++;
    }
  }
  const failure = old.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = activePods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(nowMs), reason, message: manageError.message };
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure'), cond];
  } else if (!manageError && failure) {
    status.conditions = (status.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
    if (status.conditions.length === 0) delete status.conditions;
  }
  status.replicas = activePods.length;
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

/**
 * updateReplicaSetStatus's early return: nothing to write when the counts, the conditions and
 * observedGeneration (== metadata.generation) are already what they should be. Otherwise returns the status
 * to write, with observedGeneration = generation.
 */
export function statusToWrite(rs: ReplicaSet, next: ReplicaSetStatus): ReplicaSetStatus | undefined {
  const cur = rs.status ?? { replicas: 0 };
  const gen = rs.metadata.generation ?? 0;
  const same = (cur.replicas ?? 0) === next.replicas
    && (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0)
    && (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0)
    && (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0)
    && (cur.observedGeneration ?? 0) === gen
    && JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? []);
  if (same) return undefined;
  return compactStatus({ ...next, observedGeneration: gen });
}

/** The status as Go serializes it: `replicas` always, the other counters and conditions only when set (omitempty). */
export function compactStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: s.replicas ?? 0 };
  if (s.fullyLabeledReplicas) out.fullyLabeledReplicas = s.fullyLabeledReplicas;
  if (s.readyReplicas) out.readyReplicas = s.readyReplicas;
  if (s.availableReplicas) out.availableReplicas = s.availableReplicas;
  if (s.observedGeneration) out.observedGeneration = s.observedGeneration;
  if (s.conditions?.length) out.conditions = s.conditions;
  return out;
}
