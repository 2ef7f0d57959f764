// application/merge-patch+json: RFC 7386 Appendix A vectors plus the kube-apiserver (evanphx/json-patch v4.12)
// specifics documented in merge-patch.ts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonMergePatch } from './merge-patch.ts';
import { assertStatus, deepFreeze } from './testutil.test-data.ts';

describe('jsonMergePatch: RFC 7386 Appendix A', () => {
  const cases: Array<{ name: string; target: unknown; patch: unknown; want: unknown }> = [
    { name: 'A#1 replace a member', target: { a: 'b' }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'A#2 add a member', target: { a: 'b' }, patch: { b: 'c' }, want: { a: 'b', b: 'c' } },
    { name: 'A#3 null removes a member', target: { a: 'b' }, patch: { a: null }, want: {} },
    { name: 'A#4 null removes only that member', target: { a: 'b', b: 'c' }, patch: { a: null }, want: { b: 'c' } },
    { name: 'A#5 array replaced by a string', target: { a: ['b'] }, patch: { a: 'c' }, want: { a: 'c' } },
    { name: 'A#6 string replaced by an array', target: { a: 'c' }, patch: { a: ['b'] }, want: { a: ['b'] } },
    { name: 'A#7 nested merge with a null', target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, want: { a: { b: 'd' } } },
    { name: 'A#8 arrays are replaced, not merged', target: { a: [{ b: 'c' }] }, patch: { a: [1] }, want: { a: [1] } },
    { name: 'A#13 an existing null member is kept', target: { e: null }, patch: { a: 1 }, want: { e: null, a: 1 } },
    { name: 'A#14 non-object target is replaced by the pruned patch', target: [1, 2], patch: { a: 'b', c: null }, want: { a: 'b' } },
    { name: 'A#15 nulls inside a new member are pruned', target: {}, patch: { a: { bb: { ccc: null } } }, want: { a: { bb: {} } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(jsonMergePatch(deepFreeze(c.target), deepFreeze(c.patch)), c.want);
    });
  }
});

describe('jsonMergePatch: kube bodies (kubectl-compatibility.md §3.8, §3.9)', () => {
  const svc = () => deepFreeze({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web', env: 'dev' } }, spec: { replicas: 1 } });
  const cases: Array<{ name: string; patch: unknown; want: unknown }> = [
    { name: '§3.9 kubectl label env=prod', patch: { metadata: { labels: { env: 'prod' } } },
      want: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web', env: 'prod' } }, spec: { replicas: 1 } } },
    { name: '§3.9 kubectl label env-', patch: { metadata: { labels: { env: null } } },
      want: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1 } } },
    { name: '§3.8 kubectl scale --replicas=3', patch: { spec: { replicas: 3 } },
      want: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web', env: 'dev' } }, spec: { replicas: 3 } } },
    { name: 'empty patch is a no-op', patch: {},
      want: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web', env: 'dev' } }, spec: { replicas: 1 } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(jsonMergePatch(svc(), deepFreeze(c.patch)), c.want);
    });
  }
});

describe('jsonMergePatch: evanphx v4.12 null pruning', () => {
  it('a new array member loses its null elements and nested nulls (pruneAryNulls)', () => {
    assert.deepEqual(jsonMergePatch({}, { a: [{ b: null, c: 1 }, null, 2] }), { a: [{ c: 1 }, 2] });
  });
  it('an array replacing an existing object member is copied as is (merge() returns the patch unpruned)', () => {
    assert.deepEqual(jsonMergePatch({ a: { x: 1 } }, { a: [null, { b: null }] }), { a: [null, { b: null }] });
  });
  it('an object replacing a scalar member is pruned', () => {
    assert.deepEqual(jsonMergePatch({ a: 1 }, { a: { b: null, c: { d: null } } }), { a: { c: {} } });
  });
  it('a member that is null in the target counts as absent', () => {
    assert.deepEqual(jsonMergePatch({ a: null }, { a: { b: 1, c: null } }), { a: { b: 1 } });
  });
});

describe('jsonMergePatch: rejected bodies (patch.go applyJSPatch with fieldValidation=Strict)', () => {
  const cases: Array<{ name: string; patch: unknown; message: string }> = [
    { name: 'RFC A#9/#10 array patch', patch: ['c'], message: 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: 'RFC A#12 string patch', patch: 'bar', message: 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}' },
    { name: 'number patch', patch: 5, message: 'error decoding patch: json: cannot unmarshal number into Go value of type map[string]interface {}' },
    { name: 'bool patch', patch: true, message: 'error decoding patch: json: cannot unmarshal bool into Go value of type map[string]interface {}' },
    { name: 'RFC A#11 null patch is ErrBadJSONPatch', patch: null, message: 'Invalid JSON Patch' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assertStatus(() => jsonMergePatch({ a: 'foo' }, c.patch), { code: 400, reason: 'BadRequest', message: c.message });
    });
  }
  it('garbage in the patch (undefined member, function, NaN) is a 400, not a TypeError', () => {
    for (const p of [{ a: undefined }, { a: () => 1 }, { a: Number.NaN }, { a: new Date(0) }]) {
      assertStatus(() => jsonMergePatch({}, p), { code: 400, reason: 'BadRequest', message: /^invalid patch: / });
    }
  });
  it('a cyclic patch is refused by the depth guard', () => {
    const p: Record<string, unknown> = {};
    p.self = p;
    assertStatus(() => jsonMergePatch({}, p), { code: 400, reason: 'BadRequest', message: /nesting deeper than/ });
  });
  it('a target that is not JSON is a server fault (500)', () => {
    assertStatus(() => jsonMergePatch({ a: Number.POSITIVE_INFINITY }, {}), { code: 500, reason: 'InternalError' });
  });
  it('a null target is ErrBadJSONDoc, which the handler returns as a plain error (500, no reason)', () => {
    assertStatus(() => jsonMergePatch(null, { a: 1 }), { code: 500, reason: '', message: 'Invalid JSON Document' });
  });
});
