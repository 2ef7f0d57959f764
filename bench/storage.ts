// Storage benchmark: durable creates/s at 1 and 16 concurrent writers (memory vs SQLite, median of
// runs), the share of wall time the SQLite commit blocks the event loop, and list latency at 10,000
// keys. Bounded: about 15 s in total. Run: node bench/storage.ts  (or import runStorageBench).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Backend } from '../src/storage/backend.ts';
import { MemoryBackend } from '../src/storage/memory/memory-backend.ts';
import { SqliteBackend } from '../src/storage/sqlite/sqlite-backend.ts';

export interface WriteResult {
  backend: string;
  writers: number;
  /** Median over runs. */
  createsPerSec: number;
  runs: number[];
  /** SQLite only: writes per transaction, and event-loop time blocked per commit / in total. */
  avgBatch?: number;
  avgCommitMs?: number;
  maxCommitMs?: number;
  commitShareOfWall?: number;
}

export interface ListResultRow {
  backend: string;
  keys: number;
  what: string;
  items: number;
  /** Median over runs, milliseconds. */
  medianMs: number;
}

export interface StorageBenchResult {
  machine: { cpus: number; cpu: string; node: string; sqlite: string; tmpdir: string };
  valueBytes: number;
  runMs: number;
  writes: WriteResult[];
  lists: ListResultRow[];
}

const VALUE = JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x', labels: { app: 'web' } }, pad: 'p'.repeat(900) });

interface Opened { backend: Backend; done(): Promise<void> }

function openBackend(kind: 'memory' | 'sqlite'): Opened {
  if (kind === 'memory') {
    const backend = new MemoryBackend();
    return { backend, done: () => backend.close() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubedisco-bench-'));
  const backend = SqliteBackend.open(path.join(dir, 'state.db'), { autoCompact: false });
  return { backend, done: async () => { await backend.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

async function createsFor(kind: 'memory' | 'sqlite', writers: number, runMs: number): Promise<{ perSec: number; backend: Backend }> {
  const { backend, done } = openBackend(kind);
  let count = 0;
  const t0 = performance.now();
  const deadline = t0 + runMs;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    // Bounded by time and by count.
    for (let i = 0; i < 2_000_000 && performance.now() < deadline; i++) {
      await backend.create(`/registry/pods/ns-${w}/pod-${i}`, VALUE);
      count++;
      // The memory backend resolves at once: yield now and then so the deadline is seen.
      if (kind === 'memory' && i % 1000 === 999) await new Promise(r => setImmediate(r));
    }
  }));
  const wall = performance.now() - t0;
  const perSec = count / (wall / 1000);
  const m = backend instanceof SqliteBackend ? backend.metrics() : undefined;
  await done();
  if (m) Object.assign(stats, { batch: m.writes / m.commits, commitMs: m.commitMillis / m.commits, maxMs: m.maxCommitMillis, share: m.commitMillis / wall });
  return { perSec, backend };
}
let stats: { batch: number; commitMs: number; maxMs: number; share: number } = { batch: 0, commitMs: 0, maxMs: 0, share: 0 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function listLatency(kind: 'memory' | 'sqlite', keys: number, reps: number): Promise<ListResultRow[]> {
  const { backend, done } = openBackend(kind);
  const perNs = 100;
  for (let i = 0; i < keys; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, keys - i) }, (_, j) => {
      const n = i + j;
      return backend.create(`/registry/pods/ns-${Math.floor(n / perNs)}/pod-${n % perNs}`, VALUE);
    }));
  }
  // Another resource with as many keys, so the prefix scan has neighbours.
  for (let i = 0; i < keys; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, keys - i) }, (_, j) => backend.create(`/registry/services/ns/svc-${i + j}`, VALUE)));
  }
  const cases: [string, string, { limit?: number }][] = [
    ['all pods (cluster-wide list)', '/registry/pods/', {}],
    ['first page of 500', '/registry/pods/', { limit: 500 }],
    ['one namespace (100 keys)', '/registry/pods/ns-50/', {}],
  ];
  const rows: ListResultRow[] = [];
  for (const [what, prefix, opts] of cases) {
    const times: number[] = [];
    let items = 0;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const res = await backend.list(prefix, opts);
      times.push(performance.now() - t0);
      items = res.items.length;
    }
    rows.push({ backend: kind, keys: backend.currentRevision(), what, items, medianMs: median(times) });
  }
  await done();
  return rows;
}

export async function runStorageBench(opts: { runMs?: number; runs?: number } = {}): Promise<StorageBenchResult> {
  const runMs = opts.runMs ?? 1000;
  const runs = opts.runs ?? 3;
  const db = new DatabaseSync(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const result: StorageBenchResult = {
    machine: { cpus: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, sqlite, tmpdir: os.tmpdir() },
    valueBytes: VALUE.length,
    runMs,
    writes: [],
    lists: [],
  };
  for (const kind of ['memory', 'sqlite'] as const) {
    for (const writers of [1, 16]) {
      const rates: number[] = [];
      const batches: (typeof stats)[] = [];
      for (let r = 0; r < runs; r++) {
        rates.push((await createsFor(kind, writers, runMs)).perSec);
        batches.push({ ...stats });
      }
      const row: WriteResult = { backend: kind, writers, createsPerSec: Math.round(median(rates)), runs: rates.map(Math.round) };
      if (kind === 'sqlite') {
        row.avgBatch = +median(batches.map(b => b.batch)).toFixed(1);
        row.avgCommitMs = +median(batches.map(b => b.commitMs)).toFixed(3);
        row.maxCommitMs = +Math.max(...batches.map(b => b.maxMs)).toFixed(2);
        row.commitShareOfWall = +median(batches.map(b => b.share)).toFixed(2);
      }
      result.writes.push(row);
    }
  }
  for (const kind of ['memory', 'sqlite'] as const) result.lists.push(...await listLatency(kind, 10_000, 15));
  return result;
}

if (import.meta.main) {
  const t0 = performance.now();
  const r = await runStorageBench();
  const m = r.machine;
  console.log(`storage bench: ${m.cpus} CPU (${m.cpu}), Node ${m.node}, SQLite ${m.sqlite}, ${r.valueBytes}-byte values, tmpdir ${m.tmpdir}`);
  console.log('\ndurable creates/s (median of runs, each %d ms)', r.runMs);
  console.log('backend  writers  creates/s   runs                      batch  commit ms (avg/max)  loop blocked');
  for (const w of r.writes) {
    const extra = w.avgBatch === undefined ? '' :
      `${String(w.avgBatch).padStart(5)}  ${w.avgCommitMs!.toFixed(3)} / ${w.maxCommitMs!.toFixed(2)}`.padEnd(29) + `${Math.round(w.commitShareOfWall! * 100)}%`;
    console.log(`${w.backend.padEnd(8)} ${String(w.writers).padStart(7)}  ${String(w.createsPerSec).padStart(9)}   ${w.runs.join(', ').padEnd(24)}  ${extra}`);
  }
  console.log('\nlist latency at 10,000 pods + 10,000 services (median of 15)');
  for (const l of r.lists) console.log(`${l.backend.padEnd(8)} ${l.what.padEnd(30)} ${String(l.items).padStart(6)} items  ${l.medianMs.toFixed(3)} ms`);
  console.log(`\n(total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (process.argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
}
