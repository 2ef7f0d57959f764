// Relays out-of-zone queries to the configured upstream over UDP (rule book §15; CoreDNS `forward`):
// one socket, a fresh random id per query, a timeout, and a bound on queries in flight.

import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { Codec, UpstreamLookup } from './types.ts';

export interface ForwarderOptions {
  host: string;
  port: number;
  /** Per-query timeout (default 2 s); SERVFAIL after it. */
  timeoutMs?: number;
  /** Queries in flight (default 1000, CoreDNS forward's max_concurrent of kubeadm); REFUSED beyond. */
  maxInFlight?: number;
}

export type ForwardResult = { ok: true; bytes: Uint8Array } | { ok: false; rcode: number };

interface Pending { clientId: number; done(r: ForwardResult): void; timer: NodeJS.Timeout }

const SERVFAIL = 2;
const REFUSED = 5;

export class Forwarder {
  private readonly socket: Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly opts: Required<ForwarderOptions>;
  private closed = false;

  constructor(opts: ForwarderOptions) {
    this.opts = { timeoutMs: 2000, maxInFlight: 1000, ...opts };
    this.socket = createSocket(isIP(opts.host) === 6 ? 'udp6' : 'udp4');
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    this.socket.on('error', () => { /* a send error fails only that query, through its timeout */ });
  }

  get inFlight(): number { return this.pending.size; }

  forward(query: Uint8Array): Promise<ForwardResult> {
    if (this.closed || this.pending.size >= this.opts.maxInFlight) return Promise.resolve({ ok: false, rcode: REFUSED });
    let id = randomInt(0x10000);
    for (let i = 0; this.pending.has(id) && i < 0x10000; i++) id = (id + 1) & 0xffff;
    const out = Buffer.from(query);
    const clientId = (out[0] << 8) | out[1];
    out[0] = id >> 8;
    out[1] = id & 0xff;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.pending.delete(id); resolve({ ok: false, rcode: SERVFAIL }); }, this.opts.timeoutMs);
      this.pending.set(id, { clientId, timer, done: resolve });
      this.socket.send(out, this.opts.port, this.opts.host, (err) => {
        if (err && this.pending.get(id)?.timer === timer) { clearTimeout(timer); this.pending.delete(id); resolve({ ok: false, rcode: SERVFAIL }); }
      });
    });
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    // Only answers from the upstream, with an id we are waiting for and QR set, are relayed.
    if (port !== this.opts.port || msg.length < 12 || !(msg[2] & 0x80)) return;
    if (address !== this.opts.host && !(this.opts.host === 'localhost' && (address === '127.0.0.1' || address === '::1'))) return;
    const id = (msg[0] << 8) | msg[1];
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    const bytes = new Uint8Array(msg);
    bytes[0] = p.clientId >> 8;
    bytes[1] = p.clientId & 0xff;
    p.done({ ok: true, bytes });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.done({ ok: false, rcode: SERVFAIL }); }
    this.pending.clear();
    this.socket.close();
  }
}

/** The forwarder as a lookup function for ExternalName chasing (§7.3): answer records, or undefined on failure. */
export function upstreamLookup(f: Forwarder, codec: Codec): UpstreamLookup {
  return async (q) => {
    const query = codec.encode({
      id: 0, flags: { qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0 },
      questions: [q], answers: [], authorities: [], additionals: [],
      edns: { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [] },
    }, { maxSize: 512 });
    const res = await f.forward(query);
    if (!res.ok) return undefined;
    let m;
    try { m = codec.decode(res.bytes); } catch { return undefined; }
    if (m.flags.rcode !== 0) return { answers: [] };
    return { answers: m.answers, truncated: m.flags.tc };
  };
}
