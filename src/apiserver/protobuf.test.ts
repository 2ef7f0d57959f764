// Protobuf request bodies (kubectl-compatibility.md §0 item 2, §2.8). The CAPTURED bodies are the exact bytes
// kubectl 1.32.5 sent for the commands named (recorded against a loopback mock); each must decode to the same
// object `kubectl create ... --dry-run=client -o json` prints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, apiVersionOf } from '../api/resources.ts';
import { StatusError } from '../api/status.ts';
import { PROTOBUF_KINDS, decodeProtobufObject, protobufSchema } from './protobuf.ts';
import { mulberry32 } from '../util/prng.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

const CAPTURED: Array<[string, string, unknown]> = [
  ['kubectl create namespace foo', '6b3873000a0f0a02763112094e616d657370616365121b0a130a03666f6f12001a0022002a0032003800420012001a020a001a002200',
    { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'foo', creationTimestamp: null }, spec: {}, status: {} }],
  ['kubectl create deployment web --image=nginx:1.27 --replicas=0 --port=8080', '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412be010a1f0a0377656212001a0022002a003200380042005a0a0a036170701203776562128c010800120c0a0a0a0361707012037765621a720a1c0a0012001a0022002a003200380042005a0a0a036170701203776562125212340a056e67696e78120a6e67696e783a312e32372a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
    { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], resources: {} }] } }, strategy: {} }, status: {} }],
  ['kubectl create service clusterip web --tcp=80:8080', '6b3873000a0d0a02763112075365727669636512690a1f0a0377656212001a0022002a003200380042005a0a0a03617070120377656212420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200',
    { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } }, spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' }, status: { loadBalancer: {} } }],
  ['kubectl create configmap cfg --from-literal=a=1 --from-literal=b=two', '6b3873000a0f0a0276311209436f6e6669674d617012270a130a0363666712001a0022002a0032003800420012060a016112013112080a0162120374776f1a002200',
    { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cfg', creationTimestamp: null }, data: { a: '1', b: 'two' } }],
  ['kubectl create service clusterip hl --clusterip=None', '6b3873000a0d0a027631120753657276696365124d0a1d0a02686c12001a0022002a003200380042005a090a036170701202686c122812090a036170701202686c1a044e6f6e652209436c757374657249503a00420052005a00600068001a020a001a002200',
    { kind: 'Service', apiVersion: 'v1', metadata: { name: 'hl', creationTimestamp: null, labels: { app: 'hl' } }, spec: { selector: { app: 'hl' }, clusterIP: 'None', type: 'ClusterIP' }, status: { loadBalancer: {} } }],
];

for (const [cmd, body, want] of CAPTURED) {
  test(`captured body decodes like the JSON kubectl would send: ${cmd}`, () => {
    assert.deepEqual(decodeProtobufObject(hex(body)), want);
  });
}

// ---------------------------------------------------------------------------------------------
// A tiny protobuf encoder for hand-built cases.

type Bytes = Uint8Array;
const cat = (...parts: Bytes[]): Bytes => Uint8Array.from(Buffer.concat(parts));
function varint(v: number | bigint): Bytes {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return Uint8Array.from(out);
}
const key = (num: number, wire: number) => varint((num << 3) | wire);
const bytesField = (num: number, b: Bytes) => cat(key(num, 2), varint(b.length), b);
const str = (num: number, s: string) => bytesField(num, Buffer.from(s, 'utf8'));
const msg = (num: number, ...parts: Bytes[]) => bytesField(num, cat(...parts));
const int = (num: number, v: number | bigint) => cat(key(num, 0), varint(v));
const entry = (num: number, k: string, v: Bytes | string) => msg(num, str(1, k), typeof v === 'string' ? str(2, v) : v);
const MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
/** k8s\0 + runtime.Unknown{typeMeta, raw, contentEncoding "", contentType ""}. */
const envelope = (apiVersion: string, kind: string, raw: Bytes, extra: Bytes[] = [str(3, ''), str(4, '')]) =>
  cat(MAGIC, msg(1, str(1, apiVersion), str(2, kind)), bytesField(2, raw), ...extra);
/** ObjectMeta the way gogo writes it: every non-pointer scalar, even when empty. */
const objectMeta = (name: string, ...more: Bytes[]) => msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), bytesField(8, new Uint8Array(0)), ...more);

test('tiny encoder reproduces the §2.8 bytes of kubectl create namespace foo', () => {
  const ns = cat(objectMeta('foo'), bytesField(2, new Uint8Array(0)), msg(3, str(1, '')));
  const body = envelope('v1', 'Namespace', ns);
  assert.equal(Buffer.from(body).toString('hex'), CAPTURED[0][1]);
  assert.ok(Buffer.from(body).toString('hex').startsWith('6b3873000a0f0a0276311209' + '4e616d657370616365' + '121b0a130a03666f6f'));
});

function decode(apiVersion: string, kind: string, ...fields: Bytes[]) {
  return decodeProtobufObject(envelope(apiVersion, kind, cat(...fields))) as Record<string, any>;
}

test('ObjectMeta: name, generateName, namespace, labels, annotations, ownerReferences, finalizers, times', () => {
  const o = decode('v1', 'ConfigMap', msg(1,
    str(1, 'n'), str(2, 'gen-'), str(3, 'ns'), str(5, 'uid-1'), str(6, '42'), int(7, 3),
    msg(8, int(1, 1735689600), int(2, 123456789)),
    int(10, 0),
    entry(11, 'app', 'web'), entry(11, 'tier', 'db'), entry(12, 'note', 'x'),
    msg(13, str(1, 'StatefulSet'), str(3, 'web'), str(4, 'u2'), str(5, 'apps/v1'), int(6, 1), int(7, 0)),
    str(14, 'a/b'), str(14, 'c'),
  ));
  assert.deepEqual(o.metadata, {
    name: 'n', generateName: 'gen-', namespace: 'ns', uid: 'uid-1', resourceVersion: '42', generation: 3,
    creationTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 0,
    labels: { app: 'web', tier: 'db' }, annotations: { note: 'x' },
    ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: 'u2', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
    finalizers: ['a/b', 'c'],
  });
});

test('pointer fields keep their zero values; non-pointer zeros are omitted (omitempty)', () => {
  const d = decode('apps/v1', 'Deployment', objectMeta('d'), msg(2, int(1, 0), int(6, 0), int(5, 0), int(7, 0)));
  assert.deepEqual(d.spec, { replicas: 0, revisionHistoryLimit: 0 });
  const es = decode('discovery.k8s.io/v1', 'EndpointSlice', objectMeta('s'), str(4, 'IPv4'),
    msg(2, str(1, '10.0.0.1'), msg(2, int(1, 0), int(2, 1))), msg(3, str(1, ''), str(2, 'TCP'), int(3, 8080)));
  assert.deepEqual(es.endpoints, [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true } }]);
  assert.deepEqual(es.ports, [{ name: '', protocol: 'TCP', port: 8080 }]);
});

test('special types: IntOrString, Quantity maps, MicroTime, bytes as base64, RawExtension, negative int64', () => {
  const svc = decode('v1', 'Service', objectMeta('s'), msg(2, msg(1, str(1, 'http'), int(3, 80), msg(4, int(1, 1), int(2, 0), str(3, 'web')))));
  assert.deepEqual(svc.spec.ports, [{ name: 'http', port: 80, targetPort: 'web' }]);
  const pod = decode('v1', 'Pod', objectMeta('p'), msg(2,
    msg(2, str(1, 'c'), msg(8, entry(1, 'cpu', msg(2, str(1, '100m'))), entry(2, 'memory', msg(2, str(1, '64Mi'))))),
    int(4, -1)));
  assert.deepEqual(pod.spec, { containers: [{ name: 'c', resources: { limits: { cpu: '100m' }, requests: { memory: '64Mi' } } }], terminationGracePeriodSeconds: -1 });
  const lease = decode('coordination.k8s.io/v1', 'Lease', objectMeta('l'), msg(2, str(1, 'me'), int(2, 15), msg(4, int(1, 1735689600), int(2, 5000))));
  assert.deepEqual(lease.spec, { holderIdentity: 'me', leaseDurationSeconds: 15, renewTime: '2025-01-01T00:00:00.000005Z' });
  const cm = decode('v1', 'ConfigMap', objectMeta('c'), entry(3, 'bin', bytesField(2, Uint8Array.of(0, 1, 2))), int(4, 0));
  assert.deepEqual(cm.binaryData, { bin: 'AAEC' });
  assert.equal(cm.immutable, false);
  const cr = decode('apps/v1', 'ControllerRevision', objectMeta('r'), msg(2, bytesField(1, Buffer.from('{"spec":{"x":1}}'))), int(3, 7));
  assert.deepEqual([cr.data, cr.revision], [{ spec: { x: 1 } }, 7]);
});

test('inlined structs (Volume.volumeSource, Probe.handler) land in their parent, as Go json inline does', () => {
  const pod = decode('v1', 'Pod', objectMeta('p'), msg(2,
    msg(1, str(1, 'data'), msg(2, msg(2, str(1, 'Memory')))),
    msg(2, str(1, 'c'), msg(11, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 0), int(2, 8080)))), int(4, 5)))));
  assert.deepEqual(pod.spec.volumes, [{ name: 'data', emptyDir: { medium: 'Memory' } }]);
  assert.deepEqual(pod.spec.containers[0].readinessProbe, { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 });
});

test('packed and unpacked repeated integers both decode', () => {
  const packed = bytesField(4, cat(varint(1000), varint(2000)));
  const pod = decode('v1', 'Pod', objectMeta('p'), msg(2, msg(14, packed, int(4, 3000))));
  assert.deepEqual(pod.spec.securityContext, { supplementalGroups: [1000, 2000, 3000] });
});

test('proto merge semantics: a repeated embedded message merges, a repeated scalar overrides', () => {
  const o = decode('v1', 'ConfigMap', msg(1, str(1, 'a'), entry(11, 'x', '1')), msg(1, str(1, 'b'), entry(11, 'y', '2')));
  assert.deepEqual(o.metadata, { name: 'b', labels: { x: '1', y: '2' } });
});

test('unknown fields are skipped, as kube generated unmarshalers do (fields from newer clients)', () => {
  const o = decode('v1', 'Namespace', objectMeta('n', str(99, 'future'), int(98, 5)), int(50, 1), cat(key(51, 1), new Uint8Array(8)), cat(key(52, 5), new Uint8Array(4)));
  assert.deepEqual(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', creationTimestamp: null } });
});

test('every kind kubedisco serves has a protobuf root and the schema resolves', () => {
  const schema = protobufSchema();
  for (const r of RESOURCES) {
    const root = PROTOBUF_KINDS[`${apiVersionOf(r)}/${r.kind}`];
    assert.ok(root, r.kind);
    assert.ok(schema.get(root)?.get(1)?.name === 'metadata', r.kind);
    const o = decodeProtobufObject(envelope(apiVersionOf(r), r.kind, objectMeta('x')));
    assert.equal(o.kind, r.kind);
    assert.equal(o.metadata.name, 'x');
  }
});

// ---------------------------------------------------------------------------------------------
// Errors.

function rejects(body: Bytes, code: number, message: string | RegExp) {
  assert.throws(() => decodeProtobufObject(body), (e: unknown) => {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

const errorCases: Array<[string, Bytes, number, string | RegExp]> = [
  ['empty body', new Uint8Array(0), 400, 'the object provided is unrecognized: empty data (<empty>)'],
  ['JSON sent as protobuf', Buffer.from('{"kind":"Namespace"}'), 400, 'the object provided is unrecognized: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Namespace"})'],
  ['magic only', MAGIC, 400, 'the object provided is unrecognized: empty body (6b387300)'],
  ['truncated envelope', hex(CAPTURED[0][1]).subarray(0, 20), 400, /^the object provided is unrecognized: unexpected EOF \(6b3873000a0f/],
  ['truncated object', (() => { const b = hex(CAPTURED[1][1]); return cat(MAGIC, msg(1, str(1, 'apps/v1'), str(2, 'Deployment')), cat(key(2, 2), varint(50), b.subarray(40, 60))); })(), 400, /unexpected EOF/],
  ['object cut inside a field', envelope('v1', 'Namespace', cat(key(1, 2), varint(5), Uint8Array.of(0x0a, 0x09, 0x66))), 400, 'Namespace in version "v1" cannot be handled as a Namespace: unexpected EOF'],
  ['wrong wire type for a known field', envelope('v1', 'Namespace', int(1, 5)), 400, 'Namespace in version "v1" cannot be handled as a Namespace: proto: wrong wireType = 0 for field Metadata'],
  ['field number zero', envelope('v1', 'Namespace', Uint8Array.of(0x02, 0x00)), 400, 'Namespace in version "v1" cannot be handled as a Namespace: proto: Namespace: illegal tag 0 (wire type 2)'],
  ['end-group wire type', envelope('v1', 'Namespace', Uint8Array.of(0x0c)), 400, 'Namespace in version "v1" cannot be handled as a Namespace: proto: Namespace: wiretype end group for non-group'],
  ['start-group wire type on an unknown field', envelope('v1', 'Namespace', Uint8Array.of(0xfb, 0x01)), 400, /proto: groups are not supported/],
  ['illegal wire type 7', envelope('v1', 'Namespace', Uint8Array.of(0xff, 0x01)), 400, /proto: illegal wireType 7/],
  ['varint longer than 10 bytes', envelope('v1', 'Namespace', cat(key(50, 0), new Uint8Array(10).fill(0xff), Uint8Array.of(1))), 400, /proto: integer overflow/],
  ['negative length', envelope('v1', 'Namespace', cat(key(1, 2), varint(-1n))), 400, /proto: negative length found during unmarshaling/],
  ['a time outside years 0..9999', envelope('v1', 'Namespace', msg(1, msg(8, int(1, 400_000_000_000n)))), 400, /Time.MarshalJSON: year outside of range \[0,9999\]/],
  ['an IntOrString with an impossible type', envelope('v1', 'Service', msg(2, msg(1, msg(4, int(1, 7))))), 400, /impossible IntOrString.Type/],
  ['a RawExtension that is not JSON', envelope('apps/v1', 'ControllerRevision', msg(2, str(1, 'not json'))), 400, /RawExtension is not valid JSON/],
  ['no kind in the envelope', cat(MAGIC, msg(1, str(1, 'v1')), bytesField(2, new Uint8Array(0))), 400, /^Object 'Kind' is missing in '6b387300/],
  ['a kind kubedisco has no schema for', envelope('v1', 'Secret', objectMeta('s')), 415, 'kubedisco cannot decode protobuf bodies of v1, Kind=Secret; send the object as JSON instead (for example: kubectl create -f <file>.yaml)'],
  ['a known kind in an unserved version', envelope('apps/v1beta2', 'Deployment', objectMeta('d')), 415, /Kind=Deployment; send the object as JSON/],
  ['a compressed envelope', envelope('v1', 'Namespace', objectMeta('n'), [str(3, 'gzip')]), 415, /contentEncoding "gzip"/],
  ['a foreign content type in the envelope', envelope('v1', 'Namespace', objectMeta('n'), [str(4, 'application/json')]), 415, /contentType "application\/json"/],
];
for (const [name, body, code, message] of errorCases) {
  test(`rejects ${name} with ${code}`, () => rejects(body, code, message));
}

// ---------------------------------------------------------------------------------------------
// Fuzzing: random and mutated inputs only ever produce an object or a 400/415 StatusError.


function check(body: Bytes): 'ok' | 'rejected' {
  try {
    const o = decodeProtobufObject(body);
    assert.equal(typeof o.kind, 'string');
    assert.equal(typeof o.metadata, 'object');
    JSON.stringify(o);
    return 'ok';
  } catch (e) {
    if (!(e instanceof StatusError) || (e.code !== 400 && e.code !== 415)) throw new Error(`unexpected error for ${Buffer.from(body).toString('hex')}: ${String(e)}`);
    return 'rejected';
  }
}

test('fuzz: 3000 random byte strings, half with the k8s magic', () => {
  const rand = mulberry32(1);
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(rand() * 64);
    const b = new Uint8Array(len);
    for (let j = 0; j < len; j++) b[j] = Math.floor(rand() * 256);
    check(i % 2 === 0 ? cat(MAGIC, b) : b);
  }
});

test('fuzz: 6000 mutations of the captured kubectl bodies (flips, cuts, inserts, splices)', () => {
  const rand = mulberry32(2);
  const seeds = CAPTURED.map(([, h]) => hex(h));
  const counts = { ok: 0, rejected: 0 };
  for (let i = 0; i < 6000; i++) {
    const b = Uint8Array.from(seeds[i % seeds.length]);
    let m: Bytes = b;
    const edits = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < edits; k++) {
      const pos = 4 + Math.floor(rand() * Math.max(1, m.length - 4));
      switch (Math.floor(rand() * 5)) {
        case 0: m[pos % m.length] ^= 1 << Math.floor(rand() * 8); break;
        case 1: m = m.subarray(0, pos); break;
        case 2: m = cat(m.subarray(0, pos), Uint8Array.of(Math.floor(rand() * 256)), m.subarray(pos)); break;
        case 3: m[pos % m.length] = [0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12][Math.floor(rand() * 6)]; break;
        default: { const other = seeds[Math.floor(rand() * seeds.length)]; const at = Math.floor(rand() * other.length); m = cat(m.subarray(0, pos), other.subarray(at)); }
      }
      if (m.length === 0) break;
    }
    counts[check(Uint8Array.from(m))]++;
  }
  // The mutations exercise both paths (so the fuzz is not just rejecting at the magic check).
  assert.ok(counts.ok > 100 && counts.rejected > 100, JSON.stringify(counts));
});

test('the schema is acyclic, so decoding recursion is bounded by its depth', () => {
  const schema = protobufSchema();
  const state = new Map<string, 1 | 2>();
  let maxDepth = 0;
  const dfs = (name: string, depth: number) => {
    const fields = schema.get(name);
    if (!fields) return;
    assert.notEqual(state.get(name), 1, `cycle through ${name}`);
    if (state.get(name) === 2) return;
    state.set(name, 1);
    maxDepth = Math.max(maxDepth, depth);
    for (const f of fields.values()) dfs(f.type === 'map' ? f.mapValue! : f.type, depth + 1);
    state.set(name, 2);
  };
  for (const root of Object.values(PROTOBUF_KINDS)) dfs(root, 0);
  assert.ok(maxDepth < 16, String(maxDepth));
});
