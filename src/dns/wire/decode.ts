// DNS message decoder (RFC 1035 §4, RFC 6891 for OPT). Trusts no input: any malformed packet throws
// FormatError and nothing else. Pure: all state lives in the per-call Decoder.

import type { Edns, Flags, Message, Question, RData, ResourceRecord } from '../message.ts';
import { formatIPv4, formatIPv6 } from './ip.ts';

const T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_OPT = 41;

/** The packet is not a well-formed DNS message. Carries what of the header could be read. */
export class FormatError extends Error {
  /** The message id, when at least 2 bytes arrived. */
  readonly id?: number;
  /** The header flags, when at least 4 bytes arrived (lets a server answer FORMERR / NOTIMP). */
  readonly flags?: Flags;
  constructor(message: string, id?: number, flags?: Flags) {
    super(message);
    this.name = 'FormatError';
    if (id !== undefined) this.id = id;
    if (flags !== undefined) this.flags = flags;
  }
}

export function decodeFlags(v: number): Flags {
  return {
    qr: (v & 0x8000) !== 0,
    opcode: (v >> 11) & 0xf,
    aa: (v & 0x0400) !== 0,
    tc: (v & 0x0200) !== 0,
    rd: (v & 0x0100) !== 0,
    ra: (v & 0x0080) !== 0,
    ad: (v & 0x0020) !== 0,
    cd: (v & 0x0010) !== 0,
    rcode: v & 0xf,
  };
}

/** Longest chain of compression pointers followed in one name (each must also point further back). */
const MAX_POINTER_HOPS = 127;

class Decoder {
  readonly buf: Uint8Array;
  pos = 12;
  readonly id: number;
  readonly flagBits: number;
  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.id = (buf[0] << 8) | buf[1];
    this.flagBits = (buf[2] << 8) | buf[3];
  }

  fail(what: string): never {
    throw new FormatError(what, this.id, decodeFlags(this.flagBits));
  }

  u16(): number {
    const p = this.pos;
    if (p + 2 > this.buf.length) this.fail('truncated message');
    this.pos = p + 2;
    return (this.buf[p] << 8) | this.buf[p + 1];
  }

  u32(): number {
    const p = this.pos;
    const b = this.buf;
    if (p + 4 > b.length) this.fail('truncated message');
    this.pos = p + 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /**
   * Reads a possibly compressed name at pos, leaving pos after it (after its first pointer). A pointer
   * must point before the start of what was read so far (strictly backward, so no loops) and past the
   * header. Labels ≤ 63 bytes, names ≤ 255 bytes on the wire. `limit` bounds the uncompressed part
   * (an RDATA end).
   */
  name(limit: number): string {
    const b = this.buf;
    let p = this.pos;
    let floor = p; // pointers must go below this
    let next = -1;
    let wire = 1;
    let hops = 0;
    let out = '';
    for (;;) {
      if (p >= limit) this.fail('truncated name');
      const len = b[p];
      if (len === 0) {
        if (next < 0) next = p + 1;
        break;
      }
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (p + 1 >= limit) this.fail('truncated compression pointer');
        const target = ((len & 0x3f) << 8) | b[p + 1];
        if (target >= floor || target < 12) this.fail('bad compression pointer');
        if (++hops > MAX_POINTER_HOPS) this.fail('too many compression pointers');
        if (next < 0) next = p + 2;
        floor = target;
        p = target;
        limit = b.length; // pointed-to text may lie anywhere earlier in the message
        continue;
      }
      if (kind !== 0) this.fail('bad label type');
      wire += len + 1;
      if (wire > 255) this.fail('name too long');
      const end = p + 1 + len;
      if (end > limit) this.fail('truncated label');
      if (out.length > 0) out += '.';
      out += labelText(b, p + 1, end);
      p = end;
    }
    this.pos = next;
    return out;
  }
}

/** Presentation form of one label: bytes 0x21-0x7e as is, except `.` and `\` escaped, others `\DDD`. */
function labelText(b: Uint8Array, start: number, end: number): string {
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c) { plain = false; break; }
  }
  if (plain) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x2e || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c <= 0x20 || c >= 0x7f) s += `\\${c < 10 ? '00' : c < 100 ? '0' : ''}${c}`;
    else s += String.fromCharCode(c);
  }
  return s;
}

const utf8 = new TextDecoder('utf-8');

function rdata(d: Decoder, type: number, end: number): RData {
  const b = d.buf;
  const start = d.pos;
  const len = end - start;
  // Zero-length RDATA of a typed RR (RFC 2136 deletions) stays raw.
  if (len === 0) return { type: 'raw', data: new Uint8Array(0) };
  let r: RData;
  switch (type) {
    case T_A:
      if (len !== 4) d.fail('bad A rdata length');
      d.pos = end;
      return { type: 'A', address: formatIPv4(b, start) };
    case T_AAAA:
      if (len !== 16) d.fail('bad AAAA rdata length');
      d.pos = end;
      return { type: 'AAAA', address: formatIPv6(b, start) };
    case T_CNAME:
      r = { type: 'CNAME', target: d.name(end) };
      break;
    case T_PTR:
      r = { type: 'PTR', target: d.name(end) };
      break;
    case T_NS:
      r = { type: 'NS', target: d.name(end) };
      break;
    case T_SRV: {
      if (len < 7) d.fail('bad SRV rdata length');
      const priority = d.u16();
      const weight = d.u16();
      const port = d.u16();
      r = { type: 'SRV', priority, weight, port, target: d.name(end) };
      break;
    }
    case T_SOA: {
      const mname = d.name(end);
      const rname = d.name(end);
      if (d.pos + 20 > end) d.fail('bad SOA rdata length');
      r = { type: 'SOA', mname, rname, serial: d.u32(), refresh: d.u32(), retry: d.u32(), expire: d.u32(), minimum: d.u32() };
      break;
    }
    case T_TXT: {
      const strings: string[] = [];
      let p = start;
      while (p < end) {
        const l = b[p];
        if (p + 1 + l > end) d.fail('bad TXT string length');
        strings.push(textString(b, p + 1, p + 1 + l));
        p += 1 + l;
      }
      d.pos = end;
      return { type: 'TXT', strings };
    }
    default:
      d.pos = end;
      return { type: 'raw', data: b.slice(start, end) };
  }
  if (d.pos !== end) d.fail('rdata length mismatch');
  return r;
}

function textString(b: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (b[i] >= 0x80) return utf8.decode(b.subarray(start, end));
  }
  return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
}

export interface DecodeOptions {
  /**
   * Bytes after the last counted record: 'ignore' (default; miekg/dns and so CoreDNS accept them) or
   * 'reject' (FormatError, as BIND does).
   */
  trailing?: 'ignore' | 'reject';
}

function checkHeader(buf: Uint8Array): void {
  if (buf.length < 12) {
    const id = buf.length >= 2 ? (buf[0] << 8) | buf[1] : undefined;
    const flags = buf.length >= 4 ? decodeFlags((buf[2] << 8) | buf[3]) : undefined;
    throw new FormatError('message shorter than its header', id, flags);
  }
}

/** Decodes a whole message (RFC 1035 §4.1). Throws FormatError, and only FormatError, on malformed input. */
export function decodeMessage(buf: Uint8Array, opts?: DecodeOptions): Message {
  checkHeader(buf);
  const d = new Decoder(buf);
  const qd = (buf[4] << 8) | buf[5];
  const an = (buf[6] << 8) | buf[7];
  const ns = (buf[8] << 8) | buf[9];
  const ar = (buf[10] << 8) | buf[11];
  // Every question takes ≥ 5 bytes and every record ≥ 11: refuse impossible counts before allocating.
  if (qd * 5 + (an + ns + ar) * 11 > buf.length - 12) d.fail('section counts exceed the message');
  const msg: Message = {
    id: d.id,
    flags: decodeFlags(d.flagBits),
    questions: new Array<Question>(qd),
    answers: [],
    authorities: [],
    additionals: [],
  };
  const n = buf.length;
  for (let i = 0; i < qd; i++) {
    const name = d.name(n);
    const type = d.u16();
    msg.questions[i] = { name, type, class: d.u16() };
  }
  section(d, an, msg.answers, msg);
  section(d, ns, msg.authorities, msg);
  section(d, ar, msg.additionals, msg, true);
  if (d.pos !== n && opts?.trailing === 'reject') d.fail('trailing bytes after the last record');
  return msg;
}

function section(d: Decoder, count: number, out: ResourceRecord[], msg: Message, additional = false): void {
  const b = d.buf;
  for (let i = 0; i < count; i++) {
    const name = d.name(b.length);
    const type = d.u16();
    const klass = d.u16();
    const ttl = d.u32();
    const rdlen = d.u16();
    const end = d.pos + rdlen;
    if (end > b.length) d.fail('truncated rdata');
    if (type === T_OPT) {
      // RFC 6891 §6.1.1: one OPT, owner root, in the additional section; else FORMERR.
      if (!additional) d.fail('OPT outside the additional section');
      if (msg.edns) d.fail('more than one OPT record');
      if (name !== '') d.fail('OPT owner is not the root');
      msg.edns = opt(d, klass, ttl, end);
      continue;
    }
    out.push({ name, type, class: klass, ttl, data: rdata(d, type, end) });
  }
}

function opt(d: Decoder, klass: number, ttl: number, end: number): Edns {
  const b = d.buf;
  const options: Edns['options'] = [];
  let p = d.pos;
  while (p < end) {
    if (p + 4 > end) d.fail('truncated EDNS option');
    const code = (b[p] << 8) | b[p + 1];
    const l = (b[p + 2] << 8) | b[p + 3];
    if (p + 4 + l > end) d.fail('truncated EDNS option');
    options.push({ code, data: b.slice(p + 4, p + 4 + l) });
    p += 4 + l;
  }
  d.pos = end;
  return {
    udpSize: klass,
    extendedRcode: ttl >>> 24,
    version: (ttl >>> 16) & 0xff,
    dnssecOk: (ttl & 0x8000) !== 0,
    options,
  };
}
