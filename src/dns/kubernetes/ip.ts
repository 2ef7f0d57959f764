// IP address helpers for the resolver: parsing with Go's net.ParseIP strictness (no leading zeros in IPv4
// octets), canonical RFC 5952 text (what Go's IP.String prints and what CoreDNS compares), dashed names
// (rule book §5.3, §9.1) and reverse names (§8.4).

/** Parses dotted-quad IPv4 (Go rules: 4 decimal octets 0..255, no leading zeros). */
export function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return undefined;
    for (let i = 0; i < p.length; i++) { const c = p.charCodeAt(i); if (c < 48 || c > 57) return undefined; }
    if (p.length > 1 && p[0] === '0') return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Parses IPv6 text (with optional embedded IPv4 tail) into 8 16-bit groups. */
export function parseIPv6(s: string): number[] | undefined {
  if (s.length < 2 || s.length > 45) return undefined;
  let head = s;
  let tail4: number[] | undefined;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
    tail4 = parseIPv4(s.slice(lastColon + 1));
    if (!tail4) return undefined;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return undefined;
  const parseGroups = (t: string): number[] | undefined => {
    if (t === '') return [];
    const gs = t.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (g.length === 0 || g.length > 4 || !/^[0-9a-fA-F]+$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseGroups(head.slice(0, dbl));
    const right = parseGroups(head.slice(dbl + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseGroups(head);
    if (!all || all.length !== 8) return undefined;
    groups = all;
  }
  if (tail4) { groups[6] = (tail4[0]! << 8) | tail4[1]!; groups[7] = (tail4[2]! << 8) | tail4[3]!; }
  return groups;
}

/** RFC 5952 text of 8 groups (Go's IP.String for non-mapped IPv6): longest zero run (≥2) compressed, first wins. */
export function formatIPv6(g: readonly number[]): string {
  // Go prints IPv4-mapped addresses as dotted quads; keep that form.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number, b: number) => g.slice(a, b).map((x) => x.toString(16)).join(':');
  if (bestLen < 2) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

export interface ParsedIP { family: 4 | 6; text: string }

/** Canonical text and family of an IP, or undefined when it is not one (as Go's net.ParseIP). */
export function canonicalIP(s: string): ParsedIP | undefined {
  if (s.includes(':')) {
    const g = parseIPv6(s);
    if (!g) return undefined;
    const text = formatIPv6(g);
    // Go treats IPv4-mapped IPv6 addresses as IPv4 (To4 != nil).
    if (text.startsWith('::ffff:') && text.includes('.')) return { family: 4, text: text.slice(7) };
    return { family: 6, text };
  }
  const v4 = parseIPv4(s);
  return v4 ? { family: 4, text: v4.join('.') } : undefined;
}

/** Endpoint name from an IP (rule book §5.3): dots or colons to dashes, a trailing dash gets a `0`. */
export function dashedIP(ip: string): string {
  if (ip.includes('.') && !ip.includes(':')) return ip.replaceAll('.', '-');
  const d = ip.replaceAll(':', '-');
  return d.endsWith('-') ? d + '0' : d;
}

/**
 * The IP named by a reverse name (lower case, no trailing dot), as CoreDNS's dnsutil.ExtractAddressFromReverse:
 * `d.c.b.a.in-addr.arpa` (exactly 4 octets) or 32 nibbles under `ip6.arpa`. Anything else: undefined.
 */
export function addressFromReverse(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const labels = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse();
    const v4 = parseIPv4(labels.join('.'));
    return v4 ? v4.join('.') : undefined;
  }
  if (name.endsWith('.ip6.arpa')) {
    const labels = name.slice(0, -'.ip6.arpa'.length).split('.').reverse();
    if (labels.length !== 32) return undefined;
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) {
      const chunk = labels.slice(i, i + 4);
      if (chunk.some((c) => c.length !== 1)) return undefined;
      groups.push(chunk.join(''));
    }
    return canonicalIP(groups.join(':'))?.text;
  }
  return undefined;
}
