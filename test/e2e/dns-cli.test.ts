// kubedisco dns / lookup / server DNS flags at the edges: bad values exit 2 with usage, a DNS port in use
// exits 1 with the reason (and the server does not linger), lookup against nothing times out with exit 1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, ROOT } from './harness.ts';

const MAIN = join(ROOT, 'src/cmd/main.ts');

test('bad dns and lookup flags exit 2 with usage', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['dns', '--ttl', '9999'], /--ttl: expected a whole number from 0 to 3600/],
    [['dns', '--pods', 'maybe'], /--pods: expected disabled, insecure or verified/],
    [['dns', '--workers', '0'], /--workers: expected a whole number from 1 to 64/],
    [['dns', '--listen', '0.0.0.0:53'], /only loopback addresses/],
    [['dns', '--no-such-flag'], /Unknown option '--no-such-flag'/],
    [['lookup'], /lookup: expected exactly one NAME/],
    [['lookup', 'x', '--type', 'BOGUS'], /--type: unknown type "BOGUS"/],
    [['server', '--dns-ttl', 'x', '--data-dir', '/nonexistent-kd'], /--ttl: expected a whole number/],
  ];
  for (const [args, msg] of cases) {
    const r = await run(process.execPath, [MAIN, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, msg);
    assert.match(r.stderr, /Usage: kubedisco <command>/);
  }
});

test('kubedisco server with its --dns-listen port taken exits 1 naming the address', async () => {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const dir = mkdtempSync(join(tmpdir(), 'kubedisco-dns-inuse-'));
  try {
    const addr = `127.0.0.1:${s.address().port}`;
    const r = await run(process.execPath, [MAIN, 'server', '--data-dir', dir, '--api-listen', '127.0.0.1:0', '--dns-listen', addr, '--nodes', '0'], undefined, 30_000);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`--dns-listen ${addr}: bind EADDRINUSE`));
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kubedisco lookup with no server listening: timed out, exit 1', async () => {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r())); // a port that never answers
  try {
    const r = await run(process.execPath, [MAIN, 'lookup', 'x', '--server', `127.0.0.1:${s.address().port}`], undefined, 30_000);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /connection timed out; no servers could be reached/);
  } finally { s.close(); }
});
