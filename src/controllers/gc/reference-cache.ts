// ReferenceCache (pkg/controller/garbagecollector/uid_cache.go): a small LRU set of owner identities the
// collector has verified absent, so the dependents of a deleted owner do not each GET it again.

export class ReferenceCache {
  private readonly max: number;
  private readonly keys = new Map<string, true>();

  constructor(max = 500) {
    this.max = Math.max(1, max);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size > this.max) this.keys.delete(this.keys.keys().next().value as string);
  }

  /** True when present; a hit makes the key most recently used. */
  has(key: string): boolean {
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.set(key, true);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
