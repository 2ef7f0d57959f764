// The current value of every live key, in memory: a Map for get and a SortedKeys index for list by
// prefix. Both backends keep their committed state here; KeyValue objects are frozen and shared with
// watch events, so handing them out needs no copy.

import type { KeyValue, ListOptions, ListResult } from '../backend.ts';
import { SortedKeys } from './sorted-keys.ts';

export class Keyspace {
  private readonly values = new Map<string, KeyValue>();
  private index = new SortedKeys();

  get size(): number { return this.values.size; }

  get(key: string): KeyValue | undefined { return this.values.get(key); }

  put(kv: KeyValue): void {
    if (!this.values.has(kv.key)) this.index.insert(kv.key);
    this.values.set(kv.key, kv);
  }

  remove(key: string): void {
    if (this.values.delete(key)) this.index.remove(key);
  }

  /** Bulk load (at open): replaces the contents and rebuilds the index in one sort. */
  load(kvs: Iterable<KeyValue>): void {
    this.values.clear();
    for (const kv of kvs) this.values.set(kv.key, kv);
    this.index = SortedKeys.from(this.values.keys());
  }

  /**
   * Keys that start with prefix, ascending, after opts.after (exclusive), at most opts.limit
   * (0 or absent: all). `more` is true when at least one further key matched.
   */
  list(prefix: string, opts: ListOptions | undefined, revision: number): ListResult {
    const limit = opts?.limit && opts.limit > 0 ? opts.limit : Infinity;
    const after = opts?.after;
    const items: KeyValue[] = [];
    let more = false;
    const it = after !== undefined && after >= prefix ? this.index.from(after, true) : this.index.from(prefix);
    for (const key of it) {
      if (!key.startsWith(prefix)) break;
      if (items.length >= limit) { more = true; break; }
      items.push(this.values.get(key)!);
    }
    return { items, revision, more };
  }
}
