// `npm run bench`: every benchmark in one bounded run (about 4–4.5 minutes on 2 CPUs, hard stop at 8), results in
// docs/benchmarks.md. Options:
//   --only storage,creates,lists,watch,controllers,dns,profile   run some parts; prints the report instead of writing docs/
//   --out FILE                          write the report here (default docs/benchmarks.md for a full run)
//   --tmp DIR                           where data dirs go: the filesystem under test (default os.tmpdir())
//   --cpu-prof DIR                      profile each kubedisco server, the controllers and the DNS process (node --cpu-prof); print where the time went
//   --no-wait                           start each part at once instead of waiting (≤ 30 s) for a quiet machine

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runStorageBench } from './storage.ts';
import { runCreatesBench } from './creates.ts';
import { runListsBench } from './lists.ts';
import { runWatchBench } from './watch.ts';
import { runControllersBench } from './controllers.ts';
import { runProfileBench } from './profile.ts';
import { runDnsBench } from './dns.ts';
import { renderReport, type Report } from './report.ts';
import { machine } from './lib/machine.ts';
import { formatProfile } from './lib/profile.ts';
import { waitForQuiet } from './lib/cpu.ts';
import { ETCD_INSTALL_HINT, defaultRoot, etcdVersion, killAll, ROOT } from './lib/servers.ts';

const PARTS = ['storage', 'creates', 'lists', 'watch', 'controllers', 'dns', 'profile'] as const;
type Part = (typeof PARTS)[number];
const HARD_LIMIT_MS = 8 * 60_000;
const QUIET_WAIT_MS = 30_000;

const { values } = parseArgs({
  options: { only: { type: 'string' }, out: { type: 'string' }, tmp: { type: 'string' }, 'cpu-prof': { type: 'string' }, 'no-wait': { type: 'boolean' } },
  strict: true,
});
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...PARTS];
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${JSON.stringify(p)} (parts: ${PARTS.join(', ')})`);
const out = values.out ?? (values.only ? undefined : join(ROOT, 'docs/benchmarks.md'));
const root = resolve(values.tmp ?? defaultRoot());
const profRoot = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${HARD_LIMIT_MS / 60_000} minutes; stopping the servers and giving up\n`);
  killAll();
  process.exit(1);
}, HARD_LIMIT_MS);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { killAll(); process.exit(130); });

const t0 = performance.now();
const version = etcdVersion();
const report: Report = { machine: machine(root), etcd: version ? `${version} (\`etcd\` on PATH)` : `not installed — ${ETCD_INSTALL_HINT}`, seconds: 0, failed: {}, quiet: {} };

function profDir(part: Part): string | undefined {
  if (!profRoot) return undefined;
  const d = join(profRoot, part);
  mkdirSync(d, { recursive: true });
  return d;
}

async function part<T>(name: Part, f: () => Promise<T>): Promise<T | undefined> {
  if (!only.includes(name)) return undefined;
  if (!values['no-wait']) {
    const q = await waitForQuiet(QUIET_WAIT_MS);
    report.quiet[name] = q;
    if (q.otherCpus >= 0.15) process.stderr.write(`bench: the machine is busy (${q.otherCpus.toFixed(2)} CPUs used by others); measuring anyway\n`);
  }
  const s = performance.now();
  process.stderr.write(`bench: ${name} …\n`);
  try {
    const r = await f();
    process.stderr.write(`bench: ${name} done in ${((performance.now() - s) / 1000).toFixed(1)} s\n`);
    return r;
  } catch (e) {
    const msg = (e as Error).stack ?? String(e);
    report.failed[name] = (e as Error).message;
    process.stderr.write(`bench: ${name} FAILED:\n${msg}\n`);
    killAll();
    return undefined;
  } finally {
    const d = profRoot && join(profRoot, name);
    if (d && existsSync(d)) {
      for (const f of readdirSync(d).filter((x) => x.endsWith('.cpuprofile'))) process.stderr.write(`${formatProfile(join(d, f))}\n`);
    }
  }
}

// The in-process storage benchmark first, while no server competes for the CPUs.
report.storage = await part('storage', () => runStorageBench());
report.creates = await part('creates', () => runCreatesBench({ root, cpuProfDir: profDir('creates') }));
report.lists = await part('lists', () => runListsBench({ root, cpuProfDir: profDir('lists') }));
report.watch = await part('watch', () => runWatchBench({ root, cpuProfDir: profDir('watch') }));
report.controllers = await part('controllers', () => runControllersBench({ root, cpuProfDir: profDir('controllers') }));
report.dns = await part('dns', () => runDnsBench({ root, cpuProfDir: profDir('dns') }));
report.profile = await part('profile', () => runProfileBench({ root }));
report.seconds = (performance.now() - t0) / 1000;

const md = renderReport(report);
if (out) {
  writeFileSync(out, md);
  process.stderr.write(`bench: wrote ${out} (${report.seconds.toFixed(0)} s)\n`);
} else {
  process.stdout.write(md);
}
if (Object.keys(report.failed).length) {
  process.stderr.write(`bench: FAILED parts: ${Object.keys(report.failed).join(', ')}\n`);
  process.exitCode = 1;
}
