// application/strategic-merge-patch+json. Three groups of cases:
// 1. upstream vectors from k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go (MergeItem test type): the
//    server applies `threeWay` to `current` and must get `result`, and `twoWay` to `original` and must get `modified`;
// 2. the bodies real kubectl sends (kubectl-compatibility.md §3.1) and KWOK-style status patches
//    (kubernetes-semantics.md §7.2) against the real k8s v1.32 schemas;
// 3. error texts and classes of patch.go interpretStrategicMergePatchError.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { strategicMergePatch } from './strategic.ts';
import { customSchema, smpSchemaFor } from './schema.ts';
import { assertStatus, deepFreeze } from './testutil.test-data.ts';

// The MergeItem type of patch_test.go, with its struct tags.
const mergeItem = customSchema({
  types: {
    MergeItem: 'name value other mergingList:[MergeItem] nonMergingList:[MergeItem] mergingIntList:[] nonMergingIntList:[] simpleMap:{} replacingItem:* retainKeysMap:RetainKeysMergeItem retainKeysMergingList:[MergeItem]',
    RetainKeysMergeItem: 'name value other simpleMap:{} mergingIntList:[] mergingList:[MergeItem] nonMergingList:[MergeItem]',
  },
  tags: {
    'MergeItem.mergingList': { patchStrategy: 'merge', patchMergeKey: 'name' },
    'MergeItem.mergingIntList': { patchStrategy: 'merge' },
    'MergeItem.replacingItem': { patchStrategy: 'replace' },
    'MergeItem.retainKeysMap': { retainKeys: true },
    'MergeItem.retainKeysMergingList': { patchStrategy: 'merge', patchMergeKey: 'name', retainKeys: true },
    'RetainKeysMergeItem.mergingIntList': { patchStrategy: 'merge' },
    'RetainKeysMergeItem.mergingList': { patchStrategy: 'merge', patchMergeKey: 'name' },
  },
}, 'MergeItem');

const y = (s: string): unknown => parse(s) ?? {};

/** [description, base, patch, result] in YAML, verbatim from patch_test.go. */
const UPSTREAM: Array<[string, string, string, string]> = [
  ['unique scalars when merging lists', 'mergingIntList: [1, 2]', 'mergingIntList: [2, 3]', 'mergingIntList: [1, 2, 3]'],
  ['delete map from nested map', 'simpleMap: {key1: 1, key2: 1}', 'simpleMap: {$patch: delete}', 'simpleMap: {}'],
  ['delete all items from merging list', 'mergingList: [{name: 1}, {name: 2}]', 'mergingList: [{$patch: replace}]', 'mergingList: []'],
  ['merge empty merging lists', 'mergingList: []', 'mergingList: []', 'mergingList: []'],
  ['delete all keys from map', 'name: 1\nvalue: 1', '$patch: replace', '{}'],
  ['add key and delete all keys from map', 'name: 1\nvalue: 1', 'other: a\n$patch: replace', 'other: a'],
  ['delete all duplicate entries in a merging list (PR #38342: one $patch delete removes every match)',
    'mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]',
    'mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]',
    'mergingList: [{name: 2, value: a}]'],
  ['retainKeys map can add a field when no retainKeys directive present', 'retainKeysMap: {name: foo}', 'retainKeysMap: {value: bar}', 'retainKeysMap: {name: foo, value: bar}'],
  ['retainKeys map can delete a field when no retainKeys directive present', 'retainKeysMap: {name: foo, value: a}', 'retainKeysMap: {value: null}', 'retainKeysMap: {name: foo}'],
  ['retainKeys list can change a field when no retainKeys directive present',
    'retainKeysMergingList: [{name: bar}, {name: foo, value: a}]', 'retainKeysMergingList: [{name: foo, value: b}]',
    'retainKeysMergingList: [{name: bar}, {name: foo, value: b}]'],
  ['preserve the order from the patch in a merging list',
    'mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]',
    'mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]',
    'mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]'],
  ['preserve the order from the patch in a merging list 2',
    'mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]',
    'mergingList: [{name: 3, value: c}, {name: 1, value: a}]',
    'mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]'],
  ['preserve the order from the patch in a merging int list', 'mergingIntList: [1, 2, 3]', 'mergingIntList: [3, 1, 2]', 'mergingIntList: [3, 1, 2]'],
  ['preserve the order from the patch in a merging int list 2', 'mergingIntList: [1, 2, 3]', 'mergingIntList: [3, 1]', 'mergingIntList: [2, 3, 1]'],
  ['$setElementOrder contains item that is not present in the list to be merged',
    'mergingList: [{name: 1}, {name: 3}]',
    '$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}]\nmergingList: [{name: 3, value: 3}, {name: 1, value: 1}]',
    'mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]'],
  ['$setElementOrder contains item that is not present in the int list to be merged',
    'mergingIntList: [1, 3]', '$setElementOrder/mergingIntList: [3, 2, 1]', 'mergingIntList: [3, 1]'],
  ['nil original', '{}', 'name: 1\nvalue: 1', 'name: 1\nvalue: 1'],
  ['add field and delete field from map', 'name: 1\nother: a', 'name: null\nvalue: 1', 'value: 1\nother: a'],
  ['delete field from nested map', 'simpleMap: {key1: 1, key2: 1, other: a}', 'simpleMap: {key2: null}', 'simpleMap: {key1: 1, other: a}'],
  ['replace list of scalars', 'nonMergingIntList: [1, 4]', 'nonMergingIntList: [2, 3]', 'nonMergingIntList: [2, 3]'],
  ['delete all maps from merging list', 'mergingList: [{name: 1, other: a}, {name: 2, other: b}]',
    'mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]', 'mergingList: []'],
  ['defined null values should propagate removing original fields',
    'name: original-name\nvalue: original-value\nother: current-other', 'name: modified-name\nvalue: null', 'name: modified-name\nother: current-other'],
  ['delete items in lists of scalars (three-way)', 'mergingIntList: [1, 2, 3, 4]',
    '$setElementOrder/mergingIntList: [1, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]', 'mergingIntList: [1, 2, 4]'],
  ['delete all duplicate items in lists of scalars (three-way)', 'mergingIntList: [1, 2, 3, 3, 4]',
    '$setElementOrder/mergingIntList: [1, 2]\n$deleteFromPrimitiveList/mergingIntList: [3]', 'mergingIntList: [1, 2, 4]'],
  ['add and delete items in lists of scalars (three-way)', 'mergingIntList: [1, 2, 3, 4]',
    '$setElementOrder/mergingIntList: [1, 2, 4]\n$deleteFromPrimitiveList/mergingIntList: [3]', 'mergingIntList: [1, 2, 4]'],
  ['merge lists of maps (three-way)', 'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]',
    '$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]\nmergingList: [{name: 4, value: 4}, {name: 3, value: 3}]',
    'mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]'],
  ['merge lists of maps with conflict (three-way)', 'mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]',
    '$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}]\nmergingList: [{name: 2, value: 2}, {name: 3, value: 3}]',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]'],
  ['add field to map in merging list (three-way)', 'mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]',
    '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, value: 1}, {name: 2, value: 2}]',
    'mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]'],
  ['delete duplicate field in merging list (three-way)', 'mergingList: [{name: 1}, {name: 1}]', 'mergingList: {}', 'mergingList: {}'],
  ['delete missing map from merging list with conflict (three-way)', 'mergingList: [{name: 3, other: a}]',
    '$setElementOrder/mergingList: [{name: 2}]\nmergingList: [{name: 2}, {name: 1, $patch: delete}]',
    'mergingList: [{name: 2}, {name: 3, other: a}]'],
  ['add map and delete map from merging list (three-way)', 'mergingList: [{name: 1}, {name: 2, other: b}, {name: 4, other: c}]',
    '$setElementOrder/mergingList: [{name: 2}, {name: 3}]\nmergingList: [{name: 3}, {name: 1, $patch: delete}]',
    'mergingList: [{name: 2, other: b}, {name: 4, other: c}, {name: 3}]'],
  ['add map and delete map from merging list with conflict (three-way)', 'mergingList: [{name: 1, other: a}, {name: 4, other: c}]',
    '$setElementOrder/mergingList: [{name: 2}, {name: 3}]\nmergingList: [{name: 2}, {name: 3}, {name: 1, $patch: delete}]',
    'mergingList: [{name: 4, other: c}, {name: 2}, {name: 3}]'],
  ['delete field from map in merging list (three-way)', 'mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2, other: b}]',
    '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, value: null}]',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]'],
  ['replace non merging list nested in merging list (three-way)',
    'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2, other: b}]',
    '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{name: 1, nonMergingList: [{name: 1, value: 1}]}]',
    'mergingList: [{name: 1, other: a, nonMergingList: [{name: 1, value: 1}]}, {name: 2, other: b}]'],
  ['add field to map in merging list nested in merging list (two-way)',
    'mergingList: [{name: 1, mergingList: [{name: 1}, {name: 2, value: 2}]}, {name: 2}]',
    '$setElementOrder/mergingList: [{name: 1}, {name: 2}]\nmergingList: [{$setElementOrder/mergingList: [{name: 1}, {name: 2}], name: 1, mergingList: [{name: 1, value: 1}]}]',
    'mergingList: [{name: 1, mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}, {name: 2}]'],
  ['set elements order in a list with server-only items 2 (three-way)',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 9}, {name: 3, value: 3}, {name: 4, value: 4}]',
    '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]',
    'mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 9}, {name: 4, value: 4}, {name: 3, value: 3}]'],
  ['set elements order in a list with server-only items 3 (three-way)',
    'mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 7}, {name: 9}, {name: 8}, {name: 3, value: 3}, {name: 4, value: 4}]',
    '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]',
    'mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 7}, {name: 9}, {name: 8}, {name: 4, value: 4}, {name: 3, value: 3}]'],
  ['add an item in a int list and preserve order', 'mergingIntList: [1, 2]', '$setElementOrder/mergingIntList: [3, 1, 2]\nmergingIntList: [3]', 'mergingIntList: [3, 1, 2]'],
  ['add multiple items in a int list and preserve order', 'mergingIntList: [1, 2]',
    '$setElementOrder/mergingIntList: [1, 4, 2, 3]\nmergingIntList: [4, 3]', 'mergingIntList: [1, 4, 2, 3]'],
  ['delete an item in a int list and preserve order', 'mergingIntList: [1, 2, 3]',
    '$setElementOrder/mergingIntList: [2, 1]\n$deleteFromPrimitiveList/mergingIntList: [3]', 'mergingIntList: [2, 1]'],
  ['add and delete an item in a int list and preserve order', 'mergingIntList: [1, 2, 3]',
    '$setElementOrder/mergingIntList: [4, 2, 1]\nmergingIntList: [4]\n$deleteFromPrimitiveList/mergingIntList: [3]', 'mergingIntList: [4, 2, 1]'],
  ['set elements order in a int list with server-only items 3', 'mergingIntList: [1, 2, 7, 9, 8, 3, 4]',
    '$setElementOrder/mergingIntList: [2, 1, 4, 3]', 'mergingIntList: [2, 1, 7, 9, 8, 4, 3]'],
  ['behavior of set element order for a merging list with duplicate',
    'mergingList: [{name: 1}, {name: 2, value: dup1}, {name: 3}, {name: 2, value: dup2}, {name: 4}]',
    '$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}, {name: 2}]',
    'mergingList: [{name: 2, value: dup1}, {name: 2, value: dup2}, {name: 1}, {name: 4}, {name: 3}]'],
  ['behavior of set element order for a merging int list with duplicate', 'mergingIntList: [1, 2, 3, 2, 4]',
    '$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]', 'mergingIntList: [2, 2, 1, 4, 3]'],
  ['retainKeys map should clear defaulted field (three-way)', 'retainKeysMap: {value: foo}',
    'retainKeysMap: {$retainKeys: [other], other: bar}', 'retainKeysMap: {other: bar}'],
  ['retainKeys map should clear defaulted field with conflict (discriminated union)', 'retainKeysMap: {name: type1, value: foo}',
    'retainKeysMap: {$retainKeys: [name, other], name: type2, other: bar}', 'retainKeysMap: {name: type2, other: bar}'],
  ['retainKeys map adds a field and clear a field', 'retainKeysMap: {name: foo, other: a}',
    'retainKeysMap: {$retainKeys: [name, value], value: bar}', 'retainKeysMap: {name: foo, value: bar}'],
  ['retainKeys map deletes a field and clears a field', 'retainKeysMap: {name: foo, value: bar, other: a}',
    'retainKeysMap: {$retainKeys: [name], value: null}', 'retainKeysMap: {name: foo}'],
  ['retainKeys map adds a field in a nested map', 'retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a, key3: c}}',
    'retainKeysMap: {$retainKeys: [name, simpleMap, value], simpleMap: {key2: b}}',
    'retainKeysMap: {name: foo, value: bar, simpleMap: {key1: a, key2: b, key3: c}}'],
  ['replace strategy replaces a map wholesale', 'replacingItem: {a: 1, b: {c: 1}}', 'replacingItem: {b: {d: 2}}', 'replacingItem: {b: {d: 2}}'],
];

describe('strategicMergePatch: upstream strategicpatch/patch_test.go vectors (MergeItem)', () => {
  for (const [name, base, patch, want] of UPSTREAM) {
    it(name, () => {
      assert.deepEqual(strategicMergePatch(deepFreeze(y(base)), deepFreeze(y(patch)), mergeItem), y(want));
    });
  }
});

// ---- kubectl and KWOK bodies on the real schemas -------------------------------------------------------------------

const svcSchema = smpSchemaFor('v1', 'Service');
const podSchema = smpSchemaFor('v1', 'Pod');
const deploySchema = smpSchemaFor('apps/v1', 'Deployment');
const stsSchema = smpSchemaFor('apps/v1', 'StatefulSet');

const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

function liveService(ports: unknown[], labels?: Record<string, string>) {
  return deepFreeze({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', ...(labels ? { labels } : {}), annotations: { [LAST]: '{}\n' } },
    spec: { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports, selector: { app: 'web' }, sessionAffinity: 'None', type: 'ClusterIP' },
    status: { loadBalancer: {} },
  });
}

describe('strategicMergePatch: kubectl apply bodies (kubectl-compatibility.md §3.1)', () => {
  it('§3.1 replicas and label change', () => {
    const live = deepFreeze({ metadata: { name: 'web', labels: { app: 'web' }, annotations: { [LAST]: 'old' } }, spec: { replicas: 2, serviceName: 'web' } });
    const patch = { metadata: { annotations: { [LAST]: 'new' }, labels: { tier: 'front' } }, spec: { replicas: 3 } };
    assert.deepEqual(strategicMergePatch(live, patch, stsSchema), {
      metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, annotations: { [LAST]: 'new' } }, spec: { replicas: 3, serviceName: 'web' },
    });
  });

  it('§3.1 add a service port: $setElementOrder puts the new port first', () => {
    const live = liveService([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    const patch = { metadata: { annotations: { [LAST]: 'new' } }, spec: { '$setElementOrder/ports': [{ port: 9090 }, { port: 80 }], ports: [{ name: 'metrics', port: 9090 }] } };
    const out = strategicMergePatch(live, deepFreeze(patch), svcSchema) as { spec: { ports: unknown[] }; metadata: { annotations: unknown } };
    assert.deepEqual(out.spec.ports, [{ name: 'metrics', port: 9090 }, { port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.deepEqual(out.metadata.annotations, { [LAST]: 'new' });
    assert.ok(!('$setElementOrder/ports' in out.spec));
  });

  it('§3.1 remove a port and all labels: $patch delete and labels:null', () => {
    const live = liveService([{ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 }, { port: 80, protocol: 'TCP', targetPort: 80 }], { app: 'web', tier: 'front' });
    const patch = { metadata: { annotations: { [LAST]: 'new' }, labels: null }, spec: { '$setElementOrder/ports': [{ port: 9090 }], ports: [{ $patch: 'delete', port: 80 }] } };
    const out = strategicMergePatch(live, deepFreeze(patch), svcSchema) as { spec: { ports: unknown[] }; metadata: Record<string, unknown> };
    assert.deepEqual(out.spec.ports, [{ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 }]);
    assert.ok(!('labels' in out.metadata));
    assert.equal(out.metadata.resourceVersion, '7');
  });

  it('a port merges into the live port with the same port number (merge key port)', () => {
    const live = liveService([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    const out = strategicMergePatch(live, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, svcSchema) as { spec: { ports: unknown[] } };
    assert.deepEqual(out.spec.ports, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 9090 }]);
  });

  it('service selector and clusterIPs have no strategy: replaced / merged as plain map', () => {
    const live = liveService([{ port: 80 }]);
    const out = strategicMergePatch(live, { spec: { selector: { tier: 'x' }, clusterIPs: ['10.96.0.12'] } }, svcSchema) as { spec: Record<string, unknown> };
    assert.deepEqual(out.spec.selector, { app: 'web', tier: 'x' });
    assert.deepEqual(out.spec.clusterIPs, ['10.96.0.12']);
  });
});

describe('strategicMergePatch: pod templates (containers by name, ports by containerPort, env by name, volumeMounts by mountPath)', () => {
  const deployment = () => deepFreeze({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:1.26', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
              volumeMounts: [{ name: 'data', mountPath: '/data' }] },
            { name: 'sidecar', image: 'busybox' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  });
  const containers = (o: unknown) => (o as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } }).spec.template.spec.containers;

  it('image change of one container keeps the other container and all lists', () => {
    const out = strategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }, deploySchema);
    const cs = containers(out);
    assert.deepEqual(cs.map((c) => [c.name, c.image]), [['app', 'nginx:1.27'], ['sidecar', 'busybox']]);
    assert.deepEqual(cs[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
  });

  it('nested lists merge by their own keys: ports by containerPort, env by name, volumeMounts by mountPath', () => {
    const patch = {
      spec: { template: { spec: { containers: [{
        name: 'app',
        ports: [{ containerPort: 8080, name: 'metrics' }, { containerPort: 80, name: 'http' }],
        env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }, { name: 'A', $patch: 'delete' }],
        volumeMounts: [{ mountPath: '/data', readOnly: true }],
      }] } } },
    };
    const app = containers(strategicMergePatch(deployment(), deepFreeze(patch), deploySchema))[0];
    assert.deepEqual(app.ports, [{ containerPort: 8080, name: 'metrics' }, { containerPort: 80, protocol: 'TCP', name: 'http' }]);
    assert.deepEqual(app.env, [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.deepEqual(app.volumeMounts, [{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  it('a new container without $setElementOrder is placed before the live ones (mergeSortedSlice)', () => {
    const out = strategicMergePatch(deployment(), { spec: { template: { spec: { containers: [{ name: 'new', image: 'x' }] } } } }, deploySchema);
    assert.deepEqual(containers(out).map((c) => c.name), ['new', 'app', 'sidecar']);
  });

  it('$retainKeys on a volume clears the old volume source (volumes are merge,retainKeys by name)', () => {
    const patch = { spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' } }] } } } };
    const out = strategicMergePatch(deployment(), deepFreeze(patch), deploySchema) as { spec: { template: { spec: { volumes: unknown[] } } } };
    assert.deepEqual(out.spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('deployment strategy $retainKeys (retainKeys strategy) drops rollingUpdate when switching to Recreate', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } };
    const out = strategicMergePatch(deployment(), deepFreeze(patch), deploySchema) as { spec: { strategy: unknown } };
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('tolerations and args are atomic: replaced', () => {
    const live = { spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'c', args: ['x', 'y'] }] } };
    const out = strategicMergePatch(live, { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'c', args: ['z'] }] } }, podSchema);
    assert.deepEqual(out, { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'c', args: ['z'] }] } });
  });
});

describe('strategicMergePatch: metadata lists', () => {
  it('finalizers are a set: union in patch order before server-only items; $deleteFromPrimitiveList removes', () => {
    const live = { metadata: { name: 'p', finalizers: ['a', 'b'] } };
    assert.deepEqual(strategicMergePatch(live, { metadata: { finalizers: ['c', 'a'] } }, podSchema), { metadata: { name: 'p', finalizers: ['c', 'a', 'b'] } });
    assert.deepEqual(strategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podSchema), { metadata: { name: 'p', finalizers: ['b'] } });
    assert.deepEqual(strategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'b'] } }, podSchema), { metadata: { name: 'p', finalizers: [] } });
  });
  it('ownerReferences merge by uid', () => {
    const live = { metadata: { ownerReferences: [{ uid: '1', kind: 'ReplicaSet', name: 'rs', controller: true }] } };
    const out = strategicMergePatch(live, { metadata: { ownerReferences: [{ uid: '1', blockOwnerDeletion: true }, { uid: '2', kind: 'X', name: 'x' }] } }, podSchema);
    assert.deepEqual(out, { metadata: { ownerReferences: [{ uid: '1', kind: 'ReplicaSet', name: 'rs', controller: true, blockOwnerDeletion: true }, { uid: '2', kind: 'X', name: 'x' }] } });
  });
  it('a deletion list for a list the object does not have is ignored', () => {
    assert.deepEqual(strategicMergePatch({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podSchema), { metadata: {} });
  });
});

describe('strategicMergePatch: KWOK status patches (kubernetes-semantics.md §7.2)', () => {
  const pending = () => deepFreeze({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: { nodeName: 'kwok-node-0', containers: [{ name: 'c', image: 'x' }] },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }],
      containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    },
  });
  type PodOut = { status: { phase: string; conditions: Array<{ type: string; status: string }>; podIPs: unknown[]; hostIPs: unknown[]; containerStatuses: unknown[] } };

  it('pod-ready: conditions merge by type, podIPs/hostIPs by ip, containerStatuses replaced', () => {
    const patch = {
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
        containerStatuses: [{ name: 'c', ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2024-01-01T00:00:01Z' } } }],
        podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.1' }],
      },
    };
    const out = strategicMergePatch(pending(), deepFreeze(patch), podSchema) as PodOut;
    assert.equal(out.status.phase, 'Running');
    assert.deepEqual(out.status.conditions.map((c) => `${c.type}=${c.status}`), ['Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    assert.deepEqual((out.status.conditions[3] as Record<string, unknown>).lastTransitionTime, '2024-01-01T00:00:00Z');
    assert.deepEqual(out.status.containerStatuses, patch.status.containerStatuses);
    assert.deepEqual(out.status.podIPs, [{ ip: '10.244.0.5' }]);
    assert.deepEqual(out.status.hostIPs, [{ ip: '10.0.0.1' }]);
  });

  it('kubectl patch --subresource=status Ready=False touches only that condition', () => {
    const running = strategicMergePatch(pending(), {
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }] },
    }, podSchema);
    const out = strategicMergePatch(deepFreeze(running), { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, podSchema) as PodOut;
    // The first patch put its new conditions before the live PodScheduled (mergeSortedSlice); the second keeps that order.
    assert.deepEqual(out.status.conditions.map((c) => `${c.type}=${c.status}`), ['Ready=False', 'ContainersReady=True', 'PodScheduled=True']);
  });

  it('deployment status conditions merge by type', () => {
    const live = { status: { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, { type: 'Progressing', status: 'True' }] } };
    const out = strategicMergePatch(live, { status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } }, deploySchema);
    assert.deepEqual(out, { status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True' }] } });
  });
});

describe('strategicMergePatch: edges', () => {
  it('a null patch is a no-op (it decodes to a nil map)', () => {
    const live = deepFreeze({ a: 1 });
    assert.deepEqual(strategicMergePatch(live, null, podSchema), { a: 1 });
  });
  it('directives copied in verbatim (no live list) are removed from the result', () => {
    const out = strategicMergePatch({ spec: {} }, {
      spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80 }, { $patch: 'delete', port: 81 }] },
    }, svcSchema);
    assert.deepEqual(out, { spec: { ports: [{ port: 80 }] } });
  });
  it('nulls inside a value copied in are discarded (PR #107705, discardNullValuesFromPatch)', () => {
    assert.deepEqual(strategicMergePatch({ metadata: {} }, { metadata: { labels: { a: '1', b: null } } }, podSchema), { metadata: { labels: { a: '1' } } });
  });
  it('maps carrying $patch inside a value copied in are dropped (PR #117568, removeDirectives)', () => {
    const out = strategicMergePatch({ spec: { containers: [{ name: 'c' }] } },
      { spec: { containers: [{ name: 'c', env: [{ name: 'FOO', $patch: 'delete' }, { name: 'BAR', value: '1' }] }] } }, podSchema);
    assert.deepEqual(out, { spec: { containers: [{ name: 'c', env: [{ name: 'BAR', value: '1' }] }] } });
  });
  it('$deleteFromPrimitiveList deletes even where the field has no merge strategy (PR #110472)', () => {
    assert.deepEqual(strategicMergePatch({ spec: { clusterIPs: ['a', 'b'] } }, { spec: { '$deleteFromPrimitiveList/clusterIPs': ['a'] } }, svcSchema), { spec: { clusterIPs: ['b'] } });
  });
  it('a type change replaces the value (map → list)', () => {
    assert.deepEqual(strategicMergePatch({ spec: { selector: { a: 'b' } } }, { spec: { selector: ['x'] } }, svcSchema), { spec: { selector: ['x'] } });
  });
  it('never mutates its inputs (frozen inputs, result is a copy)', () => {
    const live = liveService([{ port: 80 }]);
    const patch = deepFreeze({ spec: { ports: [{ port: 80, name: 'x' }] } });
    const out = strategicMergePatch(live, patch, svcSchema) as { spec: { ports: Array<Record<string, unknown>> } };
    out.spec.ports[0].name = 'changed';
    assert.equal((live.spec.ports[0] as Record<string, unknown>).name, undefined);
  });
});

describe('strategicMergePatch: errors (patch.go interpretStrategicMergePatchError)', () => {
  const live = () => liveService([{ port: 80, protocol: 'TCP' }]);
  const cases: Array<{ name: string; patch: unknown; code: number; reason: string; message: string | RegExp }> = [
    { name: 'item without the merge key (ErrNoMergeKey, plain error → 500)', patch: { spec: { ports: [{ name: 'metrics', targetPort: 9090 }] } },
      code: 500, reason: '', message: 'map: map[name:metrics targetPort:9090] does not contain declared merge key: port' },
    { name: '$patch delete without the merge key', patch: { spec: { ports: [{ $patch: 'delete', name: 'x' }] } },
      code: 500, reason: '', message: 'map: map[$patch:delete name:x] does not contain declared merge key: port' },
    { name: 'unknown $patch in a list item (ErrBadPatchType)', patch: { spec: { ports: [{ $patch: 'remove', port: 80 }] } },
      code: 500, reason: '', message: 'unknown patch type: remove in map: map[$patch:remove port:80]' },
    { name: 'unknown $patch on a map', patch: { spec: { $patch: 'merge', type: 'x' } },
      code: 500, reason: '', message: 'unknown patch type: merge in map: map[$patch:merge type:x]' },
    { name: 'non-string $patch on a map', patch: { spec: { selector: { $patch: 5 } } },
      code: 500, reason: '', message: 'unknown patch type: %!s(int64=5) in map: map[$patch:5]' },
    { name: '$patch merge in a list', patch: { spec: { ports: [{ $patch: 'merge', port: 80 }] } },
      code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' },
    { name: '$setElementOrder without a field name', patch: { spec: { $setElementOrderPorts: [] } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of setElementOrder list' },
    { name: '$deleteFromPrimitiveList without a field name', patch: { metadata: { $deleteFromPrimitiveListX: ['a'] } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' },
    { name: '$retainKeys that is not a list', patch: { spec: { $retainKeys: 'type' } }, code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: '$retainKeys that omits a key the patch sets', patch: { spec: { $retainKeys: ['type'], sessionAffinity: 'None' } },
      code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    { name: '$setElementOrder that is not a list', patch: { spec: { '$setElementOrder/ports': { port: 80 } } },
      code: 500, reason: '', message: 'expected a []interface {}, but received a map[string]interface {}' },
    { name: '$setElementOrder order does not match the patch list', patch: { spec: { '$setElementOrder/ports': [{ port: 1 }, { port: 2 }], ports: [{ port: 2 }, { port: 1 }] } },
      code: 500, reason: '', message: "The order in patch list:\n[map[port:2] map[port:1]]\n doesn't match $setElementOrder list:\n[map[port:1] map[port:2]]\n" },
    { name: 'list of lists in a merging list (ErrNoListOfLists → 422)', patch: { metadata: { finalizers: [['a']] } },
      code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' },
    { name: 'mixed scalar and list items in a merging list', patch: { metadata: { finalizers: ['a', ['b']] } },
      code: 500, reason: '', message: 'list element types are not identical: [[x] [a [b]]]' },
    { name: 'mixed element types in a merging list', patch: { spec: { ports: ['x'] } },
      code: 500, reason: '', message: 'list element types are not identical: [[map[port:80 protocol:TCP]] [x]]' },
    { name: 'a scalar item in a list of maps', patch: { metadata: { ownerReferences: [1] } }, code: 500, reason: '',
      message: 'list element types are not identical: [[map[uid:1]] [1]]' },
    { name: 'a scalar in $setElementOrder of a list of maps', patch: { metadata: { '$setElementOrder/ownerReferences': [1] } }, code: 500, reason: '',
      message: 'value for key 0 is not a map.' },
    { name: 'array body', patch: [1], code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    { name: 'string body', patch: 'x', code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type map[string]interface {}' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const base = { ...live(), metadata: { ...live().metadata, finalizers: c.name.startsWith('list of lists') ? [] : ['x'], ownerReferences: [{ uid: 1 }] } };
      assertStatus(() => strategicMergePatch(base, c.patch, svcSchema), { code: c.code, reason: c.reason, message: c.message });
    });
  }
  it('a null element in a merging list panics upstream (500 InternalError)', () => {
    assertStatus(() => strategicMergePatch({ metadata: { finalizers: [] } }, { metadata: { finalizers: [null] } }, podSchema), { code: 500, reason: 'InternalError' });
  });
  it('garbage patch values are a 400', () => {
    assertStatus(() => strategicMergePatch({}, { a: () => 1 }, podSchema), { code: 400, reason: 'BadRequest', message: /^invalid patch: / });
  });
});
