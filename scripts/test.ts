// `npm test`: strict typecheck, then every test (unit, import boundaries, kubectl end to end) on node:test.
// Benchmarks are not tests; they run with `npm run bench`.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd: string, args: string[]): number {
  process.stdout.write(`\n$ ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.error) { process.stderr.write(`${r.error.message}\n`); return 1; }
  return r.status ?? 1;
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
// The DNS server's native UDP I/O (npm ci builds it; rebuilt here only if its source changed since).
run(process.execPath, ['scripts/build-native.ts']);
if (!only.length) {
  const tsc = run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  if (tsc !== 0) { process.stderr.write('typecheck failed\n'); process.exit(tsc); }
}
const files = only.length ? only : [...findTests('src'), ...findTests('test')];
// --test-timeout bounds any single test (a stuck test fails, then its after() hooks stop its servers).
// Not --test-force-exit: it ends a file before tests registered later have run, silently dropping them
// (strategic.test.ts reported 69 of its 95 tests with it).
const code = run(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=180000', ...files]);
process.exit(code);
