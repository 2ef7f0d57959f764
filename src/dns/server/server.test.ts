// The UDP and TCP servers over real loopback sockets, with the fake resolver and codec: framing,
// pipelining, hostile clients, garbage, worker threads sharing the port (reusePort), and real `dig`
// (truncation over UDP, then the TCP retry; rule book §16).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startDnsServers, type RunningDnsServer } from './index.ts';
import { header, query } from './testing/query.ts';
import { RCODE } from '../message.ts';
import { decodeMessage } from '../wire/index.ts';
import { nativeUdp } from './udp-batch.ts';
import { created as fakeResolvers } from './testing/fake-resolver.ts';

/** Both UDP I/O paths where the native one is built (the next test insists it is wherever cc exists). */
const IOS = nativeUdp().addon ? (['native', 'dgram'] as const) : (['dgram'] as const);

const FAKE = {
  resolver: { module: new URL('./testing/fake-resolver.ts', import.meta.url).href, name: 'createFakeResolver', arg: { many: 60 } },
  codecModule: new URL('./testing/fake-codec.ts', import.meta.url).href,
};

const running: RunningDnsServer[] = [];
after(async () => { for (const s of running) await s.stop(); });

async function start(workers = 1, extra: Partial<Parameters<typeof startDnsServers>[0]> = {}): Promise<RunningDnsServer> {
  const s = await startDnsServers({ listen: { host: '127.0.0.1', port: 0 }, workers, ...FAKE, ...extra });
  running.push(s);
  return s;
}

function udpAsk(port: number, pkt: Uint8Array, timeoutMs = 2000): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => { s.close(); resolve(undefined); }, timeoutMs);
    s.on('message', (m) => { clearTimeout(t); s.close(); resolve(new Uint8Array(m)); });
    s.send(pkt, port, '127.0.0.1');
  });
}

function frame(p: Uint8Array): Buffer { const b = Buffer.alloc(2 + p.length); b.writeUInt16BE(p.length); b.set(p, 2); return b; }

/** Sends raw bytes over TCP and collects framed replies until `n` arrived or the connection closed. */
function tcpExchange(port: number, bytes: Buffer[], n: number, timeoutMs = 3000): Promise<{ replies: Uint8Array[]; closed: boolean }> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    const replies: Uint8Array[] = [];
    let closed = false;
    const done = (): void => { clearTimeout(t); c.destroy(); resolve({ replies, closed }); };
    const t = setTimeout(done, timeoutMs);
    c.on('connect', () => { for (const b of bytes) c.write(b); });
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        replies.push(new Uint8Array(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (replies.length >= n) done();
    });
    c.on('error', () => {});
    c.on('close', () => { closed = true; done(); });
  });
}

test('UDP: an answer and the metrics count it by type and rcode', async () => {
  const s = await start();
  const r = await udpAsk(s.port, query('one.default.svc.cluster.local', { id: 7 }));
  assert.ok(r);
  assert.deepEqual([header(r).id, header(r).rcode, header(r).an], [7, RCODE.NOERROR, 1]);
  const m = s.renderMetrics();
  assert.match(m, /kubedisco_dns_requests_total\{type="A",rcode="NOERROR"\} 1/);
  assert.match(m, /kubedisco_dns_request_duration_seconds_count 1/);
  assert.match(m, /kubedisco_dns_names 2/);
});

test('TCP: 2-byte framing, several pipelined queries on one connection, split across writes', async () => {
  const s = await start();
  const a = frame(query('one.default.svc.cluster.local', { id: 1 }));
  const b = frame(query('many.default.svc.cluster.local', { id: 2 }));
  const c = frame(query('nope.default.svc.cluster.local', { id: 3 }));
  const all = Buffer.concat([a, b, c]);
  // Byte-by-byte for the first frame, then the rest in one write.
  const pieces = [...Array.from(a, (x) => Buffer.from([x])), Buffer.from(all.subarray(a.length))];
  const { replies } = await tcpExchange(s.port, pieces, 3);
  assert.deepEqual(replies.map((r) => [header(r).id, header(r).rcode, header(r).tc, header(r).an]), [[1, 0, false, 1], [2, 0, false, 60], [3, RCODE.NXDOMAIN, false, 0]]);
});

test('TCP: an oversized length prefix or a zero length closes the connection; the server keeps serving', async () => {
  const s = await start();
  for (const bad of [Buffer.from([0xff, 0xff, 1, 2, 3]), Buffer.from([0, 0])]) {
    const { replies, closed } = await tcpExchange(s.port, [bad], 1);
    assert.equal(replies.length, 0);
    assert.equal(closed, true);
  }
  assert.ok(await udpAsk(s.port, query('one.default.svc.cluster.local')));
});

test('TCP: clients that disconnect mid-message or mid-length never crash the server', async () => {
  const s = await start();
  for (let i = 0; i < 50; i++) {
    await new Promise<void>((resolve) => {
      const c = connect(s.port, '127.0.0.1', () => {
        const f = frame(query('many.default.svc.cluster.local'));
        c.write(f.subarray(0, i % f.length || 1));
        if (i % 3 === 0) c.resetAndDestroy(); else c.destroy();
        resolve();
      });
      c.on('error', () => resolve());
    });
  }
  // A client that sends a query and closes before reading the reply.
  for (let i = 0; i < 20; i++) {
    const c = connect(s.port, '127.0.0.1', () => { c.end(frame(query('many.default.svc.cluster.local'))); });
    c.on('error', () => {});
  }
  const { replies } = await tcpExchange(s.port, [frame(query('one.default.svc.cluster.local', { id: 99 }))], 1);
  assert.equal(header(replies[0]).id, 99);
});

test('TCP: idle connections are closed after the idle timeout; connection cap enforced', async () => {
  const s = await start(1, { tcp: { idleTimeoutMs: 200, maxConnections: 2 } });
  const { closed } = await tcpExchange(s.port, [], 1, 5000);
  assert.equal(closed, true);
  const held = [connect(s.port, '127.0.0.1'), connect(s.port, '127.0.0.1')];
  await Promise.all(held.map((c) => new Promise((r) => c.once('connect', r))));
  const third = await tcpExchange(s.port, [frame(query('one.default.svc.cluster.local'))], 1, 1500);
  assert.equal(third.replies.length, 0, 'a connection beyond the cap is not served');
  for (const c of held) c.destroy();
});

test('native UDP I/O (recvmmsg/sendmmsg) is built wherever a C compiler is, so CI never falls back silently', (t) => {
  const cc = spawnSync(process.env.CC || 'cc', ['--version']);
  if (cc.error || cc.status !== 0) { t.skip('no C compiler: the server uses node:dgram'); return; }
  assert.equal(nativeUdp().why, undefined);
  assert.ok(nativeUdp().addon);
});

test('native UDP I/O: worker threads that alone load the addon end cleanly (the close callback never outlives the addon)', { skip: !nativeUdp().addon && 'addon not built' }, () => {
  const r = spawnSync(process.execPath, [new URL('./testing/worker-teardown.ts', import.meta.url).pathname], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `killed by ${r.signal}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ok');
});

for (const io of IOS) test(`UDP I/O ${io}: one answer per query, ids echoed, truncation (§16.1) and NXDOMAIN as with the other I/O`, async () => {
  const s = await start(1, { udpIo: io, codecModule: undefined });
  assert.equal(s.udpIo, io);
  const asks = [
    query('one.default.svc.cluster.local', { id: 11 }),
    query('many.default.svc.cluster.local', { id: 12 }),
    query('many.default.svc.cluster.local', { id: 13, edns: { udpSize: 4096 } }),
    query('nope.default.svc.cluster.local', { id: 14 }),
    query('one.default.svc.cluster.local', { id: 15, opcode: 2 }),
  ];
  const got = await Promise.all(asks.map((q) => udpAsk(s.port, q)));
  assert.deepEqual(got.map((r) => r && [header(r).id, header(r).rcode, header(r).tc, header(r).an]), [
    [11, RCODE.NOERROR, false, 1], [12, RCODE.NOERROR, true, header(got[1]!).an], [13, RCODE.NOERROR, false, 60], [14, RCODE.NXDOMAIN, false, 0], [15, RCODE.NOTIMP, false, 0],
  ]);
  assert.ok(header(got[1]!).an < 60, 'the 512-byte reply holds fewer than the 60 records');
});

for (const io of IOS) for (const codec of ['fake', 'wire'] as const) test(`garbage (${codec} codec, ${io} UDP): 20,000 random and mutated packets never crash or stall the server`, async () => {
  const s = await start(1, { udpIo: io, ...(codec === 'wire' ? { codecModule: undefined } : {}) });
  const sock = createSocket('udp4');
  let got = 0;
  sock.on('message', () => { got++; });
  const base = query('many.default.svc.cluster.local', { edns: { udpSize: 4096 } });
  for (let i = 0; i < 20000; i++) {
    let p: Uint8Array;
    if (i % 4 === 0) p = randomBytes(i % 600);
    else {
      p = new Uint8Array(base);
      const flips = 1 + (i % 5);
      for (let k = 0; k < flips; k++) p[(i * 7919 + k * 104729) % p.length] = (i * 31 + k) & 0xff;
      if (i % 4 === 2) p = p.subarray(0, i % p.length);
    }
    // Compression loops: a name that is a pointer to itself.
    if (i % 97 === 0) p = new Uint8Array([...base.subarray(0, 12), 0xc0, 12, 0, 1, 0, 1]);
    sock.send(p, s.port, '127.0.0.1');
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  // Oversized: a 60 KB datagram.
  sock.send(randomBytes(60000), s.port, '127.0.0.1');
  // The socket buffer may have overflowed while the burst was queued: probe a few times.
  let r: Uint8Array | undefined;
  for (let i = 0; i < 10 && !r; i++) r = await udpAsk(s.port, query('one.default.svc.cluster.local', { id: 4242 }), 1000);
  sock.close();
  assert.ok(got > 0, 'some garbage got answers (FORMERR and the like)');
  assert.ok(r, 'the server still answers after the garbage');
  assert.equal(header(r).id, 4242);
});

for (const io of IOS) test(`worker threads (${io} UDP): every thread binds the same port with reusePort and answers; metrics summed`, async () => {
  const s = await start(3, { udpIo: io });
  assert.equal(s.workers, 3);
  const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => udpAsk(s.port, query('one.default.svc.cluster.local', { id: i }))));
  assert.equal(answers.filter(Boolean).length, 60);
  // Worker snapshots arrive every 250 ms.
  const deadline = Date.now() + 5000;
  while (!/type="A",rcode="NOERROR"\} 60/.test(s.renderMetrics()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.match(s.renderMetrics(), /kubedisco_dns_requests_total\{type="A",rcode="NOERROR"\} 60/);
  assert.equal(s.ready(), true);
});

/** The A address of a reply (wire codec). */
function firstA(r: Uint8Array | undefined): string | undefined {
  if (!r) return undefined;
  const a = decodeMessage(r).answers[0]?.data;
  return a && a.type === 'A' ? a.address : undefined;
}

for (const io of IOS) test(`worker threads (${io} UDP): a change on the resolver's thread reaches every thread's reply cache at once`, async () => {
  const s = await start(3, { udpIo: io, codecModule: undefined });
  const resolver = fakeResolvers[fakeResolvers.length - 1];
  // 90 client sockets: the kernel spreads them over the 3 sockets by source port; asked twice, so every
  // thread has the reply cached.
  const ask = () => Promise.all(Array.from({ length: 90 }, (_, i) => udpAsk(s.port, query('one.default.svc.cluster.local', { id: i }))));
  for (let round = 0; round < 2; round++) assert.deepEqual(new Set((await ask()).map(firstA)), new Set(['10.96.0.10']));
  const callsBefore = resolver.calls;
  resolver.setOneIP('10.96.0.99');
  assert.deepEqual(new Set((await ask()).map(firstA)), new Set(['10.96.0.99']), 'no thread serves the old cached answer');
  assert.ok(resolver.calls > callsBefore, 'the new answer came from the resolver');
  // Workers hold no resolver: only the main thread's resolver exists.
  assert.equal(fakeResolvers.filter((r) => r === resolver).length, 1);
});


for (const io of IOS) test(`${io} UDP: a host name (localhost) is bound like an address`, async () => {
  const s = await start(1, { udpIo: io, listen: { host: 'localhost', port: 0 } });
  const r = await udpAsk(s.port, query('one.default.svc.cluster.local', { id: 5 }));
  assert.ok(r);
  assert.equal(header(r).id, 5);
});

for (const io of IOS) test(`${io} UDP: a query above 4096 bytes gets FORMERR with its id, header only; the server goes on`, async () => {
  const s = await start(1, { udpIo: io, codecModule: undefined });
  const base = query('one.default.svc.cluster.local', { id: 77, edns: { udpSize: 4096 } });
  // Pad the OPT with one option of 5000 bytes (RDLENGTH and the option length set to match).
  const pad = 5000;
  const big = new Uint8Array(base.length + 4 + pad);
  big.set(base);
  const rd = base.length - 2;
  big[rd] = (4 + pad) >> 8; big[rd + 1] = (4 + pad) & 0xff;
  big.set([0, 12, pad >> 8, pad & 0xff], base.length);
  const r = await udpAsk(s.port, big);
  assert.ok(r);
  assert.deepEqual([header(r).id, header(r).rcode, r.length], [77, RCODE.FORMERR, 12]);
  assert.ok(await udpAsk(s.port, query('one.default.svc.cluster.local')));
});

test('§16.1 cached replies echo each client\'s own EDNS size, on TCP as on UDP (the size is part of the key)', async () => {
  const s = await start(1, { codecModule: undefined });
  const over = async (size: number, tcp: boolean): Promise<number | undefined> => {
    const q = query('one.default.svc.cluster.local', { id: size & 0xffff, edns: { udpSize: size } });
    const r = tcp ? (await tcpExchange(s.port, [frame(q)], 1)).replies[0] : await udpAsk(s.port, q);
    return r && decodeMessage(r).edns?.udpSize;
  };
  // Asked twice each: the second answer comes from the cache.
  for (const [size, tcp] of [[1232, true], [4096, true], [65535, false], [1232, false], [4096, true]] as const) {
    assert.equal(await over(size, tcp), size, `${tcp ? 'TCP' : 'UDP'} ${size}, first`);
    assert.equal(await over(size, tcp), size, `${tcp ? 'TCP' : 'UDP'} ${size}, cached`);
  }
});

test('§1.7 the startup timeout flips every thread to NXDOMAIN at once (before: SERVFAIL from all)', async () => {
  const s = await start(3, { codecModule: undefined, startupTimeoutMs: 700, resolver: { ...FAKE.resolver, arg: { ready: false } } });
  const ask = async () => new Set((await Promise.all(Array.from({ length: 60 }, (_, i) => udpAsk(s.port, query('nope.default.svc.cluster.local', { id: i }))))).map((r) => r && header(r).rcode));
  assert.deepEqual(await ask(), new Set([RCODE.SERVFAIL]));
  assert.deepEqual(await ask(), new Set([RCODE.SERVFAIL]), 'cached SERVFAIL on every thread');
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual(await ask(), new Set([RCODE.NXDOMAIN]));
});

/** dig as a child process without blocking this process's event loop (the server runs here). */
function dig(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn('dig', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.on('close', () => resolve(out));
  });
}

const hasDig = spawnSync('dig', ['-v']).status === 0;
for (const codec of ['fake', 'wire'] as const) test(`real dig (${codec} codec): §16.2 a 60-record answer truncates over UDP (TC), dig retries over TCP and gets all 60`, async () => {
  assert.ok(hasDig, 'dig is not installed: apt-get install dnsutils (.ci/run does)');
  const s = await start(1, codec === 'wire' ? { codecModule: undefined } : {});
  const udp = await dig(['@127.0.0.1', '-p', String(s.port), '+noedns', '+ignore', '+tries=1', '+time=2', 'many.default.svc.cluster.local', 'A']);
  assert.match(udp, /flags: qr aa tc rd;/);
  const retried = await dig(['@127.0.0.1', '-p', String(s.port), '+noedns', '+tries=1', '+time=2', 'many.default.svc.cluster.local', 'A']);
  assert.match(retried, /Truncated, retrying in TCP mode/);
  assert.match(retried, /ANSWER: 60,/);
  const short = await dig(['@127.0.0.1', '-p', String(s.port), '+short', '+tries=1', '+time=2', 'one.default.svc.cluster.local']);
  assert.equal(short.trim(), '10.96.0.10');
});

test('§15 upstream: out-of-zone queries are relayed (id restored); a silent upstream gives SERVFAIL after the timeout', async () => {
  const up = createSocket('udp4');
  let seen = 0;
  up.on('message', (m, rinfo) => {
    seen++;
    if (m.toString('latin1').includes('silent')) return;
    const r = Buffer.from(m);
    r[2] |= 0x80; // QR
    r[3] = (r[3] & 0xf0) | 3; // NXDOMAIN, so the relay is visible
    up.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => up.bind(0, '127.0.0.1', () => r()));
  try {
    const s = await start(1, { upstream: { host: '127.0.0.1', port: up.address().port, timeoutMs: 300 } });
    const r = await udpAsk(s.port, query('example.com', { id: 321 }));
    assert.ok(r);
    assert.deepEqual([header(r).id, header(r).rcode], [321, RCODE.NXDOMAIN]);
    const t = await udpAsk(s.port, query('silent.example.com', { id: 322 }));
    assert.ok(t);
    assert.deepEqual([header(t).id, header(t).rcode], [322, RCODE.SERVFAIL]);
    // In-zone names never reach the upstream.
    const before = seen;
    await udpAsk(s.port, query('nope.default.svc.cluster.local'));
    assert.equal(seen, before);
  } finally {
    up.close();
  }
});
