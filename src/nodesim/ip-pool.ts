// Pod IPs of one simulated node, handed out the way the CNI `host-local` IPAM plugin does it
// (containernetworking/plugins plugins/ipam/host-local/backend/allocator: RangeIter starts right after the
// last reserved address and wraps around). So addresses are sequential, and an address released a moment
// ago is the LAST candidate, not the first: a pod deleted and recreated gets a new IP (seed 003 step 5),
// which is what a real node does and what KWOK's pool (which recycles at once) does not.
//
// The range is the node's podCIDR minus the network address, the gateway (.1, the node's bridge by
// convention) and the broadcast address: a /24 yields .2 – .254.

import { cidrContains, formatIPv4, parseCIDRv4, parseIPv4, type CIDR } from './cidr.ts';

export class IpPoolExhaustedError extends Error {
  constructor(cidr: string) {
    super(`no free pod IP left in ${cidr}`);
    this.name = 'IpPoolExhaustedError';
  }
}

export class IpPool {
  readonly cidr: string;
  private readonly range: CIDR;
  private readonly first: number;
  private readonly last: number;
  /** ip (number) → owner (pod UID). */
  private readonly used = new Map<number, string>();
  /** owner → ip. */
  private readonly byOwner = new Map<string, number>();
  /** The last address handed out or adopted; the next search starts after it. */
  private lastReserved: number;

  constructor(cidr: string) {
    const c = parseCIDRv4(cidr);
    if (!c) throw new TypeError(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
    if (c.prefix > 30) throw new RangeError(`pod CIDR ${cidr} is too small for a node (at most /30)`);
    this.cidr = cidr;
    this.range = c;
    this.first = c.base + 2;
    this.last = c.base + 2 ** (32 - c.prefix) - 2;
    this.lastReserved = this.first - 1;
  }

  /** Addresses the pool can hand out in total. */
  capacity(): number {
    return this.last - this.first + 1;
  }

  inUse(): number {
    return this.used.size;
  }

  /** The owner's address, allocating the next free one if it has none. Idempotent per owner. */
  allocate(owner: string): string {
    const have = this.byOwner.get(owner);
    if (have !== undefined) return formatIPv4(have);
    const n = this.capacity();
    let ip = this.lastReserved;
    for (let i = 0; i < n; i++) {
      ip = ip >= this.last ? this.first : ip + 1;
      if (!this.used.has(ip)) {
        this.take(ip, owner);
        this.lastReserved = ip;
        return formatIPv4(ip);
      }
    }
    throw new IpPoolExhaustedError(this.cidr);
  }

  /**
   * Records an address already in use (a pod found running after a restart). Returns false when the
   * address is outside the pool or held by another owner. The search cursor moves past the highest
   * adopted address, as host-local's on-disk `last_reserved_ip` would have it.
   */
  adopt(owner: string, ip: string): boolean {
    const n = parseIPv4(ip);
    if (n === undefined || !cidrContains(this.range, n) || n < this.first || n > this.last) return false;
    const holder = this.used.get(n);
    if (holder !== undefined) return holder === owner;
    const prior = this.byOwner.get(owner);
    if (prior !== undefined) this.used.delete(prior);
    this.take(n, owner);
    if (n > this.lastReserved) this.lastReserved = n;
    return true;
  }

  /** Frees the owner's address (no-op when it has none). */
  release(owner: string): void {
    const ip = this.byOwner.get(owner);
    if (ip === undefined) return;
    this.byOwner.delete(owner);
    this.used.delete(ip);
  }

  ipOf(owner: string): string | undefined {
    const ip = this.byOwner.get(owner);
    return ip === undefined ? undefined : formatIPv4(ip);
  }

  private take(ip: number, owner: string): void {
    this.used.set(ip, owner);
    this.byOwner.set(owner, ip);
  }
}
