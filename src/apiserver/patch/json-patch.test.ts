// application/json-patch+json: RFC 6902 Appendix A vectors, and the kube-apiserver behaviour around them
// (handlers/patch.go applyJSPatch + gopkg.in/evanphx/json-patch.v4 v4.12).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
import { assertStatus, deepFreeze } from './testutil.test-data.ts';

/** The exact Status kube-apiserver returns for any failing operation (NewGenericServerResponse(422, ...)). */
const GENERIC_422 = {
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
  message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
};

describe('jsonPatch: RFC 6902 Appendix A', () => {
  const cases: Array<{ name: string; doc: unknown; ops: unknown[]; want: unknown }> = [
    { name: 'A.1 adding an object member', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/baz', value: 'qux' }], want: { foo: 'bar', baz: 'qux' } },
    { name: 'A.2 adding an array element', doc: { foo: ['bar', 'baz'] }, ops: [{ op: 'add', path: '/foo/1', value: 'qux' }], want: { foo: ['bar', 'qux', 'baz'] } },
    { name: 'A.3 removing an object member', doc: { baz: 'qux', foo: 'bar' }, ops: [{ op: 'remove', path: '/baz' }], want: { foo: 'bar' } },
    { name: 'A.4 removing an array element', doc: { foo: ['bar', 'qux', 'baz'] }, ops: [{ op: 'remove', path: '/foo/1' }], want: { foo: ['bar', 'baz'] } },
    { name: 'A.5 replacing a value', doc: { baz: 'qux', foo: 'bar' }, ops: [{ op: 'replace', path: '/baz', value: 'boo' }], want: { baz: 'boo', foo: 'bar' } },
    { name: 'A.6 moving a value', doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      ops: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }], want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } } },
    { name: 'A.7 moving an array element', doc: { foo: ['all', 'grass', 'cows', 'eat'] }, ops: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      want: { foo: ['all', 'cows', 'eat', 'grass'] } },
    { name: 'A.8 testing a value: success', doc: { baz: 'qux', foo: ['a', 2, 'c'] },
      ops: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }], want: { baz: 'qux', foo: ['a', 2, 'c'] } },
    { name: 'A.10 adding a nested member object', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      want: { foo: 'bar', child: { grandchild: {} } } },
    { name: 'A.14 ~ escape ordering (~01 is "~1")', doc: { '/': 9, '~1': 10 }, ops: [{ op: 'test', path: '/~01', value: 10 }], want: { '/': 9, '~1': 10 } },
    { name: 'A.16 adding an array value with "-"', doc: { foo: ['bar'] }, ops: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      want: { foo: ['bar', ['abc', 'def']] } },
    { name: '~1 decodes to "/" in a member name', doc: { metadata: { annotations: {} } },
      ops: [{ op: 'add', path: '/metadata/annotations/example.com~1ready', value: 'true' }], want: { metadata: { annotations: { 'example.com/ready': 'true' } } } },
    { name: 'copy deep-copies the value', doc: { a: { b: [1] } }, ops: [{ op: 'copy', from: '/a', path: '/c' }, { op: 'add', path: '/c/b/-', value: 2 }],
      want: { a: { b: [1] }, c: { b: [1, 2] } } },
    { name: 'test compares objects structurally', doc: { a: { x: 1, y: [1, 'z'] } }, ops: [{ op: 'test', path: '/a', value: { y: [1, 'z'], x: 1 } }],
      want: { a: { x: 1, y: [1, 'z'] } } },
    { name: 'add at index == length appends', doc: { a: [1, 2] }, ops: [{ op: 'add', path: '/a/2', value: 3 }], want: { a: [1, 2, 3] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(jsonPatch(deepFreeze(c.doc), deepFreeze(c.ops)), c.want);
    });
  }

  const failures: Array<{ name: string; doc: unknown; ops: unknown[]; cause: string }> = [
    { name: 'A.9 testing a value: error', doc: { baz: 'qux' }, ops: [{ op: 'test', path: '/baz', value: 'bar' }], cause: 'testing value /baz failed: test failed' },
    { name: 'A.12 adding to a nonexistent target', doc: { foo: 'bar' }, ops: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      cause: 'add operation does not apply: doc is missing path: "/baz/bat": missing value' },
    { name: 'A.15 comparing strings and numbers', doc: { '/': 9, '~1': 10 }, ops: [{ op: 'test', path: '/~01', value: '10' }], cause: 'testing value /~01 failed: test failed' },
  ];
  for (const c of failures) {
    it(c.name, () => {
      const e = assertStatus(() => jsonPatch(c.doc, c.ops), { code: 422, reason: 'Invalid' });
      assert.deepEqual(e.toStatus(), GENERIC_422);
      assert.equal((e.cause as Error).message, c.cause);
    });
  }
});

describe('jsonPatch: kube-apiserver semantics (evanphx/json-patch v4)', () => {
  const pod = () => deepFreeze({ metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } });
  const ok: Array<{ name: string; ops: unknown[]; want: unknown }> = [
    { name: 'negative index counts from the end (remove /-1 removes the last)', ops: [{ op: 'remove', path: '/spec/containers/-1' }],
      want: { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }] } } },
    { name: 'add at -1 appends', ops: [{ op: 'add', path: '/spec/containers/-1', value: { name: 'c' } }],
      want: { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } } },
    { name: 'replace of a missing object member adds it', ops: [{ op: 'replace', path: '/metadata/labels/tier', value: 'front' }],
      want: { metadata: { name: 'p', labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
    { name: 'index with a leading + and zeros (strconv.Atoi)', ops: [{ op: 'replace', path: '/spec/containers/+01/name', value: 'z' }],
      want: { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'z' }] } } },
    { name: 'add without a value adds null', ops: [{ op: 'add', path: '/metadata/x' }],
      want: { metadata: { name: 'p', labels: { app: 'web' }, x: null }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
    { name: 'test of a missing member against null succeeds', ops: [{ op: 'test', path: '/metadata/nope', value: null }],
      want: { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } } },
    { name: 'the first pointer segment is ignored ("metadata/name" means "/name")', ops: [{ op: 'add', path: 'metadata/name', value: 'x' }],
      want: { metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] }, name: 'x' } },
    { name: 'replace "" swaps the whole document', ops: [{ op: 'replace', path: '', value: { a: 1 } }], want: { a: 1 } },
    { name: 'null ops decode to no operations', ops: null as unknown as unknown[], want: pod() },
  ];
  for (const c of ok) {
    it(c.name, () => {
      assert.deepEqual(jsonPatch(pod(), deepFreeze(c.ops)), c.want);
    });
  }

  const bad: Array<{ name: string; ops: unknown[]; cause: string }> = [
    { name: 'kubectl patch --type=json remove of a missing field', ops: [{ op: 'remove', path: '/spec/affinity' }],
      cause: "error in remove for path: '/spec/affinity': Unable to remove nonexistent key: affinity: missing value" },
    { name: 'add past the end of an array', ops: [{ op: 'add', path: '/spec/containers/3', value: {} }],
      cause: "error in add for path: '/spec/containers/3': Unable to access invalid index: 3: invalid index referenced" },
    { name: 'remove past the end of an array', ops: [{ op: 'remove', path: '/spec/containers/2' }],
      cause: "error in remove for path: '/spec/containers/2': Unable to access invalid index: 2: invalid index referenced" },
    { name: 'negative index beyond the start', ops: [{ op: 'remove', path: '/spec/containers/-3' }],
      cause: "error in remove for path: '/spec/containers/-3': Unable to access invalid index: -3: invalid index referenced" },
    { name: '"-" is only valid for add', ops: [{ op: 'replace', path: '/spec/containers/-', value: {} }],
      cause: 'replace operation does not apply: doc is missing key: /spec/containers/-: missing value' },
    { name: 'a non-numeric index', ops: [{ op: 'add', path: '/spec/containers/x', value: {} }],
      cause: "error in add for path: '/spec/containers/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax" },
    { name: 'a path through a scalar', ops: [{ op: 'add', path: '/metadata/name/x', value: 1 }],
      cause: 'add operation does not apply: doc is missing path: "/metadata/name/x": missing value' },
    { name: 'move into its own child', ops: [{ op: 'move', from: '/metadata', path: '/metadata/x' }],
      cause: 'move operation does not apply: doc is missing destination path: /metadata/x: missing value' },
    { name: 'an unknown op', ops: [{ op: 'merge', path: '/a' }], cause: 'Unexpected kind: merge' },
    { name: 'a missing op', ops: [{ path: '/a' }], cause: 'Unexpected kind: unknown' },
    { name: 'a missing path', ops: [{ op: 'add', value: 1 }], cause: 'add operation failed to decode path: missing value' },
    { name: 'add to the root path ""', ops: [{ op: 'add', path: '', value: {} }], cause: 'add operation does not apply: doc is missing path: "": missing value' },
    { name: 'a failing test stops the whole patch', ops: [{ op: 'add', path: '/x', value: 1 }, { op: 'test', path: '/metadata/name', value: 'q' }],
      cause: 'testing value /metadata/name failed: test failed' },
  ];
  for (const c of bad) {
    it(`422: ${c.name}`, () => {
      const e = assertStatus(() => jsonPatch(pod(), deepFreeze(c.ops)), { code: 422, reason: 'Invalid', message: GENERIC_422.message, details: {} });
      assert.equal((e.cause as Error).message, c.cause);
    });
  }

  it('500: testing arrays that contain null panics upstream (lazyNode.equal on a nil node)', () => {
    assertStatus(() => jsonPatch({ a: [null] }, [{ op: 'test', path: '/a', value: [null] }]), { code: 500, reason: 'InternalError' });
  });
});

describe('jsonPatch: rejected bodies (400/413, patch.go with fieldValidation=Strict)', () => {
  const cases: Array<{ name: string; ops: unknown; message: string }> = [
    { name: 'an object instead of a list', ops: { op: 'add' }, message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp' },
    { name: 'a string instead of a list', ops: 'x', message: 'error decoding patch: json: cannot unmarshal string into Go value of type []handlers.jsonPatchOp' },
    { name: 'a number as an operation', ops: [1], message: 'error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp' },
    { name: 'a number as path', ops: [{ op: 'add', path: 5, value: 1 }], message: 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string' },
    { name: 'a list as op', ops: [{ op: ['add'], path: '/a' }], message: 'error decoding patch: json: cannot unmarshal array into Go struct field jsonPatchOp.op of type string' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assertStatus(() => jsonPatch({}, c.ops), { code: 400, reason: 'BadRequest', message: c.message });
    });
  }
  it(`more than ${MAX_JSON_PATCH_OPERATIONS} operations is 413`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/a', value: 1 }));
    assertStatus(() => jsonPatch({ a: 1 }, ops), {
      code: 413, reason: 'RequestEntityTooLarge',
      message: `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${MAX_JSON_PATCH_OPERATIONS + 1}`,
    });
  });
  it(`exactly ${MAX_JSON_PATCH_OPERATIONS} operations are accepted`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS }, () => ({ op: 'test', path: '/a', value: 1 }));
    assert.deepEqual(jsonPatch({ a: 1 }, ops), { a: 1 });
  });
  it('garbage values in an operation are a 400', () => {
    assertStatus(() => jsonPatch({}, [{ op: 'add', path: '/a', value: Symbol('x') }]), { code: 400, reason: 'BadRequest', message: /^invalid patch: / });
  });
});
