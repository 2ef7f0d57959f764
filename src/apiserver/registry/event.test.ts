// core/v1 Event strategy: legacyValidateEvent (pkg/apis/core/validation/events.go).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventStrategy } from './event.ts';
import { runCreate } from './strategy-harness.ts';

const ev = (extra: Record<string, unknown>, namespace = 'default') => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-0.17c3a5b2d3e4f5a6', namespace },
  reason: 'SuccessfulCreate', message: 'create Pod web-0 in StatefulSet web successful', type: 'Normal',
  source: { component: 'statefulset-controller' }, ...extra,
});

test('a recorder-style event is valid', () => {
  assert.equal(runCreate(eventStrategy(), ev({ involvedObject: { kind: 'StatefulSet', namespace: 'default', name: 'web', uid: 'u' } })).err, undefined);
});

test('involvedObject.namespace must match the event namespace', () => {
  assert.equal(runCreate(eventStrategy(), ev({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } })).err!.message,
    'Event "web-0.17c3a5b2d3e4f5a6" is invalid: involvedObject.namespace: Invalid value: "other": does not match event.namespace');
  // A cluster-scoped object's events live in default (or "").
  assert.equal(runCreate(eventStrategy(), ev({ involvedObject: { kind: 'Node', name: 'n1' } })).err, undefined);
  assert.match(runCreate(eventStrategy(), ev({ involvedObject: { kind: 'Node', name: 'n1' } }, 'kube-public')).err!.message, /does not match event\.namespace/);
});

test('new-style events (eventTime set) need reportingComponent, reportingInstance, action, reason', () => {
  const r = runCreate(eventStrategy(), ev({ eventTime: '2026-08-04T13:01:58.000000Z', reason: '', involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' } }));
  // Upstream also runs the qualified-name check on the empty reportingComponent (no else branch).
  assert.equal(r.err!.message, 'Event "web-0.17c3a5b2d3e4f5a6" is invalid: [reportingComponent: Required value, ' +
    'reportingComponent: Invalid value: "": name part must be non-empty, ' +
    `reportingComponent: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), ` +
    'reportingInstance: Required value, action: Required value, reason: Required value]');
});
