// Starts `kubedisco server` as a real child process on ephemeral ports with its own data dir, and runs
// the real kubectl against it with a private cache dir (kubectl caches discovery per host:port).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'src/cmd/main.ts');

export interface Kubedisco {
  apiURL: string;
  kubeconfig: string;
  dataDir: string;
  cacheDir: string;
  proc: ChildProcess;
  readyLine: string;
  stderr(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
}

export async function startKubedisco(opts: StartOptions = {}): Promise<Kubedisco> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kubedisco-e2e-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubedisco-kubectl-cache-'));
  const proc = spawn(process.execPath, [MAIN, 'server', '--data-dir', dataDir, '--api-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0', ...(opts.extraArgs ?? [])], {
    cwd: ROOT,
    env: { ...process.env, KUBEDISCO_LOG: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c) => { err += c; });
  // Never leave a server behind, even when a test fails before stopping it.
  const killOnExit = () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  proc.once('exit', () => process.off('exit', killOnExit));
  const readyLine = await new Promise<string>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubedisco did not become ready in 30s; stderr:\n${err}`)), 30_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('kubedisco ready:'));
      if (line) { clearTimeout(timer); resolveReady(line); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`kubedisco exited with ${code} before ready; stderr:\n${err}`)); });
  });
  const apiURL = /api (http:\/\/\S+)/.exec(readyLine)![1];
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    apiURL,
    kubeconfig: join(dataDir, 'kubeconfig'),
    dataDir,
    cacheDir,
    proc,
    readyLine,
    stderr: () => err,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export function cleanup(k: Kubedisco): void {
  rmSync(k.cacheDir, { recursive: true, force: true });
  rmSync(k.dataDir, { recursive: true, force: true });
}

export interface RunResult { code: number; stdout: string; stderr: string }

/** The kubectl on PATH (Google Cloud SDK's dispatcher, which picks kubectl.1.<minor> from /version). */
export function kubectlPath(): string {
  const r = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('kubectl is not on PATH');
  return r.stdout.trim();
}

/** The per-minor kubectl binaries installed beside the dispatcher (kubectl.1.27 … kubectl.1.33). */
export function kubectlMinor(minor: number): string | undefined {
  const p = join(dirname(realpathSync(kubectlPath())), `kubectl.1.${minor}`);
  return existsSync(p) ? p : undefined;
}

export function kubectl(k: Kubedisco, args: string[], opts: { stdin?: string; bin?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(opts.bin ?? 'kubectl', ['--kubeconfig', k.kubeconfig, '--cache-dir', k.cacheDir, ...args], opts.stdin, opts.timeoutMs ?? 60_000);
}

export function run(cmd: string, args: string[], stdin?: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, KUBECTL_COMMAND_HEADERS: 'false' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => { stdout += c; });
    p.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')} timed out; stdout:\n${stdout}\nstderr:\n${stderr}`)); }, timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code) => { clearTimeout(timer); resolveRun({ code: code ?? -1, stdout, stderr }); });
    p.stdin.end(stdin ?? '');
  });
}

/** Splits a kubectl table into rows of cells (columns are separated by two or more spaces). */
export function tableRows(text: string): string[][] {
  return text.trim().split('\n').filter(Boolean).map((l) => l.trim().split(/\s{2,}/));
}

/** Plain HTTP against the API, for bad-input tests kubectl can't send. */
export async function http(k: Kubedisco, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await fetch(k.apiURL + path, { method, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body), headers: { 'Content-Type': 'application/json', ...headers } });
  const text = await res.text();
  let json: any;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

export async function waitFor<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
