// Where kubedisco's time goes at 16 clients: a separate, short run of the ConfigMap create load against a
// server started with `node --cpu-prof`, summarized as self time per function and per source file. Its
// rate is not used elsewhere (profiling slows the server a little). Run alone: node bench/run.ts --only profile

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clients, closeAll } from './lib/http.ts';
import { closedLoop, type LoadRun } from './lib/load.ts';
import { summarizeProfile, type ProfileSummary } from './lib/profile.ts';
import { startKubedisco } from './lib/servers.ts';

export interface ProfileResult { run: LoadRun; profile: ProfileSummary }

export async function runProfileBench(o: { root: string; seconds?: number }): Promise<ProfileResult> {
  const dir = mkdtempSync(join(o.root, 'kubedisco-prof-'));
  try {
    const kd = await startKubedisco({ root: o.root, cpuProfDir: dir });
    let run: LoadRun;
    const conns = clients(kd.url, 16);
    try {
      await conns[0].expect(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prof' } }));
      const body = (name: string) => JSON.stringify({
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prof', labels: { app: 'bench' } },
        data: { 'app.properties': 'color=blue\nsize=medium\nreplicas=3\n', mode: 'bench' },
      });
      run = await closedLoop({
        conns, durationMs: (o.seconds ?? 4) * 1000, maxPerClient: 200_000, pid: kd.pid,
        op: async (c, w, i) => { await c.expect(201, 'POST', '/api/v1/namespaces/prof/configmaps', body(`p-${w}-${i}`)); },
      });
    } finally {
      closeAll(conns);
      await kd.stop(); // the profile is written when the server exits
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile written to ${dir}`);
    return { run, profile: summarizeProfile(join(dir, file), 12) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
