import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompactedError } from '../backend.ts';
import { backendSuite } from '../backend.suite.ts';
import { MemoryBackend } from './memory-backend.ts';

backendSuite('MemoryBackend', async () => {
  const backend = new MemoryBackend({ watchBufferSize: 50 });
  return { backend, watchBufferSize: 50, cleanup: () => backend.close() };
});

describe('MemoryBackend: bounded history (historyLimit)', () => {
  it('revisions that fall out of the history ring count as compacted', async () => {
    const b = new MemoryBackend({ historyLimit: 5 });
    for (let i = 0; i < 8; i++) await b.create(`/k/${i}`, 'v');
    assert.equal(b.compactedRevision(), 3);
    assert.throws(() => b.watch('/k/', 2, { onEvent() {} }), CompactedError);
    const got: number[] = [];
    const w = b.watch('/k/', 3, { onEvent(ev) { got.push(ev.revision); } });
    await new Promise(r => setImmediate(r));
    w.close();
    assert.deepEqual(got, [4, 5, 6, 7, 8]);
    assert.equal((await b.list('/k/')).items.length, 8, 'current values are never forgotten');
    await b.close();
  });
});
