// Discovery documents: kubectl-compatibility.md §1 item 2 and §2.2; shapes from k8s.io/apiserver
// endpoints/installer.go and groupversion.go (ConvertGroupVersionIntoToDiscovery).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES } from '../api/resources.ts';
import { StatusError } from '../api/status.ts';
import {
  AGGREGATED_V2_CONTENT_TYPE, AGGREGATED_V2BETA1_CONTENT_TYPE, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions,
  discoveryResponse, negotiateDiscovery, storageVersionHash, type APIGroupDiscoveryList, type APIResourceList,
} from './discovery.ts';

const KUBECTL_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

test('content type constant is exactly what kubectl requires (§1 item 2)', () => {
  assert.equal(AGGREGATED_V2_CONTENT_TYPE, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
});

const negotiation: Array<[string, string | undefined, string]> = [
  ['kubectl 1.32 Accept picks v2', KUBECTL_ACCEPT, AGGREGATED_V2_CONTENT_TYPE],
  ['v2beta1 only', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', AGGREGATED_V2BETA1_CONTENT_TYPE],
  ['q-values reorder preferences', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', AGGREGATED_V2BETA1_CONTENT_TYPE],
  ['protobuf aggregated entries are skipped', 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', AGGREGATED_V2_CONTENT_TYPE],
  ['plain JSON is legacy', 'application/json', 'legacy'],
  ['dispatcher-style JSON and wildcard is legacy', 'application/json, */*', 'legacy'],
  ['no Accept header is legacy', undefined, 'legacy'],
  ['an unknown discovery version falls through to plain JSON', 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', 'legacy'],
  ['q=0 excludes an entry', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json', 'legacy'],
];
for (const [name, accept, want] of negotiation) {
  test(`negotiateDiscovery: ${name}`, () => {
    const got = negotiateDiscovery(accept);
    assert.equal(got === 'legacy' ? 'legacy' : got.contentType, want);
  });
}

test('negotiateDiscovery: nothing acceptable is 406 NotAcceptable', () => {
  assert.throws(() => negotiateDiscovery('application/vnd.kubernetes.protobuf'), (e: unknown) => e instanceof StatusError && e.code === 406 && e.reason === 'NotAcceptable');
});

test('aggregated /api: one unnamed core item with v1 resources sorted, shortNames, categories, subresources (§2.2)', () => {
  const doc = aggregatedDiscovery('api', 'v2');
  assert.equal(doc.kind, 'APIGroupDiscoveryList');
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(doc.metadata, {});
  assert.equal(doc.items.length, 1);
  assert.deepEqual(doc.items[0].metadata, { creationTimestamp: null });
  const v1 = doc.items[0].versions[0];
  assert.equal(v1.version, 'v1');
  assert.equal(v1.freshness, 'Current');
  assert.deepEqual(v1.resources.map((r) => r.resource), ['configmaps', 'endpoints', 'events', 'namespaces', 'nodes', 'pods', 'services']);
  const pods = v1.resources.find((r) => r.resource === 'pods')!;
  assert.deepEqual(pods, {
    resource: 'pods', responseKind: { group: '', version: '', kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'],
    subresources: [
      { subresource: 'binding', responseKind: { group: '', version: '', kind: 'Binding' }, verbs: ['create'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  const ns = v1.resources.find((r) => r.resource === 'namespaces')!;
  assert.equal(ns.scope, 'Cluster');
  assert.deepEqual(ns.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
  const ep = v1.resources.find((r) => r.resource === 'endpoints')!;
  assert.deepEqual(ep.shortNames, ['ep']);
  assert.equal('categories' in ep, false);
  assert.equal('subresources' in ep, false);
});

test('aggregated /apis: groups in kube priority order; statefulsets scale → autoscaling/v1 Scale (§2.2)', () => {
  const doc = aggregatedDiscovery('apis', 'v2');
  assert.deepEqual(doc.items.map((i) => i.metadata.name), ['apps', 'coordination.k8s.io', 'discovery.k8s.io']);
  const apps = doc.items[0].versions[0];
  assert.deepEqual(apps.resources.map((r) => r.resource), ['controllerrevisions', 'deployments', 'replicasets', 'statefulsets']);
  const sts = apps.resources.find((r) => r.resource === 'statefulsets')!;
  assert.deepEqual(sts.shortNames, ['sts']);
  assert.deepEqual(sts.categories, ['all']);
  assert.deepEqual(sts.subresources, [
    { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'status', responseKind: { group: '', version: '', kind: 'StatefulSet' }, verbs: ['get', 'patch', 'update'] },
  ]);
});

test('aggregated v2beta1 has the same content under apidiscovery.k8s.io/v2beta1', () => {
  const v2 = aggregatedDiscovery('apis', 'v2');
  const b1 = aggregatedDiscovery('apis', 'v2beta1');
  assert.equal(b1.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.deepEqual(b1.items, v2.items);
});

test('every short name and the all category required by §1 are advertised', () => {
  const all = [...aggregatedDiscovery('api').items, ...aggregatedDiscovery('apis').items].flatMap((i) => i.versions.flatMap((v) => v.resources));
  const shortNames = all.flatMap((r) => r.shortNames ?? []);
  for (const s of ['svc', 'sts', 'ep', 'po', 'ns', 'deploy', 'rs', 'ev']) assert.ok(shortNames.includes(s), s);
  assert.deepEqual(all.filter((r) => r.categories?.includes('all')).map((r) => r.resource).sort(), ['deployments', 'pods', 'replicasets', 'services', 'statefulsets']);
  assert.equal(all.length, RESOURCES.length);
});

test('legacy /api: APIVersions with serverAddressByClientCIDRs', () => {
  assert.deepEqual(apiVersions('127.0.0.1:6443'), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] });
  assert.deepEqual(apiVersions().serverAddressByClientCIDRs, []);
});

test('legacy /apis: APIGroupList with preferred versions', () => {
  assert.deepEqual(apiGroupList(), {
    kind: 'APIGroupList', apiVersion: 'v1', groups: [
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } },
      { name: 'coordination.k8s.io', versions: [{ groupVersion: 'coordination.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'coordination.k8s.io/v1', version: 'v1' } },
      { name: 'discovery.k8s.io', versions: [{ groupVersion: 'discovery.k8s.io/v1', version: 'v1' }], preferredVersion: { groupVersion: 'discovery.k8s.io/v1', version: 'v1' } },
    ],
  });
});

test('legacy /apis/apps/v1: flat APIResourceList with statefulsets/scale entries (§2.2)', () => {
  const list = apiResourceList('apps', 'v1')!;
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.groupVersion, 'apps/v1');
  assert.deepEqual(list.resources.map((r) => r.name), [
    'controllerrevisions', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status',
    'statefulsets', 'statefulsets/scale', 'statefulsets/status',
  ]);
  assert.deepEqual(list.resources.find((r) => r.name === 'statefulsets'), {
    name: 'statefulsets', singularName: 'statefulset', namespaced: true, kind: 'StatefulSet',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['sts'], categories: ['all'], storageVersionHash: 'H+vl74LkKdo=',
  });
  assert.deepEqual(list.resources.find((r) => r.name === 'statefulsets/scale'), {
    name: 'statefulsets/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
  });
  assert.deepEqual(list.resources.find((r) => r.name === 'statefulsets/status'), {
    name: 'statefulsets/status', singularName: '', namespaced: true, kind: 'StatefulSet', verbs: ['get', 'patch', 'update'],
  });
});

test('legacy /api/v1: no apiVersion on the core list, pods/binding, storage version hashes as kube computes them', () => {
  const list = apiResourceList('', 'v1') as APIResourceList;
  assert.equal('apiVersion' in list, false);
  assert.equal(list.groupVersion, 'v1');
  assert.deepEqual(list.resources.find((r) => r.name === 'pods/binding'), { name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
  // Values a real 1.32 cluster reports in /api/v1 (discovery.StorageVersionHash).
  const hashes = Object.fromEntries(list.resources.filter((r) => r.storageVersionHash).map((r) => [r.name, r.storageVersionHash]));
  assert.deepEqual(hashes, {
    configmaps: 'qFsyl6wFWjQ=', endpoints: 'fWeeMqaN/OA=', events: 'r2yiGXH7wu8=', namespaces: 'Q3oi5N2YM8M=', nodes: 'XwShjMxG9Fs=', pods: 'xPOwRZ+Yhw8=', services: '0/CO1lhkEBI=',
  });
  assert.equal(storageVersionHash(RESOURCES.find((r) => r.kind === 'Deployment')!), '8aSe+NMegvE=');
});

test('discoveryResponse routes paths: aggregated only on /api and /apis, legacy elsewhere, undefined for the rest', () => {
  const api = discoveryResponse('/api', KUBECTL_ACCEPT)!;
  assert.equal(api.contentType, AGGREGATED_V2_CONTENT_TYPE);
  assert.equal((api.body as APIGroupDiscoveryList).items.length, 1);
  assert.match(api.etag!, /^"[0-9A-F]{128}"$/);
  assert.equal(discoveryResponse('/apis/', KUBECTL_ACCEPT)!.contentType, AGGREGATED_V2_CONTENT_TYPE);
  assert.deepEqual(discoveryResponse('/api', 'application/json', { serverAddress: '127.0.0.1:1' })!.body, apiVersions('127.0.0.1:1'));
  assert.equal(discoveryResponse('/apis', 'application/json')!.body.kind, 'APIGroupList');
  assert.equal(discoveryResponse('/apis/apps/v1', KUBECTL_ACCEPT)!.contentType, 'application/json');
  assert.equal(discoveryResponse('/api/v1', KUBECTL_ACCEPT)!.body.kind, 'APIResourceList');
  assert.equal(discoveryResponse('/apis/apps', undefined)!.body.kind, 'APIGroup');
  assert.equal(discoveryResponse('/apis/batch', undefined), undefined);
  assert.equal(discoveryResponse('/apis/apps/v2', undefined), undefined);
  assert.equal(discoveryResponse('/api/v2', undefined), undefined);
  assert.equal(discoveryResponse('/apis/apps/v1/deployments', undefined), undefined);
  assert.equal(discoveryResponse('/api/v1/pods', undefined), undefined);
  assert.equal(discoveryResponse('/version', undefined), undefined);
});
