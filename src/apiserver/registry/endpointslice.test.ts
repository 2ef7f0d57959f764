// EndpointSlice strategy: SetDefaults_EndpointPort (ports[].name "" — kubectl describe needs it) and
// ValidateEndpointSlice / ValidateEndpointSliceUpdate (kubernetes-semantics.md §4).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSliceStrategy } from './endpointslice.ts';
import { runCreate, runUpdate } from './strategy-harness.ts';

const slice = (extra: Record<string, unknown>) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abcde' }, addressType: 'IPv4', ...extra });

test('kubectl-compat §1: ports[].name defaults to "" and protocol to TCP', () => {
  const r = runCreate(endpointSliceStrategy(), slice({ endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }], ports: [{ port: 8080 }] }));
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.ports, [{ port: 8080, name: '', protocol: 'TCP' }]);
});

test('§4.1: the placeholder slice (endpoints and ports null) is valid', () => {
  assert.equal(runCreate(endpointSliceStrategy(), slice({ endpoints: null, ports: null })).err, undefined);
});

const cases: Array<[string, Record<string, unknown>, string]> = [
  ['addressType required', { addressType: undefined }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: addressType: Required value'],
  ['addressType supported', { addressType: 'IP' }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'],
  ['an endpoint needs an address', { endpoints: [{ addresses: [] }] }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: endpoints[0].addresses: Required value: must contain at least 1 address'],
  ['IPv6 address in an IPv4 slice', { endpoints: [{ addresses: ['fd00::5'] }] }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: endpoints[0].addresses[0]: Invalid value: "fd00::5": must be a valid IPv4 address'],
  ['FQDN slice', { addressType: 'FQDN', endpoints: [{ addresses: ['localhost'] }] }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: endpoints[0].addresses[0]: Invalid value: "localhost": should be a domain with at least two segments separated by dots'],
  ['too many endpoints', { endpoints: Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.0.${i >> 8}.${(i & 255) + 1 > 255 ? 1 : (i & 255) + 1}`] })) }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: endpoints: Too many: 1001: must have at most 1000 items'],
  ['duplicate port names (unnamed twice)', { ports: [{ port: 80 }, { port: 81 }] }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: ports[1].name: Duplicate value: ""'],
  ['bad port name', { ports: [{ name: 'HTTP', port: 80 }] }, `EndpointSlice.discovery.k8s.io "web-abcde" is invalid: ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
  ['bad hostname', { endpoints: [{ addresses: ['10.244.1.5'], hostname: 'a.b' }] }, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: endpoints[0].hostname: Invalid value: "a.b": must not contain dots'],
];
for (const [name, extra, message] of cases) {
  test(`ValidateEndpointSlice: ${name}`, () => assert.equal(runCreate(endpointSliceStrategy(), slice(extra)).err!.message, message));
}

test('§4.1: addressType is immutable (reported after the other rules)', () => {
  const s = endpointSliceStrategy();
  const created = runCreate(s, slice({ endpoints: [{ addresses: ['10.244.1.5'] }] })).obj;
  const r = runUpdate(s, { ...created, addressType: 'IPv6', endpoints: [{ addresses: ['fd00::5'] }] }, created);
  assert.equal(r.err!.message, 'EndpointSlice.discovery.k8s.io "web-abcde" is invalid: addressType: Invalid value: "IPv6": field is immutable');
});

test('v1 writes drop deprecatedTopology', () => {
  const r = runCreate(endpointSliceStrategy(), slice({ endpoints: [{ addresses: ['10.244.1.5'], deprecatedTopology: { 'kubernetes.io/hostname': 'n1' } }] }));
  assert.equal(r.err, undefined);
  assert.equal((r.obj.endpoints as Array<Record<string, unknown>>)[0].deprecatedTopology, undefined);
});

test('loopback addresses: allowed by default, strict mode rejects', () => {
  const obj = slice({ endpoints: [{ addresses: ['127.0.0.1'] }] });
  assert.equal(runCreate(endpointSliceStrategy(), obj).err, undefined);
  assert.match(runCreate(endpointSliceStrategy({ strictNonSpecialIPs: true }), obj).err!.message, /may not be in the loopback range/);
});
