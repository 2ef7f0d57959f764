// List latency at 10,000 Services: create them across 100 namespaces with 16 clients, then time
// GET /api/v1/services as JSON and as a server-side Table, one namespace, a first page of 500, and a
// full walk with limit=500 and continue tokens. Each case: 2 warm-ups, then ~20 timed runs (fewer if
// a case passes its time cap). Run alone: node bench/run.ts --only lists

import { clients, closeAll, type HttpClient } from './lib/http.ts';
import { closedLoop, type LoadRun } from './lib/load.ts';
import { cpuSeconds, machineBusySeconds } from './lib/cpu.ts';
import { startKubedisco } from './lib/servers.ts';
import { summarize } from './lib/stats.ts';

export interface ListRow {
  what: string;
  path: string;
  requests: number;
  items: number;
  bytes: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU milliseconds per timed run. */
  serverCpuMs: number;
  /** CPU milliseconds per run spent by anything other than the server and this process (noise). */
  otherCpuMs: number;
}

export interface ListsResult {
  services: number;
  namespaces: number;
  populate: LoadRun;
  rows: ListRow[];
}

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const WARMUPS = 2;
const CASE_CAP_MS = 20_000;
const MAX_PAGES = 1000;

/** `ms` sums send → last byte over the requests; decoding the body (for the continue token) is not timed. */
interface Sample { items: number; bytes: number; requests: number; ms: number }

/** One GET, or with `follow` every page via metadata.continue (at most MAX_PAGES). */
async function walk(c: HttpClient, path: string, headers: Record<string, string>, follow: boolean, countItems: (body: any) => number): Promise<Sample> {
  let cont = '';
  const s: Sample = { items: 0, bytes: 0, requests: 0, ms: 0 };
  for (let page = 0; page < MAX_PAGES; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await c.expect(200, 'GET', cont ? `${path}${sep}continue=${encodeURIComponent(cont)}` : path, undefined, headers);
    const body = JSON.parse(r.body);
    s.items += countItems(body);
    s.bytes += r.bytes;
    s.ms += r.ms;
    s.requests++;
    cont = body.metadata?.continue ?? '';
    if (!cont || !follow) return s;
  }
  throw new Error(`${path}: still a continue token after ${MAX_PAGES} pages`);
}

export async function runListsBench(o: { root: string; services?: number; namespaces?: number; runs?: number; cpuProfDir?: string }): Promise<ListsResult> {
  const total = o.services ?? 10_000;
  const nsCount = o.namespaces ?? 100;
  const runs = o.runs ?? 20;
  const perNs = Math.ceil(total / nsCount);
  const kd = await startKubedisco({ root: o.root, cpuProfDir: o.cpuProfDir });
  const conns = clients(kd.url, 16);
  try {
    const ns = (i: number) => `ns-${String(i).padStart(3, '0')}`;
    for (let i = 0; i < nsCount; i++) {
      await conns[0].expect(201, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(i) } }));
    }
    // 16 clients take the next index from a shared counter until `total` Services exist.
    let next = 0;
    const populate = await closedLoop({
      conns, durationMs: 120_000, maxPerClient: total, pid: kd.pid,
      op: async (c) => {
        const n = next++;
        if (n >= total) return false;
        const body = JSON.stringify({
          apiVersion: 'v1', kind: 'Service',
          metadata: { name: `svc-${n}`, namespace: ns(n % nsCount), labels: { app: `app-${n % 50}` } },
          spec: { selector: { app: `app-${n}` }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
        });
        await c.expect(201, 'POST', `/api/v1/namespaces/${ns(n % nsCount)}/services`, body);
      },
    });
    if (next < total) throw new Error(`created only ${next} of ${total} Services in 120 s`);

    const c = conns[0];
    const items = (b: any) => b.items.length;
    const rowsOf = (b: any) => b.rows.length;
    const cases: Array<[what: string, path: string, headers: Record<string, string>, count: (b: any) => number]> = [
      ['all namespaces, JSON', '/api/v1/services', {}, items],
      ['all namespaces, Table (kubectl get svc -A)', '/api/v1/services', { Accept: TABLE }, rowsOf],
      [`one namespace (${perNs}), JSON`, `/api/v1/namespaces/${ns(42)}/services`, {}, items],
      ['limit=500, first page', '/api/v1/services?limit=500', {}, items],
      ['limit=500, every page (continue)', '/api/v1/services?limit=500', {}, items],
    ];
    const rows: ListRow[] = [];
    for (const [what, path, headers, count] of cases) {
      const once = () => walk(c, path, headers, what.includes('every page'), count);
      for (let i = 0; i < WARMUPS; i++) await once();
      const times: number[] = [];
      let last: Sample = { items: 0, bytes: 0, requests: 0, ms: 0 };
      const cpu0 = cpuSeconds(kd.pid);
      const own0 = process.cpuUsage();
      const busy0 = machineBusySeconds();
      const capAt = performance.now() + CASE_CAP_MS;
      for (let i = 0; i < runs && performance.now() < capAt; i++) {
        last = await once();
        times.push(last.ms);
      }
      const serverS = cpuSeconds(kd.pid) - cpu0;
      const own = process.cpuUsage(own0);
      const otherS = Math.max(0, machineBusySeconds() - busy0 - serverS - (own.user + own.system) / 1e6);
      const s = summarize(times);
      rows.push({ what, path, requests: last.requests, items: last.items, bytes: last.bytes, runs: s.n, p50Ms: s.p50, p99Ms: s.p99,
        serverCpuMs: (serverS * 1000) / s.n, otherCpuMs: (otherS * 1000) / s.n });
    }
    return { services: total, namespaces: nsCount, populate, rows };
  } finally {
    closeAll(conns);
    await kd.stop();
  }
}
