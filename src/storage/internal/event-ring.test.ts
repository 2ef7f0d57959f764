import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WatchEvent } from '../backend.ts';
import { EventRing } from './event-ring.ts';

const ev = (revision: number): WatchEvent =>
  ({ type: 'PUT', kv: { key: `/k${revision}`, value: 'v', createRevision: revision, modRevision: revision }, revision });

describe('EventRing', () => {
  it('keeps the newest `capacity` events, gap-free', () => {
    const r = new EventRing(3, 1);
    const dropped = [1, 2, 3, 4, 5].map(n => r.push(ev(n))?.revision);
    assert.deepEqual(dropped, [undefined, undefined, undefined, 1, 2]);
    assert.equal(r.firstRevision, 3);
    assert.equal(r.lastRevision, 5);
    assert.deepEqual(r.slice(2, 5, 10).map(e => e.revision), [3, 4, 5]);
  });

  const slices: [string, number, number, number, number[]][] = [
    ['after the oldest', 3, 5, 10, [4, 5]],
    ['bounded by upTo', 2, 4, 10, [3, 4]],
    ['bounded by limit', 2, 5, 1, [3]],
    ['nothing after the newest', 5, 5, 10, []],
  ];
  for (const [what, after, upTo, limit, want] of slices) {
    it(`slice: ${what}`, () => {
      const r = new EventRing(3, 1);
      for (let n = 1; n <= 5; n++) r.push(ev(n));
      assert.equal(r.covers(after), true);
      assert.deepEqual(r.slice(after, upTo, limit).map(e => e.revision), want);
    });
  }

  it('covers() is false once the revision after `after` was dropped', () => {
    const r = new EventRing(3, 1);
    for (let n = 1; n <= 5; n++) r.push(ev(n));
    assert.equal(r.covers(1), false);
    assert.equal(r.covers(2), true);
  });

  it('dropThrough forgets old events and keeps accepting the next revision', () => {
    const r = new EventRing(10, 1);
    for (let n = 1; n <= 4; n++) r.push(ev(n));
    r.dropThrough(3);
    assert.deepEqual(r.slice(0, 10, 10).map(e => e.revision), [4]);
    r.dropThrough(4);
    assert.equal(r.length, 0);
    r.push(ev(5));
    assert.deepEqual(r.slice(4, 10, 10).map(e => e.revision), [5]);
  });

  it('refuses an out-of-order revision', () => {
    const r = new EventRing(3, 7);
    assert.throws(() => r.push(ev(8)), /expected revision 7/);
  });
});
