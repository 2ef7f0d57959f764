// Table tests for PodSpec defaulting, validation and warnings (podspec.ts). Expected texts are kube's:
// pkg/apis/core/v1/defaults.go, pkg/apis/core/validation/validation.go, pkg/api/pod/warnings.go (v1.32).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../api/status.ts';
import {
  defaultPodSpec, defaultPodTemplateSpec, imageTag, parseQuantityNanos, podSpecWarnings, semanticEqual, validatePodSpec,
  validatePodTemplateSpec,
} from './podspec.ts';

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function spec(extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}): any {
  return { containers: [{ name: 'web', image: 'nginx:1.27', ...container }], ...extra };
}

/** Defaults then validates, returning the rendered field errors. */
function errorsOf(s: any, fld = 'spec'): string[] {
  defaultPodSpec(s);
  return validatePodSpec(s, fld).map(fieldErrorString);
}

test('SetDefaults_PodSpec fills the pod-level defaults (kubectl-compatibility §4)', () => {
  const s = spec();
  defaultPodSpec(s);
  assert.equal(s.restartPolicy, 'Always');
  assert.equal(s.dnsPolicy, 'ClusterFirst');
  assert.equal(s.terminationGracePeriodSeconds, 30);
  assert.equal(s.schedulerName, 'default-scheduler');
  assert.deepEqual(s.securityContext, {});
  assert.equal(s.enableServiceLinks, undefined, 'enableServiceLinks is SetDefaults_Pod only, not templates');
  assert.deepEqual(s.containers[0], {
    name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File', resources: {},
  });
});

test('SetDefaults_PodSpec keeps values the client set, including zero', () => {
  const s = spec({ restartPolicy: 'Never', dnsPolicy: 'Default', terminationGracePeriodSeconds: 0, schedulerName: 'mine' });
  defaultPodSpec(s);
  assert.equal(s.restartPolicy, 'Never');
  assert.equal(s.dnsPolicy, 'Default');
  assert.equal(s.terminationGracePeriodSeconds, 0);
  assert.equal(s.schedulerName, 'mine');
});

test('SetDefaults_Container imagePullPolicy: Always for :latest or no tag (parsers.ParseImageName)', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  const cases: Array<[string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    [`nginx@${digest}`, 'IfNotPresent'],
    [`nginx:latest@${digest}`, 'Always'],
    ['registry.local:5000/team/app', 'Always'],
    ['registry.local:5000/team/app:v2', 'IfNotPresent'],
    ['Nginx', 'IfNotPresent'], // not a valid reference: ParseImageName fails, tag "" → IfNotPresent
    ['', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) {
    const s = spec({}, { image });
    defaultPodSpec(s);
    assert.equal(s.containers[0].imagePullPolicy, want, image);
  }
  assert.equal(imageTag('busybox:1.36'), '1.36');
  assert.equal(imageTag(`busybox@${digest}`), '');
});

test('nested defaults: ports protocol TCP, probes, volumes, fieldRef apiVersion, serviceAccount mirror', () => {
  const s = spec({
    serviceAccount: 'builder',
    volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'host', hostPath: { path: '/tmp' } }],
  }, {
    ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
    readinessProbe: { httpGet: { port: 80 } },
    env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
  });
  defaultPodSpec(s);
  const c = s.containers[0];
  assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }]);
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.env[0].valueFrom.fieldRef, { fieldPath: 'metadata.name', apiVersion: 'v1' });
  assert.deepEqual(s.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    { name: 'host', hostPath: { path: '/tmp', type: '' } },
  ]);
  assert.equal(s.serviceAccountName, 'builder');
  assert.equal(s.serviceAccount, 'builder');
});

test('defaultPodTemplateSpec writes metadata.creationTimestamp: null like Go does', () => {
  const t: any = { metadata: { labels: { app: 'web' } }, spec: spec() };
  defaultPodTemplateSpec(t);
  assert.deepEqual(t.metadata, { labels: { app: 'web' }, creationTimestamp: null });
  assert.equal(t.spec.restartPolicy, 'Always');
});

// ValidatePodSpec: one case per rule, with the exact kube text.
const validationCases: Array<{ name: string; spec: any; want: string[] }> = [
  { name: 'valid minimal spec', spec: spec(), want: [] },
  { name: 'containers required (validateContainers)', spec: { containers: [] }, want: ['spec.containers: Required value'] },
  { name: 'containers missing entirely', spec: {}, want: ['spec.containers: Required value'] },
  { name: 'container name required', spec: spec({}, { name: '' }), want: ['spec.containers[0].name: Required value'] },
  { name: 'container name is a DNS-1123 label', spec: spec({}, { name: 'Web_1' }), want: [`spec.containers[0].name: Invalid value: "Web_1": ${LABEL_MSG}`] },
  {
    name: 'container names unique',
    spec: { containers: [{ name: 'web', image: 'a' }, { name: 'web', image: 'b' }] },
    want: ['spec.containers[1].name: Duplicate value: "web"'],
  },
  { name: 'image required', spec: spec({}, { image: '' }), want: ['spec.containers[0].image: Required value'] },
  { name: 'containerPort required', spec: spec({}, { ports: [{ containerPort: 0 }] }), want: ['spec.containers[0].ports[0].containerPort: Required value'] },
  {
    name: 'containerPort range',
    spec: spec({}, { ports: [{ containerPort: 70000 }] }),
    want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
  },
  {
    name: 'port names unique',
    spec: spec({}, { ports: [{ name: 'http', containerPort: 80 }, { name: 'http', containerPort: 8080 }] }),
    want: ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
  },
  {
    name: 'port protocol supported values (sets.List order)',
    spec: spec({}, { ports: [{ containerPort: 80, protocol: 'HTTP' }] }),
    want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  },
  {
    name: 'restartPolicy supported values (declaration order)',
    spec: spec({ restartPolicy: 'Sometimes' }),
    want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  },
  {
    name: 'dnsPolicy supported values',
    spec: spec({ dnsPolicy: 'Foo' }),
    want: ['spec.dnsPolicy: Unsupported value: "Foo": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
  },
  {
    name: 'dnsPolicy None needs dnsConfig',
    spec: spec({ dnsPolicy: 'None' }),
    want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
  },
  { name: 'hostname is a DNS label (dots)', spec: spec({ hostname: 'web.0' }), want: ['spec.hostname: Invalid value: "web.0": must not contain dots'] },
  { name: 'subdomain is a DNS label', spec: spec({ subdomain: 'Web' }), want: [`spec.subdomain: Invalid value: "Web": ${LABEL_MSG}`] },
  { name: 'nodeName is a DNS subdomain', spec: spec({ nodeName: 'Node_1' }), want: [`spec.nodeName: Invalid value: "Node_1": ${SUBDOMAIN_MSG}`] },
  {
    name: 'readinessGates conditionType is a qualified name',
    spec: spec({ readinessGates: [{ conditionType: 'bad gate' }] }),
    want: [
      "spec.readinessGates[0].conditionType: Invalid value: \"bad gate\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  },
  {
    name: 'env names: relaxed validation (1.32 default) rejects only "=" and non-printable',
    spec: spec({}, { env: [{ name: '1ABC', value: 'x' }, { name: 'A=B' }, { name: '' }] }),
    want: [
      "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
      'spec.containers[0].env[2].name: Required value',
    ],
  },
  {
    name: 'env valueFrom with value',
    spec: spec({}, { env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }] }),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
  },
  {
    name: 'env fieldRef path not supported for env',
    spec: spec({}, { env: [{ name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } }] }),
    want: ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'],
  },
  {
    name: 'terminationGracePeriodSeconds may be negative (a warning, not an error)',
    spec: spec({ terminationGracePeriodSeconds: -1 }),
    want: [],
  },
  {
    name: 'activeDeadlineSeconds range',
    spec: spec({ activeDeadlineSeconds: 0 }),
    want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  },
  {
    name: 'volumeMounts must name a volume',
    spec: spec({}, { volumeMounts: [{ name: 'data', mountPath: '/data' }] }),
    want: ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
  },
  {
    name: 'volume names unique',
    spec: spec({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'a', emptyDir: {} }] }),
    want: ['spec.volumes[1].name: Duplicate value: "a"'],
  },
  {
    name: 'hostPort conflicts across containers',
    spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }, { name: 'b', image: 'y', ports: [{ containerPort: 81, hostPort: 8080 }] }] },
    want: ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  },
  {
    name: 'liveness successThreshold must be 1',
    spec: spec({}, { livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }),
    want: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  },
  {
    name: 'probe needs a handler',
    spec: spec({}, { readinessProbe: { periodSeconds: 5 } }),
    want: ['spec.containers[0].readinessProbe: Required value: must specify a handler type'],
  },
  {
    name: 'restartPolicy on a regular container',
    spec: spec({}, { restartPolicy: 'Always' }),
    want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
  },
  {
    name: 'toleration with empty key needs Exists',
    spec: spec({ tolerations: [{ operator: 'Equal', value: 'x' }] }),
    want: ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"'],
  },
];

for (const c of validationCases) {
  test(`ValidatePodSpec: ${c.name}`, () => {
    assert.deepEqual(errorsOf(c.spec), c.want);
  });
}

test('ValidatePodTemplateSpec: labels at <fld>.labels, spec at <fld>.spec, no ephemeral containers', () => {
  const t: any = {
    metadata: { labels: { 'bad key!': 'x' } },
    spec: { containers: [{ name: 'web', image: 'nginx' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] },
  };
  defaultPodTemplateSpec(t);
  const errs = validatePodTemplateSpec(t, 'spec.template').map(fieldErrorString);
  assert.equal(errs.length, 2);
  assert.match(errs[0], /^spec\.template\.labels: Invalid value: "bad key!": name part must consist of/);
  assert.equal(errs[1], 'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template');
  assert.deepEqual(validatePodTemplateSpec({ metadata: {}, spec: {} }, 'spec.template').map(fieldErrorString).slice(0, 2), [
    'spec.template.spec.terminationGracePeriodSeconds: Required value',
    'spec.template.spec.containers: Required value',
  ]);
});

test('warnings (pkg/api/pod/warnings.go): duplicate ports, hidden env, negative grace period', () => {
  const s = spec({ terminationGracePeriodSeconds: -5 }, {
    ports: [{ containerPort: 80 }, { containerPort: 80 }],
    env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }, { name: 'B', value: 'x' }, { name: 'B', value: '$(B)y' }],
  });
  defaultPodSpec(s);
  assert.deepEqual(podSpecWarnings(s, undefined, 'spec.template'), [
    'spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    'spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
    'spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
  ]);
  const frac = spec({}, { resources: { requests: { memory: '100m' } } });
  assert.deepEqual(podSpecWarnings(frac, undefined, ''), ['spec.containers[0].resources.requests[memory]: fractional byte value "100m" is invalid, must be an integer']);
});

test('quantities parse exactly (resource.Quantity)', () => {
  const cases: Array<[string | number, bigint | null]> = [
    ['1', 1_000_000_000n], ['100m', 100_000_000n], ['1.5', 1_500_000_000n], ['1Ki', 1024_000_000_000n], ['1e3', 1000_000_000_000n],
    ['1Gi', (1n << 30n) * 1_000_000_000n], [2, 2_000_000_000n], ['0.5n', 1n], ['abc', null], ['1.2.3', null], ['-1', -1_000_000_000n],
  ];
  for (const [q, want] of cases) assert.equal(parseQuantityNanos(q), want, String(q));
});

test('semanticEqual: nil, empty and zero values are alike; real differences are not', () => {
  assert.ok(semanticEqual({ a: [] }, {}));
  assert.ok(semanticEqual({ a: '', b: 0, c: false, d: null }, {}));
  assert.ok(semanticEqual({ m: {} }, { m: undefined }));
  assert.ok(!semanticEqual({ a: 'x' }, {}));
  assert.ok(!semanticEqual([1, 2], [2, 1]));
  assert.ok(!semanticEqual({ replicas: 1 }, { replicas: 2 }));
});
