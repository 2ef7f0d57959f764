// The sockets of one thread: UDP (node:dgram, reusePort so every thread binds the same port and the
// kernel spreads packets over them) and, on the main thread, TCP (node:net, RFC 1035 §4.2.2 2-byte
// length framing, RFC 7766 pipelining). Every packet goes through handlePacket; nothing a client sends
// can throw out of a handler.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { handlePacket, type HandlerContext, type Outcome } from './handler.ts';
import type { DnsMetrics } from './metrics.ts';
import type { Forwarder } from './forward.ts';
import type { Transport } from './types.ts';

export interface Responder {
  ctx: HandlerContext;
  metrics: DnsMetrics;
  forwarder?: Forwarder;
}

/** Runs one request; `send` gets the reply bytes (maybe later, when forwarded), never on drop. */
export function respond(r: Responder, buf: Uint8Array, transport: Transport, send: (b: Uint8Array) => void): void {
  const t0 = performance.now();
  let out: Outcome;
  try {
    out = handlePacket(buf, transport, r.ctx);
  } catch {
    // A codec or resolver bug: drop this packet rather than the server.
    out = { kind: 'drop' };
  }
  if (out.kind === 'drop') { r.metrics.drop(); return; }
  if (out.kind === 'reply') {
    send(out.bytes);
    r.metrics.observe(out.qtype, out.rcode, (performance.now() - t0) / 1000);
    return;
  }
  if (out.kind === 'pending') {
    const qtype = out.qtype;
    out.reply.then(({ bytes, rcode }) => {
      send(bytes);
      r.metrics.observe(qtype, rcode, (performance.now() - t0) / 1000);
    }).catch(() => r.metrics.drop());
    return;
  }
  const fwd = out;
  if (!r.forwarder) { r.metrics.drop(); return; }
  r.forwarder.forward(buf).then((res) => {
    let bytes: Uint8Array;
    let rcode: number;
    if (res.ok) { bytes = res.bytes; rcode = bytes[3] & 0x0f; } else { rcode = res.rcode; bytes = fwd.fail(rcode); }
    send(bytes);
    r.metrics.observe(fwd.qtype, rcode, (performance.now() - t0) / 1000);
  }).catch(() => r.metrics.drop());
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
