// The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go and graph_builder.go's
// processGraphChanges), kept in memory from informer events. No I/O happens here: every change says which
// uids the collector must look at next through a GraphSink (attemptToDelete / attemptToOrphan queues, the
// absent-owner cache), so the graph is table-tested on its own.
//
// One node per uid. An owner that a dependent references but that no informer has shown (yet) gets a
// "virtual" node with the coordinates the dependent used; the collector verifies it with a live GET and,
// when it is gone, feeds a virtual delete event back (virtualDelete), which is what makes a dependent of a
// vanished or recreated owner collectable.

import type { OwnerReference } from '../../api/meta.ts';
import { FINALIZER_FOREGROUND_DELETION, FINALIZER_ORPHAN } from '../../api/well-known.ts';

/** objectReference: an owner reference's coordinates plus the namespace ('' for cluster-scoped). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** The metadata the graph reads from an observed object. */
export interface ObservedMeta {
  ownerReferences?: OwnerReference[];
  deletionTimestamp?: string;
  finalizers?: string[];
}

export interface GraphNode {
  identity: ObjectRef;
  /** The object's ownerReferences as last observed (empty for virtual nodes). */
  owners: OwnerReference[];
  /** uids of the nodes whose owners include this node's uid. */
  dependents: Set<string>;
  /** Not observed through an informer yet: only known from a dependent's ownerReference. */
  virtual: boolean;
  /** deletionTimestamp was observed (a one-way trip). */
  beingDeleted: boolean;
  /** Deleting with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;
}

/** Where graph changes send work (the collector's queues and caches). */
export interface GraphSink {
  attemptToDelete(uid: string, opts?: { rateLimited?: boolean }): void;
  attemptToOrphan(uid: string): void;
  /** An owner identity verified absent (absentOwnerCache.Add). */
  absentOwner(ref: ObjectRef): void;
  /** A dependent names an owner that exists in another namespace (event OwnerRefInvalidNamespace). */
  invalidNamespaceOwnerRef?(dependent: GraphNode, ownerRef: OwnerReference): void;
}

/** objectReference.String(): `[apps/v1/StatefulSet, namespace: default, name: web, uid: …]`. */
export function refString(r: ObjectRef): string {
  return `[${r.apiVersion}/${r.kind}, namespace: ${r.namespace}, name: ${r.name}, uid: ${r.uid}]`;
}

/** A map key for an identity (field order independent). */
export function refKey(r: ObjectRef): string {
  return [r.apiVersion, r.kind, r.namespace, r.name, r.uid].join('\u0000');
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** ownerReferenceMatchesCoordinates: uid, name, kind and apiVersion all equal. */
export function ownerReferenceMatchesCoordinates(a: Pick<OwnerReference, 'uid' | 'name' | 'kind' | 'apiVersion'>, b: Pick<OwnerReference, 'uid' | 'name' | 'kind' | 'apiVersion'>): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion;
}

/** reflect.DeepEqual on two OwnerReferences (an absent pointer differs from false, as in Go). */
export function ownerReferenceEqual(a: OwnerReference, b: OwnerReference): boolean {
  return ownerReferenceMatchesCoordinates(a, b) && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}

export function ownerReferencesEqual(a: readonly OwnerReference[] | undefined, b: readonly OwnerReference[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => ownerReferenceEqual(r, y[i]));
}

export interface ReferenceDiffs {
  added: OwnerReference[];
  removed: OwnerReference[];
  changed: Array<{ oldRef: OwnerReference; newRef: OwnerReference }>;
}

/** referencesDiffs: by uid, which references were added, removed, or changed in any field. */
export function referencesDiffs(oldRefs: readonly OwnerReference[], newRefs: readonly OwnerReference[]): ReferenceDiffs {
  const old = new Map(oldRefs.map((r) => [r.uid, r]));
  const out: ReferenceDiffs = { added: [], removed: [], changed: [] };
  for (const r of newRefs) {
    const o = old.get(r.uid);
    if (o === undefined) {
      out.added.push(r);
      continue;
    }
    if (!ownerReferenceEqual(o, r)) out.changed.push({ oldRef: o, newRef: r });
    old.delete(r.uid);
  }
  out.removed.push(...old.values());
  return out;
}

function hasFinalizer(m: ObservedMeta | undefined, f: string): boolean {
  return !!m?.finalizers?.includes(f);
}

/**
 * deletionStartsWithFinalizer: the new state is being deleted with the finalizer, and the old one (if any)
 * was not. On the first observation (old undefined) a waiting object counts as just starting.
 */
export function deletionStartsWithFinalizer(old: ObservedMeta | undefined, cur: ObservedMeta, finalizer: string): boolean {
  if (!cur.deletionTimestamp || !hasFinalizer(cur, finalizer)) return false;
  if (old === undefined) return true;
  return !old.deletionTimestamp || !hasFinalizer(old, finalizer);
}

export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly sink: GraphSink;

  constructor(sink: GraphSink) {
    this.sink = sink;
  }

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  dependentsOf(n: GraphNode): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of n.dependents) {
      const d = this.nodes.get(uid);
      if (d) out.push(d);
    }
    return out;
  }

  /** node.blockingDependents: dependents whose reference to n has blockOwnerDeletion: true. */
  blockingDependents(n: GraphNode): GraphNode[] {
    return this.dependentsOf(n).filter((d) => d.owners.some((o) => o.uid === n.identity.uid && o.blockOwnerDeletion === true));
  }

  /** An add or update from an informer (old: the previous state on an update, undefined on an add). */
  observe(identity: ObjectRef, cur: ObservedMeta, old?: ObservedMeta): void {
    let existing = this.nodes.get(identity.uid);
    if (existing && existing.virtual) {
      // The first real observation of a node known only from references.
      if (!sameRef(identity, existing.identity)) {
        // Dependents that referenced it by other coordinates may be wrong: let attemptToDelete verify them.
        const { nonmatching } = this.partitionDependents(this.dependentsOf(existing), identity);
        for (const dep of nonmatching) {
          if (identity.namespace && dep.identity.namespace !== identity.namespace) this.reportInvalidNamespaceOwnerRef(dep, identity.uid);
          this.sink.attemptToDelete(dep.identity.uid);
        }
        existing.identity = { ...identity };
      }
      existing.virtual = false;
    }
    const owners = cur.ownerReferences ?? [];
    if (!existing) {
      const beingDeleted = !!cur.deletionTimestamp;
      const n: GraphNode = {
        identity: { ...identity },
        owners,
        dependents: new Set(),
        virtual: false,
        beingDeleted,
        deletingDependents: beingDeleted && hasFinalizer(cur, FINALIZER_FOREGROUND_DELETION),
      };
      this.nodes.set(n.identity.uid, n);
      this.addDependentToOwners(n, n.owners);
      this.processTransitions(old, cur, n);
      return;
    }
    const diffs = referencesDiffs(existing.owners, owners);
    if (diffs.added.length || diffs.removed.length || diffs.changed.length) {
      this.addUnblockedOwnersToDeleteQueue(diffs);
      existing.owners = owners;
      this.addDependentToOwners(existing, diffs.added);
      this.removeDependentFromOwners(existing, diffs.removed);
    }
    if (cur.deletionTimestamp) existing.beingDeleted = true;
    this.processTransitions(old, cur, existing);
  }

  /** A delete observed by an informer: the object (by uid) is gone. */
  observeDelete(identity: ObjectRef): void {
    const existing = this.nodes.get(identity.uid);
    if (!existing) return;
    this.removeNodeAndNotify(existing, identity);
  }

  /**
   * A virtual delete: the collector found no live object with this identity (404, or another uid under the
   * name). Dependents that disagree with these coordinates keep the node alive (graph_builder.go).
   */
  virtualDelete(deleted: ObjectRef): void {
    const existing = this.nodes.get(deleted.uid);
    if (!existing) return;
    let remove = true;
    if (existing.virtual) {
      const { matching, nonmatching } = this.partitionDependents(this.dependentsOf(existing), deleted);
      if (nonmatching.length > 0) {
        remove = false;
        if (matching.length > 0) {
          this.sink.absentOwner(deleted);
          for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
        }
        if (sameRef(existing.identity, deleted)) {
          const replacement = getAlternateOwnerIdentity(nonmatching, deleted);
          if (replacement) {
            existing.identity = replacement;
            this.sink.attemptToDelete(existing.identity.uid, { rateLimited: true });
          }
        }
      }
    } else if (!sameRef(existing.identity, deleted)) {
      // An observed node is never removed on a virtual event with other coordinates.
      remove = false;
      const { matching } = this.partitionDependents(this.dependentsOf(existing), deleted);
      if (matching.length > 0) {
        this.sink.absentOwner(deleted);
        for (const dep of matching) this.sink.attemptToDelete(dep.identity.uid);
      }
    }
    if (remove) this.removeNodeAndNotify(existing, deleted);
  }

  private removeNodeAndNotify(n: GraphNode, deleted: ObjectRef): void {
    this.nodes.delete(n.identity.uid);
    this.removeDependentFromOwners(n, n.owners);
    if (n.dependents.size > 0) this.sink.absentOwner(deleted);
    for (const dep of n.dependents) if (this.nodes.has(dep)) this.sink.attemptToDelete(dep);
    for (const o of n.owners) {
      const owner = this.nodes.get(o.uid);
      // An owner waiting for its dependents may now be free to go.
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner.identity.uid);
    }
  }

  /** addDependentToOwners: link n under each owner, creating (and queueing) virtual owners as needed. */
  private addDependentToOwners(n: GraphNode, owners: readonly OwnerReference[]): void {
    let potentiallyInvalid = false;
    for (const ref of owners) {
      let owner = this.nodes.get(ref.uid);
      const known = owner !== undefined;
      if (!owner) {
        owner = {
          identity: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: n.identity.namespace },
          owners: [],
          dependents: new Set(),
          virtual: true,
          beingDeleted: false,
          deletingDependents: false,
        };
        this.nodes.set(ref.uid, owner);
      }
      owner.dependents.add(n.identity.uid);
      if (!known) {
        // The collector verifies the owner with a live GET; a virtual delete follows if it is gone.
        this.sink.attemptToDelete(ref.uid);
      } else if (!potentiallyInvalid) {
        const ownerIsNamespaced = owner.identity.namespace !== '';
        if (ownerIsNamespaced && owner.identity.namespace !== n.identity.namespace) {
          if (!owner.virtual) this.reportInvalidNamespaceOwnerRef(n, ref.uid);
          potentiallyInvalid = true;
        } else if (!ownerReferenceMatchesCoordinates(ref, owner.identity)) {
          potentiallyInvalid = true;
        } else if (!ownerIsNamespaced && owner.identity.namespace !== n.identity.namespace && owner.virtual) {
          potentiallyInvalid = true;
        }
      }
    }
    if (potentiallyInvalid) this.sink.attemptToDelete(n.identity.uid);
  }

  private removeDependentFromOwners(n: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.nodes.get(ref.uid)?.dependents.delete(n.identity.uid);
  }

  /** A blocking reference removed or set non-blocking: its owner may be waiting for exactly that. */
  private addUnblockedOwnersToDeleteQueue(d: ReferenceDiffs): void {
    for (const ref of d.removed) {
      if (ref.blockOwnerDeletion === true && this.nodes.has(ref.uid)) this.sink.attemptToDelete(ref.uid);
    }
    for (const { oldRef, newRef } of d.changed) {
      if (oldRef.blockOwnerDeletion === true && newRef.blockOwnerDeletion !== true && this.nodes.has(newRef.uid)) this.sink.attemptToDelete(newRef.uid);
    }
  }

  private processTransitions(old: ObservedMeta | undefined, cur: ObservedMeta, n: GraphNode): void {
    if (deletionStartsWithFinalizer(old, cur, FINALIZER_ORPHAN)) {
      this.sink.attemptToOrphan(n.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(old, cur, FINALIZER_FOREGROUND_DELETION)) {
      n.deletingDependents = true;
      for (const dep of n.dependents) this.sink.attemptToDelete(dep);
      this.sink.attemptToDelete(n.identity.uid);
    }
  }

  private reportInvalidNamespaceOwnerRef(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((o) => o.uid === ownerUid);
    if (ref) this.sink.invalidNamespaceOwnerRef?.(dependent, ref);
  }

  /**
   * partitionDependents: dependents whose reference to the identity's uid matches all its coordinates, and
   * those with a reference for that uid that does not (a dependent can be in both).
   */
  partitionDependents(dependents: readonly GraphNode[], owner: ObjectRef): { matching: GraphNode[]; nonmatching: GraphNode[] } {
    const matching: GraphNode[] = [];
    const nonmatching: GraphNode[] = [];
    const ownerIsNamespaced = owner.namespace !== '';
    for (const dep of dependents) {
      let match = false;
      let mismatch = false;
      if (ownerIsNamespaced && owner.namespace !== dep.identity.namespace) {
        mismatch = true;
      } else {
        for (const ref of dep.owners) {
          if (ref.uid !== owner.uid) continue;
          if (ownerReferenceMatchesCoordinates(ref, owner)) match = true;
          else mismatch = true;
        }
      }
      if (match) matching.push(dep);
      if (mismatch) nonmatching.push(dep);
    }
    return { matching, nonmatching };
  }
}

function refLess(a: ObjectRef, b: ObjectRef): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.apiVersion !== b.apiVersion) return a.apiVersion < b.apiVersion;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace;
  if (a.name !== b.name) return a.name < b.name;
  return a.uid < b.uid;
}

/**
 * getAlternateOwnerIdentity: another identity the dependents use for the verified-absent uid — the first
 * that sorts after it (kind, apiVersion, namespace, name, uid), else the first overall; undefined if none.
 */
export function getAlternateOwnerIdentity(deps: readonly GraphNode[], absent: ObjectRef): ObjectRef | undefined {
  const clusterScoped = absent.namespace === '';
  const seen = new Set<string>([refKey(absent)]);
  let first: ObjectRef | undefined;
  let firstFollowing: ObjectRef | undefined;
  for (const dep of deps) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (ownerReferenceMatchesCoordinates(ref, absent) && (clusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt: ObjectRef = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: dep.identity.namespace };
      if (clusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      const key = refKey(alt);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!first || refLess(alt, first)) first = alt;
      if (refLess(absent, alt) && (!firstFollowing || refLess(alt, firstFollowing))) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}
