// The Deployment controller's decisions as pure functions (kubernetes-semantics.md §6): a port of
// pkg/controller/deployment/util/deployment_util.go and of the decision parts of sync.go, rolling.go,
// recreate.go and progress.go. Plain objects in, plans and statuses out; no I/O and no clock reads (the caller
// passes `nowMs`). controller.ts performs the writes in the order kube does and re-reads nothing in between
// except the objects its own writes returned.

import type { KObject } from '../../api/meta.ts';
import { matches, selectorFromLabelSelector } from '../../api/selectors.ts';
import type { Deployment, DeploymentCondition, DeploymentStatus, LabelSelector, ReplicaSet } from '../../api/types/apps.ts';
import type { Pod, PodTemplateSpec } from '../../api/types/pod.ts';
import {
  ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS, ANNOTATION_DEPLOYMENT_MAX_REPLICAS, ANNOTATION_DEPLOYMENT_REVISION, ANNOTATION_DEPLOYMENT_REVISION_HISTORY,
  ANNOTATION_DEPRECATED_ROLLBACK_TO, ANNOTATION_LAST_APPLIED_CONFIG, LABEL_POD_TEMPLATE_HASH,
} from '../../api/well-known.ts';
import { controllerOf, formatTime, newControllerRef, specReplicas, timeMs } from '../replicaset/reconcile.ts';
import { computeHash, semanticEqual, semanticForm } from './hash.ts';

/** Condition reasons (deploymentutil). */
export const REASONS = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** sync.go maxRevHistoryLengthInChars. */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
const MAX_INT32 = 2147483647;

// ---------------------------------------------------------------------------------------------
// Spec helpers.

export const replicasOf = (d: Deployment): number => specReplicas(d);

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/** HasProgressDeadline: progressDeadlineSeconds set and not MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return typeof p === 'number' && p !== MAX_INT32;
}

/** HasRevisionHistoryLimit: revisionHistoryLimit set and not MaxInt32. */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return typeof l === 'number' && l !== MAX_INT32;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; "N%" of total, rounded up or down; absent is 0
 * (intstrutil.ValueOrDefault(x, 0)). Throws on a string that is not a percentage.
 */
export function valueFromIntOrPercent(v: number | string | null | undefined, total: number, roundUp: boolean): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const s = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`invalid value "${v}": strconv.Atoi: parsing "${s}": invalid syntax`);
  const x = (Number(s) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: [maxSurge rounded up, maxUnavailable rounded down] of `desired`; when both resolve to 0,
 * maxUnavailable becomes 1 (surge might not be possible because of quota).
 */
export function resolveFenceposts(maxSurge: number | string | null | undefined, maxUnavailable: number | string | null | undefined, desired: number): [number, number] {
  const surge = valueFromIntOrPercent(maxSurge, desired, true);
  let unavailable = valueFromIntOrPercent(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function fenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  try {
    return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d));
  } catch {
    return [0, 0]; // "Error caught by validation"
  }
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d)[1], replicasOf(d));
}

/** The deployment's selector selects everything (an empty metav1.LabelSelector): kube refuses to act. */
export function selectsEverything(d: Deployment): boolean {
  return d.spec?.selector != null && semanticForm(d.spec.selector) === undefined;
}

// ---------------------------------------------------------------------------------------------
// ReplicaSet lists.

const created = (rs: ReplicaSet) => timeMs(rs.metadata.creationTimestamp) ?? 0;
const name = (rs: ReplicaSet) => rs.metadata.name ?? '';

/** controller.ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/** controller.ReplicaSetsBySizeOlder: larger first; equal sizes oldest first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreationTimestamp(a, b);
}

/** controller.ReplicaSetsBySizeNewer: larger first; equal sizes newest first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || created(b) - created(a);
}

/** Revision: the revision annotation as an int64 (absent is 0); undefined when it does not parse. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[ANNOTATION_DEPLOYMENT_REVISION];
  if (v === undefined) return 0;
  return /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** ReplicaSetsByRevision: lower revision first; unparseable or equal revisions by creation timestamp. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a), rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

/** MaxRevision: the highest parseable revision (0 if none). */
export function maxRevision(rsList: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rsList) {
    const r = revisionOf(rs);
    if (r !== undefined && r > max) max = r;
  }
  return max;
}

/** controller.FilterActiveReplicaSets: spec.replicas > 0. */
export function filterActive(rsList: ReadonlyArray<ReplicaSet | undefined>): ReplicaSet[] {
  return rsList.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

const sum = (rsList: ReadonlyArray<ReplicaSet | undefined>, f: (rs: ReplicaSet) => number) =>
  rsList.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
/** GetReplicaCountForReplicaSets: Σ spec.replicas. */
export const specReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, specReplicas);
/** GetActualReplicaCountForReplicaSets: Σ status.replicas. */
export const actualReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.replicas ?? 0);
/** GetReadyReplicaCountForReplicaSets. */
export const readyReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.readyReplicas ?? 0);
/** GetAvailableReplicaCountForReplicaSets. */
export const availableReplicaCount = (l: ReadonlyArray<ReplicaSet | undefined>) => sum(l, (rs) => rs.status?.availableReplicas ?? 0);

/** EqualIgnoreHash: semantic equality of two pod templates, ignoring the pod-template-hash label. */
export function equalIgnoreHash(t1: PodTemplateSpec | undefined, t2: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const c = structuredClone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[LABEL_POD_TEMPLATE_HASH];
    return c;
  };
  return semanticEqual(strip(t1), strip(t2));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's (ignoring the hash). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: every other ReplicaSet (`all`), and those of them with replicas (`withReplicas`). */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { withReplicas: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const all = rsList.filter((rs) => !newRS || rs.metadata.uid !== newRS.metadata.uid);
  return { withReplicas: all.filter((rs) => specReplicas(rs) !== 0), all };
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest one if none is active; undefined if several are. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => -byCreationTimestamp(a, b));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Annotations.

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

export const desiredReplicasAnnotation = (rs: ReplicaSet) => intAnnotation(rs, ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS);
export const maxReplicasAnnotation = (rs: ReplicaSet) => intAnnotation(rs, ANNOTATION_DEPLOYMENT_MAX_REPLICAS);

/** SetReplicasAnnotations (mutates rs): desired-replicas and max-replicas; true if either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let updated = false;
  if (a[ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS] !== String(desired)) { a[ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS] = String(desired); updated = true; }
  if (a[ANNOTATION_DEPLOYMENT_MAX_REPLICAS] !== String(max)) { a[ANNOTATION_DEPLOYMENT_MAX_REPLICAS] = String(max); updated = true; }
  return updated;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  if (!a) return true;
  return a[ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS] !== String(desired) || a[ANNOTATION_DEPLOYMENT_MAX_REPLICAS] !== String(max);
}

const ANNOTATIONS_TO_SKIP = new Set([
  ANNOTATION_LAST_APPLIED_CONFIG, ANNOTATION_DEPLOYMENT_REVISION, ANNOTATION_DEPLOYMENT_REVISION_HISTORY,
  ANNOTATION_DEPLOYMENT_DESIRED_REPLICAS, ANNOTATION_DEPLOYMENT_MAX_REPLICAS, ANNOTATION_DEPRECATED_ROLLBACK_TO,
]);

/** copyDeploymentAnnotationsToReplicaSet (mutates rs): every annotation but the skipped ones. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations (mutates rs): copy the deployment's annotations; raise the revision to
 * newRevision if it is lower (keeping the old one in revision-history, at most `historyLimitChars` long, when
 * it existed — a rollback); for a ReplicaSet about to be created (!exists), add desired/max replicas.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, historyLimitChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const hadRevision = Object.hasOwn(a, ANNOTATION_DEPLOYMENT_REVISION);
  const oldRevision = a[ANNOTATION_DEPLOYMENT_REVISION] ?? '';
  let oldInt: number;
  if (/^[+-]?\d+$/.test(oldRevision)) oldInt = Number(oldRevision);
  else if (oldRevision !== '') return false;
  else oldInt = 0;
  if (!/^[+-]?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[ANNOTATION_DEPLOYMENT_REVISION] = newRevision;
    changed = true;
  }
  if (hadRevision && oldInt < newInt) {
    const history = a[ANNOTATION_DEPLOYMENT_REVISION_HISTORY] ?? '';
    const olds = history.split(',');
    if (olds[0].length === 0) {
      a[ANNOTATION_DEPLOYMENT_REVISION_HISTORY] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > historyLimitChars && start < olds.length) {
        total = total - olds[start].length - 1;
        start++;
      }
      if (total <= historyLimitChars) a[ANNOTATION_DEPLOYMENT_REVISION_HISTORY] = [...olds.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision (mutates d): true if the deployment's revision annotation changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[ANNOTATION_DEPLOYMENT_REVISION] === revision) return false;
  a[ANNOTATION_DEPLOYMENT_REVISION] = revision;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The new ReplicaSet.

/** NewRSNewReplicas: RollingUpdate scales up within maxSurge (never past spec.replicas); Recreate goes all the way. */
export function newRSNewReplicas(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  const type = d.spec?.strategy?.type;
  if (type === 'RollingUpdate') {
    const surge = valueFromIntOrPercent(d.spec?.strategy?.rollingUpdate?.maxSurge, replicasOf(d), true);
    const current = specReplicaCount(allRSs);
    const maxTotal = replicasOf(d) + surge;
    if (current >= maxTotal) return specReplicas(newRS);
    const up = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
    return specReplicas(newRS) + up;
  }
  if (type === 'Recreate') return replicasOf(d);
  throw new Error(`deployment type ${type} isn't supported`);
}

/** labelsutil.CloneSelectorAndAddLabel. */
export function cloneSelectorAndAddLabel(sel: LabelSelector | null | undefined, key: string, value: string): LabelSelector {
  const out: LabelSelector = { matchLabels: { ...(sel?.matchLabels ?? {}), [key]: value } };
  if (sel?.matchExpressions) out.matchExpressions = sel.matchExpressions.map((e) => ({ ...e, ...(e.values ? { values: [...e.values] } : {}) }));
  return out;
}

/**
 * getNewReplicaSet's creation branch: `<deployment>-<hash>` with the hash label added to the template labels,
 * the ReplicaSet's labels and its selector; owned by the deployment; minReadySeconds copied; replicas from
 * NewRSNewReplicas; annotations from SetNewReplicaSetAnnotations (exists = false).
 */
export function buildNewReplicaSet(d: Deployment, oldRSs: readonly ReplicaSet[], newRevision: string): ReplicaSet {
  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [LABEL_POD_TEMPLATE_HASH]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      labels: { ...labels },
    },
    spec: {
      replicas: 0,
      ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: cloneSelectorAndAddLabel(d.spec?.selector, LABEL_POD_TEMPLATE_HASH, hash),
      template,
    },
  };
  rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  return rs;
}

/** The new ReplicaSet that a hash collision or a creation produced is ours when we control it and its template matches. */
export function isOurNewReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  return controllerOf(rs)?.uid === d.metadata.uid && equalIgnoreHash(d.spec?.template, rs.spec?.template);
}

// ---------------------------------------------------------------------------------------------
// Scaling plans. A step names a ReplicaSet and its target size; `always` (scaleReplicaSet) also rewrites the
// replicas annotations when the size does not change, otherwise (scaleReplicaSetAndRecordEvent) an unchanged
// size is no step at all.

export interface ScaleStep {
  rs: ReplicaSet;
  to: number;
  /** 'up' / 'down' for the event; '' when proportional scaling adds nothing. */
  operation: 'up' | 'down' | '';
  always: boolean;
}

function scaleAndRecord(rs: ReplicaSet, to: number): ScaleStep | undefined {
  const cur = specReplicas(rs);
  if (cur === to) return undefined;
  return { rs, to, operation: cur < to ? 'up' : 'down', always: false };
}

/**
 * What executing a step writes: the ReplicaSet to PUT (size and replicas annotations) and the
 * ScalingReplicaSet event message (`Scaled %s replica set %s to %d from %d`), or nothing.
 */
export function applyScaleStep(d: Deployment, step: ScaleStep): { rs: ReplicaSet; event?: string } | undefined {
  const cur = specReplicas(step.rs);
  if (!step.always && cur === step.to) return undefined;
  const desired = replicasOf(d), max = desired + maxSurge(d);
  const sizeChanged = cur !== step.to;
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(step.rs, desired, max)) return undefined;
  const rs = structuredClone(step.rs);
  rs.spec = { ...(rs.spec ?? {}), replicas: step.to };
  setReplicasAnnotations(rs, desired, max);
  return { rs, event: sizeChanged ? `Scaled ${step.operation} replica set ${rs.metadata.name} to ${step.to} from ${cur}` : undefined };
}

/** IsSaturated: the new RS has all the replicas, its desired-replicas annotation agrees, and all are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return specReplicas(rs) === replicasOf(d) && desired === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** Go's math.Round then int32: halves away from zero. */
function roundToInt(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** getReplicaSetFraction: the share of the new deployment size this RS should hold, minus what it has. */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? (d.status?.replicas ?? 0);
  if (annotated === 0) return 0; // kube divides by zero here; never scale up from nothing
  return roundToInt((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}

/** GetProportion: the fraction bounded by what is still to be added (up) or removed (down). */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** isScalingEvent: some active ReplicaSet records a desired-replicas different from spec.replicas. */
export function isScalingEvent(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): boolean {
  for (const rs of filterActive([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== replicasOf(d)) return true;
  }
  return false;
}

/**
 * scale (sync.go): on a scaling event or while paused. One active (or the newest) ReplicaSet takes the whole
 * size; a saturated new RS means every old one goes to 0; otherwise (RollingUpdate) the difference to
 * replicas + maxSurge is spread proportionally, larger ReplicaSets first (newer first when scaling up, older
 * first when scaling down), leftovers to the first.
 */
export function planScale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (specReplicas(only) === replicasOf(d)) return [];
    return [scaleAndRecord(only, replicasOf(d))!];
  }
  if (isSaturated(d, newRS)) return filterActive(oldRSs).map((rs) => scaleAndRecord(rs, 0)).filter((s): s is ScaleStep => !!s);
  if (!isRollingUpdate(d)) return [];
  const all = filterActive([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaCount(all);
  let operation: ScaleStep['operation'] = '';
  if (toAdd > 0) { all.sort(bySizeNewer); operation = 'up'; }
  else if (toAdd < 0) { all.sort(bySizeOlder); operation = 'down'; }
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = getProportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (all.length && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + (toAdd - added));
  return all.map((rs, i) => ({ rs, to: sizes[i], operation, always: true }));
}

/** reconcileNewReplicaSet (rolling.go): scale the new RS down to spec.replicas, or up as far as maxSurge allows. */
export function reconcileNewReplicaSet(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet): ScaleStep | undefined {
  const want = replicasOf(d);
  if (specReplicas(newRS) === want) return undefined;
  if (specReplicas(newRS) > want) return scaleAndRecord(newRS, want);
  return scaleAndRecord(newRS, newRSNewReplicas(d, allRSs, newRS));
}

const withReplicas = (rs: ReplicaSet, n: number): ReplicaSet => ({ ...rs, spec: { ...(rs.spec ?? {}), replicas: n } });

/**
 * reconcileOldReplicaSets (rolling.go), for the active old ReplicaSets: nothing while
 * maxScaledDown = Σ spec.replicas − (replicas − maxUnavailable) − (new RS's unavailable pods) ≤ 0; then
 * (1) cleanupUnhealthyReplicas: oldest first, drop up to maxScaledDown replicas that are not available;
 * (2) scaleDownOldReplicaSetsForRollingUpdate: oldest first, remove available − minAvailable replicas.
 * Returns the steps in order (an RS may appear in both phases); an invalid cleanup request (an RS reporting more
 * available pods than it wants) stops the plan there, as kube does.
 */
export function reconcileOldReplicaSets(d: Deployment, allRSs: ReadonlyArray<ReplicaSet | undefined>, oldActive: readonly ReplicaSet[], newRS: ReplicaSet): ScaleStep[] {
  if (specReplicaCount(oldActive) === 0) return [];
  const allPods = specReplicaCount(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];

  const steps: ScaleStep[] = [];
  // (1) Unhealthy replicas first, so they do not block the rollout (kubernetes#16737).
  const olds = [...oldActive].sort(byCreationTimestamp);
  let cleaned = 0;
  for (let i = 0; i < olds.length; i++) {
    const rs = olds[i];
    if (cleaned >= maxScaledDown) break;
    if (specReplicas(rs) === 0) continue;
    const available = rs.status?.availableReplicas ?? 0;
    if (specReplicas(rs) === available) continue;
    const count = Math.min(maxScaledDown - cleaned, specReplicas(rs) - available);
    const next = specReplicas(rs) - count;
    if (next > specReplicas(rs)) return steps; // "got invalid request to scale down": kube gives up this round
    const step = scaleAndRecord(rs, next);
    if (step) steps.push(step);
    cleaned += count;
    olds[i] = withReplicas(rs, next);
  }

  // (2) Then available replicas beyond minAvailable.
  const available = availableReplicaCount([...olds, newRS]);
  if (available <= minAvailable) return steps;
  const total = available - minAvailable;
  let scaled = 0;
  for (const rs of olds) {
    if (scaled >= total) break;
    if (specReplicas(rs) === 0) continue;
    const count = Math.min(specReplicas(rs), total - scaled);
    const step = scaleAndRecord(rs, specReplicas(rs) - count);
    if (step) steps.push(step);
    scaled += count;
  }
  return steps;
}

/** One rolling-update round (rolloutRolling): scale the new RS up if possible, else old ones down, else idle. */
export type RollingPlan = { phase: 'scaleUp'; steps: ScaleStep[] } | { phase: 'scaleDown'; steps: ScaleStep[] } | { phase: 'idle'; steps: [] };

export function planRolling(d: Deployment, newRS: ReplicaSet, oldRSs: readonly ReplicaSet[]): RollingPlan {
  const all = [...oldRSs, newRS];
  const up = reconcileNewReplicaSet(d, all, newRS);
  if (up) return { phase: 'scaleUp', steps: [up] };
  const down = reconcileOldReplicaSets(d, all, filterActive(oldRSs), newRS);
  if (down.length) return { phase: 'scaleDown', steps: down };
  return { phase: 'idle', steps: [] };
}

/**
 * oldPodsRunning (recreate.go): an old ReplicaSet still reports pods, or a pod of an old ReplicaSet is not
 * Succeeded/Failed (terminating pods count: Recreate waits until they are gone).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: ReadonlyMap<string, readonly Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}

/** One Recreate round (rolloutRecreate): old ReplicaSets to 0; wait for their pods; then the new RS (created if needed) to full size. */
export type RecreatePlan =
  | { phase: 'scaleDownOld'; steps: ScaleStep[] }
  | { phase: 'waitForOldPods' }
  | { phase: 'createNew' }
  | { phase: 'scaleUpNew'; steps: ScaleStep[] };

export function planRecreate(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: ReadonlyMap<string, readonly Pod[]>): RecreatePlan {
  const down = filterActive(oldRSs).map((rs) => scaleAndRecord(rs, 0)).filter((s): s is ScaleStep => !!s);
  if (down.length) return { phase: 'scaleDownOld', steps: down };
  if (oldPodsRunning(newRS, oldRSs, podMap)) return { phase: 'waitForOldPods' };
  if (!newRS) return { phase: 'createNew' };
  const up = scaleAndRecord(newRS, replicasOf(d));
  return { phase: 'scaleUpNew', steps: up ? [up] : [] };
}

/**
 * cleanupDeployment: with a revision history limit, the oldest (by revision) old ReplicaSets beyond the limit
 * that are not being deleted, have no replicas (spec and status) and whose spec was observed.
 */
export function planCleanup(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
  if (diff <= 0) return [];
  cleanable.sort(byRevision);
  const out: ReplicaSet[] = [];
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    out.push(rs);
  }
  return out;
}

/** getPodMapForDeployment: the deployment's pods (by selector), grouped by the UID of the ReplicaSet controlling them. */
export function podMapForDeployment(d: Deployment, rsList: readonly ReplicaSet[], pods: readonly Pod[]): Map<string, Pod[]> {
  const map = new Map<string, Pod[]>();
  for (const rs of rsList) map.set(rs.metadata.uid ?? '', []);
  let sel;
  try { sel = selectorFromLabelSelector(d.spec?.selector); } catch { return map; }
  for (const p of pods) {
    if (!matches(sel, p.metadata.labels)) continue;
    const ref = controllerOf(p);
    if (!ref || !map.has(ref.uid)) continue;
    map.get(ref.uid)!.push(p);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Conditions and status (deployment_util.go, sync.go calculateStatus, progress.go).

export function newCondition(type: string, status: string, reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = formatTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition (mutates status): no change if a condition of the type has the same status and reason;
 * else keep its lastTransitionTime when only the reason changes; the condition moves to the end of the list.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const c = { ...cond };
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/**
 * calculateStatus: counts from the ReplicaSets (replicas, updatedReplicas = the new RS's, ready, available,
 * unavailable = max(0, Σ spec − available)), observedGeneration = generation, collisionCount kept, and the
 * Available condition: True/MinimumReplicasAvailable when available ≥ replicas − maxUnavailable.
 * Zero counts are omitted, as Go's omitempty does.
 */
export function calculateStatus(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specReplicaCount(allRSs) - available),
    collisionCount: d.status?.collisionCount,
  };
  if (d.status?.conditions?.length) status.conditions = structuredClone(d.status.conditions);
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return compactStatus(status);
}

/** Drops zero/absent counters (omitempty) so statuses compare and serialize as Go's do. */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (s[k]) out[k] = s[k];
  }
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined && s.collisionCount !== null) out.collisionCount = s.collisionCount;
  return out;
}

/** reflect.DeepEqual of two statuses, with absent and zero counters equal. */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return JSON.stringify(semanticForm(compactStatus(a ?? {})) ?? null) === JSON.stringify(semanticForm(compactStatus(b ?? {})) ?? null);
}

/** DeploymentComplete: every desired replica updated and available, no old ones, generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r
    && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(next, 'Progressing');
  if (!c) return false;
  if (c.reason === REASONS.newRSAvailable) return false;
  if (c.reason === REASONS.timedOut) return true;
  const from = timeMs(c.lastUpdateTime) ?? 0;
  return from + d.spec!.progressDeadlineSeconds! * 1000 < nowMs;
}

/**
 * syncRolloutStatus's computation: calculateStatus plus the Progressing condition (NewReplicaSetAvailable when
 * complete, ReplicaSetUpdated on progress, ProgressDeadlineExceeded on timeout; removed without a deadline) and
 * the ReplicaFailure condition copied from the ReplicaSets (the new one first).
 */
export function rolloutStatus(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const s = calculateStatus(allRSs, newRS, d, nowMs);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const isComplete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && cur?.reason === REASONS.newRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const dName = d.metadata.name ?? '';
    if (deploymentComplete(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${dName}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', REASONS.newRSAvailable, msg, nowMs));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${dName}" is progressing.`;
      const cond = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, msg, nowMs);
      if (cur) {
        if (cur.status === 'True') cond.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, cond);
    } else if (deploymentTimedOut(d, s, nowMs)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${dName}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', REASONS.timedOut, msg, nowMs));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(s, failures[0]);
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/** getReplicaFailures: ReplicaFailure conditions of the new RS, else of any RS, as deployment conditions. */
function replicaFailures(allRSs: ReadonlyArray<ReplicaSet | undefined>, newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const conv = (rs: ReplicaSet) => (rs.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map((c): DeploymentCondition => ({
    type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message,
  }));
  const fromNew = newRS ? conv(newRS) : [];
  if (fromNew.length) return fromNew;
  return allRSs.flatMap((rs) => (rs ? conv(rs) : []));
}

/**
 * requeueStuckDeployment: with a deadline and a Progressing condition, a rollout that is neither complete nor
 * timed out is checked again when the deadline passes: the delay in ms (0 = now, rate-limited), or undefined.
 */
export function progressCheckAfterMs(d: Deployment, next: DeploymentStatus, nowMs: number): number | undefined {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return undefined;
  if (deploymentComplete(d, next) || cur.reason === REASONS.timedOut) return undefined;
  const after = (timeMs(cur.lastUpdateTime) ?? 0) + d.spec!.progressDeadlineSeconds! * 1000 - nowMs;
  if (after < 1000) return 0;
  return after + 1000;
}

/**
 * checkPausedConditions: with a deadline (and no timeout reported), a paused deployment gets Progressing
 * Unknown/DeploymentPaused, a resumed one Unknown/DeploymentResumed. Returns the status to write, if any.
 */
export function pausedConditionsStatus(d: Deployment, nowMs: number): DeploymentStatus | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === REASONS.timedOut) return undefined;
  const pausedExists = cond?.reason === REASONS.paused;
  const s = structuredClone(d.status ?? {});
  if (d.spec?.paused && !pausedExists) {
    setCondition(s, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', nowMs));
    return s;
  }
  if (!d.spec?.paused && pausedExists) {
    setCondition(s, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', nowMs));
    return s;
  }
  return undefined;
}

/** The deployment an orphan ReplicaSet could belong to: its (non-empty) selector matches the RS labels. */
export function deploymentSelectsReplicaSet(d: Deployment, rs: ReplicaSet | KObject): boolean {
  let sel;
  try { sel = selectorFromLabelSelector(d.spec?.selector); } catch { return false; }
  if (sel.nothing || sel.requirements.length === 0) return false;
  return matches(sel, rs.metadata.labels);
}
