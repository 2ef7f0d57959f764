// The garbage collector (pkg/controller/garbagecollector): watches every resource kubedisco serves
// (RESOURCES, minus events as kube's DefaultIgnoredResources), keeps a dependency graph of ownerReferences
// by uid (graph.ts), and works through two queues of uids:
//  - attemptToDelete: an object whose owners may all be gone (Background cascade), an owner waiting for its
//    dependents (Foreground: deletionTimestamp + finalizer foregroundDeletion), or a virtual owner to verify;
//  - attemptToOrphan: an owner deleted with finalizer orphan, whose references are removed from every
//    dependent before the finalizer goes.
// The graph lags the server, so nothing is deleted on the graph's word alone: the object and each of its
// owners are read live (GET by name, uid compared), and deletes carry uid + resourceVersion preconditions
// (attemptToDeleteItem, isDangling, deleteObject). The decisions themselves are pure (reconcile.ts).

import type { KObject, OwnerReference } from '../../api/meta.ts';
import { apiVersionOf, RESOURCES, type ResourceInfo } from '../../api/resources.ts';
import { isConflict, isNotFound, StatusError } from '../../api/status.ts';
import { FINALIZER_FOREGROUND_DELETION, FINALIZER_ORPHAN } from '../../api/well-known.ts';
import {
  RateLimitingQueue, runWorkers, sleep, unwrapTombstone,
  type DeletedFinalStateUnknown, type HandlerRegistration, type ResourceClient, type SharedInformer,
} from '../../client/index.ts';
import { log } from '../../util/log.ts';
import type { Controller, ControllerContext, ControllerFactory } from '../controller.ts';
import { DependencyGraph, ownerReferencesEqual, refKey, refString, type GraphNode, type ObjectRef, type ObservedMeta } from './graph.ts';
import {
  classifyReferences, decideDeletingDependents, decideDeletion, deleteOwnerRefsMergePatch, deleteOwnerRefsStrategicPatch,
  liveStep, removeFinalizerPatch, skipWithoutLookup, unblockOwnerRefsMergePatch, unblockOwnerRefsStrategicPatch,
  type OwnerLookup, type PropagationPolicy,
} from './reconcile.ts';
import { ReferenceCache } from './reference-cache.ts';

const COMPONENT = 'garbage-collector-controller';

/** garbagecollector.DefaultIgnoredResources: events are never owners worth a graph node. */
export const DEFAULT_IGNORED_RESOURCES: ReadonlySet<string> = new Set(['/events', 'events.k8s.io/events']);

export interface GarbageCollectorOptions {
  /** What to watch (default: RESOURCES without the ignored ones). */
  resources?: readonly ResourceInfo[];
  /** `group/plural` entries left out (default DEFAULT_IGNORED_RESOURCES). */
  ignoredResources?: ReadonlySet<string>;
  /** Size of the absent-owner LRU (kube: 500). */
  absentOwnerCacheSize?: number;
  /** Concurrent writes when orphaning the dependents of one owner. */
  orphanConcurrency?: number;
}

/** The attemptToDelete item was turned into a virtual delete event (enqueuedVirtualDeleteEventErr): forget it. */
class VirtualDeleteEnqueued extends Error {}
/** errNamespacedOwnerOfClusterScopedObject: will not resolve on retry: forget it. */
class NamespacedOwnerOfClusterScopedObject extends Error {
  constructor() { super('cluster-scoped objects cannot refer to namespaced owners'); }
}
/** restMappingError: an owner kind this collector does not know. */
export class RestMappingError extends Error {
  constructor(kind: string, apiVersion: string) {
    const vk = `${apiVersion}/${kind}`;
    super(`unable to get REST mapping for ${vk}.  If ${vk} is an invalid resource, then you should manually remove ownerReferences that refer ${vk} objects.`);
  }
}
/** Requeue (rate-limited) without it being an error worth logging: a virtual node not observed yet. */
class Requeue extends Error {}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function metaOf(o: KObject): ObservedMeta {
  return { ownerReferences: o.metadata.ownerReferences, deletionTimestamp: o.metadata.deletionTimestamp, finalizers: o.metadata.finalizers };
}

async function mapLimit<T>(items: readonly T[], limit: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await f(items[next++]);
  });
  await Promise.all(lanes);
}

export interface GarbageCollectorStats {
  graphNodes: number;
  attemptToDelete: ReturnType<RateLimitingQueue<string>['metrics']>;
  attemptToOrphan: ReturnType<RateLimitingQueue<string>['metrics']>;
  deleted: number;
  orphaned: number;
  finalizersRemoved: number;
  ownerReferencesRemoved: number;
  liveLookups: number;
}

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly graph: DependencyGraph;
  private readonly ctx: ControllerContext;
  private readonly resources: readonly ResourceInfo[];
  private readonly byGroupKind = new Map<string, ResourceInfo>();
  private readonly attemptToDelete = new RateLimitingQueue<string>();
  private readonly attemptToOrphan = new RateLimitingQueue<string>();
  private readonly absentOwnerCache: ReferenceCache;
  private readonly orphanConcurrency: number;
  private readonly registrations: HandlerRegistration[] = [];
  private readonly informers: SharedInformer[] = [];
  private workers: Promise<unknown> | undefined;
  private stopped = false;
  private readonly counters = { deleted: 0, orphaned: 0, finalizersRemoved: 0, ownerReferencesRemoved: 0, liveLookups: 0 };

  constructor(ctx: ControllerContext, opts: GarbageCollectorOptions = {}) {
    this.ctx = ctx;
    const ignored = opts.ignoredResources ?? DEFAULT_IGNORED_RESOURCES;
    this.resources = (opts.resources ?? RESOURCES).filter((r) => !ignored.has(`${r.group}/${r.plural}`));
    // Owner lookups may name any kind served (ignored ones included), by group and kind (any version).
    for (const r of RESOURCES) this.byGroupKind.set(`${r.group}/${r.kind}`, r);
    for (const r of this.resources) this.byGroupKind.set(`${r.group}/${r.kind}`, r);
    this.absentOwnerCache = new ReferenceCache(opts.absentOwnerCacheSize ?? 500);
    this.orphanConcurrency = opts.orphanConcurrency ?? 16;
    const recorder = ctx.recorder(COMPONENT);
    this.graph = new DependencyGraph({
      attemptToDelete: (uid, o) => (o?.rateLimited ? this.attemptToDelete.addRateLimited(uid) : this.attemptToDelete.add(uid)),
      attemptToOrphan: (uid) => this.attemptToOrphan.add(uid),
      absentOwner: (ref) => this.absentOwnerCache.add(refKey(ref)),
      invalidNamespaceOwnerRef: (dep, owner) => {
        const invalid: ObjectRef = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, namespace: dep.identity.namespace };
        recorder.event(
          { apiVersion: dep.identity.apiVersion, kind: dep.identity.kind, metadata: { name: dep.identity.name, namespace: dep.identity.namespace || undefined, uid: dep.identity.uid } },
          'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${refString(invalid)} does not exist in namespace ${JSON.stringify(dep.identity.namespace)}`,
        );
      },
    });
  }

  async run(): Promise<void> {
    // Handlers first, synchronously (the manager starts the informers once every controller registered).
    for (const info of this.resources) {
      const inf = this.ctx.informers.informer(info);
      this.informers.push(inf);
      const identity = (o: KObject): ObjectRef => ({
        apiVersion: apiVersionOf(info), kind: info.kind, name: o.metadata.name ?? '', uid: o.metadata.uid ?? '', namespace: o.metadata.namespace ?? '',
      });
      this.registrations.push(inf.addEventHandler({
        onAdd: (o) => { if (o.metadata.uid) this.graph.observe(identity(o), metaOf(o)); },
        onUpdate: (old, cur) => {
          if (old.metadata.uid !== cur.metadata.uid) {
            // Deleted and recreated under the same name while the watch was down: two objects, not one.
            if (old.metadata.uid) this.graph.observeDelete(identity(old));
            if (cur.metadata.uid) this.graph.observe(identity(cur), metaOf(cur));
            return;
          }
          if (!cur.metadata.uid || old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
          this.graph.observe(identity(cur), metaOf(cur), metaOf(old));
        },
        onDelete: (x: KObject | DeletedFinalStateUnknown<KObject>) => {
          const o = unwrapTombstone(x);
          if (o.metadata.uid) this.graph.observeDelete(identity(o));
        },
      }));
    }
    // The graph must be complete before anything is collected (GraphBuilder.IsSynced).
    await Promise.all(this.informers.map((i) => i.waitForSync()));
    if (this.stopped) return;
    const n = this.ctx.workers ?? 5;
    const onError = (queue: string) => (err: unknown, uid: string, requeues: number) => {
      if (err instanceof Requeue) return;
      const node = this.graph.get(uid);
      log(requeues > 3 ? 'warn' : 'info', 'garbagecollector', `${queue} failed; retrying`, {
        item: node ? refString(node.identity) : uid, requeues, error: (err as Error)?.message ?? String(err),
      });
    };
    this.workers = Promise.all([
      runWorkers(this.attemptToDelete, n, (uid) => this.processAttemptToDelete(uid), { onError: onError('attemptToDelete') }),
      runWorkers(this.attemptToOrphan, n, (uid) => this.processAttemptToOrphan(uid), { onError: onError('attemptToOrphan') }),
    ]);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const r of this.registrations) r.remove();
    this.attemptToDelete.shutDown();
    this.attemptToOrphan.shutDown();
    await this.workers;
  }

  stats(): GarbageCollectorStats {
    return { graphNodes: this.graph.size, attemptToDelete: this.attemptToDelete.metrics(), attemptToOrphan: this.attemptToOrphan.metrics(), ...this.counters };
  }

  // ----------------------------------------------------------------------------------------------
  // attemptToDelete

  /** attemptToDeleteWorker for one uid. */
  private async processAttemptToDelete(uid: string): Promise<void> {
    if (this.stopped) return;
    const n = this.graph.get(uid);
    if (!n) return; // deleted from the graph meanwhile
    try {
      await this.attemptToDeleteItem(n);
    } catch (e) {
      if (e instanceof VirtualDeleteEnqueued || e instanceof NamespacedOwnerOfClusterScopedObject) return;
      throw e;
    }
    // A virtual node that exists is polled until an informer shows it (kube issue 56121).
    if (n.virtual && this.graph.get(uid) === n) throw new Requeue('item has not been observed via an informer yet');
  }

  private async attemptToDeleteItem(n: GraphNode): Promise<void> {
    if (skipWithoutLookup(n)) return;
    const live = await this.getObject(n.identity);
    const step = liveStep({ uid: n.identity.uid, deletingDependents: n.deletingDependents }, live);
    if (step === 'virtualDelete') {
      this.graph.virtualDelete(n.identity);
      throw new VirtualDeleteEnqueued();
    }
    if (step === 'processDeletingDependents') return this.processDeletingDependents(n);
    if (step === 'noOwners') return;
    const obj = live!;
    const refs = obj.metadata.ownerReferences ?? [];
    const lookups: OwnerLookup[] = [];
    for (const ref of refs) lookups.push(await this.lookupOwner(ref, n));
    const c = classifyReferences(refs, lookups);
    const d = decideDeletion(obj, c, this.graph.dependentsOf(n));
    if (d.action === 'keep') return;
    if (d.action === 'removeOwnerReferences') {
      await this.patch(n, deleteOwnerRefsStrategicPatch(n.identity.uid, d.uids), (l) => deleteOwnerRefsMergePatch(l, d.uids));
      this.counters.ownerReferencesRemoved += d.uids.length;
      return;
    }
    if (d.unblockFirst) {
      const smp = unblockOwnerRefsStrategicPatch(n.identity.uid, n.owners);
      if (smp) await this.patch(n, smp, (l) => unblockOwnerRefsMergePatch(l, n.owners));
    }
    try {
      await this.deleteObject(n.identity, obj.metadata.resourceVersion ?? '', obj.metadata.ownerReferences, d.policy);
      this.counters.deleted++;
    } catch (e) {
      if (isNotFound(e)) {
        this.graph.virtualDelete(n.identity);
        throw new VirtualDeleteEnqueued();
      }
      throw e;
    }
  }

  /** processDeletingDependentsItem: remove foregroundDeletion once no blocking dependent is left. */
  private async processDeletingDependents(n: GraphNode): Promise<void> {
    const blocking = this.graph.blockingDependents(n).map((d) => ({ uid: d.identity.uid, deletingDependents: d.deletingDependents }));
    const d = decideDeletingDependents(blocking);
    if (d.action === 'removeFinalizer') return this.removeFinalizer(n, FINALIZER_FOREGROUND_DELETION);
    for (const uid of d.uids) this.attemptToDelete.add(uid);
  }

  // ----------------------------------------------------------------------------------------------
  // attemptToOrphan

  private async processAttemptToOrphan(uid: string): Promise<void> {
    if (this.stopped) return;
    const owner = this.graph.get(uid);
    if (!owner) return;
    const dependents = this.graph.dependentsOf(owner);
    const errors: string[] = [];
    await mapLimit(dependents, this.orphanConcurrency, async (dep) => {
      try {
        await this.patch(dep, deleteOwnerRefsStrategicPatch(dep.identity.uid, [uid]), (l) => deleteOwnerRefsMergePatch(l, [uid]));
        this.counters.orphaned++;
      } catch (e) {
        // A strategic merge patch deleting an absent reference is a no-op; a vanished dependent is fine too.
        if (!isNotFound(e)) errors.push(`orphaning ${refString(dep.identity)} failed, ${(e as Error).message}`);
      }
    });
    if (errors.length) {
      throw new Error(`failed to orphan dependents of owner ${refString(owner.identity)}, got errors: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
    }
    await this.removeFinalizer(owner, FINALIZER_ORPHAN);
  }

  // ----------------------------------------------------------------------------------------------
  // API access (operations.go)

  private resourceFor(apiVersion: string, kind: string): ResourceInfo {
    const info = this.byGroupKind.get(`${groupOf(apiVersion)}/${kind}`);
    if (!info) throw new RestMappingError(kind, apiVersion);
    return info;
  }

  /** The client for an identity (namespace cleared for cluster-scoped kinds; resourceDefaultNamespace). */
  private clientFor(r: ObjectRef): ResourceClient {
    const info = this.resourceFor(r.apiVersion, r.kind);
    if (info.namespaced && !r.namespace) throw new NamespacedOwnerOfClusterScopedObject();
    return this.ctx.rest.resource(info, info.namespaced ? r.namespace : '');
  }

  /** getObject: the live object, undefined on 404. */
  private async getObject(r: ObjectRef): Promise<KObject | undefined> {
    const client = this.clientFor(r);
    this.counters.liveLookups++;
    try {
      return await client.get(r.name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** isDangling: absent (cached, 404, or another uid under the name) or present with its deletion state. */
  private async lookupOwner(ref: OwnerReference, item: GraphNode): Promise<OwnerLookup> {
    const coords = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid };
    const clusterKey = refKey({ ...coords, namespace: '' });
    const namespacedKey = refKey({ ...coords, namespace: item.identity.namespace });
    if (this.absentOwnerCache.has(clusterKey) || this.absentOwnerCache.has(namespacedKey)) return { state: 'absent' };
    const info = this.resourceFor(ref.apiVersion, ref.kind);
    const key = info.namespaced ? namespacedKey : clusterKey;
    if (!item.identity.namespace && info.namespaced) {
      log('info', 'garbagecollector', 'item is cluster-scoped, but refers to a namespaced owner', { item: refString(item.identity), owner: ref.name });
      throw new NamespacedOwnerOfClusterScopedObject();
    }
    this.counters.liveLookups++;
    let owner: KObject;
    try {
      owner = await this.ctx.rest.resource(info, info.namespaced ? item.identity.namespace : '').get(ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.absentOwnerCache.add(key);
      return { state: 'absent' };
    }
    if (owner.metadata.uid !== ref.uid) {
      this.absentOwnerCache.add(key);
      return { state: 'absent' };
    }
    return { state: 'present', deletionTimestamp: owner.metadata.deletionTimestamp, finalizers: owner.metadata.finalizers };
  }

  /**
   * deleteObject: preconditions uid and resourceVersion (the owner references the decision was based on).
   * On a conflict where only the resourceVersion moved and the references are the same, retry with the uid alone.
   */
  private async deleteObject(r: ObjectRef, resourceVersion: string, ownersAtResourceVersion: OwnerReference[] | undefined, policy: PropagationPolicy): Promise<void> {
    const client = this.clientFor(r);
    try {
      await client.delete(r.name, { preconditions: resourceVersion ? { uid: r.uid, resourceVersion } : { uid: r.uid }, propagationPolicy: policy });
    } catch (e) {
      if (!isConflict(e) || !resourceVersion) throw e;
      let live: KObject;
      try {
        live = await client.get(r.name);
      } catch (g) {
        throw isNotFound(g) ? g : e;
      }
      if (live.metadata.uid === r.uid && live.metadata.resourceVersion !== resourceVersion && ownerReferencesEqual(live.metadata.ownerReferences, ownersAtResourceVersion)) {
        return this.deleteObject(r, '', undefined, policy);
      }
      throw e;
    }
  }

  /** gc.patch: strategic merge patch; JSON merge patch (from a fresh read) where the server does not support it. */
  private async patch(n: GraphNode, smp: object, jmp: (live: KObject) => object): Promise<void> {
    const client = this.clientFor(n.identity);
    try {
      await client.patch(n.identity.name, 'strategic', smp);
    } catch (e) {
      if (!(e instanceof StatusError && (e.reason === 'UnsupportedMediaType' || e.code === 415))) throw e;
      const live = await client.get(n.identity.name);
      if (live.metadata.uid !== n.identity.uid) throw new StatusError(404, 'NotFound', `${refString(n.identity)} not found`);
      await client.patch(n.identity.name, 'merge', jmp(live));
    }
  }

  /** removeFinalizer: read, drop the finalizer, merge-patch at that resourceVersion; retried on conflict (retry.DefaultBackoff). */
  private async removeFinalizer(n: GraphNode, finalizer: string): Promise<void> {
    const client = this.clientFor(n.identity);
    for (let attempt = 0; ; attempt++) {
      const live = await this.getObject(n.identity);
      if (!live || live.metadata.uid !== n.identity.uid) return;
      const p = removeFinalizerPatch(live, finalizer);
      if (!p) return;
      try {
        await client.patch(n.identity.name, 'merge', p);
        this.counters.finalizersRemoved++;
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        if (attempt >= 4) throw new Error(`updateMaxRetries(5) has reached. The garbage collector will retry later for owner ${refString(n.identity)}`);
        await sleep(this.ctx.clock, 10 * (0.9 + Math.random() * 0.2));
      }
    }
  }
}

export function newGarbageCollector(ctx: ControllerContext, opts: GarbageCollectorOptions = {}): GarbageCollector {
  return new GarbageCollector(ctx, opts);
}

export const garbageCollector: ControllerFactory = (ctx) => new GarbageCollector(ctx);
