// A small scriptable API server for client tests: node:http on 127.0.0.1, port 0. It records every request,
// lets a test answer any route itself, and emulates list/watch for collections:
//  - list: items + metadata.resourceVersion, paging with limit/continue, 410 for RVs marked expired;
//  - watch: by default the events after the requested RV, then live events (bookmarks on request); or a
//    test-provided script per watch request that writes whatever it wants (ERROR 410 events, half an event,
//    malformed JSON, a reset connection).
// It is a test double, not an API server: no validation, no selectors.

import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { KObject, WatchEventType } from '../../api/meta.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Remote port: a new value means a new TCP connection. */
  remotePort: number;
}

export type RouteHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface WatchSession {
  readonly query: URLSearchParams;
  /** Writes one event line. */
  send(type: WatchEventType, object: unknown): void;
  /** Writes raw text (no newline added). */
  raw(text: string): void;
  /** Ends the response cleanly (terminating chunk). */
  end(): void;
  /** Resets the connection mid-stream. */
  destroy(): void;
  /** Resolves when the client goes away or the session ends. */
  readonly closed: Promise<void>;
}

export type WatchScript = (s: WatchSession) => void | Promise<void>;

export function statusBody(code: number, reason: string, message: string, details?: unknown): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

interface HistoryEvent { rv: number; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KObject }

/** One emulated collection (e.g. /api/v1/namespaces/default/configmaps). */
export class FakeCollection {
  readonly path: string;
  readonly kind: string;
  readonly apiVersion: string;
  private readonly server: FakeApiServer;
  readonly items = new Map<string, KObject>();
  readonly history: HistoryEvent[] = [];
  /** List requests with these resourceVersions are answered 410 Expired. */
  readonly expiredListRVs = new Set<string>();
  /** Watches from an RV below this get an ERROR 410 event. */
  compactedRV = 0;
  /** Non-200 answers for the next list requests. */
  readonly listFailures: Array<{ code: number; body: unknown }> = [];
  /** Non-200 answers for the next watch requests (used before scripts), e.g. a bare 410. */
  readonly watchFailures: Array<{ code: number; body: unknown }> = [];
  /** Scripts for the next watch requests, used in order; when empty, watches are live. */
  readonly watchScripts: WatchScript[] = [];
  private readonly live = new Set<{ s: WatchSession; bookmarks: boolean }>();

  constructor(server: FakeApiServer, path: string, kind: string, apiVersion: string) {
    this.server = server;
    this.path = path;
    this.kind = kind;
    this.apiVersion = apiVersion;
  }

  private record(type: HistoryEvent['type'], object: KObject): KObject {
    const rv = this.server.nextRV();
    const obj: KObject = { apiVersion: this.apiVersion, kind: this.kind, ...object, metadata: { ...object.metadata, resourceVersion: String(rv) } };
    this.history.push({ rv, type, object: obj });
    for (const w of this.live) w.s.send(type, obj);
    return obj;
  }

  /** Creates or replaces an object (ADDED or MODIFIED), assigning the next resourceVersion. */
  put(object: KObject): KObject {
    const name = object.metadata.name!;
    const type = this.items.has(name) ? 'MODIFIED' : 'ADDED';
    const obj = this.record(type, object);
    this.items.set(name, obj);
    return obj;
  }

  /** Deletes an object (DELETED carries the final state with a new resourceVersion). */
  remove(name: string): KObject | undefined {
    const cur = this.items.get(name);
    if (!cur) return undefined;
    this.items.delete(name);
    return this.record('DELETED', cur);
  }

  /** Removes an object without any watch event (as if the event was missed). */
  removeSilently(name: string): void {
    this.items.delete(name);
    this.server.nextRV();
  }

  /** Sends a BOOKMARK with the current RV to live watchers that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.live) {
      if (w.bookmarks) w.s.send('BOOKMARK', { kind: this.kind, apiVersion: this.apiVersion, metadata: { resourceVersion: String(this.server.currentRV()) } });
    }
  }

  /** Ends every live watch cleanly. */
  closeWatches(): void {
    for (const w of [...this.live]) w.s.end();
  }

  get liveWatches(): number {
    return this.live.size;
  }

  serveList(q: URLSearchParams, res: ServerResponse): void {
    const rv = q.get('resourceVersion') ?? '';
    if (this.expiredListRVs.has(rv)) {
      sendJSON(res, 410, statusBody(410, 'Expired', `too old resource version: ${rv} (${this.server.currentRV()})`));
      return;
    }
    const all = [...this.items.values()].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const limit = Number(q.get('limit') ?? 0);
    const start = Number(q.get('continue') ?? 0);
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const next = limit > 0 && start + limit < all.length ? String(start + limit) : undefined;
    sendJSON(res, 200, {
      apiVersion: this.apiVersion,
      kind: `${this.kind}List`,
      metadata: { resourceVersion: String(this.server.currentRV()), ...(next ? { continue: next } : {}) },
      items: page,
    });
  }

  serveWatch(s: WatchSession): void {
    const script = this.watchScripts.shift();
    if (script) {
      void Promise.resolve(script(s)).catch(() => s.destroy());
      return;
    }
    const from = s.query.get('resourceVersion') ?? '';
    if (from === '' || from === '0') {
      for (const o of this.items.values()) s.send('ADDED', o);
    } else {
      const n = Number(from);
      if (n < this.compactedRV) {
        s.send('ERROR', statusBody(410, 'Expired', `too old resource version: ${from} (${this.compactedRV})`));
        s.end();
        return;
      }
      for (const e of this.history) if (e.rv > n) s.send(e.type, e.object);
    }
    const entry = { s, bookmarks: s.query.get('allowWatchBookmarks') === 'true' };
    this.live.add(entry);
    void s.closed.then(() => this.live.delete(entry));
  }
}

function sendJSON(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly routes: Array<{ method: string; path: string | RegExp; handler: RouteHandler }> = [];
  private readonly collections = new Map<string, FakeCollection>();
  private rv = 100;
  url = '';

  private constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(): Promise<FakeApiServer> {
    const f = new FakeApiServer();
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
    return f;
  }

  nextRV(): number {
    return ++this.rv;
  }

  currentRV(): number {
    return this.rv;
  }

  /** Answers METHOD path (exact string, or a RegExp on the path) with a handler; checked before collections. */
  on(method: string, path: string | RegExp, handler: RouteHandler): void {
    this.routes.unshift({ method, path, handler });
  }

  /** Answers METHOD path with a fixed JSON body. */
  reply(method: string, path: string | RegExp, code: number, body: unknown, headers: Record<string, string> = {}): void {
    this.on(method, path, (_req, res) => sendJSON(res, code, body, headers));
  }

  collection(path: string, kind: string, apiVersion = 'v1'): FakeCollection {
    let c = this.collections.get(path);
    if (!c) this.collections.set(path, (c = new FakeCollection(this, path, kind, apiVersion)));
    return c;
  }

  /** Requests whose path is `path` (and, if given, whose query has watch=true or not). */
  requestsTo(path: string, watch?: boolean): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (watch === undefined || (r.query.get('watch') === 'true') === watch));
  }

  private async handle(req: http.IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0,
    };
    this.requests.push(rec);
    try {
      for (const r of this.routes) {
        if (r.method !== rec.method) continue;
        if (typeof r.path === 'string' ? r.path !== rec.path : !r.path.test(rec.path)) continue;
        await r.handler(rec, res);
        return;
      }
      const c = this.collections.get(rec.path);
      if (c && rec.method === 'GET') {
        if (rec.query.get('watch') === 'true' || rec.query.get('watch') === '1') {
          const failure = c.watchFailures.shift();
          if (failure) sendJSON(res, failure.code, failure.body);
          else c.serveWatch(this.session(rec, res));
        }
        else {
          const failure = c.listFailures.shift();
          if (failure) sendJSON(res, failure.code, failure.body);
          else c.serveList(rec.query, res);
        }
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
    } catch (e) {
      if (!res.headersSent) sendJSON(res, 500, statusBody(500, 'InternalError', String(e)));
      else res.destroy();
    }
  }

  private session(rec: RecordedRequest, res: ServerResponse): WatchSession {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let resolveClosed!: () => void;
    const closed = new Promise<void>((r) => { resolveClosed = r; });
    res.on('close', () => resolveClosed());
    return {
      query: rec.query,
      send: (type, object) => { if (!res.writableEnded && !res.destroyed) res.write(JSON.stringify({ type, object }) + '\n'); },
      raw: (text) => { if (!res.writableEnded && !res.destroyed) res.write(text); },
      end: () => { if (!res.writableEnded) res.end(); resolveClosed(); },
      destroy: () => { res.destroy(); resolveClosed(); },
      closed,
    };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Polls cond until it holds. The bound is a safety net against hangs, not a timing assertion: it fails with
 * `what` when a behaviour never happens.
 */
export async function waitFor(cond: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
