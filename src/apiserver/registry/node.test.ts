// Node strategy: ValidateNode / ValidateNodeUpdate rules and status handling.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeStrategy } from './node.ts';
import { runCreate, runStatusUpdate, runUpdate } from './strategy-harness.ts';

const node = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>) =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kwok-node-0' }, spec, ...(status ? { status } : {}) });

test('a node registers with its status; podCIDR and podCIDRs are kept in step', () => {
  const r = runCreate(nodeStrategy(), node({ podCIDR: '10.244.1.0/24' }, { capacity: { pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] }));
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.spec.podCIDRs, ['10.244.1.0/24']);
  assert.deepEqual(r.obj.status.allocatable, { pods: '110' });
  assert.equal(r.obj.status.conditions[0].type, 'Ready');
});

const invalidCases: Array<[string, Record<string, unknown>, string]> = [
  ['bad podCIDR', { podCIDRs: ['10.244.1.0/33'] }, 'Node "kwok-node-0" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
  ['two podCIDRs of one family', { podCIDRs: ['10.244.1.0/24', '10.244.2.0/24'] }, 'Node "kwok-node-0" is invalid: spec.podCIDRs: Invalid value: []string{"10.244.1.0/24", "10.244.2.0/24"}: may specify no more than one CIDR for each IP family'],
  ['taint effect (upstream path metadata.taints, unsorted list)', { taints: [{ key: 'k', effect: 'Never' }] }, 'Node "kwok-node-0" is invalid: metadata.taints[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
  ['duplicate taint', { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', value: 'v', effect: 'NoSchedule' }] }, 'Node "kwok-node-0" is invalid: metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"v", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair'],
];
for (const [name, spec, message] of invalidCases) {
  test(`ValidateNode: ${name}`, () => assert.equal(runCreate(nodeStrategy(), node(spec)).err!.message, message));
}

test('ValidateNodeUpdate: podCIDRs and providerID are set-once; status kept on spec updates', () => {
  const s = nodeStrategy();
  const created = runCreate(s, node({ podCIDR: '10.244.1.0/24', providerID: 'kwok://a' }, { phase: 'Running' })).obj;
  const r = runUpdate(s, node({ podCIDR: '10.244.2.0/24', providerID: 'kwok://b' }, { phase: 'Gone' }), created);
  assert.equal(r.err!.message, 'Node "kwok-node-0" is invalid: [spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid, spec.providerID: Forbidden: node updates may not change providerID except from "" to valid]');
  const ok = runUpdate(s, node({ podCIDR: '10.244.1.0/24', providerID: 'kwok://a', unschedulable: true }, { phase: 'Gone' }), created);
  assert.equal(ok.err, undefined);
  assert.deepEqual(ok.obj.status, { phase: 'Running' });
});

test('status update keeps the spec', () => {
  const s = nodeStrategy();
  const created = runCreate(s, node({ podCIDR: '10.244.1.0/24' })).obj;
  const r = runStatusUpdate(s, { ...created, spec: { unschedulable: true }, status: { phase: 'Running' } }, created);
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.spec, created.spec);
  assert.deepEqual(r.obj.status, { phase: 'Running' });
});
