// IP address text <-> bytes and reverse names (rule book §8.4: ip6.arpa uses 32 nibbles, IPv6 text is
// canonical: RFC 5952 compressed lower case). Pure functions; invalid input gives null.

/** Parses dotted-quad IPv4 (no leading zeros, as Go's net.ParseIP since 1.17). */
export function parseIPv4(text: string): Uint8Array | null {
  const out = new Uint8Array(4);
  return parseIPv4Into(text, 0, text.length, out, 0) ? out : null;
}

/** Parses IPv4 text s[start..end) into out[at..at+4); false if invalid. */
export function parseIPv4Into(s: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let i = start;
  while (part < 4) {
    if (i >= end) return false;
    let v = 0;
    let digits = 0;
    const first = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      digits++;
      i++;
      if (digits > 3) return false;
    }
    if (digits === 0 || v > 255) return false;
    if (digits > 1 && s.charCodeAt(first) === 48) return false;
    out[at + part] = v;
    part++;
    if (part < 4) {
      if (i >= end || s.charCodeAt(i) !== 46) return false;
      i++;
    }
  }
  return i === end;
}

export function formatIPv4(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 text (`::` compression, an embedded dotted IPv4 tail, any case). No zone ids. */
export function parseIPv6(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const n = text.length;
  if (n < 2 || n > 45) return null;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
    if (i === n) return out; // "::"
  }
  while (i < n) {
    // one group: up to 4 hex digits, or a dotted IPv4 tail
    let j = i;
    let v = 0;
    while (j < n && j - i < 5) {
      const h = hexVal(text.charCodeAt(j));
      if (h < 0) break;
      v = v * 16 + h;
      j++;
    }
    if (j < n && text.charCodeAt(j) === 46) {
      // IPv4 tail: must be last and leave room for two groups
      const tmp = new Uint8Array(4);
      if (!parseIPv4Into(text, i, n, tmp, 0)) return null;
      groups.push((tmp[0] << 8) | tmp[1], (tmp[2] << 8) | tmp[3]);
      i = n;
      break;
    }
    if (j === i || j - i > 4) return null;
    groups.push(v);
    i = j;
    if (i === n) break;
    if (text.charCodeAt(i) !== 58) return null;
    i++;
    if (i < n && text.charCodeAt(i) === 58) {
      if (gap >= 0) return null;
      gap = groups.length;
      i++;
      if (i === n) break;
    } else if (i === n) {
      return null; // trailing single colon
    }
  }
  if (gap < 0) {
    if (groups.length !== 8) return null;
  } else if (groups.length > 7) {
    return null;
  }
  const tail = gap < 0 ? 0 : groups.length - gap;
  for (let g = 0; g < groups.length; g++) {
    const slot = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
    out[slot * 2] = groups[g] >> 8;
    out[slot * 2 + 1] = groups[g] & 0xff;
  }
  return out;
}

/**
 * RFC 5952 text: lower case, no leading zeros, the longest run (first on a tie) of two or more zero
 * groups as `::`; IPv4-mapped addresses (::ffff:0:0/96) as `::ffff:a.b.c.d` (RFC 5952 §5).
 */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** Canonical text of an IPv4 or IPv6 address, or null if it is neither. */
export function canonicalIP(text: string): string | null {
  const v4 = parseIPv4(text);
  if (v4) return formatIPv4(v4);
  const v6 = parseIPv6(text);
  return v6 ? formatIPv6(v6) : null;
}

const HEX = '0123456789abcdef';

/** `10.0.0.1` → `1.0.0.10.in-addr.arpa`; IPv6 → 32 nibbles + `.ip6.arpa` (§8.4). No trailing dot. */
export function reverseName(ip: string): string | null {
  const v4 = parseIPv4(ip);
  if (v4) return `${v4[3]}.${v4[2]}.${v4[1]}.${v4[0]}.in-addr.arpa`;
  const v6 = parseIPv6(ip);
  if (!v6) return null;
  let s = '';
  for (let i = 15; i >= 0; i--) s += `${HEX[v6[i] & 15]}.${HEX[v6[i] >> 4]}.`;
  return `${s}ip6.arpa`;
}

/**
 * The address a full reverse name stands for, in canonical text; null for a partial name, a name outside
 * in-addr.arpa/ip6.arpa, or bad labels (§8.5). Case-insensitive; a trailing dot is accepted.
 */
export function parseReverseName(name: string): string | null {
  let n = name.toLowerCase();
  if (n.endsWith('.')) n = n.slice(0, -1);
  if (n.endsWith('.in-addr.arpa')) {
    const labels = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (labels.length !== 4) return null;
    const text = `${labels[3]}.${labels[2]}.${labels[1]}.${labels[0]}`;
    const b = parseIPv4(text);
    return b ? formatIPv4(b) : null;
  }
  if (n.endsWith('.ip6.arpa')) {
    const labels = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (labels.length !== 32) return null;
    const b = new Uint8Array(16);
    for (let i = 0; i < 32; i++) {
      const l = labels[i];
      if (l.length !== 1) return null;
      const h = hexVal(l.charCodeAt(0));
      if (h < 0) return null;
      const nib = 31 - i; // nibble index from the most significant end
      if (nib % 2 === 0) b[nib >> 1] |= h << 4;
      else b[nib >> 1] |= h;
    }
    return formatIPv6(b);
  }
  return null;
}
