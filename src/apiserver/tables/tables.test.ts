// Golden Tables. Expected text is what kubectl 1.32 printed against a server that sent these cells
// (kubectl-compatibility.md §5); cell logic follows kube-apiserver 1.32's pkg/printers/internalversion/printers.go
// and its printers_test.go cases.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { RESOURCES, type ResourceInfo } from '../../api/resources.ts';
import { StatusError } from '../../api/status.ts';
import { columnDefinitions, parseIncludeObject, tableForWatchEvent, toTable, type Table } from './index.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const S = 1000;
const M = 60 * S;

function info(kind: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.kind === kind);
  assert.ok(r, kind);
  return r;
}

/**
 * What kubectl's human-readable printer does with a Table: upper-cased headers, priority>0 columns only with
 * -o wide, tabwriter(minwidth 6, padding 3) alignment, the last column unpadded.
 */
function render(table: Table, wide = false): string {
  const cols = table.columnDefinitions.map((c, i) => ({ c, i })).filter((x) => wide || x.c.priority === 0);
  const lines = [cols.map((x) => x.c.name.toUpperCase()), ...table.rows.map((r) => cols.map((x) => String(r.cells[x.i])))];
  const widths = cols.map((_, j) => Math.max(...lines.map((l) => l[j].length)));
  return lines.map((l) => l.map((cell, j) => (j === l.length - 1 ? cell : cell.padEnd(Math.max(widths[j] + 3, 6)))).join('')).join('\n');
}

function table(kind: string, objects: KObject[]): Table {
  return toTable(info(kind), objects, { now: NOW, includeObject: 'Metadata', listMeta: { resourceVersion: '128' } });
}

const meta = (name: string, created: number, extra: Record<string, unknown> = {}) => ({
  name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '107', creationTimestamp: ago(created), ...extra,
});

// ---------------------------------------------------------------------------------------------
// §5 golden outputs.

const web: KObject = {
  apiVersion: 'v1', kind: 'Service', metadata: meta('web', 4 * S, { labels: { app: 'web' } }),
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  status: { loadBalancer: {} },
};
const webHeadless: KObject = {
  apiVersion: 'v1', kind: 'Service', metadata: meta('web-headless', 4 * S, { labels: { app: 'web' } }),
  spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
  status: { loadBalancer: {} },
};

test('services: kubectl get svc (§5 golden)', () => {
  assert.equal(render(table('Service', [web, webHeadless])), [
    'NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE',
    'web            ClusterIP   10.96.0.11   <none>        80/TCP    4s',
    'web-headless   ClusterIP   None         <none>        80/TCP    4s',
  ].join('\n'));
});

test('services: kubectl get svc -o wide adds SELECTOR (§5 golden)', () => {
  assert.equal(render(table('Service', [web, webHeadless]), true), [
    'NAME           TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE   SELECTOR',
    'web            ClusterIP   10.96.0.11   <none>        80/TCP    4s    app=web',
    'web-headless   ClusterIP   None         <none>        80/TCP    4s    app=web',
  ].join('\n'));
});

test('endpoints: kubectl get endpoints (§5 golden)', () => {
  const subsets = [{ addresses: [{ ip: '10.244.0.11' }, { ip: '10.244.0.12' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }];
  const t = table('Endpoints', [
    { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web', 5 * S), subsets },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web-headless', 5 * S), subsets },
  ]);
  assert.equal(render(t), [
    'NAME           ENDPOINTS                           AGE',
    'web            10.244.0.11:8080,10.244.0.12:8080   5s',
    'web-headless   10.244.0.11:8080,10.244.0.12:8080   5s',
  ].join('\n'));
});

test('endpointslices: kubectl get endpointslices (§5 golden)', () => {
  const slice = (name: string): KObject => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta(name, 5 * S), addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.244.0.11'], conditions: { ready: true } }, { addresses: ['10.244.0.12'], conditions: { ready: true } }],
  });
  assert.equal(render(table('EndpointSlice', [slice('web-abcde'), slice('web-headless-abcde')])), [
    'NAME                 ADDRESSTYPE   PORTS   ENDPOINTS                 AGE',
    'web-abcde            IPv4          8080    10.244.0.11,10.244.0.12   5s',
    'web-headless-abcde   IPv4          8080    10.244.0.11,10.244.0.12   5s',
  ].join('\n'));
});

test('statefulsets: kubectl get sts (§5 golden)', () => {
  const sts: KObject = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('web', 6 * S),
    spec: { replicas: 2, serviceName: 'web-headless', template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    status: { replicas: 2, readyReplicas: 2 },
  };
  assert.equal(render(table('StatefulSet', [sts])), ['NAME   READY   AGE', 'web    2/2     6s'].join('\n'));
  assert.deepEqual(table('StatefulSet', [sts]).rows[0].cells, ['web', '2/2', '6s', 'nginx', 'nginx:1.27']);
});

function runningPod(name: string, created: number, ip: string): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: meta(name, created, { labels: { app: 'web' } }),
    spec: { nodeName: 'mock-node', containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    status: {
      phase: 'Running', podIP: ip, podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: ago(created) } } }],
    },
  };
}

test('pods: kubectl get pods -o wide (§5 golden)', () => {
  const t = table('Pod', [runningPod('web-0', 6 * S, '10.244.0.11'), runningPod('web-1', 4 * S, '10.244.0.12')]);
  assert.equal(render(t, true), [
    'NAME    READY   STATUS    RESTARTS   AGE   IP            NODE        NOMINATED NODE   READINESS GATES',
    'web-0   1/1     Running   0          6s    10.244.0.11   mock-node   <none>           <none>',
    'web-1   1/1     Running   0          4s    10.244.0.12   mock-node   <none>           <none>',
  ].join('\n'));
});

// ---------------------------------------------------------------------------------------------
// Table shape (§2.5).

test('table shape: kind, apiVersion, list metadata and column definitions with format name', () => {
  const t = toTable(info('Service'), [web], { now: NOW, includeObject: 'Metadata', listMeta: { resourceVersion: '128', continue: 'abc', remainingItemCount: 3 } });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '128', continue: 'abc', remainingItemCount: 3 });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0], ['Type', 'string', '', 0], ['Cluster-IP', 'string', '', 0], ['External-IP', 'string', '', 0],
    ['Port(s)', 'string', '', 0], ['Age', 'string', '', 0], ['Selector', 'string', '', 1],
  ]);
  for (const c of t.columnDefinitions) assert.ok(c.description.length > 0, c.name);
  assert.ok(t.columnDefinitions[0].description.startsWith('Name must be unique within a namespace.'));
});

test('table shape: empty list metadata fields are left out (ListMeta omitempty)', () => {
  const t = toTable(info('Service'), [], { now: NOW, includeObject: 'Metadata', listMeta: { resourceVersion: '9', continue: '' } });
  assert.deepEqual(t.metadata, { resourceVersion: '9' });
  assert.deepEqual(t.rows, []);
});

test('includeObject=Metadata (default): rows carry PartialObjectMetadata with the whole ObjectMeta', () => {
  const t = toTable(info('Service'), [web], { now: NOW, includeObject: 'Metadata', listMeta: {} });
  assert.deepEqual(t.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: web.metadata });
});

test('includeObject=Metadata with v1beta1 tables: PartialObjectMetadata uses the table group version', () => {
  const t = toTable(info('Service'), [web], { now: NOW, includeObject: 'Metadata', listMeta: {}, groupVersion: 'meta.k8s.io/v1beta1' });
  assert.equal(t.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal((t.rows[0].object as { apiVersion: string }).apiVersion, 'meta.k8s.io/v1beta1');
});

test('includeObject=Object: the full object, with kind and apiVersion filled (kubectl --sort-by)', () => {
  const bare = { metadata: web.metadata, spec: web.spec } as KObject;
  const t = toTable(info('Service'), [bare], { now: NOW, includeObject: 'Object', listMeta: {} });
  assert.deepEqual(t.rows[0].object, { apiVersion: 'v1', kind: 'Service', metadata: web.metadata, spec: web.spec });
});

test('includeObject=None: rows have no object', () => {
  const t = toTable(info('Service'), [web], { now: NOW, includeObject: 'None', listMeta: {} });
  assert.equal('object' in t.rows[0], false);
});

test('parseIncludeObject: empty means Metadata, unknown values are a 400 BadRequest (handlers/response.go)', () => {
  assert.equal(parseIncludeObject(null), 'Metadata');
  assert.equal(parseIncludeObject(''), 'Metadata');
  assert.equal(parseIncludeObject('Object'), 'Object');
  assert.equal(parseIncludeObject('None'), 'None');
  assert.throws(() => parseIncludeObject('Everything'), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'unrecognized includeObject value: "Everything"');
});

test('tableForWatchEvent: one row, the object resourceVersion, optional column definitions (§2.6)', () => {
  const first = tableForWatchEvent(info('Service'), web, { now: NOW, includeObject: 'Metadata' });
  assert.equal(first.rows.length, 1);
  assert.deepEqual(first.metadata, { resourceVersion: '107' });
  assert.equal(first.columnDefinitions.length, 7);
  const later = tableForWatchEvent(info('Service'), web, { now: NOW, includeObject: 'Metadata', withColumns: false });
  assert.deepEqual(later.columnDefinitions, []);
  assert.deepEqual(later.rows[0].cells, first.rows[0].cells);
});

test('every resource in RESOURCES has columns whose count matches its row cells', () => {
  for (const r of RESOURCES) {
    const cols = columnDefinitions(r);
    const t = toTable(r, [{ apiVersion: 'v1', kind: r.kind, metadata: { name: 'x', creationTimestamp: ago(0) } }], { now: NOW, includeObject: 'None', listMeta: {} });
    assert.equal(t.rows[0].cells.length, cols.length, r.kind);
    assert.equal(cols.filter((c) => c.format === 'name').length >= 1, true, r.kind);
  }
});

test('printers never throw on malformed objects (strings where objects belong, nulls)', () => {
  const junk: KObject = { metadata: { name: 'x' }, spec: 'nope', status: null, subsets: 'x', ports: 7, endpoints: [null, 3, { addresses: 'a' }] } as unknown as KObject;
  for (const r of RESOURCES) toTable(r, [junk], { now: NOW, includeObject: 'Metadata', listMeta: {} });
});

// ---------------------------------------------------------------------------------------------
// Cell logic per kind.

function cells(kind: string, o: Record<string, unknown>): unknown[] {
  const full = { apiVersion: 'v1', kind, ...o, metadata: { name: 'x', creationTimestamp: ago(10 * S), ...(o.metadata as object) } } as KObject;
  return toTable(info(kind), [full], { now: NOW, includeObject: 'None', listMeta: {} }).rows[0].cells;
}

const podCases: Array<[string, Record<string, unknown>, unknown[]]> = [
  ['pending with no statuses shows the phase', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } },
    ['x', '0/1', 'Pending', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['status.reason wins over the phase', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Failed', reason: 'Evicted' } },
    ['x', '0/1', 'Evicted', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['waiting reason (ContainerCreating)', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }] } },
    ['x', '0/1', 'ContainerCreating', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['terminated reason and restart counts summed', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [
    { name: 'a', ready: true, restartCount: 3, state: { running: {} } },
    { name: 'b', restartCount: 3, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } },
  ['x', '1/2', 'OOMKilled', '6', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['terminated without reason shows the signal', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { signal: 9, exitCode: 137 } } }] } },
    ['x', '0/1', 'Signal:9', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['terminated without reason or signal shows the exit code', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] } },
    ['x', '0/1', 'ExitCode:2', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['Completed with a running container and Ready condition is Running', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [
    { name: 'a', ready: true, state: { running: {} } }, { name: 'b', state: { terminated: { reason: 'Completed' } } }] } },
  ['x', '1/2', 'Running', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['Completed with a running container but no Ready condition is NotReady', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [
    { name: 'a', ready: true, state: { running: {} } }, { name: 'b', state: { terminated: { reason: 'Completed' } } }] } },
  ['x', '1/2', 'NotReady', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['deletionTimestamp on a running pod is Terminating', { metadata: { deletionTimestamp: ago(1 * S) }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] } },
    ['x', '1/1', 'Terminating', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['deletionTimestamp on a succeeded pod keeps its status', { metadata: { deletionTimestamp: ago(1 * S) }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { reason: 'Completed' } } }] } },
    ['x', '0/1', 'Completed', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['deletionTimestamp with NodeLost is Unknown', { metadata: { deletionTimestamp: ago(1 * S) }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', reason: 'NodeLost' } },
    ['x', '0/1', 'Unknown', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['SchedulingGated condition', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } },
    ['x', '0/1', 'SchedulingGated', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['init container waiting', { spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'ImagePullBackOff' } } }] } },
    ['x', '0/1', 'Init:ImagePullBackOff', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['init container running shows progress', { spec: { initContainers: [{ name: 'i' }, { name: 'j' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [
    { name: 'i', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'j', state: { running: {} } }] } },
  ['x', '0/1', 'Init:1/2', '0', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['init container failed with exit code', { spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', restartCount: 2, state: { terminated: { exitCode: 1 } } }] } },
    ['x', '0/1', 'Init:ExitCode:1', '2', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['restartable init container (sidecar) counts as a container', { spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] }, status: { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 's', ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] } },
  ['x', '2/2', 'Running', '1', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['restarts with last termination time', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [
    { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * M) } } }] } },
  ['x', '1/1', 'Running', '2 (5m ago)', '10s', '<none>', '<none>', '<none>', '<none>']],
  ['wide cells: podIP, node, nominated node, readiness gates 1/2', { spec: { nodeName: 'n1', containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'g1' }, { conditionType: 'g2' }] },
    status: { phase: 'Pending', podIPs: [{ ip: 'fd00::1' }], nominatedNodeName: 'n2', conditions: [{ type: 'g1', status: 'True' }, { type: 'g2', status: 'False' }] } },
  ['x', '0/1', 'Pending', '0', '10s', 'fd00::1', 'n1', 'n2', '1/2']],
];

for (const [name, pod, want] of podCases) {
  test(`pods: ${name} (printPod)`, () => assert.deepEqual(cells('Pod', pod), want));
}

test('pods: Succeeded and Failed rows carry the Completed row condition', () => {
  const t = toTable(info('Pod'), [{ metadata: { name: 'a' }, status: { phase: 'Succeeded' } }, { metadata: { name: 'b' }, status: { phase: 'Failed' } }, { metadata: { name: 'c' }, status: { phase: 'Running' } }], { now: NOW, includeObject: 'None', listMeta: {} });
  assert.deepEqual(t.rows[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  assert.deepEqual(t.rows[1].conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  assert.equal(t.rows[2].conditions, undefined);
});

const serviceCases: Array<[string, Record<string, unknown>, unknown[]]> = [
  ['NodePort ports print port:nodePort', { spec: { type: 'NodePort', clusterIPs: ['10.0.0.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } },
    ['x', 'NodePort', '10.0.0.1', '<none>', '80:30080/TCP,53/UDP', '10s', '<none>']],
  ['ClusterIP with externalIPs', { spec: { type: 'ClusterIP', clusterIPs: ['10.0.0.1'], externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [] } },
    ['x', 'ClusterIP', '10.0.0.1', '1.2.3.4,5.6.7.8', '<none>', '10s', '<none>']],
  ['LoadBalancer without ingress is <pending>', { spec: { type: 'LoadBalancer', clusterIPs: ['10.0.0.1'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } },
    ['x', 'LoadBalancer', '10.0.0.1', '<pending>', '443:31443/TCP', '10s', '<none>']],
  ['LoadBalancer ingress IPs and hostnames, sorted, then externalIPs', { spec: { type: 'LoadBalancer', clusterIPs: ['10.0.0.1'], externalIPs: ['9.9.9.9'] }, status: { loadBalancer: { ingress: [{ ip: '5.5.5.5' }, { hostname: 'lb.example.com' }, { ip: '5.5.5.5' }] } } },
    ['x', 'LoadBalancer', '10.0.0.1', '5.5.5.5,lb.example.com,9.9.9.9', '<none>', '10s', '<none>']],
  ['ExternalName prints the name, no cluster IP', { spec: { type: 'ExternalName', externalName: 'db.example.com' } },
    ['x', 'ExternalName', '<none>', 'db.example.com', '<none>', '10s', '<none>']],
  ['selector labels are sorted', { spec: { type: 'ClusterIP', clusterIPs: ['None'], selector: { tier: 'db', app: 'web' } } },
    ['x', 'ClusterIP', 'None', '<none>', '<none>', '10s', 'app=web,tier=db']],
];
for (const [name, svc, want] of serviceCases) {
  test(`services: ${name} (printService)`, () => assert.deepEqual(cells('Service', svc), want));
}

const endpointsCases: Array<[string, unknown, string]> = [
  ['no subsets', undefined, '<none>'],
  ['more than three addresses', [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }, { port: 81 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...'],
  ['headless without ports lists bare IPs', [{ addresses: [{ ip: '10.0.0.1' }] }], '10.0.0.1'],
  ['IPv6 addresses are bracketed', [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 8080 }] }], '[fd00::1]:8080'],
  ['a subset with only notReadyAddresses prints empty', [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }], ''],
];
for (const [name, subsets, want] of endpointsCases) {
  test(`endpoints: ${name} (formatEndpoints)`, () => assert.deepEqual(cells('Endpoints', { subsets }), ['x', want, '10s']));
}

test('endpointslices: unset ports and endpoints, nil port, more than three (formatDiscoveryPorts/Endpoints)', () => {
  assert.deepEqual(cells('EndpointSlice', { addressType: 'IPv4' }), ['x', 'IPv4', '<unset>', '<unset>', '10s']);
  assert.deepEqual(cells('EndpointSlice', { addressType: 'IPv4', ports: [{ name: 'http' }, {}, { port: 1 }, { port: 2 }], endpoints: [{ addresses: ['a', 'b'] }, { addresses: ['c', 'd', 'e'] }] }),
    ['x', 'IPv4', 'http,*,1 + 1 more...', 'a,b,c + 2 more...', '10s']);
});

test('nodes: status, roles, version and wide cells (printNode)', () => {
  const node = {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'worker' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'kubedisco', containerRuntimeVersion: 'sim://1.0' },
    },
  };
  assert.deepEqual(cells('Node', node), ['x', 'Ready,SchedulingDisabled', 'control-plane,worker', '10s', 'v1.32.4', '192.168.1.10', '<none>', 'kubedisco', '<unknown>', 'sim://1.0']);
  assert.deepEqual(cells('Node', {}), ['x', 'Unknown', '<none>', '10s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.deepEqual(cells('Node', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })[1], 'NotReady');
});

test('namespaces: name, phase, age (printNamespace)', () => {
  assert.deepEqual(cells('Namespace', { status: { phase: 'Active' } }), ['x', 'Active', '10s']);
  assert.deepEqual(cells('Namespace', { status: { phase: 'Terminating' } }), ['x', 'Terminating', '10s']);
});

test('events: kubectl get events columns and Object cell (printEvent)', () => {
  const ev = {
    metadata: { name: 'web.17f0', namespace: 'default' },
    involvedObject: { kind: 'Service', name: 'web', namespace: 'default', fieldPath: 'spec' },
    reason: 'Testing', message: ' hello world\n', type: 'Normal', source: { component: 'mock-controller', host: 'n1' },
    firstTimestamp: ago(2 * M + 3 * S), lastTimestamp: ago(4 * S), count: 3,
  };
  assert.deepEqual(cells('Event', ev), ['4s', 'Normal', 'Testing', 'service/web', 'spec', 'mock-controller, n1', 'hello world', '2m3s', 3, 'web.17f0']);
  const t = toTable(info('Event'), [], { now: NOW, includeObject: 'None', listMeta: {} });
  assert.deepEqual(t.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
  assert.deepEqual(t.columnDefinitions.find((c) => c.name === 'Name'), { ...t.columnDefinitions.at(-1), format: 'name', priority: 1 });
});

test('events: events.k8s.io-style event with eventTime, series and reporting fields (printEvent)', () => {
  const ev = {
    involvedObject: { kind: 'Pod' }, type: 'Warning', reason: 'BackOff', message: 'm',
    eventTime: ago(10 * M), reportingComponent: 'kubelet', reportingInstance: 'n1',
    series: { count: 7, lastObservedTime: ago(30 * S) },
  };
  assert.deepEqual(cells('Event', ev), ['30s', 'Warning', 'BackOff', 'pod', '', 'kubelet, n1', 'm', '10m', 7, 'x']);
  assert.deepEqual(cells('Event', { involvedObject: { kind: 'Node', name: 'n' } }), ['<unknown>', '', '', 'node/n', '', '', '', '<unknown>', 1, 'x']);
});

test('deployments: ready, up-to-date, available, wide containers and selector (printDeployment)', () => {
  const d = {
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
      template: { spec: { containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }] } } },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 1 },
  };
  assert.deepEqual(cells('Deployment', d), ['x', '2/3', 3, 1, '10s', 'a,b', 'img:1,img:2', 'app=web,tier in (a,b)']);
  assert.deepEqual(cells('Deployment', { spec: {} }), ['x', '0/1', 0, 0, '10s', '', '', '']);
  assert.deepEqual(cells('Deployment', { spec: { replicas: 0, selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } }).slice(1, 2), ['0/0']);
  assert.equal(cells('Deployment', { spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } })[7], '<invalid>');
});

test('replicasets: integers and FormatLabelSelector (printReplicaSet)', () => {
  const rs = { spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template: { spec: { containers: [{ name: 'n', image: 'nginx' }] } } }, status: { replicas: 2, readyReplicas: 1 } };
  assert.deepEqual(cells('ReplicaSet', rs), ['x', 2, 2, 1, '10s', 'n', 'nginx', 'app=web,pod-template-hash=abc']);
  assert.deepEqual(cells('ReplicaSet', { spec: { selector: {} } }), ['x', 1, 0, 0, '10s', '', '', '<none>']);
  assert.equal(cells('ReplicaSet', { spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } } })[7], '<error>');
});

test('controllerrevisions: controller kind.group/name and revision (printControllerRevision)', () => {
  const cr = { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }, revision: 3 };
  assert.deepEqual(cells('ControllerRevision', cr), ['x', 'statefulset.apps/web', 3, '10s']);
  assert.deepEqual(cells('ControllerRevision', { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', controller: true }] }, revision: 1 }), ['x', 'pod/p', 1, '10s']);
  assert.deepEqual(cells('ControllerRevision', { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }] }, revision: 1 }), ['x', '<none>', 1, '10s']);
});

test('leases and configmaps (printLease, printConfigMap)', () => {
  assert.deepEqual(cells('Lease', { spec: { holderIdentity: 'kubedisco-1' } }), ['x', 'kubedisco-1', '10s']);
  assert.deepEqual(cells('Lease', { spec: {} }), ['x', '', '10s']);
  assert.deepEqual(cells('ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['x', 3, '10s']);
  assert.deepEqual(cells('ConfigMap', {}), ['x', 0, '10s']);
});

test('a kind without a printer gets the default convertor: Name and Created At (rest.DefaultTableConvertor)', () => {
  const custom: ResourceInfo = { ...info('ConfigMap'), kind: 'Widget', plural: 'widgets' };
  const t = toTable(custom, [{ metadata: { name: 'w', creationTimestamp: '2025-01-02T03:04:05.678Z' } }], { now: NOW, includeObject: 'None', listMeta: {} });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
  assert.deepEqual(t.rows[0].cells, ['w', '2025-01-02T03:04:05Z']);
});
