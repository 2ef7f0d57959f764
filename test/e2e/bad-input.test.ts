// Bad input gets a clear metav1.Status, never a crash, and leaves nothing half-written (issue 2).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { cleanup, http, startKubedisco, type Kubedisco } from './harness.ts';

let k: Kubedisco;
before(async () => { k = await startKubedisco(); });
after(async () => { await k.stop(); cleanup(k); });

const SVC = '/api/v1/namespaces/default/services';

function rawRequest(k: Kubedisco, text: string, holdMs = 50): Promise<void> {
  const { hostname, port } = new URL(k.apiURL);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname, () => {
      s.write(text);
      setTimeout(() => { s.destroy(); resolve(); }, holdMs);
    });
    s.on('error', () => resolve());
  });
}

describe('bad input (issue 2)', () => {
  const cases: Array<{ name: string; method: string; path: string; body?: string | Buffer; headers?: Record<string, string>; status: number; reason: string; message?: RegExp }> = [
    { name: 'malformed JSON is 400 BadRequest', method: 'POST', path: SVC, body: '{"apiVersion":"v1",', status: 400, reason: 'BadRequest', message: /json parse error/ },
    { name: 'malformed YAML is 400 BadRequest', method: 'POST', path: SVC, body: 'a: [b\n c: :', headers: { 'Content-Type': 'application/yaml' }, status: 400, reason: 'BadRequest' },
    { name: 'a body that is not an object is 400', method: 'POST', path: SVC, body: '[1,2]', status: 400, reason: 'BadRequest' },
    { name: 'a wrong content type is 415 UnsupportedMediaType', method: 'POST', path: SVC, body: 'x', headers: { 'Content-Type': 'text/plain' }, status: 415, reason: 'UnsupportedMediaType' },
    { name: 'an unknown patch type is 415', method: 'PATCH', path: `${SVC}/kubernetes`, body: '{}', headers: { 'Content-Type': 'application/x-whatever' }, status: 415, reason: 'UnsupportedMediaType' },
    { name: 'a body over 3 MiB is 413 RequestEntityTooLarge', method: 'POST', path: SVC, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'x'.repeat(3 * 1024 * 1024) } }), status: 413, reason: 'RequestEntityTooLarge', message: /limit is 3145728/ },
    { name: 'an unknown resource is 404 NotFound', method: 'GET', path: '/api/v1/namespaces/default/widgets', status: 404, reason: 'NotFound', message: /the server could not find the requested resource/ },
    { name: 'an unknown API group is 404', method: 'GET', path: '/apis/nosuch.io/v1/things', status: 404, reason: 'NotFound' },
    { name: 'a DNS-1035-breaking Service name is 422 Invalid', method: 'POST', path: SVC, body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'Bad_Name' }, spec: { ports: [{ port: 80 }] } }), status: 422, reason: 'Invalid', message: /DNS-1035 label/ },
    { name: 'a DNS-1123-breaking namespace name is 422 Invalid', method: 'POST', path: '/api/v1/namespaces', body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'UPPER.case' } }), status: 422, reason: 'Invalid', message: /RFC 1123 label/ },
    { name: 'a mismatched apiVersion is 400', method: 'POST', path: SVC, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Service', metadata: { name: 'x' } }), status: 400, reason: 'BadRequest' },
    { name: 'garbage protobuf is 400', method: 'POST', path: '/api/v1/namespaces', body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff]), headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' }, status: 400, reason: 'BadRequest' },
    { name: 'a bad label selector is 400', method: 'GET', path: `${SVC}?labelSelector=${encodeURIComponent('a in (')}`, status: 400, reason: 'BadRequest' },
    { name: 'an unsupported field selector is 400', method: 'GET', path: `${SVC}?fieldSelector=status.phase%3Dx`, status: 400, reason: 'BadRequest', message: /field label not supported: status.phase/ },
    { name: 'a stale resourceVersion on update is 409 Conflict', method: 'PUT', path: `${SVC}/kubernetes`, body: JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', resourceVersion: '1' }, spec: { ports: [{ port: 443 }] } }), status: 409, reason: 'Conflict', message: /the object has been modified; please apply your changes to the latest version and try again/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const r = await http(k, c.method, c.path, c.body, c.headers);
      assert.equal(r.status, c.status, r.text);
      assert.equal(r.json?.kind, 'Status', r.text);
      assert.equal(r.json.reason, c.reason);
      assert.equal(r.json.code, c.status);
      if (c.message) assert.match(r.json.message, c.message);
    });
  }

  test('nothing half-written: the rejected objects do not exist', async () => {
    for (const name of ['big', 'Bad_Name', 'x']) {
      const r = await http(k, 'GET', `/api/v1/namespaces/default/configmaps/${name}`);
      assert.equal(r.status, 404);
    }
  });

  test('clients that disconnect mid-request or mid-watch do not hurt the server', async () => {
    // A body cut off half way.
    await rawRequest(k, `POST ${SVC} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVersion":"v1"`);
    // Watches dropped at once, in the middle of their initial events.
    for (let i = 0; i < 20; i++) await rawRequest(k, `GET ${SVC}?watch=true HTTP/1.1\r\nHost: x\r\n\r\n`, 5);
    // Garbage that is not HTTP at all.
    await rawRequest(k, '\x00\x01\x02 not http\r\n\r\n');
    const health = await http(k, 'GET', '/readyz');
    assert.equal(health.status, 200);
    assert.equal(health.text, 'ok');
    const list = await http(k, 'GET', SVC);
    assert.equal(list.status, 200);
  });
});
