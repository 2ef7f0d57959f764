// Request-path table tests with a fake resolver and the fake codec (rule book §1.6, §1.7, §15, §16.1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handlePacket, maxSize, questionKey, ReplyCache, type HandlerContext } from './handler.ts';
import { decodeMessage, FormatError } from '../wire/index.ts';
import { mulberry32 } from '../../util/prng.ts';
import { fakeCodec } from './testing/fake-codec.ts';
import { createFakeResolver } from './testing/fake-resolver.ts';
import { header, query } from './testing/query.ts';
import { RCODE, TYPE } from '../message.ts';

function ctx(o: { ready?: boolean; synced?: boolean; forwarding?: boolean } = {}): HandlerContext {
  const resolver = createFakeResolver({ ready: o.ready ?? true });
  return { resolver, codec: fakeCodec, forwarding: o.forwarding ?? false, synced: () => o.synced ?? resolver.ready() };
}

interface Case { name: string; packet: Uint8Array; transport?: 'udp' | 'tcp'; ctx?: HandlerContext; want: 'drop' | 'forward' | { rcode: number; aa?: boolean; an?: number; ns?: number; tc?: boolean; qd?: number; ednsRcodeHigh?: number } }

const cases: Case[] = [
  { name: 'positive answer: NOERROR, AA set, RA not set (§1.1)', packet: query('one.default.svc.cluster.local'), want: { rcode: RCODE.NOERROR, aa: true, an: 1, ns: 0, qd: 1 } },
  { name: 'NXDOMAIN with one SOA in authority (§1.3)', packet: query('nope.default.svc.cluster.local'), want: { rcode: RCODE.NXDOMAIN, aa: true, an: 0, ns: 1 } },
  { name: '§1.7 before sync, NXDOMAIN becomes SERVFAIL (SOA kept)', packet: query('nope.default.svc.cluster.local'), ctx: ctx({ ready: false }), want: { rcode: RCODE.SERVFAIL, ns: 1 } },
  { name: '§1.7 before sync, positive answers are served', packet: query('one.default.svc.cluster.local'), ctx: ctx({ ready: false }), want: { rcode: RCODE.NOERROR, an: 1 } },
  { name: '§1.7 after startup_timeout, NXDOMAIN served even unsynced', packet: query('nope.default.svc.cluster.local'), ctx: ctx({ ready: false, synced: true }), want: { rcode: RCODE.NXDOMAIN } },
  { name: '§1.6 class CH → REFUSED', packet: query('one.default.svc.cluster.local', { class: 3 }), want: { rcode: RCODE.REFUSED, an: 0, qd: 1 } },
  { name: '§1.6 class ANY → REFUSED', packet: query('one.default.svc.cluster.local', { class: 255 }), want: { rcode: RCODE.REFUSED } },
  { name: '§1.6/§15 out of zone without upstream → REFUSED (not an open resolver)', packet: query('example.com'), want: { rcode: RCODE.REFUSED, aa: false, an: 0 } },
  { name: '§15 out of zone with upstream → forwarded', packet: query('example.com'), ctx: ctx({ forwarding: true }), want: 'forward' },
  { name: '§1.6 EDNS version 1 → BADVERS (extended rcode 16: low bits 0, OPT high bits 1)', packet: query('one.default.svc.cluster.local', { edns: { udpSize: 1232, version: 1 } }), want: { rcode: 0, ednsRcodeHigh: 1, an: 0 } },
  { name: 'opcode STATUS (2) → NOTIMP, header only', packet: query('one.default.svc.cluster.local', { opcode: 2 }), want: { rcode: RCODE.NOTIMP, qd: 0, an: 0 } },
  { name: 'opcode NOTIFY (4) → NOTIMP', packet: query('one.default.svc.cluster.local', { opcode: 4 }), want: { rcode: RCODE.NOTIMP, qd: 0 } },
  { name: 'QDCOUNT 0 → FORMERR', packet: query('x', { qdcount: 0 }), want: { rcode: RCODE.FORMERR, qd: 0 } },
  { name: 'QDCOUNT 2 → FORMERR', packet: query('one.default.svc.cluster.local', { qdcount: 2 }), want: { rcode: RCODE.FORMERR, qd: 0 } },
  { name: 'undecodable body with a header → FORMERR with the id', packet: new Uint8Array([0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 1, 2]), want: { rcode: RCODE.FORMERR } },
  { name: 'trailing garbage → FORMERR', packet: new Uint8Array([...query('one.default.svc.cluster.local'), 9, 9, 9]), want: { rcode: RCODE.FORMERR } },
  { name: 'fewer than 12 bytes: no id to answer → dropped', packet: new Uint8Array([1, 2, 3]), want: 'drop' },
  { name: 'empty packet → dropped', packet: new Uint8Array(0), want: 'drop' },
  { name: 'a response (QR set) → dropped, so two servers cannot loop', packet: query('one.default.svc.cluster.local', { qr: true }), want: 'drop' },
  { name: 'a resolver that throws → SERVFAIL, not a crash', packet: query('boom.cluster.local'), want: { rcode: RCODE.SERVFAIL } },
  { name: '§16.1 UDP without EDNS: 512-byte budget, TC set', packet: query('many.default.svc.cluster.local'), want: { rcode: RCODE.NOERROR, tc: true } },
  { name: '§16.1 UDP with EDNS 4096: everything fits', packet: query('many.default.svc.cluster.local', { edns: { udpSize: 4096 } }), want: { rcode: RCODE.NOERROR, tc: false, an: 60 } },
  { name: '§16.1 EDNS size below 512 counts as 512', packet: query('many.default.svc.cluster.local', { edns: { udpSize: 100 } }), want: { rcode: RCODE.NOERROR, tc: true } },
  { name: '§16.1 TCP: 65535 budget, no TC', packet: query('many.default.svc.cluster.local'), transport: 'tcp', want: { rcode: RCODE.NOERROR, tc: false, an: 60 } },
];

for (const c of cases) {
  test(`request path: ${c.name}`, () => {
    const out = handlePacket(c.packet, c.transport ?? 'udp', c.ctx ?? ctx());
    if (c.want === 'drop' || c.want === 'forward') { assert.equal(out.kind, c.want); return; }
    assert.equal(out.kind, 'reply');
    if (out.kind !== 'reply') return;
    const h = header(out.bytes);
    const w = c.want;
    assert.equal(h.qr, true);
    assert.equal(h.ra, false);
    if (c.packet.length >= 2) assert.equal(h.id, (c.packet[0] << 8) | c.packet[1]);
    assert.equal(h.rcode, w.rcode);
    if (w.aa !== undefined) assert.equal(h.aa, w.aa);
    if (w.an !== undefined) assert.equal(h.an, w.an);
    if (w.ns !== undefined) assert.equal(h.ns, w.ns);
    if (w.qd !== undefined) assert.equal(h.qd, w.qd);
    if (w.tc !== undefined) assert.equal(h.tc, w.tc);
    if (w.tc) assert.ok(out.bytes.length <= 512, `truncated reply is ${out.bytes.length} bytes`);
    if (w.ednsRcodeHigh !== undefined) {
      const m = fakeCodec.decode(out.bytes.map((x, i) => (i === 2 ? x & 0x7f : x)));
      assert.equal(m.edns?.extendedRcode, w.ednsRcodeHigh);
      assert.equal(m.edns?.version, 0);
    }
  });
}

test('§16.1 size limits: 512 plain UDP, max(512, client) with EDNS, 65535 TCP', () => {
  const e = (udpSize: number) => ({ udpSize, version: 0, dnssecOk: false, extendedRcode: 0, options: [] });
  assert.equal(maxSize('udp', undefined), 512);
  assert.equal(maxSize('udp', e(1232)), 1232);
  assert.equal(maxSize('udp', e(0)), 512);
  assert.equal(maxSize('tcp', undefined), 65535);
  assert.equal(maxSize('tcp', e(1232)), 65535);
});

test('the OPT record is echoed with the client size (§16.1) and the question with its case (§1.4)', () => {
  const out = handlePacket(query('One.Default.svc.Cluster.Local', { type: TYPE.A, edns: { udpSize: 1232 } }), 'udp', ctx());
  assert.equal(out.kind, 'reply');
  if (out.kind !== 'reply') return;
  const m = fakeCodec.decode(out.bytes.map((x, i) => (i === 2 ? x & 0x7f : x)).subarray(0, out.bytes.length));
  assert.equal(m.edns?.udpSize, 1232);
  assert.equal(m.questions[0].name, 'One.Default.svc.Cluster.Local');
});

test('reply cache: a repeated question is answered from the cache with the new id; a view change invalidates it', () => {
  const resolver = createFakeResolver();
  const c: HandlerContext = { resolver, codec: fakeCodec, forwarding: false, synced: () => true, cache: new ReplyCache() };
  const ask = (id: number, name = 'one.default.svc.cluster.local') => {
    const out = handlePacket(query(name, { id }), 'udp', c);
    assert.equal(out.kind, 'reply');
    return out.kind === 'reply' ? out.bytes : new Uint8Array();
  };
  const first = ask(1);
  const second = ask(2);
  assert.equal(resolver.calls, 1, 'the second answer came from the cache');
  assert.equal(header(second).id, 2);
  assert.deepEqual(second.subarray(2), first.subarray(2));
  // Case is part of the key: the owner name echoes the query (§1.4).
  ask(3, 'ONE.default.svc.cluster.local');
  assert.equal(resolver.calls, 2);
  resolver.setOneIP('10.96.0.99');
  const third = ask(4);
  assert.equal(resolver.calls, 3);
  assert.deepEqual([...third.subarray(third.length - 4)], [10, 96, 0, 99]);
});

test('reply cache: the size budget is part of the key (a 512-byte truncated reply is not served to an EDNS client)', () => {
  const resolver = createFakeResolver();
  const c: HandlerContext = { resolver, codec: fakeCodec, forwarding: false, synced: () => true, cache: new ReplyCache() };
  const small = handlePacket(query('many.default.svc.cluster.local'), 'udp', c);
  const big = handlePacket(query('many.default.svc.cluster.local', { edns: { udpSize: 4096 } }), 'udp', c);
  const tcp = handlePacket(query('many.default.svc.cluster.local'), 'tcp', c);
  assert.ok(small.kind === 'reply' && big.kind === 'reply' && tcp.kind === 'reply');
  assert.deepEqual([header(small.bytes).tc, header(big.bytes).tc, header(tcp.bytes).tc], [true, false, false]);
});

test('reply cache key from raw bytes: every packet it accepts is a plain one-question query the full decoder reads the same (100,000 mutations)', () => {
  const bases = [
    query('one.default.svc.cluster.local'),
    query('Web-0.Cassandra.default.svc.cluster.local', { type: TYPE.SRV, edns: { udpSize: 1232 } }),
    query('x.y', { edns: { udpSize: 65535 } }),
  ];
  let accepted = 0;
  const random = mulberry32(12345);
  const rnd = (n: number): number => Math.floor(random() * n);
  for (let i = 0; i < 100_000; i++) {
    const b = bases[i % bases.length];
    let p = new Uint8Array(b);
    for (let k = 0, flips = rnd(3); k < flips; k++) p[rnd(p.length)] = rnd(256);
    if (rnd(8) === 0) p = p.subarray(0, rnd(p.length + 1));
    if (rnd(16) === 0) p = new Uint8Array([...p, rnd(256)]);
    if (p.length < 12) continue;
    const k = questionKey(p, 'udp');
    if (!k) continue;
    accepted++;
    let m;
    try { m = decodeMessage(p); } catch (e) {
      assert.ok(e instanceof FormatError);
      assert.fail(`questionKey accepted a packet the decoder rejects (${(e as Error).message}): ${Buffer.from(p).toString('hex')}`);
    }
    assert.equal(m.questions.length, 1);
    assert.deepEqual([m.answers.length, m.authorities.length, m.questions[0].class, m.edns?.version ?? 0], [0, 0, 1, 0]);
  }
  assert.ok(accepted > 10_000, `enough mutations stayed valid to mean something (${accepted})`);
  // Same question, other id: same key. Other case, RD, EDNS size or transport: another key (§1.4, §16.1).
  const key = (q: Uint8Array, t: 'udp' | 'tcp' = 'udp') => { const k = questionKey(q, t)!; return `${k.hash}/${k.variant}`; };
  const a = key(query('one.default.svc.cluster.local', { id: 1 }));
  assert.equal(key(query('one.default.svc.cluster.local', { id: 2 })), a);
  for (const other of [key(query('ONE.default.svc.cluster.local')), key(query('one.default.svc.cluster.local', { rd: false })),
    key(query('one.default.svc.cluster.local', { edns: { udpSize: 4096 } })), key(query('one.default.svc.cluster.local'), 'tcp'),
    key(query('one.default.svc.cluster.local', { type: TYPE.AAAA }))]) assert.notEqual(other, a);
});
