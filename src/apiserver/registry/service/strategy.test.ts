// Service strategy: defaults, validation messages and cause order (kubernetes-semantics.md §1),
// allocation (§2), driven through the store's order of steps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { fieldErrorString } from '../../../api/status.ts';
import { runCreate, runStatusUpdate, runUpdate } from '../strategy-harness.ts';
import { serviceStrategy, TOLERATE_UNREADY_WARNING } from './strategy.ts';

const CFG = { serviceCIDR: '10.96.0.0/12', nodePortRange: { min: 30000, max: 32767 } };

function svc(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...metadata }, spec };
}

const web = (extra: Record<string, unknown> = {}) => svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }], ...extra });

// ------------------------------------------------------------------------------------------------
// Validation messages, one case per rule (§1.3–§1.6), as kubectl prints them (message = aggregate).

const invalidCases: Array<{ name: string; obj: KObject; message: string }> = [
  {
    name: 'seed 000 / §1.4: NodePort with clusterIP None',
    obj: svc('web', { type: 'NodePort', clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] }),
    message: `Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
  },
  {
    name: '§1.4: LoadBalancer with clusterIP None',
    obj: svc('web', { type: 'LoadBalancer', clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] }),
    message: `Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`,
  },
  {
    name: '§1.4: ExternalName with a clusterIP',
    obj: svc('web', { type: 'ExternalName', externalName: 'example.com', clusterIP: 'None' }),
    message: 'Service "web" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services',
  },
  {
    name: '§1.4: clusterIPs without clusterIP (reported by the allocator pre-check)',
    obj: web({ clusterIPs: ['10.96.0.50'] }),
    message: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: must be empty when `clusterIP` is not specified',
  },
  {
    name: '§1.4: first clusterIPs entry must match clusterIP',
    obj: web({ clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.51'] }),
    message: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.51"}: first value must match `clusterIP`',
  },
  {
    name: '§1.4: garbage clusterIP',
    obj: web({ clusterIP: 'abc' }),
    message: 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  },
  {
    name: '§1.4: None not alone',
    obj: web({ clusterIP: 'None', clusterIPs: ['None', '10.96.0.5'] }),
    message: `Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"None", "10.96.0.5"}: 'None' must be the first and only value`,
  },
  {
    name: '§1.4: two IPs of one family',
    obj: web({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', '10.96.0.6'], ipFamilyPolicy: 'PreferDualStack' }),
    message: 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6"}: may specify no more than one IP for each IP family',
  },
  {
    name: '§1.4: IP not matching ipFamilies',
    obj: web({ clusterIP: 'fd00::1', ipFamilies: ['IPv4'] }),
    message: 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
  },
  {
    name: '§1.7: RequireDualStack on a single-stack cluster',
    obj: web({ ipFamilyPolicy: 'RequireDualStack' }),
    message: 'Service "web" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  },
  {
    name: '§1.7: family not configured',
    obj: web({ ipFamilies: ['IPv6'] }),
    message: 'Service "web" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
  },
  {
    name: '§1.5: no ports',
    obj: svc('web', { selector: { app: 'web' } }),
    message: 'Service "web" is invalid: spec.ports: Required value',
  },
  {
    name: '§1.5: several ports, each unnamed one reported',
    obj: svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 81 }] }),
    message: 'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
  },
  {
    name: '§1.5: port name must be an RFC 1123 label',
    obj: web({ ports: [{ name: 'HTTP', port: 80 }] }),
    message: `Service "web" is invalid: spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    name: '§1.5: port name with dots',
    obj: web({ ports: [{ name: 'a.b', port: 80 }] }),
    message: 'Service "web" is invalid: spec.ports[0].name: Invalid value: "a.b": must not contain dots',
  },
  {
    name: '§1.5: duplicate port names',
    obj: web({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }),
    message: 'Service "web" is invalid: spec.ports[1].name: Duplicate value: "http"',
  },
  {
    name: '§1.5: port out of range also breaks the defaulted targetPort',
    obj: web({ ports: [{ port: 70000 }] }),
    message: 'Service "web" is invalid: [spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]',
  },
  {
    name: '§1.5: unsupported protocol',
    obj: web({ ports: [{ port: 80, protocol: 'HTTP' }] }),
    message: 'Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: '§1.5: named targetPort breaking several IANA_SVC_NAME rules',
    obj: web({ ports: [{ port: 80, targetPort: '-a--very-long-name-' }] }),
    message: 'Service "web" is invalid: [spec.ports[0].targetPort: Invalid value: "-a--very-long-name-": must be no more than 15 characters, spec.ports[0].targetPort: Invalid value: "-a--very-long-name-": must not contain consecutive hyphens, spec.ports[0].targetPort: Invalid value: "-a--very-long-name-": must not begin or end with a hyphen]',
  },
  {
    name: '§1.5: numeric-only targetPort name',
    obj: web({ ports: [{ port: 80, targetPort: '8080' }] }),
    message: 'Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
  },
  {
    name: '§1.5: duplicate (protocol, port) prints the internal struct',
    obj: web({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }),
    message: 'Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
  },
  {
    name: '§1.5: nodePort on a ClusterIP service',
    obj: web({ ports: [{ port: 80, nodePort: 30080 }] }),
    message: "Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  },
  {
    name: '§1.6: selector key with a space',
    obj: web({ selector: { 'app name': 'x' } }),
    message: `Service "web" is invalid: spec.selector: Invalid value: "app name": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  },
  {
    name: '§1.6: selector value with a space',
    obj: web({ selector: { app: 'a b' } }),
    message: `Service "web" is invalid: spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  },
  {
    name: '§1.6: unsupported type',
    obj: web({ type: 'Foo' }),
    message: 'Service "web" is invalid: spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  },
  {
    name: '§1.6: externalName must be a DNS subdomain',
    obj: svc('web', { type: 'ExternalName', externalName: 'Foo_Bar' }),
    message: `Service "web" is invalid: spec.externalName: Invalid value: "Foo_Bar": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  },
  {
    name: '§1.6: externalName missing',
    obj: svc('web', { type: 'ExternalName' }),
    message: 'Service "web" is invalid: spec.externalName: Required value',
  },
  {
    name: '§1.6: unsupported session affinity',
    obj: web({ sessionAffinity: 'Foo' }),
    message: 'Service "web" is invalid: spec.sessionAffinity: Unsupported value: "Foo": supported values: "ClientIP", "None"',
  },
  {
    name: '§1.6: ClientIP timeout out of range',
    obj: web({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
    message: 'Service "web" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  },
  {
    name: '§1.6: externalTrafficPolicy on ClusterIP',
    obj: web({ externalTrafficPolicy: 'Local' }),
    message: 'Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  },
  {
    name: '§1.6: unsupported internalTrafficPolicy',
    obj: web({ internalTrafficPolicy: 'Foo' }),
    message: 'Service "web" is invalid: spec.internalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"',
  },
  {
    name: '§1.6: unsupported trafficDistribution',
    obj: web({ trafficDistribution: 'Nearest' }),
    message: 'Service "web" is invalid: spec.trafficDistribution: Unsupported value: "Nearest": supported values: "PreferClose"',
  },
  {
    name: '§1.6: allocateLoadBalancerNodePorts on a non-LB service',
    obj: web({ allocateLoadBalancerNodePorts: false }),
    message: "Service \"web\" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
  },
  {
    name: '§1.3: name is a DNS-1035 label (metadata first)',
    obj: svc('My-Svc', { selector: { app: 'web' }, ports: [{ port: 80 }] }),
    message: `Service "My-Svc" is invalid: metadata.name: Invalid value: "My-Svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    name: '§1.8: cause order: metadata, port fields (name, port, protocol, targetPort), selector, affinity, type',
    obj: svc('1web', { type: 'Foo', selector: { app: 'a b' }, sessionAffinity: 'Bar', ports: [{ port: 0, protocol: 'XX' }] }),
    message: [
      'Service "1web" is invalid: [',
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), `,
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, ',
      'spec.ports[0].protocol: Unsupported value: "XX": supported values: "SCTP", "TCP", "UDP", ',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive, ',
      `spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), `,
      'spec.sessionAffinity: Unsupported value: "Bar": supported values: "ClientIP", "None", ',
      'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]',
    ].join(''),
  },
];

for (const c of invalidCases) {
  test(`Service invalid: ${c.name}`, () => {
    const s = serviceStrategy(CFG);
    const r = runCreate(s, c.obj);
    assert.ok(r.err, 'expected an error');
    assert.equal(r.err.code, 422);
    assert.equal(r.err.reason, 'Invalid');
    assert.equal(r.err.message, c.message);
    // Nothing stays allocated after a rejected create.
    assert.equal(s.allocators.ipByFamily.get('IPv4')!.used, 0);
    assert.equal(s.allocators.nodePorts.used, 0);
  });
}

test('seed 000: Status details carry kind, name and the cause kubectl prints', () => {
  const r = runCreate(serviceStrategy(CFG), svc('web', { type: 'NodePort', clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] }));
  assert.deepEqual(r.err!.toStatus().details, {
    name: 'web', kind: 'Service',
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "None": may not be set to 'None' for NodePort services`, field: 'spec.clusterIPs[0]' }],
  });
});

// ------------------------------------------------------------------------------------------------
// Defaults (§1.2, §1.7).

test('§1.7: a plain Service gets every default kubectl shows', () => {
  const r = runCreate(serviceStrategy(CFG), web());
  assert.equal(r.err, undefined);
  const spec = r.obj.spec;
  assert.match(spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.equal(spec.externalTrafficPolicy, undefined);
  assert.deepEqual(r.obj.status, { loadBalancer: {} });
});

test('§1.7: headless with a selector: None, [IPv4], SingleStack', () => {
  const r = runCreate(serviceStrategy(CFG), web({ clusterIP: 'None' }));
  assert.equal(r.err, undefined);
  assert.deepEqual([r.obj.spec.clusterIP, r.obj.spec.clusterIPs, r.obj.spec.ipFamilies, r.obj.spec.ipFamilyPolicy], ['None', ['None'], ['IPv4'], 'SingleStack']);
});

test('§1.7: headless and selectorless defaults to RequireDualStack with both families, even single-stack', () => {
  const r = runCreate(serviceStrategy(CFG), svc('db', { clusterIP: 'None' }));
  assert.equal(r.err, undefined);
  assert.deepEqual([r.obj.spec.ipFamilyPolicy, r.obj.spec.ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
});

test('§1.2: NodePort and LoadBalancer defaults', () => {
  const s = serviceStrategy(CFG);
  const np = runCreate(s, web({ type: 'NodePort' }));
  assert.equal(np.obj.spec.externalTrafficPolicy, 'Cluster');
  const lb = runCreate(s, svc('lb', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] }));
  assert.equal(lb.err, undefined);
  assert.equal(lb.obj.spec.allocateLoadBalancerNodePorts, true);
  assert.ok(lb.obj.spec.ports[0].nodePort >= 30000);
  const aff = runCreate(s, svc('aff', { sessionAffinity: 'ClientIP', selector: { app: 'x' }, ports: [{ port: 80 }] }));
  assert.deepEqual(aff.obj.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
});

test('§1.6: ExternalName gets no ClusterIP, families or policy', () => {
  const r = runCreate(serviceStrategy(CFG), svc('ext', { type: 'ExternalName', externalName: 'example.com.' }));
  assert.equal(r.err, undefined);
  assert.equal(r.obj.spec.clusterIP, undefined);
  assert.equal(r.obj.spec.ipFamilies, undefined);
  assert.equal(r.obj.spec.ipFamilyPolicy, undefined);
  assert.equal(r.obj.spec.internalTrafficPolicy, undefined);
});

// ------------------------------------------------------------------------------------------------
// ClusterIP allocation (§2.2).

function seq(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

test('§2.2: dynamic IPs are random and come from above the reserved low band', () => {
  const s = serviceStrategy(CFG);
  const ips: number[] = [];
  for (let i = 0; i < 40; i++) {
    const r = runCreate(s, svc(`s${i}`, { selector: { app: 'x' }, ports: [{ port: 80 }] }));
    assert.equal(r.err, undefined);
    const [a, b, c, d] = r.obj.spec.clusterIP.split('.').map(Number);
    ips.push(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);
  }
  const base = ((10 << 24) >>> 0) + (96 << 16);
  for (const ip of ips) assert.ok(ip - base > 256, `offset ${ip - base} is inside the reserved band (1..256)`);
  assert.equal(new Set(ips).size, ips.length);
  const sorted = [...ips].sort((x, y) => x - y);
  const consecutive = sorted.every((v, i) => i === 0 || v === sorted[i - 1] + 1);
  assert.equal(consecutive, false, 'IPs must not be handed out sequentially');
});

test('§2.2: a /24 reserves .1–.16; the low band is used only when the upper band is full', () => {
  const s = serviceStrategy({ ...CFG, serviceCIDR: '10.0.0.0/24' }, { random: seq([0.5, 0.1, 0.9, 0.3]) });
  assert.equal(s.allocators.ipByFamily.get('IPv4')!.offset, 16);
  const got: string[] = [];
  for (let i = 0; i < 254 - 16; i++) got.push(runCreate(s, svc(`s${i}`, { selector: { a: 'b' }, ports: [{ port: 80 }] })).obj.spec.clusterIP);
  const last = got.map((ip) => Number(ip.split('.')[3]));
  assert.ok(last.every((n) => n >= 17 && n <= 254));
  const next = runCreate(s, svc('low', { selector: { a: 'b' }, ports: [{ port: 80 }] }));
  const n = Number(next.obj.spec.clusterIP.split('.')[3]);
  assert.ok(n >= 1 && n <= 16, `expected the low band, got ${next.obj.spec.clusterIP}`);
});

test('§2.1: the kubernetes Service can take the first IP, and it is then taken', () => {
  const s = serviceStrategy(CFG);
  const k = runCreate(s, svc('kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }));
  assert.equal(k.err, undefined);
  assert.deepEqual(k.obj.spec.clusterIPs, ['10.96.0.1']);
  const dns = runCreate(s, svc('kube-dns', { clusterIP: '10.96.0.10', selector: { k8s: 'dns' }, ports: [{ port: 53, protocol: 'UDP' }] }));
  assert.equal(dns.err, undefined);
  const clash = runCreate(s, web({ clusterIP: '10.96.0.10' }));
  assert.equal(clash.err!.message, 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
});

test('§2.2: a requested IP outside the range', () => {
  const r = runCreate(serviceStrategy(CFG), web({ clusterIP: '1.1.1.1' }));
  assert.equal(r.err!.message, 'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12');
});

test('§2.2: the network and broadcast addresses are never handed out', () => {
  const s = serviceStrategy(CFG);
  assert.match(runCreate(s, web({ clusterIP: '10.96.0.0' })).err!.message, /provided IP is not in the valid range/);
  assert.match(runCreate(s, web({ clusterIP: '10.111.255.255' })).err!.message, /provided IP is not in the valid range/);
  assert.equal(runCreate(s, web({ clusterIP: '10.111.255.254' })).err, undefined);
});

test('§2.2: an exhausted range is a 500 InternalError', () => {
  const s = serviceStrategy({ ...CFG, serviceCIDR: '10.0.0.0/29' }); // 6 usable, no reserved band
  for (let i = 0; i < 6; i++) assert.equal(runCreate(s, svc(`s${i}`, { selector: { a: 'b' }, ports: [{ port: 80 }] })).err, undefined);
  const r = runCreate(s, web());
  assert.equal(r.err!.code, 500);
  assert.equal(r.err!.reason, 'InternalError');
  assert.equal(r.err!.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
});

test('§2.2: delete releases the IP; a later create may request it', () => {
  const s = serviceStrategy(CFG);
  const a = runCreate(s, web()).obj;
  const ip = a.spec.clusterIP;
  assert.match(runCreate(s, svc('b', { clusterIP: ip, selector: { a: 'b' }, ports: [{ port: 80 }] })).err!.message, /provided IP is already allocated/);
  s.afterDelete!(a);
  assert.equal(runCreate(s, svc('b', { clusterIP: ip, selector: { a: 'b' }, ports: [{ port: 80 }] })).err, undefined);
});

test('§1.1: re-applying the manifest without clusterIP keeps the allocated IP (patchAllocatedValues)', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, web()).obj;
  const r = runUpdate(s, web(), created);
  assert.equal(r.err, undefined);
  assert.equal(r.obj.spec.clusterIP, created.spec.clusterIP);
  assert.deepEqual(r.obj.spec.clusterIPs, created.spec.clusterIPs);
  assert.deepEqual(r.obj.spec, created.spec);
  assert.equal(s.allocators.ipByFamily.get('IPv4')!.used, 1);
});

test('§1.4: changing clusterIP on update: may not change once set (new slice printed)', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, web({ clusterIP: '10.96.0.11' })).obj;
  const r = runUpdate(s, web({ clusterIP: '10.96.0.12' }), created);
  assert.equal(r.err!.message, 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.12"}: may not change once set');
  const none = runUpdate(s, web({ clusterIP: 'None' }), created);
  assert.equal(none.err!.message, 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set');
});

test('§2.2: switching to ExternalName releases the IP on commit and wipes the unchanged fields', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, web()).obj;
  const next = structuredClone(created);
  next.spec.type = 'ExternalName';
  next.spec.externalName = 'example.com';
  const r = runUpdate(s, next, created);
  assert.equal(r.err, undefined, r.err?.message ?? "");
  assert.equal(r.obj.spec.clusterIP, undefined);
  assert.equal(r.obj.spec.clusterIPs, undefined);
  assert.equal(r.obj.spec.ipFamilies, undefined);
  assert.equal(r.obj.spec.ipFamilyPolicy, undefined);
  assert.equal(s.allocators.ipByFamily.get('IPv4')!.used, 0);
  // And back: a fresh IP is allocated.
  const back = structuredClone(r.obj);
  back.spec.type = 'ClusterIP';
  delete back.spec.externalName;
  const b = runUpdate(s, back, r.obj);
  assert.equal(b.err, undefined, b.err?.message ?? "");
  assert.match(b.obj.spec.clusterIP, /^10\./);
  assert.equal(s.allocators.ipByFamily.get('IPv4')!.used, 1);
});

test('§2.2: init() rebuilds the bitmaps from stored Services (restart)', () => {
  const first = serviceStrategy(CFG);
  const stored = [
    runCreate(first, web()).obj,
    runCreate(first, svc('np', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30080 }] })).obj,
  ];
  const second = serviceStrategy(CFG);
  second.init!(stored);
  assert.deepEqual(second.repairProblems, []);
  assert.equal(second.allocators.ipByFamily.get('IPv4')!.used, 2);
  assert.match(runCreate(second, svc('x', { clusterIP: stored[0].spec.clusterIP, selector: { a: 'b' }, ports: [{ port: 80 }] })).err!.message, /provided IP is already allocated/);
  assert.equal(runCreate(second, svc('y', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 81, nodePort: 30080 }] })).err!.message,
    'Service "y" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
});

test('§2.2: init() reports stored values outside the configured range', () => {
  const s = serviceStrategy(CFG);
  s.init!([{ metadata: { name: 'old', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], ipFamilies: ['IPv4'] } }]);
  assert.equal(s.repairProblems.length, 1);
  assert.match(s.repairProblems[0], /default\/old: clusterIP 10\.0\.0\.5: provided IP is not in the valid range/);
});

// ------------------------------------------------------------------------------------------------
// NodePort allocation (§2.3).

test('§2.3: dynamic nodePorts avoid 30000-30085 (offset 86)', () => {
  const s = serviceStrategy(CFG);
  assert.equal(s.allocators.nodePorts.offset, 86);
  for (let i = 0; i < 30; i++) {
    const r = runCreate(s, svc(`n${i}`, { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80 }] }));
    assert.ok(r.obj.spec.ports[0].nodePort >= 30086 && r.obj.spec.ports[0].nodePort <= 32767);
  }
});

test('§2.3: TCP and UDP on the same port share one nodePort', () => {
  const s = serviceStrategy(CFG);
  const r = runCreate(s, svc('dns', { type: 'NodePort', selector: { a: 'b' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] }));
  assert.equal(r.err, undefined);
  assert.equal(r.obj.spec.ports[0].nodePort, r.obj.spec.ports[1].nodePort);
  assert.equal(s.allocators.nodePorts.used, 1);
});

test('§2.3: requested nodePort conflicts and range errors', () => {
  const s = serviceStrategy(CFG);
  assert.equal(runCreate(s, svc('a', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30080 }] })).err, undefined);
  assert.equal(runCreate(s, svc('b', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30080 }] })).err!.message,
    'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  assert.equal(runCreate(s, svc('c', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 80 }] })).err!.message,
    'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
});

test('§2.3: an exhausted nodePort range is a 500', () => {
  const s = serviceStrategy({ ...CFG, nodePortRange: { min: 30000, max: 30001 } });
  assert.equal(runCreate(s, svc('a', { type: 'NodePort', selector: { a: 'b' }, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })).err, undefined);
  const r = runCreate(s, svc('b', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80 }] }));
  assert.equal(r.err!.code, 500);
  assert.equal(r.err!.message, 'Internal error occurred: failed to allocate a nodePort: range is full');
  assert.equal(s.allocators.ipByFamily.get('IPv4')!.used, 1, 'the ClusterIP of the failed create is given back');
});

test('§2.3: NodePort → ClusterIP releases the ports and wipes them; re-apply keeps nodePorts', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, svc('np', { type: 'NodePort', selector: { a: 'b' }, ports: [{ name: 'http', port: 80 }] })).obj;
  const np = created.spec.ports[0].nodePort;
  const again = runUpdate(s, svc('np', { type: 'NodePort', selector: { a: 'b' }, ports: [{ name: 'http', port: 80 }] }), created);
  assert.equal(again.err, undefined);
  assert.equal(again.obj.spec.ports[0].nodePort, np);
  const patched = structuredClone(created);
  patched.spec.type = 'ClusterIP';
  const r = runUpdate(s, patched, created);
  assert.equal(r.err, undefined, r.err?.message ?? "");
  assert.equal(r.obj.spec.ports[0].nodePort, undefined);
  assert.equal(r.obj.spec.externalTrafficPolicy, undefined);
  assert.equal(s.allocators.nodePorts.used, 0);
  assert.equal(runCreate(s, svc('other', { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: np }] })).err, undefined);
});

test('§2.3: a failed update gives back the ports it took and keeps the old ones', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, svc('np', { type: 'NodePort', selector: { a: 'b' }, ports: [{ name: 'http', port: 80 }] })).obj;
  const next = structuredClone(created);
  next.spec.ports.push({ name: 'HTTPS', port: 443 }); // invalid name → validation fails after allocation
  const r = runUpdate(s, next, created);
  assert.match(r.err!.message, /spec\.ports\[1\]\.name: Invalid value: "HTTPS"/);
  assert.equal(s.allocators.nodePorts.used, 1);
  assert.ok(s.allocators.nodePorts.has(created.spec.ports[0].nodePort));
});

test('§2.3: LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort, released on delete', () => {
  const s = serviceStrategy(CFG);
  const r = runCreate(s, svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { a: 'b' }, ports: [{ port: 80 }] }));
  assert.equal(r.err, undefined, r.err?.message ?? "");
  assert.ok(r.obj.spec.healthCheckNodePort >= 30000);
  assert.equal(s.allocators.nodePorts.used, 2);
  s.afterDelete!(r.obj);
  assert.equal(s.allocators.nodePorts.used, 0);
});

test('allocateLoadBalancerNodePorts=false allocates nothing unless asked', () => {
  const s = serviceStrategy(CFG);
  const r = runCreate(s, svc('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, selector: { a: 'b' }, ports: [{ port: 80 }] }));
  assert.equal(r.err, undefined, r.err?.message ?? "");
  assert.equal(r.obj.spec.ports[0].nodePort, undefined);
});

test('concurrent creates never share an IP (allocation is synchronous)', () => {
  // A random source that always proposes the same start: only the bitmap keeps them apart.
  const s = serviceStrategy({ ...CFG, serviceCIDR: '10.0.0.0/28' }, { random: () => 0 });
  const objs = [web(), svc('b', { selector: { a: 'b' }, ports: [{ port: 80 }] })].map((o) => structuredClone(o));
  for (const o of objs) { s.defaults(o); s.beginCreate!(o); } // both begun, neither committed yet
  assert.notEqual(objs[0].spec.clusterIP, objs[1].spec.clusterIP);
});

// ------------------------------------------------------------------------------------------------
// Status and warnings.

test('status update keeps the spec and validates load-balancer ingress', () => {
  const s = serviceStrategy(CFG);
  const created = runCreate(s, web()).obj;
  const next = structuredClone(created);
  next.spec.ports = [];
  next.status = { loadBalancer: { ingress: [{ ip: '192.0.2.1', ipMode: 'VIP' }] } };
  const r = runStatusUpdate(s, next, created);
  assert.equal(r.err!.message, "Service \"web\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'");
  assert.deepEqual(r.obj.spec, created.spec);
});

test('warnings: tolerate-unready-endpoints annotation, externalName on non-ExternalName, non-canonical IPs', () => {
  const s = serviceStrategy(CFG);
  const r = runCreate(s, svc('web', { selector: { a: 'b' }, ports: [{ port: 80 }], externalName: 'x.example', externalIPs: ['192.0.2.010'] },
    { annotations: { 'service.alpha.kubernetes.io/tolerate-unready-endpoints': 'true' } }));
  assert.equal(r.err, undefined, r.err?.message ?? "");
  assert.deepEqual(r.warnings, [
    'spec.externalIPs[0]: non-standard IP address "192.0.2.010" will be considered invalid in a future Kubernetes release: use "192.0.2.10"',
    'spec.externalName is ignored when spec.type is not "ExternalName"',
    TOLERATE_UNREADY_WARNING,
  ]);
  assert.match(TOLERATE_UNREADY_WARNING, /^service\.alpha\.kubernetes\.io\/tolerate-unready-endpoints is deprecated; use spec\.publishNotReadyAddresses/);
});

test('fieldErrorString renders the first cause exactly', () => {
  const s = serviceStrategy(CFG);
  const o = web({ type: 'NodePort', clusterIP: 'None' });
  s.defaults(o);
  s.beginCreate!(o);
  const [e] = s.validate(o);
  assert.equal(fieldErrorString(e), `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`);
});

// ------------------------------------------------------------------------------------------------
// Malformed bodies: what kube's decoder rejects is a 400, never a crash.

const shapeCases: Array<[string, Record<string, unknown>, string]> = [
  ['ipFamilies as a string', { ipFamilies: 'IPv4', ports: [{ port: 80 }] }, 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ipFamilies of type []v1.IPFamily'],
  ['ports as an object', { ports: { port: 80 } }, 'json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort'],
  ['a port entry as a string', { ports: ['80'] }, 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type v1.ServicePort'],
  ['port as a string', { ports: [{ port: '80' }] }, 'json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32'],
  ['nodePort too big for int32', { type: 'NodePort', ports: [{ port: 80, nodePort: 3000000000 }] }, 'json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.nodePort of type int32'],
  ['clusterIPs with a number', { clusterIP: '10.96.0.5', clusterIPs: [5], ports: [{ port: 80 }] }, 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.clusterIPs of type string'],
  ['selector value not a string', { selector: { app: 1 }, ports: [{ port: 80 }] }, 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.selector of type string'],
];
for (const [name, spec, tail] of shapeCases) {
  test(`malformed body: ${name} is a 400 BadRequest`, () => {
    const s = serviceStrategy(CFG);
    assert.throws(() => runCreate(s, svc('web', spec)), (e: unknown) => {
      const err = e as { code: number; reason: string; message: string };
      assert.equal(err.code, 400);
      assert.equal(err.reason, 'BadRequest');
      assert.equal(err.message, `Service in version "v1" cannot be handled as a Service: ${tail}`);
      return true;
    });
  });
}
