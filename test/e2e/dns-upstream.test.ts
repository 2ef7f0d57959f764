// `kubedisco dns --upstream` (rule book §15, §7.3): names outside the zone are relayed to the upstream
// (a fake one on 127.0.0.1 here), an ExternalName Service pointing outside the zone is chased there,
// and PTR names outside the cluster fall through to it (kubeadm's `fallthrough in-addr.arpa ip6.arpa`).
// Without --upstream the same names are REFUSED (tested in dns-server.test.ts).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { join } from 'node:path';
import { startKubedisco, cleanup, kubectl, run, waitFor, ROOT, type Kubedisco } from './harness.ts';

let k: Kubedisco;
let dns: ChildProcess;
let up: Socket;
let port = 0;
const asked: string[] = [];

/** A fake upstream: `db.example.test` A → 192.0.2.10, `10.2.0.192.in-addr.arpa` PTR → db.example.test, else NXDOMAIN. */
function fakeUpstream(): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('message', (m, rinfo) => {
    let off = 12;
    const labels: string[] = [];
    while (m[off] !== 0 && off < m.length) { labels.push(m.subarray(off + 1, off + 1 + m[off]).toString('latin1')); off += 1 + m[off]; }
    const qend = off + 5;
    const name = labels.join('.').toLowerCase();
    const qtype = m.readUInt16BE(off + 1);
    asked.push(`${name}/${qtype}`);
    const head = Buffer.from(m.subarray(0, qend));
    head[2] = 0x81; // QR, RD
    let answer = Buffer.alloc(0);
    if (name === 'db.example.test' && qtype === 1) answer = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]);
    else if (name === '10.2.0.192.in-addr.arpa' && qtype === 12) {
      const target = Buffer.from([2, ...Buffer.from('db'), 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
      answer = Buffer.concat([Buffer.from([0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60, 0, target.length]), target]);
    }
    head[3] = answer.length ? 0x80 : 0x83; // RA, NOERROR or NXDOMAIN
    head.writeUInt16BE(answer.length ? 1 : 0, 6);
    head.writeUInt16BE(0, 8);
    head.writeUInt16BE(0, 10);
    s.send(Buffer.concat([head, answer]), rinfo.port, rinfo.address);
  });
  return new Promise((r) => s.bind(0, '127.0.0.1', () => r(s)));
}

async function dig(name: string, type = 'A'): Promise<string> {
  return (await run('dig', ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', name, type])).stdout;
}

before(async () => {
  up = await fakeUpstream();
  k = await startKubedisco({ extraArgs: ['--nodes', '0'] });
  dns = spawn(process.execPath, [join(ROOT, 'src/cmd/main.ts'), 'dns', '--kubeconfig', k.kubeconfig, '--listen', '127.0.0.1:0', '--workers', '1', '--upstream', `127.0.0.1:${up.address().port}`], {
    cwd: ROOT, env: { ...process.env, KUBEDISCO_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('kubedisco dns not ready')), 30_000);
    dns.stdout!.on('data', (c) => { out += c; const l = out.split('\n').find((x) => x.startsWith('kubedisco dns ready:')); if (l) { clearTimeout(t); resolve(l); } });
  });
  port = Number(/dns udp\+tcp 127\.0\.0\.1:(\d+)/.exec(line)![1]);
});
after(async () => {
  if (dns?.exitCode === null) { const e = new Promise((r) => dns.once('exit', r)); dns.kill('SIGTERM'); await e; }
  await k?.stop();
  if (k) cleanup(k);
  up?.close();
});

test('§15 with --upstream: an out-of-zone name is relayed and the upstream answer returned', async () => {
  const out = await dig('db.example.test');
  assert.match(out, /status: NOERROR/);
  assert.match(out, /db\.example\.test\.\s+60\s+IN\s+A\s+192\.0\.2\.10/);
  assert.match(await dig('nothing.example.test'), /status: NXDOMAIN/);
});

test('§7.3 ExternalName to an out-of-zone name: the CNAME plus the upstream target records', async () => {
  const svc = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.test"}}';
  const r = await kubectl(k, ['apply', '-f', '-'], { stdin: svc });
  assert.equal(r.code, 0, r.stderr);
  const out = await waitFor('chased answer', async () => { const o = await dig('ext.default.svc.cluster.local'); return /192\.0\.2\.10/.test(o) && o; });
  assert.match(out, /ext\.default\.svc\.cluster\.local\.\s+5\s+IN\s+CNAME\s+db\.example\.test\./);
  assert.match(out, /db\.example\.test\.\s+60\s+IN\s+A\s+192\.0\.2\.10/);
  assert.match(out, /flags: qr aa rd;/);
});

test('§15.2 PTR for an address outside the cluster falls through to the upstream', async () => {
  const out = await dig('10.2.0.192.in-addr.arpa', 'PTR');
  assert.match(out, /10\.2\.0\.192\.in-addr\.arpa\.\s+60\s+IN\s+PTR\s+db\.example\.test\./);
  assert.ok(asked.includes('10.2.0.192.in-addr.arpa/12'));
  // In-zone names never reach the upstream.
  const before = asked.length;
  assert.match(await dig('nope.default.svc.cluster.local'), /status: NXDOMAIN/);
  assert.equal(asked.length, before);
});
