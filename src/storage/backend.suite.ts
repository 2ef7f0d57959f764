// The one test suite every Backend runs (kine runs the same apiserver storage tests against every
// driver; etcd's semantics are the reference: server/storage/mvcc kvstore and watchable_store).
// Each case names the contract point of backend.ts it checks.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError, KeyExistsError, NotFoundError, RevisionMismatchError, StorageError,
} from './backend.ts';
import type { Backend, KeyValue, Watcher, WatchEvent } from './backend.ts';
import { mulberry32 } from '../util/prng.ts';

export interface BackendFixture {
  backend: Backend;
  /**
   * Opens a new backend on the same storage. The suite closes the previous backend first; cleanup()
   * must close whichever backend is open last and remove the storage.
   */
  reopen?: () => Promise<Backend>;
  cleanup(): Promise<void>;
  /**
   * The backend's per-watcher buffer bound when the fixture configured it small (tens to hundreds);
   * enables the slow-watcher cases.
   */
  watchBufferSize?: number;
}

type Make = () => Promise<BackendFixture>;

/** Safety net against a hang: a failing case ends instead of stalling the run (not a speed check). */
const GUARD_MS = 20_000;

export function backendSuite(name: string, make: Make): void {
  describe(`${name}: revisions (etcd mvcc: one global counter, +1 per write)`, () => {
    it('an empty store is at revision 0 with nothing compacted', () => withFixture(make, async ({ backend: b }) => {
      assert.equal(b.currentRevision(), 0);
      assert.equal(b.compactedRevision(), 0);
      assert.deepEqual(await b.list(''), { items: [], revision: 0, more: false });
    }));

    it('every write takes the next revision, across keys and kinds of write', () => withFixture(make, async ({ backend: b }) => {
      const steps: [string, () => Promise<number>, number][] = [
        ['create /a', () => b.create('/a', '1'), 1],
        ['create /b', () => b.create('/b', '1'), 2],
        ['update /a', () => b.update('/a', '2', 1), 3],
        ['delete /b', () => b.delete('/b'), 4],
        ['create /b again', () => b.create('/b', '2'), 5],
        ['delete /a at its revision', () => b.delete('/a', 3), 6],
      ];
      for (const [what, op, want] of steps) {
        assert.equal(await op(), want, what);
        assert.equal(b.currentRevision(), want, `currentRevision after ${what}`);
      }
    }));

    const failing: [string, (b: Backend) => Promise<unknown>, new (...a: never[]) => Error][] = [
      ['create of an existing key', b => b.create('/k', 'x'), KeyExistsError],
      ['update at a stale revision', b => b.update('/k', 'x', 99), RevisionMismatchError],
      ['update of a missing key', b => b.update('/missing', 'x', 1), NotFoundError],
      ['delete of a missing key', b => b.delete('/missing'), NotFoundError],
      ['delete at a stale revision', b => b.delete('/k', 99), RevisionMismatchError],
    ];
    for (const [what, op, errType] of failing) {
      it(`a failed write takes no revision: ${what}`, () => withFixture(make, async ({ backend: b }) => {
        await b.create('/k', 'v');
        await assert.rejects(op(b), errType);
        assert.equal(b.currentRevision(), 1);
        assert.equal(await b.create('/next', 'v'), 2);
      }));
    }
  });

  describe(`${name}: conditional writes (create-if-absent, update-if-revision, delete)`, () => {
    type Setup = ['create', string, string] | ['update', string, string, number] | ['delete', string, number?];
    interface Case {
      name: string;
      setup: Setup[];
      op: (b: Backend) => Promise<number>;
      key: string;
      /** Expected revision and stored value after the op (undefined kv: key absent). */
      want?: { rev: number; kv: KeyValue | undefined };
      /** Expected error type and fields; the store must be unchanged. */
      err?: { type: new (...a: never[]) => Error; fields: Record<string, unknown> };
    }
    const cases: Case[] = [
      {
        name: 'create of an absent key (etcd txn compare mod_revision == 0)', setup: [], key: '/k',
        op: b => b.create('/k', 'v'),
        want: { rev: 1, kv: { key: '/k', value: 'v', createRevision: 1, modRevision: 1 } },
      },
      {
        name: 'create of an existing key: KeyExistsError, value untouched', setup: [['create', '/k', 'v']], key: '/k',
        op: b => b.create('/k', 'w'),
        err: { type: KeyExistsError, fields: { key: '/k' } },
      },
      {
        name: 'update at the current revision keeps createRevision',
        setup: [['create', '/k', 'v'], ['create', '/other', 'x']], key: '/k',
        op: b => b.update('/k', 'w', 1),
        want: { rev: 3, kv: { key: '/k', value: 'w', createRevision: 1, modRevision: 3 } },
      },
      {
        name: 'update at a stale revision: RevisionMismatchError carries the actual revision',
        setup: [['create', '/k', 'v'], ['update', '/k', 'w', 1]], key: '/k',
        op: b => b.update('/k', 'x', 1),
        err: { type: RevisionMismatchError, fields: { key: '/k', actual: 2 } },
      },
      {
        name: 'update of a missing key: NotFoundError', setup: [], key: '/k',
        op: b => b.update('/k', 'v', 1),
        err: { type: NotFoundError, fields: { key: '/k' } },
      },
      {
        name: 'update of a deleted key: NotFoundError', setup: [['create', '/k', 'v'], ['delete', '/k']], key: '/k',
        op: b => b.update('/k', 'v', 1),
        err: { type: NotFoundError, fields: { key: '/k' } },
      },
      {
        name: 'delete without an expected revision', setup: [['create', '/k', 'v']], key: '/k',
        op: b => b.delete('/k'),
        want: { rev: 2, kv: undefined },
      },
      {
        name: 'delete at the current revision', setup: [['create', '/k', 'v'], ['update', '/k', 'w', 1]], key: '/k',
        op: b => b.delete('/k', 2),
        want: { rev: 3, kv: undefined },
      },
      {
        name: 'delete at a stale revision: RevisionMismatchError', setup: [['create', '/k', 'v'], ['update', '/k', 'w', 1]],
        key: '/k', op: b => b.delete('/k', 1),
        err: { type: RevisionMismatchError, fields: { key: '/k', actual: 2 } },
      },
      {
        name: 'delete of a missing key: NotFoundError', setup: [], key: '/k',
        op: b => b.delete('/k'),
        err: { type: NotFoundError, fields: { key: '/k' } },
      },
      {
        name: 'delete of an already deleted key: NotFoundError', setup: [['create', '/k', 'v'], ['delete', '/k']], key: '/k',
        op: b => b.delete('/k'),
        err: { type: NotFoundError, fields: { key: '/k' } },
      },
      {
        name: 'delete then recreate: the new incarnation gets a new createRevision',
        setup: [['create', '/k', 'v'], ['update', '/k', 'w', 1], ['delete', '/k']], key: '/k',
        op: b => b.create('/k', 'again'),
        want: { rev: 4, kv: { key: '/k', value: 'again', createRevision: 4, modRevision: 4 } },
      },
    ];
    for (const c of cases) {
      it(c.name, () => withFixture(make, async ({ backend: b }) => {
        for (const s of c.setup) {
          if (s[0] === 'create') await b.create(s[1], s[2]);
          else if (s[0] === 'update') await b.update(s[1], s[2], s[3]);
          else await b.delete(s[1], s[2]);
        }
        const before = await b.get(c.key);
        const revBefore = b.currentRevision();
        if (c.want) {
          assert.equal(await c.op(b), c.want.rev);
          assert.equal(b.currentRevision(), c.want.rev);
          assert.deepEqual(await b.get(c.key), c.want.kv);
        } else {
          const err = await c.op(b).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof c.err!.type, `want ${c.err!.type.name}, got ${String(err)}`);
          assert.ok(err instanceof StorageError);
          for (const [f, v] of Object.entries(c.err!.fields)) assert.equal((err as unknown as Record<string, unknown>)[f], v, f);
          assert.equal(b.currentRevision(), revBefore);
          assert.deepEqual(await b.get(c.key), before);
        }
      }));
    }

    it('get of a missing key resolves undefined', () => withFixture(make, async ({ backend: b }) => {
      assert.equal(await b.get('/nope'), undefined);
    }));

    it('a write is visible to get and list once its promise resolves', () => withFixture(make, async ({ backend: b }) => {
      const rev = await b.create('/v/k', 'v');
      assert.deepEqual(await b.get('/v/k'), { key: '/v/k', value: 'v', createRevision: rev, modRevision: rev });
      const l = await b.list('/v/');
      assert.equal(l.items.length, 1);
      assert.ok(l.revision >= rev);
    }));

    it('values keep every character (JSON, unicode, empty)', () => withFixture(make, async ({ backend: b }) => {
      const values = ['', '{"a":"b\\n"}', 'ünïcødé ✓ 𝄞', 'x'.repeat(100_000), '\u0000nul'];
      for (const [i, v] of values.entries()) await b.create(`/val/${i}`, v);
      for (const [i, v] of values.entries()) assert.equal((await b.get(`/val/${i}`))?.value, v);
    }));

    it('a value with a lone surrogate is refused on its own call, not stored altered', () => withFixture(make, async ({ backend: b }) => {
      await assert.rejects(b.create('/bad', 'a\ud800b'), StorageError);
      assert.equal(await b.create('/good', 'ok'), 1);
    }));
  });

  describe(`${name}: list by prefix (etcd range [prefix, prefixEnd))`, () => {
    const keys = [
      '/registry/pods/a', '/registry/pods/a/x', '/registry/pods/a/y', '/registry/pods/ab/z',
      '/registry/pods/b/w', '/registry/podsx/q', '/registry/services/a/s',
    ];
    const cases: [string, string, string[]][] = [
      ['a namespace prefix excludes a longer namespace name (a/ vs ab/) and the bare key', '/registry/pods/a/',
        ['/registry/pods/a/x', '/registry/pods/a/y']],
      ['a resource prefix with trailing slash excludes podsx', '/registry/pods/',
        ['/registry/pods/a', '/registry/pods/a/x', '/registry/pods/a/y', '/registry/pods/ab/z', '/registry/pods/b/w']],
      ['a prefix without trailing slash is a plain string prefix', '/registry/pods',
        ['/registry/pods/a', '/registry/pods/a/x', '/registry/pods/a/y', '/registry/pods/ab/z', '/registry/pods/b/w',
          '/registry/podsx/q']],
      ['the empty prefix lists every key', '', [...keys].sort()],
      ['a prefix matching nothing', '/registry/nodes/', []],
      ['a full key as prefix lists that key', '/registry/pods/a/x', ['/registry/pods/a/x']],
    ];
    for (const [what, prefix, want] of cases) {
      it(what, () => withFixture(make, async ({ backend: b }) => {
        // Insert in reverse order: the result must still be sorted.
        for (const k of [...keys].reverse()) await b.create(k, `v:${k}`);
        const res = await b.list(prefix);
        assert.deepEqual(res.items.map(kv => kv.key), want);
        for (const kv of res.items) assert.equal(kv.value, `v:${kv.key}`);
        assert.equal(res.revision, b.currentRevision());
        assert.equal(res.more, false);
      }));
    }

    it('deleted keys leave the list; recreated keys come back in order', () => withFixture(make, async ({ backend: b }) => {
      for (const k of ['/l/a', '/l/b', '/l/c']) await b.create(k, 'v');
      await b.delete('/l/b');
      assert.deepEqual((await b.list('/l/')).items.map(kv => kv.key), ['/l/a', '/l/c']);
      await b.create('/l/b', 'v2');
      assert.deepEqual((await b.list('/l/')).items.map(kv => kv.key), ['/l/a', '/l/b', '/l/c']);
    }));

    it('2,000 keys inserted in random order list in sorted order', () => withFixture(make, async ({ backend: b }) => {
      const rnd = mulberry32(7);
      const ks = Array.from({ length: 2000 }, (_, i) => `/big/${(i * 7919 % 2000).toString(36)}-${i}`);
      for (let i = ks.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [ks[i], ks[j]] = [ks[j], ks[i]]; }
      await Promise.all(ks.map(k => b.create(k, 'v')));
      const res = await b.list('/big/');
      assert.deepEqual(res.items.map(kv => kv.key), [...ks].sort());
    }));
  });

  describe(`${name}: paging (limit + after, as the apiserver's continue token)`, () => {
    const keys = Array.from({ length: 25 }, (_, i) => `/p/k${String(i).padStart(2, '0')}`);
    const seed = async (b: Backend) => {
      for (const k of ['/o/y', ...keys, '/q/x']) await b.create(k, 'v');
    };

    it('pages of 10 cover every key once, in order, with more=true until the last page', () => withFixture(make, async ({ backend: b }) => {
      await seed(b);
      const seen: string[] = [];
      const mores: boolean[] = [];
      let after: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await b.list('/p/', { limit: 10, after });
        seen.push(...res.items.map(kv => kv.key));
        mores.push(res.more);
        if (!res.more) break;
        after = res.items[res.items.length - 1].key;
      }
      assert.deepEqual(seen, keys);
      assert.deepEqual(mores, [true, true, false]);
    }));

    const cases: [string, { limit?: number; after?: string }, string[], boolean][] = [
      ['limit equal to the match count: more=false', { limit: 25 }, keys, false],
      ['limit one below the match count: more=true', { limit: 24 }, keys.slice(0, 24), true],
      ['limit 0 means no limit', { limit: 0 }, keys, false],
      ['after a key that does not exist starts at the next one', { after: '/p/k10a', limit: 2 }, ['/p/k11', '/p/k12'], true],
      ['after a key before the prefix starts at the prefix', { after: '/a', limit: 1 }, ['/p/k00'], true],
      ['after the last key: empty, more=false', { after: '/p/k24' }, [], false],
      ['after beyond the prefix range: empty', { after: '/p/zzz', limit: 5 }, [], false],
    ];
    for (const [what, opts, want, more] of cases) {
      it(what, () => withFixture(make, async ({ backend: b }) => {
        await seed(b);
        const res = await b.list('/p/', opts);
        assert.deepEqual(res.items.map(kv => kv.key), want);
        assert.equal(res.more, more);
      }));
    }
  });

  describe(`${name}: watch (etcd watch from a revision: replay, then live)`, () => {
    it('replays events after fromRevision in order, then live events', () => withFixture(make, async ({ backend: b }) => {
      await b.create('/w/a', 'a1');          // 1
      await b.create('/w/b', 'b1');          // 2
      await b.update('/w/a', 'a2', 1);       // 3
      await b.delete('/w/b');                // 4
      const rec = record(b, '/w/', 2);
      await rec.waitFor(2);
      await b.create('/w/c', 'c1');          // 5
      const evs = await rec.waitFor(3);
      rec.watcher.close();
      assert.deepEqual(evs.map(e => [e.type, e.kv.key, e.revision]), [
        ['PUT', '/w/a', 3], ['DELETE', '/w/b', 4], ['PUT', '/w/c', 5],
      ]);
    }));

    it('event shapes: create has no prevKv; update carries prevKv; DELETE carries the last value at the delete revision', () => withFixture(make, async ({ backend: b }) => {
      const rec = record(b, '/s/', 0);
      await b.create('/s/k', 'v1');          // 1
      await b.update('/s/k', 'v2', 1);       // 2
      await b.delete('/s/k');                // 3
      const evs = await rec.waitFor(3);
      rec.watcher.close();
      assert.deepEqual(evs, [
        { type: 'PUT', kv: { key: '/s/k', value: 'v1', createRevision: 1, modRevision: 1 }, revision: 1 },
        {
          type: 'PUT', kv: { key: '/s/k', value: 'v2', createRevision: 1, modRevision: 2 },
          prevKv: { key: '/s/k', value: 'v1', createRevision: 1, modRevision: 1 }, revision: 2,
        },
        {
          type: 'DELETE', kv: { key: '/s/k', value: 'v2', createRevision: 1, modRevision: 3 },
          prevKv: { key: '/s/k', value: 'v2', createRevision: 1, modRevision: 2 }, revision: 3,
        },
      ]);
      // The same shapes come back when replayed from history.
      const replay = record(b, '/s/', 0);
      assert.deepEqual(await replay.waitFor(3), evs);
      replay.watcher.close();
    }));

    it('prefix filter respects key boundaries (/registry/pods/a/ vs /registry/pods/ab/)', () => withFixture(make, async ({ backend: b }) => {
      const rec = record(b, '/registry/pods/a/', 0);
      await b.create('/registry/pods/ab/x', 'no');
      await b.create('/registry/pods/a', 'no');
      await b.create('/registry/pods/a/x', 'yes');
      await b.create('/registry/pods/b/x', 'no');
      await b.create('/registry/pods/a/y', 'yes');
      const evs = await rec.waitFor(2);
      await settle();
      rec.watcher.close();
      assert.deepEqual(rec.events.map(e => e.kv.key), ['/registry/pods/a/x', '/registry/pods/a/y']);
      assert.deepEqual(evs.map(e => e.revision), [3, 5]);
    }));

    it('fromRevision = currentRevision delivers only new events; a future fromRevision skips up to it', () => withFixture(make, async ({ backend: b }) => {
      await b.create('/f/a', 'v');           // 1
      const now = record(b, '/f/', 1);
      const future = record(b, '/f/', 3);
      await b.create('/f/b', 'v');           // 2
      await b.create('/f/c', 'v');           // 3
      await b.create('/f/d', 'v');           // 4
      assert.deepEqual((await now.waitFor(3)).map(e => e.revision), [2, 3, 4]);
      assert.deepEqual((await future.waitFor(1)).map(e => e.revision), [4]);
      now.watcher.close();
      future.watcher.close();
    }));

    it('onEvent is never called before watch() returns', () => withFixture(make, async ({ backend: b }) => {
      await b.create('/r/a', 'v');
      let returned = false;
      let calledEarly = false;
      const got: WatchEvent[] = [];
      const w = b.watch('/r/', 0, { onEvent(ev) { if (!returned) calledEarly = true; got.push(ev); } });
      returned = true;
      await until(() => got.length === 1);
      w.close();
      assert.equal(calledEarly, false);
    }));

    it('events are delivered only once committed: currentRevision() and get() already reflect them', () => withFixture(make, async ({ backend: b }) => {
      const problems: string[] = [];
      const revs: number[] = [];
      const w = b.watch('/c/', 0, {
        onEvent(ev) {
          revs.push(ev.revision);
          if (b.currentRevision() < ev.revision) problems.push(`event ${ev.revision} before commit (${b.currentRevision()})`);
        },
      });
      await Promise.all(Array.from({ length: 50 }, (_, i) => b.create(`/c/${i}`, 'v')));
      await until(() => revs.length === 50);
      w.close();
      assert.deepEqual(problems, []);
      assert.deepEqual(revs, Array.from({ length: 50 }, (_, i) => i + 1));
    }));

    it('close() stops delivery and is safe to call twice', () => withFixture(make, async ({ backend: b }) => {
      const rec = record(b, '/x/', 0);
      await b.create('/x/1', 'v');
      await rec.waitFor(1);
      rec.watcher.close();
      rec.watcher.close();
      await b.create('/x/2', 'v');
      await settle();
      assert.equal(rec.events.length, 1);
      assert.equal(rec.closedWith, undefined, 'onClose is only for closes the backend starts');
    }));

    it('watchers see every event exactly once, in the same order, under concurrent writers', () => withFixture(make, async ({ backend: b }) => {
      const recs = [record(b, '/m/', 0), record(b, '/m/', 0), record(b, '', 0)];
      await Promise.all(Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; i < 20; i++) {
          const rev = await b.create(`/m/${w}/${i}`, 'v');
          if (i % 2 === 0) await b.update(`/m/${w}/${i}`, 'v2', rev);
        }
      }));
      const total = b.currentRevision();
      assert.equal(total, 16 * 30);
      for (const r of recs) {
        const evs = await r.waitFor(total);
        r.watcher.close();
        assert.deepEqual(evs.map(e => e.revision), Array.from({ length: total }, (_, i) => i + 1));
      }
    }));

    it('replays a long history (2,500 events) in order, in pages', () => withFixture(make, async ({ backend: b }) => {
      for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: 50 }, (_, j) => b.create(`/h/${i}/${j}`, 'v')));
      const rec = record(b, '/h/', 0);
      const evs = await rec.waitFor(2500);
      rec.watcher.close();
      assert.deepEqual(evs.map(e => e.revision), Array.from({ length: 2500 }, (_, i) => i + 1));
    }));

    it('a handler that writes does not reorder or re-enter delivery for any watcher', () => withFixture(make, async ({ backend: b }) => {
      const observer = record(b, '/re/', 0);
      let depth = 0;
      let maxDepth = 0;
      const writes: Promise<number>[] = [];
      const writer = b.watch('/re/src/', 0, {
        onEvent(ev) {
          depth++;
          maxDepth = Math.max(maxDepth, depth);
          writes.push(b.create(`/re/derived/${ev.revision}`, 'd'));
          depth--;
        },
      });
      for (let i = 0; i < 10; i++) await b.create(`/re/src/${i}`, 'v');
      await until(() => writes.length === 10);
      await Promise.all(writes);
      const evs = await observer.waitFor(20);
      writer.close();
      observer.watcher.close();
      assert.equal(maxDepth, 1);
      assert.deepEqual(evs.map(e => e.revision), Array.from({ length: 20 }, (_, i) => i + 1));
    }));

    it('onEvent returning false pauses the watcher; resume() delivers what was held, in order', () => withFixture(make, async ({ backend: b }) => {
      const got: number[] = [];
      let w: Watcher | undefined;
      w = b.watch('/pz/', 0, { onEvent(ev) { got.push(ev.revision); return ev.revision !== 2; } });
      for (let i = 0; i < 6; i++) await b.create(`/pz/${i}`, 'v');
      await settle();
      assert.deepEqual(got, [1, 2], 'paused after the event that returned false');
      assert.ok(w.resume, 'backend watchers support resume()');
      w.resume!();
      await until(() => got.length === 6);
      await b.create('/pz/live', 'v');
      await until(() => got.length === 7);
      w.close();
      assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7]);
    }));

    it('a paused watcher replaying history stays paused until resume()', () => withFixture(make, async ({ backend: b }) => {
      for (let i = 0; i < 5; i++) await b.create(`/pr/${i}`, 'v');
      const got: number[] = [];
      const w = b.watch('/pr/', 0, { onEvent(ev) { got.push(ev.revision); return false; } });
      await settle();
      assert.deepEqual(got, [1]);
      for (let n = 2; n <= 5; n++) { w.resume!(); await until(() => got.length === n); }
      w.close();
      assert.deepEqual(got, [1, 2, 3, 4, 5]);
    }));

    it('a slow watcher is ended with onClose("slow") and others are unaffected (kine broadcaster: slow consumer, drop)', async (t) => {
      await withFixture(make, async (f) => {
        const b = f.backend;
        if (f.watchBufferSize === undefined) { t.skip('fixture has no small watch buffer'); return; }
        // Subscribe both at revision 1 so that both are live (not replaying) when the burst arrives.
        await b.create('/sl/first', 'v');
        let closedWith: string | undefined;
        let closes = 0;
        const slowGot: number[] = [];
        const w = b.watch('/sl/', 1, {
          onEvent(ev) { slowGot.push(ev.revision); return false; },
          onClose(reason) { closedWith = reason; closes++; },
        });
        const healthy = record(b, '/sl/', 1);
        await settle();
        const n = f.watchBufferSize + 5;
        await Promise.all(Array.from({ length: n }, (_, i) => b.create(`/sl/${i}`, 'v')));
        const evs = await healthy.waitFor(n);
        await until(() => closes > 0);
        assert.equal(closedWith, 'slow');
        assert.equal(closes, 1);
        assert.deepEqual(slowGot, [2], 'no delivery while paused');
        w.resume?.();
        await b.create('/sl/after', 'v');
        await settle();
        assert.deepEqual(slowGot, [2], 'nothing after the slow close');
        assert.equal(evs.length, n);
        healthy.watcher.close();
      });
    });

    it('close() of the backend ends open watchers with onClose("closed") and refuses later calls', async () => {
      const f = await make();
      try {
        const b = f.backend;
        const rec = record(b, '/', 0);
        const pending = b.create('/last', 'v');
        await b.close();
        assert.equal(await pending, 1, 'a write made before close is committed by close');
        assert.equal(rec.closedWith, 'closed');
        await assert.rejects(b.create('/after', 'v'), StorageError);
        await assert.rejects(b.get('/last'), StorageError);
      } finally {
        await f.cleanup();
      }
    });
  });

  describe(`${name}: compaction (etcd compact: forget history at or below rev)`, () => {
    it('watch below the compacted revision throws CompactedError; at it, it replays what follows', () => withFixture(make, async ({ backend: b }) => {
      await b.create('/cp/a', 'a1');        // 1
      await b.create('/cp/b', 'b1');        // 2
      await b.update('/cp/a', 'a2', 1);     // 3
      await b.update('/cp/b', 'b2', 2);     // 4
      await b.compact(3);
      assert.equal(b.compactedRevision(), 3);
      const err = (() => { try { b.watch('/cp/', 2, { onEvent() {} }); } catch (e) { return e; } })();
      assert.ok(err instanceof CompactedError, `want CompactedError, got ${String(err)}`);
      assert.equal(err.requested, 2);
      assert.equal(err.compacted, 3);
      const rec = record(b, '/cp/', 3);
      await b.delete('/cp/a');              // 5
      const evs = await rec.waitFor(2);
      rec.watcher.close();
      assert.deepEqual(evs, [
        {
          type: 'PUT', kv: { key: '/cp/b', value: 'b2', createRevision: 2, modRevision: 4 },
          prevKv: { key: '/cp/b', value: 'b1', createRevision: 2, modRevision: 2 }, revision: 4,
        },
        {
          type: 'DELETE', kv: { key: '/cp/a', value: 'a2', createRevision: 1, modRevision: 5 },
          prevKv: { key: '/cp/a', value: 'a2', createRevision: 1, modRevision: 3 }, revision: 5,
        },
      ]);
    }));

    it('compaction keeps the current value of every live key', () => withFixture(make, async ({ backend: b }) => {
      await b.create('/keep/old', 'untouched');          // 1
      await b.create('/keep/upd', 'u1');                  // 2
      await b.update('/keep/upd', 'u2', 2);               // 3
      await b.create('/keep/gone', 'g');                  // 4
      await b.delete('/keep/gone');                       // 5
      await b.create('/keep/new', 'n');                   // 6
      const before = await b.list('/keep/');
      await b.compact(6);
      assert.deepEqual((await b.list('/keep/')).items, before.items);
      assert.equal((await b.get('/keep/old'))?.modRevision, 1);
      assert.equal(await b.update('/keep/old', 'changed', 1), 7);
    }));

    const badCompactions: [string, number, new (...a: never[]) => Error][] = [
      ['compact at the compacted revision: CompactedError', 2, CompactedError],
      ['compact below the compacted revision: CompactedError', 1, CompactedError],
      ['compact beyond the current revision: StorageError', 99, StorageError],
    ];
    for (const [what, rev, errType] of badCompactions) {
      it(what, () => withFixture(make, async ({ backend: b }) => {
        for (let i = 0; i < 3; i++) await b.create(`/bc/${i}`, 'v');
        await b.compact(2);
        await assert.rejects(b.compact(rev), errType);
        assert.equal(b.compactedRevision(), 2);
      }));
    }

    it('history after compaction still replays gap-free with prevKv', () => withFixture(make, async ({ backend: b }) => {
      for (let i = 0; i < 10; i++) await b.create(`/hc/${i}`, 'v0');          // 1..10
      for (let i = 0; i < 10; i++) await b.update(`/hc/${i}`, 'v1', i + 1);    // 11..20
      for (let i = 0; i < 10; i++) await b.update(`/hc/${i}`, 'v2', i + 11);   // 21..30
      await b.compact(15);
      const rec = record(b, '/hc/', 15);
      const evs = await rec.waitFor(15);
      rec.watcher.close();
      assert.deepEqual(evs.map(e => e.revision), Array.from({ length: 15 }, (_, i) => i + 16));
      for (const e of evs) assert.equal(e.prevKv?.modRevision, e.revision - 10, `prevKv of ${e.revision}`);
    }));
  });

  describe(`${name}: racing writers (conflict checks see pending writes)`, () => {
    const races: [string, (b: Backend) => Promise<void>, (b: Backend, i: number) => Promise<number>,
      new (...a: never[]) => Error][] = [
      ['16 creates of one key: one wins, the rest KeyExistsError', async () => {}, (b, i) => b.create('/race', `w${i}`), KeyExistsError],
      ['16 updates at one revision: one wins, the rest RevisionMismatchError',
        async b => { await b.create('/race', 'v'); }, (b, i) => b.update('/race', `w${i}`, 1), RevisionMismatchError],
      ['16 deletes: one wins, the rest NotFoundError',
        async b => { await b.create('/race', 'v'); }, b => b.delete('/race'), NotFoundError],
      ['16 deletes at one revision: one wins, the rest NotFoundError',
        async b => { await b.create('/race', 'v'); }, b => b.delete('/race', 1), NotFoundError],
    ];
    for (const [what, setup, op, loserErr] of races) {
      it(what, () => withFixture(make, async ({ backend: b }) => {
        await setup(b);
        const rev0 = b.currentRevision();
        const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => op(b, i)));
        const won = results.filter(r => r.status === 'fulfilled');
        const lost = results.filter(r => r.status === 'rejected');
        assert.equal(won.length, 1);
        for (const l of lost) assert.ok(l.reason instanceof loserErr, String(l.reason));
        assert.equal(b.currentRevision(), rev0 + 1);
        assert.equal((won[0] as PromiseFulfilledResult<number>).value, rev0 + 1);
      }));
    }

    it('create then delete of one key in the same tick both succeed, in order', () => withFixture(make, async ({ backend: b }) => {
      const c = b.create('/cd', 'v');
      const d = b.delete('/cd', 1);
      assert.deepEqual(await Promise.all([c, d]), [1, 2]);
      assert.equal(await b.get('/cd'), undefined);
    }));

    it('16 concurrent creates of distinct keys take revisions 1..16', () => withFixture(make, async ({ backend: b }) => {
      const revs = await Promise.all(Array.from({ length: 16 }, (_, i) => b.create(`/d/${i}`, 'v')));
      assert.deepEqual([...revs].sort((x, y) => x - y), Array.from({ length: 16 }, (_, i) => i + 1));
    }));

    it('bursts of concurrent random writes give the results of running them one by one in call order', () => withFixture(make, async ({ backend: b }) => {
      const rnd = mulberry32(42);
      const model = new Map<string, KeyValue>();
      const modelEvents: [string, string, number][] = [];
      let rev = 0;
      const keys = Array.from({ length: 12 }, (_, i) => `/rand/${i}`);
      for (let burst = 0; burst < 40; burst++) {
        const calls: Promise<number | string>[] = [];
        const want: (number | string)[] = [];
        for (let n = 0; n < 10; n++) {
          const key = keys[Math.floor(rnd() * keys.length)];
          const cur = model.get(key);
          const r = rnd();
          const value = `v${burst}.${n}`;
          const outcome = (p: Promise<number>) => p.then(v => v, (e: Error) => e.name);
          if (r < 0.35) {
            calls.push(outcome(b.create(key, value)));
            if (cur) want.push('KeyExistsError');
            else { rev++; model.set(key, { key, value, createRevision: rev, modRevision: rev }); modelEvents.push(['PUT', key, rev]); want.push(rev); }
          } else if (r < 0.75) {
            const expect = cur && rnd() < 0.8 ? cur.modRevision : 1 + Math.floor(rnd() * (rev + 1));
            calls.push(outcome(b.update(key, value, expect)));
            if (!cur) want.push('NotFoundError');
            else if (cur.modRevision !== expect) want.push('RevisionMismatchError');
            else { rev++; model.set(key, { key, value, createRevision: cur.createRevision, modRevision: rev }); modelEvents.push(['PUT', key, rev]); want.push(rev); }
          } else {
            const useExpected = rnd() < 0.5;
            const expect = cur && rnd() < 0.7 ? cur.modRevision : 1 + Math.floor(rnd() * (rev + 1));
            calls.push(outcome(useExpected ? b.delete(key, expect) : b.delete(key)));
            if (!cur) want.push('NotFoundError');
            else if (useExpected && cur.modRevision !== expect) want.push('RevisionMismatchError');
            else { rev++; model.delete(key); modelEvents.push(['DELETE', key, rev]); want.push(rev); }
          }
        }
        assert.deepEqual(await Promise.all(calls), want, `burst ${burst}`);
      }
      assert.equal(b.currentRevision(), rev);
      const wantItems = [...model.values()].sort((x, y) => (x.key < y.key ? -1 : 1));
      assert.deepEqual((await b.list('/rand/')).items, wantItems);
      const rec = record(b, '/rand/', 0);
      const evs = await rec.waitFor(rev);
      rec.watcher.close();
      assert.deepEqual(evs.map(e => [e.type, e.kv.key, e.revision]), modelEvents);
    }));
  });

  describe(`${name}: persistence across reopen`, () => {
    it('the same keys come back with the same revisions, and revisions continue', async (t) => {
      await withFixture(make, async (f) => {
        if (!f.reopen) { t.skip('backend is not persistent'); return; }
        let b = f.backend;
        await b.create('/ps/a', 'a1');        // 1
        await b.create('/ps/b', 'b1');        // 2
        await b.update('/ps/a', 'a2', 1);     // 3
        await b.delete('/ps/b');              // 4
        await b.create('/ps/b', 'b2');        // 5
        await b.create('/ps/c', 'c1');        // 6
        const list = await b.list('');
        const hist = record(b, '', 0);
        const events = await hist.waitFor(6);
        await b.close();
        b = await f.reopen();
        assert.equal(b.currentRevision(), 6);
        assert.equal(b.compactedRevision(), 0);
        assert.deepEqual(await b.list(''), list);
        assert.deepEqual(await b.get('/ps/b'), { key: '/ps/b', value: 'b2', createRevision: 5, modRevision: 5 });
        const replay = record(b, '', 0);
        assert.deepEqual(await replay.waitFor(6), events);
        replay.watcher.close();
        assert.equal(await b.create('/ps/d', 'd'), 7);
      });
    });

    it('writes pending at close() are committed and survive', async (t) => {
      await withFixture(make, async (f) => {
        if (!f.reopen) { t.skip('backend is not persistent'); return; }
        const pending = Array.from({ length: 20 }, (_, i) => f.backend.create(`/pc/${i}`, `v${i}`));
        await f.backend.close();
        const revs = await Promise.all(pending);
        const b = await f.reopen();
        for (const [i, rev] of revs.entries()) {
          assert.deepEqual(await b.get(`/pc/${i}`), { key: `/pc/${i}`, value: `v${i}`, createRevision: rev, modRevision: rev });
        }
      });
    });

    it('the compacted revision survives, also when the newest row was a compacted delete', async (t) => {
      await withFixture(make, async (f) => {
        if (!f.reopen) { t.skip('backend is not persistent'); return; }
        let b = f.backend;
        await b.create('/pk/a', 'v');         // 1
        await b.update('/pk/a', 'w', 1);      // 2
        await b.create('/pk/b', 'v');         // 3
        await b.delete('/pk/b');              // 4
        await b.compact(4);
        await b.close();
        b = await f.reopen();
        assert.equal(b.currentRevision(), 4);
        assert.equal(b.compactedRevision(), 4);
        assert.throws(() => b.watch('', 3, { onEvent() {} }), CompactedError);
        assert.deepEqual((await b.list('')).items, [{ key: '/pk/a', value: 'w', createRevision: 1, modRevision: 2 }]);
        assert.equal(await b.create('/pk/b', 'again'), 5);
      });
    });
  });
}

// --- helpers ---

async function withFixture(make: Make, fn: (f: BackendFixture) => Promise<void>): Promise<void> {
  const f = await make();
  try {
    await fn(f);
  } finally {
    await f.cleanup();
  }
}

interface Recorder {
  events: WatchEvent[];
  watcher: Watcher;
  closedWith: string | undefined;
  waitFor(n: number): Promise<WatchEvent[]>;
}

function record(b: Backend, prefix: string, from: number): Recorder {
  const events: WatchEvent[] = [];
  let wake: (() => void) | undefined;
  const rec: Recorder = {
    events,
    closedWith: undefined,
    watcher: b.watch(prefix, from, {
      onEvent(ev) { events.push(ev); wake?.(); },
      onClose(reason) { rec.closedWith = reason; wake?.(); },
    }),
    async waitFor(n) {
      const deadline = Date.now() + GUARD_MS;
      while (events.length < n) {
        if (rec.closedWith) throw new Error(`watch closed (${rec.closedWith}) after ${events.length}/${n} events`);
        if (Date.now() > deadline) throw new Error(`guard: ${events.length}/${n} events arrived`);
        await new Promise<void>(resolve => { wake = resolve; setTimeout(resolve, 50).unref(); });
        wake = undefined;
      }
      return events.slice(0, n);
    },
  };
  return rec;
}

/** Lets pending commits, microtasks and replay turns run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
}

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + GUARD_MS;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('guard: condition not reached');
    await new Promise(r => setImmediate(r));
  }
}

