// DelayingQueue (client-go util/workqueue/delaying_queue.go): addAfter(item, ms) adds the item once the delay
// has passed. An item already waiting keeps the earlier of its two ready times. One clock timer, armed for
// the earliest ready time, moves due items into the queue in ready-time order.

import { realClock, type Clock, type Timer } from '../clock.ts';
import { WorkQueue } from './queue.ts';

export class DelayingQueue<T = string> extends WorkQueue<T> {
  protected readonly clock: Clock;
  private readonly waiting = new Map<T, { readyAt: number; seq: number }>();
  private seq = 0;
  private timer: Timer | undefined;
  private timerAt = Infinity;

  constructor(clock: Clock = realClock) {
    super();
    this.clock = clock;
  }

  /** Adds item after ms milliseconds (at once when ms ≤ 0). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const cur = this.waiting.get(item);
    if (cur && cur.readyAt <= readyAt) return;
    this.waiting.set(item, { readyAt, seq: this.seq++ });
    this.arm();
  }

  /** Items waiting for their delay to pass. */
  waitingLen(): number {
    return this.waiting.size;
  }

  private arm(): void {
    let next = Infinity;
    for (const w of this.waiting.values()) if (w.readyAt < next) next = w.readyAt;
    if (next === Infinity) {
      this.timer?.cancel();
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= next) return;
    this.timer?.cancel();
    this.timerAt = next;
    this.timer = this.clock.setTimer(() => this.fire(), next - this.clock.now());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const due = [...this.waiting.entries()].filter(([, w]) => w.readyAt <= now).sort(([, a], [, b]) => a.readyAt - b.readyAt || a.seq - b.seq);
    for (const [item] of due) {
      this.waiting.delete(item);
      this.add(item);
    }
    this.arm();
  }

  protected override onShutDown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
  }
}
