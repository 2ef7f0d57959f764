// Table tests for the StatefulSet strategy: SetDefaults_StatefulSet, ValidateStatefulSetSpec/Update/Status
// (pkg/apis/apps/validation/validation.go) and pkg/registry/apps/statefulset/strategy.go, v1.32.
// kubernetes-semantics.md §5, kubectl-compatibility.md §1 item 11.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { fieldErrorString, invalid } from '../../../api/status.ts';
import { statefulSetStrategy, STATEFULSET_UPDATE_FORBIDDEN } from './statefulset.ts';

const strategy = statefulSetStrategy();

function sts(spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'web' }] }] } },
      ...spec,
    },
  };
}

function created(o: KObject = sts()): KObject {
  strategy.defaults(o);
  strategy.prepareForCreate(o);
  return o;
}

function createErrors(o: KObject): string[] {
  return strategy.validate(created(o)).map(fieldErrorString);
}

test('info is statefulsets.apps', () => {
  assert.equal(strategy.info.plural, 'statefulsets');
  assert.equal(strategy.info.group, 'apps');
});

test('SetDefaults_StatefulSet (semantics §5): replicas, policy, RollingUpdate partition 0, history, PVC retention', () => {
  const o = created();
  const s = o.spec;
  assert.equal(s.replicas, 1);
  assert.equal(s.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.equal(s.revisionHistoryLimit, 10);
  assert.deepEqual(s.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.template.spec.restartPolicy, 'Always');
  assert.equal(s.template.spec.containers[0].ports[0].protocol, 'TCP');
  assert.equal(s.template.metadata.creationTimestamp, null);
  assert.deepEqual(o.status, { replicas: 0, availableReplicas: 0 });
});

test('SetDefaults_StatefulSet: explicit values survive; partition only for RollingUpdate', () => {
  const a = created(sts({ replicas: 0, podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 0 }));
  assert.equal(a.spec.replicas, 0);
  assert.equal(a.spec.podManagementPolicy, 'Parallel');
  assert.deepEqual(a.spec.updateStrategy, { type: 'OnDelete' });
  assert.equal(a.spec.revisionHistoryLimit, 0);
  // An explicit type without rollingUpdate is left without one (only an empty type creates it).
  const b = created(sts({ updateStrategy: { type: 'RollingUpdate' } }));
  assert.deepEqual(b.spec.updateStrategy, { type: 'RollingUpdate' });
  const c = created(sts({ updateStrategy: { rollingUpdate: { partition: 2 } } }));
  assert.deepEqual(c.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
});

test('volumeClaimTemplates are serialized as v1 PVCs with their defaults', () => {
  const o = created(sts({ volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }));
  assert.deepEqual(o.spec.volumeClaimTemplates[0], {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim',
    metadata: { name: 'www', creationTimestamp: null },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  });
});

test('maxUnavailable is dropped (MaxUnavailableStatefulSet is alpha and off in 1.32)', () => {
  const o = created(sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1, maxUnavailable: 2 } } }));
  assert.deepEqual(o.spec.updateStrategy.rollingUpdate, { partition: 1 });
});

const createCases: Array<{ name: string; sts: KObject; want: string[] }> = [
  { name: 'valid', sts: sts(), want: [] },
  {
    name: 'selector required; a nil selector matches nothing so the template check fails too',
    sts: sts({ selector: undefined }),
    want: ['spec.selector: Required value', 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
  },
  {
    name: 'empty selector',
    sts: sts({ selector: {} }),
    want: ['spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset'],
  },
  {
    name: 'template labels must match the selector',
    sts: sts({ selector: { matchLabels: { app: 'db' } } }),
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`'],
  },
  {
    name: 'template without labels',
    sts: sts({ template: { spec: { containers: [{ name: 'c', image: 'i' }] } } }),
    want: ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`'],
  },
  {
    name: 'matchExpressions selectors match too',
    sts: sts({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }),
    want: [],
  },
  {
    name: 'an unconvertible selector is Invalid with no detail',
    sts: sts({ selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] } }),
    want: [
      'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"x"}}}}',
    ],
  },
  {
    name: 'restartPolicy must be Always',
    sts: sts({ template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'i' }] } } }),
    want: ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
  },
  {
    name: 'activeDeadlineSeconds forbidden',
    sts: sts({ template: { metadata: { labels: { app: 'web' } }, spec: { activeDeadlineSeconds: 5, containers: [{ name: 'c', image: 'i' }] } } }),
    want: ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported'],
  },
  {
    name: '1.32 does not validate the pod spec of the template (kubernetes#81147)',
    sts: sts({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'Bad_Name' }] } } }),
    want: [],
  },
  { name: 'replicas non-negative', sts: sts({ replicas: -1 }), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'podManagementPolicy values',
    sts: sts({ podManagementPolicy: 'Random' }),
    want: ["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"],
  },
  {
    name: 'updateStrategy type values',
    sts: sts({ updateStrategy: { type: 'Canary' } }),
    want: ["spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Canary\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"],
  },
  {
    name: 'rollingUpdate only with RollingUpdate',
    sts: sts({ updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }),
    want: ["spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"],
  },
  {
    name: 'partition non-negative',
    sts: sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }),
    want: ['spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'PVC retention policy values',
    sts: sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }),
    want: ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"'],
  },
  { name: 'ordinals.start non-negative', sts: sts({ ordinals: { start: -2 } }), want: ['spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0'] },
  { name: 'serviceName is not required', sts: sts({ serviceName: undefined }), want: [] },
];

for (const c of createCases) {
  test(`ValidateStatefulSetSpec: ${c.name}`, () => {
    assert.deepEqual(createErrors(c.sts), c.want);
  });
}

test('invalid StatefulSet renders with the qualified kind (semantics §1.9)', () => {
  const e = invalid(strategy.info.kind, strategy.info.group, 'web', strategy.validate(created(sts({ selector: {} }))));
  assert.equal(e.message, 'StatefulSet.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset');
  assert.equal(e.details?.group, 'apps');
  assert.equal(e.details?.kind, 'StatefulSet');
});

function updateErrors(mutate: (s: any) => void, base: KObject = created()): string[] {
  const next = structuredClone(base);
  mutate(next);
  strategy.defaults(next);
  strategy.prepareForUpdate(next, base);
  return strategy.validateUpdate(next, base).map(fieldErrorString);
}

test('the forbidden-update text is the 1.32 one', () => {
  assert.equal(STATEFULSET_UPDATE_FORBIDDEN, "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
});

const FORBIDDEN = `spec: Forbidden: ${STATEFULSET_UPDATE_FORBIDDEN}`;
const updateCases: Array<{ name: string; mutate: (s: any) => void; want: string[] }> = [
  { name: 'replicas may change (scale)', mutate: (s) => { s.spec.replicas = 5; }, want: [] },
  { name: 'template may change', mutate: (s) => { s.spec.template.spec.containers[0].image = 'nginx:1.28'; }, want: [] },
  { name: 'updateStrategy may change', mutate: (s) => { s.spec.updateStrategy = { type: 'OnDelete' }; }, want: [] },
  { name: 'minReadySeconds may change', mutate: (s) => { s.spec.minReadySeconds = 10; }, want: [] },
  { name: 'ordinals may change', mutate: (s) => { s.spec.ordinals = { start: 3 }; }, want: [] },
  { name: 'PVC retention may change', mutate: (s) => { s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' }; }, want: [] },
  { name: 'serviceName may not', mutate: (s) => { s.spec.serviceName = 'other'; }, want: [FORBIDDEN] },
  { name: 'podManagementPolicy may not', mutate: (s) => { s.spec.podManagementPolicy = 'Parallel'; }, want: [FORBIDDEN] },
  { name: 'revisionHistoryLimit may not (1.33 allows it)', mutate: (s) => { s.spec.revisionHistoryLimit = 3; }, want: [FORBIDDEN] },
  { name: 'volumeClaimTemplates may not', mutate: (s) => { s.spec.volumeClaimTemplates = [{ metadata: { name: 'x' }, spec: {} }]; }, want: [FORBIDDEN] },
  {
    name: 'selector may not, and the template must still match',
    mutate: (s) => { s.spec.selector = { matchLabels: { app: 'db' } }; },
    want: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`', FORBIDDEN],
  },
];

for (const c of updateCases) {
  test(`ValidateStatefulSetUpdate: ${c.name}`, () => {
    assert.deepEqual(updateErrors(c.mutate), c.want);
  });
}

test('PrepareForUpdate keeps status; specChanged tracks spec (scale bumps generation)', () => {
  const old = created();
  old.status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
  const next = structuredClone(old);
  next.status = { replicas: 9 };
  next.spec.replicas = 3;
  strategy.prepareForUpdate(next, old);
  assert.deepEqual(next.status, old.status);
  assert.equal(strategy.specChanged!(next, old), true);
  const labelsOnly = structuredClone(old);
  labelsOnly.metadata.labels = { a: 'b' };
  assert.equal(strategy.specChanged!(labelsOnly, old), false);
});

test('status subresource keeps spec, lets metadata change, fills always-serialized counts', () => {
  const old = created();
  const next = structuredClone(old);
  next.spec.replicas = 7;
  next.metadata.labels = { x: 'y' };
  next.status = { observedGeneration: 1, readyReplicas: 0 };
  strategy.prepareForStatusUpdate!(next, old);
  assert.equal(next.spec.replicas, 1);
  assert.deepEqual(next.metadata.labels, { x: 'y' });
  assert.deepEqual(next.status, { observedGeneration: 1, readyReplicas: 0, replicas: 0, availableReplicas: 0 });
});

const statusCases: Array<{ name: string; status: any; old?: any; want: string[] }> = [
  { name: 'consistent counts', status: { replicas: 3, readyReplicas: 2, currentReplicas: 3, updatedReplicas: 1, availableReplicas: 2 }, want: [] },
  {
    name: 'readyReplicas > replicas',
    status: { replicas: 1, readyReplicas: 2, availableReplicas: 0 },
    want: ['status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas'],
  },
  {
    name: 'availableReplicas > readyReplicas',
    status: { replicas: 3, readyReplicas: 1, availableReplicas: 2 },
    want: ['status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas'],
  },
  {
    name: 'negative counts (and then every zero count exceeds replicas, as in kube)',
    status: { replicas: -1, availableReplicas: 0, observedGeneration: -1 },
    want: [
      'status.replicas: Invalid value: -1: must be greater than or equal to 0',
      'status.observedGeneration: Invalid value: -1: must be greater than or equal to 0',
      'status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.currentReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.updatedReplicas: Invalid value: 0: cannot be greater than status.replicas',
      'status.availableReplicas: Invalid value: 0: cannot be greater than status.replicas',
    ],
  },
  {
    name: 'collisionCount cannot be decremented',
    status: { replicas: 0, availableReplicas: 0, collisionCount: 0 },
    old: { replicas: 0, availableReplicas: 0, collisionCount: 1 },
    want: ['status.collisionCount: Invalid value: 0: cannot be decremented'],
  },
];

for (const c of statusCases) {
  test(`ValidateStatefulSetStatusUpdate: ${c.name}`, () => {
    const old = created();
    if (c.old) old.status = c.old;
    const next = structuredClone(old);
    next.status = c.status;
    strategy.prepareForStatusUpdate!(next, old);
    assert.deepEqual(strategy.validateStatusUpdate!(next, old).map(fieldErrorString), c.want);
  });
}

test('warnings come from the pod template, with the spec.template path', () => {
  const o = created(sts({ template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: -1, containers: [{ name: 'c', image: 'i' }] } } }));
  assert.deepEqual(strategy.warnings!(o), ['spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']);
  assert.deepEqual(strategy.warnings!(o, structuredClone(o)), [], 'no warnings on an update that does not change the spec');
});

test('through the store steps: generic ObjectMeta errors come first, then the StatefulSet ones', async () => {
  const { runCreate, messageOf } = await import('../strategy-harness.ts');
  const r = runCreate(strategy, { ...sts({ selector: {} }), metadata: { name: 'web.1', namespace: 'default' } });
  assert.equal(messageOf(r), 'StatefulSet.apps "web.1" is invalid: [metadata.name: Invalid value: "web.1": must not contain dots, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset]');
});
