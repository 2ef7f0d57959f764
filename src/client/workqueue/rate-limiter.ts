// Rate limiters (client-go util/workqueue/default_rate_limiters.go). `when(item)` says how long to wait
// before the item may be processed again; `forget(item)` clears its failure history.

import { realClock, type Clock } from '../clock.ts';

export interface RateLimiter<T = string> {
  /** Delay in ms before the item should be retried; also records one more failure. */
  when(item: T): number;
  /** Forgets the item's failures (call after a successful sync). */
  forget(item: T): void;
  /** How many times when() was called since the last forget(). */
  numRequeues(item: T): number;
}

/** Per-item exponential backoff: baseMs * 2^failures, capped at maxMs (client-go default 5 ms → 1000 s). */
export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  readonly baseMs: number;
  readonly maxMs: number;

  constructor(baseMs = 5, maxMs = 1000 * 1000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseMs * Math.pow(2, exp);
    return !Number.isFinite(backoff) || backoff > this.maxMs ? this.maxMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket (golang.org/x/time/rate Limiter.Reserve): `qps` tokens per second, at most `burst`
 * stored, starting full. Each when() takes one token; the delay is how long until that token exists.
 * Per-item history is not kept (forget is a no-op, numRequeues 0), as in client-go.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.qps);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters; forget() forgets in all of them. */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: ReadonlyArray<RateLimiter<T>>;

  constructor(...limiters: Array<RateLimiter<T>>) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let ms = 0;
    for (const l of this.limiters) ms = Math.max(ms, l.when(item));
    return ms;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let n = 0;
    for (const l of this.limiters) n = Math.max(n, l.numRequeues(item));
    return n;
  }
}

/**
 * DefaultControllerRateLimiter: max(per-item exponential 5 ms → 1000 s, overall bucket 10 qps / burst 100).
 */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000), new BucketRateLimiter<T>(10, 100, clock));
}
