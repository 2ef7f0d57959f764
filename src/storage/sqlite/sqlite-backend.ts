// The Backend contract on one SQLite file (node:sqlite), kine-style: an append-only log table whose
// INTEGER PRIMARY KEY is the revision. The current state lives in memory (loaded from the log at open),
// so get and list never touch the disk; the disk serves durability and watch replay of old revisions.
//
// Write path (group commit): a write is validated synchronously against committed + pending state,
// takes the next revision, and joins the pending batch. A setImmediate callback commits the whole
// batch in one BEGIN IMMEDIATE … COMMIT (WAL, synchronous=FULL: one fsync per batch); then the batch
// is applied to the in-memory state, the writers' promises resolve and watchers get the events. A
// failed commit rejects its batch and fail-stops the backend (BackendFailedError for every later
// write), because memory and disk may no longer agree. See README.md for the whole design.

import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import {
  BackendFailedError, CompactedError, KeyExistsError, NotFoundError, RevisionMismatchError, StorageError,
} from '../backend.ts';
import type { Backend, KeyValue, ListOptions, ListResult, Watcher, WatchEvent, WatchHandlers } from '../backend.ts';
import { EventRing } from '../internal/event-ring.ts';
import { Keyspace } from '../internal/keyspace.ts';
import { freezeKv, makeEvent } from '../internal/kv.ts';
import { WatchHub } from '../internal/watch-hub.ts';

export interface AutoCompactOptions {
  /** Never compact the newest keepRevisions revisions (kine's safeCompactRev keeps 1,000). */
  keepRevisions: number;
  /**
   * Every intervalMs, compact to the revision seen at the previous tick (kube-apiserver's policy,
   * every 5 minutes there), but never past currentRevision - keepRevisions.
   */
  intervalMs: number;
}

export interface SqliteBackendOptions {
  /** Automatic compaction; false turns it off. Default { keepRevisions: 10_000, intervalMs: 60_000 }. */
  autoCompact?: AutoCompactOptions | false;
  /** Recent events kept in memory so that watch replay of them needs no SQL. Default 10,000. */
  watchCacheSize?: number;
  /** Events queued for one paused watcher before it is ended with onClose('slow'). Default 10,000. */
  watchBufferSize?: number;
  /** Revisions compacted per transaction, so that compaction never holds writers up for long. Default 1,000. */
  compactBatchSize?: number;
  /**
   * Size quota for the database file (SQLite max_page_count; like etcd's --quota-backend-bytes). A commit
   * that would grow the file past it fails, which fail-stops the backend. Default: no quota.
   */
  maxDatabaseBytes?: number;
}

/** Counters for /metrics (kubedisco_storage_*). */
export interface SqliteBackendMetrics {
  /** Group-commit transactions committed. */
  commits: number;
  /** Writes committed (sum of batch sizes). */
  writes: number;
  /** Largest batch committed in one transaction. */
  maxBatch: number;
  /** Wall time spent inside BEGIN … COMMIT (the event loop is blocked for this long), in ms. */
  commitMillis: number;
  /** Longest single commit, in ms. */
  maxCommitMillis: number;
  watchers: number;
  slowWatchersClosed: number;
  /** Compaction transactions and the log rows they removed. */
  compactionBatches: number;
  compactedRows: number;
  /** Message of the last failed automatic compaction, if any. */
  lastCompactionError?: string;
  failed: boolean;
}

interface PendingWrite {
  type: 'PUT' | 'DELETE';
  /** For DELETE: the last value, with modRevision = the delete's revision. */
  kv: KeyValue;
  prevKv: KeyValue | undefined;
  resolve: (rev: number) => void;
  reject: (err: Error) => void;
}

interface CompactWaiter { rev: number; resolve: () => void; reject: (err: Error) => void }

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY,            -- the revision
  key TEXT NOT NULL,
  value TEXT NOT NULL,               -- for a delete: the last value
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,    -- the key's previous row (0 for a create)
  deleted INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO meta(name, value) VALUES ('compacted', 0), ('compact_progress', 0);
`;

export class SqliteBackend implements Backend {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly state = new Keyspace();
  private readonly ring: EventRing;
  private readonly hub: WatchHub;
  private readonly insertStmt: StatementSync;
  private readonly historyStmt: StatementSync;
  private readonly setMetaStmt: StatementSync;
  private readonly compactPrevStmt: StatementSync;
  private readonly compactTombstonesStmt: StatementSync;
  private readonly compactBatchSize: number;

  private committed: number;
  private compacted: number;
  private compactProgress: number;
  /** Highest revision handed out (committed + pending). */
  private assigned: number;
  /** Latest pending value per key: a KeyValue, or null for a pending delete. */
  private readonly pending = new Map<string, KeyValue | null>();
  private batch: PendingWrite[] = [];
  private flushHandle: ReturnType<typeof setImmediate> | undefined;
  private failure: BackendFailedError | undefined;
  private closed = false;

  private compactWaiters: CompactWaiter[] = [];
  private compactHandle: ReturnType<typeof setImmediate> | undefined;
  private autoCompactTimer: ReturnType<typeof setInterval> | undefined;
  private autoCompactLastTick = 0;

  private readonly stats = {
    commits: 0, writes: 0, maxBatch: 0, commitMillis: 0, maxCommitMillis: 0,
    compactionBatches: 0, compactedRows: 0, lastCompactionError: undefined as string | undefined,
  };

  /**
   * Opens (creating if needed) the database at path and loads the current state into memory. The file
   * is locked exclusively: a second process (or a second open in this one) fails with StorageError.
   */
  static open(path: string, opts: SqliteBackendOptions = {}): SqliteBackend {
    const db = new DatabaseSync(path, { timeout: 0 });
    try {
      // Exclusive locking: no shared-memory wal-index, and nobody else can write behind our
      // in-memory state. Taken by the first write below, held until close.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      const mode = (db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined)?.journal_mode;
      if (mode !== 'wal') throw new StorageError(`${path}: cannot switch to WAL journal mode (got ${mode})`);
      // FULL: the WAL is fsynced at every COMMIT, so an acknowledged write survives power loss too.
      db.exec('PRAGMA synchronous = FULL');
      if (opts.maxDatabaseBytes !== undefined) {
        const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
        db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(opts.maxDatabaseBytes / pageSize))}`);
      }
      const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (version > SCHEMA_VERSION) {
        throw new StorageError(`${path}: schema version ${version} is newer than this program's (${SCHEMA_VERSION})`);
      }
      db.exec('BEGIN IMMEDIATE');
      db.exec(SCHEMA);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      db.exec('COMMIT');
      return new SqliteBackend(db, path, opts);
    } catch (err) {
      try { db.close(); } catch { /* already failing */ }
      if ((err as { errcode?: number }).errcode === 5 /* SQLITE_BUSY */) {
        throw new StorageError(`${path} is locked by another open backend`, { cause: err });
      }
      throw err;
    }
  }

  private constructor(db: DatabaseSync, path: string, opts: SqliteBackendOptions) {
    this.db = db;
    this.path = path;
    // Validate every option before anything is scheduled, so a RangeError leaves nothing running.
    this.compactBatchSize = positive('compactBatchSize', opts.compactBatchSize ?? 1_000);
    const watchCacheSize = positive('watchCacheSize', opts.watchCacheSize ?? 10_000);
    const watchBufferSize = positive('watchBufferSize', opts.watchBufferSize ?? 10_000);
    const auto = opts.autoCompact === undefined ? { keepRevisions: 10_000, intervalMs: 60_000 } : opts.autoCompact;
    if (auto) {
      positive('autoCompact.intervalMs', auto.intervalMs);
      if (!(auto.keepRevisions >= 0)) throw new RangeError(`autoCompact.keepRevisions must be >= 0, got ${auto.keepRevisions}`);
    }

    const meta = new Map<string, number>();
    for (const row of db.prepare('SELECT name, value FROM meta').all() as { name: string; value: number }[]) {
      meta.set(row.name, row.value);
    }
    this.compacted = meta.get('compacted') ?? 0;
    this.compactProgress = meta.get('compact_progress') ?? 0;

    // The current state is the latest row of every key, unless that row is a delete.
    const live = new Map<string, KeyValue>();
    let maxId = 0;
    const scan = db.prepare('SELECT id, key, value, create_revision, deleted FROM log ORDER BY id');
    scan.setReturnArrays(true);
    for (const row of scan.iterate() as Iterable<[number, string, string, number, number]>) {
      const [id, key, value, createRevision, deleted] = row;
      if (deleted) live.delete(key); else live.set(key, freezeKv(key, value, createRevision, id));
      maxId = id;
    }
    this.state.load(live.values());
    // Compaction may have removed the newest rows (a delete at the compacted revision).
    this.committed = Math.max(maxId, this.compacted);
    this.assigned = this.committed;

    this.ring = new EventRing(watchCacheSize, this.committed + 1);
    this.hub = new WatchHub(
      { readHistory: (after, upTo, limit) => this.readHistory(after, upTo, limit) },
      () => this.committed,
      { bufferSize: watchBufferSize },
    );

    this.insertStmt = db.prepare(
      'INSERT INTO log(id, key, value, create_revision, prev_revision, deleted) VALUES (?, ?, ?, ?, ?, ?)');
    this.historyStmt = db.prepare(`
      SELECT l.id, l.key, l.value, l.create_revision, l.deleted, p.id, p.value, p.create_revision
      FROM log l LEFT JOIN log p ON p.id = l.prev_revision AND l.prev_revision > 0
      WHERE l.id > ? AND l.id <= ? ORDER BY l.id LIMIT ?`);
    this.historyStmt.setReturnArrays(true);
    this.setMetaStmt = db.prepare('INSERT OR REPLACE INTO meta(name, value) VALUES (?, ?)');
    // kine's compaction: drop every row superseded by a row at or below the target, and every delete
    // row at or below it. The latest row <= target of a live key is nobody's prev_revision there, so it
    // stays (it is the current value, or the prevKv of a later event).
    this.compactPrevStmt = db.prepare(
      'DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > ? AND id <= ? AND prev_revision > 0)');
    this.compactTombstonesStmt = db.prepare('DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1');

    // Finish a compaction that a crash interrupted.
    if (this.compactProgress < this.compacted) this.kickCompactor();

    if (auto) {
      this.autoCompactLastTick = this.committed;
      this.autoCompactTimer = setInterval(() => this.autoCompactTick(auto.keepRevisions), auto.intervalMs);
      this.autoCompactTimer.unref();
    }
  }

  currentRevision(): number { return this.committed; }
  compactedRevision(): number { return this.compacted; }

  get(key: string): Promise<KeyValue | undefined> {
    if (this.closed) return closedError();
    return Promise.resolve(this.state.get(key));
  }

  list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    if (this.closed) return closedError();
    return Promise.resolve(this.state.list(prefix, opts, this.committed));
  }

  create(key: string, value: string): Promise<number> {
    const err = this.writeGate(key, value);
    if (err) return Promise.reject(err);
    if (this.latest(key)) return Promise.reject(new KeyExistsError(key));
    const rev = this.assigned + 1;
    return this.enqueue('PUT', freezeKv(key, value, rev, rev), undefined);
  }

  update(key: string, value: string, expectedRevision: number): Promise<number> {
    const err = this.writeGate(key, value);
    if (err) return Promise.reject(err);
    const cur = this.latest(key);
    if (!cur) return Promise.reject(new NotFoundError(key));
    if (cur.modRevision !== expectedRevision) return Promise.reject(new RevisionMismatchError(key, cur.modRevision));
    return this.enqueue('PUT', freezeKv(key, value, cur.createRevision, this.assigned + 1), cur);
  }

  delete(key: string, expectedRevision?: number): Promise<number> {
    const err = this.writeGate(key, '');
    if (err) return Promise.reject(err);
    const cur = this.latest(key);
    if (!cur) return Promise.reject(new NotFoundError(key));
    if (expectedRevision !== undefined && cur.modRevision !== expectedRevision) {
      return Promise.reject(new RevisionMismatchError(key, cur.modRevision));
    }
    return this.enqueue('DELETE', freezeKv(key, cur.value, cur.createRevision, this.assigned + 1), cur);
  }

  /**
   * Replays committed history after fromRevision (from the in-memory ring when it reaches back far
   * enough, else from the log table) from a microtask, then delivers live events synchronously from
   * the commit path, right after COMMIT. See internal/watch-hub.ts for the exact delivery rules.
   */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watcher {
    if (this.closed) throw new StorageError('storage backend is closed');
    if (fromRevision < this.compacted) throw new CompactedError(fromRevision, this.compacted);
    return this.hub.watch(prefix, fromRevision, handlers);
  }

  /**
   * Records rev as the compacted revision (durably, at once: watches from below it fail from now on),
   * then deletes superseded rows in batches of compactBatchSize revisions, one short transaction per
   * batch, yielding to the event loop between batches. Resolves when the rows are gone (or the
   * backend closed; the next open finishes the job).
   */
  compact(rev: number): Promise<void> {
    if (this.closed) return closedError();
    if (this.failure) return Promise.reject(this.failure);
    if (rev <= this.compacted) return Promise.reject(new CompactedError(rev, this.compacted));
    if (rev > this.committed) {
      return Promise.reject(new StorageError(`compact: revision ${rev} is in the future (current ${this.committed})`));
    }
    try {
      this.setMetaStmt.run('compacted', rev);
    } catch (err) {
      return Promise.reject(new StorageError(`compact: cannot record compacted revision: ${(err as Error).message}`, { cause: err }));
    }
    this.compacted = rev;
    this.ring.dropThrough(rev);
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.compactWaiters.push({ rev, resolve, reject });
    this.kickCompactor();
    return promise;
  }

  /** Commits pending writes, ends watchers with onClose('closed') and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.flushHandle) { clearImmediate(this.flushHandle); this.flushHandle = undefined; }
    this.flush();
    this.closed = true;
    if (this.autoCompactTimer) clearInterval(this.autoCompactTimer);
    if (this.compactHandle) { clearImmediate(this.compactHandle); this.compactHandle = undefined; }
    for (const w of this.compactWaiters.splice(0)) w.resolve();
    this.hub.closeAll('closed');
    try {
      if (!this.failure) this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  metrics(): SqliteBackendMetrics {
    return {
      ...this.stats,
      watchers: this.hub.size,
      slowWatchersClosed: this.hub.slowClosed,
      failed: this.failure !== undefined,
    };
  }

  // --- write path ---

  private writeGate(key: string, value: string): Error | undefined {
    if (this.closed) return new StorageError('storage backend is closed');
    if (this.failure) return this.failure;
    // node:sqlite would store a lone surrogate as U+FFFD and hand back a different string; a bad
    // value must fail its own call, not the whole batch.
    if (typeof key !== 'string' || typeof value !== 'string' || !key.isWellFormed() || !value.isWellFormed()) {
      return new StorageError('storage: key and value must be well-formed strings');
    }
    return undefined;
  }

  private latest(key: string): KeyValue | undefined {
    const p = this.pending.get(key);
    if (p !== undefined) return p ?? undefined;
    return this.state.get(key);
  }

  private enqueue(type: 'PUT' | 'DELETE', kv: KeyValue, prevKv: KeyValue | undefined): Promise<number> {
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.assigned = kv.modRevision;
    this.pending.set(kv.key, type === 'PUT' ? kv : null);
    this.batch.push({ type, kv, prevKv, resolve, reject });
    // setImmediate runs after the poll phase: every request that arrived in this loop turn joins.
    this.flushHandle ??= setImmediate(() => { this.flushHandle = undefined; this.flush(); });
    return promise;
  }

  private flush(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    const t0 = performance.now();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const w of batch) {
        const kv = w.kv;
        this.insertStmt.run(kv.modRevision, kv.key, kv.value, kv.createRevision, w.prevKv?.modRevision ?? 0,
          w.type === 'DELETE' ? 1 : 0);
      }
      this.db.exec('COMMIT');
    } catch (err) {
      this.failStop(err, batch);
      return;
    }
    const ms = performance.now() - t0;
    this.stats.commits++;
    this.stats.writes += batch.length;
    this.stats.commitMillis += ms;
    if (ms > this.stats.maxCommitMillis) this.stats.maxCommitMillis = ms;
    if (batch.length > this.stats.maxBatch) this.stats.maxBatch = batch.length;

    // Durable: now it becomes visible, in revision order.
    this.pending.clear();
    const events: WatchEvent[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const w = batch[i];
      if (w.type === 'PUT') this.state.put(w.kv); else this.state.remove(w.kv.key);
      const ev = makeEvent(w.type, w.kv, w.prevKv);
      this.ring.push(ev);
      events[i] = ev;
    }
    this.committed = batch[batch.length - 1].kv.modRevision;
    for (const w of batch) w.resolve(w.kv.modRevision);
    this.hub.publish(events);
  }

  private failStop(err: unknown, batch: PendingWrite[]): void {
    try { if (this.db.isTransaction) this.db.exec('ROLLBACK'); } catch { /* the disk is failing */ }
    this.failure = new BackendFailedError(
      `storage commit failed; refusing further writes: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    this.pending.clear();
    this.assigned = this.committed;
    if (this.autoCompactTimer) clearInterval(this.autoCompactTimer);
    for (const w of batch) w.reject(this.failure);
  }

  // --- watch history ---

  private readHistory(after: number, upTo: number, limit: number): WatchEvent[] | 'compacted' {
    if (after < this.compacted) return 'compacted';
    if (this.ring.covers(after)) return this.ring.slice(after, upTo, limit);
    const out: WatchEvent[] = [];
    let expect = after + 1;
    const rows = this.historyStmt.iterate(after, upTo, limit) as Iterable<
      [number, string, string, number, number, number | null, string | null, number | null]>;
    for (const [id, key, value, createRevision, deleted, prevId, prevValue, prevCreate] of rows) {
      if (id !== expect) return 'compacted'; // a gap: the log does not hold this range any more
      expect++;
      const kv = freezeKv(key, value, createRevision, id);
      const prevKv = prevId !== null && createRevision !== id ? freezeKv(key, prevValue!, prevCreate!, prevId) : undefined;
      out.push(makeEvent(deleted ? 'DELETE' : 'PUT', kv, prevKv));
    }
    return out;
  }

  // --- compaction ---

  private kickCompactor(): void {
    if (this.compactHandle || this.closed) return;
    this.compactHandle = setImmediate(() => { this.compactHandle = undefined; this.compactStep(); });
  }

  /** One batch of physical compaction per event-loop turn, so group commits interleave. */
  private compactStep(): void {
    if (this.closed) return;
    if (this.compactProgress < this.compacted) {
      const lo = this.compactProgress;
      const hi = Math.min(lo + this.compactBatchSize, this.compacted);
      try {
        this.db.exec('BEGIN IMMEDIATE');
        const a = this.compactPrevStmt.run(lo, hi).changes;
        const b = this.compactTombstonesStmt.run(lo, hi).changes;
        this.setMetaStmt.run('compact_progress', hi);
        this.db.exec('COMMIT');
        this.compactProgress = hi;
        this.stats.compactionBatches++;
        this.stats.compactedRows += Number(a) + Number(b);
      } catch (err) {
        try { if (this.db.isTransaction) this.db.exec('ROLLBACK'); } catch { /* ignore */ }
        const e = new StorageError(`compaction failed: ${(err as Error).message}`, { cause: err });
        this.stats.lastCompactionError = e.message;
        for (const w of this.compactWaiters.splice(0)) w.reject(e);
        return; // progress is durable; the next compact() resumes from it
      }
    }
    const done = this.compactWaiters.filter(w => w.rev <= this.compactProgress);
    if (done.length) {
      this.compactWaiters = this.compactWaiters.filter(w => w.rev > this.compactProgress);
      for (const w of done) w.resolve();
    }
    if (this.compactProgress < this.compacted) this.kickCompactor();
  }

  private autoCompactTick(keepRevisions: number): void {
    const target = Math.min(this.autoCompactLastTick, this.committed - keepRevisions);
    this.autoCompactLastTick = this.committed;
    if (target <= this.compacted || this.failure || this.closed) return;
    this.compact(target).catch((err: Error) => { this.stats.lastCompactionError = err.message; });
  }
}

function closedError<T>(): Promise<T> {
  return Promise.reject(new StorageError('storage backend is closed'));
}

function positive(name: string, n: number): number {
  if (!(Number.isFinite(n) && n >= 1)) throw new RangeError(`${name} must be a number >= 1, got ${n}`);
  return n;
}
