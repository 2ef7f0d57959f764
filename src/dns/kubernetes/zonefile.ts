// Zone-file presentation of records (RFC 1035 §5.1 style, as dig prints them): used by the table tests to
// write expectations as `cassandra.default.svc.cluster.local. 5 IN A 10.244.1.5`, and by tools printing answers.

import { TYPE, type ResourceRecord } from '../message.ts';

const TYPE_NAMES = new Map<number, string>(Object.entries(TYPE).map(([k, v]) => [v, k]));

export function typeName(t: number): string { return TYPE_NAMES.get(t) ?? `TYPE${t}`; }

function fqdn(n: string): string { return n.endsWith('.') ? n : `${n}.`; }

function quote(s: string): string { return `"${s.replace(/["\\]/g, (m) => `\\${m}`)}"`; }

/** One record as a zone-file line: `owner. TTL IN TYPE RDATA`. */
export function formatRecord(r: ResourceRecord): string {
  const d = r.data;
  let rdata: string;
  switch (d.type) {
    case 'A': case 'AAAA': rdata = d.address; break;
    case 'CNAME': case 'PTR': case 'NS': rdata = fqdn(d.target); break;
    case 'SRV': rdata = `${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`; break;
    case 'TXT': rdata = d.strings.map(quote).join(' '); break;
    case 'SOA': rdata = `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`; break;
    case 'raw': rdata = `\\# ${d.data.length} ${Buffer.from(d.data).toString('hex')}`; break;
  }
  return `${fqdn(r.name)} ${r.ttl} ${r.class === 1 ? 'IN' : `CLASS${r.class}`} ${typeName(r.type)} ${rdata}`;
}
