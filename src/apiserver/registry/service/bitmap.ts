// A fixed-size allocation bitmap with kube's "random scan with offset" strategy
// (pkg/registry/core/service/allocator/bitmap.go randomScanStrategyWithOffset, KEP-3070): dynamic
// allocation starts at a random point of the upper band [offset, max) and scans forward with
// wraparound; only when the upper band is full does it try the lower band [0, offset), again from a
// random start. Static allocation may take any free index. All operations are synchronous, so two
// requests in the same process can never receive the same index.

export type RandomSource = () => number; // [0, 1), like Math.random

export class RandomScanBitmap {
  readonly max: number;
  readonly offset: number;
  private readonly bits: Uint8Array;
  private readonly rand: RandomSource;
  private used = 0;

  constructor(max: number, offset: number, rand: RandomSource = Math.random) {
    this.max = Math.max(0, Math.floor(max));
    this.offset = Math.min(Math.max(0, Math.floor(offset)), this.max);
    this.bits = new Uint8Array(Math.ceil(this.max / 8));
    this.rand = rand;
  }

  private intn(n: number): number {
    const v = Math.floor(this.rand() * n);
    return v >= 0 && v < n ? v : 0;
  }

  has(i: number): boolean {
    return i >= 0 && i < this.max && (this.bits[i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** Marks i as used. False when i is out of range or already used. */
  allocate(i: number): boolean {
    if (!Number.isInteger(i) || i < 0 || i >= this.max || this.has(i)) return false;
    this.bits[i >> 3] |= 1 << (i & 7);
    this.used++;
    return true;
  }

  /** Picks a free index (upper band first) and marks it; -1 when full. */
  allocateNext(): number {
    if (this.used >= this.max) return -1;
    const upper = this.max - this.offset;
    if (upper > 0) {
      const start = this.intn(upper);
      for (let k = 0; k < upper; k++) {
        const at = this.offset + ((start + k) % upper);
        if (!this.has(at)) { this.allocate(at); return at; }
      }
    }
    if (this.offset > 0) {
      const start = this.intn(this.offset);
      for (let k = 0; k < this.offset; k++) {
        const at = (start + k) % this.offset;
        if (!this.has(at)) { this.allocate(at); return at; }
      }
    }
    return -1;
  }

  release(i: number): void {
    if (!this.has(i)) return;
    this.bits[i >> 3] &= ~(1 << (i & 7));
    this.used--;
  }

  clear(): void {
    this.bits.fill(0);
    this.used = 0;
  }

  get count(): number { return this.used; }
  get free(): number { return this.max - this.used; }
}
