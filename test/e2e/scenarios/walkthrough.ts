// Runs a Markdown walkthrough (the README quickstart, an example's README) against a real kubedisco, command
// by command, with the real kubectl, dig and bin/kubedisco, and compares what they print with what the
// document shows next to them. A document that drifts from the code fails here.
//
// What counts as a command (parseWalkthrough):
//   - every line of a ```sh fenced block that is not empty and not a `#` comment; a trailing `\` joins the
//     next line. Heredocs (`<<`) and `cd` are refused: each command runs in its own `sh -c` from the
//     repository root, as a reader would type it there.
//   - `export NAME=VALUE` sets NAME for the commands after it (after the rewriting below), nothing runs.
//   - a trailing comment `# exit status N` means the command must exit with N; otherwise it must exit 0.
//   - a ```text fenced block that comes right after a ```sh block (prose may sit between them, no other
//     fenced block) is the output of the LAST command of that sh block: stdout, then stderr.
//
// What is rewritten (rewriteCommand / unrewriteOutput), because the documents use `npm start`'s defaults and the
// tests run the server on ephemeral ports with a private data dir:
//   - `$PWD/data/kubeconfig`, `./data/kubeconfig`, `data/kubeconfig` → the test server's kubeconfig;
//   - `-p 1053` (dig) and `127.0.0.1:1053` → the test server's DNS port;
//   - `bin/kubedisco lookup` → `bin/kubedisco lookup --server 127.0.0.1:PORT` (lookup's default is :1053);
//   - outputs get the reverse: the real API and DNS ports read as 6443 and 1053, the kubeconfig as
//     ./data/kubeconfig.
//   KUBECONFIG starts out pointing at a file that does not exist (a document that forgets the export fails
//   instead of reaching whatever ~/.kube/config names), and KUBECACHEDIR at a private kubectl cache.
//
// How outputs compare (shape): IPs differ from run to run, shapes must not. Each line is split on
// whitespace (kubectl's column widths follow the values) and these are replaced by placeholders: pod IPs
// 10.244.x.y (also dashed, 10-244-x-y), ClusterIPs from 10.96.0.0/12 other than the kubernetes Service's
// 10.96.0.1, kubectl ages (5s, 2m3s), node ports (:3xxxx/), simulated node names (which node a pod lands
// on depends on timing), generated name suffixes (pod-template-hash, the five random characters of
// generateName). Lines are then compared as a multiset: dig and kubectl
// describe list endpoints in no fixed order. Everything else (names, counts, ports, SRV weights, columns,
// messages, exit statuses) must match exactly.
//
// When a command with a shown output only reads (dig, kubectl get/describe, lookup, …: anything that is
// not a kubectl write), it is run again until its output has the shown shape, for at most 30 s: endpoints
// and DNS follow pods a few milliseconds after `kubectl rollout status` returns, and a reader never types
// that fast. Writes run exactly once.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { cleanup, kubectl, ROOT, run, startKubedisco, waitFor, type Kubedisco, type RunResult } from '../harness.ts';

export interface Step {
  /** The command as the document shows it (comments and all). */
  command: string;
  /** 1-based line of the document where the command starts. */
  line: number;
  /** `export NAME=VALUE`: sets NAME instead of running. */
  exportName?: string;
  exportValue?: string;
  /** Expected exit status (`# exit status N`), 0 by default. */
  exit: number;
  /** The ```text block shown after this command, if any. */
  output?: string;
}

/** The steps of every ```sh block of `markdown` (see the file comment for the rules). */
export function parseWalkthrough(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  let lastShBlockSteps: Step[] | undefined; // the previous fenced block was sh and had these steps
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const info = open[1];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length) throw new Error(`line ${start + 1}: fenced block never closed`);
    if (info === 'sh') {
      const blockSteps: Step[] = [];
      for (let j = 0; j < body.length; j++) {
        let text = body[j];
        const line = start + 2 + j;
        if (!text.trim() || text.trim().startsWith('#')) continue;
        while (/\\\s*$/.test(text) && j + 1 < body.length) text = text.replace(/\\\s*$/, '') + ' ' + body[++j].trim();
        if (/<</.test(text)) throw new Error(`line ${line}: heredocs are not run by the walkthrough runner: ${text}`);
        if (/^\s*cd\s/.test(text)) throw new Error(`line ${line}: cd is not run by the walkthrough runner: ${text}`);
        const exit = /#\s*exit status (\d+)/.exec(text);
        const exp = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*(#.*)?$/.exec(text);
        blockSteps.push({ command: text.trim(), line, exit: exit ? Number(exit[1]) : 0, ...(exp ? { exportName: exp[1], exportValue: exp[2] } : {}) });
      }
      steps.push(...blockSteps);
      lastShBlockSteps = blockSteps;
    } else if (info === 'text' && lastShBlockSteps?.length) {
      lastShBlockSteps[lastShBlockSteps.length - 1].output = body.join('\n');
      lastShBlockSteps = undefined;
    } else {
      lastShBlockSteps = undefined;
    }
  }
  return steps;
}

/** The part of `markdown` from the heading that starts with `heading` to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = /^#+/.exec(heading)![0].length;
  let inFence = false;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i].startsWith('```')) inFence = !inFence;
    const h = !inFence && /^(#+)\s/.exec(lines[i]);
    if (h && h[1].length <= level) { end = i; break; }
  }
  return lines.slice(start, end).join('\n');
}

// --- shapes -------------------------------------------------------------------------------------------------

const RAND = '[bcdfghjklmnpqrstvwxz2456789]'; // k8s.io/apimachinery/pkg/util/rand's alphabet (no vowels, no 0 1 3)

/** One line reduced to its shape (see the file comment). */
export function shapeLine(line: string): string {
  return line.trim().split(/\s+/).map((tok) => {
    if (/^(\d+[smhdy])(\d+[smhd])?$/.test(tok)) return '<age>';
    return tok
      .replace(/\b10\.244\.\d{1,3}\.\d{1,3}\b/g, '<pod-ip>')
      .replace(/\b10-244-\d{1,3}-\d{1,3}\b/g, '<pod-ip-dashed>')
      .replace(/\b10\.(?:9[6-9]|10\d|11[01])\.\d{1,3}\.\d{1,3}\b/g, (ip) => (ip === '10.96.0.1' ? ip : '<cluster-ip>'))
      .replace(/:3[0-2]\d{3}\//g, ':<node-port>/')
      .replace(/\bkubedisco-node-\d+\b/g, '<node>')
      .replace(new RegExp(`-${RAND}{6,10}-${RAND}{5}\\b`, 'g'), '-<hash>-<rand>')
      .replace(new RegExp(`-${RAND}{5}\\b`, 'g'), '-<rand>');
  }).join(' ');
}

/** A whole output reduced to its shape: the sorted shapes of its non-empty lines. */
export function shape(text: string): string[] {
  return text.split('\n').filter((l) => l.trim()).map(shapeLine).sort();
}

/**
 * A seed's output reduced to its shape, to hold kubedisco's to what a seed shows: every IPv4 address (the
 * seeds' clusters used other ranges: 172.17.0.0/16, 10.233.0.0/16, …) and every age become placeholders.
 */
export function seedShape(text: string): string[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => l.trim().split(/\s+/)
    .map((tok) => (/^(\d+[smhdy])(\d+[smhd])?$/.test(tok) ? '<age>' : tok.replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>'))).join(' ')).sort();
}

// --- a session: one server, its rewriting, the commands' environment ------------------------------------------

export interface Session {
  k: Kubedisco;
  dnsPort: number;
  /** Environment of the document's commands (KUBECONFIG once exported, KUBECACHEDIR, …). */
  env: Record<string, string>;
  /** Outputs of the commands run so far, by the command as the document shows it. */
  outputs: Map<string, RunResult>;
}

export function dnsPortOf(readyLine: string): number {
  const m = /dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(readyLine);
  if (!m) throw new Error(`no DNS address in the ready line: ${readyLine}`);
  return Number(m[1]);
}

export function apiPortOf(readyLine: string): number {
  return Number(/api http:\/\/127\.0\.0\.1:(\d+)/.exec(readyLine)![1]);
}

export function newSession(k: Kubedisco): Session {
  return {
    k,
    dnsPort: dnsPortOf(k.readyLine),
    env: { KUBECONFIG: join(k.dataDir, 'no-kubeconfig-until-the-document-exports-one'), KUBECACHEDIR: k.cacheDir },
    outputs: new Map(),
  };
}

/** Starts `kubedisco server` on ephemeral ports (as the harness does) and returns a session on it. */
export async function startSession(): Promise<Session> {
  return newSession(await startKubedisco());
}

export async function stopSession(s: Session | undefined): Promise<void> {
  if (!s) return;
  await s.k.stop();
  cleanup(s.k);
}

export function rewriteCommand(s: Session, cmd: string): string {
  return cmd
    .replaceAll('$PWD/data/kubeconfig', s.k.kubeconfig)
    .replace(/(^|[\s=])\.?\/?data\/kubeconfig\b/g, `$1${s.k.kubeconfig}`)
    .replace(/(\s)-p 1053\b/g, `$1-p ${s.dnsPort}`)
    .replaceAll('127.0.0.1:1053', `127.0.0.1:${s.dnsPort}`)
    .replace(/\bbin\/kubedisco lookup\b(?![^|;&]*--server)/g, `bin/kubedisco lookup --server 127.0.0.1:${s.dnsPort}`);
}

export function unrewriteOutput(s: Session, out: string): string {
  const apiPort = apiPortOf(s.k.readyLine);
  return out
    .replaceAll(s.k.kubeconfig, './data/kubeconfig')
    .replaceAll(`127.0.0.1:${apiPort}`, '127.0.0.1:6443')
    .replaceAll(`127.0.0.1:${s.dnsPort}`, '127.0.0.1:1053')
    .replaceAll(`127.0.0.1#${s.dnsPort}`, '127.0.0.1#1053')
    .replaceAll(` -p ${s.dnsPort} `, ' -p 1053 ');
}

/** Runs one shell command as the document's reader would: from the repository root, with the session's env. */
export function sh(s: Session, cmd: string, timeoutMs = 90_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', cmd], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...s.env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => { stdout += c; });
    p.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`${cmd} timed out after ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`)); }, timeoutMs);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

const KUBECTL_WRITE = /\bkubectl\s+(?:\S+\s+)*?(apply|create|delete|replace|scale|annotate|label|patch|rollout|run|exec|edit|set|expose|drain|cordon|uncordon|taint)(?=\s|$)/;
/** Whether running the command again changes nothing (so it may be retried until its output shows up). */
export function isRead(cmd: string): boolean {
  return !KUBECTL_WRITE.test(cmd) && !/\bnpm\b/.test(cmd);
}

/**
 * A check that runs after a step, given its result (the raw output, before unrewriting) and which occurrence
 * of the command this is (1 for the first time the document runs it, 2 for the second, …).
 */
export type Check = (r: RunResult, s: Session, occurrence: number) => Promise<void> | void;

/**
 * Runs every step of `steps` as a subtest of `t`, in order, then each check after the step whose command it
 * names. Every check must name a command of the document: a check left without one fails the test (the
 * document lost the command the test was about).
 */
export async function runSteps(t: TestContext, s: Session, steps: Step[], checks: Record<string, Check> = {}): Promise<void> {
  const commands = new Set(steps.map((st) => st.command));
  const missing = Object.keys(checks).filter((c) => !commands.has(c));
  assert.deepEqual(missing, [], 'checks that name a command the document no longer has');
  let failed: string | undefined;
  const seen = new Map<string, number>();
  for (const st of steps) {
    const n = (seen.get(st.command) ?? 0) + 1;
    seen.set(st.command, n);
    if (failed) { await t.test(`$ ${st.command}`, { skip: `an earlier step failed: ${failed}` }, () => {}); continue; }
    await t.test(`$ ${st.command}`, async () => {
      try { await runStep(s, st, checks[st.command], n); } catch (e) { failed = `line ${st.line}`; throw e; }
    });
  }
}

async function runStep(s: Session, st: Step, check: Check | undefined, occurrence: number): Promise<void> {
  if (st.exportName) {
    s.env[st.exportName] = rewriteCommand(s, st.exportValue!);
    return;
  }
  const cmd = rewriteCommand(s, st.command);
  const matches = (r: RunResult) => r.code === st.exit && (st.output === undefined || JSON.stringify(shape(unrewriteOutput(s, r.stdout + r.stderr))) === JSON.stringify(shape(st.output)));
  let r = await sh(s, cmd);
  if (st.output !== undefined && isRead(st.command) && !matches(r)) {
    r = await waitFor(`output of line ${st.line} to have the shown shape`, async () => { const again = await sh(s, cmd); return matches(again) && again; }, 30_000, 200)
      .catch(async () => sh(s, cmd));
  }
  const shown = unrewriteOutput(s, r.stdout + r.stderr);
  assert.equal(r.code, st.exit, `line ${st.line}: ${st.command}\nexit status ${r.code}, the document says ${st.exit}\n${shown}`);
  if (st.output !== undefined) assert.deepEqual(shape(shown), shape(st.output), `line ${st.line}: ${st.command}: the output's shape differs from the document's\n--- got\n${shown}`);
  s.outputs.set(st.command, r);
  await check?.(r, s, occurrence);
}

/** Reads a document of the repository. */
export function readDoc(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

/** The steps of an example's README.md (examples/<dir>/README.md). */
export function exampleSteps(dir: string): Step[] {
  return parseWalkthrough(readDoc(`examples/${dir}/README.md`));
}

// --- small helpers for the tests' own checks ------------------------------------------------------------------

/** Ok kubectl for checks: fails the test with kubectl's output unless it exits 0. */
export async function kc(s: Session, args: string[]): Promise<string> {
  const r = await kubectl(s.k, args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export async function kcJSON(s: Session, args: string[]): Promise<any> {
  return JSON.parse(await kc(s, [...args, '-o', 'json']));
}

/** Real dig against the session's DNS: the full reply text. */
export async function dig(s: Session, name: string, type = 'A', extra: string[] = []): Promise<string> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(s.dnsPort), '+tries=1', '+time=2', ...extra, name, type]);
  assert.equal(r.code, 0, `dig ${name} ${type}: ${r.stderr}`);
  return r.stdout;
}

/** Real dig +short, lines sorted. */
export async function digShort(s: Session, name: string, type = 'A'): Promise<string[]> {
  return (await dig(s, name, type, ['+short'])).trim().split('\n').filter(Boolean).sort();
}

export function rcode(digOutput: string): string | undefined {
  return /status: (\w+)/.exec(digOutput)?.[1];
}

/** Pod name → pod IP of the pods matching a label selector. */
export async function podIPs(s: Session, selector: string, ns = 'default'): Promise<Map<string, string>> {
  const pods = (await kcJSON(s, ['get', 'pods', '-n', ns, '-l', selector])).items;
  return new Map(pods.map((p: any) => [p.metadata.name, p.status.podIP]));
}

/** The Endpoints: lines of `kubectl describe svc`, one per port. */
export async function describedEndpoints(s: Session, svc: string, ns = 'default'): Promise<string[]> {
  const out = await kc(s, ['describe', 'svc', svc, '-n', ns]);
  return [...out.matchAll(/^Endpoints:[ \t]*(.*)$/gm)].map((m) => m[1].trim());
}

export const sorted = (xs: Iterable<string>) => [...xs].sort();

/** After a walkthrough: nothing but the kubernetes Service is left (each example cleans up after itself). */
export async function assertCleanedUp(s: Session, namespaces: string[] = ['default']): Promise<void> {
  await waitFor('the example to leave nothing behind', async () => {
    for (const ns of namespaces) {
      const r = await kubectl(s.k, ['get', 'pods,services,statefulsets,deployments,replicasets,endpoints', '-n', ns, '-o', 'name']);
      const left = r.stdout.trim().split('\n').filter((l) => l && l !== 'service/kubernetes' && l !== 'endpoints/kubernetes');
      if (left.length) return false;
    }
    return true;
  }, 60_000);
}

/** A throwaway directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
