// The work queue (client-go util/workqueue/queue.go): "three sets and a promise".
//  - Fair: items are processed in the order they were added.
//  - Stingy: an item added several times before it is processed is processed once; an item is never
//    handed to two workers at once; adding it while it is processing marks it dirty, and done() puts it back
//    so it is processed again afterwards.
//  - Many producers and consumers; get() waits while the queue is empty.
//  - shutDown(): add() becomes a no-op; get() still hands out what is queued, then reports shutdown.

export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

export interface WorkQueueMetrics {
  /** Items waiting (not counting ones being processed). */
  depth: number;
  /** add() calls that queued or marked an item dirty. */
  adds: number;
  /** Items currently handed out and not yet done(). */
  processing: number;
}

export class WorkQueue<T = string> {
  protected readonly queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private waiters: Array<(r: GetResult<T>) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private isShuttingDown = false;
  private drain = false;
  private adds = 0;

  /** Queues item unless it is already waiting (or shutting down). */
  add(item: T): void {
    if (this.isShuttingDown) return;
    if (this.dirty.has(item)) return;
    this.adds++;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.hand();
  }

  /** Items waiting to be processed. */
  len(): number {
    return this.queue.length;
  }

  /**
   * The next item; waits while the queue is empty. After shutDown() the remaining items are still handed
   * out, then `{ shutdown: true }`. Call done(item) when finished with it.
   */
  get(): Promise<GetResult<T>> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.isShuttingDown) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private take(): GetResult<T> {
    const item = this.queue.shift() as T;
    this.processing.add(item);
    this.dirty.delete(item);
    return { item, shutdown: false };
  }

  private hand(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) this.waiters.shift()!(this.take());
  }

  /** Marks item processed; if it was added again meanwhile, it is queued again now. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.hand();
    } else if (this.processing.size === 0 && this.drainWaiters.length > 0) {
      const ws = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of ws) w();
    }
  }

  /** Stops accepting items and releases waiting get() calls (they report shutdown). */
  shutDown(): void {
    this.isShuttingDown = true;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w({ item: undefined, shutdown: true });
    this.onShutDown();
  }

  /** shutDown(), then waits until every handed-out item is done(). */
  shutDownWithDrain(): Promise<void> {
    this.drain = true;
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.isShuttingDown;
  }

  /** Whether a shutDownWithDrain() is in progress or done. */
  draining(): boolean {
    return this.drain;
  }

  metrics(): WorkQueueMetrics {
    return { depth: this.queue.length, adds: this.adds, processing: this.processing.size };
  }

  /** Hook for subclasses (timers to cancel). */
  protected onShutDown(): void {}
}
