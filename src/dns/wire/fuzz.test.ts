// Issue 4 "Bad input": at least a million mutated packets within a bounded time, with zero crashes.
// Every packet goes through decodeMessage, which may only throw FormatError. What
// decodes is re-encoded (maxSize 512, so truncation runs too) and must decode again. Deterministic seed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { CLASS_IN, TYPE } from '../message.ts';
import type { Message, ResourceRecord } from '../message.ts';
import { FormatError, decodeMessage, encodeMessage } from './index.ts';
import { mulberry32 } from '../../util/prng.ts';

const PACKETS = 1_000_000;


function seeds(): Uint8Array[] {
  const flags = { qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0 };
  const qflags = { ...flags, qr: false, aa: false };
  const rr = (name: string, type: number, data: ResourceRecord['data']): ResourceRecord => ({ name, type, class: CLASS_IN, ttl: 5, data });
  const q = (name: string, type: number) => ({ name, type, class: CLASS_IN });
  const edns = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [{ code: 10, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }] };
  const zone = 'cluster.local';
  const msgs: Message[] = [
    { id: 1, flags: qflags, questions: [q('web.default.svc.cluster.local', TYPE.A)], answers: [], authorities: [], additionals: [] },
    { id: 2, flags: qflags, questions: [q('_http._tcp.web.default.svc.cluster.local', TYPE.SRV)], answers: [], authorities: [], additionals: [], edns },
    {
      id: 3, flags, questions: [q('hl.default.svc.cluster.local', TYPE.A)],
      answers: [1, 2, 3, 4].map((i) => rr('hl.default.svc.cluster.local', TYPE.A, { type: 'A', address: `10.244.0.${i}` })),
      authorities: [], additionals: [], edns,
    },
    {
      id: 4, flags, questions: [q('_http._tcp.web.default.svc.cluster.local', TYPE.SRV)],
      answers: [0, 1].map((i) => rr('_http._tcp.web.default.svc.cluster.local', TYPE.SRV, { type: 'SRV', priority: 0, weight: 50, port: 80, target: `web-${i}.web.default.svc.cluster.local` })),
      authorities: [],
      additionals: [0, 1].map((i) => rr(`web-${i}.web.default.svc.cluster.local`, TYPE.AAAA, { type: 'AAAA', address: `fd00::${i + 1}` })),
    },
    {
      id: 5, flags: { ...flags, rcode: 3 }, questions: [q('nope.default.svc.cluster.local', TYPE.A)], answers: [],
      authorities: [rr(zone, TYPE.SOA, { type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 12345, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 })],
      additionals: [],
    },
    {
      id: 6, flags, questions: [q('ext.default.svc.cluster.local', TYPE.A)],
      answers: [
        rr('ext.default.svc.cluster.local', TYPE.CNAME, { type: 'CNAME', target: 'www.example.com' }),
        rr('dns-version.cluster.local', TYPE.TXT, { type: 'TXT', strings: ['1.1.0', 'x'] }),
        rr('10.0.96.10.in-addr.arpa', TYPE.PTR, { type: 'PTR', target: 'kube-dns.kube-system.svc.cluster.local' }),
        rr(zone, TYPE.NS, { type: 'NS', target: 'ns.dns.cluster.local' }),
        rr('x.example', TYPE.CAA, { type: 'raw', data: new Uint8Array([0, 5, 105, 115, 115, 117, 101]) }),
      ],
      authorities: [], additionals: [], edns,
    },
  ];
  const out: Uint8Array[] = [];
  for (const m of msgs) {
    out.push(encodeMessage(m, { maxSize: 65535 }));
    out.push(encodeMessage(m, { maxSize: 65535, compress: true }));
  }
  return out;
}

function mutate(rand: () => number, corpus: Uint8Array[]): Uint8Array {
  const int = (n: number) => Math.floor(rand() * n);
  const base = corpus[int(corpus.length)];
  const kind = int(10);
  if (kind === 0) {
    // random bytes, often with a plausible header
    const b = new Uint8Array(int(80));
    for (let i = 0; i < b.length; i++) b[i] = int(256);
    if (b.length >= 12 && rand() < 0.7) { b[4] = 0; b[5] = int(3); b[6] = 0; b[7] = int(4); b[8] = 0; b[9] = int(2); b[10] = 0; b[11] = int(3); }
    return b;
  }
  if (kind === 1) return base.slice(0, int(base.length + 1)); // truncation
  let b = Uint8Array.from(base);
  const rounds = 1 + int(4);
  for (let r = 0; r < rounds; r++) {
    const k = int(8);
    if (k <= 1) { // bit flips
      const n = 1 + int(8);
      for (let i = 0; i < n; i++) b[int(b.length)] ^= 1 << int(8);
    } else if (k === 2) { // random byte values, favouring the interesting ones
      const vals = [0, 1, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff];
      b[int(b.length)] = rand() < 0.5 ? vals[int(vals.length)] : int(256);
    } else if (k === 3) { // compression pointer anywhere (loops, forward, into header, past the end)
      const at = int(b.length - 1);
      const target = rand() < 0.5 ? at + int(3) - 1 : int(b.length + 40);
      b[at] = 0xc0 | ((target >> 8) & 0x3f);
      b[at + 1] = target & 0xff;
    } else if (k === 4) { // oversized or shuffled counts
      const c = 4 + 2 * int(4);
      const v = rand() < 0.5 ? int(65536) : int(6);
      b[c] = v >> 8; b[c + 1] = v & 0xff;
    } else if (k === 5) { // append garbage
      const extra = new Uint8Array(int(40));
      for (let i = 0; i < extra.length; i++) extra[i] = int(256);
      const nb = new Uint8Array(b.length + extra.length);
      nb.set(b); nb.set(extra, b.length);
      b = nb;
    } else if (k === 6) { // splice in a piece of another packet
      const other = corpus[int(corpus.length)];
      const from = int(other.length), len = int(30), at = int(b.length);
      const piece = other.subarray(from, from + len);
      const nb = new Uint8Array(at + piece.length + Math.max(0, b.length - at - int(10)));
      nb.set(b.subarray(0, at)); nb.set(piece, at); nb.set(b.subarray(b.length - (nb.length - at - piece.length)), at + piece.length);
      b = nb;
    } else { // label or rdlength bytes set large
      b[int(b.length)] = 63 + int(3);
    }
  }
  return b;
}

test('fuzz: 1,000,000 mutated packets decode or throw FormatError, never anything else (issue 4 "Bad input")', { timeout: 300_000 }, async (t) => {
  const rand = mulberry32(0x4b756265);
  const corpus = seeds();
  let ok = 0, formErr = 0, reencoded = 0;
  const crashes: string[] = [];
  const started = performance.now();
  for (let i = 0; i < PACKETS; i++) {
    const pkt = mutate(rand, corpus);
    let m: Message | undefined;
    try {
      m = decodeMessage(pkt);
      ok++;
    } catch (e) {
      if (e instanceof FormatError) formErr++;
      else if (crashes.length < 10) crashes.push(`decodeMessage ${Buffer.from(pkt).toString('hex')}: ${String(e)}`);
    }
    if (m && (i & 7) === 0) {
      try {
        const w = encodeMessage(m, { maxSize: 512 });
        decodeMessage(w);
        reencoded++;
      } catch (e) {
        // decoded TXT bytes that are not UTF-8 may not re-encode within 255 bytes: a RangeError, never a crash
        if (!(e instanceof RangeError) && crashes.length < 10) crashes.push(`re-encode ${Buffer.from(pkt).toString('hex')}: ${String(e)}`);
      }
    }
    if ((i & 0xffff) === 0) await tick(); // lets the test timeout fire if something were slow
  }
  const secs = (performance.now() - started) / 1000;
  t.diagnostic(`${PACKETS} packets in ${secs.toFixed(1)} s (${Math.round(PACKETS / secs)}/s): ${ok} decoded, ${formErr} FormatError, ${reencoded} re-encoded`);
  assert.deepEqual(crashes, []);
  assert.equal(ok + formErr, PACKETS);
  // the mutations must exercise both outcomes substantially
  assert.ok(ok > PACKETS / 20, `decoded ${ok}`);
  assert.ok(formErr > PACKETS / 5, `FormatError ${formErr}`);
});
