// Builds raw DNS query packets for tests (RFC 1035 §4.1), including malformed ones.

export interface QueryOptions {
  id?: number; type?: number; class?: number; opcode?: number; rd?: boolean; qr?: boolean;
  /** EDNS OPT: advertised UDP size and version. */
  edns?: { udpSize: number; version?: number };
  /** Overrides the question count in the header (the packet still carries one question). */
  qdcount?: number;
}

export function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const l of name.split('.').filter(Boolean)) out.push(l.length, ...Buffer.from(l, 'latin1'));
  out.push(0);
  return out;
}

export function query(name: string, o: QueryOptions = {}): Uint8Array {
  const id = o.id ?? 0x1234;
  const b: number[] = [id >> 8, id & 0xff, (o.qr ? 0x80 : 0) | ((o.opcode ?? 0) << 3) | (o.rd === false ? 0 : 1), 0];
  const qd = o.qdcount ?? 1;
  b.push(qd >> 8, qd & 0xff, 0, 0, 0, 0, 0, o.edns ? 1 : 0);
  const type = o.type ?? 1;
  const cls = o.class ?? 1;
  b.push(...encodeName(name), type >> 8, type & 0xff, cls >> 8, cls & 0xff);
  if (o.edns) b.push(0, 0, 41, o.edns.udpSize >> 8, o.edns.udpSize & 0xff, 0, o.edns.version ?? 0, 0, 0, 0, 0);
  return new Uint8Array(b);
}

export interface ParsedHeader { id: number; qr: boolean; opcode: number; aa: boolean; tc: boolean; rd: boolean; ra: boolean; rcode: number; qd: number; an: number; ns: number; ar: number }

export function header(b: Uint8Array): ParsedHeader {
  const u = (i: number): number => (b[i] << 8) | b[i + 1];
  return { id: u(0), qr: !!(b[2] & 0x80), opcode: (b[2] >> 3) & 15, aa: !!(b[2] & 4), tc: !!(b[2] & 2), rd: !!(b[2] & 1), ra: !!(b[3] & 0x80), rcode: b[3] & 15, qd: u(4), an: u(6), ns: u(8), ar: u(10) };
}
