// Table tests for the Deployment strategy: SetDefaults_Deployment, ValidateDeploymentSpec/Status,
// pkg/registry/apps/deployment/strategy.go (v1.32). kubernetes-semantics.md §6.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { fieldErrorString, invalid } from '../../../api/status.ts';
import { deploymentStrategy } from './deployment.ts';

const strategy = deploymentStrategy();

function deploy(spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

function created(o: KObject = deploy()): KObject {
  strategy.defaults(o);
  strategy.prepareForCreate(o);
  return o;
}

test('SetDefaults_Deployment (semantics §6): replicas 1, RollingUpdate 25%/25%, history 10, deadline 600', () => {
  const o = created();
  assert.equal(o.spec.replicas, 1);
  assert.deepEqual(o.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(o.spec.revisionHistoryLimit, 10);
  assert.equal(o.spec.progressDeadlineSeconds, 600);
  assert.equal(o.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(o.spec.template.metadata.creationTimestamp, null);
  assert.deepEqual(o.status, {});
});

test('SetDefaults_Deployment: Recreate gets no rollingUpdate; explicit values survive', () => {
  const o = created(deploy({ replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 2 }));
  assert.equal(o.spec.replicas, 0);
  assert.deepEqual(o.spec.strategy, { type: 'Recreate' });
  assert.equal(o.spec.revisionHistoryLimit, 2);
  const p = created(deploy({ strategy: { rollingUpdate: { maxSurge: 1 } } }));
  assert.deepEqual(p.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
});

const createCases: Array<{ name: string; d: KObject; want: string[] }> = [
  { name: 'valid', d: deploy(), want: [] },
  {
    name: 'selector required (and so the template cannot match)',
    d: deploy({ selector: undefined }),
    want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
  },
  {
    name: 'empty selector',
    d: deploy({ selector: { matchLabels: {} } }),
    want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
  },
  {
    name: 'template labels must match',
    d: deploy({ selector: { matchLabels: { app: 'web' } } }),
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`'],
  },
  {
    name: 'invalid label selector',
    d: deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }] } }),
    want: [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: invalid label selector',
    ],
  },
  {
    name: 'the pod template is validated in full',
    d: deploy({ template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx' }] } } }),
    want: ['spec.template.spec.containers[0].image: Required value'],
  },
  {
    name: 'restartPolicy must be Always',
    d: deploy({ template: { metadata: { labels: { app: 'nginx' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'nginx', image: 'nginx' }] } } }),
    want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  },
  {
    name: 'activeDeadlineSeconds forbidden (kube says ReplicaSet)',
    d: deploy({ template: { metadata: { labels: { app: 'nginx' } }, spec: { activeDeadlineSeconds: 10, containers: [{ name: 'nginx', image: 'nginx' }] } } }),
    want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported'],
  },
  { name: 'replicas non-negative', d: deploy({ replicas: -1 }), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'strategy type values',
    d: deploy({ strategy: { type: 'BlueGreen' } }),
    want: ['spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
  },
  {
    name: 'Recreate with rollingUpdate',
    d: deploy({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }),
    want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  },
  {
    name: 'maxSurge and maxUnavailable both 0',
    d: deploy({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }),
    want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'percent format and 100% cap',
    d: deploy({ strategy: { rollingUpdate: { maxSurge: 'lots', maxUnavailable: '150%' } } }),
    want: [
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"lots\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
    ],
  },
  {
    name: 'negative int maxSurge',
    d: deploy({ strategy: { rollingUpdate: { maxSurge: -1 } } }),
    want: ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'progressDeadlineSeconds must exceed minReadySeconds',
    d: deploy({ minReadySeconds: 30, progressDeadlineSeconds: 30 }),
    want: ['spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds'],
  },
];

for (const c of createCases) {
  test(`ValidateDeploymentSpec: ${c.name}`, () => {
    assert.deepEqual(strategy.validate(created(c.d)).map(fieldErrorString), c.want);
  });
}

test('a selector-less Deployment renders as kubectl shows it', () => {
  const e = invalid(strategy.info.kind, strategy.info.group, 'nginx', strategy.validate(created(deploy({ selector: undefined }))));
  assert.equal(e.message, 'Deployment.apps "nginx" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`]');
});

function updateErrors(mutate: (d: any) => void): string[] {
  const old = created();
  const next = structuredClone(old);
  mutate(next);
  strategy.defaults(next);
  strategy.prepareForUpdate(next, old);
  return strategy.validateUpdate(next, old).map(fieldErrorString);
}

test('ValidateUpdate: the selector is immutable in apps/v1, everything else may change', () => {
  assert.deepEqual(updateErrors((d) => { d.spec.replicas = 4; d.spec.strategy = { type: 'Recreate' }; }), []);
  assert.deepEqual(updateErrors((d) => {
    d.spec.selector = { matchLabels: { app: 'nginx', tier: 'web' } };
    d.spec.template.metadata.labels.tier = 'web';
  }), ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"nginx", "tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable']);
});

test('generation: spec and annotation changes count, labels do not', () => {
  const old = created();
  const ann = structuredClone(old);
  ann.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
  assert.equal(strategy.specChanged!(ann, old), true);
  const labels = structuredClone(old);
  labels.metadata.labels = { a: 'b' };
  assert.equal(strategy.specChanged!(labels, old), false);
  const scale = structuredClone(old);
  scale.spec.replicas = 3;
  assert.equal(strategy.specChanged!(scale, old), true);
});

test('status subresource keeps spec and labels (deploymentStatusStrategy)', () => {
  const old = created();
  old.metadata.labels = { app: 'nginx' };
  const next = structuredClone(old);
  next.spec.replicas = 9;
  next.metadata.labels = { hacked: 'yes' };
  next.metadata.annotations = { note: 'ok' };
  next.status = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
  strategy.prepareForStatusUpdate!(next, old);
  assert.equal(next.spec.replicas, 1);
  assert.deepEqual(next.metadata.labels, { app: 'nginx' });
  assert.deepEqual(next.metadata.annotations, { note: 'ok' });
  assert.deepEqual(strategy.validateStatusUpdate!(next, old), []);
});

const statusCases: Array<{ name: string; status: any; want: string[] }> = [
  {
    name: 'counts above replicas',
    status: { replicas: 1, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    want: [
      'status.updatedReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
    ],
  },
  {
    name: 'available above ready',
    status: { replicas: 3, readyReplicas: 1, availableReplicas: 2 },
    want: ['status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas'],
  },
  { name: 'negative unavailable', status: { unavailableReplicas: -1 }, want: ['status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0'] },
];

for (const c of statusCases) {
  test(`ValidateDeploymentStatus: ${c.name}`, () => {
    const old = created();
    const next = structuredClone(old);
    next.status = c.status;
    strategy.prepareForStatusUpdate!(next, old);
    assert.deepEqual(strategy.validateStatusUpdate!(next, old).map(fieldErrorString), c.want);
  });
}
