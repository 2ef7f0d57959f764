// Lease strategy: ValidateLeaseSpec.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaseStrategy } from './lease.ts';
import { runCreate } from './strategy-harness.ts';

const lease = (spec: Record<string, unknown>) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'kwok-node-0', namespace: 'kube-node-lease' }, spec });

const cases: Array<[string, Record<string, unknown>, string]> = [
  ['a node lease', { holderIdentity: 'kwok-node-0', leaseDurationSeconds: 40, renewTime: '2026-08-04T13:01:58.123456Z' }, ''],
  ['duration must be positive', { leaseDurationSeconds: 0 }, 'Lease.coordination.k8s.io "kwok-node-0" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
  ['transitions non-negative', { leaseTransitions: -1 }, 'Lease.coordination.k8s.io "kwok-node-0" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
  ['preferredHolder needs a strategy', { preferredHolder: 'x' }, 'Lease.coordination.k8s.io "kwok-node-0" is invalid: spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
  ['unknown strategy', { strategy: 'Newest' }, 'Lease.coordination.k8s.io "kwok-node-0" is invalid: spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"'],
];
for (const [name, spec, message] of cases) {
  test(`ValidateLease: ${name}`, () => {
    const r = runCreate(leaseStrategy(), lease(spec), 'kube-node-lease');
    assert.equal(r.err?.message ?? '', message);
  });
}
