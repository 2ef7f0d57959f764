// Table tests for field selectors: k8s.io/apimachinery/pkg/fields/selector_test.go (TestSelectorParse,
// TestSplitTerms, TestEscapeValue/UnescapeValue), the core/v1 field label conversions
// (pkg/apis/core/v1/conversion.go) and the registries' selectable fields (kubectl-compatibility.md §4).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from './meta.ts';
import { StatusError } from './status.ts';
import {
  FieldSelectorParseError, convertFieldSelector, escapeFieldValue, fieldRequiresExactMatch, fieldSelectorToString,
  fieldsMatch, isEmptyFieldSelector, parseFieldSelector, selectableFields, supportedFieldLabels, unescapeFieldValue,
  unsupportedFieldError,
} from './fields.ts';

const parseCases: Array<{ name: string; in: string; str: string; reqs: Array<[string, '=' | '!=', string]> }> = [
  { name: 'empty is Everything', in: '', str: '', reqs: [] },
  { name: 'single equality', in: 'metadata.name=web', str: 'metadata.name=web', reqs: [['metadata.name', '=', 'web']] },
  { name: '== is the same term as =', in: 'a==b', str: 'a=b', reqs: [['a', '=', 'b']] },
  { name: 'not equals', in: 'spec.nodeName!=n1', str: 'spec.nodeName!=n1', reqs: [['spec.nodeName', '!=', 'n1']] },
  { name: 'terms sorted as raw strings', in: 'b=1,a=2', str: 'a=2,b=1', reqs: [['a', '=', '2'], ['b', '=', '1']] },
  { name: 'empty terms skipped', in: 'a=1,,b=2,', str: 'a=1,b=2', reqs: [['a', '=', '1'], ['b', '=', '2']] },
  { name: 'empty value', in: 'spec.nodeName=', str: 'spec.nodeName=', reqs: [['spec.nodeName', '=', '']] },
  { name: 'escaped comma stays in the value', in: 'a=x\\,y', str: 'a=x\\,y', reqs: [['a', '=', 'x,y']] },
  { name: 'escaped equals', in: 'a=x\\=y', str: 'a=x\\=y', reqs: [['a', '=', 'x=y']] },
  { name: 'escaped backslash', in: 'a=x\\\\y', str: 'a=x\\\\y', reqs: [['a', '=', 'x\\y']] },
  { name: 'escaped backslash before a real comma', in: 'a=x\\\\,b=y', str: 'a=x\\\\,b=y', reqs: [['a', '=', 'x\\'], ['b', '=', 'y']] },
  { name: 'a bare = is dropped by the identity Transform', in: '=', str: '', reqs: [] },
  { name: 'empty field name is kept when the value is not empty', in: '=b', str: '=b', reqs: [['', '=', 'b']] },
  { name: 'first operator splits: a!=b', in: 'a!=b', str: 'a!=b', reqs: [['a', '!=', 'b']] },
  { name: 'no whitespace trimming', in: 'a = b', str: 'a = b', reqs: [['a ', '=', ' b']] },
];

for (const tc of parseCases) {
  test(`fields.ParseSelector: ${tc.name}`, () => {
    const sel = parseFieldSelector(tc.in);
    assert.deepEqual(sel.requirements.map((r) => [r.field, r.operator, r.value]), tc.reqs);
    assert.equal(fieldSelectorToString(sel), tc.str);
    assert.equal(isEmptyFieldSelector(sel), tc.reqs.length === 0);
  });
}

const errorCases: Array<{ name: string; in: string; err: string }> = [
  { name: 'no operator', in: 'abc', err: "invalid selector: 'abc'; can't understand 'abc'" },
  { name: 'one bad term among good ones', in: 'a=b,c', err: "invalid selector: 'a=b,c'; can't understand 'c'" },
  { name: 'unescaped = in the value (rune printed as a number)', in: 'a=b=c', err: 'invalid field selector: unescaped character in value: 61' },
  { name: '!== leaves an unescaped =', in: 'a!==b', err: 'invalid field selector: unescaped character in value: 61' },
  { name: 'unknown escape', in: 'a=b\\x', err: 'invalid field selector: invalid escape sequence: \\x' },
  { name: 'trailing backslash', in: 'a=b\\', err: 'invalid field selector: invalid escape sequence: \\' },
];

for (const tc of errorCases) {
  test(`fields.ParseSelector error: ${tc.name}`, () => {
    assert.throws(() => parseFieldSelector(tc.in), (e: unknown) => {
      assert.ok(e instanceof FieldSelectorParseError);
      assert.equal((e as Error).message, tc.err);
      return true;
    });
  });
}

test('fields.EscapeValue / UnescapeValue round trip', () => {
  for (const v of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=\\', 'ünïcode,=']) {
    assert.equal(unescapeFieldValue(escapeFieldValue(v)), v, v);
  }
  assert.equal(escapeFieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
});

// ---------------------------------------------------------------------------------------------
// Selectable fields per kind (registry ToSelectableFields) and matching.

const pod: KObject = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'default' },
  spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] },
};
const event: KObject = {
  apiVersion: 'v1', kind: 'Event',
  metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'StatefulSet', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'apps/v1', resourceVersion: '12' },
  reason: 'SuccessfulCreate', type: 'Normal', reportingComponent: '', source: { component: 'statefulset-controller' },
};

const selectableCases: Array<{ name: string; kind: string; obj: KObject; want: Record<string, string> }> = [
  {
    name: 'Pod (pod strategy ToSelectableFields)',
    kind: 'Pod', obj: pod,
    want: {
      'metadata.name': 'web-0', 'metadata.namespace': 'default', 'spec.nodeName': 'node-1', 'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'false',
      'status.phase': 'Running', 'status.podIP': '10.244.1.5', 'status.nominatedNodeName': '',
    },
  },
  {
    name: 'Event (event strategy ToSelectableFields; source = source.component)',
    kind: 'Event', obj: event,
    want: {
      'metadata.name': 'web.17a', 'metadata.namespace': 'default', 'involvedObject.kind': 'StatefulSet',
      'involvedObject.namespace': 'default', 'involvedObject.name': 'web', 'involvedObject.uid': 'u-1',
      'involvedObject.apiVersion': 'apps/v1', 'involvedObject.resourceVersion': '12', 'involvedObject.fieldPath': '',
      reason: 'SuccessfulCreate', reportingComponent: '', source: 'statefulset-controller', type: 'Normal',
    },
  },
  {
    name: 'Event source falls back to reportingComponent',
    kind: 'Event', obj: { metadata: { name: 'e', namespace: 'ns' }, reportingComponent: 'kubedisco/x' },
    want: {
      'metadata.name': 'e', 'metadata.namespace': 'ns', 'involvedObject.kind': '', 'involvedObject.namespace': '',
      'involvedObject.name': '', 'involvedObject.uid': '', 'involvedObject.apiVersion': '', 'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': '', reason: '', reportingComponent: 'kubedisco/x', source: 'kubedisco/x', type: '',
    },
  },
  { name: 'Node: cluster scoped, spec.unschedulable as a bool string', kind: 'Node', obj: { metadata: { name: 'n1' }, spec: { unschedulable: true } }, want: { 'metadata.name': 'n1', 'spec.unschedulable': 'true' } },
  { name: 'Namespace: status.phase and the legacy "name" field', kind: 'Namespace', obj: { metadata: { name: 'ns1' }, status: { phase: 'Active' } }, want: { 'metadata.name': 'ns1', 'status.phase': 'Active', name: 'ns1' } },
  { name: 'Service: spec.clusterIP and spec.type', kind: 'Service', obj: { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: 'None', type: 'ClusterIP' } }, want: { 'metadata.name': 's', 'metadata.namespace': 'd', 'spec.clusterIP': 'None', 'spec.type': 'ClusterIP' } },
  { name: 'StatefulSet: metadata only', kind: 'StatefulSet', obj: { metadata: { name: 'web', namespace: 'd' }, spec: { replicas: 3 } }, want: { 'metadata.name': 'web', 'metadata.namespace': 'd' } },
  { name: 'Pod podIP from podIPs[0]', kind: 'Pod', obj: { metadata: { name: 'p', namespace: 'd' }, spec: { hostNetwork: true }, status: { podIPs: [{ ip: 'fd00::1' }, { ip: '10.0.0.1' }] } }, want: {
    'metadata.name': 'p', 'metadata.namespace': 'd', 'spec.nodeName': '', 'spec.restartPolicy': '', 'spec.schedulerName': '',
    'spec.serviceAccountName': '', 'spec.hostNetwork': 'true', 'status.phase': '', 'status.podIP': 'fd00::1', 'status.nominatedNodeName': '',
  } },
];

for (const tc of selectableCases) {
  test(`selectableFields: ${tc.name}`, () => {
    assert.deepEqual(selectableFields(tc.kind, tc.obj), tc.want);
  });
}

const matchCases: Array<{ name: string; kind: string; obj: KObject; sel: string; want: boolean }> = [
  { name: 'kubectl get NAME -w: metadata.name', kind: 'Pod', obj: pod, sel: 'metadata.name=web-0', want: true },
  { name: 'other name', kind: 'Pod', obj: pod, sel: 'metadata.name=web-1', want: false },
  { name: 'pods on a node', kind: 'Pod', obj: pod, sel: 'spec.nodeName=node-1', want: true },
  { name: 'unscheduled pods: spec.nodeName=', kind: 'Pod', obj: pod, sel: 'spec.nodeName=', want: false },
  { name: 'scheduled pods: spec.nodeName!=', kind: 'Pod', obj: pod, sel: 'spec.nodeName!=', want: true },
  { name: 'AND of phase and node', kind: 'Pod', obj: pod, sel: 'status.phase=Running,spec.nodeName=node-1', want: true },
  { name: 'AND fails on one term', kind: 'Pod', obj: pod, sel: 'status.phase=Pending,spec.nodeName=node-1', want: false },
  { name: 'kubectl describe events', kind: 'Event', obj: event, sel: 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=StatefulSet,involvedObject.uid=u-1', want: true },
  { name: 'unknown field reads as empty (=)', kind: 'Pod', obj: pod, sel: 'spec.unknown=', want: true },
  { name: 'unknown field reads as empty (!=)', kind: 'Pod', obj: pod, sel: 'spec.unknown!=x', want: true },
  { name: 'namespace on a cluster-scoped object is empty', kind: 'Node', obj: { metadata: { name: 'n1' } }, sel: 'metadata.namespace=', want: true },
];

for (const tc of matchCases) {
  test(`fieldsMatch: ${tc.name}`, () => {
    assert.equal(fieldsMatch(parseFieldSelector(tc.sel), selectableFields(tc.kind, tc.obj)), tc.want);
  });
}

// ---------------------------------------------------------------------------------------------
// Field label conversion (scheme.ConvertFieldLabel) and its 400s.

const convertCases: Array<{ name: string; kind: string; sel: string; out?: string; err?: string }> = [
  { name: 'Pod status.phase accepted', kind: 'Pod', sel: 'status.phase=Running', out: 'status.phase=Running' },
  { name: 'Pod spec.host renamed to spec.nodeName', kind: 'Pod', sel: 'spec.host=n1', out: 'spec.nodeName=n1' },
  { name: 'Pod unknown field', kind: 'Pod', sel: 'spec.foo=x', err: 'field label not supported: spec.foo' },
  { name: 'first bad label in sorted order', kind: 'Pod', sel: 'z.bad=1,a.bad=2', err: 'field label not supported: a.bad' },
  { name: 'Namespace has no metadata.namespace', kind: 'Namespace', sel: 'metadata.namespace=x', err: 'field label not supported: metadata.namespace' },
  { name: 'Node spec.unschedulable accepted', kind: 'Node', sel: 'spec.unschedulable=false', out: 'spec.unschedulable=false' },
  { name: 'Event involvedObject.uid accepted', kind: 'Event', sel: 'involvedObject.uid=u', out: 'involvedObject.uid=u' },
  { name: 'Service spec.clusterIP accepted', kind: 'Service', sel: 'spec.clusterIP=None', out: 'spec.clusterIP=None' },
  { name: 'StatefulSet metadata.name (default conversion)', kind: 'StatefulSet', sel: 'metadata.name=web', out: 'metadata.name=web' },
  {
    name: 'StatefulSet other field (DefaultMetaV1FieldSelectorConversion)',
    kind: 'StatefulSet', sel: 'status.replicas=1',
    err: '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
  },
  { name: 'EndpointSlice metadata.namespace (default conversion)', kind: 'EndpointSlice', sel: 'metadata.namespace=d', out: 'metadata.namespace=d' },
];

for (const tc of convertCases) {
  test(`ConvertFieldLabel: ${tc.name}`, () => {
    const sel = parseFieldSelector(tc.sel);
    if (tc.err !== undefined) {
      assert.throws(() => convertFieldSelector(tc.kind, sel), (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 400);
        assert.equal(e.reason, 'BadRequest');
        assert.equal(e.message, tc.err);
        return true;
      });
    } else {
      assert.equal(fieldSelectorToString(convertFieldSelector(tc.kind, sel)), tc.out);
    }
  });
}

test('unsupportedFieldError and supportedFieldLabels agree with the conversion table', () => {
  assert.equal(unsupportedFieldError('Pod', 'x').toStatus().message, 'field label not supported: x');
  assert.equal(unsupportedFieldError('ConfigMap', 'x').toStatus().code, 400);
  assert.ok(supportedFieldLabels('Pod').includes('spec.host'));
  assert.deepEqual(supportedFieldLabels('Lease'), ['metadata.name', 'metadata.namespace']);
  assert.deepEqual(supportedFieldLabels('Namespace'), ['status.phase', 'metadata.name']);
});

test('fieldRequiresExactMatch: only = terms', () => {
  assert.equal(fieldRequiresExactMatch(parseFieldSelector('metadata.name=web,spec.nodeName!=x'), 'metadata.name'), 'web');
  assert.equal(fieldRequiresExactMatch(parseFieldSelector('metadata.name!=web'), 'metadata.name'), undefined);
});
