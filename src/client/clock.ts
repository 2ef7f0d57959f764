// Time and randomness, injected (design.md habit 7): every timer in the client (reflector backoff, watch
// timeouts, work-queue delays, rate limiters) goes through a Clock so tests can drive it with FakeClock.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter). */
  now(): number;
  /** Calls fn once after ms milliseconds (≤0 means "as soon as possible"). */
  setTimer(fn: () => void, ms: number): Timer;
}

/** A random source in [0, 1), like Math.random. */
export type Random = () => number;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * Resolves after ms on the given clock, or as soon as signal aborts (it never rejects; callers check their
 * own stop flag afterwards).
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => { timer.cancel(); resolve(); };
    const timer = clock.setTimer(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Lets pending promise continuations and I/O callbacks run (one turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface FakeTimer { at: number; seq: number; fn: () => void; cancelled: boolean }

/**
 * A manual clock. Time moves only through advance()/set(); due timers fire synchronously, in due-time order,
 * with now() equal to each timer's due time while it runs. Timers created while advancing fire in the same
 * call if they fall due before the target.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void, ms: number): Timer {
    const timer: FakeTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Number of timers that have not fired or been cancelled. */
  pendingTimers(): number {
    return this.timers.filter((x) => !x.cancelled).length;
  }

  /** Due time of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    let best: number | undefined;
    for (const x of this.timers) if (!x.cancelled && (best === undefined || x.at < best)) best = x.at;
    return best;
  }

  advance(ms: number): void {
    this.set(this.t + ms);
  }

  set(target: number): void {
    // Bounded: each iteration removes one timer; a timer that re-arms itself at 0 delay would loop, so cap.
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: FakeTimer | undefined;
      for (const x of this.timers) {
        if (x.cancelled || x.at > target) continue;
        if (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq)) next = x;
      }
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      if (next.at > this.t) this.t = next.at;
      next.fn();
    }
    this.timers = this.timers.filter((x) => !x.cancelled);
    if (target > this.t) this.t = target;
  }
}

export interface BackoffOptions {
  /** First delay (client-go reflector: 800 ms). */
  initialMs: number;
  /** Cap (client-go reflector: 30 s). */
  maxMs: number;
  /** Multiplier per step (2). */
  factor: number;
  /** Each delay is d * (1 + jitter * random()) (1.0). */
  jitter: number;
  /** Start over from initialMs when no delay was asked for this long (2 min). */
  resetAfterMs: number;
}

export const REFLECTOR_BACKOFF: BackoffOptions = { initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1, resetAfterMs: 120_000 };

/** wait.NewExponentialBackoffManager: exponential delays with jitter, reset after a quiet period. */
export class Backoff {
  private readonly opts: BackoffOptions;
  private readonly clock: Clock;
  private readonly random: Random;
  private current: number;
  private lastAt: number | undefined;

  constructor(opts: Partial<BackoffOptions> = {}, clock: Clock = realClock, random: Random = Math.random) {
    this.opts = { ...REFLECTOR_BACKOFF, ...opts };
    this.clock = clock;
    this.random = random;
    this.current = this.opts.initialMs;
  }

  next(): number {
    const now = this.clock.now();
    if (this.lastAt !== undefined && now - this.lastAt > this.opts.resetAfterMs) this.current = this.opts.initialMs;
    this.lastAt = now;
    const base = this.current;
    this.current = Math.min(this.opts.maxMs, this.current * this.opts.factor);
    return base + (this.opts.jitter > 0 ? base * this.opts.jitter * this.random() : 0);
  }

  reset(): void {
    this.current = this.opts.initialMs;
    this.lastAt = undefined;
  }
}
