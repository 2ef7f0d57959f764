// An ordered set of strings for prefix listing: a list of sorted chunks (the "sorted list" layout),
// so insert and remove cost O(log n + chunk) instead of shifting one big array, and a range scan is
// a binary search followed by a walk. Keys compare by UTF-16 code unit (JavaScript `<`), which is the
// same order as etcd's byte order for ASCII keys (all Kubernetes registry keys).

const CHUNK_MAX = 512;

export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;

  /** Builds from keys in any order (duplicates are kept once). */
  static from(keys: Iterable<string>): SortedKeys {
    const all = [...new Set(keys)].sort(compare);
    const s = new SortedKeys();
    for (let i = 0; i < all.length; i += CHUNK_MAX / 2) s.chunks.push(all.slice(i, i + CHUNK_MAX / 2));
    s.count = all.length;
    return s;
  }

  get size(): number { return this.count; }

  /** Index of the first chunk whose last key is >= key (chunks.length if none). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.chunks[mid];
      if (c[c.length - 1] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Adds key; returns false if it was already present. */
  insert(key: string): boolean {
    if (this.chunks.length === 0) { this.chunks.push([key]); this.count = 1; return true; }
    let ci = this.chunkFor(key);
    if (ci === this.chunks.length) ci--; // greater than every key: append to the last chunk
    const c = this.chunks[ci];
    const i = lowerBound(c, key);
    if (c[i] === key) return false;
    c.splice(i, 0, key);
    this.count++;
    if (c.length > CHUNK_MAX) this.chunks.splice(ci + 1, 0, c.splice(c.length >>> 1));
    return true;
  }

  /** Removes key; returns false if it was absent. */
  remove(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci === this.chunks.length) return false;
    const c = this.chunks[ci];
    const i = lowerBound(c, key);
    if (c[i] !== key) return false;
    c.splice(i, 1);
    this.count--;
    if (c.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  has(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci === this.chunks.length) return false;
    const c = this.chunks[ci];
    return c[lowerBound(c, key)] === key;
  }

  /** Keys >= start (or > start when exclusive), ascending. Do not modify the set while iterating. */
  *from(start: string, exclusive = false): IterableIterator<string> {
    let ci = this.chunkFor(start);
    if (ci === this.chunks.length) return;
    let i = lowerBound(this.chunks[ci], start);
    if (exclusive && this.chunks[ci][i] === start) i++;
    for (; ci < this.chunks.length; ci++, i = 0) {
      const c = this.chunks[ci];
      for (; i < c.length; i++) yield c[i];
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}
