// A small keep-alive HTTP/1.1 client over node:http. One HttpClient = one TCP connection (an Agent
// with maxSockets 1), so "16 clients" means 16 keep-alive connections. Every request has a deadline.

import http from 'node:http';

/** `ms`: request sent → last byte received (before the body is decoded). */
export interface Response { status: number; body: string; bytes: number; ms: number }

const REQUEST_TIMEOUT_MS = 30_000;

export class HttpClient {
  private readonly host: string;
  private readonly port: number;
  private readonly agent: http.Agent;

  constructor(baseURL: string) {
    const u = new URL(baseURL);
    if (!/^127\.|^localhost$|^\[::1\]$/.test(u.hostname)) throw new Error(`benchmarks talk to loopback only, not ${u.hostname}`);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const h: Record<string, string | number> = { ...headers };
      if (body !== undefined) { h['Content-Type'] ??= 'application/json'; h['Content-Length'] = Buffer.byteLength(body); }
      const req = http.request({ host: this.host, port: this.port, method, path, agent: this.agent, headers: h }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const elapsed = performance.now() - t0;
          const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, body: buf.toString('utf8'), bytes: buf.length, ms: elapsed });
        });
        res.on('error', reject);
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like request(), but throws unless the status is `want`. */
  async expect(want: number, method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Response> {
    const r = await this.request(method, path, body, headers);
    if (r.status !== want) throw new Error(`${method} ${path}: want ${want}, got ${r.status}: ${r.body.slice(0, 400)}`);
    return r;
  }

  close(): void { this.agent.destroy(); }
}

/** `n` clients to the same server; close them with closeAll. */
export function clients(baseURL: string, n: number): HttpClient[] {
  return Array.from({ length: n }, () => new HttpClient(baseURL));
}

export function closeAll(cs: HttpClient[]): void { for (const c of cs) c.close(); }
