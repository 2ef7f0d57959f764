// The informer transforms (strip.ts, CoreDNS plugin/kubernetes/object To* conversions): the view built from
// stripped objects must answer every question exactly as the view built from the full objects the API
// server sends (managedFields, status, uids, conditions...). The cluster is fixtures.test-helpers.ts,
// dressed as kube-apiserver would serve it; the questions cover every name the cluster has (rule book §3-§12)
// under every option that reads object data (§14.4-§14.8, §9 pods verified).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Namespace } from '../../api/types/namespace.ts';
import type { Pod } from '../../api/types/pod.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import { CLASS_IN, TYPE, type Question } from '../message.ts';
import { defaultDnsConfig, resolveUncached, type DnsConfig } from './resolve.ts';
import { ClusterView, type EventType } from './view.ts';
import { dashedIP } from './ip.ts';
import { newStrippers, stripperFor, type Strippers } from './strip.ts';
import { NOW_MS, clusterIP, clusterObjects, headless, ns, pod, slice } from './fixtures.test-helpers.ts';

type Obj = Service | EndpointSlice | Namespace | Pod;

let rvCounter = 1000;

/** The object as kube-apiserver serves it: server-set metadata, managedFields, status, defaulted fields. */
function dressed<T extends Obj>(o: T): T {
  const d = structuredClone(o) as T & { metadata: Record<string, unknown>; spec?: Record<string, unknown>; status?: Record<string, unknown> };
  Object.assign(d.metadata, {
    uid: `0b8f5c1e-0000-4000-8000-${String(rvCounter).padStart(12, '0')}`, resourceVersion: String(rvCounter++), generation: 1,
    creationTimestamp: '2024-05-01T10:00:00Z', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"'.padEnd(300, 'x') + '"}' },
    managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }],
    labels: { ...(d.metadata.labels as Record<string, string> | undefined), 'app.kubernetes.io/part-of': 'dns-test' },
  });
  switch (d.kind) {
    case 'Service':
      Object.assign(d.spec!, { selector: { app: d.metadata.name }, sessionAffinity: 'None', ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' });
      for (const p of (d.spec!.ports as Array<Record<string, unknown>> | undefined) ?? []) p.targetPort ??= p.port;
      d.status = { loadBalancer: {} };
      break;
    case 'EndpointSlice': {
      const s = d as unknown as EndpointSlice;
      (d.metadata.labels as Record<string, string>)['endpointslice.kubernetes.io/managed-by'] = 'endpointslice-controller.k8s.io';
      for (const ep of s.endpoints ?? []) {
        ep.nodeName = 'node-1';
        ep.zone = 'zone-a';
        if (ep.targetRef) ep.targetRef = { kind: 'Pod', namespace: d.metadata.namespace as string, name: ep.targetRef.name, uid: 'pod-uid' };
      }
      for (const p of s.ports ?? []) p.appProtocol = 'http';
      break;
    }
    case 'Namespace':
      d.spec = { finalizers: ['kubernetes'] };
      d.status = { phase: 'Active' };
      break;
    case 'Pod':
      d.spec = { nodeName: 'node-1', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] };
      Object.assign(d.status!, { hostIP: '192.168.0.1', conditions: [{ type: 'Ready', status: 'True' }] });
      break;
  }
  return d;
}

function kindOf(o: Obj): string { return o.kind!; }

function strip(s: Strippers, o: Obj, kind = kindOf(o)): Obj { return stripperFor(s, kind)!(o as unknown as KObject) as unknown as Obj; }

function view(): ClusterView { return new ClusterView({ trackPods: true, now: () => NOW_MS }); }

/** Every name the cluster has, and a few it has not, as questions of every type. */
function questions(objs: Obj[]): Question[] {
  const names = new Set<string>(['cluster.local', 'svc.cluster.local', 'pod.cluster.local', 'ns.dns.cluster.local', 'dns-version.cluster.local', 'nope.default.svc.cluster.local']);
  const ips = new Set<string>(['127.0.0.1', '10.96.0.99']);
  for (const o of objs) {
    const n = o.metadata.name!, nsName = o.metadata.namespace!;
    if (o.kind === 'Namespace') { names.add(`${n}.svc.cluster.local`); continue; }
    if (o.kind === 'Service') {
      const base = `${n}.${nsName}.svc.cluster.local`;
      names.add(base);
      for (const p of o.spec?.ports ?? []) for (const pn of [p.name ?? '', 'nope']) for (const pr of ['tcp', 'udp']) names.add(`_${pn}._${pr}.${base}`);
      for (const ip of o.spec?.clusterIPs ?? []) ips.add(ip);
      continue;
    }
    if (o.kind === 'EndpointSlice') {
      const svc = o.metadata.labels?.['kubernetes.io/service-name'] ?? 'orphan';
      for (const ep of o.endpoints ?? []) {
        for (const a of ep.addresses) {
          ips.add(a);
          for (const label of [ep.hostname, ep.targetRef?.name, dashedIP(a)]) if (label) names.add(`${label}.${svc}.${nsName}.svc.cluster.local`);
        }
      }
      continue;
    }
    if (o.kind === 'Pod') {
      const ip = o.status?.podIP;
      if (ip) { names.add(`${dashedIP(ip)}.${nsName}.pod.cluster.local`); ips.add(ip); }
    }
  }
  for (const ip of ips) {
    if (ip.includes(':')) continue; // IPv6 reverse names come from the resolver tests; forward names cover v6 here
    names.add(`${ip.split('.').reverse().join('.')}.in-addr.arpa`);
  }
  const out: Question[] = [];
  for (const name of names) for (const t of ['A', 'AAAA', 'SRV', 'TXT', 'CNAME', 'PTR', 'NS', 'SOA', 'MX', 'CAA'] as const) out.push({ name, type: TYPE[t], class: CLASS_IN });
  return out;
}

const CONFIGS: Array<[string, Partial<DnsConfig>]> = [
  ['defaults (pods insecure)', {}],
  ['§9.4 pods verified', { pods: 'verified' }],
  ['§14.4 endpoint_pod_names', { endpointPodNames: true }],
  ['§14.5 ignore empty_service', { ignoreEmptyService: true }],
  ['§14.6 namespaces default moon', { namespaces: ['default', 'moon'] }],
  ['§14.6 namespace_labels env=prod', { namespaceLabels: 'env=prod' }],
  ['§14.8 noendpoints', { noEndpoints: true }],
];

function answers(v: ClusterView, qs: Question[], cfg: DnsConfig): string[] {
  return qs.map((q) => `${q.name} ${q.type} ${JSON.stringify(resolveUncached(q, v, cfg) ?? null)}`);
}

test('strip: the view from stripped objects answers every question as the view from the full API objects', () => {
  const full = clusterObjects().map(dressed);
  const s = newStrippers();
  const vFull = view();
  const vStripped = view();
  for (const o of full) vFull.apply('ADDED', o, kindOf(o));
  for (const o of full) vStripped.apply('ADDED', strip(s, o), kindOf(o));
  assert.deepEqual(vStripped.stats(), vFull.stats());
  const qs = questions(full);
  let positive = 0;
  for (const [name, over] of CONFIGS) {
    const cfg = defaultDnsConfig(over);
    const a = answers(vFull, qs, cfg);
    assert.deepEqual(answers(vStripped, qs, cfg), a, name);
    positive += a.filter((x) => x.includes('"answers":[{')).length;
  }
  assert.ok(qs.length > 1000 && positive > 500, `a meaningful sample (${qs.length} questions, ${positive} with answers)`);
});

test('strip: the same event sequence through the transforms gives the same answers and the same version after every event', () => {
  const hl = (eps: Array<{ ip: string; hostname?: string; ready?: boolean; pod?: string }>) => slice('default', 'db-1', 'db', eps, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  const events: Array<[EventType, Obj]> = [
    ['ADDED', ns('default')],
    ['ADDED', headless('default', 'db', [{ name: 'pg', port: 5432 }])],
    ['ADDED', hl([{ ip: '10.1.0.1', hostname: 'db-0', pod: 'db-0' }, { ip: '10.1.0.2', ready: false, pod: 'db-1' }])],
    ['MODIFIED', hl([{ ip: '10.1.0.1', hostname: 'db-0', pod: 'db-0' }, { ip: '10.1.0.2', pod: 'db-1' }])], // §2.3 becomes ready
    ['MODIFIED', hl([{ ip: '10.1.0.1', hostname: 'db-0', pod: 'db-0' }, { ip: '10.1.0.2', pod: 'db-1' }])], // only server fields change: no-op
    ['ADDED', clusterIP('default', 'web', ['10.96.5.1'], [{ name: 'http', port: 80, protocol: 'TCP' }])],
    ['MODIFIED', clusterIP('default', 'web', ['10.96.5.2'], [{ name: 'http', port: 8080, protocol: 'TCP' }])],
    ['MODIFIED', slice('default', 'db-1', undefined, [{ ip: '10.1.0.1' }])], // §2.2 label removed
    ['ADDED', pod('default', 'p', '10.244.0.9')],
    ['MODIFIED', pod('default', 'p', '10.244.0.9', { deleting: true })],
    ['MODIFIED', pod('default', 'p', '10.244.0.9', { phase: 'Failed' })],
    ['ADDED', ns('prod', { env: 'prod' })],
    ['MODIFIED', ns('prod', { env: 'staging' })],
    ['DELETED', clusterIP('default', 'web', ['10.96.5.2'], [{ name: 'http', port: 8080, protocol: 'TCP' }])],
    ['DELETED', slice('default', 'db-1', undefined, [])],
    ['DELETED', ns('default')],
  ];
  const s = newStrippers();
  const vFull = view();
  const vStripped = view();
  const qs = questions(events.map(([, o]) => o));
  const cfgs = CONFIGS.map(([, over]) => defaultDnsConfig(over));
  for (const [i, [type, o]] of events.entries()) {
    const d = dressed(o);
    vFull.apply(type, d, kindOf(d));
    vStripped.apply(type, strip(s, d), kindOf(d));
    assert.equal(vStripped.version, vFull.version, `event ${i}: version`);
    for (const cfg of cfgs) assert.deepEqual(answers(vStripped, qs, cfg), answers(vFull, qs, cfg), `event ${i} ${type} ${o.kind} ${o.metadata.name}`);
  }
  assert.equal(vFull.version, 13, 'the no-op update and the unknown-pod events changed nothing');
});

test('strip: what each kind keeps (metadata for the informer key and relist check, data the view reads)', () => {
  const s = newStrippers();
  const cases: Array<[string, Obj, unknown]> = [
    ['ClusterIP Service: type, clusterIPs, ports name/protocol/port', dressed(clusterIP('moon', 'web', ['10.96.0.20'], [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }])),
      { metadata: { name: 'web', namespace: 'moon', resourceVersion: String(rvCounter - 1) }, spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.20'], ports: [{ name: 'http', protocol: 'TCP', port: 80 }] } }],
    ['Service with clusterIP only (no clusterIPs)', { kind: 'Service', metadata: { name: 'old', namespace: 'x', resourceVersion: '7' }, spec: { clusterIP: '10.96.0.7', ports: [{ port: 53, protocol: 'UDP' }] } } as Service,
      { metadata: { name: 'old', namespace: 'x', resourceVersion: '7' }, spec: { clusterIP: '10.96.0.7', ports: [{ protocol: 'UDP', port: 53 }] } }],
    ['ExternalName Service keeps externalName as written', { kind: 'Service', metadata: { name: 'ext', namespace: 'x', resourceVersion: '8', uid: 'u' }, spec: { type: 'ExternalName', externalName: 'db.example.com.' } } as Service,
      { metadata: { name: 'ext', namespace: 'x', resourceVersion: '8' }, spec: { type: 'ExternalName', externalName: 'db.example.com.' } }],
    ['EndpointSlice: service-name label, addressType, ports; ready or unknown endpoints with addresses, hostname, targetRef.name',
      { kind: 'EndpointSlice', metadata: { name: 's', namespace: 'x', resourceVersion: '9', labels: { 'kubernetes.io/service-name': 'db', other: 'y' } }, addressType: 'IPv4',
        endpoints: [
          { addresses: ['10.0.0.1'], conditions: { ready: true, serving: true }, hostname: 'db-0', targetRef: { kind: 'Pod', name: 'db-0', uid: 'u' }, nodeName: 'n' },
          { addresses: ['10.0.0.2'], conditions: { ready: false } },
          { addresses: ['10.0.0.3'], conditions: {} },
        ],
        ports: [{ name: 'pg', port: 5432, protocol: 'TCP', appProtocol: 'postgres' }] } as EndpointSlice,
      { metadata: { name: 's', namespace: 'x', resourceVersion: '9', labels: { 'kubernetes.io/service-name': 'db' } }, addressType: 'IPv4',
        endpoints: [{ addresses: ['10.0.0.1'], hostname: 'db-0', targetRef: { name: 'db-0' } }, { addresses: ['10.0.0.3'] }], ports: [{ name: 'pg', protocol: 'TCP', port: 5432 }] }],
    ['EndpointSlice without the label or ports', { kind: 'EndpointSlice', metadata: { name: 'o', namespace: 'x', resourceVersion: '10' }, addressType: 'FQDN', endpoints: null } as EndpointSlice,
      { metadata: { name: 'o', namespace: 'x', resourceVersion: '10' }, addressType: 'FQDN', endpoints: [], ports: [] }],
    ['Namespace: name and labels (namespace_labels)', dressed(ns('prod', { env: 'prod' })),
      { metadata: { name: 'prod', resourceVersion: String(rvCounter - 1), labels: { 'kubernetes.io/metadata.name': 'prod', env: 'prod', 'app.kubernetes.io/part-of': 'dns-test' } } }],
    ['Pod: deletionTimestamp, phase, podIP', dressed(pod('default', 'p', '10.244.0.9', { deleting: true })),
      { metadata: { name: 'p', namespace: 'default', resourceVersion: String(rvCounter - 1), deletionTimestamp: '2024-01-01T00:00:00Z' }, status: { phase: 'Running', podIP: '10.244.0.9' } }],
  ];
  for (const [name, input, want] of cases) {
    const before = JSON.stringify(input);
    const got = strip(s, input);
    assert.deepEqual(JSON.parse(JSON.stringify(got)), want, name);
    assert.equal(JSON.stringify(input), before, `${name}: the input is not modified`);
    assert.deepEqual(JSON.parse(JSON.stringify(strip(s, got, kindOf(input)))), want, `${name}: stripping again changes nothing`);
  }
});

test('strip: repeated port lists and the headless ["None"] are one shared frozen value', () => {
  const s = newStrippers();
  const a = s.Service(dressed(clusterIP('a', 'x', ['10.96.0.1'], [{ name: 'http', port: 80, protocol: 'TCP' }])));
  const b = s.Service(dressed(clusterIP('b', 'y', ['10.96.0.2'], [{ name: 'http', port: 80, protocol: 'TCP' }])));
  const c = s.Service(dressed(clusterIP('b', 'z', ['10.96.0.3'], [{ name: 'http', port: 81, protocol: 'TCP' }])));
  assert.equal(a.spec!.ports, b.spec!.ports);
  assert.notEqual(a.spec!.ports, c.spec!.ports);
  assert.ok(Object.isFrozen(a.spec!.ports) && Object.isFrozen(a.spec!.ports![0]));
  const h1 = s.Service(dressed(headless('a', 'h1'))), h2 = s.Service(dressed(headless('a', 'h2')));
  assert.equal(h1.spec!.clusterIPs, h2.spec!.clusterIPs);
  assert.deepEqual(h1.spec!.clusterIPs, ['None']);
});
