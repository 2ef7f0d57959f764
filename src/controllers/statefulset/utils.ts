// Pod identity and pod state of a StatefulSet (pkg/controller/statefulset/stateful_set_utils.go, and
// podutil.IsPodReady / IsPodAvailable from pkg/api/v1/pod/util.go). Pure functions.

import type { OwnerReference } from '../../api/meta.ts';
import type { StatefulSet } from '../../api/types/apps.ts';
import type { Pod, PodCondition, Volume } from '../../api/types/pod.ts';
import { LABEL_CONTROLLER_REVISION_HASH, LABEL_POD_INDEX, LABEL_STATEFULSET_POD_NAME } from '../../api/well-known.ts';

/** controllerKind: apps/v1 StatefulSet. */
export const CONTROLLER_API_VERSION = 'apps/v1';
export const CONTROLLER_KIND = 'StatefulSet';

const MAX_INT32 = 2147483647;

/** statefulPodRegex `(.*)-([0-9]+)$` + strconv.ParseInt(…, 10, 32): parent "" and ordinal -1 when no match. */
export function parentNameAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = /^(.*)-([0-9]+)$/s.exec(name);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1], ordinal: Number.isSafeInteger(n) && n <= MAX_INT32 ? n : -1 };
}

export function getOrdinal(pod: Pod): number {
  return parentNameAndOrdinal(pod.metadata.name ?? '').ordinal;
}

/** getStartOrdinal: spec.ordinals.start, else 0. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** *spec.replicas (the API server defaults it to 1). */
export function specReplicas(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** getEndOrdinal (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + specReplicas(set) - 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

/** getPodName: `<set>-<ordinal>`. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaimName: `<claim>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, claim: string, ordinal: number): string {
  return `${claim}-${set.metadata.name}-${ordinal}`;
}

/** isMemberOf: the pod's name says it belongs to the set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod.metadata.name ?? '').parent === set.metadata.name;
}

/** identityMatches: name, namespace and the pod-name label fit the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod.metadata.name ?? '');
  return ordinal >= 0 &&
    set.metadata.name === parent &&
    pod.metadata.name === podName(set, ordinal) &&
    (pod.metadata.namespace ?? '') === (set.metadata.namespace ?? '') &&
    pod.metadata.labels?.[LABEL_STATEFULSET_POD_NAME] === pod.metadata.name;
}

function claimTemplateNames(set: StatefulSet): string[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((c) => c.metadata?.name ?? '');
}

/** storageMatches: every volumeClaimTemplate is mounted from the pod's own claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, Volume>();
  for (const v of pod.spec?.volumes ?? []) volumes.set(v.name, v);
  for (const claim of claimTemplateNames(set)) {
    const v = volumes.get(claim);
    if (!v || !v.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, claim, ordinal)) return false;
  }
  return true;
}

/** updateStorage: one PVC volume per claim template (template order), then the pod's other volumes. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimTemplateNames(set);
  if (claims.length === 0) return;
  const ordinal = getOrdinal(pod);
  const volumes: Volume[] = claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: claimName(set, c, ordinal) } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.includes(v.name)) volumes.push(v);
  pod.spec = { ...(pod.spec ?? { containers: [] }), volumes };
}

/** updateIdentity: name, namespace, and the pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = podName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}) };
  pod.metadata.labels[LABEL_STATEFULSET_POD_NAME] = pod.metadata.name;
  pod.metadata.labels[LABEL_POD_INDEX] = String(ordinal);
}

/** initIdentity: updateIdentity plus the immutable hostname and subdomain, set only at creation. */
export function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  const spec = pod.spec ?? { containers: [] };
  spec.hostname = pod.metadata.name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  else delete spec.subdomain;
  pod.spec = spec;
}

/** metav1.NewControllerRef(set, controllerKind). */
export function controllerRef(set: StatefulSet): OwnerReference {
  return { apiVersion: CONTROLLER_API_VERSION, kind: CONTROLLER_KIND, name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** metav1.GetControllerOf. */
export function controllerOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/**
 * newStatefulSetPod: controller.GetPodFromTemplate (template labels, annotations, finalizers and spec;
 * generateName `<set>-`; the controller reference), then the pod's name, identity and storage.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const template = set.spec?.template ?? {};
  const tm = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(set, ordinal),
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace,
      labels: { ...(tm.labels ?? {}) },
      ownerReferences: [controllerRef(set)],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  if (tm.annotations && Object.keys(tm.annotations).length > 0) pod.metadata.annotations = { ...tm.annotations };
  if (tm.finalizers && tm.finalizers.length > 0) pod.metadata.finalizers = [...tm.finalizers];
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/** getPodRevision: the controller-revision-hash label ("" when absent). */
export function getPodRevision(pod: Pod): string {
  return pod.metadata.labels?.[LABEL_CONTROLLER_REVISION_HASH] ?? '';
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [LABEL_CONTROLLER_REVISION_HASH]: revision };
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition (RollingUpdate) are created from the current
 * revision, the others from the update revision. Go's `a && b || c` precedence is kept on purpose.
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const useCurrent = (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate == null && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (strategy?.rollingUpdate != null && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

// ---------------------------------------------------------------------------------------------
// Pod state.

export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** isRunningAndReady: phase Running and Ready. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** isRunningAndAvailable = podutil.IsPodAvailable: Ready, and for longer than minReadySeconds (strictly). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const ltt = readyCondition(pod)?.lastTransitionTime;
  const t = ltt ? Date.parse(ltt) : NaN;
  return !Number.isNaN(t) && t + minReadySeconds * 1000 < nowMs;
}

/** isCreated: the API server gave it a phase (it sets Pending on create). */
export function isCreated(pod: Pod): boolean {
  return !!pod.status?.phase;
}

export function isPending(pod: Pod): boolean {
  return pod.status?.phase === 'Pending';
}

export function isFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}

export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

/** isTerminating: deletionTimestamp is set. */
export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** isUnavailable: not available, or terminating. */
export function isUnavailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, nowMs) || isTerminating(pod);
}

/** allowsBurst: podManagementPolicy Parallel. */
export function allowsBurst(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}
