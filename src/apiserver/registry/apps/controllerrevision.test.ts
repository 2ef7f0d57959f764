// Table tests for the ControllerRevision strategy: ValidateControllerRevision/Update (pkg/apis/apps/validation)
// and pkg/registry/apps/controllerrevision/strategy.go (v1.32).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../api/meta.ts';
import { fieldErrorString } from '../../../api/status.ts';
import { controllerRevisionStrategy } from './controllerrevision.ts';

const strategy = controllerRevisionStrategy();

function cr(extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'web-7b9c6d5f8', namespace: 'default' }, data: { spec: { template: { $patch: 'replace' } } }, revision: 1, ...extra };
}

test('defaults: revision is always serialized', () => {
  const o = cr({ revision: undefined });
  strategy.defaults(o);
  assert.equal(o.revision, 0);
});

const createCases: Array<{ name: string; o: KObject; want: string[] }> = [
  { name: 'valid', o: cr(), want: [] },
  { name: 'data is mandatory', o: cr({ data: undefined }), want: ['data: Required value: data is mandatory'] },
  { name: 'revision non-negative', o: cr({ revision: -1 }), want: ['revision: Invalid value: -1: must be greater than or equal to 0'] },
];

for (const c of createCases) {
  test(`ValidateControllerRevision: ${c.name}`, () => {
    strategy.defaults(c.o);
    strategy.prepareForCreate(c.o);
    assert.deepEqual(strategy.validate(c.o).map(fieldErrorString), c.want);
  });
}

test('ValidateControllerRevisionUpdate: data is immutable, revision and metadata may change', () => {
  const old = cr();
  const relabeled = cr({ revision: 3 });
  relabeled.metadata.labels = { 'controller.kubernetes.io/hash': 'x' };
  assert.deepEqual(strategy.validateUpdate(relabeled, old), []);
  const changed = cr({ data: { a: 1 } });
  assert.deepEqual(strategy.validateUpdate(changed, old).map(fieldErrorString), [
    'data: Invalid value: runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d}, ContentEncoding:"", ContentType:"application/json"}: field is immutable',
  ]);
  assert.equal(strategy.specChanged!(changed, old), false, 'ControllerRevisions have no generation');
});
