// UDP through the native batch I/O (native/udp-batch.c: recvmmsg/sendmmsg, polled by this thread's event
// loop), with the same request path as the node:dgram listener in serve.ts. Loaded only when built
// (scripts/build-native.ts); otherwise nativeUdp() says why and the server uses node:dgram.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decide, respondLater, type Responder } from './serve.ts';
import { HEADER_SIZE, oversizedReply } from './handler.ts';

/** The addon's exports (native/udp-batch.c). */
interface Addon {
  ABI: number;
  BATCH: number;
  SLOT: number;
  ADDR: number;
  open(host: string, port: number, reusePort: boolean, inBuf: Uint8Array, inLen: Int32Array, addr: Uint8Array,
    outBuf: Uint8Array, outLen: Int32Array, onBatch: (n: number) => void): unknown;
  port(h: unknown): number;
  sendTo(h: unknown, addr: Uint8Array, data: Uint8Array): number;
  close(h: unknown): void;
}

const ADDON_ABI = 2;
const ADDON_PATH = fileURLToPath(new URL('./native/udp-batch.node', import.meta.url));

let loaded: { addon?: Addon; why?: string } | undefined;

/** The addon, or why it is not available (not built, not Linux, an ABI mismatch). */
export function nativeUdp(): { addon?: Addon; why?: string } {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) return (loaded = { why: 'src/dns/server/native/udp-batch.node is not built (npm ci builds it with cc; see scripts/build-native.ts)' });
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as Addon;
    if (addon.ABI !== ADDON_ABI) return (loaded = { why: `udp-batch.node has ABI ${addon.ABI}, expected ${ADDON_ABI}: rebuild with node scripts/build-native.ts` });
    return (loaded = { addon });
  } catch (e) {
    return (loaded = { why: `udp-batch.node failed to load: ${(e as Error).message}` });
  }
}

/** A bound batch UDP socket of this thread. */
export interface BatchUdpSocket {
  port: number;
  close(): void;
}

/**
 * Binds host:port (reusePort: every serving thread binds the same port) and answers every datagram through
 * the request path. Replies ready at once go out with the batch (sendmmsg); later ones (forwarded, or asked of
 * another thread) with sendTo. A reply larger than a slot (only possible with EDNS sizes above 4096) too.
 */
export function listenUdpBatch(r: Responder, addon: Addon, host: string, port: number, reusePort: boolean): BatchUdpSocket {
  const { BATCH, SLOT, ADDR } = addon;
  const inBuf = new Uint8Array(BATCH * SLOT);
  const inLen = new Int32Array(BATCH);
  const addr = new Uint8Array(BATCH * ADDR);
  const outBuf = new Uint8Array(BATCH * SLOT);
  const outLen = new Int32Array(BATCH);
  const qtypes = new Int32Array(BATCH);
  const rcodes = new Int32Array(BATCH);
  let closed = false;
  const sendLater = (peer: Uint8Array) => (b: Uint8Array): void => { if (!closed) addon.sendTo(h, peer, b); };
  /** Answers slot i (reply into its send slot, or later); returns the count of replies to observe. */
  const answer = (i: number, t0: number, answered: number): number => {
    const len = inLen[i];
    const off = i * SLOT;
    // -1: larger than a slot (UDP_MAX_QUERY); its header is all oversizedReply needs.
    const q = inBuf.subarray(off, off + (len < 0 ? HEADER_SIZE : len));
    const hit = len < 0 ? undefined : r.cached?.(q, 'udp');
    if (hit && hit.bytes.length <= SLOT) {
      // The hot path: no allocation, the cached bytes straight into the send slot with this query's id.
      outBuf.set(hit.bytes, off);
      outBuf[off] = q[0];
      outBuf[off + 1] = q[1];
      outLen[i] = hit.bytes.length;
      qtypes[answered] = hit.qtype;
      rcodes[answered] = hit.rcode;
      return answered + 1;
    }
    const out = len < 0 ? oversizedReply(q) : decide(r, q, 'udp');
    if (out.kind === 'reply') {
      if (out.bytes.length <= SLOT) {
        outBuf.set(out.bytes, off);
        outLen[i] = out.bytes.length;
      } else {
        addon.sendTo(h, addr.slice(i * ADDR, (i + 1) * ADDR), out.bytes);
      }
      qtypes[answered] = out.qtype ?? -1;
      rcodes[answered++] = out.rcode;
    } else if (out.kind === 'drop') {
      r.metrics.drop();
    } else {
      // The slot is reused by the next batch: keep copies of the query and the peer's address.
      respondLater(r, out, q.slice(), t0, sendLater(addr.slice(i * ADDR, (i + 1) * ADDR)));
    }
    return answered;
  };
  const onBatch = (n: number): void => {
    // One clock reading per batch: every reply of the batch leaves together (sendmmsg) after the loop.
    const t0 = performance.now();
    let answered = 0;
    for (let i = 0; i < n; i++) {
      try {
        answered = answer(i, t0, answered);
      } catch {
        // A bug on this path must cost one packet, never the process (an exception here would be uncaught).
        outLen[i] = 0;
        r.metrics.drop();
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    for (let j = 0; j < answered; j++) r.metrics.observe(qtypes[j] < 0 ? undefined : qtypes[j], rcodes[j], seconds);
  };
  let h: unknown;
  try {
    h = addon.open(host, port, reusePort, inBuf, inLen, addr, outBuf, outLen, onBatch);
  } catch (e) {
    // The same shape as node:dgram's bind errors ("bind EADDRINUSE 127.0.0.1:1053", code EADDRINUSE).
    const code = (e as NodeJS.ErrnoException).code ?? 'EBIND';
    throw Object.assign(new Error(`bind ${code} ${host}:${port}`), { code, syscall: 'bind', address: host, port, cause: e });
  }
  return {
    port: addon.port(h),
    close() { if (!closed) { closed = true; addon.close(h); } },
  };
}
