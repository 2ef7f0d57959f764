import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SortedKeys } from './sorted-keys.ts';

describe('SortedKeys', () => {
  const cases: [string, string[], string, boolean, string[]][] = [
    ['from a present key, inclusive', ['b', 'a', 'c'], 'b', false, ['b', 'c']],
    ['from a present key, exclusive', ['b', 'a', 'c'], 'b', true, ['c']],
    ['from an absent key', ['a', 'c', 'e'], 'b', false, ['c', 'e']],
    ['from before everything', ['a', 'c'], '', false, ['a', 'c']],
    ['from after everything', ['a', 'c'], 'd', false, []],
    ['duplicates are stored once', ['a', 'a', 'b'], 'a', false, ['a', 'b']],
    ['empty set', [], 'a', false, []],
  ];
  for (const [what, keys, start, exclusive, want] of cases) {
    it(what, () => {
      const s = new SortedKeys();
      for (const k of keys) s.insert(k);
      assert.deepEqual([...s.from(start, exclusive)], want);
      assert.deepEqual([...SortedKeys.from(keys).from(start, exclusive)], want, 'bulk-built');
    });
  }

  it('matches a sorted array through 20,000 random inserts and removes (chunk splits and merges)', () => {
    let seed = 1;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
    const s = SortedKeys.from(Array.from({ length: 1000 }, (_, i) => `k${i * 3}`));
    const model = new Set(Array.from({ length: 1000 }, (_, i) => `k${i * 3}`));
    for (let i = 0; i < 20_000; i++) {
      const k = `k${Math.floor(rnd() * 5000)}`;
      if (rnd() < 0.6) {
        assert.equal(s.insert(k), !model.has(k));
        model.add(k);
      } else {
        assert.equal(s.remove(k), model.has(k));
        model.delete(k);
      }
      if (i % 997 === 0) {
        const sorted = [...model].sort();
        assert.deepEqual([...s.from('')], sorted);
        const probe = `k${Math.floor(rnd() * 5000)}`;
        assert.deepEqual([...s.from(probe, true)], sorted.filter(x => x > probe));
      }
    }
    assert.equal(s.size, model.size);
    for (const k of model) assert.ok(s.has(k));
  });
});
