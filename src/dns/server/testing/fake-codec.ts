// A small stand-in codec for the server tests (the real one is src/dns/wire): decodes a header, one
// question and an OPT record; encodes A/AAAA/TXT/SOA/CNAME records uncompressed, truncating per
// rule book §16.2 (records kept in order until the budget, TC if any dropped, OPT kept).

import { TYPE, type Message, type ResourceRecord } from '../../message.ts';
import type { Codec } from '../types.ts';

export class FakeFormatError extends Error {}

function readName(b: Uint8Array, off: number): { name: string; off: number } {
  const labels: string[] = [];
  for (let n = 0; n < 128; n++) {
    if (off >= b.length) throw new FakeFormatError('truncated name');
    const len = b[off++];
    if (len === 0) return { name: labels.join('.'), off };
    if (len > 63) throw new FakeFormatError('pointer or bad label (not supported by the fake codec)');
    if (off + len > b.length) throw new FakeFormatError('truncated label');
    labels.push(String.fromCharCode(...b.subarray(off, off + len)));
    off += len;
  }
  throw new FakeFormatError('name too long');
}

function writeName(name: string): number[] {
  const out: number[] = [];
  for (const l of name.split('.').filter(Boolean)) { out.push(l.length, ...[...l].map((c) => c.charCodeAt(0))); }
  out.push(0);
  return out;
}

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

function rdata(r: ResourceRecord): number[] {
  const d = r.data;
  switch (d.type) {
    case 'A': return d.address.split('.').map(Number);
    case 'TXT': return d.strings.flatMap((s) => [s.length, ...[...s].map((c) => c.charCodeAt(0))]);
    case 'CNAME': case 'PTR': case 'NS': return writeName(d.target);
    case 'SOA': return [...writeName(d.mname), ...writeName(d.rname), ...u32(d.serial), ...u32(d.refresh), ...u32(d.retry), ...u32(d.expire), ...u32(d.minimum)];
    default: throw new Error(`fake codec cannot encode ${d.type}`);
  }
}

function record(r: ResourceRecord): number[] {
  const rd = rdata(r);
  return [...writeName(r.name), ...u16(r.type), ...u16(r.class), ...u32(r.ttl), ...u16(rd.length), ...rd];
}

export const fakeCodec: Codec = {
  decode(b) {
    if (b.length < 12) throw new FakeFormatError('short header');
    const id = (b[0] << 8) | b[1];
    const qd = (b[4] << 8) | b[5];
    const ar = (b[10] << 8) | b[11];
    const msg: Message = {
      id,
      flags: { qr: !!(b[2] & 0x80), opcode: (b[2] >> 3) & 15, aa: !!(b[2] & 4), tc: !!(b[2] & 2), rd: !!(b[2] & 1), ra: !!(b[3] & 0x80), ad: !!(b[3] & 0x20), cd: !!(b[3] & 0x10), rcode: b[3] & 15 },
      questions: [], answers: [], authorities: [], additionals: [],
    };
    let off = 12;
    for (let i = 0; i < qd; i++) {
      const n = readName(b, off);
      if (n.off + 4 > b.length) throw new FakeFormatError('truncated question');
      msg.questions.push({ name: n.name, type: (b[n.off] << 8) | b[n.off + 1], class: (b[n.off + 2] << 8) | b[n.off + 3] });
      off = n.off + 4;
    }
    // Records of the other sections are skipped (only an OPT is kept), which is all the tests need.
    const rest = ((b[6] << 8) | b[7]) + ((b[8] << 8) | b[9]) + ar;
    for (let i = 0; i < rest; i++) {
      const n = readName(b, off);
      if (n.off + 10 > b.length) throw new FakeFormatError('truncated record');
      const type = (b[n.off] << 8) | b[n.off + 1];
      if (type === TYPE.OPT) {
        msg.edns = { udpSize: (b[n.off + 2] << 8) | b[n.off + 3], extendedRcode: b[n.off + 4], version: b[n.off + 5], dnssecOk: !!(b[n.off + 6] & 0x80), options: [] };
      }
      off = n.off + 10 + ((b[n.off + 8] << 8) | b[n.off + 9]);
      if (off > b.length) throw new FakeFormatError('truncated rdata');
    }
    if (off !== b.length) throw new FakeFormatError('trailing bytes');
    return msg;
  },
  encode(m, { maxSize }) {
    const f = m.flags;
    const q = m.questions.flatMap((x) => [...writeName(x.name), ...u16(x.type), ...u16(x.class)]);
    const opt = m.edns ? [0, ...u16(TYPE.OPT), ...u16(m.edns.udpSize), m.edns.extendedRcode, m.edns.version, m.edns.dnssecOk ? 0x80 : 0, 0, 0, 0] : [];
    let size = 12 + q.length + opt.length;
    const sections = [m.answers, m.authorities, m.additionals].map((s) => s.map(record));
    const counts = [0, 0, 0];
    let tc = false;
    const body: number[] = [];
    for (let s = 0; s < 3 && !tc; s++) {
      for (const r of sections[s]) {
        if (size + r.length > maxSize) { tc = true; break; }
        size += r.length; body.push(...r); counts[s]++;
      }
    }
    const hdr = [...u16(m.id), (f.qr ? 0x80 : 0) | (f.opcode << 3) | (f.aa ? 4 : 0) | (tc || f.tc ? 2 : 0) | (f.rd ? 1 : 0),
      (f.ra ? 0x80 : 0) | (f.ad ? 0x20 : 0) | (f.cd ? 0x10 : 0) | (f.rcode & 15),
      ...u16(m.questions.length), ...u16(counts[0]), ...u16(counts[1]), ...u16(counts[2] + (m.edns ? 1 : 0))];
    return new Uint8Array([...hdr, ...q, ...body, ...opt]);
  },
};

/** Picked up by loadCodec() when this module is given as the codec module. */
export const codec = fakeCodec;
