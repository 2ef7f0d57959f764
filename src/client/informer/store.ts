// Store + Indexer (client-go tools/cache store.go, index.go, thread_safe_store.go): objects by key
// (`namespace/name`, or `name` when cluster-scoped) with named indexes. Three kinds of string, as the
// client-go doc comment sorts them out: the storage key, the index name, the indexed value.
//
// The store is a read-only local cache for everyone but the reflector/informer that fills it: never modify
// an object you get from it (structuredClone first).

import { keyOf, splitKey, type KObject } from '../../api/meta.ts';

/** A deleted object whose final state was missed (found missing on relist); `obj` is the last known state. */
export class DeletedFinalStateUnknown<T = KObject> {
  readonly key: string;
  readonly obj: T;
  constructor(key: string, obj: T) {
    this.key = key;
    this.obj = obj;
  }
}

export function isTombstone<T>(x: unknown): x is DeletedFinalStateUnknown<T> {
  return x instanceof DeletedFinalStateUnknown;
}

/** The object in a delete notification, tombstone or not (sample-controller's handleObject unwrapping). */
export function unwrapTombstone<T>(x: T | DeletedFinalStateUnknown<T>): T {
  return x instanceof DeletedFinalStateUnknown ? x.obj : x;
}

export type KeyFunc<T> = (obj: T) => string;
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** MetaNamespaceKeyFunc (DeletionHandlingMetaNamespaceKeyFunc: a tombstone's key is its own). */
export function metaNamespaceKeyFunc(obj: KObject | DeletedFinalStateUnknown<KObject>): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  return keyOf(obj);
}

/** SplitMetaNamespaceKey. */
export const splitMetaNamespaceKey = splitKey;

/** The index name client-go calls NamespaceIndex ("namespace"). */
export const byNamespace = 'namespace';

/** MetaNamespaceIndexFunc: the object's namespace ("" for cluster-scoped objects). */
export function namespaceIndexFunc(obj: KObject): string[] {
  return [obj.metadata.namespace ?? ''];
}

export interface IndexerOptions<T> {
  indexers?: Indexers<T>;
  keyFunc?: KeyFunc<T>;
}

export class Indexer<T extends KObject = KObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly keyFunc: KeyFunc<T>;
  private rv = '';

  constructor(opts: IndexerOptions<T> = {}) {
    this.keyFunc = opts.keyFunc ?? ((o: T) => keyOf(o));
    if (opts.indexers) this.addIndexers(opts.indexers);
  }

  keyOf(obj: T): string {
    return this.keyFunc(obj);
  }

  /** Adds named indexes; existing objects are indexed right away. A duplicate name throws. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
      this.indexers.set(name, fn);
      const idx = new Map<string, Set<string>>();
      this.indices.set(name, idx);
      for (const [key, obj] of this.items) this.indexInto(idx, fn, key, obj);
    }
  }

  private indexInto(idx: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of new Set(fn(obj))) {
      let keys = idx.get(v);
      if (!keys) idx.set(v, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const idx = this.indices.get(name)!;
      for (const v of new Set(fn(obj))) {
        const keys = idx.get(v);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) idx.delete(v);
      }
    }
  }

  private put(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.indexInto(this.indices.get(name)!, fn, key, obj);
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    this.deleteByKey(obj instanceof DeletedFinalStateUnknown ? obj.key : this.keyFunc(obj));
  }

  deleteByKey(key: string): void {
    const old = this.items.get(key);
    if (!old) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Replaces the whole content (a relist) and records the list's resourceVersion. */
  replace(items: readonly T[], resourceVersion: string): void {
    this.items.clear();
    for (const idx of this.indices.values()) idx.clear();
    for (const o of items) this.put(this.keyFunc(o), o);
    this.rv = resourceVersion;
  }

  /** Records a resourceVersion without changing content (watch events and bookmarks). */
  setResourceVersion(rv: string): void {
    this.rv = rv;
  }

  /** The resourceVersion of the last list, event or bookmark applied (LastStoreSyncResourceVersion). */
  lastSyncResourceVersion(): string {
    return this.rv;
  }

  private index_(name: string): Map<string, Set<string>> {
    const idx = this.indices.get(name);
    if (!idx) throw new Error(`Index with name ${name} does not exist`);
    return idx;
  }

  /** Keys stored under an indexed value. */
  indexKeys(name: string, value: string): string[] {
    return [...(this.index_(name).get(value) ?? [])];
  }

  /** Objects stored under an indexed value. */
  byIndex(name: string, value: string): T[] {
    return this.indexKeys(name, value).map((k) => this.items.get(k)!);
  }

  /** Objects sharing any indexed value with obj under the named index (Indexer.Index). */
  index(name: string, obj: T): T[] {
    const fn = this.indexers.get(name);
    if (!fn) throw new Error(`Index with name ${name} does not exist`);
    const idx = this.index_(name);
    const keys = new Set<string>();
    for (const v of fn(obj)) for (const k of idx.get(v) ?? []) keys.add(k);
    return [...keys].map((k) => this.items.get(k)!);
  }

  /** Every indexed value of the named index. */
  listIndexFuncValues(name: string): string[] {
    return [...this.index_(name).keys()];
  }
}
