// Watch decoding (kubectl-compatibility.md §2.6): newline-delimited JSON events split anywhere across
// chunks; malformed lines are errors (not silence, unlike kubernetes-client/javascript); ERROR events end the
// stream with their StatusError (410 → isGone).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGone, isNotFound, StatusError } from '../api/status.ts';
import { WatchDecodeError, WatchDecoder, WatchStream, decodeWatchEvent } from './watch.ts';

const ev1 = { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'grüße', resourceVersion: '5' }, data: { k: '☃ 𝄞' } } };
const ev2 = { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '9' } } };
const wire = Buffer.from(JSON.stringify(ev1) + '\n' + JSON.stringify(ev2) + '\n', 'utf8');

test('WatchDecoder: the same events whatever byte the stream is split at (including inside UTF-8 sequences)', () => {
  for (let i = 0; i <= wire.length; i++) {
    const d = new WatchDecoder();
    const got = [...d.write(wire.subarray(0, i)), ...d.write(wire.subarray(i)), ...d.end()];
    assert.deepEqual(got, [ev1, ev2], `split at byte ${i}`);
  }
});

test('WatchDecoder: one byte at a time', () => {
  const d = new WatchDecoder();
  const got = [];
  for (const b of wire) got.push(...d.write(Uint8Array.of(b)));
  got.push(...d.end());
  assert.deepEqual(got, [ev1, ev2]);
});

test('WatchDecoder: blank lines and \\r\\n line ends are tolerated', () => {
  const d = new WatchDecoder();
  const got = d.write(`\n${JSON.stringify(ev1)}\r\n\n  \n${JSON.stringify(ev2)}\n`);
  assert.deepEqual(got, [ev1, ev2]);
});

test('WatchDecoder: a final event without its newline is still an event', () => {
  const d = new WatchDecoder();
  assert.deepEqual(d.write(JSON.stringify(ev1)), []);
  assert.deepEqual(d.end(), [ev1]);
});

const badLines: Array<{ name: string; line: string; msg: RegExp }> = [
  { name: 'not JSON', line: '{"type":"ADDED","object":', msg: /unable to decode an event from the watch stream/ },
  { name: 'JSON but not an object', line: '[1,2]', msg: /event is not an object/ },
  { name: 'unknown event type', line: '{"type":"UPSERTED","object":{}}', msg: /unknown event type "UPSERTED"/ },
  { name: 'missing type', line: '{"object":{}}', msg: /unknown event type undefined/ },
  { name: 'missing object', line: '{"type":"ADDED"}', msg: /event has no object/ },
  { name: 'object is a string', line: '{"type":"ADDED","object":"x"}', msg: /event has no object/ },
];

for (const tc of badLines) {
  test(`decodeWatchEvent: ${tc.name} is a WatchDecodeError`, () => {
    assert.throws(() => decodeWatchEvent(tc.line), (e: unknown) => {
      assert.ok(e instanceof WatchDecodeError);
      assert.equal(e.truncated, false);
      assert.equal(e.text, tc.line);
      assert.match(e.message, tc.msg);
      return true;
    });
  });
}

test('WatchDecoder: a malformed line in the middle throws, it is not skipped', () => {
  const d = new WatchDecoder();
  assert.throws(() => d.write(`${JSON.stringify(ev1)}\nnot json\n${JSON.stringify(ev2)}\n`), WatchDecodeError);
});

test('WatchDecoder: a stream that ends inside an event reports truncated', () => {
  const d = new WatchDecoder();
  const text = JSON.stringify(ev1) + '\n' + JSON.stringify(ev2).slice(0, 20);
  assert.deepEqual(d.write(text), [ev1]);
  assert.throws(() => d.end(), (e: unknown) => e instanceof WatchDecodeError && e.truncated && e.text === JSON.stringify(ev2).slice(0, 20));
});

async function* chunks(parts: string[], after?: () => never): AsyncGenerator<string> {
  for (const p of parts) yield p;
  if (after) after();
}

async function collect(s: WatchStream): Promise<{ events: unknown[]; error?: unknown }> {
  const events: unknown[] = [];
  try {
    for await (const e of s) events.push(e);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

test('WatchStream: ERROR with a 410 Status throws a gone StatusError and closes the stream', async () => {
  let aborted = 0;
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 5 (10)', reason: 'Expired', code: 410 };
  const s = new WatchStream(chunks([JSON.stringify(ev1) + '\n', JSON.stringify({ type: 'ERROR', object: status }) + '\n', JSON.stringify(ev2) + '\n']), () => aborted++);
  const r = await collect(s);
  assert.deepEqual(r.events, [ev1]);
  assert.ok(r.error instanceof StatusError);
  assert.equal(isGone(r.error), true);
  assert.equal(r.error.code, 410);
  assert.equal(r.error.reason, 'Expired');
  assert.equal(r.error.message, 'too old resource version: 5 (10)');
  assert.equal(aborted, 1);
  assert.equal(s.stopped, true);
});

test('WatchStream: ERROR with another Status keeps its code and reason', async () => {
  const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'namespaces "x" not found', reason: 'NotFound', code: 404 };
  const r = await collect(new WatchStream(chunks([JSON.stringify({ type: 'ERROR', object: status }) + '\n']), () => {}));
  assert.equal(isNotFound(r.error), true);
});

test('WatchStream: ERROR without a Status object is an internal StatusError', async () => {
  const r = await collect(new WatchStream(chunks([JSON.stringify({ type: 'ERROR', object: { foo: 1 } }) + '\n']), () => {}));
  assert.ok(r.error instanceof StatusError);
  assert.equal(r.error.code, 500);
});

test('WatchStream: truncated end and malformed lines surface as errors', async () => {
  const t = await collect(new WatchStream(chunks([JSON.stringify(ev1) + '\n{"type":"MODI']), () => {}));
  assert.deepEqual(t.events, [ev1]);
  assert.ok(t.error instanceof WatchDecodeError && t.error.truncated);
  const m = await collect(new WatchStream(chunks(['garbage\n']), () => {}));
  assert.ok(m.error instanceof WatchDecodeError && !m.error.truncated);
});

test('WatchStream: stop() ends iteration without error even if the transport then fails', async () => {
  let s!: WatchStream;
  const source = (async function* () {
    yield JSON.stringify(ev1) + '\n';
    s.stop();
    throw new Error('socket hang up');
  })();
  s = new WatchStream(source, () => {});
  const r = await collect(s);
  assert.deepEqual(r.events, [ev1]);
  assert.equal(r.error, undefined);
});

test('WatchStream: a transport failure (not stopped) is rethrown', async () => {
  const r = await collect(new WatchStream(chunks([JSON.stringify(ev1) + '\n'], () => { throw new Error('ECONNRESET'); }), () => {}));
  assert.deepEqual(r.events, [ev1]);
  assert.equal((r.error as Error).message, 'ECONNRESET');
});

test('WatchStream: can be iterated once', () => {
  const s = new WatchStream(chunks([]), () => {});
  s[Symbol.asyncIterator]();
  assert.throws(() => s[Symbol.asyncIterator](), /only once/);
});

test('WatchStream: events before a bad line in the same chunk are delivered before the error', async () => {
  const r = await collect(new WatchStream(chunks([`${JSON.stringify(ev1)}\nnot json\n${JSON.stringify(ev2)}\n`]), () => {}));
  assert.deepEqual(r.events, [ev1]);
  assert.ok(r.error instanceof WatchDecodeError);
});

test('WatchDecoder.next: pulls one event at a time and throws at the bad line only', () => {
  const d = new WatchDecoder();
  d.push(`${JSON.stringify(ev1)}\nbad\n`);
  assert.deepEqual(d.next(), ev1);
  assert.throws(() => d.next(), WatchDecodeError);
  assert.equal(d.next(), undefined);
});
