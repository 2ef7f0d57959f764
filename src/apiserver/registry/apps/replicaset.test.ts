// Table tests for the ReplicaSet strategy: SetDefaults_ReplicaSet, ValidateReplicaSetSpec/Status,
// pkg/registry/apps/replicaset/strategy.go (v1.32). kubernetes-semantics.md §6.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { fieldErrorString } from '../../../api/status.ts';
import { replicaSetStrategy } from './replicaset.ts';

const strategy = replicaSetStrategy();

function rs(spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'nginx-5d4f8c7b9', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'nginx', 'pod-template-hash': '5d4f8c7b9' } },
      template: { metadata: { labels: { app: 'nginx', 'pod-template-hash': '5d4f8c7b9' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

function created(o: KObject = rs()): KObject {
  strategy.defaults(o);
  strategy.prepareForCreate(o);
  return o;
}

test('SetDefaults_ReplicaSet: replicas 1, template defaults, status {replicas: 0}', () => {
  const o = created();
  assert.equal(o.spec.replicas, 1);
  assert.equal(o.spec.template.spec.restartPolicy, 'Always');
  assert.deepEqual(o.status, { replicas: 0 });
  assert.equal(created(rs({ replicas: 0 })).spec.replicas, 0);
});

const createCases: Array<{ name: string; o: KObject; want: string[] }> = [
  { name: 'valid', o: rs(), want: [] },
  {
    name: 'empty selector (kube\'s message says deployment)',
    o: rs({ selector: {} }),
    want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
  },
  {
    name: 'template labels must match',
    o: rs({ selector: { matchLabels: { app: 'other' } } }),
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx", "pod-template-hash":"5d4f8c7b9"}: `selector` does not match template `labels`'],
  },
  { name: 'minReadySeconds non-negative', o: rs({ minReadySeconds: -1 }), want: ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'pod template validated',
    o: rs({ template: { metadata: { labels: { app: 'nginx', 'pod-template-hash': '5d4f8c7b9' } }, spec: { containers: [] } } }),
    want: ['spec.template.spec.containers: Required value'],
  },
];

for (const c of createCases) {
  test(`ValidateReplicaSetSpec: ${c.name}`, () => {
    assert.deepEqual(strategy.validate(created(c.o)).map(fieldErrorString), c.want);
  });
}

test('ValidateUpdate: selector immutable, replicas free; generation follows spec', () => {
  const old = created();
  const scaled = structuredClone(old);
  scaled.spec.replicas = 0;
  strategy.prepareForUpdate(scaled, old);
  assert.deepEqual(strategy.validateUpdate(scaled, old), []);
  assert.equal(strategy.specChanged!(scaled, old), true);
  const moved = structuredClone(old);
  moved.spec.selector = { matchLabels: { app: 'nginx' } };
  assert.deepEqual(strategy.validateUpdate(moved, old).map(fieldErrorString), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('status subresource: spec kept, replicas always present, counts checked', () => {
  const old = created();
  const next = structuredClone(old);
  next.spec.replicas = 5;
  next.status = { readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
  strategy.prepareForStatusUpdate!(next, old);
  assert.equal(next.spec.replicas, 1);
  assert.equal(next.status.replicas, 0);
  assert.deepEqual(strategy.validateStatusUpdate!(next, old).map(fieldErrorString), [
    'status.readyReplicas: Invalid value: 1: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 1: cannot be greater than status.replicas',
  ]);
  next.status = { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 };
  assert.deepEqual(strategy.validateStatusUpdate!(next, old), []);
});
