// The sockets of one thread: UDP (node:dgram, reusePort so every thread binds the same port and the
// kernel spreads packets over them) and, on the main thread, TCP (node:net, RFC 1035 §4.2.2 2-byte
// length framing, RFC 7766 pipelining). Every packet goes through handlePacket; nothing a client sends
// can throw out of a handler.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { CachedReply, Outcome, Settled } from './handler.ts';
import type { DnsMetrics } from './metrics.ts';
import type { Forwarder } from './forward.ts';
import type { Transport } from './types.ts';

/** A thread's request path: how it decides on a packet, where it counts, and its upstream (if it forwards). */
export interface Responder {
  /** handlePacket with the resolver's context, or (worker threads) the cache, else ask the resolver's thread. */
  decide(buf: Uint8Array, transport: Transport): Outcome;
  /** The reply cached for this exact packet, if any (handler.ts cachedHit): the batch path copies it into its send slot. */
  cached?(buf: Uint8Array, transport: Transport): CachedReply | undefined;
  metrics: DnsMetrics;
  forwarder?: Forwarder;
}

/** The request path's verdict on one packet. Never throws: a codec or resolver bug drops the packet, not the server. */
export function decide(r: Responder, buf: Uint8Array, transport: Transport): Outcome {
  try {
    return r.decide(buf, transport);
  } catch {
    return { kind: 'drop' };
  }
}

/**
 * The reply of an outcome that is not ready yet (forwarded upstream, or pending), or undefined when there is
 * none to send. `query` must stay unchanged until this settles (copy it if its buffer is reused).
 */
export async function settle(r: Responder, out: Outcome, query: Uint8Array): Promise<Settled | undefined> {
  if (out.kind === 'reply') return out;
  if (out.kind === 'drop') return undefined;
  if (out.kind === 'pending') return out.reply.catch(() => undefined);
  if (!r.forwarder) return undefined;
  const res = await r.forwarder.forward(query).catch(() => undefined);
  if (!res) return undefined;
  if (res.ok) return { bytes: res.bytes, rcode: res.bytes[3] & 0x0f, qtype: out.qtype };
  return { bytes: out.fail(res.rcode), rcode: res.rcode, qtype: out.qtype };
}

/** Runs one request; `send` gets the reply bytes (maybe later, when forwarded), never on drop. */
export function respond(r: Responder, buf: Uint8Array, transport: Transport, send: (b: Uint8Array) => void): void {
  const t0 = performance.now();
  const out = decide(r, buf, transport);
  if (out.kind === 'reply') {
    send(out.bytes);
    r.metrics.observe(out.qtype, out.rcode, (performance.now() - t0) / 1000);
    return;
  }
  if (out.kind === 'drop') { r.metrics.drop(); return; }
  respondLater(r, out, buf, t0, send);
}

/** Sends an asynchronous outcome's reply when it settles and counts it (or counts the drop). */
export function respondLater(r: Responder, out: Outcome, query: Uint8Array, t0: number, send: (b: Uint8Array) => void): void {
  const qtype = out.kind === 'pending' || out.kind === 'forward' ? out.qtype : undefined;
  void settle(r, out, query).then((res) => {
    if (!res) { r.metrics.drop(); return; }
    send(res.bytes);
    r.metrics.observe(res.qtype ?? qtype, res.rcode, (performance.now() - t0) / 1000);
  });
}

export function listenUdp(r: Responder, host: string, port: number, reusePort: boolean): Promise<UdpSocket> {
  const sock = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', reusePort });
  sock.on('message', (msg, rinfo) => {
    respond(r, msg, 'udp', (b) => sock.send(b, rinfo.port, rinfo.address, () => { /* send errors: the client retries */ }));
  });
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, host, () => {
      sock.off('error', reject);
      sock.on('error', () => { /* ICMP unreachable and the like must not end the server */ });
      resolve(sock);
    });
  });
}

export interface TcpLimits {
  /** Connections at once (default 1000); more are closed on accept. */
  maxConnections?: number;
  /** A connection idle this long is closed (default 10 s, CoreDNS's TCP idle timeout). */
  idleTimeoutMs?: number;
  /** Largest query accepted (default 16 KiB; a query has one question and a few records at most). */
  maxQueryBytes?: number;
  /** Unsent replies above this close the connection (a client that does not read; default 1 MiB). */
  maxPendingWriteBytes?: number;
}

export function listenTcp(r: Responder, host: string, port: number, limits: TcpLimits = {}): Promise<Server> {
  const maxQuery = limits.maxQueryBytes ?? 16384;
  const idle = limits.idleTimeoutMs ?? 10_000;
  const maxPending = limits.maxPendingWriteBytes ?? 1 << 20;
  const server = createServer({ noDelay: true }, (conn: Socket) => {
    conn.setTimeout(idle, () => conn.destroy());
    conn.on('error', () => { /* resets mid-message are normal */ });
    let buf: Buffer = Buffer.alloc(0);
    const send = (b: Uint8Array): void => {
      if (conn.destroyed || !conn.writable) return;
      const frame = Buffer.allocUnsafe(2 + b.length);
      frame.writeUInt16BE(b.length, 0);
      frame.set(b, 2);
      conn.write(frame);
      if (conn.writableLength > maxPending) conn.destroy();
    };
    conn.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let off = 0;
      // Bounded: every iteration consumes at least the 2-byte length prefix.
      while (buf.length - off >= 2) {
        const len = buf.readUInt16BE(off);
        if (len > maxQuery || len === 0) { conn.destroy(); return; }
        if (buf.length - off - 2 < len) break;
        const msg = buf.subarray(off + 2, off + 2 + len);
        off += 2 + len;
        respond(r, new Uint8Array(msg), 'tcp', send);
        if (conn.destroyed) return;
      }
      buf = off === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(off));
      if (buf.length > maxQuery + 2) conn.destroy();
    });
  });
  server.maxConnections = limits.maxConnections ?? 1000;
  server.on('error', () => { /* accept errors (EMFILE) are transient */ });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => { server.off('error', reject); resolve(server); });
  });
}
