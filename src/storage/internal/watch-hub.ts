// Watch fan-out shared by the backends (kine's broadcaster, plus etcd's "unsynced" catch-up).
//
// A watcher starts in replay: from a microtask it reads committed history page by page from the
// backend's HistorySource (yielding to the event loop every few pages) until it reaches the committed
// revision, then turns live and receives events from publish(), which the backend calls right after a
// commit. Replay never buffers: the history is the buffer.
//
// Delivery rules:
// - Live events are delivered synchronously inside publish() (the backend's commit path); replayed and
//   buffered events from a microtask. onEvent is never called before watch() returns.
// - Per watcher, revisions strictly increase, and onEvent is never re-entered: an event produced while
//   that watcher's onEvent runs is queued and delivered after it returns. publish() called while
//   publish() is running (a handler that writes) is queued too, so all watchers see the same order.
// - onEvent may return false (like stream.write) to pause the watcher until resume(). A paused live
//   watcher queues its events; once more than bufferSize are queued it is ended with onClose('slow').
//   A paused replaying watcher holds nothing; it is ended with 'slow' if its position is compacted.
// - If onEvent throws, the watcher is closed and the error is rethrown from a microtask (an uncaught
//   exception): the storage state is never left half-updated by a consumer's bug.

import type { Watcher, WatchEvent, WatchHandlers } from '../backend.ts';

export interface HistorySource {
  /**
   * Committed events with revision in (after, upTo], ascending and without gaps, at most limit.
   * Returns 'compacted' when some of them are no longer kept.
   */
  readHistory(after: number, upTo: number, limit: number): WatchEvent[] | 'compacted';
}

export interface WatchHubOptions {
  /** Events queued for one paused live watcher before it is ended as slow. */
  bufferSize: number;
  /** Events read from history per page during replay. */
  replayPageSize?: number;
  /** Pages replayed before yielding to the event loop. */
  replayPagesPerTurn?: number;
}

export class WatchHub {
  readonly source: HistorySource;
  readonly committedRevision: () => number;
  readonly bufferSize: number;
  readonly replayPageSize: number;
  readonly replayPagesPerTurn: number;
  /** Watchers ended because they could not keep up. */
  slowClosed = 0;
  private readonly watchers = new Set<HubWatcher>();
  private publishing = false;
  private backlog: WatchEvent[][] = [];

  constructor(source: HistorySource, committedRevision: () => number, opts: WatchHubOptions) {
    if (!(opts.bufferSize >= 1)) throw new RangeError(`watch buffer size must be >= 1, got ${opts.bufferSize}`);
    this.source = source;
    this.committedRevision = committedRevision;
    this.bufferSize = opts.bufferSize;
    this.replayPageSize = opts.replayPageSize ?? 1000;
    this.replayPagesPerTurn = opts.replayPagesPerTurn ?? 4;
  }

  get size(): number { return this.watchers.size; }

  /** The caller has already checked fromRevision against the compacted revision. */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher {
    const w = new HubWatcher(this, prefix, fromRevision, handlers);
    this.watchers.add(w);
    w.schedule();
    return w;
  }

  /** Delivers committed events (ascending, contiguous) to live watchers. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || (this.watchers.size === 0 && !this.publishing)) return;
    this.backlog.push(events);
    if (this.publishing) return;
    this.publishing = true;
    try {
      for (let i = 0; i < this.backlog.length; i++) {
        const batch = this.backlog[i];
        for (const w of this.watchers) w.offer(batch);
      }
    } finally {
      this.backlog = [];
      this.publishing = false;
    }
  }

  closeAll(reason: 'slow' | 'closed'): void {
    for (const w of [...this.watchers]) w.end(reason);
  }

  /** @internal */
  remove(w: HubWatcher): void { this.watchers.delete(w); }
}

class HubWatcher implements Watcher {
  private readonly hub: WatchHub;
  private readonly prefix: string;
  private readonly handlers: WatchHandlers;
  private state: 'replay' | 'live' | 'closed' = 'replay';
  /** Every event with revision <= cursor has been delivered, queued or skipped. */
  private cursor: number;
  private paused = false;
  private delivering = false;
  private scheduled = false;
  private queue: (WatchEvent | undefined)[] = [];
  private qhead = 0;

  constructor(hub: WatchHub, prefix: string, fromRevision: number, handlers: WatchHandlers) {
    this.hub = hub;
    this.prefix = prefix;
    this.cursor = fromRevision;
    this.handlers = handlers;
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue = [];
    this.qhead = 0;
    this.hub.remove(this);
  }

  resume(): void {
    if (!this.paused || this.state === 'closed') return;
    this.paused = false;
    this.schedule();
  }

  /** Ends the watch from the backend's side, telling the consumer why. */
  end(reason: 'slow' | 'closed'): void {
    if (this.state === 'closed') return;
    this.close();
    if (reason === 'slow') this.hub.slowClosed++;
    try {
      this.handlers.onClose?.(reason);
    } catch (err) {
      queueMicrotask(() => { throw err; });
    }
  }

  schedule(): void {
    if (this.scheduled || this.state === 'closed') return;
    this.scheduled = true;
    queueMicrotask(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    if (this.state === 'replay') this.replay();
    else if (this.state === 'live') this.pump();
  }

  /** Live events from a commit, ascending. */
  offer(batch: WatchEvent[]): void {
    for (const ev of batch) {
      if (this.state !== 'live') return;
      if (ev.revision <= this.cursor) continue;
      this.cursor = ev.revision;
      if (!ev.kv.key.startsWith(this.prefix)) continue;
      if (this.paused || this.delivering || this.qhead < this.queue.length) {
        this.queue.push(ev);
        if (this.queue.length - this.qhead > this.hub.bufferSize) { this.end('slow'); return; }
        if (!this.paused && !this.delivering) this.schedule();
        continue;
      }
      this.deliver(ev);
      if (this.qhead < this.queue.length && !this.paused) this.pump();
    }
  }

  private replay(): void {
    let pages = 0;
    while (this.state === 'replay' && !this.paused) {
      const head = this.hub.committedRevision();
      if (this.cursor >= head) { this.state = 'live'; return; }
      if (pages === this.hub.replayPagesPerTurn) {
        // Let commits and I/O run; history read later still includes whatever commits meanwhile.
        this.scheduled = true;
        setImmediate(() => this.run());
        return;
      }
      const page = this.hub.source.readHistory(this.cursor, head, this.hub.replayPageSize);
      // A gap cannot be delivered exactly: the consumer must relist (410 Gone upstream).
      if (page === 'compacted' || page.length === 0) { this.end('slow'); return; }
      pages++;
      for (const ev of page) {
        if (this.state !== 'replay' || this.paused) break;
        this.cursor = ev.revision;
        if (ev.kv.key.startsWith(this.prefix)) this.deliver(ev);
      }
    }
  }

  private pump(): void {
    while (this.state === 'live' && !this.paused && this.qhead < this.queue.length) {
      const ev = this.queue[this.qhead]!;
      this.queue[this.qhead++] = undefined;
      this.deliver(ev);
    }
    if (this.qhead >= this.queue.length) {
      this.queue = [];
      this.qhead = 0;
    } else if (this.qhead > 1024 && this.qhead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qhead);
      this.qhead = 0;
    }
  }

  private deliver(ev: WatchEvent): void {
    this.delivering = true;
    let r: unknown;
    try {
      r = this.handlers.onEvent(ev);
    } catch (err) {
      this.delivering = false;
      this.close();
      queueMicrotask(() => { throw err; });
      return;
    }
    this.delivering = false;
    if (r === false && this.state !== 'closed') this.paused = true;
  }
}
