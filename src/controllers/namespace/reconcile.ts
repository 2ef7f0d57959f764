// The namespace controller's decisions as pure functions (pkg/controller/namespace/deletion/
// namespaced_resources_deleter.go and status_condition_utils.go): what one deletion pass concludes from the
// content it found, which status conditions it writes, and what it does next (finalize, wait, or retry).

import type { KObject } from '../../api/meta.ts';
import type { NamespaceCondition } from '../../api/types/namespace.ts';

/** finalizerEstimateSeconds: the wait assumed for content that lingers because of finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

/** The condition types the deleter maintains, in kube's order (conditionTypes). */
export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
export type NamespaceConditionType = typeof CONDITION_TYPES[number];

const OK_MESSAGES: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

const OK_REASONS: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};

/** What a namespace sync does first, from the live namespace (namespacedResourcesDeleter.Delete). */
export type NamespaceStep =
  /** Not found, or not being deleted: nothing to do. */
  | 'nothing'
  /** Being deleted but status.phase is not Terminating yet: write the phase first (updateNamespaceStatusFunc). */
  | 'markTerminating'
  /** spec.finalizers is already empty: finalized, the API server deletes it. */
  | 'finalized'
  | 'deleteContent';

export function namespaceStep(ns: KObject | undefined): NamespaceStep {
  if (!ns || !ns.metadata.deletionTimestamp) return 'nothing';
  if (ns.status?.phase !== 'Terminating') return 'markTerminating';
  if (!(ns.spec?.finalizers?.length)) return 'finalized';
  return 'deleteContent';
}

/** gvrDeletionMetadata. */
export interface GvrDeletionMetadata {
  /** Seconds to wait before looking again (graceful pod termination, or lingering finalizers). */
  finalizerEstimateSeconds: number;
  numRemaining: number;
  finalizersToNumRemaining: Record<string, number>;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** GroupVersionResource.String(): `/v1, Resource=pods`, `apps/v1, Resource=statefulsets`. */
export function gvrString(g: GroupVersionResource): string {
  return `${g.group}/${g.version}, Resource=${g.resource}`;
}

/**
 * estimateGracefulTerminationForPods minus the time since the namespace's deletion started: the longest
 * terminationGracePeriodSeconds of the pods that are not terminal, less the elapsed whole seconds, at least 0.
 */
export function estimateGracefulTermination(pods: readonly KObject[], deletedAtMs: number, nowMs: number): number {
  let estimate = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = p.spec?.terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace > estimate) estimate = grace;
  }
  const elapsed = Math.trunc((nowMs - deletedAtMs) / 1000);
  return Math.max(0, estimate - elapsed);
}

/**
 * The end of deleteAllContentForGroupVersionResource, after the delete: what the verification list found.
 * items undefined = the resource cannot be listed (nothing to verify). Items left without any finalizer and
 * without an estimate are an error ("unexpected items still remain").
 */
export function remainingContent(gvr: GroupVersionResource, namespace: string, items: readonly KObject[] | undefined, estimate: number): { metadata: GvrDeletionMetadata; error?: string } {
  if (items === undefined) return { metadata: { finalizerEstimateSeconds: estimate, numRemaining: 0, finalizersToNumRemaining: {} } };
  if (items.length === 0) return { metadata: { finalizerEstimateSeconds: 0, numRemaining: 0, finalizersToNumRemaining: {} } };
  const finalizers: Record<string, number> = {};
  for (const it of items) for (const f of it.metadata.finalizers ?? []) finalizers[f] = (finalizers[f] ?? 0) + 1;
  const numRemaining = items.length;
  if (estimate !== 0) return { metadata: { finalizerEstimateSeconds: estimate, numRemaining, finalizersToNumRemaining: finalizers } };
  if (Object.keys(finalizers).length > 0) return { metadata: { finalizerEstimateSeconds: FINALIZER_ESTIMATE_SECONDS, numRemaining, finalizersToNumRemaining: finalizers } };
  return {
    metadata: { finalizerEstimateSeconds: estimate, numRemaining, finalizersToNumRemaining: {} },
    error: `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(gvr)}`,
  };
}

/** One resource's outcome in a deletion pass. */
export interface ResourceOutcome {
  gvr: GroupVersionResource;
  metadata: GvrDeletionMetadata;
  /** An error deleting or verifying this resource (ProcessDeleteContentErr). */
  error?: string;
}

export interface PassFailures {
  /** Discovery failed (wholly or for some groups); groupCount when it was ErrGroupDiscoveryFailed. */
  discovery?: { message: string; groupCount?: number };
  /** A group version discovery returned could not be parsed. */
  groupVersionParsing?: string;
}

export interface PassSummary {
  /** The longest wait any resource asked for (seconds). */
  estimate: number;
  /** Every error of the pass (discovery, parsing, content), as deleteAllContent aggregates them. */
  errors: string[];
  /** The failing conditions (status True); the others are set to their "ok" variant by updateConditions. */
  conditions: Array<Omit<NamespaceCondition, 'lastTransitionTime'> & { type: NamespaceConditionType }>;
}

/** deleteAllContent's bookkeeping and namespaceConditionUpdater (ProcessDiscoverResourcesErr …, ProcessContentTotals). */
export function summarizePass(outcomes: readonly ResourceOutcome[], failures: PassFailures = {}): PassSummary {
  const errors: string[] = [];
  const conditions: PassSummary['conditions'] = [];
  if (failures.discovery) {
    errors.push(failures.discovery.message);
    conditions.push({
      type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed',
      message: failures.discovery.groupCount !== undefined ? `Discovery failed for some groups, ${failures.discovery.groupCount} failing: ${failures.discovery.message}` : failures.discovery.message,
    });
  }
  if (failures.groupVersionParsing) {
    errors.push(failures.groupVersionParsing);
    conditions.push({ type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'True', reason: 'GroupVersionParsingFailed', message: failures.groupVersionParsing });
  }
  let estimate = 0;
  const contentErrors: string[] = [];
  const remaining: string[] = [];
  const byFinalizer: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.error) contentErrors.push(o.error);
    if (o.metadata.finalizerEstimateSeconds > estimate) estimate = o.metadata.finalizerEstimateSeconds;
    if (o.metadata.numRemaining > 0) {
      remaining.push(`${o.gvr.resource}.${o.gvr.group} has ${o.metadata.numRemaining} resource instances`);
      for (const [f, n] of Object.entries(o.metadata.finalizersToNumRemaining)) if (n > 0) byFinalizer[f] = (byFinalizer[f] ?? 0) + n;
    }
  }
  errors.push(...contentErrors);
  if (remaining.length) {
    conditions.push({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` });
  }
  const fins = Object.entries(byFinalizer).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (fins.length) {
    conditions.push({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${fins.join(', ')}` });
  }
  if (contentErrors.length) {
    const msgs = [...contentErrors].sort();
    conditions.push({ type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}` });
  }
  return { estimate, errors, conditions };
}

/**
 * updateConditions: each maintained type gets its failing condition from this pass, or its "ok" variant
 * (status False). lastTransitionTime moves only when the status flips. Other condition types are kept.
 */
export function updateConditions(existing: readonly NamespaceCondition[] | undefined, fresh: PassSummary['conditions'], now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = (existing ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const f = fresh.find((c) => c.type === type);
    const want: NamespaceCondition = f
      ? { type, status: f.status, lastTransitionTime: now, reason: f.reason, message: f.message }
      : { type, status: 'False', lastTransitionTime: now, reason: OK_REASONS[type], message: OK_MESSAGES[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push(want);
      changed = true;
    } else if (old.status !== want.status || old.message !== want.message || old.reason !== want.reason) {
      if (old.status !== want.status) old.lastTransitionTime = now;
      old.status = want.status;
      old.reason = want.reason;
      old.message = want.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** What the sync does after a deletion pass (Delete + the controller worker's error handling). */
export type PassOutcome =
  /** Errors: retry rate-limited (the namespace is not finalized while anything failed). */
  | { action: 'retry'; error: string }
  /** Content remains: look again after estimate/2 + 1 seconds (ResourcesRemainingError). */
  | { action: 'wait'; estimateSeconds: number; afterMs: number }
  /** Empty: remove the finalizer token (PUT namespaces/{name}/finalize). */
  | { action: 'finalize' };

export function passOutcome(summary: Pick<PassSummary, 'estimate' | 'errors'>): PassOutcome {
  if (summary.errors.length) return { action: 'retry', error: summary.errors.length === 1 ? summary.errors[0] : `[${summary.errors.join(', ')}]` };
  if (summary.estimate > 0) return { action: 'wait', estimateSeconds: summary.estimate, afterMs: (Math.trunc(summary.estimate / 2) + 1) * 1000 };
  return { action: 'finalize' };
}

/** finalizeNamespace: spec.finalizers without the token, deduplicated and sorted (sets.String.List()). */
export function finalizersWithout(finalizers: readonly string[] | undefined, token: string): string[] {
  return [...new Set((finalizers ?? []).filter((f) => f !== token))].sort();
}
