// The PATCH handler's view of the library (index.ts): one Deployment through create, a kubectl patch of each content
// type, Update ownership and a server-side apply that conflicts with the earlier patch (kubectl-compatibility.md §3.1,
// §3.2; kube-apiserver pkg/endpoints/handlers/patch.go + fieldmanager).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import * as patch from './index.ts';
import { assertStatus, deepFreeze } from './testutil.test-data.ts';

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:01:00Z';
const T2 = '2024-05-01T10:02:00Z';
const schema = patch.smpSchemaFor('apps/v1', 'Deployment');

const created = (): KObject => {
  const obj = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '1', creationTimestamp: T0 },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
      },
    },
  } as KObject;
  patch.recordUpdateManagedFields(undefined, obj, 'kubectl-create', T0);
  return deepFreeze(obj);
};

/** What the handler does for an SMP/merge/JSON patch: apply, then record the writer's Update ownership. */
function patched(live: KObject, body: unknown, type: 'smp' | 'merge' | 'json', manager: string, now: string): KObject {
  const out = (type === 'smp' ? patch.strategicMergePatch(live, body, schema)
    : type === 'merge' ? patch.jsonMergePatch(live, body) : patch.jsonPatch(live, body)) as KObject;
  patch.recordUpdateManagedFields(live, out, manager, now);
  return deepFreeze(out);
}

describe('index: handler pipeline', () => {
  it('create records kubectl-create as Update owner of every field it set', () => {
    const e = created().metadata.managedFields!;
    assert.equal(e.length, 1);
    assert.deepEqual({ ...e[0], fieldsV1: undefined }, {
      manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: undefined,
    });
    const f = e[0].fieldsV1 as Record<string, Record<string, unknown>>;
    assert.deepEqual(f['f:spec']['f:replicas'], {});
    assert.deepEqual(Object.keys((f['f:spec']['f:template'] as any)['f:spec']['f:containers']), ['k:{"name":"nginx"}']);
  });

  it('SMP container image patch keeps the ports and moves ownership of .image only', () => {
    const out = patched(created(), { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } }, 'smp', 'kubectl-set', T1);
    const c = (out.spec as any).template.spec.containers[0];
    assert.deepEqual(c, { name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    const set = out.metadata.managedFields!.find((m) => m.manager === 'kubectl-set')!;
    assert.deepEqual(set.fieldsV1, { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } } });
  });

  it('merge patch and JSON patch give the same result for a replicas change', () => {
    const a = patched(created(), { spec: { replicas: 3 } }, 'merge', 'kubectl-patch', T1);
    const b = patched(created(), [{ op: 'replace', path: '/spec/replicas', value: 3 }], 'json', 'kubectl-patch', T1);
    assert.deepEqual(a, b);
    assert.equal((a.spec as any).replicas, 3);
  });

  it('SSA conflicting with an earlier patch → 409 naming that manager; force moves ownership', () => {
    const live = patched(created(), { spec: { replicas: 3 } }, 'smp', 'kubectl-patch', T1);
    const applied = deepFreeze({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 5, selector: { matchLabels: { app: 'web' } }, template: (created().spec as any).template },
    }) as KObject;
    const se = assertStatus(() => patch.serverSideApply(live, applied, { manager: 'ci', force: false, schema, now: T2 }), {
      code: 409, reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas',
    });
    assert.deepEqual(se.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-patch" using apps/v1', field: '.spec.replicas' }]);
    const forced = patch.serverSideApply(live, applied, { manager: 'ci', force: true, schema, now: T2 });
    assert.equal((forced.spec as any).replicas, 5);
    assert.deepEqual(forced.metadata.managedFields!.map((m) => [m.manager, m.operation]), [['ci', 'Apply'], ['kubectl-create', 'Update']]);
  });

  it('errors are StatusErrors: bad $patch (500), malformed JSON patch (400), failed op (422)', () => {
    assertStatus(() => patch.strategicMergePatch(created(), { spec: { $patch: 'remove' } }, schema), { code: 500, reason: '', message: /^unknown patch type: remove in map: / });
    assertStatus(() => patch.jsonPatch(created(), { op: 'add' }), { code: 400, reason: 'BadRequest' });
    assertStatus(() => patch.jsonPatch(created(), [{ op: 'remove', path: '/spec/foo' }]), { code: 422, reason: 'Invalid' });
  });
});
