// `kubedisco dns` as a SEPARATE process against `kubedisco server`, over the REST API only (its kubeconfig):
// the way it would serve a real cluster. Its answers match the built-in DNS's; its own /readyz, /healthz
// and /metrics answer on --metrics-listen; SIGTERM stops it cleanly.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startKubedisco, cleanup, kubectl, run, waitFor, ROOT, type Kubedisco } from './harness.ts';

let k: Kubedisco;
let dns: ChildProcess;
let line = '';
let dnsPort = 0;
let metricsURL = '';

function digShort(port: number, name: string): Promise<string[]> {
  return run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', '+short', name]).then((r) => r.stdout.trim().split('\n').filter(Boolean).sort());
}

before(async () => {
  k = await startKubedisco();
  dns = spawn(process.execPath, [join(ROOT, 'src/cmd/main.ts'), 'dns', '--kubeconfig', k.kubeconfig, '--listen', '127.0.0.1:0', '--workers', '2', '--metrics-listen', '127.0.0.1:0'], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  dns.stderr!.on('data', (c) => { err += c; });
  line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`kubedisco dns not ready in 30s: ${err}`)), 30_000);
    dns.stdout!.on('data', (c) => { out += c; const l = out.split('\n').find((x) => x.startsWith('kubedisco dns ready:')); if (l) { clearTimeout(t); resolve(l); } });
    dns.once('exit', (code) => { clearTimeout(t); reject(new Error(`kubedisco dns exited ${code}: ${err}`)); });
  });
  dnsPort = Number(/dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(line)![1]);
  metricsURL = /metrics (http:\/\/\S+)\/metrics/.exec(line)![1];
});
after(async () => {
  if (dns && dns.exitCode === null) { dns.kill('SIGKILL'); }
  await k?.stop();
  if (k) cleanup(k);
});

test('kubedisco dns (own process, REST API only): ready line with the real port, 2 workers, synced', () => {
  assert.match(line, /^kubedisco dns ready: dns udp\+tcp 127\.0\.0\.1:\d+  workers 2  synced true/);
  assert.notEqual(dnsPort, 0);
});

test('kubedisco dns answers seed 001 exactly as the built-in DNS (3 cassandra IPs, cassandra-0)', async () => {
  const serverPort = Number(/dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(k.readyLine)![1]);
  const apply = await kubectl(k, ['apply', '-f', join(ROOT, 'test/fixtures/seeds/001-cassandra.yaml')]);
  assert.equal(apply.code, 0, apply.stderr);
  const roll = await kubectl(k, ['rollout', 'status', 'statefulset/cassandra', '--timeout=60s'], { timeoutMs: 90_000 });
  assert.equal(roll.code, 0, roll.stderr);
  // Both UDP threads of the separate process must see the same answer: ask many times (reusePort spreads
  // source ports over the threads).
  const three = await waitFor('3 IPs from kubedisco dns', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => digShort(dnsPort, 'cassandra.default.svc.cluster.local')));
    return answers.every((a) => a.length === 3 && a.join() === answers[0].join()) && answers[0];
  });
  assert.deepEqual(three, await digShort(serverPort, 'cassandra.default.svc.cluster.local'));
  assert.deepEqual(await digShort(dnsPort, 'cassandra-0.cassandra.default.svc.cluster.local'), await digShort(serverPort, 'cassandra-0.cassandra.default.svc.cluster.local'));
});

test('kubedisco dns: /healthz, /readyz and /metrics on --metrics-listen', async () => {
  assert.equal((await fetch(`${metricsURL}/healthz`)).status, 200);
  const ready = await fetch(`${metricsURL}/readyz`);
  assert.equal(ready.status, 200);
  const m = await (await fetch(`${metricsURL}/metrics`)).text();
  assert.match(m, /kubedisco_dns_requests_total\{type="A",rcode="NOERROR"\} \d+/);
  assert.match(m, /# TYPE kubedisco_dns_request_duration_seconds histogram/);
});

test('kubedisco dns stops cleanly on SIGTERM', async () => {
  const exited = new Promise<number | null>((r) => dns.once('exit', (c) => r(c)));
  dns.kill('SIGTERM');
  assert.equal(await exited, 0);
});
