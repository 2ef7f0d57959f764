// Strict field validation, checked against the upstream behaviour cited in schema.ts:
//   sigs.k8s.io/json internal/golang/encoding/json decode.go + kubernetes_patch.go (paths, order, dedupe, duplicates),
//   k8s.io/apimachinery/pkg/runtime/error.go (strict decoding error joining),
//   k8s.io/apiserver/pkg/endpoints/handlers/rest.go (transformDecodeError, fieldValidation default, warnings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import {
  unknownFields, strictDecodingErrors, hasSchema, knownFields, strictDecodingMessage, strictDecodingErrorText,
  strictErrorText, warningTexts, goQuote, fieldValidationDirective, FIELD_VALIDATION_VALUES, MAX_STRICT_ERRORS,
} from './index.ts';
import { RESOURCES, apiVersionOf } from '../resources.ts';
import { SEED_YAML, KUBECTL_RUN_BODY, SERVER_OBJECTS } from './fixtures.test-data.ts';

type Obj = Record<string, unknown>;
const gvk = (o: Obj): [string, string] => [String(o.apiVersion), String(o.kind)];

/** unknownFields on the parsed object and strictDecodingErrors on its JSON text must agree. */
function both(o: Obj): string[] {
  const [av, k] = gvk(o);
  const parsed = unknownFields(av, k, o);
  const raw = strictDecodingErrors(av, k, JSON.stringify(o));
  assert.ok(raw, 'JSON.stringify output must scan as valid JSON');
  assert.deepEqual(raw.map((e) => e.path), parsed, 'raw scan and parsed walk disagree');
  assert.ok(raw.every((e) => e.type === 'unknown field'));
  return parsed;
}

test('every kind in RESOURCES, plus autoscaling/v1 Scale and DeleteOptions, has a schema', () => {
  for (const r of RESOURCES) assert.ok(hasSchema(apiVersionOf(r), r.kind), `${apiVersionOf(r)} ${r.kind}`);
  assert.ok(hasSchema('autoscaling/v1', 'Scale'));
  assert.ok(hasSchema('v1', 'DeleteOptions'));
  assert.ok(hasSchema('meta.k8s.io/v1', 'DeleteOptions'));
  assert.equal(hasSchema('v1', 'Secret'), false);
  assert.deepEqual(unknownFields('v1', 'Secret', { anything: 1 }), [], 'no schema: nothing can be judged');
});

for (const [name, text] of Object.entries(SEED_YAML)) {
  test(`seed manifest ${name} has no unknown fields (/work/shared/seeds)`, () => {
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Obj);
    assert.ok(docs.length >= 1);
    for (const d of docs) assert.deepEqual(both(d), [], `${d.kind} ${JSON.stringify(d)}`);
  });
}

test('kubectl run body (kubectl-compatibility §3.11: creationTimestamp null, resources {}, status {}) is clean', () => {
  const errs = strictDecodingErrors('v1', 'Pod', KUBECTL_RUN_BODY);
  assert.deepEqual(errs, []);
  assert.deepEqual(unknownFields('v1', 'Pod', JSON.parse(KUBECTL_RUN_BODY)), []);
});

for (const { name, obj } of SERVER_OBJECTS) {
  test(`server-shaped object is clean: ${name}`, () => assert.deepEqual(both(obj), []));
}

test('kubectl DELETE body {"propagationPolicy":"Background"} is a clean DeleteOptions (§3.7)', () => {
  assert.deepEqual(strictDecodingErrors('v1', 'DeleteOptions', '{"propagationPolicy":"Background"}'), []);
  assert.deepEqual(unknownFields('meta.k8s.io/v1', 'DeleteOptions', { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '1' }, dryRun: ['All'], orphanDependents: false, ignoreStoreReadErrorWithClusterBreakingPotential: false }), []);
  assert.deepEqual(unknownFields('v1', 'DeleteOptions', { propagationPolicy: 'Background', preconditions: { generation: 1 } }), ['preconditions.generation']);
});

// Misspellings at several depths: the paths kube prints (strictFieldStack: "." between keys, "[i]" for list items).
const MISSPELLED: Array<{ name: string; apiVersion: string; kind: string; body: Obj; want: string[] }> = [
  { name: 'spec.portss', apiVersion: 'v1', kind: 'Service', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { portss: [{ port: 80 }] } }, want: ['spec.portss'] },
  { name: 'spec.ports[0].tragetPort', apiVersion: 'v1', kind: 'Service', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' }, spec: { ports: [{ port: 80, tragetPort: 8080 }] } }, want: ['spec.ports[0].tragetPort'] },
  { name: 'spec.ports[1].nodeport (case-sensitive match)', apiVersion: 'v1', kind: 'Service', body: { spec: { ports: [{ port: 80 }, { port: 81, nodeport: 30000 }] } }, want: ['spec.ports[1].nodeport'] },
  {
    name: 'spec.template.spec.containers[0].imagee', apiVersion: 'apps/v1', kind: 'Deployment',
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', imagee: 'nginx' }] } } } },
    want: ['spec.template.spec.containers[0].imagee'],
  },
  { name: 'metadata.lables', apiVersion: 'v1', kind: 'ConfigMap', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', lables: { a: 'b' } }, data: { k: 'v' } }, want: ['metadata.lables'] },
  { name: 'spec.strategy.rollingUpdate.maxUnaivailable', apiVersion: 'apps/v1', kind: 'Deployment', body: { spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnaivailable: 5 } } } }, want: ['spec.strategy.rollingUpdate.maxUnaivailable'] },
  { name: 'securityContext.writableCgroups in a StatefulSet pod template', apiVersion: 'apps/v1', kind: 'StatefulSet', body: { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'b', securityContext: { writableCgroups: true } }] } } } }, want: ['spec.template.spec.containers[1].securityContext.writableCgroups'] },
  { name: 'backoffLimit in a pod spec', apiVersion: 'apps/v1', kind: 'ReplicaSet', body: { spec: { template: { spec: { backoffLimit: 3 } } } }, want: ['spec.template.spec.backoffLimit'] },
  { name: 'Deployment selector given as a plain map (it is a LabelSelector)', apiVersion: 'apps/v1', kind: 'Deployment', body: { spec: { selector: { app: 'web' } } }, want: ['spec.selector.app'] },
  { name: 'volume source typo inside volumes[2]', apiVersion: 'v1', kind: 'Pod', body: { spec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', configMap: { nam: 'x' } }] } }, want: ['spec.volumes[2].configMap.nam'] },
  { name: 'env valueFrom typo', apiVersion: 'v1', kind: 'Pod', body: { spec: { containers: [{ name: 'a', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'x', feildPath: 'y' } } }] }] } }, want: ['spec.containers[0].env[0].valueFrom.fieldRef.feildPath'] },
  { name: 'EndpointSlice endpoint typo', apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', body: { endpoints: [{ addresses: ['1.2.3.4'], conditions: { redy: true } }] }, want: ['endpoints[0].conditions.redy'] },
  { name: 'Endpoints subset typo', apiVersion: 'v1', kind: 'Endpoints', body: { subsets: [{ adresses: [] }] }, want: ['subsets[0].adresses'] },
  { name: 'top-level typo and a misplaced spec field', apiVersion: 'v1', kind: 'Service', body: { apiVersion: 'v1', kind: 'Service', metdata: {}, clusterIP: 'None' }, want: ['metdata', 'clusterIP'] },
  { name: 'a field added after v1.32 (Lifecycle.stopSignal, 1.33) is unknown to a 1.32 server', apiVersion: 'v1', kind: 'Pod', body: { spec: { containers: [{ name: 'a', lifecycle: { stopSignal: 'SIGTERM' } }] } }, want: ['spec.containers[0].lifecycle.stopSignal'] },
  { name: 'PodResourceClaim.source was removed in 1.31', apiVersion: 'v1', kind: 'Pod', body: { spec: { resourceClaims: [{ name: 'a', source: {} }] } }, want: ['spec.resourceClaims[0].source'] },
  { name: 'ConfigMap has no status field in Go, so status is unknown (unlike Service)', apiVersion: 'v1', kind: 'ConfigMap', body: { metadata: { name: 'a' }, status: {} }, want: ['status'] },
  { name: 'Scale spec typo', apiVersion: 'autoscaling/v1', kind: 'Scale', body: { spec: { replica: 3 } }, want: ['spec.replica'] },
  { name: 'Lease spec typo', apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', body: { spec: { holder: 'x' } }, want: ['spec.holder'] },
  { name: 'Event source typo', apiVersion: 'v1', kind: 'Event', body: { source: { componen: 'x' } }, want: ['source.componen'] },
  { name: 'Node status nodeInfo typo', apiVersion: 'v1', kind: 'Node', body: { status: { nodeInfo: { kubeletVer: 'x' } } }, want: ['status.nodeInfo.kubeletVer'] },
  { name: 'managedFields entry typo (fieldsV1 itself stays free-form)', apiVersion: 'v1', kind: 'Namespace', body: { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:anything': {} }, fieldz: 1 }] } }, want: ['metadata.managedFields[0].fieldz'] },
];

for (const c of MISSPELLED) {
  test(`unknown field reported with kube's path: ${c.name}`, () => {
    assert.deepEqual(both({ apiVersion: c.apiVersion, kind: c.kind, ...c.body }), c.want);
  });
}

test('order is document order, not sorted (decode.go walks keys as they come)', () => {
  const body = { spec: { zzz: 1, ports: [{ port: 1, yyy: 2 }], aaa: 3 }, bbb: 4, metadata: { qqq: 5 } };
  assert.deepEqual(both({ apiVersion: 'v1', kind: 'Service', ...body }), ['spec.zzz', 'spec.ports[0].yyy', 'spec.aaa', 'bbb', 'metadata.qqq']);
});

test('nothing inside an unknown field is reported (its value is skipped)', () => {
  assert.deepEqual(both({ apiVersion: 'v1', kind: 'Service', spec: { foo: { bar: [{ baz: 1 }], qux: {} } } }), ['spec.foo']);
});

test('maps with arbitrary keys, intstr and Quantity values, and free-form subtrees are not judged', () => {
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { labels: { 'app.kubernetes.io/name': 'x', 'weird key with spaces': 'y' }, annotations: { 'a/b': '{"json":"inside"}' } },
    spec: { nodeSelector: { any: 'thing' }, overhead: { 'example.com/gpu': '1' }, containers: [{ name: 'a', resources: { limits: { 'nvidia.com/gpu': 1, memory: '1Gi' } }, livenessProbe: { httpGet: { port: 'http' } }, readinessProbe: { tcpSocket: { port: 8080 } } }] },
  };
  assert.deepEqual(both(pod), []);
  assert.deepEqual(both({ apiVersion: 'v1', kind: 'Service', spec: { selector: { anything: 'goes' }, ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 81 }] } }), []);
  assert.deepEqual(both({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } } }), []);
  assert.deepEqual(both({ apiVersion: 'apps/v1', kind: 'ControllerRevision', data: { whatever: { nested: [{ deep: true }] } } }), []);
});

test('a value of the wrong JSON type is a decode error upstream, never a strict error: not descended', () => {
  // e.g. an object where a list of ports is expected: kube fails with "json: cannot unmarshal object into ..."
  assert.deepEqual(both({ apiVersion: 'v1', kind: 'Service', spec: { ports: { foo: 1 }, selector: ['x'], clusterIP: { bar: 1 } } }), []);
});

test('the exact BadRequest message kubectl prints after "Error from server (BadRequest): error when creating ...": ', () => {
  assert.equal(
    strictDecodingMessage('Service', 'v1', ['spec.foo']),
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.foo"',
  );
  // several errors are joined with ", " (runtime/error.go strictDecodingError.Error)
  assert.equal(
    strictDecodingMessage('Service', 'v1', ['spec.ports[0].nodeport', 'spec.foo']),
    'Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].nodeport", unknown field "spec.foo"',
  );
  // gvk.Version is the bare version: "v1" for apps/v1 (an apiVersion with a group is reduced)
  const want = 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.strategy.rollingUpdate.maxUnaivailable"';
  assert.equal(strictDecodingMessage('Deployment', 'v1', ['spec.strategy.rollingUpdate.maxUnaivailable']), want);
  assert.equal(strictDecodingMessage('Deployment', 'apps/v1', ['spec.strategy.rollingUpdate.maxUnaivailable']), want);
  // duplicates and unknowns mix in decode order
  assert.equal(
    strictDecodingErrorText([{ type: 'duplicate field', path: 'metadata.name' }, 'spec.foo']),
    'strict decoding error: duplicate field "metadata.name", unknown field "spec.foo"',
  );
});

test('Warn: one warning text per strict error, the error text itself (addStrictDecodingWarnings)', () => {
  assert.deepEqual(warningTexts(['spec.foo', 'spec.ports[0].bar']), ['unknown field "spec.foo"', 'unknown field "spec.ports[0].bar"']);
  assert.deepEqual(warningTexts([{ type: 'duplicate field', path: 'metadata.labels.app' }]), ['duplicate field "metadata.labels.app"']);
  assert.deepEqual(warningTexts([]), []);
});

test('fieldValidation directive: absent/empty is Warn (rest.go), values are case-sensitive', () => {
  assert.equal(fieldValidationDirective(undefined), 'Warn');
  assert.equal(fieldValidationDirective(null), 'Warn');
  assert.equal(fieldValidationDirective(''), 'Warn');
  assert.equal(fieldValidationDirective('Strict'), 'Strict');
  assert.equal(fieldValidationDirective('Warn'), 'Warn');
  assert.equal(fieldValidationDirective('Ignore'), 'Ignore');
  assert.equal(fieldValidationDirective('strict'), undefined);
  assert.equal(fieldValidationDirective('true'), undefined);
  assert.deepEqual(FIELD_VALIDATION_VALUES, ['', 'Ignore', 'Strict', 'Warn']);
});

test('paths are quoted like Go strconv.Quote', () => {
  assert.equal(goQuote('spec.foo'), '"spec.foo"');
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote('tab\there\nnl'), '"tab\\there\\nnl"');
  assert.equal(goQuote('\u0000\u007f'), '"\\x00\\x7f"');
  assert.equal(goQuote('héllo/日本'), '"héllo/日本"');
  assert.equal(goQuote('\u200b'), '"\\u200b"', 'zero-width space is not printable');
  assert.equal(strictErrorText('spec.we"ird'), 'unknown field "spec.we\\"ird"');
  const errs = strictDecodingErrors('v1', 'Service', '{"spec":{"a\\"b":1,"\\u00e9":2}}');
  assert.deepEqual(errs?.map(strictErrorText), ['unknown field "spec.a\\"b"', 'unknown field "spec.é"']);
});

test('duplicate fields from the raw body: struct fields and map keys, in decode order (kubernetes_patch.go)', () => {
  const body = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","labels":{"x":"1","x":"2"},"name":"b"},' +
    '"spec":{"ports":[{"port":80,"port":81,"foo":1}],"selector":{"app":"a"},"selector":{"app":"b"}}}';
  assert.deepEqual(strictDecodingErrors('v1', 'Service', body), [
    { type: 'duplicate field', path: 'metadata.labels.x' },
    { type: 'duplicate field', path: 'metadata.name' },
    { type: 'duplicate field', path: 'spec.ports[0].port' },
    { type: 'unknown field', path: 'spec.ports[0].foo' },
    { type: 'duplicate field', path: 'spec.selector' },
  ]);
});

test('duplicate keys inside free-form values and unknown fields are not reported; repeats are reported once', () => {
  // ControllerRevision.data and managedFields[].fieldsV1 have custom UnmarshalJSON: nothing inside is checked
  assert.deepEqual(strictDecodingErrors('apps/v1', 'ControllerRevision', '{"data":{"a":1,"a":2},"revision":1}'), []);
  assert.deepEqual(strictDecodingErrors('v1', 'Pod', '{"metadata":{"managedFields":[{"fieldsV1":{"f:x":{},"f:x":{}}}]}}'), []);
  // an unknown key twice: saveStrictError de-duplicates identical errors
  assert.deepEqual(strictDecodingErrors('v1', 'Pod', '{"spec":{"foo":{"x":1,"x":2},"foo":3}}'), [{ type: 'unknown field', path: 'spec.foo' }]);
  // a duplicated struct field is decoded twice; the same unknown inside both copies is reported once
  assert.deepEqual(strictDecodingErrors('v1', 'Pod', '{"spec":{"bad":1},"spec":{"bad":2}}'), [
    { type: 'unknown field', path: 'spec.bad' },
    { type: 'duplicate field', path: 'spec' },
  ]);
});

test('at most 100 strict errors are recorded (saveStrictError cap)', () => {
  const spec: Obj = {};
  for (let i = 0; i < 150; i++) spec[`f${i}`] = i;
  const got = both({ apiVersion: 'v1', kind: 'Service', spec });
  assert.equal(got.length, MAX_STRICT_ERRORS);
  assert.equal(got[0], 'spec.f0');
  assert.equal(got[99], 'spec.f99');
});

test('top-level arrays and list items at the root use "[i]" paths; non-object bodies yield no strict errors', () => {
  assert.deepEqual(strictDecodingErrors('v1', 'Service', '[{"a":1}]'), []);
  assert.deepEqual(strictDecodingErrors('v1', 'Service', '"just a string"'), []);
  assert.deepEqual(strictDecodingErrors('v1', 'Service', ' null '), []);
  assert.deepEqual(unknownFields('v1', 'Service', null), []);
  assert.deepEqual(unknownFields('v1', 'Service', 'x'), []);
});

test('invalid JSON yields null (a syntax error, reported elsewhere), never an exception', () => {
  for (const bad of ['', '{', '{"a"}', '{"a":}', '{"a":1,}', '[1,]', '{"a":1}x', '{"a":tru}', '{"a":01}', '{"a":"\\q"}', '{"a":"x', '{"a":"\u0001"}', '{a:1}', '{"a":1 "b":2}', '{"a":-}', '{"a":1.}', '{"a":"\\u12"}', ']']) {
    assert.equal(strictDecodingErrors('v1', 'Service', bad), null, JSON.stringify(bad));
  }
  assert.deepEqual(strictDecodingErrors('v1', 'Service', new TextEncoder().encode(' {"spec":{"x":1}}\n')), [{ type: 'unknown field', path: 'spec.x' }]);
});

test('every prefix and many single-byte corruptions of a real body scan without throwing', () => {
  const body = JSON.stringify(SERVER_OBJECTS[0]!.obj);
  for (let i = 0; i <= body.length; i++) {
    const r = strictDecodingErrors('v1', 'Pod', body.slice(0, i));
    assert.ok(r === null || Array.isArray(r));
  }
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = '{}[]":,\\ 0-9eE.tfnux';
  for (let k = 0; k < 2000; k++) {
    const at = Math.floor(rnd() * body.length);
    const ch = alphabet[Math.floor(rnd() * alphabet.length)]!;
    const r = strictDecodingErrors('v1', 'Pod', body.slice(0, at) + ch + body.slice(at + 1));
    assert.ok(r === null || Array.isArray(r));
  }
});

test('nesting deeper than encoding/json allows is rejected, not recursed', () => {
  const deep = '['.repeat(20000) + ']'.repeat(20000);
  assert.equal(strictDecodingErrors('v1', 'Service', deep), null);
  const ok = '{"spec":{"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}}';
  assert.deepEqual(strictDecodingErrors('v1', 'Service', ok), [{ type: 'unknown field', path: 'spec.x' }]);
});

test('knownFields exposes the table (used for debugging and for the OpenAPI author)', () => {
  assert.ok(knownFields('v1', 'Service', 'spec.ports')?.includes('targetPort'));
  assert.ok(knownFields('apps/v1', 'StatefulSet', 'spec.template.spec.containers')?.includes('image'));
  assert.deepEqual(knownFields('v1', 'Endpoints'), ['apiVersion', 'kind', 'metadata', 'subsets']);
  assert.equal(knownFields('v1', 'Service', 'spec.nope'), undefined);
});
