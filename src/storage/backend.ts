// An etcd-shaped key-value store with one global revision counter (model: kine's server.Backend and
// etcd's mvcc). The API server stores each object as JSON under a key such as
// `/registry/services/default/web`; an object's resourceVersion is the modRevision of its key.
//
// Contract (every implementation runs backend.suite.ts):
// - Every successful write (create, update, delete) takes the next revision; revisions start at 1 and
//   increase by exactly 1 per write across all keys.
// - A write's promise resolves only after the write is durable (for persistent backends: after the
//   transaction that holds it has been committed and synced). Concurrent writers are committed in
//   batches (group commit), never one sync per writer in a queue.
// - Reads (get, list, currentRevision) see only committed writes, so a reader can never observe a write
//   that a crash could still lose.
// - Conflict checks (create-if-absent, update-if-revision) are made against committed and pending writes
//   together, so two racing writers can never both win.
// - watch(prefix, fromRevision) delivers, in revision order, every event with revision > fromRevision on
//   keys under prefix, then live events as they commit. Events are delivered after they are durable.
//   If fromRevision < compactedRevision() it throws CompactedError.
// - compact(rev) forgets history at or below rev (never the current value of a live key).

export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which the key was created (in its current incarnation). */
  createRevision: number;
  /** Revision of the last write to the key. */
  modRevision: number;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  /** For PUT: the new value. For DELETE: the last value, with modRevision set to the delete's revision. */
  kv: KeyValue;
  /** The value before this event (absent for a create). */
  prevKv?: KeyValue;
  revision: number;
}

export interface ListOptions {
  /** Return at most this many keys (0 or absent: no limit). */
  limit?: number;
  /** Return only keys strictly greater than this key (for paging). */
  after?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys matched than `limit` allowed. */
  more: boolean;
}

export interface Watcher {
  /** Stops delivery. Safe to call more than once. */
  close(): void;
  /**
   * Resumes delivery after onEvent returned false (backpressure, like stream.write/'drain').
   * Buffered events follow in order. Optional so that test doubles need not implement it.
   */
  resume?(): void;
}

export interface WatchHandlers {
  /**
   * Receives events in revision order; never re-entered for the same watcher. Returning false pauses
   * the watcher until resume(); while paused the backend buffers a bounded number of events and then
   * ends the watch with onClose('slow'). Returning nothing (or true) keeps events flowing.
   */
  onEvent(ev: WatchEvent): void | boolean;
  /**
   * Called at most once when the backend ends the watch itself: the watcher fell too far behind
   * (slow consumer), or the backend is closing. The API server ends the HTTP watch; clients re-watch.
   */
  onClose?(reason: 'slow' | 'closed'): void;
}

export interface Backend {
  /** Revision of the latest committed write (0 for an empty store). */
  currentRevision(): number;
  /** Highest revision that has been compacted away (0 if none). */
  compactedRevision(): number;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Creates key; throws KeyExistsError if it exists. Resolves with the new revision once durable. */
  create(key: string, value: string): Promise<number>;
  /** Replaces key if its modRevision equals expectedRevision; throws NotFoundError / RevisionMismatchError. */
  update(key: string, value: string, expectedRevision: number): Promise<number>;
  /** Deletes key (if expectedRevision is given, only at that modRevision). Resolves with the delete's revision. */
  delete(key: string, expectedRevision?: number): Promise<number>;
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher;
  /** Forgets history at or below rev. Throws CompactedError if rev <= compactedRevision(). */
  compact(rev: number): Promise<void>;
  close(): Promise<void>;
}

export class StorageError extends Error {}
export class KeyExistsError extends StorageError {
  readonly key: string;
  constructor(key: string) { super(`key exists: ${key}`); this.name = 'KeyExistsError'; this.key = key; }
}
export class NotFoundError extends StorageError {
  readonly key: string;
  constructor(key: string) { super(`key not found: ${key}`); this.name = 'NotFoundError'; this.key = key; }
}
export class RevisionMismatchError extends StorageError {
  readonly key: string;
  readonly actual: number;
  constructor(key: string, actual: number) {
    super(`revision mismatch on ${key}: current ${actual}`);
    this.name = 'RevisionMismatchError'; this.key = key; this.actual = actual;
  }
}
export class CompactedError extends StorageError {
  readonly requested: number;
  readonly compacted: number;
  constructor(requested: number, compacted: number) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`);
    this.name = 'CompactedError'; this.requested = requested; this.compacted = compacted;
  }
}
/** The backend failed to persist a write and stopped accepting writes (fail-stop, like etcd on a disk error). */
export class BackendFailedError extends StorageError {}
