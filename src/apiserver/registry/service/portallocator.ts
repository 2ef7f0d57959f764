// NodePort allocation (pkg/registry/core/service/portallocator/allocator.go): the same random scan with a
// reserved low band, offset = min(max(16, size/32), 128) (0 for ranges of at most 16 ports), so with the
// default 30000-32767 dynamic ports come from 30086-32767 until those run out.

import { RandomScanBitmap, type RandomSource } from './bitmap.ts';
import { AllocatorError, ERR_FULL } from './ipallocator.ts';

export const ERR_PORT_ALLOCATED = 'provided port is already allocated';

export function portRangeOffset(size: number): number {
  if (size <= 16) return 0;
  const off = Math.floor(size / 32);
  if (off < 16) return 16;
  if (off > 128) return 128;
  return off;
}

export class PortAllocator {
  readonly min: number;
  readonly max: number;
  private readonly bitmap: RandomScanBitmap;

  constructor(range: { min: number; max: number }, rand: RandomSource = Math.random) {
    this.min = range.min;
    this.max = range.max;
    const size = Math.max(0, range.max - range.min + 1);
    this.bitmap = new RandomScanBitmap(size, portRangeOffset(size), rand);
  }

  /** net.PortRange.String(): `30000-32767`. */
  get rangeString(): string { return `${this.min}-${this.max}`; }

  contains(port: number): boolean { return Number.isInteger(port) && port >= this.min && port <= this.max; }
  has(port: number): boolean { return this.contains(port) && this.bitmap.has(port - this.min); }

  allocate(port: number): void {
    if (!this.contains(port)) throw new AllocatorError('notInRange', `provided port is not in the valid range. The range of valid ports is ${this.rangeString}`);
    if (!this.bitmap.allocate(port - this.min)) throw new AllocatorError('allocated', ERR_PORT_ALLOCATED);
  }

  allocateNext(): number {
    const i = this.bitmap.allocateNext();
    if (i < 0) throw new AllocatorError('full', ERR_FULL);
    return this.min + i;
  }

  release(port: number): void {
    if (this.contains(port)) this.bitmap.release(port - this.min);
  }

  clear(): void { this.bitmap.clear(); }
  get used(): number { return this.bitmap.count; }
  get free(): number { return this.bitmap.free; }
  get offset(): number { return this.bitmap.offset; }
}
