// Prometheus text metrics of the DNS servers. Each thread counts in its own DnsMetrics; worker threads
// send snapshots to the main thread, which renders the sum (see README "Threads").

import { TYPE, RCODE } from '../message.ts';

/** CoreDNS's request duration buckets: ExponentialBuckets(0.00025, 2, 16) = 0.25 ms … 8.192 s. */
export const DURATION_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE).map(([k, v]) => [v, k]));
const RCODE_NAMES = new Map<number, string>(Object.entries(RCODE).map(([k, v]) => [v, k]));

export function typeName(t: number): string { return TYPE_NAMES.get(t) ?? 'other'; }
export function rcodeName(r: number): string { return RCODE_NAMES.get(r) ?? String(r); }

export interface MetricsSnapshot {
  /** "TYPE|RCODE" → count. */
  requests: Record<string, number>;
  buckets: number[];
  sum: number;
  count: number;
  dropped: number;
}

export function emptySnapshot(): MetricsSnapshot {
  return { requests: {}, buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0, dropped: 0 };
}

export class DnsMetrics {
  /** Requests by (qtype + 1) * 4096 + rcode (0 for "other"): counted by number on the hot path, named in snap. */
  private readonly requests = new Map<number, number>();
  private readonly buckets: number[] = DURATION_BUCKETS.map(() => 0);
  private sum = 0;
  private count = 0;
  private dropped = 0;

  /** One answered request; `seconds` from receipt to the reply being handed to the socket. */
  observe(qtype: number | undefined, rcode: number, seconds: number): void {
    const k = (qtype === undefined ? 0 : qtype + 1) * 4096 + (rcode & 4095);
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1);
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]) { this.buckets[i]++; break; }
  }

  /** A packet dropped without an answer (no readable header, or a response sent to us). */
  drop(): void { this.dropped++; }

  /** The counts so far, with type and rcode names (what workers post and renderMetrics sums). */
  get snap(): MetricsSnapshot {
    const requests: Record<string, number> = {};
    for (const [k, v] of this.requests) {
      const t = Math.floor(k / 4096);
      const key = `${t === 0 ? 'other' : typeName(t - 1)}|${rcodeName(k % 4096)}`;
      requests[key] = (requests[key] ?? 0) + v;
    }
    return { requests, buckets: [...this.buckets], sum: this.sum, count: this.count, dropped: this.dropped };
  }
}

export function mergeSnapshots(list: MetricsSnapshot[]): MetricsSnapshot {
  const out = emptySnapshot();
  for (const s of list) {
    for (const [k, v] of Object.entries(s.requests)) out.requests[k] = (out.requests[k] ?? 0) + v;
    for (let i = 0; i < out.buckets.length; i++) out.buckets[i] += s.buckets[i] ?? 0;
    out.sum += s.sum;
    out.count += s.count;
    out.dropped += s.dropped;
  }
  return out;
}

export function renderMetrics(s: MetricsSnapshot, names: number): string {
  const lines: string[] = [];
  lines.push('# HELP kubedisco_dns_requests_total DNS requests answered, by query type and response code.');
  lines.push('# TYPE kubedisco_dns_requests_total counter');
  for (const k of Object.keys(s.requests).sort()) {
    const [type, rcode] = k.split('|');
    lines.push(`kubedisco_dns_requests_total{type="${type}",rcode="${rcode}"} ${s.requests[k]}`);
  }
  lines.push('# HELP kubedisco_dns_request_duration_seconds Time from receiving a DNS request to sending its answer.');
  lines.push('# TYPE kubedisco_dns_request_duration_seconds histogram');
  let cum = 0;
  for (let i = 0; i < DURATION_BUCKETS.length; i++) {
    cum += s.buckets[i];
    lines.push(`kubedisco_dns_request_duration_seconds_bucket{le="${DURATION_BUCKETS[i]}"} ${cum}`);
  }
  lines.push(`kubedisco_dns_request_duration_seconds_bucket{le="+Inf"} ${s.count}`);
  lines.push(`kubedisco_dns_request_duration_seconds_sum ${s.sum}`);
  lines.push(`kubedisco_dns_request_duration_seconds_count ${s.count}`);
  lines.push('# HELP kubedisco_dns_dropped_total DNS packets dropped without an answer (no header, or a response).');
  lines.push('# TYPE kubedisco_dns_dropped_total counter');
  lines.push(`kubedisco_dns_dropped_total ${s.dropped}`);
  lines.push('# HELP kubedisco_dns_names Names the cluster DNS currently serves.');
  lines.push('# TYPE kubedisco_dns_names gauge');
  lines.push(`kubedisco_dns_names ${names}`);
  return lines.join('\n') + '\n';
}
