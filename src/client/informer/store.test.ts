// Indexer behaviour (client-go tools/cache index_test.go, thread_safe_store_test.go): keys, named indexes kept
// in step with add/update/delete/replace, tombstones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { DeletedFinalStateUnknown, Indexer, byNamespace, metaNamespaceKeyFunc, namespaceIndexFunc, splitMetaNamespaceKey, unwrapTombstone } from './store.ts';

function pod(ns: string, name: string, node: string, ips: string[] = []): KObject {
  return { metadata: { namespace: ns, name }, spec: { nodeName: node }, status: { podIPs: ips.map((ip) => ({ ip })) } };
}

const byNode = 'byNode';
const byPodIP = 'byPodIP';
const indexers = {
  [byNamespace]: namespaceIndexFunc,
  [byNode]: (o: KObject) => [o.spec?.nodeName ?? ''],
  [byPodIP]: (o: KObject) => (o.status?.podIPs ?? []).map((x: { ip: string }) => x.ip),
};

test('keys: namespace/name, name for cluster-scoped, tombstone keeps its key', () => {
  assert.equal(metaNamespaceKeyFunc(pod('ns', 'a', 'n1')), 'ns/a');
  assert.equal(metaNamespaceKeyFunc({ metadata: { name: 'node-1' } }), 'node-1');
  assert.equal(metaNamespaceKeyFunc(new DeletedFinalStateUnknown('ns/gone', pod('ns', 'x', ''))), 'ns/gone');
  assert.deepEqual(splitMetaNamespaceKey('ns/a'), { namespace: 'ns', name: 'a' });
  assert.deepEqual(splitMetaNamespaceKey('node-1'), { namespace: '', name: 'node-1' });
  const p = pod('ns', 'a', '');
  assert.equal(unwrapTombstone(new DeletedFinalStateUnknown('ns/a', p)), p);
  assert.equal(unwrapTombstone(p), p);
});

test('indexes follow add, update (value moves) and delete', () => {
  const ix = new Indexer<KObject>({ indexers });
  ix.add(pod('a', 'p1', 'n1', ['10.244.1.5']));
  ix.add(pod('a', 'p2', 'n1', ['10.244.1.6', 'fd00::6']));
  ix.add(pod('b', 'p3', 'n2', ['10.244.2.7']));
  assert.deepEqual(ix.indexKeys(byNode, 'n1').sort(), ['a/p1', 'a/p2']);
  assert.deepEqual(ix.byIndex(byPodIP, 'fd00::6').map(metaNamespaceKeyFunc), ['a/p2']);
  assert.deepEqual(ix.listIndexFuncValues(byNamespace).sort(), ['a', 'b']);

  ix.update(pod('a', 'p1', 'n2', ['10.244.2.9']));
  assert.deepEqual(ix.indexKeys(byNode, 'n1'), ['a/p2']);
  assert.deepEqual(ix.indexKeys(byNode, 'n2').sort(), ['a/p1', 'b/p3']);
  assert.deepEqual(ix.indexKeys(byPodIP, '10.244.1.5'), [], 'old value gone');
  assert.ok(!ix.listIndexFuncValues(byPodIP).includes('10.244.1.5'), 'empty index values are dropped');

  ix.delete(pod('a', 'p2', 'ignored'));
  assert.deepEqual(ix.indexKeys(byNode, 'n1'), []);
  assert.deepEqual(ix.byIndex(byNamespace, 'a').map(metaNamespaceKeyFunc), ['a/p1']);
  assert.equal(ix.size, 2);
  ix.delete(new DeletedFinalStateUnknown('b/p3', pod('b', 'p3', 'n2')));
  assert.deepEqual(ix.listKeys(), ['a/p1']);
});

test('Index(name, obj): objects sharing any value with obj', () => {
  const ix = new Indexer<KObject>({ indexers });
  ix.add(pod('a', 'p1', 'n1'));
  ix.add(pod('b', 'p2', 'n1'));
  ix.add(pod('b', 'p3', 'n2'));
  assert.deepEqual(ix.index(byNode, pod('x', 'probe', 'n1')).map(metaNamespaceKeyFunc).sort(), ['a/p1', 'b/p2']);
  assert.throws(() => ix.index('nope', pod('x', 'y', 'z')), /Index with name nope does not exist/);
  assert.throws(() => ix.byIndex('nope', 'v'), /does not exist/);
});

test('replace swaps content and indexes and records the resourceVersion', () => {
  const ix = new Indexer<KObject>({ indexers });
  ix.add(pod('a', 'old', 'n1'));
  ix.replace([pod('a', 'new', 'n9')], '42');
  assert.deepEqual(ix.listKeys(), ['a/new']);
  assert.deepEqual(ix.indexKeys(byNode, 'n1'), []);
  assert.deepEqual(ix.indexKeys(byNode, 'n9'), ['a/new']);
  assert.equal(ix.lastSyncResourceVersion(), '42');
  ix.setResourceVersion('43');
  assert.equal(ix.lastSyncResourceVersion(), '43');
});

test('addIndexers indexes existing objects; a duplicate name is refused', () => {
  const ix = new Indexer<KObject>();
  ix.add(pod('a', 'p1', 'n1'));
  ix.addIndexers({ [byNode]: indexers[byNode] });
  assert.deepEqual(ix.indexKeys(byNode, 'n1'), ['a/p1']);
  assert.throws(() => ix.addIndexers({ [byNode]: indexers[byNode] }), /indexer conflict: byNode/);
});
