// Table tests for the pod strategy (pod.ts): pkg/registry/core/pod/strategy.go, storage.go BindingREST,
// pkg/apis/core/helper/qos, pkg/apis/core/validation ValidatePodUpdate/ValidatePodStatusUpdate (v1.32).
// kubernetes-semantics.md §5 (phase Pending on create), §7.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { fieldErrorString, invalid, StatusError } from '../../api/status.ts';
import { applyBinding, bindPod, computePodQOS, podStrategy, UPDATABLE_POD_SPEC_FIELDS } from './pod.ts';

const strategy = podStrategy();

function pod(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], ...container }], ...spec },
  };
}

/** The create path of the store: defaults, prepareForCreate. */
function created(p: KObject = pod()): KObject {
  strategy.defaults(p);
  strategy.prepareForCreate(p);
  return p;
}

/** The update path: defaults, prepareForUpdate, validateUpdate. */
function updateErrors(old: KObject, mutate: (p: any) => void): string[] {
  const next = structuredClone(old);
  mutate(next);
  strategy.defaults(next);
  strategy.prepareForUpdate(next, old);
  return strategy.validateUpdate(next, old).map(fieldErrorString);
}

test('info is the pods resource', () => {
  assert.equal(strategy.info.plural, 'pods');
  assert.equal(strategy.info.kind, 'Pod');
  assert.equal(strategy.info.group, '');
});

test('SetDefaults_Pod: enableServiceLinks, requests default to limits, hostNetwork hostPort', () => {
  const p = pod({ hostNetwork: true }, { resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } } });
  strategy.defaults(p);
  assert.equal(p.spec.enableServiceLinks, true);
  assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
  assert.deepEqual(p.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP', hostPort: 80 }]);
});

test('PrepareForCreate: status is {phase: Pending, qosClass} whatever the client sent (semantics §5)', () => {
  const p = pod();
  p.status = { phase: 'Running', podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] };
  created(p);
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('PrepareForCreate: scheduling gates add PodScheduled=False SchedulingGated', () => {
  const p = created(pod({ schedulingGates: [{ name: 'example.com/wait' }] }));
  assert.deepEqual(p.status.conditions, [{
    type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated',
    message: 'Scheduling is blocked due to non-empty scheduling gates',
  }]);
});

const qosCases: Array<{ name: string; containers: any[]; want: string }> = [
  { name: 'no resources', containers: [{}], want: 'BestEffort' },
  { name: 'zero requests do not count', containers: [{ resources: { requests: { cpu: '0' } } }], want: 'BestEffort' },
  { name: 'only other resources', containers: [{ resources: { limits: { 'ephemeral-storage': '1Gi' } } }], want: 'BestEffort' },
  { name: 'requests only', containers: [{ resources: { requests: { cpu: '100m' } } }], want: 'Burstable' },
  { name: 'limits for cpu and memory (requests defaulted)', containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }], want: 'Guaranteed' },
  { name: 'equal quantities in other units', containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } } }], want: 'Guaranteed' },
  { name: 'requests below limits', containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } } }], want: 'Burstable' },
  { name: 'cpu limit only', containers: [{ resources: { limits: { cpu: '1' } } }], want: 'Burstable' },
  {
    name: 'one container without limits spoils Guaranteed',
    containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'side' }],
    want: 'Burstable',
  },
];

for (const c of qosCases) {
  test(`ComputePodQOS: ${c.name} → ${c.want}`, () => {
    const p = pod();
    p.spec.containers = c.containers.map((x, i) => ({ name: `c${i}`, image: 'x', ...x }));
    strategy.defaults(p);
    assert.equal(computePodQOS(p), c.want);
    strategy.prepareForCreate(p);
    assert.equal(p.status.qosClass, c.want);
  });
}

const createCases: Array<{ name: string; pod: KObject; want: string[] }> = [
  { name: 'valid', pod: pod(), want: [] },
  { name: 'nodeName may be set on create (no scheduler)', pod: pod({ nodeName: 'node-1' }), want: [] },
  { name: 'image required', pod: pod({}, { image: '' }), want: ['spec.containers[0].image: Required value'] },
  {
    name: 'image whitespace (validateContainersOnlyForPod)',
    pod: pod({}, { image: ' nginx' }),
    want: ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
  },
  {
    name: 'ephemeral containers only through the subresource',
    pod: pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }),
    want: ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  },
  {
    name: 'hostNetwork: hostPort must match containerPort in a Pod',
    pod: pod({ hostNetwork: true }, { ports: [{ containerPort: 80, hostPort: 8080 }] }),
    want: ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true'],
  },
  {
    name: 'nodeName with scheduling gates',
    pod: pod({ nodeName: 'n1', schedulingGates: [{ name: 'g' }] }),
    want: ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
  },
];

for (const c of createCases) {
  test(`ValidatePodCreate: ${c.name}`, () => {
    const p = created(c.pod);
    assert.deepEqual(strategy.validate(p).map(fieldErrorString), c.want);
  });
}

test('invalid pod renders as kubectl sees it (Status details)', () => {
  const p = created(pod({}, { image: '' }));
  const e = invalid(strategy.info.kind, strategy.info.group, 'web-0', strategy.validate(p));
  assert.equal(e.code, 422);
  assert.equal(e.message, 'Pod "web-0" is invalid: spec.containers[0].image: Required value');
  assert.deepEqual(e.details, { name: 'web-0', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }] });
});

const FORBIDDEN_PREFIX = `spec: Forbidden: pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n`;

test('the update message lists the 1.32 updatable fields verbatim', () => {
  assert.equal(
    UPDATABLE_POD_SPEC_FIELDS.join(','),
    '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
});

const updateCases: Array<{ name: string; mutate: (p: any) => void; want: string[] | RegExp }> = [
  { name: 'no change', mutate: () => {}, want: [] },
  { name: 'labels may change', mutate: (p) => { p.metadata.labels = { app: 'other' }; }, want: [] },
  { name: 'image may change', mutate: (p) => { p.spec.containers[0].image = 'nginx:1.28'; }, want: [] },
  { name: 'activeDeadlineSeconds may be set', mutate: (p) => { p.spec.activeDeadlineSeconds = 60; }, want: [] },
  { name: 'tolerations may be added', mutate: (p) => { p.spec.tolerations = [{ key: 'k', operator: 'Exists' }]; }, want: [] },
  {
    name: 'containerPort may not change',
    mutate: (p) => { p.spec.containers[0].ports[0].containerPort = 8080; },
    want: [`${FORBIDDEN_PREFIX}  core.PodSpec{\n- \tcontainers[0].ports[0].containerPort: 80,\n+ \tcontainers[0].ports[0].containerPort: 8080,\n  }\n`],
  },
  {
    name: 'nodeName may not be set by an update (only through binding)',
    mutate: (p) => { p.spec.nodeName = 'node-1'; },
    want: [`${FORBIDDEN_PREFIX}  core.PodSpec{\n+ \tnodeName: "node-1",\n  }\n`],
  },
  {
    name: 'containers may not be added',
    mutate: (p) => { p.spec.containers.push({ name: 'side', image: 'busybox' }); },
    want: ['spec.containers: Forbidden: pod updates may not add or remove containers'],
  },
  {
    name: 'the new image is still required',
    mutate: (p) => { p.spec.containers[0].image = ''; },
    want: ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value'],
  },
];

for (const c of updateCases) {
  test(`ValidatePodUpdate: ${c.name}`, () => {
    assert.deepEqual(updateErrors(created(), c.mutate), c.want);
  });
}

test('ValidatePodUpdate: activeDeadlineSeconds may only decrease, never be removed', () => {
  const old = created(pod({ activeDeadlineSeconds: 30 }));
  assert.deepEqual(updateErrors(old, (p) => { p.spec.activeDeadlineSeconds = 10; }), []);
  assert.deepEqual(updateErrors(old, (p) => { p.spec.activeDeadlineSeconds = 60; }), ['spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value']);
  assert.deepEqual(updateErrors(old, (p) => { delete p.spec.activeDeadlineSeconds; }), ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
});

test('ValidatePodUpdate: existing tolerations may only change tolerationSeconds', () => {
  const old = created(pod({ tolerations: [{ key: 'k', operator: 'Equal', value: 'a', effect: 'NoExecute', tolerationSeconds: 5 }] }));
  assert.deepEqual(updateErrors(old, (p) => { p.spec.tolerations[0].tolerationSeconds = 10; }), []);
  assert.deepEqual(updateErrors(old, (p) => { p.spec.tolerations[0].value = 'b'; }), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
});

test('ValidatePodUpdate: a negative terminationGracePeriodSeconds may become 1, nothing else', () => {
  const old = created(pod({ terminationGracePeriodSeconds: -1 }));
  assert.deepEqual(updateErrors(old, (p) => { p.spec.terminationGracePeriodSeconds = 1; }), []);
  const errs = updateErrors(old, (p) => { p.spec.terminationGracePeriodSeconds = 2; });
  assert.equal(errs.length, 1);
  assert.ok(errs[0].startsWith(FORBIDDEN_PREFIX));
});

test('PrepareForUpdate keeps the stored status', () => {
  const old = created();
  old.status.phase = 'Running';
  const next = structuredClone(old);
  next.status = { phase: 'Failed' };
  strategy.prepareForUpdate(next, old);
  assert.deepEqual(next.status, { phase: 'Running', qosClass: 'BestEffort' });
});

test('status update keeps spec and ownerReferences, lets labels change, backfills qosClass, mirrors podIP', () => {
  const old = created();
  old.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true }];
  const next = structuredClone(old);
  next.spec.nodeName = 'sneaky';
  next.metadata.ownerReferences = [];
  next.metadata.labels = { app: 'web', ready: 'yes' };
  next.status = { phase: 'Running', podIP: '10.244.0.5', hostIP: '172.18.0.2' };
  strategy.prepareForStatusUpdate!(next, old);
  assert.deepEqual(next.spec, old.spec);
  assert.deepEqual(next.metadata.ownerReferences, old.metadata.ownerReferences);
  assert.deepEqual(next.metadata.labels, { app: 'web', ready: 'yes' });
  assert.deepEqual(next.status, {
    phase: 'Running', podIP: '10.244.0.5', hostIP: '172.18.0.2', qosClass: 'BestEffort',
    podIPs: [{ ip: '10.244.0.5' }], hostIPs: [{ ip: '172.18.0.2' }],
  });
  assert.deepEqual(strategy.validateStatusUpdate!(next, old), []);
});

const statusCases: Array<{ name: string; status: any; want: string[] }> = [
  { name: 'running with IPs', status: { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }] }, want: [] },
  {
    name: 'podIP must be an IP',
    status: { phase: 'Running', podIP: '10.0.0.300' },
    want: ['status.podIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  },
  {
    name: 'two IPv4 pod IPs',
    status: { podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] },
    want: ['status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:"10.0.0.1"}, core.PodIP{IP:"10.0.0.2"}}: may specify no more than one IP for each IP family'],
  },
  {
    name: 'custom condition types are qualified names (kube reports them under metadata.conditions)',
    status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'bad type', status: 'True' }] },
    want: ["metadata.conditions[1].Type: Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
  },
  { name: 'qosClass is immutable', status: { qosClass: 'Guaranteed' }, want: ['status.qosClass: Invalid value: "Guaranteed": field is immutable'] },
];

for (const c of statusCases) {
  test(`ValidatePodStatusUpdate: ${c.name}`, () => {
    const old = created();
    const next = structuredClone(old);
    next.status = c.status;
    strategy.prepareForStatusUpdate!(next, old);
    assert.deepEqual(strategy.validateStatusUpdate!(next, old).map(fieldErrorString), c.want);
  });
}

test('ValidatePodStatusUpdate: terminated containers of a Never pod stay terminated', () => {
  const old = created(pod({ restartPolicy: 'Never' }));
  old.status.containerStatuses = [{ name: 'web', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0 } } }];
  const next = structuredClone(old);
  next.status.containerStatuses[0].state = { running: {} };
  assert.deepEqual(strategy.validateStatusUpdate!(next, old).map(fieldErrorString), ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state']);
});

test('binding sets nodeName, merges annotations and records PodScheduled=True', () => {
  const p = created();
  bindPod(p, 'node-1', { 'scheduler/decision': 'x' }, '2024-01-02T03:04:05Z');
  assert.equal(p.spec.nodeName, 'node-1');
  assert.equal(p.metadata.annotations!['scheduler/decision'], 'x');
  assert.deepEqual(p.status.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-02T03:04:05Z' }]);
});

test('binding an assigned, deleting or gated pod is a 409 Conflict on pods/binding', () => {
  const cases: Array<[KObject, string]> = [
    [created(pod({ nodeName: 'node-1' })), 'Operation cannot be fulfilled on pods/binding "web-0": pod web-0 is already assigned to node "node-1"'],
    [(() => { const p = created(); p.metadata.deletionTimestamp = '2024-01-01T00:00:00Z'; return p; })(), 'Operation cannot be fulfilled on pods/binding "web-0": pod web-0 is being deleted, cannot be assigned to a host'],
    [created(pod({ schedulingGates: [{ name: 'g' }] })), 'Operation cannot be fulfilled on pods/binding "web-0": pod web-0 has non-empty .spec.schedulingGates'],
  ];
  for (const [p, msg] of cases) {
    assert.throws(() => bindPod(p, 'node-2'), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 409);
      assert.equal(e.reason, 'Conflict');
      assert.equal(e.message, msg);
      assert.deepEqual(e.details, { name: 'web-0', kind: 'pods/binding' });
      return true;
    });
  }
});

test('applyBinding: URL name mismatch is 400, invalid targets are kube\'s 500 aggregate', () => {
  const binding = (name: string, target: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target });
  assert.throws(() => applyBinding(created(), binding('other', { name: 'n' }), 'web-0'), (e: unknown) =>
    e instanceof StatusError && e.code === 400 && e.message === 'name in URL does not match name in Binding object');
  assert.throws(() => applyBinding(created(), binding('web-0', {}), 'web-0'), (e: unknown) =>
    e instanceof StatusError && e.code === 500 && e.reason === '' && e.message === 'target.name: Required value');
  assert.throws(() => applyBinding(created(), binding('web-0', { kind: 'Pod' }), 'web-0'), (e: unknown) =>
    e instanceof StatusError && e.message === '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]');
  const p = applyBinding(created(), binding('web-0', { kind: 'Node', name: 'node-3' }), 'web-0');
  assert.equal(p.spec.nodeName, 'node-3');
});

test('warnings: only on create; the pod name is checked as a hostname', () => {
  const p = created({ ...pod(), metadata: { name: 'web.0', namespace: 'default' } });
  assert.deepEqual(strategy.warnings!(p), ["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"]);
  assert.deepEqual(strategy.warnings!(p, p), []);
});

test('specChanged follows spec only', () => {
  const old = created();
  const next = structuredClone(old);
  next.metadata.labels = { x: 'y' };
  assert.equal(strategy.specChanged!(next, old), false);
  next.spec.containers[0].image = 'nginx:2';
  assert.equal(strategy.specChanged!(next, old), true);
});

test('kubectl run body (kubectl-compatibility §3.11) through the store steps: defaults, Pending, BestEffort', async () => {
  const { runCreate } = await import('./strategy-harness.ts');
  const body = JSON.parse('{"kind":"Pod","apiVersion":"v1","metadata":{"name":"nginx","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":8080}],"resources":{}}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst"},"status":{}}');
  const r = runCreate(strategy, body);
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.spec, {
    containers: [{
      name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: {},
      imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
    }],
    restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', securityContext: {}, terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler', enableServiceLinks: true,
  });
  assert.deepEqual(r.obj.status, { phase: 'Pending', qosClass: 'BestEffort' });
});
