// ClusterIP allocation over one service CIDR (pkg/registry/core/service/ipallocator/bitmap.go).
// Usable range: network address excluded, and for IPv4 the broadcast address too; IPv6 ranges are
// capped at 65536 addresses. Reserved low band: offset = min(max(16, size/16), 256), 0 for ranges of at
// most 16 addresses (calculateRangeOffset), so 10.96.0.1 … 10.96.1.0 in a /12 are only handed out
// dynamically once everything above is taken, while static requests may use them at any time.

import { formatIP, parseCIDR, parseIP, type IPFamily, type ParsedCIDR } from '../../../api/validation.ts';
import { RandomScanBitmap, type RandomSource } from './bitmap.ts';

/** ErrAllocated / ErrFull / ErrNotInRange of ipallocator and portallocator, with their texts. */
export class AllocatorError extends Error {
  readonly kind: 'allocated' | 'full' | 'notInRange';
  constructor(kind: 'allocated' | 'full' | 'notInRange', message: string) {
    super(message);
    this.name = 'AllocatorError';
    this.kind = kind;
  }
}

export const ERR_FULL = 'range is full';
export const ERR_IP_ALLOCATED = 'provided IP is already allocated';

/** calculateRangeOffset for IP ranges: min(max(16, cidrSize/16), 256), or 0 when cidrSize ≤ 16. */
export function ipRangeOffset(cidrSize: bigint): number {
  if (cidrSize <= 16n) return 0;
  const off = cidrSize / 16n;
  if (off < 16n) return 16;
  if (off > 256n) return 256;
  return Number(off);
}

export class IPRangeAllocator {
  readonly family: IPFamily;
  /** The range as Go's net.IPNet prints it, e.g. 10.96.0.0/12. */
  readonly cidr: string;
  private readonly net: ParsedCIDR;
  private readonly base: bigint;
  private readonly bitmap: RandomScanBitmap;

  constructor(cidr: string, rand: RandomSource = Math.random) {
    const net = parseCIDR(cidr);
    if (!net || (net.bits === 128 && net.family === 'IPv4')) throw new Error(`invalid service CIDR ${JSON.stringify(cidr)}`);
    this.net = net;
    this.family = net.family;
    this.cidr = `${formatIP({ family: net.family, value: net.network })}/${net.prefix}`;
    const size = 1n << BigInt(net.bits - net.prefix);
    let max = size;
    if (this.family === 'IPv6') { if (max > 65536n) max = 65536n; } else max -= 1n; // IPv4 broadcast
    max -= 1n; // network address
    if (max < 0n) max = 0n;
    this.base = net.network + 1n;
    this.bitmap = new RandomScanBitmap(Number(max), ipRangeOffset(size), rand);
  }

  private indexOf(ip: string): number {
    const p = parseIP(ip);
    if (!p || p.family !== this.family) return -1;
    const i = p.value - this.base;
    if (i < 0n || i >= BigInt(this.bitmap.max)) return -1;
    return Number(i);
  }

  private ipAt(i: number): string {
    return formatIP({ family: this.family, value: this.base + BigInt(i) });
  }

  contains(ip: string): boolean { return this.indexOf(ip) >= 0; }
  has(ip: string): boolean { const i = this.indexOf(ip); return i >= 0 && this.bitmap.has(i); }

  /** Allocate(ip): ErrNotInRange / ErrAllocated. */
  allocate(ip: string): void {
    const i = this.indexOf(ip);
    if (i < 0) throw new AllocatorError('notInRange', `provided IP is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (!this.bitmap.allocate(i)) throw new AllocatorError('allocated', ERR_IP_ALLOCATED);
  }

  /** AllocateNext(): a random free IP, upper band first; ErrFull. */
  allocateNext(): string {
    const i = this.bitmap.allocateNext();
    if (i < 0) throw new AllocatorError('full', ERR_FULL);
    return this.ipAt(i);
  }

  /** Release(ip): releasing an IP outside the range or not allocated is a no-op, as upstream. */
  release(ip: string): void {
    const i = this.indexOf(ip);
    if (i >= 0) this.bitmap.release(i);
  }

  clear(): void { this.bitmap.clear(); }
  get used(): number { return this.bitmap.count; }
  get free(): number { return this.bitmap.free; }
  get size(): number { return this.bitmap.max; }
  get offset(): number { return this.bitmap.offset; }
}
