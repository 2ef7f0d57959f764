// IP address helpers for the resolver, on the wire codec's parsers (src/dns/wire/ip.ts: Go's net.ParseIP
// strictness, no leading zeros in IPv4 octets; RFC 5952 text, what Go's IP.String prints and what CoreDNS
// compares): the family as Go sees it, dashed names (rule book §5.3, §9.1) and reverse names (§8.4).

import { formatIPv4, formatIPv6, parseIPv4, parseIPv6, parseReverseName } from '../wire/ip.ts';

export interface ParsedIP { family: 4 | 6; text: string }

/** Canonical text and family of an IP, or undefined when it is not one (as Go's net.ParseIP). */
export function canonicalIP(s: string): ParsedIP | undefined {
  if (s.includes(':')) {
    const b = parseIPv6(s);
    if (!b) return undefined;
    const text = formatIPv6(b);
    // Go treats IPv4-mapped IPv6 addresses as IPv4 (To4 != nil).
    if (text.startsWith('::ffff:') && text.includes('.')) return { family: 4, text: text.slice(7) };
    return { family: 6, text };
  }
  const v4 = parseIPv4(s);
  return v4 ? { family: 4, text: formatIPv4(v4) } : undefined;
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
  const text = parseReverseName(name);
  return text === null ? undefined : canonicalIP(text)?.text;
}
