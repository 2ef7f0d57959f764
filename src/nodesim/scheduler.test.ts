// The scheduler's pure decisions: which pods it takes, the filters with kube-scheduler's reason texts, and
// the FitError message (pkg/scheduler/framework/types.go) kubectl describe shows under FailedScheduling.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../api/types/node.ts';
import type { Pod } from '../api/types/pod.ts';
import { buildNode, defaultCapacity, nodeIdentity, nodeLayout } from './nodes.ts';
import { filterNode, needsScheduling, scheduleOne, tolerates, type CandidateNode } from './scheduler.ts';

const layout = nodeLayout({ nodes: 3, podCIDR: '10.244.0.0/16', nodeCIDRMaskSize: 24, nodeIPCIDR: '10.240.0.0/16', namePrefix: 'kubedisco-node-' });
const node = (i: number, edit: (n: Node) => void = () => {}): Node => {
  const n = buildNode(nodeIdentity(layout, i), defaultCapacity(110), '2026-08-04T13:00:00Z');
  edit(n);
  return n;
};
const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}, meta: Partial<Pod['metadata']> = {}): Pod => ({ metadata: { name: 'p', namespace: 'default', ...meta }, spec: { containers: [{ name: 'c' }], ...spec }, status: { phase: 'Pending' } });
const cand = (n: Node, pods = 0): CandidateNode => ({ node: n, pods });

test('which pods the scheduler takes (nodeName empty, default-scheduler or none, no gates, not terminating)', () => {
  const cases: Array<[string, Pod, boolean]> = [
    ['plain pod', pod(), true],
    ['schedulerName default-scheduler', pod({ schedulerName: 'default-scheduler' }), true],
    ['another scheduler', pod({ schedulerName: 'volcano' }), false],
    ['already bound', pod({ nodeName: 'x' }), false],
    ['scheduling gates', pod({ schedulingGates: [{ name: 'wait' }] }), false],
    ['terminating', pod({}, { deletionTimestamp: '2026-08-04T13:00:00Z' }), false],
    ['failed', { ...pod(), status: { phase: 'Failed' } }, false],
  ];
  for (const [name, p, want] of cases) assert.equal(needsScheduling(p), want, name);
});

test('least-loaded node wins; ties go to the first node', () => {
  assert.deepEqual(scheduleOne(pod(), [cand(node(0), 2), cand(node(1), 1), cand(node(2), 1)]), { node: 'kubedisco-node-1' });
  assert.deepEqual(scheduleOne(pod(), [cand(node(0)), cand(node(1)), cand(node(2))]), { node: 'kubedisco-node-0' });
});

test('nodeSelector and required node affinity are matched against node labels', () => {
  const nodes = [cand(node(0)), cand(node(1)), cand(node(2))];
  assert.deepEqual(scheduleOne(pod({ nodeSelector: { 'topology.kubernetes.io/zone': 'zone-c' } }), nodes), { node: 'kubedisco-node-2' });
  const affinity = (op: string, values: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: op, values }] }] } } });
  assert.deepEqual(scheduleOne(pod({ affinity: affinity('In', ['zone-b']) }), nodes), { node: 'kubedisco-node-1' });
  assert.deepEqual(scheduleOne(pod({ affinity: affinity('NotIn', ['zone-a']) }), nodes), { node: 'kubedisco-node-1' });
  const byName = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kubedisco-node-2'] }] }] } } };
  assert.deepEqual(scheduleOne(pod({ affinity: byName }), nodes), { node: 'kubedisco-node-2' });
  const empty = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } };
  assert.equal(filterNode(pod({ affinity: empty }), nodes[0]), "node(s) didn't match Pod's node affinity/selector", 'an empty term matches nothing');
});

test('filters in kube-scheduler order with its reasons: cordon, taints (incl. not-ready), affinity, pod count', () => {
  const cordoned = node(0, (n) => { n.spec!.unschedulable = true; });
  const tainted = node(0, (n) => { n.spec!.taints = [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]; });
  const prefer = node(0, (n) => { n.spec!.taints = [{ key: 'soft', effect: 'PreferNoSchedule' }]; });
  const notReady = node(0, (n) => { n.status!.conditions = n.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)); });
  const cases: Array<[string, Pod, CandidateNode, string | undefined]> = [
    ['fits', pod(), cand(node(0)), undefined],
    ['cordoned', pod(), cand(cordoned), 'node(s) were unschedulable'],
    ['cordoned, tolerated', pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), cand(cordoned), undefined],
    ['tainted', pod(), cand(tainted), 'node(s) had untolerated taint {dedicated: db}'],
    ['tainted, tolerated (Equal)', pod({ tolerations: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), cand(tainted), undefined],
    ['tainted, wrong value', pod({ tolerations: [{ key: 'dedicated', value: 'web' }] }), cand(tainted), 'node(s) had untolerated taint {dedicated: db}'],
    ['PreferNoSchedule does not filter', pod(), cand(prefer), undefined],
    ['not ready', pod(), cand(notReady), 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ['selector mismatch', pod({ nodeSelector: { disk: 'ssd' } }), cand(node(0)), "node(s) didn't match Pod's node affinity/selector"],
    ['full (110 pods)', pod(), cand(node(0), 110), 'Too many pods'],
    ['room for one more', pod(), cand(node(0), 109), undefined],
  ];
  for (const [name, p, c, want] of cases) assert.equal(filterNode(p, c), want, name);
});

test('v1.Toleration.ToleratesTaint', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoExecute' as const };
  const cases: Array<[object, boolean]> = [
    [{ key: 'k', operator: 'Exists' }, true],
    [{ operator: 'Exists' }, true],
    [{ key: 'k', value: 'v' }, true],
    [{ key: 'k', value: 'v', effect: 'NoSchedule' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: 'k' }, false],
  ];
  for (const [t, want] of cases) assert.equal(tolerates(t, taint), want, JSON.stringify(t));
});

test('FitError messages (kubectl describe pod → FailedScheduling)', () => {
  const sel = pod({ nodeSelector: { disk: 'ssd' } });
  assert.deepEqual(scheduleOne(sel, [cand(node(0)), cand(node(1)), cand(node(2))]), {
    message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  });
  const cordoned = node(2, (n) => { n.spec!.unschedulable = true; });
  assert.deepEqual(scheduleOne(pod(), [cand(node(0), 110), cand(node(1), 110), cand(cordoned)]), {
    message: '0/3 nodes are available: 1 node(s) were unschedulable, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  });
  assert.deepEqual(scheduleOne(pod(), []), { message: 'no nodes available to schedule pods' });
});
