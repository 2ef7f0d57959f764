// The most recent watch events in memory, one per revision with no gaps (every write is one event).
// A fixed-capacity circular buffer: pushing into a full ring drops the oldest event.

import type { WatchEvent } from '../backend.ts';

export class EventRing {
  private readonly buf: (WatchEvent | undefined)[];
  private head = 0; // index of the oldest event
  private len = 0;
  /** Revision of the oldest event held (meaningful when length > 0). */
  private first: number;

  /** `nextRevision` is the revision the first pushed event will carry. */
  constructor(capacity: number, nextRevision: number) {
    if (!(capacity >= 1)) throw new RangeError(`event ring capacity must be >= 1, got ${capacity}`);
    this.buf = new Array(capacity);
    this.first = nextRevision;
  }

  get length(): number { return this.len; }
  get capacity(): number { return this.buf.length; }
  /** Revision of the oldest event still held; when empty, the revision the next push will carry. */
  get firstRevision(): number { return this.first; }
  /** Revision of the newest event (firstRevision - 1 when empty). */
  get lastRevision(): number { return this.first + this.len - 1; }

  /** Appends the event for revision lastRevision + 1; returns the event that fell out, if any. */
  push(ev: WatchEvent): WatchEvent | undefined {
    if (ev.revision !== this.first + this.len) {
      throw new Error(`event ring: expected revision ${this.first + this.len}, got ${ev.revision}`);
    }
    const cap = this.buf.length;
    let dropped: WatchEvent | undefined;
    if (this.len === cap) {
      dropped = this.buf[this.head];
      this.buf[this.head] = ev;
      this.head = (this.head + 1) % cap;
      this.first++;
    } else {
      this.buf[(this.head + this.len) % cap] = ev;
      this.len++;
    }
    return dropped;
  }

  /** Drops every event with revision <= rev. */
  dropThrough(rev: number): void {
    while (this.len > 0 && this.first <= rev) {
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) % this.buf.length;
      this.first++;
      this.len--;
    }
    if (this.len === 0 && this.first <= rev) this.first = rev + 1;
  }

  /** True when every revision in (after, upTo] that exists is held here. */
  covers(after: number): boolean {
    return after + 1 >= this.first;
  }

  /** Events with revision in (after, upTo], at most limit. Requires covers(after). */
  slice(after: number, upTo: number, limit: number): WatchEvent[] {
    const out: WatchEvent[] = [];
    const end = Math.min(upTo, this.lastRevision);
    for (let r = Math.max(after + 1, this.first); r <= end && out.length < limit; r++) {
      out.push(this.buf[(this.head + (r - this.first)) % this.buf.length]!);
    }
    return out;
  }
}
