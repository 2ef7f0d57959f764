// The machine a benchmark ran on, for the report.

import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import { DatabaseSync } from 'node:sqlite';

export interface Machine {
  cpu: string;
  nproc: number;
  loadavg: string;
  memory: string;
  disk: string;
  node: string;
  sqlite: string;
  kernel: string;
  os: string;
  date: string;
}

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** Device, filesystem and mount options of `dir` (findmnt), and whether the block device is rotational. */
function diskOf(dir: string): string {
  const real = realpathSync(dir);
  const line = sh('findmnt', ['-n', '-o', 'SOURCE,FSTYPE,OPTIONS', '-T', real]);
  if (!line) return `${real} (filesystem unknown: findmnt missing)`;
  const [source, fstype, options] = line.split(/\s+/);
  let media = '';
  const dev = /^\/dev\/([a-z]+)/.exec(source)?.[1];
  if (dev) {
    try { media = `, queue/rotational=${readFileSync(`/sys/block/${dev}/queue/rotational`, 'utf8').trim()}`; } catch { /* not a plain block device */ }
  }
  return `${real} on ${source} (${fstype}${media}; ${options})`;
}

function virtual(): boolean {
  try { return /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8')); } catch { return false; }
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.type();
  } catch { return os.type(); }
}

export function machine(dataRoot: string): Machine {
  const db = new DatabaseSync(':memory:');
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  return {
    cpu: `${os.cpus()[0]?.model ?? 'unknown'}${virtual() ? ' (virtual machine: cpuinfo has the hypervisor flag)' : ''}`,
    nproc: os.availableParallelism(),
    loadavg: os.loadavg()[0].toFixed(2),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    disk: diskOf(dataRoot),
    node: process.version,
    sqlite,
    kernel: `${os.type()} ${os.release()}`,
    os: osName(),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}
