// SharedInformer (client-go tools/cache/shared_informer.go), reduced to what a single-threaded runtime needs.
//
// Contract (after the client-go doc comment):
//  - The local cache (indexer) is eventually consistent with the server: it reflects the latest list plus
//    every watch event applied since, in order.
//  - Notifications for one object arrive in the order the changes happened; there is no order across objects.
//  - onAdd(obj, isInInitialList): obj appeared (isInInitialList is true for objects of the first list, and
//    for the catch-up adds a handler registered after start receives).
//  - onUpdate(old, new): a known object was listed or watched again. A relist reports every surviving object
//    this way even when nothing changed; compare metadata.resourceVersion to skip those.
//  - onDelete(obj): obj is the final state the server sent with DELETED, or a DeletedFinalStateUnknown
//    tombstone (key + last known state) when the deletion was missed and found by a relist.
//  - Notifications are delivered synchronously after the cache is updated, so the cache already reflects
//    them. Handlers must be quick and must not modify objects: enqueue a key and do the work in a worker.
//    A handler that throws (or rejects) is reported through onHandlerError and does not affect others.
//  - hasSynced() turns true once the first list is in the cache and its notifications have been delivered.
//  - transform (client-go SetTransform / TransformFunc): called once for each object the reflector is about
//    to store (every item of every list and relist, and the object of every ADDED, MODIFIED and DELETED
//    event), before the indexer stores it and before any handler sees it; the cache, the notifications
//    (old and new) and tombstones all hold the transformed object. It must keep what the store needs:
//    metadata.name and namespace (the key) and metadata.resourceVersion (relist-survivor checks). It may
//    return a new object or the one it got (which nobody else holds), must be quick, and must not throw: an
//    exception aborts that list or watch, which the reflector retries as after any failed list or watch.

import type { KObject } from '../../api/meta.ts';
import { realClock, sleep, type Clock } from '../clock.ts';
import { Reflector, type ListerWatcher, type ReflectorOptions, type ReflectorSink, type ReflectorStats } from './reflector.ts';
import { DeletedFinalStateUnknown, Indexer, byNamespace, namespaceIndexFunc, type Indexers } from './store.ts';

export interface EventHandler<T extends KObject = KObject> {
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

export interface HandlerRegistration {
  remove(): void;
  hasSynced(): boolean;
}

export interface SharedInformerOptions<T extends KObject = KObject> extends ReflectorOptions {
  /** Extra named indexes; `namespace` (byNamespace) is always present. */
  indexers?: Indexers<T>;
  onHandlerError?: (err: unknown, handler: EventHandler<T>) => void;
  /**
   * Applied to every object before it is stored and before handlers see it (client-go SetTransform), e.g.
   * to drop fields nobody reads. Must keep metadata.name, namespace and resourceVersion.
   */
  transform?: (obj: T) => T;
}

export class SharedInformer<T extends KObject = KObject> {
  readonly indexer: Indexer<T>;
  private readonly reflector: Reflector<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly opts: SharedInformerOptions<T>;
  private readonly clock: Clock;
  private synced = false;
  private started = false;
  private syncWaiters: Array<() => void> = [];

  constructor(lw: ListerWatcher<T>, opts: SharedInformerOptions<T> = {}) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.indexer = new Indexer<T>({ indexers: { [byNamespace]: namespaceIndexFunc, ...(opts.indexers ?? {}) } });
    const t = opts.transform;
    const sink: ReflectorSink<T> = {
      replace: (items, rv) => this.onReplace(t ? items.map((o) => t(o)) : items, rv),
      add: (obj) => this.onUpsert(t ? t(obj) : obj),
      update: (obj) => this.onUpsert(t ? t(obj) : obj),
      delete: (obj) => this.onDelete(t ? t(obj) : obj),
      setResourceVersion: (rv) => this.indexer.setResourceVersion(rv),
    };
    this.reflector = new Reflector<T>(lw, sink, opts);
  }

  /**
   * Registers a handler. On a started informer it first receives onAdd(obj, true) for every cached object.
   */
  addEventHandler(h: EventHandler<T>): HandlerRegistration {
    this.handlers.add(h);
    if (this.started) for (const obj of this.indexer.list()) this.call(h, () => h.onAdd?.(obj, true));
    return {
      remove: () => { this.handlers.delete(h); },
      hasSynced: () => this.synced,
    };
  }

  /** Starts listing and watching (idempotent). */
  run(): void {
    if (this.started) return;
    this.started = true;
    this.reflector.run();
  }

  /** Stops the reflector; no notification is delivered after the returned promise resolves. */
  async stop(): Promise<void> {
    await this.reflector.stop();
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) w();
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * Resolves true once synced; false if the informer is stopped first or timeoutMs (on the informer's
   * clock) passes.
   */
  async waitForSync(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
    if (this.synced) return true;
    if (this.reflector.stopped) return false;
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const synced = new Promise<void>((resolve) => this.syncWaiters.push(resolve));
    const races: Array<Promise<unknown>> = [synced];
    if (opts.timeoutMs !== undefined) races.push(sleep(this.clock, opts.timeoutMs, ac.signal));
    if (opts.signal) races.push(new Promise<void>((resolve) => ac.signal.addEventListener('abort', () => resolve(), { once: true })));
    try {
      await Promise.race(races);
    } finally {
      ac.abort();
      opts.signal?.removeEventListener('abort', onAbort);
    }
    return this.synced;
  }

  lastSyncResourceVersion(): string {
    return this.indexer.lastSyncResourceVersion();
  }

  get stats(): ReflectorStats {
    return this.reflector.stats;
  }

  private call(h: EventHandler<T>, f: () => void | Promise<void>): void {
    try {
      const r = f();
      if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((e) => this.handlerError(e, h));
    } catch (e) {
      this.handlerError(e, h);
    }
  }

  private handlerError(e: unknown, h: EventHandler<T>): void {
    try {
      this.opts.onHandlerError?.(e, h);
    } catch {
      // ignore
    }
  }

  private notifyAdd(obj: T, initial: boolean): void {
    for (const h of [...this.handlers]) this.call(h, () => h.onAdd?.(obj, initial));
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const h of [...this.handlers]) this.call(h, () => h.onUpdate?.(old, obj));
  }

  private notifyDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    for (const h of [...this.handlers]) this.call(h, () => h.onDelete?.(obj));
  }

  /** DeltaFIFO.Replace + processDeltas: upserts in list order, then tombstones for what vanished. */
  private onReplace(items: T[], rv: string): void {
    const initial = !this.synced;
    const previous = new Map<string, T>();
    for (const k of this.indexer.listKeys()) previous.set(k, this.indexer.getByKey(k)!);
    this.indexer.replace(items, rv);
    const seen = new Set<string>();
    for (const obj of items) {
      const key = this.indexer.keyOf(obj);
      seen.add(key);
      const old = previous.get(key);
      if (old) this.notifyUpdate(old, obj);
      else this.notifyAdd(obj, initial);
    }
    for (const [key, old] of previous) {
      if (!seen.has(key)) this.notifyDelete(new DeletedFinalStateUnknown<T>(key, old));
    }
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  private onUpsert(obj: T): void {
    const old = this.indexer.get(obj);
    this.indexer.update(obj);
    if (old) this.notifyUpdate(old, obj);
    else this.notifyAdd(obj, false);
  }

  private onDelete(obj: T): void {
    this.indexer.delete(obj);
    this.notifyDelete(obj);
  }
}
