// DNS message encoder with name compression (RFC 1035 §4.1.4) and truncation (rule book §16.2, the
// behaviour of miekg/dns Msg.Truncate that CoreDNS uses). Pure: all state lives in the per-call Encoder.
// Invalid content (a label over 63 bytes, a name over 255, a bad address, a TXT string over 255 bytes,
// a record whose data does not match its type) throws RangeError: that is a bug in the caller.

import type { Edns, Flags, Message, RData, ResourceRecord } from '../message.ts';
import { parseIPv4Into, parseIPv6 } from './ip.ts';

const TYPE_OF: Record<Exclude<RData['type'], 'raw'>, number> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33,
};

export interface EncodeOptions {
  /** Size budget in bytes (rule book §16.1: 512 without EDNS, the client's size with it, 65535 on TCP). */
  maxSize: number;
  /**
   * true: always compress names. Otherwise names are compressed only when the uncompressed message would
   * not fit in maxSize (§16.2; a server passes true for UDP replies above 1480/1220 bytes).
   */
  compress?: boolean;
}

export function encodeFlags(f: Flags): number {
  return (f.qr ? 0x8000 : 0) | ((f.opcode & 0xf) << 11) | (f.aa ? 0x0400 : 0) | (f.tc ? 0x0200 : 0)
    | (f.rd ? 0x0100 : 0) | (f.ra ? 0x0080 : 0) | (f.ad ? 0x0020 : 0) | (f.cd ? 0x0010 : 0) | (f.rcode & 0xf);
}

/** Thrown inside the encoder when a record does not fit; never escapes encodeMessage. */
class Overflow {}
const OVERFLOW = Object.freeze(new Overflow());

interface ParsedName {
  /** Label bytes as strings of char codes 0..255. */
  labels: string[];
  /** keys[i]: a canonical text of the suffix starting at label i (the compression map key). */
  keys: string[];
}

/** Splits a presentation name with escapes (`\.`, `\\`, `\DDD`) into labels. */
function parseEscapedName(name: string): ParsedName {
  const labels: string[] = [];
  let cur = '';
  let i = 0;
  const n = name.length;
  while (i < n) {
    const c = name.charCodeAt(i);
    if (c === 0x5c) {
      const d1 = name.charCodeAt(i + 1), d2 = name.charCodeAt(i + 2), d3 = name.charCodeAt(i + 3);
      if (isDigit(d1) && isDigit(d2) && isDigit(d3)) {
        const v = (d1 - 48) * 100 + (d2 - 48) * 10 + (d3 - 48);
        if (v > 255) throw new RangeError(`bad escape in name ${JSON.stringify(name)}`);
        cur += String.fromCharCode(v);
        i += 4;
      } else if (i + 1 < n) {
        cur += name[i + 1];
        i += 2;
      } else {
        throw new RangeError(`dangling escape in name ${JSON.stringify(name)}`);
      }
      continue;
    }
    if (c === 0x2e) {
      if (cur === '') throw new RangeError(`empty label in name ${JSON.stringify(name)}`);
      labels.push(cur);
      cur = '';
      i++;
      continue;
    }
    cur += name[i];
    i++;
  }
  if (cur !== '') labels.push(cur);
  const canon = labels.map(canonicalLabel);
  const keys = new Array<string>(labels.length);
  for (let k = labels.length - 1; k >= 0; k--) keys[k] = k === labels.length - 1 ? canon[k] : `${canon[k]}.${keys[k + 1]}`;
  return { labels, keys };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The decoder's rendering of a label (decode.ts labelText), from a byte string. */
function canonicalLabel(l: string): string {
  let s = '';
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (c === 0x2e || c === 0x5c) s += `\\${l[i]}`;
    else if (c <= 0x20 || c >= 0x7f) s += `\\${c < 10 ? '00' : c < 100 ? '0' : ''}${c}`;
    else s += l[i];
  }
  return s;
}

/** Uncompressed wire length of a name (validating it). */
export function nameLength(name: string): number {
  if (name === '' || name === '.') return 1;
  if (name.indexOf('\\') >= 0) {
    const p = parseEscapedName(name);
    let len = 1;
    for (const l of p.labels) len += l.length + 1;
    if (len > 255) throw new RangeError(`name too long: ${JSON.stringify(name)}`);
    return len;
  }
  const n = name.charCodeAt(name.length - 1) === 0x2e ? name.length - 1 : name.length;
  if (n + 2 > 255) throw new RangeError(`name too long: ${JSON.stringify(name)}`);
  return n + 2;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

function rdataLength(d: RData): number {
  switch (d.type) {
    case 'A': return 4;
    case 'AAAA': return 16;
    case 'CNAME': case 'PTR': case 'NS': return nameLength(d.target);
    case 'SRV': return 6 + nameLength(d.target);
    case 'SOA': return nameLength(d.mname) + nameLength(d.rname) + 20;
    case 'TXT': {
      let n = 0;
      for (const s of d.strings) n += 1 + utf8Length(s);
      return n;
    }
    case 'raw': return d.data.length;
  }
}

function rrLength(rr: ResourceRecord): number {
  return nameLength(rr.name) + 10 + rdataLength(rr.data);
}

function optLength(e: Edns): number {
  let n = 11;
  for (const o of e.options) n += 4 + o.data.length;
  return n;
}

const utf8 = new TextEncoder();

class Encoder {
  readonly buf: Uint8Array;
  pos = 0;
  limit: number;
  /** Suffix (canonical text) → offset; null when not compressing. */
  readonly comp: Map<string, number> | null;

  constructor(buf: Uint8Array, limit: number, compress: boolean) {
    this.buf = buf;
    this.limit = limit;
    this.comp = compress ? new Map() : null;
  }

  room(n: number): void {
    if (this.pos + n > this.limit) throw OVERFLOW;
  }

  u16(v: number): void {
    this.room(2);
    this.buf[this.pos++] = (v >> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
  }

  u32(v: number): void {
    this.room(4);
    const b = this.buf;
    b[this.pos++] = (v >>> 24) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = v & 0xff;
  }

  /**
   * Writes a name; with compression, the longest suffix already written with the exact same case becomes
   * a pointer (so every name keeps its own case). `point` false (SRV targets, RFC 2782) writes the name in
   * full but still lets later names point into it.
   */
  name(name: string, point = true): void {
    if (name === '' || name === '.') { this.room(1); this.buf[this.pos++] = 0; return; }
    if (name.indexOf('\\') >= 0) { this.parsedName(parseEscapedName(name), point); return; }
    const comp = this.comp;
    const b = this.buf;
    const n = name.charCodeAt(name.length - 1) === 0x2e ? name.length - 1 : name.length;
    if (n + 2 > 255) throw new RangeError(`name too long: ${JSON.stringify(name)}`);
    let start = 0;
    while (start < n) {
      const key = comp ? (start === 0 && n === name.length ? name : name.substring(start, n)) : '';
      if (comp && point) {
        const ptr = comp.get(key);
        if (ptr !== undefined) { this.u16(0xc000 | ptr); return; }
      }
      let dot = name.indexOf('.', start);
      if (dot < 0 || dot > n) dot = n;
      const len = dot - start;
      if (len === 0 || len > 63) throw new RangeError(`bad label in name ${JSON.stringify(name)}`);
      this.room(len + 1);
      if (comp && this.pos < 0x4000) comp.set(key, this.pos);
      b[this.pos++] = len;
      for (let i = start; i < dot; i++) {
        const c = name.charCodeAt(i);
        if (c > 0xff) throw new RangeError(`non-ASCII character in name ${JSON.stringify(name)}`);
        b[this.pos++] = c;
      }
      start = dot + 1;
    }
    this.room(1);
    b[this.pos++] = 0;
  }

  parsedName(p: ParsedName, point: boolean): void {
    const comp = this.comp;
    const b = this.buf;
    let total = 1;
    for (const l of p.labels) total += l.length + 1;
    if (total > 255) throw new RangeError('name too long');
    for (let i = 0; i < p.labels.length; i++) {
      if (comp && point) {
        const ptr = comp.get(p.keys[i]);
        if (ptr !== undefined) { this.u16(0xc000 | ptr); return; }
      }
      const l = p.labels[i];
      if (l.length > 63) throw new RangeError('label longer than 63 bytes');
      this.room(l.length + 1);
      if (comp && this.pos < 0x4000) comp.set(p.keys[i], this.pos);
      b[this.pos++] = l.length;
      for (let k = 0; k < l.length; k++) {
        const c = l.charCodeAt(k);
        if (c > 0xff) throw new RangeError('non-ASCII character in name');
        b[this.pos++] = c;
      }
    }
    this.room(1);
    b[this.pos++] = 0;
  }

  rr(rr: ResourceRecord): void {
    const d = rr.data;
    if (d.type !== 'raw' && TYPE_OF[d.type] !== rr.type) {
      throw new RangeError(`record ${rr.name} has type ${rr.type} but ${d.type} data`);
    }
    this.name(rr.name);
    this.u16(rr.type);
    this.u16(rr.class);
    this.u32(rr.ttl);
    this.u16(0);
    const lenAt = this.pos - 2;
    this.rdata(d);
    const len = this.pos - lenAt - 2;
    this.buf[lenAt] = len >> 8;
    this.buf[lenAt + 1] = len & 0xff;
  }

  rdata(d: RData): void {
    const b = this.buf;
    switch (d.type) {
      case 'A':
        this.room(4);
        if (!parseIPv4Into(d.address, 0, d.address.length, b, this.pos)) throw new RangeError(`bad IPv4 address ${JSON.stringify(d.address)}`);
        this.pos += 4;
        return;
      case 'AAAA': {
        const a = parseIPv6(d.address);
        if (!a) throw new RangeError(`bad IPv6 address ${JSON.stringify(d.address)}`);
        this.room(16);
        b.set(a, this.pos);
        this.pos += 16;
        return;
      }
      case 'CNAME': case 'PTR': case 'NS':
        this.name(d.target);
        return;
      case 'SRV':
        this.u16(d.priority);
        this.u16(d.weight);
        this.u16(d.port);
        this.name(d.target, false);
        return;
      case 'SOA':
        this.name(d.mname);
        this.name(d.rname);
        this.u32(d.serial);
        this.u32(d.refresh);
        this.u32(d.retry);
        this.u32(d.expire);
        this.u32(d.minimum);
        return;
      case 'TXT':
        for (const s of d.strings) this.text(s);
        return;
      case 'raw':
        this.room(d.data.length);
        b.set(d.data, this.pos);
        this.pos += d.data.length;
        return;
    }
  }

  text(s: string): void {
    const b = this.buf;
    let ascii = true;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) { ascii = false; break; }
    const len = ascii ? s.length : utf8Length(s);
    if (len > 255) throw new RangeError('TXT string longer than 255 bytes');
    this.room(len + 1);
    b[this.pos++] = len;
    if (ascii) {
      for (let i = 0; i < s.length; i++) b[this.pos++] = s.charCodeAt(i);
    } else {
      utf8.encodeInto(s, b.subarray(this.pos, this.pos + len));
      this.pos += len;
    }
  }

  opt(e: Edns): void {
    this.room(11);
    this.buf[this.pos++] = 0;
    this.u16(41);
    this.u16(e.udpSize);
    this.u32(((e.extendedRcode & 0xff) << 24) | ((e.version & 0xff) << 16) | (e.dnssecOk ? 0x8000 : 0));
    let len = 0;
    for (const o of e.options) len += 4 + o.data.length;
    this.u16(len);
    for (const o of e.options) {
      this.u16(o.code);
      this.u16(o.data.length);
      this.room(o.data.length);
      this.buf.set(o.data, this.pos);
      this.pos += o.data.length;
    }
  }
}

/**
 * Encodes a message within opts.maxSize (rule book §16.2): if the uncompressed form does not fit, names
 * are compressed; if that still does not fit, records are kept in order answer → authority → additional
 * until the first one that does not fit, the rest dropped, and TC set. The OPT record (msg.edns) is always
 * written last and its bytes are reserved first. Header + questions + OPT are always written, even past
 * maxSize (with TC set if any record was dropped).
 */
export function encodeMessage(msg: Message, opts: EncodeOptions): Uint8Array {
  const maxSize = Math.min(opts.maxSize, 65535);
  const optLen = msg.edns ? optLength(msg.edns) : 0;
  let head = 12;
  for (const q of msg.questions) head += nameLength(q.name) + 4;
  let full = head + optLen;
  for (const rr of msg.answers) full += rrLength(rr);
  for (const rr of msg.authorities) full += rrLength(rr);
  for (const rr of msg.additionals) full += rrLength(rr);
  const compress = opts.compress === true || full > maxSize;
  const size = Math.min(full, Math.max(maxSize, head + optLen));
  const buf = new Uint8Array(size);
  const e = new Encoder(buf, size - optLen, compress);
  e.pos = 12;
  for (const q of msg.questions) {
    e.name(q.name);
    e.u16(q.type);
    e.u16(q.class);
  }
  let an = 0, ns = 0, ar = 0;
  let dropped = false;
  let last = e.pos;
  try {
    for (const rr of msg.answers) { e.rr(rr); last = e.pos; an++; }
    for (const rr of msg.authorities) { e.rr(rr); last = e.pos; ns++; }
    for (const rr of msg.additionals) { e.rr(rr); last = e.pos; ar++; }
  } catch (err) {
    if (err !== OVERFLOW) throw err;
    dropped = true;
    e.pos = last;
  }
  if (msg.edns) {
    e.limit = size;
    e.opt(msg.edns);
    ar++;
  }
  const flags = encodeFlags(msg.flags) | (dropped ? 0x0200 : 0);
  buf[0] = (msg.id >> 8) & 0xff;
  buf[1] = msg.id & 0xff;
  buf[2] = flags >> 8;
  buf[3] = flags & 0xff;
  const qd = msg.questions.length;
  buf[4] = qd >> 8; buf[5] = qd & 0xff;
  buf[6] = an >> 8; buf[7] = an & 0xff;
  buf[8] = ns >> 8; buf[9] = ns & 0xff;
  buf[10] = ar >> 8; buf[11] = ar & 0xff;
  return e.pos === buf.length ? buf : buf.subarray(0, e.pos);
}

/** The uncompressed wire form of a name (validating it). */
export function nameToWire(name: string): Uint8Array {
  const buf = new Uint8Array(nameLength(name));
  const e = new Encoder(buf, buf.length, false);
  e.name(name);
  return buf;
}
