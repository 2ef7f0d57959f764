// The simulator's flags on `kubedisco server` (src/cmd/main.ts): bad values exit 2 with the reason before
// anything starts; good ones reach the simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, kubectl, ROOT, run, startKubedisco, tableRows, waitFor } from '../../test/e2e/harness.ts';

const MAIN = join(ROOT, 'src/cmd/main.ts');

test('invalid simulator flags exit 2 with usage and the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nodesim-cli-'));
  try {
    const cases: Array<[string[], string]> = [
      [['--stage-delays', 'pod-ready=soon'], 'kubedisco server: --stage-delays: expected STAGE=DURATION[,STAGE=DURATION...] such as pod-ready=1s, got "pod-ready=soon"'],
      [['--stage-delays', 'pod-redy=1s'], 'kubedisco server: stage delay for unknown stage "pod-redy" (stages: pod-complete, pod-create, pod-delete, pod-failed, pod-ready-again, pod-ready-held, pod-ready, pod-unready)'],
      [['--max-pods', 'many'], 'kubedisco server: --max-pods: expected a whole number ≥ 1, got "many"'],
      [['--pod-cidr', '10.244.0.0/23'], 'kubedisco server: the pod CIDR 10.244.0.0/23 has room for 2 node subnets of /24; node 2 does not fit'],
      [['--stages', join(dir, 'missing')], `kubedisco server: ${join(dir, 'missing')}: cannot read the stage folder: ENOENT`],
    ];
    for (const [args, want] of cases) {
      const r = await run(process.execPath, [MAIN, 'server', '--data-dir', dir, '--api-listen', '127.0.0.1:0', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], want);
      assert.match(r.stderr, /Usage: kubedisco <command>/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--nodes 1 --max-pods 1 --stage-delays pod-ready=0: one pod runs, the next is unschedulable', async () => {
  const k = await startKubedisco({ extraArgs: ['--controllers', '', '--nodes', '1', '--max-pods', '1', '--stage-delays', 'pod-create=0,pod-ready=0'] });
  try {
    const ok = async (args: string[]) => {
      const r = await kubectl(k, args);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    await ok(['run', 'one', '--image=nginx']);
    await waitFor('one Running', async () => tableRows(await ok(['get', 'pod', 'one']))[1][2] === 'Running');
    await ok(['run', 'two', '--image=nginx']);
    await waitFor('two unschedulable', async () => (await ok(['describe', 'pod', 'two'])).includes('0/1 nodes are available: 1 Too many pods.'));
    assert.equal(tableRows(await ok(['get', 'nodes']))[1][0], 'kubedisco-node-0');
  } finally {
    await k.stop();
    cleanup(k);
  }
});
