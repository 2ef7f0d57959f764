// The garbage collector's decisions as pure functions (pkg/controller/garbagecollector/garbagecollector.go
// attemptToDeleteItem, classifyReferences, processDeletingDependentsItem; patch.go). The controller does the
// lookups (live GETs) and the writes; everything it decides from what it found is here, table-tested.

import type { KObject, OwnerReference } from '../../api/meta.ts';
import { FINALIZER_FOREGROUND_DELETION, FINALIZER_ORPHAN } from '../../api/well-known.ts';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

/** What a live lookup of one owner reference found (isDangling). */
export type OwnerLookup =
  /** 404, another uid under that name, or known absent (absentOwnerCache). */
  | { state: 'absent' }
  | { state: 'present'; deletionTimestamp?: string; finalizers?: string[] };

export interface Classification {
  /** The owner exists and is not waiting for its dependents to go. */
  solid: OwnerReference[];
  /** The owner does not exist (or a recreated object of that name has another uid). */
  dangling: OwnerReference[];
  /** The owner is being deleted in the foreground (deletionTimestamp + foregroundDeletion). */
  waitingForDependentsDeletion: OwnerReference[];
}

/** classifyReferences: sorts a dependent's owner references by what their lookups found. */
export function classifyReferences(refs: readonly OwnerReference[], lookups: readonly OwnerLookup[]): Classification {
  const c: Classification = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  refs.forEach((ref, i) => {
    const l = lookups[i];
    if (!l || l.state === 'absent') c.dangling.push(ref);
    else if (l.deletionTimestamp && l.finalizers?.includes(FINALIZER_FOREGROUND_DELETION)) c.waitingForDependentsDeletion.push(ref);
    else c.solid.push(ref);
  });
  return c;
}

/** What attemptToDeleteItem does once it has the live object (before any owner lookup). */
export type LiveStep =
  /** No object with the node's uid exists: feed a virtual delete event to the graph. */
  | 'virtualDelete'
  /** The object waits (foregroundDeletion) for its dependents: processDeletingDependentsItem. */
  | 'processDeletingDependents'
  /** No owner references: nothing to collect. */
  | 'noOwners'
  /** Look its owners up and decide (decideDeletion). */
  | 'classify';

/** `"being deleted" is a one-way trip`: a node being deleted, but not waiting for dependents, is left alone. */
export function skipWithoutLookup(node: { beingDeleted: boolean; deletingDependents: boolean }): boolean {
  return node.beingDeleted && !node.deletingDependents;
}

export function liveStep(node: { uid: string; deletingDependents: boolean }, live: KObject | undefined): LiveStep {
  if (!live || live.metadata.uid !== node.uid) return 'virtualDelete';
  if (node.deletingDependents) return 'processDeletingDependents';
  if (!(live.metadata.ownerReferences?.length)) return 'noOwners';
  return 'classify';
}

export type DeletionDecision =
  /** At least one solid owner and nothing to clean up. */
  | { action: 'keep' }
  /** A solid owner remains: drop the references to dangling and waiting owners (else those wait forever). */
  | { action: 'removeOwnerReferences'; uids: string[] }
  /**
   * Collect the object. unblockFirst: set its own blocking references non-blocking before deleting, to break
   * a possible cycle (one of its dependents is itself waiting for dependents).
   */
  | { action: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

/**
 * The switch at the end of attemptToDeleteItem.
 *  - a solid owner: keep, after removing references to dangling/waiting owners;
 *  - some owner waits for its dependents and this object has dependents: delete it in the foreground, so
 *    the waiting owner waits for the whole subtree;
 *  - otherwise every owner is gone (or waiting, with nothing below this object): delete it, honouring a
 *    finalizer it already carries (orphan → Orphan, foregroundDeletion → Foreground), else Background.
 */
export function decideDeletion(
  live: { metadata: { finalizers?: string[] } },
  c: Classification,
  dependents: ReadonlyArray<{ deletingDependents: boolean }>,
): DeletionDecision {
  if (c.solid.length > 0) {
    if (c.dangling.length === 0 && c.waitingForDependentsDeletion.length === 0) return { action: 'keep' };
    return { action: 'removeOwnerReferences', uids: [...c.dangling, ...c.waitingForDependentsDeletion].map((r) => r.uid) };
  }
  if (c.waitingForDependentsDeletion.length > 0 && dependents.length > 0) {
    return { action: 'delete', policy: 'Foreground', unblockFirst: dependents.some((d) => d.deletingDependents) };
  }
  const f = live.metadata.finalizers ?? [];
  const policy: PropagationPolicy = f.includes(FINALIZER_ORPHAN) ? 'Orphan' : f.includes(FINALIZER_FOREGROUND_DELETION) ? 'Foreground' : 'Background';
  return { action: 'delete', policy, unblockFirst: false };
}

export type DeletingDependentsDecision =
  /** No blocking dependent is left: remove foregroundDeletion so the API server finishes the delete. */
  | { action: 'removeFinalizer' }
  /** Queue the blocking dependents (those not themselves waiting for theirs) for attemptToDelete. */
  | { action: 'attemptToDelete'; uids: string[] };

/** processDeletingDependentsItem. */
export function decideDeletingDependents(blocking: ReadonlyArray<{ uid: string; deletingDependents: boolean }>): DeletingDependentsDecision {
  if (blocking.length === 0) return { action: 'removeFinalizer' };
  return { action: 'attemptToDelete', uids: blocking.filter((d) => !d.deletingDependents).map((d) => d.uid) };
}

// ---------------------------------------------------------------------------------------------
// Patches (patch.go). Strategic merge patches need no read (ownerReferences merge by uid); the JSON merge
// patches are the fallback for servers without strategic merge patch for a kind (custom resources), and carry
// the resourceVersion they were computed from, so a concurrent write makes them fail with 409 and retry.

/** GenerateDeleteOwnerRefStrategicMergeBytes: deletes the references with these uids; the dependent's uid is a precondition. */
export function deleteOwnerRefsStrategicPatch(dependentUid: string, ownerUids: readonly string[]): object {
  return { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: dependentUid } };
}

/** deleteOwnerRefJSONMergePatch: the remaining references (null when none), at the read resourceVersion. */
export function deleteOwnerRefsMergePatch(live: KObject, ownerUids: readonly string[]): object {
  const drop = new Set(ownerUids);
  const kept = (live.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
  return { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: kept.length ? kept : null } };
}

/** unblockOwnerReferencesStrategicMergePatch: every blocking reference set to blockOwnerDeletion: false; undefined if none. */
export function unblockOwnerRefsStrategicPatch(uid: string, owners: readonly OwnerReference[]): object | undefined {
  const blocking = owners.filter((o) => o.blockOwnerDeletion === true).map((o) => ({ ...o, blockOwnerDeletion: false }));
  if (blocking.length === 0) return undefined;
  return { metadata: { ownerReferences: blocking, uid } };
}

/** unblockOwnerReferencesJSONMergePatch: all references, non-blocking, at the read resourceVersion. */
export function unblockOwnerRefsMergePatch(live: KObject, owners: readonly OwnerReference[]): object {
  return { metadata: { resourceVersion: live.metadata.resourceVersion, ownerReferences: owners.map((o) => ({ ...o, blockOwnerDeletion: false })) } };
}

/** removeFinalizer's merge patch (ObjectMetaForFinalizersPatch); undefined when the finalizer is not there. */
export function removeFinalizerPatch(live: KObject, finalizer: string): object | undefined {
  const f = live.metadata.finalizers ?? [];
  if (!f.includes(finalizer)) return undefined;
  const rest = f.filter((x) => x !== finalizer);
  return { metadata: { resourceVersion: live.metadata.resourceVersion, finalizers: rest.length ? rest : null } };
}
