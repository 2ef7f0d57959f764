// A resolver for server tests (the real one is src/dns/kubernetes): zone cluster.local with
// one.default.svc (1 A), many.default.svc (`many` A records, enough to truncate), boom.cluster.local
// (throws), NXDOMAIN with SOA for other in-zone names, out of zone (undefined) for the rest.

import { CLASS_IN, RCODE, TYPE, type Answer, type Question, type ResourceRecord } from '../../message.ts';
import type { Resolver } from '../types.ts';

export interface FakeResolverArg { ready?: boolean; many?: number }

export type FakeResolver = Resolver & { setReady(v: boolean): void; setOneIP(ip: string): void; calls: number };

/** Every fake resolver created in this thread, newest last (tests reach the one a server made). */
export const created: FakeResolver[] = [];

export function createFakeResolver(arg: FakeResolverArg = {}): FakeResolver {
  let ready = arg.ready ?? true;
  let version = 0;
  const listeners: Array<() => void> = [];
  const changed = (): void => { version++; for (const l of listeners) l(); };
  let oneIP = '10.96.0.10';
  const many = arg.many ?? 60;
  const a = (name: string, ip: string): ResourceRecord => ({ name, type: TYPE.A, class: CLASS_IN, ttl: 5, data: { type: 'A', address: ip } });
  const soa = (zone: string): ResourceRecord => ({ name: zone, type: TYPE.SOA, class: CLASS_IN, ttl: 5, data: { type: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 } });
  const r: FakeResolver = {
    calls: 0,
    ready: () => ready,
    version: () => version,
    onChange: (l) => { listeners.push(l); },
    setReady(v) { ready = v; changed(); },
    /** Changes the answer of one.default.svc (a view change: the version moves). */
    setOneIP(ip) { oneIP = ip; changed(); },
    names: () => 2,
    resolve(q: Question): Answer | undefined {
      this.calls++;
      const n = q.name.toLowerCase();
      if (n !== 'cluster.local' && !n.endsWith('.cluster.local')) return undefined;
      const zone = q.name.slice(q.name.length - 'cluster.local'.length);
      if (n === 'boom.cluster.local') throw new Error('resolver bug');
      const ok = (answers: ResourceRecord[]): Answer => ({ rcode: RCODE.NOERROR, authoritative: true, answers, authorities: [], additionals: [] });
      if (n === 'one.default.svc.cluster.local' && q.type === TYPE.A) return ok([a(q.name, oneIP)]);
      if (n === 'many.default.svc.cluster.local' && q.type === TYPE.A) return ok(Array.from({ length: many }, (_, i) => a(q.name, `10.244.${i >> 8}.${i & 255}`)));
      return { rcode: RCODE.NXDOMAIN, authoritative: true, answers: [], authorities: [soa(zone)], additionals: [] };
    },
  };
  created.push(r);
  return r;
}
