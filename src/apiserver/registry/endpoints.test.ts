// Endpoints strategy: SetDefaults_Endpoints and ValidateEndpoints (kubernetes-semantics.md §3).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsStrategy, ENDPOINTS_DEPRECATION_WARNING } from './endpoints.ts';
import { runCreate } from './strategy-harness.ts';

const ep = (subsets: unknown[]) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' }, subsets });

test('ports default to TCP; an empty Endpoints is valid', () => {
  const r = runCreate(endpointsStrategy(), ep([{ addresses: [{ ip: '10.244.1.5', nodeName: 'n1' }], ports: [{ port: 80 }] }]));
  assert.equal(r.err, undefined);
  assert.equal((r.obj.subsets as Array<{ ports: Array<{ protocol: string }> }>)[0].ports[0].protocol, 'TCP');
  assert.equal(runCreate(endpointsStrategy(), { metadata: { name: 'web' } }).err, undefined);
});

const cases: Array<[string, unknown[], string]> = [
  ['a subset needs addresses', [{ ports: [{ port: 80 }] }], 'Endpoints "web" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`'],
  ['bad IP (both checks report, as upstream)', [{ addresses: [{ ip: 'abc' }] }], 'Endpoints "web" is invalid: [subsets[0].addresses[0].ip: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), subsets[0].addresses[0].ip: Invalid value: "abc": must be a valid IP address]'],
  ['link-local IP', [{ notReadyAddresses: [{ ip: '169.254.169.254' }] }], 'Endpoints "web" is invalid: subsets[0].notReadyAddresses[0].ip: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)'],
  ['hostname must be a label', [{ addresses: [{ ip: '10.244.1.5', hostname: 'Web_0' }] }], `Endpoints "web" is invalid: subsets[0].addresses[0].hostname: Invalid value: "Web_0": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
  ['several ports need names', [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }, { name: 'b', port: 0 }] }], 'Endpoints "web" is invalid: [subsets[0].ports[0].name: Required value, subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive]'],
];
for (const [name, subsets, message] of cases) {
  test(`ValidateEndpoints: ${name}`, () => assert.equal(runCreate(endpointsStrategy(), ep(subsets)).err!.message, message));
}

test('loopback: allowed by default (kubedisco serves on 127.0.0.1), rejected in strict mode', () => {
  const obj = ep([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443 }] }]);
  assert.equal(runCreate(endpointsStrategy(), obj).err, undefined);
  assert.equal(runCreate(endpointsStrategy({ strictNonSpecialIPs: true }), obj).err!.message,
    'Endpoints "web" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
});

test('§3.14: the deprecation warning text', () => {
  assert.equal(ENDPOINTS_DEPRECATION_WARNING, 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
});
