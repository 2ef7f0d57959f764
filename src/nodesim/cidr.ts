// IPv4 arithmetic for the node simulator: the pod CIDR split into one subnet per node (kube-controller-manager's
// node IPAM: `--cluster-cidr` cut into `--node-cidr-mask-size` blocks, /24 by default, node i gets block i), and
// node InternalIPs from their own range. These addresses only ever appear in API objects: nothing here (or
// anywhere in the simulator) opens a socket to them.

export interface CIDR {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** An IPv4 CIDR in canonical form (host bits zero), as net.ParseCIDR + the API's validation accept it. */
export function parseCIDRv4(s: string): CIDR | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const ip = parseIPv4(m[1]);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const base = (ip & maskOf(prefix)) >>> 0;
  if (base !== ip) return undefined;
  return { base, prefix };
}

export function formatCIDR(c: CIDR): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function cidrSize(c: CIDR): number {
  return 2 ** (32 - c.prefix);
}

export function cidrContains(c: CIDR, ip: number): boolean {
  return ((ip & maskOf(c.prefix)) >>> 0) === c.base;
}

/**
 * The index-th subnet of size /maskSize inside `cluster` (node IPAM's CIDR set hands them out in order).
 * Throws when the cluster CIDR has fewer than index+1 such subnets.
 */
export function nodeSubnet(cluster: CIDR, maskSize: number, index: number): CIDR {
  if (maskSize < cluster.prefix || maskSize > 30) {
    throw new RangeError(`node CIDR mask size /${maskSize} does not fit in the pod CIDR ${formatCIDR(cluster)} (it must be between /${cluster.prefix} and /30)`);
  }
  const count = 2 ** (maskSize - cluster.prefix);
  if (index >= count) {
    throw new RangeError(`the pod CIDR ${formatCIDR(cluster)} has room for ${count} node subnets of /${maskSize}; node ${index} does not fit`);
  }
  return { base: (cluster.base + index * 2 ** (32 - maskSize)) >>> 0, prefix: maskSize };
}

/** The index-th host address of a range (index 0 is base+1), for node InternalIPs. */
export function hostAddress(range: CIDR, index: number): string {
  const size = cidrSize(range);
  if (index + 1 >= size - 1) throw new RangeError(`the node IP range ${formatCIDR(range)} has addresses for ${Math.max(0, size - 2)} nodes; node ${index} does not fit`);
  return formatIPv4((range.base + index + 1) >>> 0);
}
