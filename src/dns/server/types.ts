// What the servers need from the rest of the DNS component, as interfaces so the request path can be
// tested with a fake resolver and the codec swapped (src/dns/wire is the real one).

import type { Answer, Message, Question } from '../message.ts';

/** Answers questions from the cluster view. `undefined` = the name is outside every zone served. */
export interface Resolver {
  resolve(q: Question): Answer | undefined;
  /** True once the watches have synced (rule book §1.7). */
  ready(): boolean;
  /** Names currently served (for the kubedisco_dns_names gauge); optional. */
  names?(): number;
  /**
   * Changes whenever any answer may change (view updates, sync state). With it, the server caches encoded
   * replies per question and reuses them, patching the id, until the version moves.
   */
  version?(): number;
  /**
   * Calls `listener` after every change of version() (view updates, the first sync, the startup timeout). With
   * it, worker threads can check their cached replies against a version the resolver's thread publishes.
   */
  onChange?(listener: () => void): void;
  /**
   * With an upstream configured: resolve() plus lookup of an ExternalName's out-of-zone CNAME target
   * through `upstream` (rule book §7.3). Called only for A/AAAA answers that end with a CNAME.
   */
  resolveChased?(q: Question, upstream: UpstreamLookup): Promise<Answer | undefined>;
}

/** One question asked of the upstream: its answer records, or undefined on failure. */
export type UpstreamLookup = (q: Question) => Promise<{ answers: import('../message.ts').ResourceRecord[]; truncated?: boolean } | undefined>;

export interface Codec {
  /** Throws on malformed input (any error is treated as FORMERR, with the id read from the header). */
  decode(buf: Uint8Array): Message;
  encode(msg: Message, opts: { maxSize: number; compress?: boolean }): Uint8Array;
}

export type Transport = 'udp' | 'tcp';
