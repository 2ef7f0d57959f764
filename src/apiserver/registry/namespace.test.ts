// Namespace strategy: defaults and status rules (kubernetes-semantics.md §9).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceStrategy } from './namespace.ts';
import { runCreate, runStatusUpdate, runUpdate } from './strategy-harness.ts';

const ns = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...extra } });

test('§9: a new namespace gets its name label, the kubernetes finalizer and phase Active', () => {
  const r = runCreate(namespaceStrategy(), ns('foo'));
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.metadata.labels, { 'kubernetes.io/metadata.name': 'foo' });
  assert.deepEqual(r.obj.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(r.obj.status, { phase: 'Active' });
});

test('§9: a generated name still gets the label (canonicalized after name generation)', () => {
  const r = runCreate(namespaceStrategy(), { metadata: { generateName: 'test-' } });
  assert.equal(r.err, undefined);
  assert.equal(r.obj.metadata.labels?.['kubernetes.io/metadata.name'], r.obj.metadata.name);
});

test('§9: the name label cannot be changed or removed: it is rewritten to the name', () => {
  const s = namespaceStrategy();
  const created = runCreate(s, ns('foo')).obj;
  const r = runUpdate(s, ns('foo', { labels: { 'kubernetes.io/metadata.name': 'bar', team: 'a' } }), created);
  assert.equal(r.err, undefined);
  assert.deepEqual(r.obj.metadata.labels, { 'kubernetes.io/metadata.name': 'foo', team: 'a' });
});

test('update keeps spec.finalizers and status (they change through /finalize and /status)', () => {
  const s = namespaceStrategy();
  const created = runCreate(s, ns('foo')).obj;
  const r = runUpdate(s, { ...ns('foo'), spec: { finalizers: [] }, status: { phase: 'Terminating' } }, created);
  assert.deepEqual(r.obj.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(r.obj.status, { phase: 'Active' });
});

test('name is immutable', () => {
  const s = namespaceStrategy();
  const created = runCreate(s, ns('foo')).obj;
  assert.equal(runUpdate(s, ns('bar'), created).err!.message, 'Namespace "bar" is invalid: metadata.name: Invalid value: "bar": field is immutable');
});

test('bad names and finalizers', () => {
  const s = namespaceStrategy();
  assert.equal(runCreate(s, ns('Foo')).err!.message,
    `Namespace "Foo" is invalid: metadata.name: Invalid value: "Foo": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`);
  assert.equal(runCreate(s, { ...ns('foo'), spec: { finalizers: ['custom'] } }).err!.message,
    'Namespace "foo" is invalid: spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified');
});

test('status phase must follow deletionTimestamp', () => {
  const s = namespaceStrategy();
  const created = runCreate(s, ns('foo')).obj;
  const r = runStatusUpdate(s, { ...created, status: { phase: 'Terminating' } }, created);
  assert.equal(r.err!.message, `Namespace "foo" is invalid: status.Phase: Invalid value: "Terminating": may only be 'Active' if \`deletionTimestamp\` is empty`);
});
