// End to end: `kubedisco server` runs the cluster DNS on --dns-listen; real kubectl applies seed 001
// (the cassandra headless Service + StatefulSet) and real `dig` (Debian dnsutils) queries it over UDP.
// Rule book §5 (headless: every ready endpoint), §5.3 (endpoint hostnames), §1.3 (NXDOMAIN + SOA).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startKubedisco, cleanup, kubectl, run, waitFor, http, ROOT, type Kubedisco } from './harness.ts';

let k: Kubedisco;
let port: number;

async function dig(name: string, type = 'A', extra: string[] = []): Promise<string> {
  const r = await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=2', ...extra, name, type]);
  return r.stdout;
}
async function digShort(name: string, type = 'A'): Promise<string[]> {
  return (await dig(name, type, ['+short'])).trim().split('\n').filter(Boolean).sort();
}
function status(out: string): string | undefined { return /status: (\w+)/.exec(out)?.[1]; }

before(async () => {
  k = await startKubedisco();
  const m = /dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(k.readyLine);
  assert.ok(m, `ready line names the DNS address: ${k.readyLine}`);
  port = Number(m[1]);
  assert.notEqual(port, 0, 'port 0 is replaced by the real port');
});
after(async () => { await k?.stop(); if (k) cleanup(k); });

test('ready line keeps api URL and kubeconfig parsable next to the DNS address', () => {
  assert.match(k.readyLine, /^kubedisco ready: api http:\/\/127\.0\.0\.1:\d+  dns udp\+tcp 127\.0\.0\.1:\d+  kubeconfig \S+/);
});

test('dig: the kubernetes Service answers with its ClusterIP, AA set (§4.1, §1.1)', async () => {
  const out = await waitFor('kubernetes.default answer', async () => { const o = await dig('kubernetes.default.svc.cluster.local'); return status(o) === 'NOERROR' && o; });
  assert.match(out, /flags: qr aa rd;/);
  assert.match(out, /kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/);
});

test('seed 001: dig cassandra.default.svc.cluster.local returns the 3 pod IPs; cassandra-0 its own (§5.1, §5.3)', async () => {
  const apply = await kubectl(k, ['apply', '-f', join(ROOT, 'test/fixtures/seeds/001-cassandra.yaml')]);
  assert.equal(apply.code, 0, apply.stderr);
  const roll = await kubectl(k, ['rollout', 'status', 'statefulset/cassandra', '--timeout=60s'], { timeoutMs: 90_000 });
  assert.equal(roll.code, 0, roll.stderr);
  const pods = await kubectl(k, ['get', 'pods', '-l', 'app=cassandra', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}']);
  const ips = new Map(pods.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]));
  assert.equal(ips.size, 3);
  const want = [...ips.values()].sort();
  const got = await waitFor('3 cassandra IPs', async () => { const a = await digShort('cassandra.default.svc.cluster.local'); return a.length === 3 && a.join() === want.join() && a; });
  assert.deepEqual(got, want);
  assert.deepEqual(await digShort('cassandra-0.cassandra.default.svc.cluster.local'), [ips.get('cassandra-0')]);
  // Case is preserved in the owner name (§1.4, §17).
  assert.match(await dig('Cassandra-0.Cassandra.Default.svc.Cluster.Local'), /Cassandra-0\.Cassandra\.Default\.svc\.Cluster\.Local\.\s+5\s+IN\s+A/);
});

test('NXDOMAIN carries the SOA (§1.3); out-of-zone names are REFUSED without --dns-upstream (§15)', async () => {
  const nx = await dig('nope.default.svc.cluster.local');
  assert.equal(status(nx), 'NXDOMAIN');
  assert.match(nx, /AUTHORITY: 1/);
  assert.match(nx, /cluster\.local\.\s+5\s+IN\s+SOA/);
  assert.equal(status(await dig('example.com')), 'REFUSED');
});

test('TCP works too (dig +tcp)', async () => {
  assert.equal(status(await dig('kubernetes.default.svc.cluster.local', 'A', ['+tcp'])), 'NOERROR');
});

test('kubedisco lookup: nslookup-style output with the pod search path; NXDOMAIN exits 1', async () => {
  const main = join(ROOT, 'src/cmd/main.ts');
  const r = await run(process.execPath, [main, 'lookup', 'cassandra-0.cassandra', '--server', `127.0.0.1:${port}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`^Server:\\t\\t127\\.0\\.0\\.1\\nAddress:\\t127\\.0\\.0\\.1#${port}\\n\\nName:\\tcassandra-0\\.cassandra\\.default\\.svc\\.cluster\\.local\\nAddress: \\d+\\.\\d+\\.\\d+\\.\\d+\\n`));
  const svc = await run(process.execPath, [main, 'lookup', 'kubernetes', '-n', 'kube-system', '--server', `127.0.0.1:${port}`]);
  assert.equal(svc.code, 1, 'kubernetes.kube-system does not exist; the search path then tries kubernetes.svc.cluster.local, ...');
  const ok = await run(process.execPath, [main, 'lookup', 'kubernetes.default', '-n', 'kube-system', '--server', `127.0.0.1:${port}`]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /Name:\tkubernetes\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.1/);
  const nx = await run(process.execPath, [main, 'lookup', 'nope', '--server', `127.0.0.1:${port}`]);
  assert.equal(nx.code, 1);
  assert.match(nx.stdout, /\*\* server can't find nope: NXDOMAIN/);
});

test('/metrics carries the DNS metrics and /readyz a dns check', async () => {
  const m = await http(k, 'GET', '/metrics');
  assert.match(m.text, /kubedisco_dns_requests_total\{type="A",rcode="NOERROR"\} \d+/);
  assert.match(m.text, /kubedisco_dns_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(m.text, /kubedisco_dns_names \d+/);
  const r = await http(k, 'GET', '/readyz?verbose');
  assert.equal(r.status, 200);
  assert.match(r.text, /\[\+\]dns ok/);
});

test('after deleting the Service, NXDOMAIN (answers follow the watch)', async () => {
  const del = await kubectl(k, ['delete', 'service', 'cassandra']);
  assert.equal(del.code, 0, del.stderr);
  await waitFor('NXDOMAIN after delete', async () => status(await dig('cassandra.default.svc.cluster.local')) === 'NXDOMAIN');
});
