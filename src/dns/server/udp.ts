// One thread's UDP socket, through the native batch I/O (udp-batch.ts) or node:dgram (serve.ts), chosen by
// `UdpIo`: 'auto' takes the native one when it is built.

import type { Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { listenUdp, type Responder } from './serve.ts';
import { listenUdpBatch, nativeUdp } from './udp-batch.ts';

/** How UDP is read and written: recvmmsg/sendmmsg batches (native), node:dgram, or native when available (auto). */
export type UdpIo = 'auto' | 'native' | 'dgram';

export interface UdpListener {
  port: number;
  io: 'native' | 'dgram';
  close(): Promise<void>;
}

/** The I/O `want` resolves to on this machine, and why native is not used when it is not. */
export function resolveUdpIo(want: UdpIo = 'auto'): { io: 'native' | 'dgram'; why?: string } {
  if (want === 'dgram') return { io: 'dgram', why: 'dgram requested' };
  const n = nativeUdp();
  if (n.addon) return { io: 'native' };
  if (want === 'native') throw new Error(`native UDP I/O unavailable: ${n.why}`);
  return { io: 'dgram', why: n.why };
}

export async function listenUdpWith(io: 'native' | 'dgram', r: Responder, host: string, port: number, reusePort: boolean): Promise<UdpListener> {
  if (io === 'native') {
    // The addon binds IP literals; a name (localhost) is resolved first, as node:dgram does.
    const ip = isIP(host) ? host : (await lookup(host)).address;
    const s = listenUdpBatch(r, nativeUdp().addon!, ip, port, reusePort);
    return { port: s.port, io, close: async () => s.close() };
  }
  const s: UdpSocket = await listenUdp(r, host, port, reusePort);
  return { port: s.address().port, io, close: () => new Promise<void>((res) => s.close(() => res())) };
}
