// OpenAPI v3: what kubectl's validation path needs (kubectl-compatibility.md §2.3).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../api/resources.ts';
import { OPENAPI_V2_CONTENT_TYPE, openapiV2Protobuf, gvPath, openapiHash, openapiV3Document as rawDocument, openapiV3Hash, openapiV3Root, patchKinds } from './openapi.ts';

type Json = Record<string, any>;
const openapiV3Document = (key: string): Json | undefined => rawDocument(key) as Json | undefined;

/**
 * cli-runtime's supportsQueryParamV3: walk the paths, take the first PATCH operation whose
 * x-kubernetes-group-version-kind (an object) matches, and require a query parameter of that name on it.
 * Map order is random in Go, so check that *every* matching patch operation qualifies.
 */
function supportsQueryParamV3(doc: Json, gvk: { group: string; version: string; kind: string }, param: string): boolean {
  let found = false;
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    const op = item.patch;
    if (!op) continue;
    const ext = op['x-kubernetes-group-version-kind'];
    if (!ext || Array.isArray(ext) || ext.group !== gvk.group || ext.version !== gvk.version || ext.kind !== gvk.kind) continue;
    found = true;
    if (!(op.parameters as Json[]).some((p) => p.name === param && p.in === 'query')) return false;
  }
  return found;
}

test('root: one entry per served group version, URL carrying the document hash (§2.3)', () => {
  const root = openapiV3Root();
  const want = [...new Set(RESOURCES.map((r) => gvPath(r.group, r.version)))].sort();
  assert.deepEqual(Object.keys(root.paths).sort(), want);
  assert.ok(want.includes('api/v1') && want.includes('apis/apps/v1') && want.includes('apis/discovery.k8s.io/v1'));
  for (const [key, entry] of Object.entries(root.paths)) {
    const hash = openapiHash(JSON.stringify(openapiV3Document(key)));
    assert.equal(entry.serverRelativeURL, `/openapi/v3/${key}?hash=${hash}`);
    assert.match(hash, /^[0-9A-F]{128}$/);
    assert.equal(openapiV3Hash(key), hash);
  }
});

test('the hash changes when the document bytes change (kubectl caches ?hash= documents as immutable)', () => {
  const doc = openapiV3Document('api/v1')!;
  const changed = JSON.stringify({ ...doc, info: { ...doc.info, version: 'other' } });
  assert.notEqual(openapiHash(changed), openapiHash(JSON.stringify(doc)));
  assert.equal(openapiHash(JSON.stringify(doc)), openapiV3Hash('api/v1'));
});

test('every kind has a patch operation with its GVK and a fieldValidation query parameter (kubectl sends Strict)', () => {
  for (const r of RESOURCES) {
    const doc = openapiV3Document(gvPath(r.group, r.version))!;
    assert.ok(supportsQueryParamV3(doc, { group: r.group, version: r.version, kind: r.kind }, 'fieldValidation'), r.kind);
  }
  const apps = openapiV3Document('apis/apps/v1')!;
  assert.ok(supportsQueryParamV3(apps, { group: 'autoscaling', version: 'v1', kind: 'Scale' }, 'fieldValidation'));
});

test('a kind the document does not declare is not supported (the check can fail)', () => {
  const doc = openapiV3Document('api/v1')!;
  assert.equal(supportsQueryParamV3(doc, { group: 'apps', version: 'v1', kind: 'Deployment' }, 'fieldValidation'), false);
  assert.equal(supportsQueryParamV3(doc, { group: '', version: 'v1', kind: 'Pod' }, 'noSuchParam'), false);
});

test('no strategic-merge-patch is advertised and no component schemas are served (§2.3 recommendation)', () => {
  for (const key of Object.keys(openapiV3Root().paths)) {
    const json = JSON.stringify(openapiV3Document(key));
    assert.equal(json.includes('strategic-merge-patch'), false, key);
    assert.equal('components' in openapiV3Document(key)!, false, key);
  }
});

test('documents are OpenAPI 3.0 with info and unique operation ids in kube naming', () => {
  const doc = openapiV3Document('apis/apps/v1')!;
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(Object.keys(doc.info), ['title', 'version']);
  const ids: string[] = [];
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const [verb, op] of Object.entries(item)) if (verb !== 'parameters') ids.push(op.operationId);
  }
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['listAppsV1NamespacedStatefulSet', 'patchAppsV1NamespacedStatefulSet', 'deleteAppsV1CollectionNamespacedStatefulSet', 'patchAppsV1NamespacedStatefulSetScale', 'listAppsV1StatefulSetForAllNamespaces']) {
    assert.ok(ids.includes(id), id);
  }
  const core = openapiV3Document('api/v1')!;
  assert.equal(core.paths['/api/v1/namespaces/{name}'].patch.operationId, 'patchCoreV1Namespace');
  assert.deepEqual(core.paths['/api/v1/namespaces/{namespace}/services/{name}'].patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Service' });
});

test('patchKinds lists each kind once per patchable path', () => {
  assert.deepEqual(patchKinds('apis/discovery.k8s.io/v1'), [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }]);
  assert.deepEqual(patchKinds('apis/nope/v1'), []);
});

test('unknown group versions are not served; keys tolerate surrounding slashes', () => {
  assert.equal(openapiV3Document('apis/batch/v1'), undefined);
  assert.equal(openapiV3Document('api/v2'), undefined);
  assert.ok(openapiV3Document('/api/v1/'));
});

test('/openapi/v2 is a minimal gnostic Document in protobuf (kubectl 1.27/1.28 client-side apply needs it)', () => {
  const b = Buffer.from(openapiV2Protobuf());
  // field 1 swagger = "2.0"
  assert.deepEqual([...b.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
  // field 2 info {title "Kubernetes", version}
  assert.equal(b[5], 0x12);
  const info = b.subarray(7, 7 + b[6]);
  assert.equal(info.subarray(2, 2 + info[1]).toString(), 'Kubernetes');
  // field 8 paths, empty, last
  assert.deepEqual([...b.subarray(b.length - 2)], [0x42, 0x00]);
  assert.doesNotMatch(OPENAPI_V2_CONTENT_TYPE, /@/, 'Go mime parsing rejects "@" in a Content-Type');
});
