// The `kubedisco server` command contract (issue 2): flags, kubeconfig, health endpoints, refusal of
// non-loopback addresses without TLS, one server per data dir, clean stop on SIGTERM and SIGINT.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cleanup, http, ROOT, run, startKubedisco, waitFor } from './harness.ts';

const MAIN = join(ROOT, 'src/cmd/main.ts');

test('binding the API to a non-loopback address is refused with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubedisco-cli-'));
  try {
    const r = await run(process.execPath, [MAIN, 'server', '--data-dir', dir, '--api-listen', '0.0.0.0:0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^kubedisco server: --api-listen 0\.0\.0\.0:0: refusing to serve the API on a non-loopback address without TLS and authentication/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('bad flags print usage and exit 2', async () => {
  for (const args of [['server', '--no-such-flag'], ['server', '--api-listen', 'nonsense'], ['server', '--storage', 'etcd'], ['frobnicate']]) {
    const r = await run(process.execPath, [MAIN, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Usage: kubedisco <command> \[flags\]/);
  }
});

test('the kubeconfig works as it is, health endpoints answer, and one data dir serves one server', async () => {
  const k = await startKubedisco();
  try {
    const kc = readFileSync(k.kubeconfig, 'utf8');
    assert.match(kc, new RegExp(`server: ${k.apiURL.replace(/[.]/g, '\\.')}\\n`));
    assert.match(kc, /current-context: kubedisco/);
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const r = await http(k, 'GET', path);
      assert.equal(r.status, 200, path);
      assert.equal(r.text, 'ok');
    }
    const second = await run(process.execPath, [MAIN, 'server', '--data-dir', k.dataDir, '--api-listen', '127.0.0.1:0']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /already in use by kubedisco process \d+/);
  } finally {
    assert.equal(await k.stop(), 0);
    cleanup(k);
  }
});

test('SIGINT stops the server cleanly too', async () => {
  const k = await startKubedisco();
  k.proc.kill('SIGINT');
  const code = await new Promise((r) => k.proc.once('exit', (c) => r(c)));
  assert.equal(code, 0);
  cleanup(k);
});

test('kubedisco controllers and nodesim stay up until a signal, even with nothing to run', async () => {
  const k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '0'] });
  try {
    for (const args of [['controllers', '--controllers', ''], ['nodesim', '--nodes', '0']]) {
      const p = spawn(process.execPath, [MAIN, ...args, '--kubeconfig', k.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (c) => { out += c; });
      await waitFor(`${args[0]} ready`, async () => out.includes('ready'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(p.exitCode, null, `${args[0]} exited on its own`);
      p.kill('SIGTERM');
      assert.equal(await new Promise((r) => p.once('exit', (c) => r(c))), 0);
    }
  } finally {
    await k.stop();
    cleanup(k);
  }
});
