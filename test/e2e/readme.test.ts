// README.md's Quickstart, run as written: `npm start` for real (npm, the package.json script, Node 26 from
// node_modules), then every other command of the section with the real kubectl, dig and bin/kubedisco,
// each output compared with what the README shows next to it. A README that drifts from the code fails.
//
// What the test changes, and why (the rest of the rules are walkthrough.ts's):
//   - `npm ci` is not run: the test runs inside the tree `npm ci` installed (CI's .ci/run does `npm ci &&
//     npm test`). `npm start` gets `-- --api-listen 127.0.0.1:0 --dns-listen 127.0.0.1:0 --data-dir TMP`:
//     the README uses the defaults 127.0.0.1:6443, 127.0.0.1:1053 and ./data, which a developer's own
//     server may hold. The commands are rewritten to the real ports and kubeconfig, and the outputs back
//     (walkthrough.ts: rewriteCommand, unrewriteOutput), so the ready line is compared as the README shows it.
//   - The server is stopped by signalling its process group: npm does not pass SIGTERM on to the script.
// The README's other sh block, "Two commands for a fresh machine", holds `npm ci && npm start` (run here)
// and `npm ci && npm test` (CI's command, checked to be .ci/run's); any other sh block outside the
// Quickstart fails the test, since nothing would run it.

import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, type Kubedisco } from './harness.ts';
import {
  apiPortOf, dig, dnsPortOf, isRead, newSession, parseWalkthrough, rcode, readDoc, rewriteCommand, runSteps, section, seedShape, shape, shapeLine, sh, unrewriteOutput,
  type Session,
} from './scenarios/walkthrough.ts';

const README = readDoc('README.md');
const QUICKSTART_HEADING = '## Quickstart';
const START = 'npm ci && npm start';

/** `npm start` with ephemeral ports and a private data dir, as a process group so it can be stopped whole. */
async function npmStart(): Promise<Kubedisco & { startedToReadyMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubedisco-readme-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubedisco-readme-kubectl-cache-'));
  const t0 = Date.now();
  const proc = spawn('npm', ['start', '--', '--api-listen', '127.0.0.1:0', '--dns-listen', '127.0.0.1:0', '--data-dir', dataDir], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBEDISCO_LOG: 'warn' },
  });
  const killGroup = (sig: NodeJS.Signals) => { try { process.kill(-proc.pid!, sig); } catch { /* gone */ } };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (c) => { err += c; });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => { process.off('exit', onExit); r(code); }));
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { killGroup('SIGKILL'); reject(new Error(`npm start: no ready line in 60 s\n${out}\n${err}`)); }, 60_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('kubedisco ready:'));
      if (line) { clearTimeout(timer); resolve(line); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited with ${code} before ready\n${out}\n${err}`)); });
  });
  const startedToReadyMs = Date.now() - t0;
  /** Waits for the node process (not only npm) to be gone: the group has no member left. */
  const groupGone = async () => {
    for (let i = 0; i < 200; i++) {
      try { process.kill(-proc.pid!, 0); } catch { return; }
      await new Promise((r) => setTimeout(r, 50));
    }
    killGroup('SIGKILL');
  };
  return {
    apiURL: /api (http:\/\/\S+)/.exec(readyLine)![1],
    kubeconfig: join(dataDir, 'kubeconfig'),
    dataDir,
    cacheDir,
    proc,
    readyLine,
    startedToReadyMs,
    stderr: () => err,
    async stop() { killGroup('SIGTERM'); const code = await exited; await groupGone(); return code; },
    async kill() { killGroup('SIGKILL'); await exited; await groupGone(); },
  };
}

describe('README quickstart', () => {
  let k: (Kubedisco & { startedToReadyMs: number }) | undefined;
  let s: Session | undefined;
  after(async () => {
    if (!k) return;
    await k.stop();
    rmSync(k.dataDir, { recursive: true, force: true });
    rmSync(k.cacheDir, { recursive: true, force: true });
  });

  test('every sh block of the README is run: the Quickstart here, the two fresh-machine commands as npm start here and npm test in CI', () => {
    const quick = section(README, QUICKSTART_HEADING);
    const outside = parseWalkthrough(README.replace(quick, '')).map((st) => st.command.replace(/\s+#.*$/, ''));
    assert.deepEqual(outside, [START, 'npm ci && npm test'], 'an sh block outside the Quickstart that nothing runs (move it into the Quickstart, or teach this test to run it)');
    assert.match(readFileSync(join(ROOT, '.ci/run'), 'utf8'), /^npm ci && npm test$/m, 'CI runs the README\'s test command verbatim');
    assert.match(README, /\]\(docs\/scenarios\.md\)/, 'the README links the seed scenario table');
  });

  test('seed 001 and 002 quickstart: npm start, then every command with its output as the README shows it', async (t) => {
    const steps = parseWalkthrough(section(README, QUICKSTART_HEADING));
    const [start, ...rest] = steps;
    assert.equal(start.command, START, 'the Quickstart starts with the fresh-machine command');
    assert.ok(start.output, 'and shows the ready line it prints');

    await t.test(`$ ${START}`, async () => {
      k = await npmStart();
      s = newSession(k);
      t.diagnostic(`npm start: ready line ${k.startedToReadyMs} ms after spawning npm`);
      assert.match(k.readyLine, /^kubedisco ready: api http:\/\/127\.0\.0\.1:\d+ {2}dns udp\+tcp 127\.0\.0\.1:\d+ {2}kubeconfig \S+ {2}next: KUBECONFIG=\S+ kubectl get svc -A$/);
      assert.deepEqual(shape(unrewriteOutput(s, k.readyLine)), shape(start.output!), 'the ready line, as the README shows it');
      // "From then on the DNS answers": the first query after the ready line, no retry.
      const first = await dig(s, 'kubernetes.default.svc.cluster.local');
      assert.equal(rcode(first), 'NOERROR', first);
      assert.match(first, /kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/);
      // The next command it suggests works as printed (with the real kubeconfig).
      const next = /next: (.*)$/.exec(k.readyLine)![1];
      const r = await sh(s, rewriteCommand(s, next));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\S+$/m);
    });
    assert.ok(s, 'the server started');
    await runSteps(t, s, rest, {
      'kubectl get svc -n moon': (r) => assert.match(r.stdout, /^regular-svc\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s/m),
      'dig @127.0.0.1 -p 1053 +short regular-svc.moon.svc.cluster.local': (r, s) => {
        // The ClusterIP `kubectl get svc` printed, not any address.
        const table = s.outputs.get('kubectl get svc -n moon')!.stdout;
        assert.equal(r.stdout.trim(), /^regular-svc\s+ClusterIP\s+(\S+)/m.exec(table)![1]);
      },
    });
  });
});

// The runner itself: it must be able to fail, or the checks above prove nothing.
describe('walkthrough runner (test/e2e/scenarios/walkthrough.ts)', () => {
  test('parse: commands of sh blocks, exports, exit statuses, the text block after an sh block is its last command\'s output', () => {
    const md = [
      '# t', '```sh', 'export KUBECONFIG=$PWD/data/kubeconfig', '# a comment', 'kubectl get svc \\', '  cassandra', '```', 'prose', '```text', 'NAME', '```',
      '```yaml', 'kind: x', '```', '```text', 'not an output', '```', '```sh', 'kubectl apply -f x.yaml   # exit status 1', '```',
    ].join('\n');
    const steps = parseWalkthrough(md);
    assert.deepEqual(steps.map((st) => [st.command, st.exit, st.output, st.exportName ?? null]), [
      ['export KUBECONFIG=$PWD/data/kubeconfig', 0, undefined, 'KUBECONFIG'],
      ['kubectl get svc  cassandra', 0, 'NAME', null],
      ['kubectl apply -f x.yaml   # exit status 1', 1, undefined, null],
    ]);
    assert.throws(() => parseWalkthrough('```sh\ncat <<EOF\n```'), /heredocs/);
    assert.throws(() => parseWalkthrough('```sh\ncd examples\n```'), /cd is not run/);
    assert.throws(() => parseWalkthrough('```sh\nnever closed'), /never closed/);
  });

  test('shape: IPs, ages, node ports and generated suffixes are placeholders; counts, names, ports and words are not', () => {
    const same = (a: string, b: string) => JSON.stringify(shape(a)) === JSON.stringify(shape(b));
    for (const [a, b] of [
      ['cassandra   ClusterIP   None   <none>   9042/TCP   10s', 'cassandra ClusterIP None <none> 9042/TCP 2m3s'],
      ['10.244.0.2\n10.244.1.2', '10.244.2.9\n10.244.0.17'],
      ['regular-svc ClusterIP 10.109.150.46', 'regular-svc ClusterIP 10.97.0.3'],
      ['app-9c6dbb8d8-gg2l5 1/1', 'app-5d4c5bd6b8-x7k2q 1/1'],
      ['openldap-external NodePort 389:31389/TCP', 'openldap-external NodePort 389:30001/TCP'],
      ['0 50 5432 10-244-1-2.x.', '0 50 5432 10-244-0-9.x.'],
    ]) assert.ok(same(a, b), `${a} ~ ${b}`);
    for (const [a, b] of [
      ['10.244.0.2\n10.244.1.2', '10.244.0.2'], // a count
      ['cassandra ClusterIP None', 'cassandra ClusterIP 10.100.0.9'], // None is not an IP
      ['kubernetes 10.96.0.1', 'kubernetes 10.96.0.9'], // the kubernetes Service's address is fixed
      ['10.0.0.50', '10.0.0.51'], // hand-written addresses are compared as they are
      ['9042/TCP', '9043/TCP'],
      ['0 33 9042 cassandra-0.x.', '0 50 9042 cassandra-0.x.'], // SRV weights
      ['cassandra-0', 'cassandra-1'], // ordinals are names
      ['status: NXDOMAIN', 'status: NOERROR'],
    ]) assert.ok(!same(a, b), `${a} ≁ ${b}`);
    assert.equal(shapeLine('my-headless-service   10.244.0.2:80,10.244.1.2:80   2s'), 'my-headless-service <pod-ip>:80,<pod-ip>:80 <age>');
    assert.deepEqual(seedShape('Address: 172.17.0.31'), seedShape('Address: 10.244.0.2'));
  });

  test('rewriting: the defaults of the documents become the test server\'s, and back', () => {
    const fake = { readyLine: 'kubedisco ready: api http://127.0.0.1:41000  dns udp+tcp 127.0.0.1:42000  kubeconfig /tmp/x/kubeconfig', kubeconfig: '/tmp/x/kubeconfig' } as Kubedisco;
    const s = { k: fake, dnsPort: dnsPortOf(fake.readyLine), env: {}, outputs: new Map() } as Session;
    assert.equal(apiPortOf(fake.readyLine), 41000);
    assert.equal(rewriteCommand(s, 'export KUBECONFIG=$PWD/data/kubeconfig'), 'export KUBECONFIG=/tmp/x/kubeconfig');
    assert.equal(rewriteCommand(s, 'KUBECONFIG=./data/kubeconfig kubectl get svc -A'), 'KUBECONFIG=/tmp/x/kubeconfig kubectl get svc -A');
    assert.equal(rewriteCommand(s, 'dig @127.0.0.1 -p 1053 +short x'), 'dig @127.0.0.1 -p 42000 +short x');
    assert.equal(rewriteCommand(s, 'bin/kubedisco lookup x -n moon'), 'bin/kubedisco lookup --server 127.0.0.1:42000 x -n moon');
    assert.equal(unrewriteOutput(s, 'api http://127.0.0.1:41000  dns udp+tcp 127.0.0.1:42000  kubeconfig /tmp/x/kubeconfig\nAddress:\t127.0.0.1#42000'),
      'api http://127.0.0.1:6443  dns udp+tcp 127.0.0.1:1053  kubeconfig ./data/kubeconfig\nAddress:\t127.0.0.1#1053');
    assert.ok(isRead('dig @127.0.0.1 -p 1053 x | grep -o status'));
    assert.ok(isRead('kubectl get pods -n moon'));
    assert.ok(!isRead('kubectl scale -n moon deployment app --replicas=5'));
    assert.ok(!isRead('kubectl delete $(kubectl get pods -o name | head -n 1)'));
  });
});
