import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_IN, TYPE } from '../message.ts';
import type { Flags, Message, ResourceRecord } from '../message.ts';
import { FormatError, decodeMessage, encodeMessage, nameToWire } from './index.ts';

const QUERY_FLAGS: Flags = { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0 };
const REPLY_FLAGS: Flags = { ...QUERY_FLAGS, qr: true, aa: true };

function msg(parts: Partial<Message>): Message {
  return { id: 0x1234, flags: REPLY_FLAGS, questions: [], answers: [], authorities: [], additionals: [], ...parts };
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** dns-packet's testEncoder idea: encode, decode, compare; re-encode gives the same bytes; both modes agree. */
function roundTrip(m: Message): void {
  for (const compress of [false, true]) {
    const wire = encodeMessage(m, { maxSize: 65535, compress });
    const back = decodeMessage(wire, { trailing: 'reject' });
    assert.deepEqual(back, m, `compress=${compress}`);
    assert.equal(hex(encodeMessage(back, { maxSize: 65535, compress })), hex(wire), `re-encode compress=${compress}`);
    // the same bytes inside a larger buffer at an offset decode the same (decoder honours the view)
    const outer = new Uint8Array(wire.length + 20);
    outer.set(wire, 10);
    assert.deepEqual(decodeMessage(outer.subarray(10, 10 + wire.length)), m);
  }
}

const rr = (name: string, type: number, data: ResourceRecord['data'], ttl = 5): ResourceRecord =>
  ({ name, type, class: CLASS_IN, ttl, data });

const Q = { name: 'cassandra.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN };

const roundTripCases: Array<[string, Message]> = [
  ['A', msg({ questions: [Q], answers: [rr(Q.name, TYPE.A, { type: 'A', address: '10.244.1.5' })] })],
  ['AAAA canonical', msg({ questions: [{ ...Q, type: TYPE.AAAA }], answers: [
    rr(Q.name, TYPE.AAAA, { type: 'AAAA', address: 'fd00:10:96::a' }),
    rr(Q.name, TYPE.AAAA, { type: 'AAAA', address: '2001:db8::1:0:0:1' }),
    rr(Q.name, TYPE.AAAA, { type: 'AAAA', address: '::' }),
    rr(Q.name, TYPE.AAAA, { type: 'AAAA', address: '1:2:3:4:5:6:7:8' }),
  ] })],
  ['CNAME', msg({ questions: [Q], answers: [rr('ext.default.svc.cluster.local', TYPE.CNAME, { type: 'CNAME', target: 'www.example.com' })] })],
  ['PTR', msg({ answers: [rr('10.0.96.10.in-addr.arpa', TYPE.PTR, { type: 'PTR', target: 'kube-dns.kube-system.svc.cluster.local' })] })],
  ['NS + glue', msg({ answers: [rr('cluster.local', TYPE.NS, { type: 'NS', target: 'kube-dns.kube-system.svc.cluster.local' })],
    additionals: [rr('kube-dns.kube-system.svc.cluster.local', TYPE.A, { type: 'A', address: '10.96.0.10' })] })],
  ['SRV + glue (§4.5)', msg({ answers: [
    rr('_http._tcp.web.default.svc.cluster.local', TYPE.SRV, { type: 'SRV', priority: 0, weight: 50, port: 80, target: 'web-0.web.default.svc.cluster.local' }),
    rr('_http._tcp.web.default.svc.cluster.local', TYPE.SRV, { type: 'SRV', priority: 0, weight: 50, port: 80, target: 'web-1.web.default.svc.cluster.local' }),
  ], additionals: [
    rr('web-0.web.default.svc.cluster.local', TYPE.A, { type: 'A', address: '10.244.0.7' }),
    rr('web-1.web.default.svc.cluster.local', TYPE.A, { type: 'A', address: '10.244.0.8' }),
  ] })],
  ['TXT dns-version (§10)', msg({ answers: [rr('dns-version.cluster.local', TYPE.TXT, { type: 'TXT', strings: ['1.1.0'] }, 28800)] })],
  ['TXT several strings, empty string, UTF-8', msg({ answers: [rr('t.example', TYPE.TXT, { type: 'TXT', strings: ['a', '', 'héllo ✓', 'x'.repeat(255)] })] })],
  ['SOA in authority (§1.3, §11)', msg({ flags: { ...REPLY_FLAGS, rcode: 3 }, questions: [{ ...Q, name: 'nope.default.svc.cluster.local' }],
    authorities: [rr('cluster.local', TYPE.SOA, { type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local',
      serial: 4294967295, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 })] })],
  ['unknown type raw (CAA) and zero-length typed rdata', msg({ answers: [
    rr('x.example', TYPE.CAA, { type: 'raw', data: new Uint8Array([0, 5, 105, 115, 115, 117, 101, 97]) }),
    { name: 'y.example', type: TYPE.A, class: 255, ttl: 0, data: { type: 'raw', data: new Uint8Array(0) } },
  ] })],
  ['EDNS with options, DO, extended rcode (BADVERS)', msg({ flags: { ...REPLY_FLAGS, rcode: 0 }, questions: [Q],
    edns: { udpSize: 1232, version: 0, dnssecOk: true, extendedRcode: 1, options: [{ code: 10, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }] } })],
  ['all flag bits', msg({ id: 0xffff, flags: { qr: true, opcode: 15, aa: true, tc: true, rd: true, ra: true, ad: true, cd: true, rcode: 15 }, questions: [Q] })],
  ['mixed case kept (§17)', msg({ questions: [{ ...Q, name: 'CaSsAnDrA.default.svc.cLuStEr.LoCaL' }], answers: [
    rr('CaSsAnDrA.default.svc.cLuStEr.LoCaL', TYPE.A, { type: 'A', address: '10.0.0.1' }),
    rr('cassandra.default.svc.cluster.local', TYPE.A, { type: 'A', address: '10.0.0.2' }),
  ] })],
  ['escaped labels', msg({ answers: [rr('a\\.b.c\\\\d.\\000\\255\\032.example', TYPE.A, { type: 'A', address: '1.2.3.4' })] })],
  ['root owner and root target', msg({ answers: [rr('', TYPE.NS, { type: 'NS', target: '' })] })],
  ['several questions', msg({ questions: [Q, { ...Q, type: TYPE.AAAA }, { name: 'other', type: TYPE.TXT, class: 3 }] })],
];

for (const [name, m] of roundTripCases) {
  test(`round trip: ${name}`, () => roundTrip(m));
}

test('golden bytes: A query and compressed / uncompressed A response', () => {
  const q = msg({ flags: QUERY_FLAGS, questions: [{ name: 'example.com', type: TYPE.A, class: CLASS_IN }] });
  const qHex = '123401000001000000000000' + '076578616d706c6503636f6d00' + '00010001';
  assert.equal(hex(encodeMessage(q, { maxSize: 512 })), qHex);
  assert.deepEqual(decodeMessage(Buffer.from(qHex, 'hex')), q);
  const r = msg({ questions: q.questions, answers: [rr('example.com', TYPE.A, { type: 'A', address: '10.0.0.1' })] });
  const head = '123485000001000100000000' + '076578616d706c6503636f6d00' + '00010001';
  assert.equal(hex(encodeMessage(r, { maxSize: 512, compress: true })), head + 'c00c' + '00010001' + '00000005' + '0004' + '0a000001');
  assert.equal(hex(encodeMessage(r, { maxSize: 512 })), head + '076578616d706c6503636f6d00' + '00010001' + '00000005' + '0004' + '0a000001');
  // OPT echoed with our size: root, TYPE 41, CLASS = udp size, TTL = ext rcode/version/DO, RDLEN 0
  const e = encodeMessage({ ...q, edns: { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [] } }, { maxSize: 512 });
  assert.equal(hex(e), '123401000001000000000001' + '076578616d706c6503636f6d00' + '00010001' + '00' + '0029' + '04d0' + '00000000' + '0000');
});

test('compression: suffixes point back with exact case only (§17.2 case kept)', () => {
  const m = msg({
    questions: [{ name: 'web.default.svc.cLuStEr.LoCaL', type: TYPE.SRV, class: CLASS_IN }],
    answers: [
      rr('web.default.svc.cLuStEr.LoCaL', TYPE.SRV, { type: 'SRV', priority: 0, weight: 100, port: 80, target: 'web-0.web.default.svc.cLuStEr.LoCaL' }),
      rr('web.default.svc.cluster.local', TYPE.A, { type: 'A', address: '10.0.0.1' }),
    ],
    additionals: [rr('web-0.web.default.svc.cLuStEr.LoCaL', TYPE.A, { type: 'A', address: '10.0.0.2' })],
  });
  const wire = encodeMessage(m, { maxSize: 512, compress: true });
  assert.deepEqual(decodeMessage(wire), m);
  const b = Buffer.from(wire);
  const qEnd = 12 + nameToWire('web.default.svc.cLuStEr.LoCaL').length + 4;
  // SRV owner = the question name → pointer to 12
  assert.equal(b.readUInt16BE(qEnd), 0xc00c);
  // SRV target (RFC 2782: not compressed) is written in full: 'web-0' label then 'web' label...
  const tgt = qEnd + 2 + 10 + 6;
  assert.equal(b[tgt], 5);
  assert.equal(b.toString('latin1', tgt + 1, tgt + 6), 'web-0');
  assert.equal(b[tgt + 6], 3, 'target not compressed');
  // the lower-case owner is NOT folded onto the mixed-case question: it only shares 'default.svc'? no —
  // the suffixes differ in case from 'cLuStEr.LoCaL', so it is written in full
  const aOwner = tgt + nameToWire('web-0.web.default.svc.cLuStEr.LoCaL').length;
  assert.equal(b[aOwner], 3);
  assert.equal(b.toString('latin1', aOwner + 1, aOwner + 4), 'web');
  // the glue owner points at the SRV target (a later name may point into an uncompressed one)
  const glue = wire.length - 16;
  assert.equal(b.readUInt16BE(glue), 0xc000 | tgt);
  assert.ok(wire.length < encodeMessage(m, { maxSize: 512 }).length);
});

test('compression: a pointer to a name that itself ends in a pointer', () => {
  const m = msg({ questions: [{ name: 'a.b.c', type: 1, class: 1 }], answers: [
    rr('x.b.c', TYPE.CNAME, { type: 'CNAME', target: 'y.x.b.c' }),
    rr('y.x.b.c', TYPE.A, { type: 'A', address: '1.1.1.1' }),
  ] });
  const wire = encodeMessage(m, { maxSize: 512, compress: true });
  assert.deepEqual(decodeMessage(wire), m);
  // last owner is a single pointer to the CNAME target, which is 'y' + pointer to 'x' + pointer to 'b.c'
  assert.equal(wire[wire.length - 16] & 0xc0, 0xc0);
});

function headless(n: number, owner = 'hl.default.svc.cluster.local'): ResourceRecord[] {
  return Array.from({ length: n }, (_, i) => rr(owner, TYPE.A, { type: 'A', address: `10.244.${i >> 8}.${i & 255}` }));
}

test('§16.2/§16.3: 40 A records over 512-byte UDP: compressed, 29 kept, TC set', () => {
  const q = { name: 'hl.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN };
  const m = msg({ questions: [q], answers: headless(40) });
  const wire = encodeMessage(m, { maxSize: 512 });
  const head = 12 + 30 + 4; // header + question
  const kept = Math.floor((512 - head) / 16); // a compressed A record is 16 bytes
  assert.equal(kept, 29);
  assert.ok(wire.length <= 512);
  const d = decodeMessage(wire);
  assert.equal(d.flags.tc, true);
  assert.equal(d.answers.length, kept);
  assert.deepEqual(d.answers, m.answers.slice(0, kept), 'kept in order');
  assert.equal(wire.length, head + kept * 16);
});

test('§16.2: OPT bytes are reserved and the OPT kept when truncating', () => {
  const q = { name: 'hl.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN };
  const edns = { udpSize: 512, version: 0, dnssecOk: false, extendedRcode: 0, options: [] };
  const m = msg({ questions: [q], answers: headless(40), edns });
  const wire = encodeMessage(m, { maxSize: 512 });
  const d = decodeMessage(wire);
  assert.equal(d.answers.length, Math.floor((512 - 46 - 11) / 16));
  assert.equal(d.flags.tc, true);
  assert.deepEqual(d.edns, edns);
  assert.ok(wire.length <= 512);
});

test('§16.2: uncompressed when it fits; compressed (no TC) when only the uncompressed form is too big', () => {
  const q = { name: 'hl.default.svc.cluster.local', type: TYPE.A, class: CLASS_IN };
  const small = msg({ questions: [q], answers: headless(5) });
  const w1 = encodeMessage(small, { maxSize: 512 });
  assert.equal(w1.length, 46 + 5 * (30 + 14), 'uncompressed');
  const mid = msg({ questions: [q], answers: headless(20) }); // 46 + 20*44 = 926 > 512 ; compressed 46 + 320 = 366
  const w2 = encodeMessage(mid, { maxSize: 512 });
  assert.equal(w2.length, 46 + 20 * 16);
  assert.equal(decodeMessage(w2).flags.tc, false);
  assert.deepEqual(decodeMessage(w2), mid);
});

test('§16.2: dropping only additional records sets TC', () => {
  const q = { name: 'web.default.svc.cluster.local', type: TYPE.SRV, class: CLASS_IN };
  const answers: ResourceRecord[] = [];
  const additionals: ResourceRecord[] = [];
  for (let i = 0; i < 12; i++) {
    const t = `web-${i}.web.default.svc.cluster.local`;
    answers.push(rr(q.name, TYPE.SRV, { type: 'SRV', priority: 0, weight: 8, port: 80, target: t }));
    additionals.push(rr(t, TYPE.A, { type: 'A', address: `10.0.0.${i}` }));
  }
  const m = msg({ questions: [q], answers, additionals });
  // SRV targets are written in full (RFC 2782, miekg/dns packs them with compress=false) but the glue owners
  // point at them: each glue A record is 16 bytes. Budget: everything but the last 7 glue records, + 3 bytes.
  const full = encodeMessage(m, { maxSize: 65535, compress: true }).length;
  assert.equal(full, 12 + 31 + 4 + 10 * (2 + 10 + 6 + 37) + 2 * (2 + 10 + 6 + 38) + 12 * 16);
  const budget = full - 7 * 16 + 3;
  const wire = encodeMessage(m, { maxSize: budget });
  const d = decodeMessage(wire);
  assert.equal(d.answers.length, 12);
  assert.equal(d.additionals.length, 5);
  assert.equal(d.flags.tc, true);
  assert.equal(wire.length, budget - 3);
  // everything fits: no TC
  const all = encodeMessage(m, { maxSize: 4096 });
  assert.equal(decodeMessage(all).flags.tc, false);
});

test('§16.2: records are a prefix in section order (authority dropped before additional is tried)', () => {
  const q = { name: 'x.cluster.local', type: TYPE.A, class: CLASS_IN };
  const soa = rr('cluster.local', TYPE.SOA, { type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 });
  const m = msg({ questions: [q], answers: headless(3, 'x.cluster.local'), authorities: [soa],
    additionals: [rr('x.cluster.local', TYPE.A, { type: 'A', address: '9.9.9.9' })] });
  const w = encodeMessage(m, { maxSize: 12 + 17 + 4 + 3 * 16 + 10 });
  const d = decodeMessage(w);
  assert.equal(d.answers.length, 3);
  assert.equal(d.authorities.length, 0);
  assert.equal(d.additionals.length, 0, 'the small additional record after the dropped SOA is not added');
  assert.equal(d.flags.tc, true);
});

test('header + question + OPT are always written, even past a tiny budget', () => {
  const m = msg({ questions: [Q], answers: headless(2), edns: { udpSize: 512, version: 0, dnssecOk: false, extendedRcode: 0, options: [] } });
  const d = decodeMessage(encodeMessage(m, { maxSize: 20 }));
  assert.equal(d.questions.length, 1);
  assert.equal(d.answers.length, 0);
  assert.equal(d.flags.tc, true);
  assert.ok(d.edns);
});

test('encoding invalid content throws RangeError (a caller bug)', () => {
  const bad: Array<[string, ResourceRecord]> = [
    ['label > 63', rr(`${'a'.repeat(64)}.x`, TYPE.A, { type: 'A', address: '1.2.3.4' })],
    ['name > 255', rr(Array(130).fill('ab').join('.'), TYPE.A, { type: 'A', address: '1.2.3.4' })],
    ['empty label', rr('a..b', TYPE.A, { type: 'A', address: '1.2.3.4' })],
    ['bad IPv4', rr('a', TYPE.A, { type: 'A', address: '1.2.3.256' })],
    ['bad IPv6', rr('a', TYPE.AAAA, { type: 'AAAA', address: '1::2::3' })],
    ['type mismatch', rr('a', TYPE.AAAA, { type: 'A', address: '1.2.3.4' })],
    ['TXT > 255', rr('a', TYPE.TXT, { type: 'TXT', strings: ['x'.repeat(256)] })],
  ];
  for (const [name, r] of bad) {
    assert.throws(() => encodeMessage(msg({ answers: [r] }), { maxSize: 512 }), RangeError, name);
  }
});

// --- decoding malformed input -------------------------------------------------------------------------

function query(name = 'example.com'): Uint8Array {
  return encodeMessage(msg({ flags: QUERY_FLAGS, questions: [{ name, type: TYPE.A, class: CLASS_IN }] }), { maxSize: 512 });
}

function withBytes(base: Uint8Array, edits: Array<[number, number]>): Uint8Array {
  const b = Uint8Array.from(base);
  for (const [i, v] of edits) b[i] = v;
  return b;
}

const HDR = (qd: number, an = 0, ns = 0, ar = 0) => [0x12, 0x34, 0x01, 0x00, 0, qd, 0, an, 0, ns, 0, ar];

const malformed: Array<[string, Uint8Array, RegExp]> = [
  ['empty', new Uint8Array(0), /header/],
  ['short header', new Uint8Array([0x12, 0x34, 1]), /header/],
  ['question cut short', query().subarray(0, 20), /truncated/],
  ['question type cut', query().subarray(0, query().length - 1), /truncated/],
  ['counts exceed message', withBytes(query(), [[5, 200]]), /counts/],
  ['QDCOUNT 65535', withBytes(query(), [[4, 255], [5, 255]]), /counts/],
  ['pointer to itself (loop)', new Uint8Array([...HDR(1), 0xc0, 12, 0, 1, 0, 1]), /pointer/],
  ['pointer forward', new Uint8Array([...HDR(1), 0xc0, 16, 0, 1, 0, 1, 0]), /pointer/],
  ['pointer into the header', new Uint8Array([...HDR(1), 0xc0, 2, 0, 1, 0, 1]), /pointer/],
  ['two names pointing at each other', new Uint8Array([...HDR(2), 1, 97, 0xc0, 19, 0, 1, 0, 1, 1, 98, 0xc0, 12, 0, 1, 0, 1]), /pointer/],
  ['pointer back into its own labels (loop)', new Uint8Array([...HDR(1), 1, 97, 1, 98, 0xc0, 14, 0, 1, 0, 1]), /pointer/],
  ['pointer out of range', new Uint8Array([...HDR(1), 0xff, 0xff, 0, 1, 0, 1]), /pointer/],
  ['label type 01 (EDNS0 extended label)', new Uint8Array([...HDR(1), 0x41, 97, 0, 0, 1, 0, 1]), /label type/],
  ['label type 10', new Uint8Array([...HDR(1), 0x81, 97, 0, 0, 1, 0, 1]), /label type/],
  ['label runs past the end', new Uint8Array([...HDR(1), 20, 97, 98, 0, 0, 1, 0, 1]), /truncated/],
  ['name > 255 bytes', new Uint8Array([...HDR(1), ...Array(5).fill([63, ...Array(63).fill(97)]).flat(), 0, 0, 1, 0, 1]), /too long/],
  ['rdata past the end', new Uint8Array([...HDR(0, 1), 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2]), /truncated/],
  ['A rdata of 3 bytes', new Uint8Array([...HDR(0, 1), 0, 0, 1, 0, 1, 0, 0, 0, 5, 0, 3, 1, 2, 3]), /A rdata/],
  ['AAAA rdata of 4 bytes', new Uint8Array([...HDR(0, 1), 0, 0, 28, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]), /AAAA/],
  ['CNAME target longer than rdata', new Uint8Array([...HDR(0, 1), 0, 0, 5, 0, 1, 0, 0, 0, 5, 0, 2, 1, 97, 0]), /truncated/],
  ['CNAME rdata with extra bytes', new Uint8Array([...HDR(0, 1), 0, 0, 5, 0, 1, 0, 0, 0, 5, 0, 4, 1, 97, 0, 9]), /mismatch/],
  ['SRV too short', new Uint8Array([...HDR(0, 1), 0, 0, 33, 0, 1, 0, 0, 0, 5, 0, 3, 0, 0, 0]), /SRV/],
  ['SOA without the numbers', new Uint8Array([...HDR(0, 1), 0, 0, 6, 0, 1, 0, 0, 0, 5, 0, 4, 0, 0, 0, 0]), /SOA/],
  ['TXT string past rdata', new Uint8Array([...HDR(0, 1), 0, 0, 16, 0, 1, 0, 0, 0, 5, 0, 2, 5, 97]), /TXT/],
  ['two OPT records (RFC 6891 §6.1.1)', new Uint8Array([...HDR(0, 0, 0, 2), 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0]), /more than one OPT/],
  ['OPT in the answer section', new Uint8Array([...HDR(0, 1), 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0]), /OPT outside/],
  ['OPT owner not root', new Uint8Array([...HDR(0, 0, 0, 1), 1, 97, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0]), /root/],
  ['OPT option past rdata', new Uint8Array([...HDR(0, 0, 0, 1), 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 6, 0, 10, 0, 8, 1, 2]), /EDNS option/],
];

for (const [name, buf, re] of malformed) {
  test(`malformed: ${name} → FormatError`, () => {
    assert.throws(() => decodeMessage(buf), (e: unknown) => e instanceof FormatError && re.test(e.message));
  });
}

test('FormatError carries the id and flags that were readable', () => {
  const e1 = (() => { try { decodeMessage(new Uint8Array([0xab, 0xcd, 0x28, 0x00, 0, 1])); } catch (e) { return e; } })();
  assert.ok(e1 instanceof FormatError);
  assert.equal(e1.id, 0xabcd);
  assert.equal(e1.flags?.opcode, 5);
  const e2 = (() => { try { decodeMessage(new Uint8Array([0xab])); } catch (e) { return e; } })();
  assert.ok(e2 instanceof FormatError);
  assert.equal(e2.id, undefined);
});

test('trailing bytes: ignored by default (miekg/dns, CoreDNS), rejected on request', () => {
  const b = new Uint8Array([...query(), 1, 2, 3]);
  assert.equal(decodeMessage(b).questions[0].name, 'example.com');
  assert.throws(() => decodeMessage(b, { trailing: 'reject' }), FormatError);
});

test('names: a legal pointer chain decodes; labels with dots and odd bytes are escaped', () => {
  // q1 'a.b' at 12; q2 = 'c' + pointer to 14 ('b'); q3 = pointer to q2
  const b = new Uint8Array([...HDR(3), 1, 97, 1, 98, 0, 0, 1, 0, 1, 1, 99, 0xc0, 14, 0, 1, 0, 1, 0xc0, 21, 0, 1, 0, 1]);
  assert.deepEqual(decodeMessage(b).questions.map((q) => q.name), ['a.b', 'c.b', 'c.b']);
  const odd = new Uint8Array([...HDR(1), 3, 0x2e, 0x5c, 0x20, 1, 0xff, 0, 0, 1, 0, 1]);
  assert.equal(decodeMessage(odd).questions[0].name, '\\.\\\\\\032.\\255');
});

test('nameToWire', () => {
  assert.equal(hex(nameToWire('example.com')), '076578616d706c6503636f6d00');
  assert.equal(hex(nameToWire('example.com.')), '076578616d706c6503636f6d00');
  assert.equal(hex(nameToWire('')), '00');
  assert.equal(hex(nameToWire('a\\.b')), '03612e6200');
});
