// structured-merge-diff fieldpath: path element order, FieldsV1 encoding (serialize.go), set algebra (set.go) and the
// human path strings used in apply conflicts.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, comparePE, fieldPE, keyPE, parsePE, pathString, peKey, type PathElement } from './fieldpath.ts';

const f = fieldPE;
const k = (...kv: Array<[string, unknown]>): PathElement => keyPE(kv as Array<[string, never]>);
const v = (value: unknown): PathElement => ({ kind: 'value', value: value as never });

describe('fieldpath: path elements', () => {
  const keys: Array<[string, PathElement, string, string]> = [
    ['field', f('spec'), 'f:spec', '.spec'],
    ['list-map key, fields sorted by name', k(['protocol', 'TCP'], ['port', 80]), 'k:{"port":80,"protocol":"TCP"}', '[port=80,protocol="TCP"]'],
    ['container key', k(['name', 'nginx']), 'k:{"name":"nginx"}', '[name="nginx"]'],
    ['set value', v('foregroundDeletion'), 'v:"foregroundDeletion"', '[="foregroundDeletion"]'],
    ['index', { kind: 'index', index: 3 }, 'i:3', '[3]'],
    ['HTML characters are escaped like Go', k(['name', 'a<b>&']), 'k:{"name":"a\\u003cb\\u003e\\u0026"}', '[name="a<b>&"]'],
  ];
  for (const [name, pe, serialized, human] of keys) {
    it(`${name}: ${serialized} / ${human}`, () => {
      assert.equal(peKey(pe), serialized);
      assert.equal(pathString([pe]), human);
      assert.equal(peKey(parsePE(serialized)!), serialized);
    });
  }
  it('order: fields < keys < values < indices; numbers < strings < booleans < null', () => {
    const sorted = [{ kind: 'index', index: 0 } as PathElement, v(null), v(true), v('a'), v(2), k(['name', 'b']), k(['name', 'a']), f('b'), f('a')]
      .sort(comparePE).map(peKey);
    assert.deepEqual(sorted, ['f:a', 'f:b', 'k:{"name":"a"}', 'k:{"name":"b"}', 'v:2', 'v:"a"', 'v:true', 'v:null', 'i:0']);
  });
  it('unknown element types are skipped, malformed ones throw', () => {
    assert.equal(parsePE('x:1'), undefined);
    assert.equal(parsePE('zz'), undefined);
    assert.throws(() => parsePE('k:{bad'));
    assert.throws(() => parsePE('i:x'));
    assert.throws(() => parsePE('f'));
  });
  it('conflict paths print like PathElement.String', () => {
    assert.equal(pathString([f('spec'), f('ports'), k(['port', 80], ['protocol', 'TCP']), f('targetPort')]), '.spec.ports[port=80,protocol="TCP"].targetPort');
    assert.equal(pathString([f('metadata'), f('finalizers'), v('x')]), '.metadata.finalizers[="x"]');
    assert.equal(pathString([f('a'), k(['n', 1.5])]), '.a[n=1.5]');
  });
});

describe('fieldpath: FieldsV1 encoding', () => {
  it('members and children interleave in element order, "." after the children of a member', () => {
    const s = FieldSet.of(
      [f('spec'), f('selector')],
      [f('spec'), f('ports'), k(['port', 80], ['protocol', 'TCP'])],
      [f('spec'), f('ports'), k(['port', 80], ['protocol', 'TCP']), f('port')],
      [f('metadata'), f('labels'), f('app')],
      [f('spec'), f('type')],
    );
    const json = s.toFieldsV1();
    assert.equal(JSON.stringify(json),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:ports":{"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{"f:port":{},".":{}}},"f:selector":{},"f:type":{}}}');
    assert.ok(FieldSet.fromFieldsV1(json).equals(s));
  });
  it('reads what kube-apiserver writes (".": {} first, as YAML tools reorder it)', () => {
    const s = FieldSet.fromFieldsV1({ 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
    assert.ok(s.has([f('metadata'), f('labels')]));
    assert.ok(s.has([f('metadata'), f('labels'), f('app')]));
    assert.ok(s.has([f('spec'), f('replicas')]));
    assert.ok(!s.has([f('spec')]));
  });
  it('an empty set is {}', () => {
    assert.deepEqual(new FieldSet().toFieldsV1(), {});
    assert.ok(FieldSet.fromFieldsV1({}).empty());
  });
  it('garbage is an error, not a crash', () => {
    assert.throws(() => FieldSet.fromFieldsV1('x'));
    assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }));
  });
});

describe('fieldpath: set algebra (set.go)', () => {
  const a = FieldSet.of([f('a')], [f('b'), f('c')], [f('b'), f('d')], [f('e')]);
  const b = FieldSet.of([f('a')], [f('b'), f('c')], [f('x')]);
  it('union', () => assert.deepEqual(a.union(b).paths().map(pathString), ['.a', '.e', '.x', '.b.c', '.b.d']));
  it('intersection', () => assert.deepEqual(a.intersection(b).paths().map(pathString), ['.a', '.b.c']));
  it('difference', () => assert.deepEqual(a.difference(b).paths().map(pathString), ['.e', '.b.d']));
  it('difference: a parent member does not remove children (parent - child = parent)', () => {
    assert.deepEqual(a.difference(FieldSet.of([f('b')])).paths().map(pathString), ['.a', '.e', '.b.c', '.b.d']);
  });
  it('recursiveDifference removes a member and everything below it', () => {
    assert.deepEqual(a.recursiveDifference(FieldSet.of([f('b')])).paths().map(pathString), ['.a', '.e']);
  });
  it('has / empty / the empty path is never a member', () => {
    assert.ok(a.has([f('b'), f('c')]) && !a.has([f('b')]));
    const s = new FieldSet();
    s.insert([]);
    assert.ok(s.empty());
  });
});
