// RateLimitingQueue (client-go util/workqueue/rate_limiting_queue.go) and the sample-controller worker loop.

import { realClock, type Clock } from '../clock.ts';
import { DelayingQueue } from './delaying-queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** Default: defaultControllerRateLimiter (per-item 5 ms → 1000 s, overall 10 qps / 100 burst). */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;
  private retries = 0;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts.clock ?? realClock);
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds the item after the rate limiter's delay for it (one more failure recorded). */
  addRateLimited(item: T): void {
    this.retries++;
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears the item's failure history; call when a sync succeeded. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  override metrics() {
    return { ...super.metrics(), retries: this.retries, waiting: this.waitingLen() };
  }
}

export type SyncFunc<T> = (item: T) => Promise<void> | void;

export interface WorkerOptions<T> {
  /** Called with each sync error (the item is requeued rate-limited). */
  onError?: (err: unknown, item: T, requeues: number) => void;
  /** Give up on an item after this many requeues (forget it); default: never. */
  maxRetries?: number;
}

/**
 * processNextWorkItem: takes one item, runs sync, then forget() on success or addRateLimited() on error,
 * and always done(). Returns false once the queue is shut down and empty.
 */
export async function processNextWorkItem<T>(q: RateLimitingQueue<T>, sync: SyncFunc<T>, opts: WorkerOptions<T> = {}): Promise<boolean> {
  const r = await q.get();
  if (r.shutdown) return false;
  const item = r.item;
  try {
    await sync(item);
    q.forget(item);
  } catch (e) {
    const n = q.numRequeues(item);
    try {
      opts.onError?.(e, item, n);
    } catch {
      // reporting must not break the worker
    }
    if (opts.maxRetries !== undefined && n >= opts.maxRetries) q.forget(item);
    else q.addRateLimited(item);
  } finally {
    q.done(item);
  }
  return true;
}

/** Runs `workers` loops of processNextWorkItem; resolves when the queue is shut down and they have exited. */
export async function runWorkers<T>(q: RateLimitingQueue<T>, workers: number, sync: SyncFunc<T>, opts: WorkerOptions<T> = {}): Promise<void> {
  const loops: Array<Promise<void>> = [];
  for (let i = 0; i < Math.max(1, workers); i++) {
    loops.push((async () => {
      while (await processNextWorkItem(q, sync, opts)) {
        // next item
      }
    })());
  }
  await Promise.all(loops);
}
