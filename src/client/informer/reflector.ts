// Reflector (client-go tools/cache/reflector.go): list, then watch from the list's resourceVersion with
// bookmarks, feeding a sink. The rules, as client-go has them:
//  - the first list asks resourceVersion "0" (may be served from cache), later lists the last seen RV; a list
//    answered 410 with an RV set is retried at once with RV "" (a consistent read);
//  - lists are paged (limit, continue; RV cleared on continue pages); an expired continue token falls back to
//    one unpaged list;
//  - watches carry allowWatchBookmarks=true and a random timeoutSeconds in [min, 2*min) so none hangs forever;
//  - a watch that ends cleanly is re-opened from the last seen RV (no relist); so is one cut in the middle
//    of an event (the partial event is re-delivered by the next watch);
//  - 410 Expired/Gone (bare HTTP or an ERROR event) → relist, at once the first time;
//  - any other watch failure, a malformed event, or a watch that closes within a second having delivered
//    nothing → back off (800 ms doubling to 30 s, jittered) and relist;
//  - connection refused / 429 on opening a watch → back off and re-open the watch.
// Every outcome is reported through onEvent and the `kubedisco:client:reflector` diagnostics channel.

import diagnostics_channel from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { KList, KObject } from '../../api/meta.ts';
import { StatusError, isGone } from '../../api/status.ts';
import { Backoff, realClock, sleep, type BackoffOptions, type Clock, type Random } from '../clock.ts';
import { ConnectionError } from '../errors.ts';
import type { ListOptions, WatchOptions } from '../rest.ts';
import { WatchDecodeError, type WatchStream } from '../watch.ts';

const debug = debuglog('kubedisco:client');
const channel = diagnostics_channel.channel('kubedisco:client:reflector');

/** Anything that can list and watch one collection: a ResourceClient, or a fake in tests. */
export interface ListerWatcher<T extends KObject = KObject> {
  list(opts: ListOptions): Promise<KList<T>>;
  watch(opts: WatchOptions): Promise<WatchStream<T>>;
}

/** Where the reflector puts what it learns. An Indexer satisfies it; SharedInformer passes its own. */
export interface ReflectorSink<T extends KObject = KObject> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  setResourceVersion(rv: string): void;
}

export type ReflectorEvent =
  | { type: 'list'; resourceVersion: string; items: number; pages: number }
  | { type: 'listError'; error: unknown }
  | { type: 'watchOpen'; resourceVersion: string; timeoutSeconds: number }
  | { type: 'watchEnd'; events: number; reason: 'closed' | 'truncated' | 'connection' }
  | { type: 'watchError'; error: unknown }
  | { type: 'relist'; reason: 'expired' | 'error' | 'shortWatch' }
  | { type: 'backoff'; ms: number };

export interface ReflectorOptions {
  /** For logs and diagnostics (e.g. "pods"). */
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** List page size (client-go informers: 500). 0 = unpaged. */
  pageSize?: number;
  /** Watches ask timeoutSeconds in [min, 2*min) (client-go: 300). */
  minWatchTimeoutSeconds?: number;
  backoff?: Partial<BackoffOptions>;
  clock?: Clock;
  random?: Random;
  onEvent?: (e: ReflectorEvent) => void;
}

export interface ReflectorStats {
  lists: number;
  watches: number;
  relists: number;
  watchEvents: number;
  errors: number;
}

type WatchOutcome = 'stopped' | 'relistNow' | 'relistAfterBackoff';

export class Reflector<T extends KObject = KObject> {
  private readonly lw: ListerWatcher<T>;
  private readonly sink: ReflectorSink<T>;
  private readonly opts: ReflectorOptions;
  private readonly name: string;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly backoff: Backoff;
  private readonly stopController = new AbortController();
  private running: Promise<void> | undefined;
  private stream: WatchStream<T> | undefined;
  private lastRV = '';
  private rvUnavailable = false;
  private consecutiveGone = 0;
  readonly stats: ReflectorStats = { lists: 0, watches: 0, relists: 0, watchEvents: 0, errors: 0 };

  constructor(lw: ListerWatcher<T>, sink: ReflectorSink<T>, opts: ReflectorOptions = {}) {
    this.lw = lw;
    this.sink = sink;
    this.opts = opts;
    this.name = opts.name ?? 'reflector';
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff(opts.backoff, this.clock, this.random);
  }

  /** The resourceVersion of the last list, event or bookmark seen. */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Starts the list/watch loop (idempotent). */
  run(): void {
    if (this.running || this.stopped) return;
    this.running = this.loop().catch((e) => {
      // The loop handles its own errors; anything reaching here is a bug in a sink.
      this.emit({ type: 'listError', error: e });
    });
  }

  /** Stops the loop and closes the current watch; resolves when nothing more will reach the sink. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.stream?.stop();
    await this.running;
  }

  private emit(e: ReflectorEvent): void {
    if (e.type === 'listError' || e.type === 'watchError') this.stats.errors++;
    debug('%s: %s %o', this.name, e.type, e);
    if (channel.hasSubscribers) channel.publish({ reflector: this.name, ...e });
    try {
      this.opts.onEvent?.(e);
    } catch {
      // observers must not break the loop
    }
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) this.emit({ type: 'backoff', ms });
    await sleep(this.clock, ms, this.stopController.signal);
  }

  /** relistResourceVersion(). */
  private listRV(): string {
    if (this.rvUnavailable) return '';
    return this.lastRV === '' ? '0' : this.lastRV;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let rv: string;
      try {
        rv = await this.list();
      } catch (e) {
        if (this.stopped) return;
        this.emit({ type: 'listError', error: e });
        if (isGone(e) && this.listRV() !== '') {
          // "The watch cache is too old to serve this RV": a consistent list (RV "") next, at once.
          this.rvUnavailable = true;
          continue;
        }
        await this.pause(this.backoff.next());
        continue;
      }
      if (this.stopped) return;
      this.lastRV = rv;
      const outcome = await this.watchLoop();
      if (outcome === 'stopped' || this.stopped) return;
      this.stats.relists++;
      if (outcome === 'relistNow') {
        if (this.consecutiveGone++ > 0) await this.pause(this.backoff.next());
      } else {
        await this.pause(this.backoff.next());
      }
    }
  }

  /** One (paged) list, handed to the sink. Returns the list's resourceVersion. */
  private async list(): Promise<string> {
    const pageSize = this.opts.pageSize ?? 500;
    const signal = this.stopController.signal;
    const base: ListOptions = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector, resourceVersion: this.listRV(), signal };
    const items: T[] = [];
    let pages = 0;
    let listRV = '';
    let opts: ListOptions = pageSize > 0 ? { ...base, limit: pageSize } : base;
    for (let guard = 0; guard < 1_000_000; guard++) {
      let page: KList<T>;
      try {
        page = await this.lw.list(opts);
      } catch (e) {
        if (opts.continue && isGone(e)) {
          // The continue token expired: one full list instead (pager FullListIfExpired).
          items.length = 0;
          opts = { ...base };
          continue;
        }
        throw e;
      }
      this.stats.lists++;
      pages++;
      if (!page || !Array.isArray(page.items)) throw new Error(`${this.name}: list response has no items`);
      items.push(...page.items);
      listRV = page.metadata?.resourceVersion ?? '';
      const cont = page.metadata?.continue;
      if (!cont || !opts.limit) break;
      opts = { labelSelector: base.labelSelector, fieldSelector: base.fieldSelector, limit: opts.limit, continue: cont, signal };
    }
    if (this.stopped) return listRV;
    this.rvUnavailable = false;
    this.sink.replace(items, listRV);
    this.emit({ type: 'list', resourceVersion: listRV, items: items.length, pages });
    return listRV;
  }

  private watchTimeoutSeconds(): number {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    return Math.floor(min * (1 + this.random()));
  }

  private async watchLoop(): Promise<WatchOutcome> {
    while (!this.stopped) {
      const timeoutSeconds = this.watchTimeoutSeconds();
      const started = this.clock.now();
      let stream: WatchStream<T>;
      try {
        stream = await this.lw.watch({
          resourceVersion: this.lastRV,
          allowWatchBookmarks: true,
          timeoutSeconds,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          signal: this.stopController.signal,
        });
      } catch (e) {
        if (this.stopped) return 'stopped';
        this.emit({ type: 'watchError', error: e });
        if (isGone(e)) return this.relist('expired', 'relistNow');
        if (isRetriableWatchError(e)) {
          await this.pause(this.backoff.next());
          continue;
        }
        return this.relist('error', 'relistAfterBackoff');
      }
      if (this.stopped) {
        stream.stop();
        return 'stopped';
      }
      this.stats.watches++;
      this.stream = stream;
      this.emit({ type: 'watchOpen', resourceVersion: this.lastRV, timeoutSeconds });
      let events = 0;
      let endReason: 'closed' | 'truncated' | 'connection' = 'closed';
      try {
        for await (const ev of stream) {
          if (this.stopped) break;
          this.apply(ev.type, ev.object);
          events++;
          this.stats.watchEvents++;
        }
      } catch (e) {
        if (this.stopped) return 'stopped';
        if (e instanceof WatchDecodeError && e.truncated) {
          endReason = 'truncated';
          this.emit({ type: 'watchError', error: e });
        } else if (e instanceof StatusError) {
          this.emit({ type: 'watchError', error: e });
          if (isGone(e)) return this.relist('expired', 'relistNow');
          return this.relist('error', 'relistAfterBackoff');
        } else if (e instanceof WatchDecodeError) {
          this.emit({ type: 'watchError', error: e });
          return this.relist('error', 'relistAfterBackoff');
        } else {
          // Transport failure mid-stream (reset, aborted): like an unexpected EOF, re-watch from last RV.
          endReason = 'connection';
          this.emit({ type: 'watchError', error: e });
        }
      } finally {
        stream.stop();
        this.stream = undefined;
      }
      if (this.stopped) return 'stopped';
      this.emit({ type: 'watchEnd', events, reason: endReason });
      if (events > 0) {
        this.consecutiveGone = 0;
        this.backoff.reset();
        continue;
      }
      if (this.clock.now() - started < 1000) {
        // "very short watch: Unexpected watch close - watch lasted less than a second and no items received"
        return this.relist('shortWatch', 'relistAfterBackoff');
      }
    }
    return 'stopped';
  }

  private relist(reason: 'expired' | 'error' | 'shortWatch', outcome: WatchOutcome): WatchOutcome {
    this.emit({ type: 'relist', reason });
    return outcome;
  }

  private apply(type: string, obj: T): void {
    const rv = obj?.metadata?.resourceVersion ?? '';
    switch (type) {
      case 'ADDED':
        this.sink.add(obj);
        break;
      case 'MODIFIED':
        this.sink.update(obj);
        break;
      case 'DELETED':
        this.sink.delete(obj);
        break;
      case 'BOOKMARK':
        break;
      default:
        return;
    }
    if (rv) {
      this.lastRV = rv;
      this.sink.setResourceVersion(rv);
    }
  }
}

/** isWatchErrorRetriable: connection refused and 429 retry the watch after a backoff, without a relist. */
function isRetriableWatchError(e: unknown): boolean {
  if (e instanceof StatusError) return e.code === 429 || e.reason === 'TooManyRequests';
  return e instanceof ConnectionError && e.code === 'ECONNREFUSED';
}
