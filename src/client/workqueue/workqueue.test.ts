// Work queue semantics (client-go util/workqueue queue_test.go, delaying_queue_test.go,
// default_rate_limiters_test.go), driven by a FakeClock: no test sleeps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../clock.ts';
import { WorkQueue } from './queue.ts';
import { DelayingQueue } from './delaying-queue.ts';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rate-limiter.ts';
import { RateLimitingQueue, processNextWorkItem, runWorkers } from './rate-limiting-queue.ts';

async function getItem<T>(q: WorkQueue<T>): Promise<T> {
  const r = await q.get();
  assert.equal(r.shutdown, false);
  return r.item as T;
}

test('queue.go: fair order and de-duplication while queued', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await getItem(q), 'a');
  assert.equal(await getItem(q), 'b');
  assert.equal(q.len(), 0);
});

test('queue.go: an item being processed is not handed out again; re-added it comes back after done()', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const first = await getItem(q);
  q.add('a');
  q.add('a');
  assert.equal(q.len(), 0, 'dirty, not queued, while processing');
  let second: string | undefined;
  const pending = q.get().then((r) => { second = r.item; });
  await settle();
  assert.equal(second, undefined, 'no second worker gets a while it is processing');
  q.done(first);
  await pending;
  assert.equal(second, 'a', 'processed again after done');
  q.done('a');
  assert.equal(q.len(), 0, 'the two re-adds merged into one');
});

test('queue.go: get() waits for an add', async () => {
  const q = new WorkQueue<number>();
  const got = q.get();
  q.add(7);
  assert.deepEqual(await got, { item: 7, shutdown: false });
});

test('queue.go: several waiting workers each get a different item', async () => {
  const q = new WorkQueue<string>();
  const a = q.get();
  const b = q.get();
  q.add('x');
  q.add('y');
  const got = [(await a).item, (await b).item].sort();
  assert.deepEqual(got, ['x', 'y']);
});

test('queue.go: shutDown drops new adds, hands out what is queued, then reports shutdown', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.shutDown();
  q.add('b');
  assert.equal(q.shuttingDown(), true);
  assert.deepEqual(await q.get(), { item: 'a', shutdown: false });
  assert.deepEqual(await q.get(), { item: undefined, shutdown: true });
});

test('queue.go: shutDown releases a waiting get()', async () => {
  const q = new WorkQueue<string>();
  const waiting = q.get();
  q.shutDown();
  assert.deepEqual(await waiting, { item: undefined, shutdown: true });
});

test('queue.go: shutDownWithDrain waits for items in processing', async () => {
  const q = new WorkQueue<string>();
  q.add('a');
  const item = await getItem(q);
  let drained = false;
  const d = q.shutDownWithDrain().then(() => { drained = true; });
  await settle();
  assert.equal(drained, false);
  q.done(item);
  await d;
  assert.equal(drained, true);
});

test('delaying_queue.go: addAfter adds once the delay has passed', () => {
  const clock = new FakeClock(1000);
  const q = new DelayingQueue<string>(clock);
  q.addAfter('a', 50);
  assert.equal(q.len(), 0);
  assert.equal(q.waitingLen(), 1);
  clock.advance(49);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.waitingLen(), 0);
});

test('delaying_queue.go: the earlier ready time wins; items become ready in ready-time order', async () => {
  const clock = new FakeClock();
  const q = new DelayingQueue<string>(clock);
  q.addAfter('late', 300);
  q.addAfter('x', 200);
  q.addAfter('x', 100);
  q.addAfter('x', 250);
  q.addAfter('early', 50);
  clock.advance(100);
  assert.equal(q.len(), 2);
  assert.equal(await getItem(q), 'early');
  assert.equal(await getItem(q), 'x');
  clock.advance(200);
  assert.equal(await getItem(q), 'late');
});

test('delaying_queue.go: a zero or negative delay adds at once; shutDown cancels waiting items', () => {
  const clock = new FakeClock();
  const q = new DelayingQueue<string>(clock);
  q.addAfter('now', 0);
  q.addAfter('neg', -5);
  assert.equal(q.len(), 2);
  q.addAfter('later', 10);
  q.shutDown();
  assert.equal(clock.pendingTimers(), 0);
  clock.advance(10);
  assert.equal(q.len(), 2);
});

test('default_rate_limiters.go: ItemExponentialFailureRateLimiter doubles from 5 ms and caps at 1000 s', () => {
  const r = new ItemExponentialFailureRateLimiter<string>(5, 1000 * 1000);
  assert.deepEqual([r.when('a'), r.when('a'), r.when('a'), r.when('a')], [5, 10, 20, 40]);
  assert.equal(r.numRequeues('a'), 4);
  assert.equal(r.when('b'), 5, 'per item');
  for (let i = 0; i < 20; i++) r.when('a');
  assert.equal(r.when('a'), 1000 * 1000);
  for (let i = 0; i < 2000; i++) r.when('a');
  assert.equal(r.when('a'), 1000 * 1000, 'no overflow');
  r.forget('a');
  assert.equal(r.numRequeues('a'), 0);
  assert.equal(r.when('a'), 5);
});

test('default_rate_limiters.go: BucketRateLimiter starts full (burst) and refills at qps', () => {
  const clock = new FakeClock();
  const r = new BucketRateLimiter<string>(10, 100, clock);
  for (let i = 0; i < 100; i++) assert.equal(r.when(`i${i}`), 0);
  assert.equal(Math.round(r.when('x')), 100);
  assert.equal(Math.round(r.when('y')), 200);
  clock.advance(1000);
  // 10 tokens back, 2 were owed: 8 free ones.
  for (let i = 0; i < 8; i++) assert.equal(r.when(`j${i}`), 0);
  assert.equal(Math.round(r.when('z')), 100);
});

test('default_rate_limiters.go: MaxOf takes the longest delay; DefaultControllerRateLimiter combines both', () => {
  const clock = new FakeClock();
  const m = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(1, 1000), new ItemExponentialFailureRateLimiter(10, 1000));
  assert.equal(m.when('a'), 10);
  assert.equal(m.numRequeues('a'), 1);
  m.forget('a');
  assert.equal(m.numRequeues('a'), 0);

  const d = defaultControllerRateLimiter<string>(clock);
  assert.equal(d.when('a'), 5);
  assert.equal(d.when('a'), 10);
  for (let i = 0; i < 98; i++) d.when(`k${i}`);
  // bucket exhausted (100 tokens used): the bucket's 100 ms beats the per-item 5 ms
  assert.equal(Math.round(d.when('fresh')), 100);
});

test('rate_limiting_queue.go: addRateLimited backs off per item, forget resets', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  q.addRateLimited('a');
  assert.equal(q.len(), 0);
  clock.advance(5);
  assert.equal(await getItem(q), 'a');
  q.done('a');
  q.addRateLimited('a');
  clock.advance(9);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  assert.equal(q.numRequeues('a'), 2);
  q.forget('a');
  assert.equal(q.numRequeues('a'), 0);
  assert.equal(q.metrics().retries, 2);
});

test('processNextWorkItem: errors requeue with backoff until sync succeeds, then forget', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  let attempts = 0;
  const errors: number[] = [];
  const sync = (key: string) => {
    assert.equal(key, 'ns/web');
    attempts++;
    if (attempts < 3) throw new Error(`fail ${attempts}`);
  };
  q.add('ns/web');
  assert.equal(await processNextWorkItem(q, sync, { onError: (_e, _k, n) => errors.push(n) }), true);
  assert.equal(q.len(), 0, 'waiting 5 ms');
  clock.advance(5);
  assert.equal(await processNextWorkItem(q, sync, { onError: (_e, _k, n) => errors.push(n) }), true);
  clock.advance(10);
  assert.equal(await processNextWorkItem(q, sync), true);
  assert.equal(attempts, 3);
  assert.deepEqual(errors, [0, 1]);
  assert.equal(q.numRequeues('ns/web'), 0, 'forgotten after success');
  q.shutDown();
  assert.equal(await processNextWorkItem(q, sync), false);
});

test('processNextWorkItem: maxRetries gives up and forgets', async () => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock });
  q.add('k');
  await processNextWorkItem(q, () => { throw new Error('x'); }, { maxRetries: 0 });
  clock.advance(10_000);
  assert.equal(q.len(), 0);
  assert.equal(q.numRequeues('k'), 0);
});

test('runWorkers: two workers never sync the same key at once, and every add after a start is synced again', async () => {
  const q = new RateLimitingQueue<string>({ clock: new FakeClock() });
  const active = new Set<string>();
  const log: string[] = [];
  let overlap = false;
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => { release = r; });
  const sync = async (key: string) => {
    if (active.has(key)) overlap = true;
    active.add(key);
    log.push(`start ${key}`);
    if (key === 'a' && log.filter((l) => l === 'start a').length === 1) await gate;
    log.push(`end ${key}`);
    active.delete(key);
  };
  const done = runWorkers(q, 2, sync);
  q.add('a');
  await settle();
  q.add('a'); // while a is processing: must run again afterwards, not in parallel
  q.add('b');
  await settle();
  release!();
  for (let i = 0; i < 20 && log.filter((l) => l === 'end a').length < 2; i++) await settle();
  q.shutDown();
  await done;
  assert.equal(overlap, false);
  assert.equal(log.filter((l) => l === 'start a').length, 2);
  assert.ok(log.indexOf('end a') < log.lastIndexOf('start a'), 'second run starts after the first ended');
  assert.ok(log.includes('end b'));
});
