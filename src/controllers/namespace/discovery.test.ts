// Table tests of what the namespace controller deletes (client-go discovery ServerPreferredNamespacedResources,
// ErrGroupDiscoveryFailed, schema.ParseGroupVersion).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findResource } from '../../api/resources.ts';
import { groupDiscoveryFailed, parseGroupVersion, preferredNamespacedResources, resourceInfoFor, type APIGroup, type APIResource, type APIResourceList } from './discovery.ts';

const res = (name: string, namespaced = true, verbs = ['create', 'delete', 'deletecollection', 'get', 'list']): APIResource => ({ name, namespaced, kind: name, verbs });

describe('preferredNamespacedResources', () => {
  const groups: APIGroup[] = [
    { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }], preferredVersion: { groupVersion: 'v1', version: 'v1' } },
    { name: 'apps', versions: [{ groupVersion: 'apps/v1beta1', version: 'v1beta1' }, { groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
  ];
  const lists = new Map<string, APIResourceList>([
    ['v1', { groupVersion: 'v1', resources: [res('namespaces', false), res('pods'), res('pods/status'), res('configmaps')] }],
    ['apps/v1beta1', { groupVersion: 'apps/v1beta1', resources: [res('deployments'), res('legacythings')] }],
    ['apps/v1', { groupVersion: 'apps/v1', resources: [res('deployments'), res('deployments/scale')] }],
  ]);
  const got = preferredNamespacedResources(groups, lists).map((d) => `${d.groupVersion}:${d.resource.name}`);
  test('cluster-scoped resources and subresources are left out', () => {
    assert.ok(!got.some((g) => g.includes('namespaces') || g.includes('/status') || g.includes('/scale')));
  });
  test('a resource served in several versions is taken at the preferred one; one only in another version is kept', () => {
    assert.deepEqual(got, ['v1:pods', 'v1:configmaps', 'apps/v1:deployments', 'apps/v1beta1:legacythings']);
  });
  test('a group version that failed discovery contributes nothing', () => {
    const partial = new Map(lists);
    partial.delete('apps/v1');
    assert.deepEqual(preferredNamespacedResources(groups, partial).map((d) => `${d.groupVersion}:${d.resource.name}`), ['v1:pods', 'v1:configmaps', 'apps/v1beta1:deployments', 'apps/v1beta1:legacythings']);
  });
});

describe('discovery helpers', () => {
  test('ErrGroupDiscoveryFailed.Error(): sorted "gv: err" pairs', () => {
    const e = groupDiscoveryFailed(new Map([['metrics.k8s.io/v1beta1', 'the server is currently unable to handle the request'], ['apps/v1', 'boom']]));
    assert.equal(e.message, 'unable to retrieve the complete list of server APIs: apps/v1: boom, metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    assert.equal(e.groups.size, 2);
  });
  const cases: Array<[string, { group: string; version: string } | string]> = [
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['', { group: '', version: '' }],
    ['a/b/c', 'unexpected GroupVersion string: a/b/c'],
  ];
  for (const [gv, want] of cases) {
    test(`ParseGroupVersion(${JSON.stringify(gv)})`, () => {
      if (typeof want === 'string') assert.throws(() => parseGroupVersion(gv), { message: want });
      else assert.deepEqual(parseGroupVersion(gv), want);
    });
  }
  test('resourceInfoFor: the RESOURCES entry when known, a minimal one otherwise', () => {
    assert.equal(resourceInfoFor('', 'v1', res('pods')), findResource('', 'v1', 'pods'));
    const w = resourceInfoFor('example.com', 'v1', { name: 'widgets', namespaced: true, kind: 'Widget', verbs: ['delete'] });
    assert.deepEqual([w.group, w.version, w.plural, w.kind, w.namespaced], ['example.com', 'v1', 'widgets', 'Widget', true]);
  });
});
