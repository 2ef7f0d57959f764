// The Backend contract in memory: the reference semantics for backend.suite.ts and a fast store for
// unit tests. A write commits the moment it is validated (there is no disk), so its promise is already
// settled when the call returns and reads see it at once. History is a ring of the last historyLimit
// events; whatever falls out of it counts as compacted.

import {
  CompactedError, KeyExistsError, NotFoundError, RevisionMismatchError, StorageError,
} from '../backend.ts';
import type { Backend, KeyValue, ListOptions, ListResult, Watcher, WatchEvent, WatchHandlers } from '../backend.ts';
import { EventRing } from '../internal/event-ring.ts';
import { Keyspace } from '../internal/keyspace.ts';
import { freezeKv, makeEvent } from '../internal/kv.ts';
import { WatchHub } from '../internal/watch-hub.ts';

export interface MemoryBackendOptions {
  /** Events kept for watch replay; older revisions become compacted automatically. Default 10,000. */
  historyLimit?: number;
  /** Events queued for one paused watcher before it is ended with onClose('slow'). Default 10,000. */
  watchBufferSize?: number;
}

export class MemoryBackend implements Backend {
  private readonly state = new Keyspace();
  private readonly history: EventRing;
  private readonly hub: WatchHub;
  private revision = 0;
  private compacted = 0;
  private closed = false;

  constructor(opts: MemoryBackendOptions = {}) {
    this.history = new EventRing(opts.historyLimit ?? 10_000, 1);
    this.hub = new WatchHub(
      { readHistory: (after, upTo, limit) => this.readHistory(after, upTo, limit) },
      () => this.revision,
      { bufferSize: opts.watchBufferSize ?? 10_000 },
    );
  }

  currentRevision(): number { return this.revision; }
  compactedRevision(): number { return this.compacted; }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    return this.state.get(key);
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    return this.state.list(prefix, opts, this.revision);
  }

  async create(key: string, value: string): Promise<number> {
    this.checkWrite(key, value);
    if (this.state.get(key)) throw new KeyExistsError(key);
    const rev = this.revision + 1;
    return this.commit('PUT', freezeKv(key, value, rev, rev), undefined);
  }

  async update(key: string, value: string, expectedRevision: number): Promise<number> {
    this.checkWrite(key, value);
    const cur = this.state.get(key);
    if (!cur) throw new NotFoundError(key);
    if (cur.modRevision !== expectedRevision) throw new RevisionMismatchError(key, cur.modRevision);
    return this.commit('PUT', freezeKv(key, value, cur.createRevision, this.revision + 1), cur);
  }

  async delete(key: string, expectedRevision?: number): Promise<number> {
    this.checkWrite(key, '');
    const cur = this.state.get(key);
    if (!cur) throw new NotFoundError(key);
    if (expectedRevision !== undefined && cur.modRevision !== expectedRevision) {
      throw new RevisionMismatchError(key, cur.modRevision);
    }
    return this.commit('DELETE', freezeKv(key, cur.value, cur.createRevision, this.revision + 1), cur);
  }

  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher {
    this.checkOpen();
    if (fromRevision < this.compacted) throw new CompactedError(fromRevision, this.compacted);
    return this.hub.watch(prefix, fromRevision, handlers);
  }

  async compact(rev: number): Promise<void> {
    this.checkOpen();
    if (rev <= this.compacted) throw new CompactedError(rev, this.compacted);
    if (rev > this.revision) throw new StorageError(`compact: revision ${rev} is in the future (current ${this.revision})`);
    this.compacted = rev;
    this.history.dropThrough(rev);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll('closed');
  }

  private commit(type: 'PUT' | 'DELETE', kv: KeyValue, prevKv: KeyValue | undefined): number {
    this.revision = kv.modRevision;
    if (type === 'PUT') this.state.put(kv); else this.state.remove(kv.key);
    const ev = makeEvent(type, kv, prevKv);
    const dropped = this.history.push(ev);
    if (dropped && dropped.revision > this.compacted) this.compacted = dropped.revision;
    this.hub.publish([ev]);
    return kv.modRevision;
  }

  private readHistory(after: number, upTo: number, limit: number): WatchEvent[] | 'compacted' {
    if (after < this.compacted || !this.history.covers(after)) return 'compacted';
    return this.history.slice(after, upTo, limit);
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('storage backend is closed');
  }

  /** Same rule as the SQLite backend, whose driver cannot store lone surrogates. */
  private checkWrite(key: string, value: string): void {
    this.checkOpen();
    if (typeof key !== 'string' || typeof value !== 'string' || !key.isWellFormed() || !value.isWellFormed()) {
      throw new StorageError('storage: key and value must be well-formed strings');
    }
  }
}
