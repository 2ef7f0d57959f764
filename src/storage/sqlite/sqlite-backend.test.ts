import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { BackendFailedError, StorageError } from '../backend.ts';
import { backendSuite } from '../backend.suite.ts';
import type { BackendFixture } from '../backend.suite.ts';
import { SqliteBackend } from './sqlite-backend.ts';
import type { SqliteBackendOptions } from './sqlite-backend.ts';

function tempDb(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubedisco-sqlite-'));
  return { dir, file: path.join(dir, 'state.db') };
}

function fixture(opts: SqliteBackendOptions): () => Promise<BackendFixture> {
  return async () => {
    const { dir, file } = tempDb();
    const o: SqliteBackendOptions = { autoCompact: false, watchBufferSize: 50, ...opts };
    let current = SqliteBackend.open(file, o);
    return {
      backend: current,
      watchBufferSize: 50,
      reopen: async () => { current = SqliteBackend.open(file, o); return current; },
      cleanup: async () => { await current.close(); fs.rmSync(dir, { recursive: true, force: true }); },
    };
  };
}

backendSuite('SqliteBackend', fixture({}));
// A 4-event ring: watch replay goes to the log table for almost everything.
backendSuite('SqliteBackend (replay from SQL)', fixture({ watchCacheSize: 4 }));

/** Opens, runs fn, closes and removes the file. */
async function withDb(opts: SqliteBackendOptions, fn: (b: SqliteBackend, file: string) => Promise<void>): Promise<void> {
  const { dir, file } = tempDb();
  const b = SqliteBackend.open(file, { autoCompact: false, ...opts });
  try {
    await fn(b, file);
  } finally {
    await b.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rawCount(file: string, sql: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number((db.prepare(sql).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe('SqliteBackend: group commit (backend.ts: batches, never one sync per writer)', () => {
  it('64 writes issued in one tick commit in one transaction', () => withDb({}, async (b) => {
    const revs = await Promise.all(Array.from({ length: 64 }, (_, i) => b.create(`/g/${i}`, 'v')));
    assert.deepEqual(revs, Array.from({ length: 64 }, (_, i) => i + 1));
    const m = b.metrics();
    assert.equal(m.commits, 1);
    assert.equal(m.writes, 64);
    assert.equal(m.maxBatch, 64);
  }));

  it('reads see only committed writes: a pending write is invisible until its transaction commits', () => withDb({}, async (b) => {
    await b.create('/seen', 'v');
    const p = b.create('/pending', 'v');
    assert.equal(b.currentRevision(), 1);
    assert.equal(await b.get('/pending'), undefined);
    assert.deepEqual((await b.list('/')).items.map(kv => kv.key), ['/seen']);
    // …but conflict checks already see it.
    await assert.rejects(b.create('/pending', 'w'), /key exists/);
    assert.equal(await p, 2);
    assert.equal((await b.get('/pending'))?.modRevision, 2);
  }));
});

describe('SqliteBackend: fail-stop (etcd stops on a disk error rather than acknowledge a lost write)', () => {
  it('a failed commit rejects its whole batch, later writes get BackendFailedError, reads stay at the committed state', async () => {
    const { dir, file } = tempDb();
    try {
      let b = SqliteBackend.open(file, { autoCompact: false, maxDatabaseBytes: 256 * 1024 });
      const big = 'x'.repeat(2000);
      const acked: number[] = [];
      let failure: unknown;
      for (let round = 0; round < 100 && !failure; round++) {
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => b.create(`/f/${round}/${i}`, big)));
        const ok = results.filter(r => r.status === 'fulfilled').length;
        assert.ok(ok === 0 || ok === 10, 'a batch commits or fails as a whole');
        for (const r of results) {
          if (r.status === 'fulfilled') acked.push(r.value); else failure = r.reason;
        }
      }
      assert.ok(failure instanceof BackendFailedError, `want BackendFailedError, got ${String(failure)}`);
      assert.ok(acked.length > 0);
      const committed = b.currentRevision();
      assert.equal(committed, acked.length);
      await assert.rejects(b.create('/after', 'small'), BackendFailedError);
      await assert.rejects(b.delete('/f/0/0'), BackendFailedError);
      assert.equal((await b.list('/f/')).items.length, acked.length);
      assert.equal(b.metrics().failed, true);
      await b.close();

      b = SqliteBackend.open(file, { autoCompact: false });
      assert.equal(b.currentRevision(), committed);
      assert.equal((await b.list('/f/')).items.length, acked.length);
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteBackend: opening', () => {
  it('a second open of the same file is refused while the first is open', () => withDb({}, async (_b, file) => {
    assert.throws(() => SqliteBackend.open(file), StorageError);
  }));

  const badOptions: [string, SqliteBackendOptions][] = [
    ['watchCacheSize 0', { watchCacheSize: 0 }],
    ['watchBufferSize 0', { watchBufferSize: 0 }],
    ['compactBatchSize NaN', { compactBatchSize: NaN }],
    ['autoCompact intervalMs 0', { autoCompact: { keepRevisions: 10, intervalMs: 0 } }],
  ];
  for (const [what, opts] of badOptions) {
    it(`rejects ${what} and releases the file`, async () => {
      const { dir, file } = tempDb();
      try {
        assert.throws(() => SqliteBackend.open(file, opts), RangeError);
        const b = SqliteBackend.open(file, { autoCompact: false });
        await b.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('SqliteBackend: compaction (kine compact: drop superseded rows and deletes at or below rev)', () => {
  it('removes superseded rows and delete rows, keeps live rows and everything after rev', async () => {
    const { dir, file } = tempDb();
    try {
      const b = SqliteBackend.open(file, { autoCompact: false, compactBatchSize: 7 });
      for (let i = 0; i < 20; i++) await b.create(`/c/${i}`, 'v0');                 // 1..20
      for (let i = 0; i < 20; i++) await b.update(`/c/${i}`, 'v1', i + 1);          // 21..40
      for (let i = 0; i < 10; i++) await b.delete(`/c/${i}`);                       // 41..50
      for (let i = 10; i < 20; i++) await b.update(`/c/${i}`, 'v2', i + 21);        // 51..60
      const live = await b.list('/c/');
      await b.compact(50);
      assert.ok(b.metrics().compactionBatches >= 8, 'compaction ran in batches of 7 revisions');
      assert.deepEqual(await b.list('/c/'), live);
      await b.close();
      // Rows left: keys 10..19 at their update at 31..40 (prevKv of 51..60), and 51..60.
      assert.equal(rawCount(file, 'SELECT count(*) AS n FROM log'), 20);
      assert.equal(rawCount(file, 'SELECT min(id) AS n FROM log'), 31);
      assert.equal(rawCount(file, "SELECT value AS n FROM meta WHERE name = 'compacted'"), 50);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a compaction interrupted by a crash is finished at the next open', async () => {
    const { dir, file } = tempDb();
    try {
      let b = SqliteBackend.open(file, { autoCompact: false });
      for (let i = 0; i < 30; i++) await b.create(`/i/${i % 3}`, 'v').catch(() => b.update(`/i/${i % 3}`, 'v', i - 2));
      assert.equal(b.currentRevision(), 30);
      await b.close();
      // The state a crash right after recording the compacted revision leaves behind.
      const raw = new DatabaseSync(file);
      raw.exec("UPDATE meta SET value = 27 WHERE name = 'compacted'");
      raw.close();
      b = SqliteBackend.open(file, { autoCompact: false, compactBatchSize: 5 });
      assert.equal(b.compactedRevision(), 27);
      for (let i = 0; i < 50 && b.metrics().compactionBatches < 6; i++) await new Promise(r => setImmediate(r));
      assert.equal(b.metrics().compactionBatches, 6);
      await b.close();
      // Live rows at 25, 26, 27 plus 28..30.
      assert.equal(rawCount(file, 'SELECT count(*) AS n FROM log'), 6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('automatic compaction keeps keepRevisions and one interval of history (kube-apiserver compacts every 5m)', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    await withDb({ autoCompact: { keepRevisions: 10, intervalMs: 1000 } }, async (b) => {
      const writeMany = async (from: number) => { for (let i = from; i < from + 100; i++) await b.create(`/a/${i}`, 'v'); };
      const waitCompacted = async (rev: number) => {
        for (let i = 0; i < 100 && b.compactedRevision() < rev; i++) await new Promise(r => setImmediate(r));
      };
      await writeMany(0);
      t.mock.timers.tick(1000); // remembers revision 100; nothing is older than one interval yet
      await waitCompacted(1);
      assert.equal(b.compactedRevision(), 0);
      t.mock.timers.tick(1000); // min(100, 100 - keepRevisions)
      await waitCompacted(90);
      assert.equal(b.compactedRevision(), 90);
      await writeMany(100);
      t.mock.timers.tick(1000); // min(revision at the previous tick, 200 - 10)
      await waitCompacted(100);
      assert.equal(b.compactedRevision(), 100);
      assert.equal((await b.list('/a/')).items.length, 200);
    });
  });
});
