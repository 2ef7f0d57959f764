// REST client against the fake server on 127.0.0.1:0: request shapes per verb (paths, query, content
// types, bodies), StatusError reconstruction (kubectl-compatibility.md §2.7), Warning headers, keep-alive.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KObject } from '../api/meta.ts';
import { findKind, findResource } from '../api/resources.ts';
import { isAlreadyExists, isGone, isNotFound, StatusError } from '../api/status.ts';
import { ConnectionError } from './errors.ts';
import { configForServer } from './kubeconfig.ts';
import { RestClient, parseWarningHeaders, type PatchType, type Warning } from './rest.ts';
import { FakeApiServer, statusBody } from './testing/fake-apiserver.ts';

const services = findResource('', 'v1', 'services')!;
const statefulsets = findResource('apps', 'v1', 'statefulsets')!;
const nodes = findKind('v1', 'Node')!;

let srv: FakeApiServer;
let rest: RestClient;
const warnings: Warning[] = [];

before(async () => {
  srv = await FakeApiServer.start();
  rest = new RestClient(configForServer(srv.url, { token: 'sekret' }), { userAgent: 'kubedisco-test/0', onWarning: (w) => warnings.push(w) });
});
after(async () => {
  rest.close();
  await srv.close();
});

function last() {
  return srv.requests[srv.requests.length - 1];
}

test('get: core namespaced path, bearer token, user agent, Accept JSON', async () => {
  srv.reply('GET', '/api/v1/namespaces/default/services/web', 200, { kind: 'Service', metadata: { name: 'web' } });
  const svc = await rest.resource(services, 'default').get('web');
  assert.equal(svc.metadata.name, 'web');
  const r = last();
  assert.equal(r.headers.authorization, 'Bearer sekret');
  assert.equal(r.headers['user-agent'], 'kubedisco-test/0');
  assert.equal(r.headers.accept, 'application/json');
});

test('list: group path and every list option in the query', async () => {
  srv.reply('GET', '/apis/apps/v1/namespaces/ns1/statefulsets', 200, { kind: 'StatefulSetList', apiVersion: 'apps/v1', metadata: { resourceVersion: '7' }, items: [] });
  const l = await rest.resource(statefulsets, 'ns1').list({ labelSelector: 'app=web,tier in (a,b)', fieldSelector: 'metadata.name=web', limit: 500, continue: 'tok', resourceVersion: '0' });
  assert.equal(l.metadata.resourceVersion, '7');
  const q = last().query;
  assert.equal(q.get('labelSelector'), 'app=web,tier in (a,b)');
  assert.equal(q.get('fieldSelector'), 'metadata.name=web');
  assert.equal(q.get('limit'), '500');
  assert.equal(q.get('continue'), 'tok');
  assert.equal(q.get('resourceVersion'), '0');
});

test('list: all namespaces when the client has none; cluster-scoped ignores a namespace', async () => {
  srv.reply('GET', '/api/v1/services', 200, { kind: 'ServiceList', metadata: {}, items: [] });
  srv.reply('GET', '/api/v1/nodes', 200, { kind: 'NodeList', metadata: {}, items: [] });
  await rest.resource(services).list();
  assert.equal(last().path, '/api/v1/services');
  await rest.resource(nodes, 'ignored').list();
  assert.equal(last().path, '/api/v1/nodes');
});

test('create: POST to the object namespace with apiVersion/kind filled in, write options in the query', async () => {
  srv.on('POST', '/apis/apps/v1/namespaces/ns2/statefulsets', (req, res) => { res.writeHead(201, { 'Content-Type': 'application/json' }); res.end(req.body); });
  const created = await rest.resource(statefulsets).create({ metadata: { name: 'web', namespace: 'ns2' }, spec: { replicas: 1 } }, { fieldManager: 'kubedisco', dryRun: true });
  assert.equal(created.apiVersion, 'apps/v1');
  assert.equal(created.kind, 'StatefulSet');
  const r = last();
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.query.get('fieldManager'), 'kubedisco');
  assert.deepEqual(r.query.getAll('dryRun'), ['All']);
});

test('create without any namespace for a namespaced resource is refused client-side', async () => {
  await assert.rejects(() => rest.resource(services).create({ metadata: { name: 'x' } }), /namespace is required/);
});

test('update and updateStatus: PUT to the object and to /status', async () => {
  const echo = (code: number) => (req: { body: string }, res: http.ServerResponse) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(req.body); };
  srv.on('PUT', '/api/v1/namespaces/default/services/web', echo(200));
  srv.on('PUT', '/api/v1/namespaces/default/services/web/status', echo(200));
  const svc: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', resourceVersion: '3' } };
  await rest.resource(services).update(svc);
  assert.equal(last().path, '/api/v1/namespaces/default/services/web');
  assert.equal(JSON.parse(last().body).metadata.resourceVersion, '3');
  await rest.resource(services, 'default').updateStatus(svc);
  assert.equal(last().path, '/api/v1/namespaces/default/services/web/status');
});

const patchCases: Array<{ type: PatchType; ct: string }> = [
  { type: 'merge', ct: 'application/merge-patch+json' },
  { type: 'json', ct: 'application/json-patch+json' },
  { type: 'strategic', ct: 'application/strategic-merge-patch+json' },
  { type: 'apply', ct: 'application/apply-patch+yaml' },
];
for (const tc of patchCases) {
  test(`patch ${tc.type}: Content-Type ${tc.ct}`, async () => {
    srv.reply('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web', 200, { kind: 'StatefulSet', metadata: { name: 'web' } });
    await rest.resource(statefulsets, 'default').patch('web', tc.type, { spec: { replicas: 2 } }, { fieldManager: 'mgr', force: true });
    const r = last();
    assert.equal(r.headers['content-type'], tc.ct);
    assert.deepEqual(JSON.parse(r.body), { spec: { replicas: 2 } });
    assert.equal(r.query.get('force'), tc.type === 'apply' ? 'true' : null);
  });
}

test('patch: apply without fieldManager is refused; subresource patches go to the subresource', async () => {
  await assert.rejects(() => rest.resource(statefulsets, 'default').patch('web', 'apply', {}), /fieldManager is required/);
  srv.reply('PATCH', '/apis/apps/v1/namespaces/default/statefulsets/web/status', 200, { kind: 'StatefulSet', metadata: { name: 'web' } });
  await rest.resource(statefulsets, 'default').patch('web', 'merge', { status: { replicas: 1 } }, { subresource: 'status' });
  assert.equal(last().path, '/apis/apps/v1/namespaces/default/statefulsets/web/status');
});

test('delete: DeleteOptions in the body; a Success Status comes back as is', async () => {
  srv.reply('DELETE', '/api/v1/namespaces/default/services/web', 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'web', kind: 'services' } });
  const r = await rest.resource(services, 'default').delete('web', { propagationPolicy: 'Background', preconditions: { uid: 'u1' } });
  assert.equal((r as { status?: string }).status, 'Success');
  assert.deepEqual(JSON.parse(last().body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', preconditions: { uid: 'u1' } });
});

test('getScale / updateScale: the /scale subresource with an autoscaling/v1 Scale body', async () => {
  const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', resourceVersion: '4' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } };
  srv.reply('GET', '/apis/apps/v1/namespaces/default/statefulsets/web/scale', 200, scale);
  srv.on('PUT', '/apis/apps/v1/namespaces/default/statefulsets/web/scale', (req, res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(req.body); });
  const sts = rest.resource(statefulsets, 'default');
  const got = await sts.getScale('web');
  assert.equal(got.status?.selector, 'app=web');
  const updated = await sts.updateScale('web', { metadata: { resourceVersion: '4' }, spec: { replicas: 5 } });
  assert.deepEqual(JSON.parse(last().body), { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { resourceVersion: '4', name: 'web', namespace: 'default' }, spec: { replicas: 5 } });
  assert.equal(updated.spec.replicas, 5);
});

test('errors: a metav1.Status body becomes the same StatusError (NotFound)', async () => {
  srv.reply('GET', '/api/v1/namespaces/default/services/nosuch', 404, statusBody(404, 'NotFound', 'services "nosuch" not found', { name: 'nosuch', kind: 'services' }));
  await assert.rejects(() => rest.resource(services, 'default').get('nosuch'), (e: unknown) => {
    assert.ok(e instanceof StatusError);
    assert.equal(isNotFound(e), true);
    assert.equal(e.message, 'services "nosuch" not found');
    assert.deepEqual(e.details, { name: 'nosuch', kind: 'services' });
    return true;
  });
});

const genericCases: Array<{ name: string; method: 'GET' | 'POST'; code: number; body: string; ct: string; reason: string; message: string }> = [
  {
    name: 'text 404 (kubectl: the server could not find the requested resource (get services nosuch))',
    method: 'GET', code: 404, body: '404 page not found\n', ct: 'text/plain', reason: 'NotFound',
    message: 'the server could not find the requested resource (get services nosuch)',
  },
  { name: 'bare 409 on POST is AlreadyExists', method: 'POST', code: 409, body: '', ct: 'text/plain', reason: 'AlreadyExists', message: 'the server reported a conflict (post services nosuch)' },
  {
    name: 'text 500 keeps the server text, quoted',
    method: 'GET', code: 500, body: 'boom "x"', ct: 'text/plain', reason: 'InternalError',
    message: 'an error on the server ("boom \\"x\\"") has prevented the request from succeeding (get services nosuch)',
  },
  {
    name: 'non-text 503 says unknown',
    method: 'GET', code: 503, body: '<html/>', ct: 'application/octet-stream', reason: 'ServiceUnavailable',
    message: 'the server is currently unable to handle the request (get services nosuch)',
  },
];
for (const tc of genericCases) {
  test(`errors: NewGenericServerResponse for ${tc.name}`, async () => {
    const path = '/api/v1/namespaces/gen/services' + (tc.method === 'GET' ? '/nosuch' : '');
    srv.on(tc.method, path, (_req, res) => { res.writeHead(tc.code, { 'Content-Type': tc.ct }); res.end(tc.body); });
    const client = rest.resource(services, 'gen');
    const call = tc.method === 'GET' ? () => client.get('nosuch') : () => client.create({ metadata: { name: 'nosuch' } });
    await assert.rejects(call, (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, tc.code);
      assert.equal(e.reason, tc.reason);
      assert.equal(e.message, tc.message);
      assert.equal(e.details?.causes?.[0]?.reason, 'UnexpectedServerResponse');
      return true;
    });
    if (tc.code === 409) assert.equal(isAlreadyExists(await call().catch((e) => e)), true);
  });
}

test('Warning headers reach the callback, one entry each, unescaped', async () => {
  warnings.length = 0;
  srv.on('GET', '/api/v1/namespaces/default/services/warned', (_req, res) => {
    res.setHeader('Warning', ['299 - "unknown field \\"spec.foo\\""', '299 - "a, b", 299 kube-apiserver "second"']);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"metadata":{"name":"warned"}}');
  });
  await rest.resource(services, 'default').get('warned');
  assert.deepEqual(warnings, [
    { code: 299, agent: '-', text: 'unknown field "spec.foo"' },
    { code: 299, agent: '-', text: 'a, b' },
    { code: 299, agent: 'kube-apiserver', text: 'second' },
  ]);
});

test('parseWarningHeaders: dates are skipped, malformed entries stop parsing', () => {
  assert.deepEqual(parseWarningHeaders(['299 - "x" "Sat, 25 Aug 2012 23:34:45 GMT", 199 agent "y"']), [
    { code: 299, agent: '-', text: 'x' },
    { code: 199, agent: 'agent', text: 'y' },
  ]);
  assert.deepEqual(parseWarningHeaders(['29 - "short code"']), []);
  assert.deepEqual(parseWarningHeaders(['299 - "ok", garbage']), [{ code: 299, agent: '-', text: 'ok' }]);
});

test('keep-alive: sequential requests reuse one connection', async () => {
  srv.reply('GET', '/api/v1/namespaces/ka/services/x', 200, { metadata: { name: 'x' } });
  const c = new RestClient(configForServer(srv.url));
  const n = srv.requests.length;
  for (let i = 0; i < 3; i++) await c.resource(services, 'ka').get('x');
  const ports = new Set(srv.requests.slice(n).map((r) => r.remotePort));
  assert.equal(ports.size, 1);
  c.close();
});

test('server URL path prefix and basic auth', async () => {
  srv.reply('GET', '/prefix/api/v1/namespaces/default/services/p', 200, { metadata: { name: 'p' } });
  const c = new RestClient({ server: `${srv.url}/prefix/`, namespace: 'default', tls: {}, auth: { username: 'u', password: 'p' } });
  await c.resource(services, 'default').get('p');
  assert.equal(last().path, '/prefix/api/v1/namespaces/default/services/p');
  assert.equal(last().headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  c.close();
});

test('watch: the query carries watch=true and options; a bare 410 rejects with a gone StatusError', async () => {
  srv.reply('GET', '/api/v1/namespaces/w/services', 410, statusBody(410, 'Gone', 'too old resource version: 1 (50)'));
  await assert.rejects(() => rest.resource(services, 'w').watch({ resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 300 }), (e: unknown) => {
    assert.equal(isGone(e), true);
    return true;
  });
  const q = last().query;
  assert.equal(q.get('watch'), 'true');
  assert.equal(q.get('allowWatchBookmarks'), 'true');
  assert.equal(q.get('timeoutSeconds'), '300');
  assert.equal(q.get('resourceVersion'), '1');
});

test('connection refused is a ConnectionError with code ECONNREFUSED', async () => {
  const tmp = http.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  const port = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
  const c = new RestClient(configForServer(`http://127.0.0.1:${port}`));
  await assert.rejects(() => c.resource(services, 'default').get('x'), (e: unknown) => e instanceof ConnectionError && e.code === 'ECONNREFUSED');
  c.close();
});
