// ControllerRevision hashing and history (pkg/controller/history/controller_history.go; semantics §5
// "revision name <sts>-<hash>, hash chars from the same 27-char alphabet").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL_CONTROLLER_HASH } from '../../api/well-known.ts';
import { applyRevision, controllerRevisionName, equalRevision, fnv32, goJSON, hashControllerRevision, newRevision, revisionTemplate, safeEncodeString, sortRevisions } from './history.ts';
import { compatibilitySet, rev, sts } from './testing.ts';

test('fnv32 is FNV-1 (Go hash/fnv New32 golden values)', () => {
  for (const [input, want] of [['', 0x811c9dc5], ['a', 0x050c5d7e], ['ab', 0x70772d38], ['abc', 0x439c2f4b]] as const) {
    assert.equal(fnv32(input), want, JSON.stringify(input));
  }
});

test('safeEncodeString maps bytes onto bcdfghjklmnpqrstvwxz2456789 (rand.SafeEncodeString); digits give 4-9,b,c,d,f', () => {
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  assert.equal(safeEncodeString('abc'), 'vwx'); // 97 % 27 = 16
});

test('goJSON sorts keys at every level and escapes like encoding/json', () => {
  assert.equal(goJSON({ b: 1, a: { d: [1, 'x'], c: null }, e: true }), '{"a":{"c":null,"d":[1,"x"]},"b":1,"e":true}');
  assert.equal(goJSON('<a&b>\u2028'), '"\\u003ca\\u0026b\\u003e\\u2028"');
  assert.equal(goJSON({ skipped: undefined, kept: 0 }), '{"kept":0}');
});

test('hashControllerRevision hashes raw data then the decimal collision count', () => {
  const raw = '{"spec":{"template":{"$patch":"replace"}}}';
  assert.equal(hashControllerRevision(raw, 0), safeEncodeString(String(fnv32(raw + '0'))));
  assert.notEqual(hashControllerRevision(raw, 0), hashControllerRevision(raw, 1));
  assert.equal(hashControllerRevision(raw), safeEncodeString(String(fnv32(raw))));
});

test('controllerRevisionName cuts the prefix at 223 characters', () => {
  assert.equal(controllerRevisionName('web', 'abc'), 'web-abc');
  assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
});

test('newRevision: name web-<hash>, template labels + controller.kubernetes.io/hash, set annotations, owner, replace patch', () => {
  const set = sts();
  set.metadata.annotations = { note: 'n' };
  const r = newRevision(set, 4, 0);
  const hash = r.metadata.labels![LABEL_CONTROLLER_HASH];
  assert.match(hash, /^[bcdf4-9]{1,10}$/);
  assert.equal(r.metadata.name, `web-${hash}`);
  assert.equal(r.metadata.namespace, 'default');
  assert.deepEqual(r.metadata.labels, { app: 'web', [LABEL_CONTROLLER_HASH]: hash });
  assert.deepEqual(r.metadata.annotations, { note: 'n' });
  assert.deepEqual(r.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
  assert.equal(r.revision, 4);
  assert.equal((r.data as any).spec.template.$patch, 'replace');
  assert.equal(hash, hashControllerRevision(goJSON(r.data), 0));
  assert.deepEqual(revisionTemplate(r), set.spec!.template);
  // The hash depends on the template only, not on replicas or the revision number.
  assert.equal(newRevision(sts({ replicas: 9 }), 1, 0).metadata.name, r.metadata.name);
  assert.notEqual(newRevision(sts({ image: 'other' }), 4, 0).metadata.name, r.metadata.name);
  assert.notEqual(newRevision(set, 4, 1).metadata.name, r.metadata.name, 'collisionCount changes the name');
});

test('applyRevision replaces the pod template with the recorded one', () => {
  const v1 = sts({ image: 'a' });
  const v2 = sts({ image: 'b', replicas: 7 });
  const applied = applyRevision(v2, rev(v1));
  assert.equal(applied.spec!.template.spec!.containers[0].image, 'a');
  assert.equal(applied.spec!.replicas, 7);
  assert.equal(v2.spec!.template.spec!.containers[0].image, 'b', 'input untouched');
});

test('equalRevision compares data regardless of key order; sortRevisions orders by revision, time, name', () => {
  const a = rev(sts());
  const reordered = { ...a, data: JSON.parse(JSON.stringify({ spec: { template: { spec: (a.data as any).spec.template.spec, metadata: (a.data as any).spec.template.metadata, $patch: 'replace' } } })) };
  assert.equal(equalRevision(a, reordered), true);
  assert.equal(equalRevision(a, rev(sts({ image: 'x' }))), false);
  const r2 = rev(sts({ image: 'x' }), 2);
  const r1b = { ...rev(sts({ image: 'y' }), 1), metadata: { ...rev(sts({ image: 'y' }), 1).metadata, name: 'web-a', creationTimestamp: a.metadata.creationTimestamp } };
  assert.deepEqual(sortRevisions([r2, a, r1b]).map((r) => r.metadata.name), [[a.metadata.name!, 'web-a'].sort()[0], [a.metadata.name!, 'web-a'].sort()[1], r2.metadata.name]);
});

test('hash parity with Kubernetes: the 1.33 compatibility revision is test-c77f6d978 (stateful_set_compatibility_test.go)', () => {
  const set = compatibilitySet();
  const r = newRevision(set, 1, 0);
  assert.equal(r.metadata.name, 'test-c77f6d978');
  assert.equal(r.metadata.labels![LABEL_CONTROLLER_HASH], 'c77f6d978');
  assert.equal(goJSON(r.data), '{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always","name":"test","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}');
});
