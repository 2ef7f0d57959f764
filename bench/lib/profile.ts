// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: self time per function,
// and the share of garbage collection and idle time. For `node bench/run.ts --cpu-prof DIR`.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileLine { fn: string; selfMs: number; share: number }

/** `file:///…/src/apiserver/patch/x.ts` → `src/apiserver/patch/`; `node:internal/streams/writable` → `node:internal/streams`. */
function folder(url: string): string {
  const m = /\/((?:src|bench|node_modules)\/.*\/)[^/]*$/.exec(url);
  if (m) return m[1];
  return url.startsWith('node:') ? url.replace(/\/[^/]*$/, '') : url;
}

export interface ProfileSummary { busyMs: number; idleMs: number; lines: ProfileLine[]; folders: ProfileLine[] }

/** Self time per function and per folder (`src/storage/sqlite/`, `node:internal/…`, native code), as shares of busy time. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const folders = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') { idle += dt; return; }
    busy += dt;
    const where = cf.url ? ` ${basename(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const f = cf.url ? folder(cf.url) : cf.functionName.startsWith('(') ? cf.functionName : '(native: bindings, syscalls)';
    folders.set(f, (folders.get(f) ?? 0) + dt);
  });
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, selfMs]) => ({ fn, selfMs, share: selfMs / busy }));
  return { busyMs: busy, idleMs: idle, lines: rank(self), folders: rank(folders) };
}

export function formatProfile(file: string, top = 25): string {
  const s = summarizeProfile(file, top);
  const out = [`${basename(file)}: busy ${s.busyMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms; top self time:`];
  for (const l of s.lines) out.push(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.selfMs.toFixed(0).padStart(6)} ms  ${l.fn}`);
  return out.join('\n');
}
