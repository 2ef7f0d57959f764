// Table tests of the resolver against the rule book (/work/shared/reference/cluster-dns-rules.md): every case
// names its sections; expectations are zone-file lines. The cluster is fixtures.test-helpers.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_IN, RCODE, TYPE, type Answer } from '../message.ts';
import { defaultDnsConfig, resolve, resolveChased, resolveUncached, type DnsConfig } from './resolve.ts';
import { formatRecord } from './zonefile.ts';
import { clusterView } from './fixtures.test-helpers.ts';

const SOA = 'cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5';
const SOA4 = 'in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1700000000 7200 1800 86400 5';
const V6_30 = '0.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa';

type RcodeName = keyof typeof RCODE | 'NODATA';

interface Case {
  name: string;
  q: string;
  type: keyof typeof TYPE;
  cfg?: Partial<DnsConfig>;
  /** NODATA = NOERROR with the SOA in authority. */
  rcode: RcodeName;
  answer?: string[];
  authority?: string[];
  additional?: string[];
  aa?: boolean;
}

const nx = (name: string, q: string, type: Case['type'] = 'A', cfg?: Partial<DnsConfig>, soa = SOA): Case => ({ name, q, type, cfg, rcode: 'NXDOMAIN', authority: [soa] });
const nodata = (name: string, q: string, type: Case['type'] = 'A', cfg?: Partial<DnsConfig>, soa = SOA): Case => ({ name, q, type, cfg, rcode: 'NODATA', authority: [soa] });
const ok = (name: string, q: string, type: Case['type'], answer: string[], additional: string[] = [], cfg?: Partial<DnsConfig>): Case => ({ name, q, type, cfg, rcode: 'NOERROR', answer, additional });

const cassSRV = (w: number, port = 9042) => [0, 1, 2].map((i) => `_cql._tcp.cassandra.default.svc.cluster.local. 5 IN SRV 0 ${w} ${port} cassandra-${i}.cassandra.default.svc.cluster.local.`);
const cassGlue = [
  'cassandra-0.cassandra.default.svc.cluster.local. 5 IN A 10.244.1.5',
  'cassandra-1.cassandra.default.svc.cluster.local. 5 IN A 10.244.2.6',
  'cassandra-2.cassandra.default.svc.cluster.local. 5 IN A 10.244.3.7',
];
const zk = 'kafka-zookeeper-headless.xxx-middleware.svc.cluster.local';
const zkGlue = [`kafka-zookeeper-0.${zk}. 5 IN A 10.233.66.179`, `kafka-zookeeper-1.${zk}. 5 IN A 10.233.66.181`, `kafka-zookeeper-2.${zk}. 5 IN A 10.233.69.223`];
const zkSRV = (port: number, name: string) => [0, 1, 2].map((i) => `_${name}._tcp.${zk}. 5 IN SRV 0 33 ${port} kafka-zookeeper-${i}.${zk}.`);

const cases: Case[] = [
  // --- seeds ---
  ok('seed cassandra: §5.1 A on a headless service returns every ready endpoint (§2.3 unready cassandra-3 left out)', 'cassandra.default.svc.cluster.local', 'A',
    ['cassandra.default.svc.cluster.local. 5 IN A 10.244.1.5', 'cassandra.default.svc.cluster.local. 5 IN A 10.244.2.6', 'cassandra.default.svc.cluster.local. 5 IN A 10.244.3.7']),
  ok('seed cassandra: §2.7 §5.3 StatefulSet pod name cassandra-0 returns pod 0', 'cassandra-0.cassandra.default.svc.cluster.local', 'A', ['cassandra-0.cassandra.default.svc.cluster.local. 5 IN A 10.244.1.5']),
  ok('seed cassandra: §5.4 §5.5 §5.6 SRV _cql._tcp: one per endpoint, weight 33, glue', '_cql._tcp.cassandra.default.svc.cluster.local', 'SRV', cassSRV(33), cassGlue),
  nx('seed cassandra: §2.3 §5.8 an unready endpoint name is NXDOMAIN', 'cassandra-3.cassandra.default.svc.cluster.local'),
  ok('seed moon: §5.1 headless-svc returns its 3 ready IPs (§2.4 terminating left out)', 'headless-svc.moon.svc.cluster.local', 'A',
    ['headless-svc.moon.svc.cluster.local. 5 IN A 10.244.1.10', 'headless-svc.moon.svc.cluster.local. 5 IN A 10.244.2.11', 'headless-svc.moon.svc.cluster.local. 5 IN A 10.244.3.12']),
  ok('seed moon: §4.1 regular-svc returns its ClusterIP', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  ok('seed kafka: §5.4 SRV on named port client 2181', `_client._tcp.${zk}`, 'SRV', zkSRV(2181, 'client'), zkGlue),
  ok('seed kafka: §5.4 SRV on named port election 3888', `_election._tcp.${zk}`, 'SRV', zkSRV(3888, 'election'), zkGlue),
  ok('seed kafka: §5.4 SRV on named port follower 2888', `_follower._tcp.${zk}`, 'SRV', zkSRV(2888, 'follower'), zkGlue),
  ok('seed kafka: §5.7 §5.6 bare SRV lists endpoints × ports, weight floor(100/9)', zk, 'SRV',
    [0, 1, 2].flatMap((i) => [2181, 3888, 2888].map((p) => `${zk}. 5 IN SRV 0 11 ${p} kafka-zookeeper-${i}.${zk}.`)), zkGlue),
  ok('seed external-db: §2.8 selectorless headless returns 10.0.0.50 and 10.0.0.51', 'external-db.default.svc.cluster.local', 'A',
    ['external-db.default.svc.cluster.local. 5 IN A 10.0.0.50', 'external-db.default.svc.cluster.local. 5 IN A 10.0.0.51']),
  ok('seed external-db: §5.7 §19.3 bare SRV targets are dashed IPs', 'external-db.default.svc.cluster.local', 'SRV',
    ['external-db.default.svc.cluster.local. 5 IN SRV 0 50 5432 10-0-0-50.external-db.default.svc.cluster.local.', 'external-db.default.svc.cluster.local. 5 IN SRV 0 50 5432 10-0-0-51.external-db.default.svc.cluster.local.'],
    ['10-0-0-50.external-db.default.svc.cluster.local. 5 IN A 10.0.0.50', '10-0-0-51.external-db.default.svc.cluster.local. 5 IN A 10.0.0.51']),

  // --- §4 ClusterIP services ---
  nodata('§4.2 AAAA on an IPv4-only service is NODATA', 'regular-svc.moon.svc.cluster.local', 'AAAA'),
  ok('§4.4 §4.5 SRV _http._tcp: Service port, target the service, ClusterIP glue', '_http._tcp.regular-svc.moon.svc.cluster.local', 'SRV',
    ['_http._tcp.regular-svc.moon.svc.cluster.local. 5 IN SRV 0 100 80 regular-svc.moon.svc.cluster.local.'], ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  ok('§3.2 SRV without underscores reads the same', 'http.tcp.regular-svc.moon.svc.cluster.local', 'SRV',
    ['http.tcp.regular-svc.moon.svc.cluster.local. 5 IN SRV 0 100 80 regular-svc.moon.svc.cluster.local.'], ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  nx('§4.4 wrong protocol is NXDOMAIN', '_http._udp.regular-svc.moon.svc.cluster.local', 'SRV'),
  nx('§4.4 unknown port name is NXDOMAIN', '_nope._tcp.regular-svc.moon.svc.cluster.local', 'SRV'),
  ok('§4.6 bare SRV on a ClusterIP service', 'regular-svc.moon.svc.cluster.local', 'SRV',
    ['regular-svc.moon.svc.cluster.local. 5 IN SRV 0 100 80 regular-svc.moon.svc.cluster.local.'], ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  ok('§4.3 dual-stack A', 'dual.default.svc.cluster.local', 'A', ['dual.default.svc.cluster.local. 5 IN A 10.96.0.30']),
  ok('§4.3 dual-stack AAAA', 'dual.default.svc.cluster.local', 'AAAA', ['dual.default.svc.cluster.local. 5 IN AAAA fd00::30']),
  ok('§4.5 §4.7 dual-stack SRV: one record weight 50, A and AAAA glue', '_http._tcp.dual.default.svc.cluster.local', 'SRV',
    ['_http._tcp.dual.default.svc.cluster.local. 5 IN SRV 0 50 80 dual.default.svc.cluster.local.'],
    ['dual.default.svc.cluster.local. 5 IN A 10.96.0.30', 'dual.default.svc.cluster.local. 5 IN AAAA fd00::30']),
  ok('§4.1 a ClusterIP service without endpoints still answers', 'empty-cip.default.svc.cluster.local', 'A', ['empty-cip.default.svc.cluster.local. 5 IN A 10.96.0.40']),
  ok('§4.8 endpoint dashed name under a ClusterIP service', '10-244-1-10.regular-svc.moon.svc.cluster.local', 'A', ['10-244-1-10.regular-svc.moon.svc.cluster.local. 5 IN A 10.244.1.10']),
  ok('§12.2 A on a _port._proto name returns the ClusterIP (quirk)', '_http._tcp.regular-svc.moon.svc.cluster.local', 'A', ['_http._tcp.regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  ok('§12.2 A on a _port._proto name of a headless service returns endpoint IPs (quirk)', `_client._tcp.${zk}`, 'A',
    [`_client._tcp.${zk}. 5 IN A 10.233.66.179`, `_client._tcp.${zk}. 5 IN A 10.233.66.181`, `_client._tcp.${zk}. 5 IN A 10.233.69.223`]),

  // --- §5 headless ---
  ok('§5.3 dashed IPv4 endpoint name', '10-244-2-11.headless-svc.moon.svc.cluster.local', 'A', ['10-244-2-11.headless-svc.moon.svc.cluster.local. 5 IN A 10.244.2.11']),
  nx('§5.3 an endpoint with a hostname is not reachable under its dashed IP', '10-244-1-5.cassandra.default.svc.cluster.local'),
  nx('§14.4 pod names are not endpoint names without endpoint_pod_names', 'web-b.headless-svc.moon.svc.cluster.local'),
  ok('§14.4 §5.3 endpoint_pod_names: the targetRef pod name', 'web-b.headless-svc.moon.svc.cluster.local', 'A', ['web-b.headless-svc.moon.svc.cluster.local. 5 IN A 10.244.2.11'], [], { endpointPodNames: true }),
  ok('§14.4 endpoint_pod_names: SRV targets use pod names, hostnames still win', '_cql._tcp.cassandra.default.svc.cluster.local', 'SRV', cassSRV(33), cassGlue, { endpointPodNames: true }),
  ok('§5.5 §5.7 §19.1 bare SRV on headless with an unnamed port uses the endpoint port', 'headless-svc.moon.svc.cluster.local', 'SRV',
    ['10-244-1-10', '10-244-2-11', '10-244-3-12'].map((h) => `headless-svc.moon.svc.cluster.local. 5 IN SRV 0 33 8080 ${h}.headless-svc.moon.svc.cluster.local.`),
    ['10-244-1-10.headless-svc.moon.svc.cluster.local. 5 IN A 10.244.1.10', '10-244-2-11.headless-svc.moon.svc.cluster.local. 5 IN A 10.244.2.11', '10-244-3-12.headless-svc.moon.svc.cluster.local. 5 IN A 10.244.3.12']),
  ok('§5.7 SRV on an endpoint name: that endpoint × all ports', 'cassandra-1.cassandra.default.svc.cluster.local', 'SRV',
    ['cassandra-1.cassandra.default.svc.cluster.local. 5 IN SRV 0 100 9042 cassandra-1.cassandra.default.svc.cluster.local.'], ['cassandra-1.cassandra.default.svc.cluster.local. 5 IN A 10.244.2.6']),
  nx('§5.2 headless with no slice at all is NXDOMAIN', 'empty-hl.default.svc.cluster.local'),
  nx('§5.2 headless with zero ready endpoints is NXDOMAIN for SRV too', 'empty-hl.default.svc.cluster.local', 'SRV'),
  nx('§5.2 §2.3 headless whose only endpoint is unready is NXDOMAIN', 'unready-hl.default.svc.cluster.local'),
  nx('§5.2 headless with zero ready endpoints is NXDOMAIN for TXT', 'unready-hl.default.svc.cluster.local', 'TXT'),
  ok('§2.3 ready absent (null) counts as ready', 'nullready.default.svc.cluster.local', 'A', ['nullready.default.svc.cluster.local. 5 IN A 10.244.7.2']),
  ok('§2.9 §5.7 headless without ports: A works', 'noports.default.svc.cluster.local', 'A', ['noports.default.svc.cluster.local. 5 IN A 10.244.6.1']),
  nodata('§2.9 §5.7 headless without ports: SRV is NODATA', 'noports.default.svc.cluster.local', 'SRV'),
  ok('§5.9 IPv6 headless AAAA', 'v6only.default.svc.cluster.local', 'AAAA', ['v6only.default.svc.cluster.local. 5 IN AAAA fd00::', 'v6only.default.svc.cluster.local. 5 IN AAAA fd00::1:5']),
  nodata('§5.2 ready endpoints only of the other family: NODATA', 'v6only.default.svc.cluster.local', 'A'),
  ok('§5.3 dashed IPv6 ending in a dash gets a 0', 'fd00--0.v6only.default.svc.cluster.local', 'AAAA', ['fd00--0.v6only.default.svc.cluster.local. 5 IN AAAA fd00::']),
  ok('§5.3 dashed IPv6 endpoint name', 'fd00--1-5.v6only.default.svc.cluster.local', 'AAAA', ['fd00--1-5.v6only.default.svc.cluster.local. 5 IN AAAA fd00::1:5']),
  ok('§5.3 several endpoints sharing a hostname: the name returns all', 'same.dup.default.svc.cluster.local', 'A', ['same.dup.default.svc.cluster.local. 5 IN A 10.244.8.1', 'same.dup.default.svc.cluster.local. 5 IN A 10.244.8.2']),
  ok('§5.6 SRV de-duplicated on (target, port), weight from the pre-dedup count, glue per IP', '_http._tcp.dup.default.svc.cluster.local', 'SRV',
    ['_http._tcp.dup.default.svc.cluster.local. 5 IN SRV 0 50 80 same.dup.default.svc.cluster.local.'],
    ['same.dup.default.svc.cluster.local. 5 IN A 10.244.8.1', 'same.dup.default.svc.cluster.local. 5 IN A 10.244.8.2']),
  ok('§2.2 §5.1 slices of one service are merged, IPs de-duplicated', 'split.default.svc.cluster.local', 'A', ['split.default.svc.cluster.local. 5 IN A 10.244.9.1', 'split.default.svc.cluster.local. 5 IN A 10.244.9.2']),
  ok('§2.2 §5.6 merged slices: duplicate SRV dropped, weight counts it', 'split.default.svc.cluster.local', 'SRV',
    ['split.default.svc.cluster.local. 5 IN SRV 0 33 80 10-244-9-1.split.default.svc.cluster.local.', 'split.default.svc.cluster.local. 5 IN SRV 0 33 80 10-244-9-2.split.default.svc.cluster.local.'],
    ['10-244-9-1.split.default.svc.cluster.local. 5 IN A 10.244.9.1', '10-244-9-2.split.default.svc.cluster.local. 5 IN A 10.244.9.2']),

  // --- §7 ExternalName ---
  ok('§7.1 §7.2 CNAME query returns only the CNAME', 'ext.default.svc.cluster.local', 'CNAME', ['ext.default.svc.cluster.local. 5 IN CNAME db.example.com.']),
  ok('§7.3 A with an out-of-zone target and no upstream: the CNAME, NOERROR', 'ext.default.svc.cluster.local', 'A', ['ext.default.svc.cluster.local. 5 IN CNAME db.example.com.']),
  ok('§7.3 in-zone target chased', 'ext-in.default.svc.cluster.local', 'A',
    ['ext-in.default.svc.cluster.local. 5 IN CNAME regular-svc.moon.svc.cluster.local.', 'regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  ok('§7.3 in-zone chain chased', 'ext-chain.default.svc.cluster.local', 'A',
    ['ext-chain.default.svc.cluster.local. 5 IN CNAME ext-in.default.svc.cluster.local.', 'ext-in.default.svc.cluster.local. 5 IN CNAME regular-svc.moon.svc.cluster.local.', 'regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  nodata('§7.3 in-zone target without that type: the CNAME is dropped, NODATA (quirk)', 'ext-in.default.svc.cluster.local', 'AAAA'),
  nodata('§7.3 in-zone target that does not exist: NODATA (quirk)', 'ext-dead.default.svc.cluster.local', 'A'),
  nodata('§7.4 SRV on an ExternalName is NODATA (quirk)', 'ext.default.svc.cluster.local', 'SRV'),
  nodata('§7.4 TXT on an ExternalName is NODATA', 'ext.default.svc.cluster.local', 'TXT'),
  nodata('§7.4 §13.2 MX on an ExternalName is NODATA', 'ext.default.svc.cluster.local', 'MX'),
  nx('§7.4 _port._proto below an ExternalName is NXDOMAIN', '_http._tcp.ext.default.svc.cluster.local', 'SRV'),
  nx('§7.4 a name below an ExternalName is NXDOMAIN', 'x.ext.default.svc.cluster.local'),
  nx('§7.5 an ExternalName that is an IP gives NXDOMAIN (quirk)', 'ext-ip.default.svc.cluster.local'),

  // --- §8 PTR ---
  ok('§8.2 PTR of a ClusterIP', '20.0.96.10.in-addr.arpa', 'PTR', ['20.0.96.10.in-addr.arpa. 5 IN PTR regular-svc.moon.svc.cluster.local.']),
  ok('§8.2 §8.4 PTR of an IPv6 ClusterIP (ip6.arpa nibbles)', V6_30, 'PTR', [`${V6_30}. 5 IN PTR dual.default.svc.cluster.local.`]),
  ok('§8.3 PTR of a StatefulSet endpoint uses its hostname', '5.1.244.10.in-addr.arpa', 'PTR', ['5.1.244.10.in-addr.arpa. 5 IN PTR cassandra-0.cassandra.default.svc.cluster.local.']),
  ok('§8.3 a pod behind two services gets two PTRs', '10.1.244.10.in-addr.arpa', 'PTR',
    ['10.1.244.10.in-addr.arpa. 5 IN PTR 10-244-1-10.headless-svc.moon.svc.cluster.local.', '10.1.244.10.in-addr.arpa. 5 IN PTR 10-244-1-10.regular-svc.moon.svc.cluster.local.']),
  ok('§8.3 §14.4 PTR with endpoint_pod_names', '11.2.244.10.in-addr.arpa', 'PTR', ['11.2.244.10.in-addr.arpa. 5 IN PTR web-b.headless-svc.moon.svc.cluster.local.'], [], { endpointPodNames: true }),
  ok('§8.3 duplicates across slices removed', '1.9.244.10.in-addr.arpa', 'PTR', ['1.9.244.10.in-addr.arpa. 5 IN PTR 10-244-9-1.split.default.svc.cluster.local.']),
  nx('§8.5 §2.3 PTR of an unready endpoint: NXDOMAIN with the reverse zone SOA', '9.1.244.10.in-addr.arpa', 'PTR', undefined, SOA4),
  nx('§8.5 §2.2 PTR of an endpoint in a slice without service-name label', '9.9.244.10.in-addr.arpa', 'PTR', undefined, SOA4),
  nx('§8.5 PTR of an unknown IP', '1.1.1.1.in-addr.arpa', 'PTR', undefined, SOA4),
  nx('§8.5 partial reverse name', '244.10.in-addr.arpa', 'PTR', undefined, SOA4),
  nx('§8.5 non-PTR qtype on a reverse name (quirk)', '20.0.96.10.in-addr.arpa', 'A', undefined, SOA4),
  nodata('§8.5 PTR on an existing forward name is NODATA', 'regular-svc.moon.svc.cluster.local', 'PTR'),
  nx('§8.5 PTR on a missing forward name is NXDOMAIN', 'nope.moon.svc.cluster.local', 'PTR'),

  // --- §9 pods ---
  nx('§9.2 pods disabled: pod name NXDOMAIN', '10-244-5-5.default.pod.cluster.local', 'A', { pods: 'disabled' }),
  nx('§9.2 pods disabled: namespace under pod NXDOMAIN', 'default.pod.cluster.local', 'A', { pods: 'disabled' }),
  nodata('§9.5 pod.<zone> is NODATA in every mode', 'pod.cluster.local', 'A', { pods: 'disabled' }),
  ok('§9.3 pods insecure: any IP in an existing namespace', '1-2-3-4.default.pod.cluster.local', 'A', ['1-2-3-4.default.pod.cluster.local. 5 IN A 1.2.3.4'], [], { pods: 'insecure' }),
  ok('§9.1 §9.3 pods insecure: IPv6 pod name', 'fd00--5-6.default.pod.cluster.local', 'AAAA', ['fd00--5-6.default.pod.cluster.local. 5 IN AAAA fd00::5:6'], [], { pods: 'insecure' }),
  nodata('§9.5 A on an IPv6 pod name is NODATA', 'fd00--5-6.default.pod.cluster.local', 'A', { pods: 'insecure' }),
  nx('§9.3 pods insecure: unknown namespace', '1-2-3-4.nope.pod.cluster.local', 'A', { pods: 'insecure' }),
  nx('§9.3 pods insecure: not an IP', 'not-an-ip.default.pod.cluster.local', 'A', { pods: 'insecure' }),
  nodata('§9.5 pods insecure: <ns>.pod.<zone> is NODATA', 'default.pod.cluster.local', 'A', { pods: 'insecure' }),
  nx('§9.5 pods insecure: unknown <ns>.pod.<zone> is NXDOMAIN', 'nope.pod.cluster.local', 'A', { pods: 'insecure' }),
  ok('§9.4 pods verified: a cached pod with that podIP', '10-244-5-5.default.pod.cluster.local', 'A', ['10-244-5-5.default.pod.cluster.local. 5 IN A 10.244.5.5'], [], { pods: 'verified' }),
  nx('§9.4 pods verified: right IP, other namespace', '10-244-5-5.moon.pod.cluster.local', 'A', { pods: 'verified' }),
  nx('§9.4 §2.12 pods verified: a Succeeded pod', '10-244-5-7.default.pod.cluster.local', 'A', { pods: 'verified' }),
  nx('§9.4 §2.12 pods verified: a pod first seen terminating', '10-244-5-8.default.pod.cluster.local', 'A', { pods: 'verified' }),
  nx('§9.4 pods verified: secondary (dual-stack) IP (quirk)', 'fd00--5-6.default.pod.cluster.local', 'AAAA', { pods: 'verified' }),
  nx('§9.4 pods verified: no such pod', '1-2-3-4.default.pod.cluster.local', 'A', { pods: 'verified' }),

  // --- §10 dns-version ---
  ok('§10.1 TXT dns-version', 'dns-version.cluster.local', 'TXT', ['dns-version.cluster.local. 28800 IN TXT "1.1.0"']),
  nx('§10.3 A on dns-version is NXDOMAIN (quirk)', 'dns-version.cluster.local', 'A'),
  nodata('§10.2 TXT on an existing service is NODATA', 'regular-svc.moon.svc.cluster.local', 'TXT'),
  nx('§10.2 TXT on a missing name is NXDOMAIN', 'nope.default.svc.cluster.local', 'TXT'),

  // --- §11 apex ---
  ok('§11.1 SOA at the apex', 'cluster.local', 'SOA', [SOA]),
  ok('§1.5 §11.1 SOA TTL is min(ttl, 300), MINIMUM is ttl', 'cluster.local', 'SOA', ['cluster.local. 300 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 600'], [], { ttl: 600 }),
  nodata('§11.2 SOA below the apex is NODATA', 'regular-svc.moon.svc.cluster.local', 'SOA'),
  nodata('§11.2 SOA on a missing name is NODATA too (quirk)', 'nope.cluster.local', 'SOA'),
  ok('§11.3 NS: the DNS service selecting our IP, ClusterIP glue', 'cluster.local', 'NS', ['cluster.local. 5 IN NS kube-dns.kube-system.svc.cluster.local.'], ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'], { nsIPs: ['10.244.0.2'] }),
  ok('§11.3 NS: our IP in no endpoint gives ns.dns.<zone> with our IPs', 'cluster.local', 'NS', ['cluster.local. 5 IN NS ns.dns.cluster.local.'], ['ns.dns.cluster.local. 5 IN A 127.0.0.1'], { nsIPs: ['127.0.0.1'] }),
  ok('§11.3 A ns.dns.<zone>', 'ns.dns.cluster.local', 'A', ['ns.dns.cluster.local. 5 IN A 127.0.0.1'], [], { nsIPs: ['127.0.0.1'] }),
  nodata('§11.4 A at the apex is NODATA', 'cluster.local', 'A'),
  nodata('§11.4 HINFO at the apex is NODATA', 'cluster.local', 'HINFO'),
  { name: '§11.4 AXFR is REFUSED', q: 'cluster.local', type: 'AXFR', rcode: 'REFUSED', aa: false },
  nodata('§11.4 §12.1 NS below the apex on an existing name is NODATA', 'regular-svc.moon.svc.cluster.local', 'NS'),
  nx('§11.4 §12.1 NS below the apex on a missing name is NXDOMAIN', 'nope.moon.svc.cluster.local', 'NS'),
  { name: '§17.3 NS at a mixed-case apex is NODATA (quirk)', q: 'Cluster.Local', type: 'NS', rcode: 'NODATA', authority: ['Cluster.Local. 5 IN SOA ns.dns.Cluster.Local. hostmaster.Cluster.Local. 1700000000 7200 1800 86400 5'] },

  // --- §12 NXDOMAIN vs NODATA ---
  nodata('§12 svc.<zone> is NODATA', 'svc.cluster.local'),
  nodata('§12 existing namespace is NODATA', 'default.svc.cluster.local'),
  nodata('§12 existing namespace without services is NODATA', 'empty.svc.cluster.local'),
  nx('§12 §2.11 unknown namespace is NXDOMAIN', 'nope.svc.cluster.local'),
  nx('§3.1 §12 label before the zone not svc/pod', 'foo.cluster.local'),
  nx('§12 unknown service', 'nope.default.svc.cluster.local'),
  nx('§2.11 §12 service in an unknown namespace', 'regular-svc.nope.svc.cluster.local'),
  nx('§3.2 §12 three labels left of the service', 'a.b.c.regular-svc.moon.svc.cluster.local'),
  nx('§12 empty non-terminal _tcp.<svc> is NXDOMAIN (quirk)', '_tcp.regular-svc.moon.svc.cluster.local'),
  nodata('§12 §13.1 CNAME on a non-ExternalName service', 'regular-svc.moon.svc.cluster.local', 'CNAME'),
  nodata('§13.2 MX on a service', 'regular-svc.moon.svc.cluster.local', 'MX'),
  nodata('§12.1 §13.3 ANY on a service', 'regular-svc.moon.svc.cluster.local', 'ANY'),
  nodata('§12.1 CAA on a service', 'regular-svc.moon.svc.cluster.local', 'CAA'),
  nx('§12.1 HINFO on a missing name', 'nope.default.svc.cluster.local', 'HINFO'),
  nx('§18.1 * is an ordinary label', '*.default.svc.cluster.local'),
  nx('§18.1 "any" is an ordinary label', 'any.default.svc.cluster.local'),

  // --- §1 response shape, §17 case ---
  ok('§1.4 §17.2 owner keeps the query case; §3.3 §17.1 matching is case-insensitive', 'Cassandra-0.CASSANDRA.Default.svc.Cluster.Local', 'A', ['Cassandra-0.CASSANDRA.Default.svc.Cluster.Local. 5 IN A 10.244.1.5']),
  ok('§17.2 SRV targets: object labels lower case, zone in the query case', '_CQL._TCP.cassandra.default.svc.cLuStEr.LoCaL', 'SRV',
    [0, 1, 2].map((i) => `_CQL._TCP.cassandra.default.svc.cLuStEr.LoCaL. 5 IN SRV 0 33 9042 cassandra-${i}.cassandra.default.svc.cLuStEr.LoCaL.`),
    cassGlue.map((l) => l.replace('cluster.local.', 'cLuStEr.LoCaL.'))),
  { name: '§17.2 the SOA of a negative answer uses the zone as queried', q: 'nope.default.svc.Cluster.Local', type: 'A', rcode: 'NXDOMAIN', authority: ['Cluster.Local. 5 IN SOA ns.dns.Cluster.Local. hostmaster.Cluster.Local. 1700000000 7200 1800 86400 5'] },
  ok('§1.5 §14.2 the ttl option', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 30 IN A 10.96.0.20'], [], { ttl: 30 }),
  { name: '§1.5 §14.2 ttl 0', q: 'nope.moon.svc.cluster.local', type: 'A', cfg: { ttl: 0 }, rcode: 'NXDOMAIN', authority: ['cluster.local. 0 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 0'] },
  ok('trailing dot in the question is accepted', 'regular-svc.moon.svc.cluster.local.', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20']),
  { name: '§1.7 before sync a would-be NXDOMAIN is SERVFAIL with SOA', q: 'nope.default.svc.cluster.local', type: 'A', cfg: { synced: false }, rcode: 'SERVFAIL', authority: [SOA] },
  ok('§1.7 before sync positive answers are served', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20'], [], { synced: false }),
  nodata('§1.7 before sync NODATA stays NODATA', 'regular-svc.moon.svc.cluster.local', 'AAAA', { synced: false }),

  // --- §14 options ---
  nx('§14.5 ignore empty_service: ClusterIP service without endpoints is NXDOMAIN', 'empty-cip.default.svc.cluster.local', 'A', { ignoreEmptyService: true }),
  ok('§14.5 ignore empty_service: a service with endpoints still answers', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20'], [], { ignoreEmptyService: true }),
  ok('§14.5 ignore empty_service leaves ExternalName alone', 'ext.default.svc.cluster.local', 'CNAME', ['ext.default.svc.cluster.local. 5 IN CNAME db.example.com.'], [], { ignoreEmptyService: true }),
  ok('§14.6 namespaces: a listed namespace', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20'], [], { namespaces: ['moon'] }),
  nx('§14.6 namespaces: an unlisted namespace', 'cassandra.default.svc.cluster.local', 'A', { namespaces: ['moon'] }),
  nx('§14.6 namespaces: an unlisted namespace is NXDOMAIN at namespace level', 'default.svc.cluster.local', 'A', { namespaces: ['moon'] }),
  nx('§14.6 namespaces: endpoints of unlisted namespaces get no PTR', '5.1.244.10.in-addr.arpa', 'PTR', { namespaces: ['moon'] }, SOA4),
  ok('§14.6 namespace_labels: a matching namespace', 'api.prod.svc.cluster.local', 'A', ['api.prod.svc.cluster.local. 5 IN A 10.96.1.1'], [], { namespaceLabels: 'env=prod' }),
  nx('§14.6 namespace_labels: a namespace without the labels', 'regular-svc.moon.svc.cluster.local', 'A', { namespaceLabels: 'env=prod' }),
  ok('§14.6 namespace_labels does not filter PTR', '20.0.96.10.in-addr.arpa', 'PTR', ['20.0.96.10.in-addr.arpa. 5 IN PTR regular-svc.moon.svc.cluster.local.'], [], { namespaceLabels: 'env=prod' }),
  nx('§14.8 noendpoints: headless is NXDOMAIN', 'cassandra.default.svc.cluster.local', 'A', { noEndpoints: true }),
  nx('§14.8 noendpoints: endpoint names are NXDOMAIN', '10-244-1-10.regular-svc.moon.svc.cluster.local', 'A', { noEndpoints: true }),
  ok('§14.8 noendpoints: ClusterIP services still answer', 'regular-svc.moon.svc.cluster.local', 'A', ['regular-svc.moon.svc.cluster.local. 5 IN A 10.96.0.20'], [], { noEndpoints: true }),
  nx('§14.3 fallthrough only for the listed zones', 'nope.moon.svc.cluster.local', 'A', { fallthrough: ['in-addr.arpa', 'ip6.arpa'] }),
  nodata('§14.3 NODATA never falls through', 'regular-svc.moon.svc.cluster.local', 'AAAA', { fallthrough: [] }),
];

function rcodeOf(c: Case): number { return c.rcode === 'NODATA' ? RCODE.NOERROR : RCODE[c.rcode]; }

function check(a: Answer | undefined, c: Case): void {
  assert.ok(a, 'expected an answer');
  assert.equal(a.rcode, rcodeOf(c), 'rcode');
  assert.equal(a.authoritative, c.aa ?? true, 'AA bit (§1.1)');
  assert.deepEqual(a.answers.map(formatRecord), c.answer ?? [], 'answer section');
  assert.deepEqual(a.authorities.map(formatRecord), c.authority ?? [], 'authority section');
  assert.deepEqual(a.additionals.map(formatRecord), c.additional ?? [], 'additional section');
}

const view = clusterView();

for (const c of cases) {
  test(c.name, () => {
    const cfg = defaultDnsConfig(c.cfg);
    const q = { name: c.q, type: TYPE[c.type], class: CLASS_IN };
    check(resolveUncached(q, view, cfg), c);
    // The cached path returns the same answer, twice.
    check(resolve(q, view, cfg), c);
    check(resolve(q, view, cfg), c);
  });
}

test('§15 names outside every zone are not ours (undefined)', () => {
  const cfg = defaultDnsConfig();
  assert.equal(resolve({ name: 'example.com', type: TYPE.A, class: CLASS_IN }, view, cfg), undefined);
  assert.equal(resolve({ name: 'local', type: TYPE.A, class: CLASS_IN }, view, cfg), undefined);
  assert.equal(resolve({ name: 'xcluster.local', type: TYPE.A, class: CLASS_IN }, view, cfg), undefined);
});

test('§8.1 without reverse zones there is no PTR (undefined)', () => {
  assert.equal(resolve({ name: '20.0.96.10.in-addr.arpa', type: TYPE.PTR, class: CLASS_IN }, view, defaultDnsConfig({ reverseZones: [] })), undefined);
});

test('§14.3 fallthrough: name errors in the listed zones are handed on (undefined)', () => {
  const cfg = defaultDnsConfig({ fallthrough: ['in-addr.arpa', 'ip6.arpa'] });
  assert.equal(resolve({ name: '1.1.1.1.in-addr.arpa', type: TYPE.PTR, class: CLASS_IN }, view, cfg), undefined);
  assert.equal(resolve({ name: 'nope.moon.svc.cluster.local', type: TYPE.A, class: CLASS_IN }, view, defaultDnsConfig({ fallthrough: [] })), undefined);
});

test('§7.3 out-of-zone ExternalName chased through the upstream: CNAME + upstream records (upstream TTL kept)', async () => {
  const cfg = defaultDnsConfig();
  const asked: string[] = [];
  const a = await resolveChased({ name: 'ext.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }, view, cfg, async (q) => {
    asked.push(`${q.name} ${q.type}`);
    return { answers: [{ name: 'db.example.com', type: TYPE.A, class: CLASS_IN, ttl: 300, data: { type: 'A', address: '93.184.216.34' } }], truncated: true };
  });
  assert.deepEqual(asked, ['db.example.com 1']);
  assert.ok(a);
  assert.equal(a.rcode, RCODE.NOERROR);
  assert.equal(a.truncated, true);
  assert.deepEqual(a.answers.map(formatRecord), ['ext.default.svc.cluster.local. 5 IN CNAME db.example.com.', 'db.example.com. 300 IN A 93.184.216.34']);
});

test('§7.3 upstream failure drops the CNAME (NODATA); in-zone answers never ask the upstream', async () => {
  const cfg = defaultDnsConfig();
  const a = await resolveChased({ name: 'ext.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }, view, cfg, async () => { throw new Error('timeout'); });
  assert.ok(a);
  assert.equal(a.rcode, RCODE.NOERROR);
  assert.deepEqual(a.answers, []);
  assert.deepEqual(a.authorities.map(formatRecord), [SOA]);
  let called = false;
  const b = await resolveChased({ name: 'ext-in.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN }, view, cfg, async () => { called = true; return undefined; });
  assert.equal(called, false);
  assert.equal(b?.answers.length, 2);
});
