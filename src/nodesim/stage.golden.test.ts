// Golden tests for the shipped stages (KWOK's kustomize/stage/stage_test.go): every
// stages/testdata/<case>.input.yaml is a pod; <case>.output.yaml is what the simulator does with it at
// 2026-08-04T13:02:00Z on kubedisco-node-1 (podCIDR 10.244.1.0/24, InternalIP 10.240.0.2): the stage
// that matches, its delay, and the status patch / delete / events it renders, or, when no stage matches,
// the kubelet condition repair (kubelet-status.ts conditionSyncPatch), if any.
//
// Regenerate after an intended change: UPDATE_TESTDATA=1 node --test src/nodesim/stage.golden.test.ts
// (then read the diff).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Pod } from '../api/types/pod.ts';
import { IpPool } from './ip-pool.ts';
import { conditionSyncPatch } from './kubelet-status.ts';
import { rfc3339 } from './nodes.ts';
import { containerID } from './pods.ts';
import { DEFAULT_STAGES_DIR, loadStages, selectStage } from './stage.ts';

const TESTDATA = join(DEFAULT_STAGES_DIR, 'testdata');
const NOW = Date.parse('2026-08-04T13:02:00Z');
const stages = loadStages();

export function simulate(pod: Pod): unknown {
  const pool = new IpPool('10.244.1.0/24');
  const stage = selectStage(stages, pod, () => 0);
  if (!stage) return { stage: null, conditionSync: conditionSyncPatch(pod, rfc3339(NOW)) ?? null };
  const uid = pod.metadata.uid ?? '';
  const r = stage.render(pod, {
    now: rfc3339(NOW),
    podIP: () => (pod.spec?.hostNetwork ? '10.240.0.2' : pool.allocate(uid)),
    hostIP: () => '10.240.0.2',
    nodeName: () => pod.spec?.nodeName ?? '',
    containerID: (c) => containerID(uid, c),
  });
  return { stage: stage.name, delayMs: stage.delayMs(pod, NOW, () => 0), ...(r.patch ? { patch: r.patch } : {}), ...(r.delete ? { delete: true } : {}), events: r.events };
}

const cases = readdirSync(TESTDATA).filter((f) => f.endsWith('.input.yaml')).sort();

test('every stage is exercised by at least one golden case', () => {
  const seen = new Set<string>();
  for (const f of cases) {
    const s = selectStage(stages, parse(readFileSync(join(TESTDATA, f), 'utf8')) as Pod, () => 0);
    if (s) seen.add(s.name);
  }
  assert.deepEqual([...seen].sort(), stages.map((s) => s.name).sort());
});

for (const f of cases) {
  const name = f.replace(/\.input\.yaml$/, '');
  test(`golden: ${name}`, () => {
    const input = readFileSync(join(TESTDATA, f), 'utf8');
    const got = stringify(simulate(parse(input) as Pod), { lineWidth: 0 });
    const outPath = join(TESTDATA, `${name}.output.yaml`);
    if (process.env.UPDATE_TESTDATA) writeFileSync(outPath, got);
    assert.equal(got, readFileSync(outPath, 'utf8'), `${outPath} differs (UPDATE_TESTDATA=1 regenerates it)`);
  });
}
