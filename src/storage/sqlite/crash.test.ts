// Durability at the storage level (backend.ts: "a write's promise resolves only after the write is
// durable"): a child process writes through 16 concurrent writers and prints each acknowledged write;
// we SIGKILL it at a random moment, reopen the file and require every acknowledged write to be there
// with the same revision, a gap-free log after the compacted revision, and PRAGMA integrity_check ok.
// SIGKILL tests process death (data must have left the process); power loss additionally relies on
// synchronous=FULL's fsync, which a test cannot pull the plug on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { WatchEvent } from '../backend.ts';
import { SqliteBackend } from './sqlite-backend.ts';

const CHILD = path.join(import.meta.dirname, 'testdata', 'crash-writer.ts');

interface Ack { key: string; rev: number; n: number }

/** Runs the child until SIGKILL after killAfterMs (counted from its first output); returns the acks. */
async function runAndKill(file: string, compact: boolean, killAfterMs: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [CHILD, file, compact ? '1' : '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('guard: child did not exit')); }, 30_000);
    child.on('exit', () => { clearTimeout(guard); clearTimeout(timer); resolve(); });
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (out === '') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    out += chunk;
  });
  await exited;
  assert.equal(child.signalCode, 'SIGKILL', `child exited on its own (code ${child.exitCode})`);
  const lines = out.split('\n');
  lines.pop(); // a line cut by the kill is not an acknowledgement we can read
  assert.equal(lines[0], 'ready');
  return lines.slice(1).map(l => {
    const [key, rev, n] = l.split(' ');
    return { key, rev: Number(rev), n: Number(n) };
  });
}

function integrity(file: string): string {
  const db = new DatabaseSync(file);
  try {
    return (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  } finally {
    db.close();
  }
}

describe('SqliteBackend: SIGKILL at a random moment loses no acknowledged write', () => {
  const runs: [string, boolean, number][] = [
    ['while writing', false, 150 + Math.floor(Math.random() * 350)],
    ['while writing, soon after start', false, 20 + Math.floor(Math.random() * 80)],
    ['while writing and compacting', true, 150 + Math.floor(Math.random() * 350)],
    ['while writing and compacting, later', true, 400 + Math.floor(Math.random() * 400)],
  ];
  for (const [what, compact, killAfterMs] of runs) {
    it(`${what} (kill after ${killAfterMs} ms)`, async (t) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubedisco-crash-'));
      const file = path.join(dir, 'state.db');
      try {
        const acks = await runAndKill(file, compact, killAfterMs);
        assert.ok(acks.length > 0, 'the child acknowledged writes before the kill');
        assert.equal(integrity(file), 'ok');

        const b = SqliteBackend.open(file, { autoCompact: false });
        try {
          const current = b.currentRevision();
          const compacted = b.compactedRevision();
          t.diagnostic(`${acks.length} acknowledged writes; reopened at revision ${current}, compacted ${compacted}`);
          assert.ok(current >= Math.max(...acks.map(a => a.rev)), 'no acknowledged revision is missing');

          // Every revision after the compacted one is in the log, gap-free, and the acknowledged
          // ones carry the acknowledged key and value.
          const history = new Map<number, WatchEvent>();
          await new Promise<void>((resolve, reject) => {
            if (current === compacted) { resolve(); return; }
            const w = b.watch('', compacted, {
              onEvent(ev) { history.set(ev.revision, ev); if (ev.revision === current) { w.close(); resolve(); } },
              onClose(reason) { reject(new Error(`watch closed: ${reason}`)); },
            });
          });
          assert.equal(history.size, current - compacted);
          const latest = new Map<string, Ack>();
          for (const a of acks) {
            if ((latest.get(a.key)?.rev ?? 0) < a.rev) latest.set(a.key, a);
            if (a.rev <= compacted) continue;
            const ev = history.get(a.rev);
            assert.equal(ev?.kv.key, a.key, `revision ${a.rev}`);
            assert.equal(ev?.kv.value, `${a.key}#${a.n}`, `revision ${a.rev}`);
          }
          // The state: every acknowledged key exists at its last acknowledged revision or later.
          for (const a of latest.values()) {
            const kv = await b.get(a.key);
            assert.ok(kv, `${a.key} exists`);
            assert.ok(kv.modRevision >= a.rev, `${a.key} at ${kv.modRevision} >= acknowledged ${a.rev}`);
            if (kv.modRevision === a.rev) assert.equal(kv.value, `${a.key}#${a.n}`);
          }
          assert.equal(await b.create('/after-crash', 'v'), current + 1);
        } finally {
          await b.close();
        }
        assert.equal(integrity(file), 'ok');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
