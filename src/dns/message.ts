// DNS messages as plain data: the contract between the wire codec (wire/), the resolver (kubernetes/)
// and the servers (server/). Names are presentation-format strings WITHOUT the trailing dot, with the
// case the client used (rule book §1.4, §17); comparisons are case-insensitive.

export const TYPE = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41,
  IXFR: 251, AXFR: 252, ANY: 255, CAA: 257,
} as const;

export const CLASS_IN = 1;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, BADVERS: 16 } as const;

export const OPCODE_QUERY = 0;

export type RData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME' | 'PTR' | 'NS'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'TXT'; strings: string[] }
  | { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }
  /** Any other type, kept as opaque bytes (decoding only). */
  | { type: 'raw'; data: Uint8Array };

export interface ResourceRecord {
  name: string;
  /** Numeric RR type (TYPE.*); must agree with data.type for the typed variants. */
  type: number;
  class: number;
  ttl: number;
  data: RData;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface Edns {
  /** The requester's advertised UDP payload size (RFC 6891); answers echo OUR size. */
  udpSize: number;
  version: number;
  dnssecOk: boolean;
  /** Upper 8 bits of the extended rcode (BADVERS = 16 → 1). */
  extendedRcode: number;
  options: Array<{ code: number; data: Uint8Array }>;
}

export interface Flags {
  qr: boolean; opcode: number; aa: boolean; tc: boolean; rd: boolean; ra: boolean; ad: boolean; cd: boolean;
  /** Low 4 bits of the rcode (the rest lives in EDNS). */
  rcode: number;
}

export interface Message {
  id: number;
  flags: Flags;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  edns?: Edns;
}

/** What a resolver returns for one question (the server builds the Message around it). */
export interface Answer {
  rcode: number;
  /** Authoritative answer (rule book §1.1: set on every answer from the cluster zone). */
  authoritative: boolean;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
}
