// The request path shared by the UDP and TCP servers: header checks on the raw bytes, decode, the
// server-level rules (rule book §1.6, §1.7, §15, §16.1), the resolver, and encoding within the
// transport's size limit. Pure (no sockets), so it is table-tested with a fake resolver and codec.

import { CLASS_IN, OPCODE_QUERY, RCODE, TYPE, type Answer, type Edns, type Message } from '../message.ts';
import type { Codec, Resolver, Transport, UpstreamLookup } from './types.ts';

export interface HandlerContext {
  resolver: Resolver;
  codec: Codec;
  /** True once answers may be NXDOMAIN (watches synced or the startup timeout passed, §1.7). */
  synced(): boolean;
  /** An upstream is configured: out-of-zone queries are forwarded instead of REFUSED (§15). */
  forwarding: boolean;
  /** Encoded replies by question, valid for one resolver version (used when the resolver has version()). */
  cache?: ReplyCache;
  /** The upstream as a lookup function (set with an upstream): ExternalName targets outside the zone are chased. */
  upstreamLookup?: UpstreamLookup;
  /** The version cached replies are valid for (default: answerVersion(ctx)); the server publishes it to worker threads. */
  cacheVersion?(): number;
}

/** A cached reply: the encoded bytes (with the id of the query that produced it) and what metrics need. */
export interface CachedReply { bytes: Uint8Array; qtype: number; rcode: number }

interface CacheEntry extends CachedReply {
  /** The question section as the client wrote it (name bytes with their case, type, class). */
  question: Uint8Array;
  /** Size budget, EDNS presence and DO, RD and CD (see questionKey). */
  variant: number;
  /** The next entry with the same hash. */
  next?: CacheEntry;
}

/**
 * Encoded replies keyed by everything that shapes them: the question exactly as written (the name's case
 * is echoed), the size budget, EDNS presence and DO, RD and CD. Keys are read from the raw packet (no
 * strings are built on the hot path): a 32-bit hash to find the entry, the bytes compared to confirm it.
 * Valid while the answer version is unchanged; cleared as a whole when it moves. Bounded in entries.
 */
export class ReplyCache {
  private readonly map = new Map<number, CacheEntry>();
  private version = NaN;
  private readonly max: number;
  private count = 0;
  hits = 0;
  constructor(max = 10_000) { this.max = max; }

  /** The reply cached for the question `k` describes in `buf`, if it was stored at `version`. */
  get(buf: Uint8Array, k: QuestionKey, version: number): CachedReply | undefined {
    if (version !== this.version) { this.reset(version); return undefined; }
    const e = this.find(buf, k);
    if (e) this.hits++;
    return e;
  }

  set(buf: Uint8Array, k: QuestionKey, version: number, v: CachedReply): void {
    if (version !== this.version) this.reset(version);
    if (this.find(buf, k)) return; // already there (two threads asked at once)
    if (this.count >= this.max) this.reset(version);
    let head = this.map.get(k.hash);
    let n = 0;
    for (let e = head; e; e = e.next) n++;
    if (n >= MAX_CHAIN) { this.count -= n; head = undefined; }
    const question = buf.slice(HEADER_SIZE, k.end);
    this.map.set(k.hash, { bytes: v.bytes, qtype: v.qtype, rcode: v.rcode, question, variant: k.variant, next: head });
    this.count++;
  }

  /** The entry for exactly this question and variant: the hash finds the chain, the bytes confirm. */
  private find(buf: Uint8Array, k: QuestionKey): CacheEntry | undefined {
    for (let e = this.map.get(k.hash); e; e = e.next) {
      if (e.variant !== k.variant || e.question.length !== k.end - HEADER_SIZE) continue;
      let same = true;
      for (let i = 0, j = HEADER_SIZE; i < e.question.length; i++, j++) if (e.question[i] !== buf[j]) { same = false; break; }
      if (same) return e;
    }
    return undefined;
  }

  private reset(version: number): void { this.map.clear(); this.count = 0; this.version = version; }
  get size(): number { return this.count; }
}

const HASH_SEED = (0x811c9dc5 ^ ((Math.random() * 0x100000000) >>> 0)) >>> 0;
/** Entries with one hash at most; a longer chain (crafted collisions) is started afresh. */
const MAX_CHAIN = 8;

/** Where a plain query's question ends, its hash, and the reply variant it asks for. */
export interface QuestionKey { end: number; hash: number; variant: number }

/**
 * The cache key of a plain query, read from the raw bytes: exactly one question with an uncompressed name,
 * then nothing or one well-formed OPT record (RFC 6891) and nothing after it. Anything else (null) takes
 * the full decoder, which gives malformed packets their FORMERR. Call after precheck.
 */
export function questionKey(buf: Uint8Array, transport: Transport): QuestionKey | null {
  if (buf.length < HEADER_SIZE || ((buf[4] << 8) | buf[5]) !== 1 || ((buf[6] << 8) | buf[7]) !== 0 || ((buf[8] << 8) | buf[9]) !== 0) return null;
  const ar = (buf[10] << 8) | buf[11];
  if (ar > 1) return null;
  let p = HEADER_SIZE;
  let h = HASH_SEED; // FNV-1a over the question bytes, seeded per process (no precomputed collisions)
  for (let labels = 0; ; labels++) {
    if (p >= buf.length || labels > 127) return null;
    const l = buf[p];
    if (l > 63) return null; // compression pointer or reserved label type
    if (p + 1 + l > buf.length) return null;
    for (let i = p; i <= p + l; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    p += 1 + l;
    if (l === 0) break;
  }
  if (p - HEADER_SIZE > 255 || p + 4 > buf.length) return null;
  if (buf[p + 2] !== 0 || buf[p + 3] !== 1) return null; // class IN only (others are answered by the full path)
  for (let i = p; i < p + 4; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  const end = p + 4;
  let size = UDP_MIN;
  let edns = 0;
  if (ar === 1) {
    // The OPT: root owner, TYPE 41, version 0, options well-formed, and the packet ends with it.
    const o = end;
    if (o + 11 > buf.length || buf[o] !== 0 || buf[o + 1] !== 0 || buf[o + 2] !== 41) return null;
    if (buf[o + 6] !== 0) return null; // EDNS version > 0: BADVERS from the full path
    const rdlen = (buf[o + 9] << 8) | buf[o + 10];
    let q = o + 11;
    const last = q + rdlen;
    if (last !== buf.length) return null;
    while (q < last) {
      if (q + 4 > last) return null;
      q += 4 + ((buf[q + 2] << 8) | buf[q + 3]);
    }
    if (q !== last) return null;
    size = Math.min(TCP_MAX, Math.max(UDP_MIN, (buf[o + 3] << 8) | buf[o + 4]));
    edns = buf[o + 7] & 0x80 ? 2 : 1;
  } else if (end !== buf.length) {
    return null;
  }
  // The reply echoes the client's (clamped) size in its OPT (§16.1) and is cut to the transport's budget:
  // both are in the key (on UDP the budget is that size; on TCP it is 65535 whatever the OPT says).
  const variant = ((transport === 'tcp' ? 1 : 0) * 65536 + size) * 16 + edns * 4 + (buf[2] & 0x01) * 2 + ((buf[3] & 0x10) >> 4);
  return { end, hash: Math.imul(h ^ variant, 0x01000193) >>> 0, variant };
}

export type Outcome =
  /** Nothing is sent (no readable header, or the packet is itself a response: answering could loop). */
  | { kind: 'drop' }
  /** cacheVersion: set when the reply was stored in the reply cache under that version (another thread may cache it too). */
  | { kind: 'reply'; bytes: Uint8Array; qtype: number | undefined; rcode: number; cacheVersion?: number }
  /** Out of zone with an upstream: relay the query; `fail` builds our answer if the upstream fails. */
  | { kind: 'forward'; qtype: number; fail(rcode: number): Uint8Array }
  /**
   * A reply computed later: an ExternalName answer whose target is looked up upstream (§7.3), or a worker
   * thread's question answered by the thread holding the resolver. Settles to the reply, or undefined: drop.
   */
  | { kind: 'pending'; qtype: number | undefined; reply: Promise<Settled | undefined> };

/** A reply that was computed asynchronously (qtype when the thread that asked did not know it). */
export interface Settled { bytes: Uint8Array; rcode: number; qtype?: number; cacheVersion?: number }

export const HEADER_SIZE = 12;
/** Message size limits of rule book §16.1. */
export const UDP_MIN = 512;
export const TCP_MAX = 65535;

/** The byte budget of an answer: 512 on UDP without EDNS, the client's size (≥512) with it, 65535 on TCP. */
export function maxSize(transport: Transport, edns: Edns | undefined): number {
  if (transport === 'tcp') return TCP_MAX;
  if (!edns) return UDP_MIN;
  return Math.min(TCP_MAX, Math.max(UDP_MIN, edns.udpSize));
}

/**
 * An answer made of the request's header only (no sections): what miekg/dns (CoreDNS's server)
 * sends when it rejects a message before unpacking it: FORMERR for bad counts or undecodable
 * contents, NOTIMP for an opcode other than QUERY. The id and opcode are echoed; RD and CD too for QUERY.
 */
export function headerOnlyReply(req: Uint8Array, rcode: number): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  out[0] = req[0];
  out[1] = req[1];
  const opcode = (req[2] >> 3) & 0x0f;
  out[2] = 0x80 | (opcode << 3) | (opcode === OPCODE_QUERY ? req[2] & 0x01 : 0);
  out[3] = (opcode === OPCODE_QUERY ? req[3] & 0x10 : 0) | (rcode & 0x0f);
  return out;
}

/** The largest UDP query answered in full (the native I/O's slot size; a query is one question and an OPT). */
export const UDP_MAX_QUERY = 4096;

/**
 * A UDP query above UDP_MAX_QUERY, judged on its header alone (all the native I/O keeps of it): FORMERR
 * (NOTIMP for another opcode) with its id, header only, as for a malformed query; a response is dropped.
 */
export function oversizedReply(head: Uint8Array): Outcome {
  if (head[2] & 0x80) return { kind: 'drop' };
  return headerReply(head, ((head[2] >> 3) & 0x0f) === OPCODE_QUERY ? RCODE.FORMERR : RCODE.NOTIMP);
}

function u16(b: Uint8Array, i: number): number { return (b[i] << 8) | b[i + 1]; }

/**
 * The checks made on the raw header before anything is decoded (miekg/dns, CoreDNS's server): a verdict,
 * or undefined when the packet is a plain query worth decoding.
 */
export function precheck(buf: Uint8Array, transport: Transport): Outcome | undefined {
  // Fewer bytes than a header: there is no id to answer to.
  if (buf.length < HEADER_SIZE) return { kind: 'drop' };
  if (transport === 'udp' && buf.length > UDP_MAX_QUERY) return oversizedReply(buf);
  // QR set: a response, not a query. Answering responses lets two servers bounce packets forever.
  if (buf[2] & 0x80) return { kind: 'drop' };
  const opcode = (buf[2] >> 3) & 0x0f;
  if (opcode !== OPCODE_QUERY) return headerReply(buf, RCODE.NOTIMP);
  // miekg/dns DefaultMsgAcceptFunc: exactly one question; at most 1 answer, 1 authority, 2 additional.
  if (u16(buf, 4) !== 1 || u16(buf, 6) > 1 || u16(buf, 8) > 1 || u16(buf, 10) > 2) return headerReply(buf, RCODE.FORMERR);
  return undefined;
}

/** What a thread needs to answer from its reply cache. */
export interface CacheContext {
  cache?: ReplyCache;
  /** The version cached replies must carry to be served (see HandlerContext.cacheVersion). */
  cacheVersion?(): number;
}

/** A question the cache could not answer: its key (if it has one) and the version it was looked up at. */
export interface CacheMiss { kind: 'miss'; key?: QuestionKey; version: number }

/** The cached reply for a plain query (call after precheck), or a miss. */
export function lookupCached(buf: Uint8Array, transport: Transport, ctx: CacheContext): { kind: 'hit'; reply: CachedReply; version: number } | CacheMiss {
  if (!ctx.cache || !ctx.cacheVersion) return { kind: 'miss', version: 0 };
  const key = questionKey(buf, transport);
  if (!key) return { kind: 'miss', version: 0 };
  const version = ctx.cacheVersion();
  const reply = ctx.cache.get(buf, key, version);
  return reply ? { kind: 'hit', reply, version } : { kind: 'miss', key, version };
}

/**
 * The cached reply for `buf` if it is a plain query (QR clear, opcode QUERY, one question) whose reply is
 * cached at the current version; the caller copies it and patches the id (the batch path writes it straight
 * into its send slot). Anything else: undefined, and the packet takes the full path.
 */
export function cachedHit(buf: Uint8Array, transport: Transport, ctx: CacheContext): CachedReply | undefined {
  if (buf.length < HEADER_SIZE || (buf[2] & 0xf8) !== 0 || buf[4] !== 0 || buf[5] !== 1) return undefined;
  const c = lookupCached(buf, transport, ctx);
  return c.kind === 'hit' ? c.reply : undefined;
}

/**
 * The fast path (performance-anchors B1 "cached buffer"): a plain query whose reply is cached for the current
 * version is answered with a copy of the cached bytes and the request's id patched in. Call after precheck.
 */
export function cachedReply(buf: Uint8Array, transport: Transport, ctx: CacheContext): Outcome | CacheMiss {
  const c = lookupCached(buf, transport, ctx);
  if (c.kind === 'miss') return c;
  const bytes = c.reply.bytes.slice();
  bytes[0] = buf[0];
  bytes[1] = buf[1];
  return { kind: 'reply', bytes, qtype: c.reply.qtype, rcode: c.reply.rcode, cacheVersion: c.version };
}

/** The version of the resolver's answers together with the server's synced state (either changes answers). */
export function answerVersion(ctx: HandlerContext): number {
  return ctx.resolver.version ? ctx.resolver.version() * 2 + (ctx.synced() ? 1 : 0) : 0;
}

export function handlePacket(buf: Uint8Array, transport: Transport, ctx: HandlerContext): Outcome {
  const early = precheck(buf, transport);
  if (early) return early;

  // Fast path: a plain query whose reply is cached for the current resolver version → copy, patch the id.
  let cacheKey: QuestionKey | undefined;
  let version = 0;
  if (ctx.resolver.version) {
    const c = cachedReply(buf, transport, ctx.cacheVersion ? ctx : { cache: ctx.cache, cacheVersion: () => answerVersion(ctx) });
    if (c.kind !== 'miss') return c;
    cacheKey = c.key;
    version = c.version;
  }

  let req: Message;
  try {
    req = ctx.codec.decode(buf);
  } catch {
    return headerReply(buf, RCODE.FORMERR);
  }
  const q = req.questions[0];
  if (!q || req.questions.length !== 1) return headerReply(buf, RCODE.FORMERR);
  const size = maxSize(transport, req.edns);
  const reply = (rcode: number, a?: Answer): Outcome => ({ kind: 'reply', bytes: ctx.codec.encode(buildResponse(req, rcode, a), { maxSize: size, compress: true }), qtype: q.type, rcode });

  // §1.6: EDNS version above 0 → BADVERS (answered with an OPT of version 0).
  if (req.edns && req.edns.version > 0) return reply(RCODE.BADVERS);
  // §1.6: only class IN is served.
  if (q.class !== CLASS_IN) return reply(RCODE.REFUSED);

  let answer: Answer | undefined;
  try {
    answer = ctx.resolver.resolve(q);
  } catch {
    return reply(RCODE.SERVFAIL);
  }
  if (answer === undefined) {
    // §1.6/§15: outside the zone: REFUSED, unless an upstream is configured (never an open resolver by default).
    if (!ctx.forwarding) return reply(RCODE.REFUSED);
    return { kind: 'forward', qtype: q.type, fail: (rcode) => ctx.codec.encode(buildResponse(req, rcode), { maxSize: size, compress: true }) };
  }
  // §1.7: before the watches have synced, what would be NXDOMAIN is SERVFAIL (SOA kept).
  // §7.3: an A/AAAA answer ending with a CNAME (an ExternalName) may point outside the zone: with an
  // upstream, the resolver looks the target up there and appends its records.
  const last = answer.answers[answer.answers.length - 1];
  if (ctx.upstreamLookup && ctx.resolver.resolveChased && last?.data.type === 'CNAME' && (q.type === TYPE.A || q.type === TYPE.AAAA)) {
    const chased = ctx.resolver.resolveChased(q, ctx.upstreamLookup).then(
      (a) => a ?? answer,
      () => answer,
    ).then((a) => ({ bytes: ctx.codec.encode(buildResponse(req, a.rcode, a), { maxSize: size, compress: true }), rcode: a.rcode }));
    return { kind: 'pending', qtype: q.type, reply: chased };
  }
  const out = answer.rcode === RCODE.NXDOMAIN && !ctx.synced() ? reply(RCODE.SERVFAIL, { ...answer, rcode: RCODE.SERVFAIL }) : reply(answer.rcode, answer);
  if (cacheKey !== undefined && out.kind === 'reply') {
    ctx.cache!.set(buf, cacheKey, version, { bytes: out.bytes, qtype: q.type, rcode: out.rcode });
    out.cacheVersion = version;
  }
  return out;
}

function headerReply(buf: Uint8Array, rcode: number): Outcome {
  return { kind: 'reply', bytes: headerOnlyReply(buf, rcode), qtype: undefined, rcode };
}

/** The response to `req`: its id and question, RD/CD echoed, RA never set (§1.1), OPT echoed (§16.1). */
export function buildResponse(req: Message, rcode: number, a?: Answer): Message {
  const msg: Message = {
    id: req.id,
    flags: { qr: true, opcode: OPCODE_QUERY, aa: a?.authoritative ?? false, tc: false, rd: req.flags.rd, ra: false, ad: false, cd: req.flags.cd, rcode: rcode & 0x0f },
    questions: req.questions.slice(0, 1),
    answers: a?.answers ?? [],
    authorities: a?.authorities ?? [],
    additionals: a?.additionals ?? [],
  };
  if (req.edns) {
    msg.edns = { udpSize: Math.max(UDP_MIN, Math.min(TCP_MAX, req.edns.udpSize)), version: 0, dnssecOk: req.edns.dnssecOk, extendedRcode: rcode >> 4, options: [] };
  } else if (rcode > 0x0f) {
    // An extended rcode cannot be expressed without EDNS; BADVERS only arises with EDNS anyway.
    msg.flags.rcode = RCODE.SERVFAIL;
  }
  return msg;
}
