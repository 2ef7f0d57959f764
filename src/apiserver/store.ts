// The generic registry store (k8s.io/apiserver/pkg/registry/generic/registry/store.go): every verb for
// every resource, on top of a storage Backend and one Strategy per resource. It owns what all kinds
// share: keys, metadata (uid, timestamps, resourceVersion, generation, generateName), optimistic
// concurrency, namespace lifecycle, graceful deletion and finalizers, the status and scale
// subresources, dry runs and warnings. Kind-specific rules live in registry/.

import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DeleteOptions, KObject } from '../api/meta.ts';
import { apiVersionOf, groupKind, groupResource, RESOURCES, type ResourceInfo } from '../api/resources.ts';
import {
  alreadyExists, badRequest, conflict, expired, field, forbidden, internalError, invalid, notFound,
  OPTIMISTIC_LOCK_MESSAGE, StatusError, type FieldError,
} from '../api/status.ts';
import {
  BackendFailedError, CompactedError, KeyExistsError, NotFoundError, RevisionMismatchError,
  type Backend, type KeyValue, type Watcher,
} from '../storage/backend.ts';
import { NO_ALLOCATION, type Allocation, type Strategy } from './registry/strategy.ts';
import { keepAllButStatus } from './registry/generic.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './registry/meta.ts';
import { recordUpdateManagedFields } from './patch/index.ts';

/** Namespaces the API server keeps alive (systemnamespaces controller); the first three may not be deleted. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** Kinds whose metadata.generation kube-apiserver maintains (1 on create, +1 per spec change). */
const GENERATION_KINDS = new Set(['statefulsets.apps', 'deployments.apps', 'replicasets.apps', 'endpointslices.discovery.k8s.io']);
/** Kinds whose strategy has AllowCreateOnUpdate (a PUT of a missing object creates it). */
const CREATE_ON_UPDATE = new Set(['services', 'endpoints', 'events', 'leases.coordination.k8s.io']);

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export interface WriteOptions {
  dryRun?: boolean;
  /** The field manager recorded in metadata.managedFields for this write (operation Update). */
  fieldManager?: string;
  /** The object's managedFields were already computed by server-side apply: record nothing more. */
  applied?: boolean;
}

export interface ListOptions {
  /** Filters are applied by the caller-provided predicate (label/field selectors). */
  predicate?: (obj: KObject) => boolean;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

/** main: PUT/PATCH of the object; status: …/status; finalize: namespaces/…/finalize; binding: pods/…/binding. */
export type UpdateMode = 'main' | 'status' | 'finalize' | 'binding';

export interface WriteResult {
  object: KObject;
  warnings: string[];
  /** True when the object was created (201), false when updated or unchanged (200). */
  created: boolean;
}

export interface DeleteResult {
  object: KObject;
  /** True when the object is gone; false when only marked (graceful deletion, finalizers): HTTP 202. */
  deleted: boolean;
}

/** A function that turns an existing object into its desired new state (used by PATCH and scale). */
export type Mutator = (current: KObject) => KObject;

interface CachedObject { rev: number; obj: KObject }

/** A 409 caused by another writer winning the race in storage: safe to retry a read-modify-write. */
export class StaleWriteError extends StatusError {}

interface ContinueToken { v: 1; rv: number; start: string; snap: string }

export class Store {
  readonly backend: Backend;
  private readonly strategies: Map<string, Strategy>;
  private readonly now: () => number;
  private readonly decoded = new Map<string, CachedObject>();
  private readonly snapshots = new Map<string, { items: KObject[]; rv: number; created: number }>();

  constructor(backend: Backend, strategies: Map<string, Strategy>, now: () => number = Date.now) {
    this.backend = backend;
    this.strategies = strategies;
    this.now = now;
  }

  /** Lets every strategy rebuild derived state (allocators) from what is stored. */
  async init(): Promise<void> {
    for (const info of RESOURCES) {
      const s = this.strategy(info);
      if (!s.init) continue;
      const { items } = await this.list(info, '', {});
      s.init(items);
    }
  }

  strategy(info: ResourceInfo): Strategy {
    const s = this.strategies.get(groupResource(info));
    if (!s) throw internalError(`no strategy registered for ${groupResource(info)}`);
    return s;
  }

  // ----------------------------------------------------------------------------------------------
  // Keys and decoding.

  keyFor(info: ResourceInfo, namespace: string, name: string): string {
    return info.namespaced ? `/registry/${groupResource(info)}/${namespace}/${name}` : `/registry/${groupResource(info)}/${name}`;
  }

  prefixFor(info: ResourceInfo, namespace: string): string {
    return info.namespaced && namespace ? `/registry/${groupResource(info)}/${namespace}/` : `/registry/${groupResource(info)}/`;
  }

  /**
   * Decodes a stored value. The result is shared and must be treated as read-only; callers that
   * change an object work on structuredClone(obj).
   */
  decode(info: ResourceInfo, kv: KeyValue): KObject {
    const hit = this.decoded.get(kv.key);
    if (hit && hit.rev === kv.modRevision) return hit.obj;
    const obj = JSON.parse(kv.value) as KObject;
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata.resourceVersion = String(kv.modRevision);
    this.decoded.set(kv.key, { rev: kv.modRevision, obj });
    return obj;
  }

  private encode(obj: KObject): string {
    const { resourceVersion: _rv, ...metadata } = obj.metadata;
    return JSON.stringify({ ...obj, metadata });
  }

  private forget(key: string): void { this.decoded.delete(key); }

  // ----------------------------------------------------------------------------------------------
  // Reads.

  async getKV(info: ResourceInfo, namespace: string, name: string): Promise<{ kv: KeyValue; obj: KObject }> {
    const kv = await this.backend.get(this.keyFor(info, namespace, name));
    if (!kv) throw notFound(info.plural, name, info.group);
    return { kv, obj: this.decode(info, kv) };
  }

  /** Returns a private copy the caller may change. */
  async get(info: ResourceInfo, namespace: string, name: string): Promise<KObject> {
    return structuredClone((await this.getKV(info, namespace, name)).obj);
  }

  /**
   * Lists objects (read-only, shared). With a limit, pages are cut from a snapshot taken at the first
   * page, so every page of one list reflects the same resourceVersion, as etcd-backed lists do.
   */
  async list(info: ResourceInfo, namespace: string, opts: ListOptions): Promise<ListResult> {
    let all: KObject[];
    let rv: number;
    let start = '';
    let snapId = '';
    if (opts.continueToken) {
      const tok = decodeContinue(opts.continueToken);
      const snap = this.snapshots.get(tok.snap);
      if (!snap) {
        throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      all = snap.items;
      rv = snap.rv;
      start = tok.start;
      snapId = tok.snap;
    } else {
      const res = await this.backend.list(this.prefixFor(info, namespace));
      rv = res.revision;
      all = [];
      for (const kv of res.items) {
        const obj = this.decode(info, kv);
        if (!opts.predicate || opts.predicate(obj)) all.push(obj);
      }
    }
    if (!opts.limit || opts.limit <= 0) return { items: start ? all.filter((o) => keyName(o) > start) : all, resourceVersion: String(rv) };
    const from = start ? all.findIndex((o) => keyName(o) > start) : 0;
    const items = from < 0 ? [] : all.slice(from, from + opts.limit);
    const remaining = from < 0 ? 0 : all.length - (from + items.length);
    if (remaining <= 0) return { items, resourceVersion: String(rv) };
    if (!snapId) {
      snapId = randomUUID();
      this.rememberSnapshot(snapId, all, rv);
    }
    const token: ContinueToken = { v: 1, rv, start: keyName(items[items.length - 1]), snap: snapId };
    return { items, resourceVersion: String(rv), continueToken: Buffer.from(JSON.stringify(token)).toString('base64url'), remainingItemCount: remaining };
  }

  private rememberSnapshot(id: string, items: KObject[], rv: number): void {
    const now = this.now();
    for (const [k, s] of this.snapshots) if (now - s.created > 5 * 60_000 || this.snapshots.size > 64) this.snapshots.delete(k);
    this.snapshots.set(id, { items, rv, created: now });
  }

  // ----------------------------------------------------------------------------------------------
  // Create.

  async create(info: ResourceInfo, namespace: string, input: KObject, opts: WriteOptions = {}): Promise<WriteResult> {
    const strategy = this.strategy(info);
    const obj = structuredClone(input);
    this.checkTypeMeta(info, obj);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata ??= {};
    const meta = obj.metadata;
    if (info.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      meta.namespace = namespace || meta.namespace;
    } else if (meta.namespace) {
      delete meta.namespace; // kube clears namespace on cluster-scoped objects
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (info.namespaced && meta.namespace) await this.checkNamespaceAcceptsCreate(info, meta.namespace, meta.name ?? meta.generateName ?? '');

    const now = new Date(this.now());
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (GENERATION_KINDS.has(groupResource(info))) meta.generation = 1;
    else delete meta.generation;

    normalizeMetadata(obj);
    strategy.defaults(obj);
    const generate = !meta.name && !!meta.generateName;
    if (generate) meta.name = meta.generateName + randomSuffix();

    const allocation = strategy.beginCreate?.(obj) ?? NO_ALLOCATION;
    try {
      strategy.prepareForCreate(obj);
      const errs = [...validateObjectMeta(obj, info, true), ...strategy.validate(obj)];
      if (errs.length) throw invalid(info.kind, info.group, meta.name ?? '', errs);
      const warnings = strategy.warnings?.(obj) ?? [];
      this.recordManager(undefined, obj, opts, '');
      if (opts.dryRun) {
        allocation.revert();
        return { object: obj, warnings, created: true };
      }
      // generateName: retry a few times on a name collision (RetryGenerateName, GA in 1.32).
      for (let attempt = 0; ; attempt++) {
        try {
          const rev = await this.backend.create(this.keyFor(info, meta.namespace ?? '', meta.name!), this.encode(obj));
          allocation.commit();
          meta.resourceVersion = String(rev);
          return { object: obj, warnings, created: true };
        } catch (e) {
          if (e instanceof KeyExistsError && generate && attempt < 7) { meta.name = meta.generateName + randomSuffix(); continue; }
          throw e;
        }
      }
    } catch (e) {
      allocation.revert();
      throw this.mapStorageError(info, meta.name ?? '', e);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Update (PUT) and read-modify-write (PATCH, scale, finalize).

  /**
   * PUT semantics: the body replaces the object. A non-empty metadata.resourceVersion is a
   * precondition (409 Conflict when stale). A missing object is created for kinds that allow it.
   */
  async update(info: ResourceInfo, namespace: string, name: string, input: KObject, mode: UpdateMode, opts: WriteOptions = {}): Promise<WriteResult> {
    const obj = structuredClone(input);
    this.checkTypeMeta(info, obj);
    obj.metadata ??= {};
    if (obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    if (info.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    obj.metadata.name = name;
    let current: { kv: KeyValue; obj: KObject };
    try {
      current = await this.getKV(info, namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.reason === 'NotFound' && mode === 'main' && CREATE_ON_UPDATE.has(groupResource(info))) {
        delete obj.metadata.resourceVersion;
        return this.create(info, namespace, obj, opts);
      }
      throw e;
    }
    const precondition = obj.metadata.resourceVersion;
    if (precondition && precondition !== String(current.kv.modRevision)) throw conflict(info.plural, name, OPTIMISTIC_LOCK_MESSAGE, info.group);
    return this.writeUpdate(info, current, obj, mode, opts);
  }

  /**
   * Applies mutate to the current object and stores the result, retrying when another writer got
   * there first (as kube's patch handler does). mutate must not change its argument's identity fields.
   */
  async modify(info: ResourceInfo, namespace: string, name: string, mutate: Mutator, mode: UpdateMode, opts: WriteOptions = {}): Promise<WriteResult> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getKV(info, namespace, name);
      const next = mutate(structuredClone(current.obj));
      next.metadata ??= {};
      const rv = next.metadata.resourceVersion;
      if (rv && rv !== String(current.kv.modRevision)) throw conflict(info.plural, name, OPTIMISTIC_LOCK_MESSAGE, info.group);
      if (next.metadata.name !== undefined && next.metadata.name !== name) throw badRequest(`metadata.name: Invalid value: ${JSON.stringify(next.metadata.name)}: field is immutable`);
      try {
        return await this.writeUpdate(info, current, next, mode, opts);
      } catch (e) {
        if (e instanceof StaleWriteError && !rv && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async writeUpdate(info: ResourceInfo, current: { kv: KeyValue; obj: KObject }, input: KObject, mode: UpdateMode, opts: WriteOptions): Promise<WriteResult> {
    const strategy = this.strategy(info);
    const old = current.obj;
    const name = old.metadata.name!;
    // namespaces/{name}/finalize changes spec.finalizers and nothing else: start from the stored object.
    const obj = mode === 'finalize' ? withFinalizers(old, input.spec?.finalizers) : input;
    normalizeMetadata(obj);
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    const meta = obj.metadata;
    // Server-owned metadata always comes from the stored object.
    meta.name = old.metadata.name;
    if (info.namespaced) meta.namespace = old.metadata.namespace;
    else delete meta.namespace;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    if (meta.uid && meta.uid !== old.metadata.uid) {
      throw conflict(info.plural, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.metadata.uid}`, info.group);
    }
    meta.uid = old.metadata.uid;
    copyOrDelete(meta, old.metadata, 'deletionTimestamp');
    copyOrDelete(meta, old.metadata, 'deletionGracePeriodSeconds');
    copyOrDelete(meta, old.metadata, 'generation');
    if (!meta.managedFields && old.metadata.managedFields) meta.managedFields = old.metadata.managedFields;

    let allocation: Allocation = NO_ALLOCATION;
    let errs: FieldError[];
    if (mode === 'status') {
      if (strategy.prepareForStatusUpdate) strategy.prepareForStatusUpdate(obj, old);
      else keepAllButStatus(obj, old);
      errs = [...validateObjectMetaUpdate(obj, old, info), ...(strategy.validateStatusUpdate?.(obj, old) ?? [])];
    } else if (mode === 'binding') {
      // pods/binding may set spec.nodeName, which a pod update may not (pod spec is immutable).
      errs = validateObjectMetaUpdate(obj, old, info);
    } else if (mode === 'finalize') {
      errs = validateFinalizers(obj);
    } else {
      strategy.defaults(obj);
      allocation = strategy.beginUpdate?.(obj, old) ?? NO_ALLOCATION;
      strategy.prepareForUpdate(obj, old);
      if (GENERATION_KINDS.has(groupResource(info))) {
        const changed = strategy.specChanged ? strategy.specChanged(obj, old) : !isDeepStrictEqual(obj.spec, old.spec);
        meta.generation = (old.metadata.generation ?? 1) + (changed ? 1 : 0);
      }
      errs = [...validateObjectMetaUpdate(obj, old, info), ...strategy.validateUpdate(obj, old)];
    }
    try {
      if (errs.length) throw invalid(info.kind, info.group, name, errs);
      const warnings = mode === 'main' ? strategy.warnings?.(obj, old) ?? [] : [];
      meta.resourceVersion = old.metadata.resourceVersion;
      if (isDeepStrictEqual(withoutVolatile(obj), withoutVolatile(old))) {
        // A no-op update writes nothing and keeps the resourceVersion (kube's store does the same).
        allocation.revert();
        return { object: structuredClone(old), warnings, created: false };
      }
      this.recordManager(old, obj, opts, mode === 'status' ? 'status' : '');
      if (opts.dryRun) {
        allocation.revert();
        return { object: obj, warnings, created: false };
      }
      const key = this.keyFor(info, old.metadata.namespace ?? '', name);
      // An object being deleted whose last finalizer was just removed is deleted by this update.
      if (meta.deletionTimestamp && !(meta.finalizers?.length) && (meta.deletionGracePeriodSeconds ?? 0) === 0 && !pendingNamespaceFinalizers(info, obj)) {
        const rev = await this.backend.delete(key, current.kv.modRevision);
        allocation.commit();
        strategy.afterDelete?.(obj);
        this.forget(key);
        meta.resourceVersion = String(rev);
        return { object: obj, warnings, created: false };
      }
      const rev = await this.backend.update(key, this.encode(obj), current.kv.modRevision);
      allocation.commit();
      meta.resourceVersion = String(rev);
      return { object: obj, warnings, created: false };
    } catch (e) {
      allocation.revert();
      throw this.mapStorageError(info, name, e);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Delete.

  async delete(info: ResourceInfo, namespace: string, name: string, options: DeleteOptions = {}, opts: WriteOptions = {}): Promise<DeleteResult> {
    const policy = resolvePropagation(info, options, this.strategy(info));
    for (let attempt = 0; ; attempt++) {
      const current = await this.getKV(info, namespace, name);
      try {
        return await this.deleteOnce(info, current, options, policy, opts);
      } catch (e) {
        if (e instanceof StaleWriteError && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async deleteOnce(info: ResourceInfo, current: { kv: KeyValue; obj: KObject }, options: DeleteOptions, policy: string, opts: WriteOptions): Promise<DeleteResult> {
    const strategy = this.strategy(info);
    const old = current.obj;
    const name = old.metadata.name!;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid) {
      throw conflict(info.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`, info.group);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(info.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`, info.group);
    }
    const key = this.keyFor(info, old.metadata.namespace ?? '', name);
    const obj = structuredClone(old);
    const meta = obj.metadata;
    const nowIso = rfc3339(new Date(this.now()));

    if (info.plural === 'namespaces') {
      // pkg/registry/core/namespace/storage/storage.go: first delete marks Terminating.
      if (IMMORTAL_NAMESPACES.has(name)) throw forbidden('namespaces', name, 'this namespace may not be deleted');
      if (meta.deletionTimestamp && (obj.spec?.finalizers?.length ?? 0) > 0) {
        throw conflict('namespaces', name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
      }
      if (!meta.deletionTimestamp) {
        meta.deletionTimestamp = nowIso;
        meta.deletionGracePeriodSeconds = 0;
        obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
        addPolicyFinalizer(meta, policy);
        if (opts.dryRun) return { object: obj, deleted: false };
        const rev = await this.writeRaw(info, key, obj, current.kv.modRevision);
        meta.resourceVersion = String(rev);
        return { object: obj, deleted: false };
      }
    }

    let grace = 0;
    if (info.plural === 'pods') grace = podGracePeriod(obj, options);
    const hadTimestamp = !!meta.deletionTimestamp;
    if (hadTimestamp) {
      // Already being deleted: only a shorter grace period changes anything (CheckGracefulDelete).
      const remaining = meta.deletionGracePeriodSeconds ?? 0;
      if (info.plural === 'pods' && grace < remaining) {
        meta.deletionGracePeriodSeconds = grace;
        meta.deletionTimestamp = rfc3339(new Date(this.now() + grace * 1000));
      } else if (!(info.plural === 'pods' && remaining > 0 && grace === 0)) {
        return { object: structuredClone(old), deleted: false };
      }
    } else {
      if (grace > 0) {
        meta.deletionTimestamp = rfc3339(new Date(this.now() + grace * 1000));
        meta.deletionGracePeriodSeconds = grace;
      }
      addPolicyFinalizer(meta, policy);
    }
    const mustWait = (meta.finalizers?.length ?? 0) > 0 || (meta.deletionGracePeriodSeconds ?? 0) > 0;
    if (mustWait) {
      if (!meta.deletionTimestamp) { meta.deletionTimestamp = nowIso; meta.deletionGracePeriodSeconds = 0; }
      if (opts.dryRun) return { object: obj, deleted: false };
      const rev = await this.writeRaw(info, key, obj, current.kv.modRevision);
      meta.resourceVersion = String(rev);
      return { object: obj, deleted: false };
    }
    if (opts.dryRun) return { object: obj, deleted: true };
    try {
      const rev = await this.backend.delete(key, current.kv.modRevision);
      this.forget(key);
      strategy.afterDelete?.(old);
      meta.resourceVersion = String(rev);
      return { object: obj, deleted: true };
    } catch (e) {
      throw this.mapStorageError(info, name, e);
    }
  }

  /** Records operation Update ownership of the changed fields (kube's fieldmanager runs on every write). */
  private recordManager(old: KObject | undefined, obj: KObject, opts: WriteOptions, subresource: string): void {
    if (opts.applied || !opts.fieldManager) return;
    recordUpdateManagedFields(old, obj, opts.fieldManager, rfc3339(new Date(this.now())), subresource || undefined);
  }

  private async writeRaw(info: ResourceInfo, key: string, obj: KObject, expected: number): Promise<number> {
    try {
      return await this.backend.update(key, this.encode(obj), expected);
    } catch (e) {
      throw this.mapStorageError(info, obj.metadata.name ?? '', e);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Watch.

  /** Starts a storage watch; see apiserver/watch.ts for the HTTP side. */
  watchRaw(info: ResourceInfo, namespace: string, fromRevision: number, onEvent: (ev: StoreEvent) => boolean, onClose: (reason: 'slow' | 'closed') => void): Watcher {
    try {
      return this.backend.watch(this.prefixFor(info, namespace), fromRevision, {
        onEvent: (ev) => {
          const obj = ev.type === 'DELETE' ? this.decodeDeleted(info, ev.kv) : this.decode(info, ev.kv);
          const prev = ev.prevKv ? this.decodeUncached(info, ev.prevKv) : undefined;
          // Returning false pauses the storage watcher until the caller resumes it (backpressure).
          return onEvent({ type: ev.type === 'DELETE' ? 'DELETED' : ev.prevKv ? 'MODIFIED' : 'ADDED', object: obj, previous: prev });
        },
        onClose,
      });
    } catch (e) {
      if (e instanceof CompactedError) throw expired(`too old resource version: ${fromRevision} (${e.compacted})`);
      throw e;
    }
  }

  private decodeUncached(info: ResourceInfo, kv: KeyValue): KObject {
    const obj = JSON.parse(kv.value) as KObject;
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  private decodeDeleted(info: ResourceInfo, kv: KeyValue): KObject {
    this.forget(kv.key);
    return this.decodeUncached(info, kv);
  }

  // ----------------------------------------------------------------------------------------------
  // Helpers.

  private checkTypeMeta(info: ResourceInfo, obj: KObject): void {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest(`the body of the request must be a ${info.kind} object`);
    const want = apiVersionOf(info);
    if (obj.apiVersion && obj.apiVersion !== want) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    }
    if (obj.kind && obj.kind !== info.kind) throw badRequest(`${obj.kind} in version "${info.version}" cannot be handled as a ${info.kind}: the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
    if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
      throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: json: cannot unmarshal ${Array.isArray(obj.metadata) ? 'array' : typeof obj.metadata} into Go struct field ${info.kind}.metadata of type v1.ObjectMeta`);
    }
  }

  private async checkNamespaceAcceptsCreate(info: ResourceInfo, namespace: string, name: string): Promise<void> {
    const kv = await this.backend.get(`/registry/namespaces/${namespace}`);
    if (!kv) throw notFound('namespaces', namespace);
    const ns = JSON.parse(kv.value) as KObject;
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
      throw forbidden(info.plural, name, `unable to create new content in namespace ${namespace} because it is being terminated`, info.group,
        [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }]);
    }
  }

  mapStorageError(info: ResourceInfo, name: string, e: unknown): unknown {
    if (e instanceof KeyExistsError) return alreadyExists(info.plural, name, info.group);
    if (e instanceof NotFoundError) return notFound(info.plural, name, info.group);
    if (e instanceof RevisionMismatchError) {
      const c = conflict(info.plural, name, OPTIMISTIC_LOCK_MESSAGE, info.group);
      return new StaleWriteError(c.code, c.reason, c.message, c.details);
    }
    if (e instanceof BackendFailedError) return internalError(`storage failed: ${e.message}`);
    return e;
  }
}

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
  /** The object before this event (absent for ADDED). */
  previous?: KObject;
}

function keyName(o: KObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name ?? '';
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 1 || typeof t.start !== 'string' || typeof t.snap !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
  return s;
}

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function copyOrDelete<T extends object>(to: T, from: T, k: keyof T): void {
  if (from[k] === undefined) delete to[k];
  else to[k] = from[k];
}


function withoutVolatile(o: KObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

/** The stored Namespace with only spec.finalizers replaced (what PUT namespaces/{name}/finalize may change). */
function withFinalizers(old: KObject, finalizers: unknown): KObject {
  const next = structuredClone(old);
  next.spec = { ...(next.spec ?? {}) };
  // NamespaceSpec.finalizers is omitempty too.
  if (finalizers === undefined || finalizers === null || (Array.isArray(finalizers) && finalizers.length === 0)) delete next.spec.finalizers;
  else next.spec.finalizers = finalizers;
  return next;
}

/**
 * ObjectMeta's collections are `omitempty` in Go: an empty list or map written by a client (a patch that
 * removed the last label, owner or finalizer) is stored as absent, as kube-apiserver stores it.
 */
function normalizeMetadata(obj: KObject): void {
  const m = obj.metadata as Record<string, unknown>;
  for (const k of ['labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']) {
    const v = m[k];
    if (v === null || (Array.isArray(v) && v.length === 0) || (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) delete m[k];
  }
}

function validateFinalizers(obj: KObject): FieldError[] {
  const f = obj.spec?.finalizers;
  if (f !== undefined && (!Array.isArray(f) || f.some((x) => typeof x !== 'string'))) return [field.invalid('spec.finalizers', f, 'must be a list of strings')];
  return [];
}

function pendingNamespaceFinalizers(info: ResourceInfo, obj: KObject): boolean {
  return info.plural === 'namespaces' && (obj.spec?.finalizers?.length ?? 0) > 0;
}

/** DeleteOptions → the propagation policy in force (semantics §8). */
function resolvePropagation(info: ResourceInfo, o: DeleteOptions, strategy: Strategy): string {
  if (o.propagationPolicy !== undefined && o.orphanDependents !== undefined) {
    throw invalid('DeleteOptions', '', '', [field.invalid('propagationPolicy', o.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set')]);
  }
  if (o.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(o.propagationPolicy)) {
    throw invalid('DeleteOptions', '', '', [field.notSupported('propagationPolicy', o.propagationPolicy, ['Foreground', 'Background', 'Orphan', 'nil'])]);
  }
  if (o.gracePeriodSeconds !== undefined && (typeof o.gracePeriodSeconds !== 'number' || !Number.isInteger(o.gracePeriodSeconds))) {
    throw badRequest('gracePeriodSeconds must be an integer');
  }
  if (o.propagationPolicy) return o.propagationPolicy;
  if (o.orphanDependents === true) return 'Orphan';
  if (o.orphanDependents === false) return 'Background';
  void info;
  return strategy.defaultPropagation ?? 'Background';
}

function addPolicyFinalizer(meta: KObject['metadata'], policy: string): void {
  const f = policy === 'Foreground' ? 'foregroundDeletion' : policy === 'Orphan' ? 'orphan' : '';
  if (!f) return;
  const list = meta.finalizers ?? [];
  if (!list.includes(f)) meta.finalizers = [...list, f];
}

/** CheckGracefulDelete for pods (semantics §7.1): 0 when unscheduled or terminal, else the request's or the spec's. */
function podGracePeriod(pod: KObject, o: DeleteOptions): number {
  if (!pod.spec?.nodeName) return 0;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  let g = o.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (g < 0) g = 1;
  return g;
}

export { groupKind };
