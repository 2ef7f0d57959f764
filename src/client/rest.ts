// REST client over node:http/https with a keep-alive agent, and typed per-resource clients built from the
// RESOURCES table (src/api/resources.ts). JSON in, JSON out; a non-2xx answer throws the StatusError the
// server's metav1.Status describes (errors.ts). Warning headers (`299 - "text"`) go to a callback.

import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { DeleteOptions, KList, KObject } from '../api/meta.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import type { Status } from '../api/status.ts';
import { ConnectionError, genericServerResponse, isStatusBody, statusErrorFromStatus } from './errors.ts';
import type { ClientConfig } from './kubeconfig.ts';
import { WatchStream } from './watch.ts';

export interface Warning {
  code: number;
  agent: string;
  text: string;
}

export interface RestClientOptions {
  /** Sent as User-Agent (client-go: `<binary>/<version> (<os>/<arch>) kubernetes/<commit>`). */
  userAgent?: string;
  /** Called once per Warning header entry of every response, watches included. */
  onWarning?: (w: Warning) => void;
  /** Per-agent socket limit (default 100). */
  maxSockets?: number;
  /** Timeout for non-watch requests in ms (default: none, as client-go). */
  requestTimeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server URL, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Content-Type of the body (default application/json). */
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** For error messages without a Status body: `(get services web)`. */
  resource?: { group?: string; resource?: string };
  name?: string;
}

/**
 * Parses Warning header values (RFC 7234 §5.5 as client-go's ParseWarningHeaders): `<3 digits> <agent>
 * "<text>"[ "<date>"]`, several per value separated by commas. Parsing stops at the first malformed entry.
 */
export function parseWarningHeaders(values: readonly string[]): Warning[] {
  const out: Warning[] = [];
  const re = /^\s*([0-9]{3}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?\s*(,|$)/;
  for (const value of values) {
    let rest = value;
    while (rest.trim() !== '') {
      const m = re.exec(rest);
      if (!m) break;
      out.push({ code: Number(m[1]), agent: m[2], text: m[3].replace(/\\(.)/g, '$1') });
      rest = rest.slice(m[0].length);
    }
  }
  return out;
}

function buildQuery(q: Record<string, QueryValue> | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

function headerList(h: IncomingHttpHeaders, name: string): string[] {
  const v = h[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new ConnectionError('response aborted', 'ECONNRESET')));
  });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The HTTP layer: one per API server; shares its keep-alive agent among every resource client. */
export class RestClient {
  readonly config: ClientConfig;
  private readonly opts: RestClientOptions;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;
  private readonly authHeader: string | undefined;

  constructor(config: ClientConfig, opts: RestClientOptions = {}) {
    this.config = config;
    this.opts = opts;
    this.base = new URL(config.server);
    this.isHttps = this.base.protocol === 'https:';
    if (!this.isHttps && this.base.protocol !== 'http:') throw new Error(`unsupported server URL scheme: ${config.server}`);
    const tls = config.tls;
    const read = (data: string | undefined, file: string | undefined) => data ?? (file ? readFileSync(file, 'utf8') : undefined);
    this.agent = this.isHttps
      ? new https.Agent({
        keepAlive: true,
        maxSockets: opts.maxSockets ?? 100,
        ca: read(tls.caData, tls.caFile),
        cert: read(tls.certData, tls.certFile),
        key: read(tls.keyData, tls.keyFile),
        rejectUnauthorized: tls.insecureSkipTLSVerify !== true,
        servername: tls.serverName,
      })
      : new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 100 });
    const a = config.auth;
    const token = a.token ?? (a.tokenFile ? readFileSync(a.tokenFile, 'utf8').trim() : undefined);
    if (token) this.authHeader = `Bearer ${token}`;
    else if (a.username !== undefined) this.authHeader = `Basic ${Buffer.from(`${a.username}:${a.password ?? ''}`).toString('base64')}`;
  }

  /** A typed client for one resource; namespace '' (or omitted) means all namespaces for list/watch. */
  resource<T extends KObject = KObject>(info: ResourceInfo, namespace = ''): ResourceClient<T> {
    return new ResourceClient<T>(this, info, namespace);
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  private url(path: string, query?: Record<string, QueryValue>): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return new URL(`${this.base.origin}${prefix}${path}${buildQuery(query)}`);
  }

  private send(o: RequestOptions, timeoutMs: number | undefined): Promise<{ req: http.ClientRequest; res: IncomingMessage }> {
    const url = this.url(o.path, o.query);
    const headers: Record<string, string> = { Accept: o.accept ?? 'application/json' };
    if (this.opts.userAgent) headers['User-Agent'] = this.opts.userAgent;
    if (this.authHeader) headers.Authorization = this.authHeader;
    let payload: Buffer | undefined;
    if (o.body !== undefined) {
      payload = Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
      headers['Content-Type'] = o.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const mod = this.isHttps ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: o.method, headers, agent: this.agent, signal: o.signal }, (res) => {
        for (const w of parseWarningHeaders(headerList(res.headers, 'warning'))) this.opts.onWarning?.(w);
        resolve({ req, res });
      });
      if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new ConnectionError(`request timed out after ${timeoutMs}ms`, 'ETIMEDOUT')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        reject(e instanceof ConnectionError || e.name === 'AbortError' ? e : new ConnectionError(`${o.method} ${url.pathname}: ${e.message}`, e.code, e));
      });
      req.end(payload);
    });
  }

  private toError(o: RequestOptions, status: number, headers: IncomingHttpHeaders, body: Buffer): Error {
    const text = body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (isStatusBody(parsed)) return statusErrorFromStatus(parsed, status);
    const ct = String(headers['content-type'] ?? '');
    const isText = ct.startsWith('text/');
    const message = isText ? text.slice(0, 1024).trim() : 'unknown';
    const retryAfter = Number(headers['retry-after']);
    return genericServerResponse(status, o.method, o.resource ?? {}, o.name ?? '', message,
      (status === 429 || status >= 500) && Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : 0);
  }

  /** Sends a request and returns status, headers and body without interpreting them. */
  async requestRaw(o: RequestOptions): Promise<RawResponse> {
    const { res } = await this.send(o, this.opts.requestTimeoutMs);
    const body = await readAll(res);
    return { status: res.statusCode ?? 0, headers: res.headers, body };
  }

  /** JSON request: the decoded body on 2xx, a StatusError otherwise. */
  async request<T = unknown>(o: RequestOptions): Promise<T> {
    const r = await this.requestRaw(o);
    if (r.status < 200 || r.status > 299) throw this.toError(o, r.status, r.headers, r.body);
    const text = r.body.toString('utf8');
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`${o.method} ${o.path}: response is not JSON: ${(e as Error).message}`);
    }
  }

  /**
   * Opens a streaming GET (watch). Resolves once the 200 headers arrive; a non-2xx answer rejects with its
   * StatusError (e.g. a bare 410 for a too-old resourceVersion).
   */
  async watch<T = KObject>(o: Omit<RequestOptions, 'method' | 'body'>): Promise<WatchStream<T>> {
    const { req, res } = await this.send({ ...o, method: 'GET' }, undefined);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const body = await readAll(res);
      throw this.toError({ ...o, method: 'GET' }, status, res.headers, body);
    }
    return new WatchStream<T>(res, () => req.destroy());
  }
}

// ---------------------------------------------------------------------------------------------
// Typed resource clients.

export interface ListOptions {
  /** Aborts the request (the promise rejects with an AbortError). */
  signal?: AbortSignal;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  timeoutSeconds?: number;
}

export interface WatchOptions {
  /** Aborts opening the watch; once open, use WatchStream.stop(). */
  signal?: AbortSignal;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  /** e.g. 'status' or 'scale'. */
  subresource?: string;
}

/** autoscaling/v1 Scale, the /scale subresource's view. */
export interface Scale extends KObject {
  apiVersion?: string;
  kind?: string;
  spec: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

function writeQuery(o: WriteOptions | undefined): Record<string, QueryValue> {
  return { dryRun: o?.dryRun ? ['All'] : undefined, fieldManager: o?.fieldManager, fieldValidation: o?.fieldValidation };
}

/**
 * Verbs on one resource. Namespaced resources need a namespace for single-object verbs: the client's own,
 * else (create/update) the object's metadata.namespace.
 */
export class ResourceClient<T extends KObject = KObject> {
  readonly rest: RestClient;
  readonly info: ResourceInfo;
  readonly namespace: string;

  constructor(rest: RestClient, info: ResourceInfo, namespace = '') {
    this.rest = rest;
    this.info = info;
    this.namespace = info.namespaced ? namespace : '';
  }

  /** The same resource bound to another namespace ('' = all namespaces). */
  inNamespace(namespace: string): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.info, namespace);
  }

  /** `/api/v1[/namespaces/ns]/plural` or `/apis/group/version[/namespaces/ns]/plural`. */
  collectionPath(namespace = this.namespace): string {
    const root = this.info.group ? `/apis/${this.info.group}/${this.info.version}` : `/api/${this.info.version}`;
    const ns = this.info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${root}${ns}/${this.info.plural}`;
  }

  objectPath(name: string, namespace = this.namespace, subresource?: string): string {
    if (!name) throw new Error(`resource name may not be empty`);
    if (this.info.namespaced && !namespace) throw new Error(`a namespace is required to address ${this.info.plural} "${name}"`);
    return `${this.collectionPath(namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
  }

  private nsOf(obj: KObject): string {
    return this.namespace || obj.metadata?.namespace || '';
  }

  private gr() {
    return { group: this.info.group, resource: this.info.plural };
  }

  async get(name: string, opts: { resourceVersion?: string } = {}): Promise<T> {
    return this.rest.request<T>({ method: 'GET', path: this.objectPath(name), query: { resourceVersion: opts.resourceVersion }, resource: this.gr(), name });
  }

  async list(opts: ListOptions = {}): Promise<KList<T>> {
    return this.rest.request<KList<T>>({
      method: 'GET',
      path: this.collectionPath(),
      query: {
        labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit, continue: opts.continue,
        resourceVersion: opts.resourceVersion, resourceVersionMatch: opts.resourceVersionMatch, timeoutSeconds: opts.timeoutSeconds,
      },
      resource: this.gr(),
      signal: opts.signal,
    });
  }

  async watch(opts: WatchOptions = {}): Promise<WatchStream<T>> {
    return this.rest.watch<T>({
      path: this.collectionPath(),
      query: {
        watch: 'true',
        labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion,
        resourceVersionMatch: opts.resourceVersionMatch, allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds, sendInitialEvents: opts.sendInitialEvents === undefined ? undefined : String(opts.sendInitialEvents),
      },
      resource: this.gr(),
      signal: opts.signal,
    });
  }

  async create(obj: T, opts?: WriteOptions): Promise<T> {
    const ns = this.nsOf(obj);
    if (this.info.namespaced && !ns) throw new Error(`a namespace is required to create ${this.info.plural}`);
    return this.rest.request<T>({ method: 'POST', path: this.collectionPath(ns), query: writeQuery(opts), body: this.withTypeMeta(obj), resource: this.gr(), name: obj.metadata?.name });
  }

  async update(obj: T, opts?: WriteOptions): Promise<T> {
    const name = obj.metadata?.name ?? '';
    return this.rest.request<T>({ method: 'PUT', path: this.objectPath(name, this.nsOf(obj)), query: writeQuery(opts), body: this.withTypeMeta(obj), resource: this.gr(), name });
  }

  async updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    const name = obj.metadata?.name ?? '';
    return this.rest.request<T>({ method: 'PUT', path: this.objectPath(name, this.nsOf(obj), 'status'), query: writeQuery(opts), body: this.withTypeMeta(obj), resource: this.gr(), name });
  }

  /**
   * PATCH with the content type of `type`. `patch` is sent as JSON (a string is sent as is). Server-side
   * apply ('apply') needs opts.fieldManager.
   */
  async patch(name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    if (type === 'apply' && !opts.fieldManager) throw new Error('fieldManager is required for apply patches');
    return this.rest.request<T>({
      method: 'PATCH',
      path: this.objectPath(name, this.namespace, opts.subresource),
      query: { ...writeQuery(opts), force: type === 'apply' && opts.force ? 'true' : undefined },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      resource: this.gr(),
      name,
    });
  }

  /** DELETE with DeleteOptions in the body (as kubectl sends it). Returns the object or a Success Status. */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    const body: DeleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', ...opts };
    return this.rest.request<T | Status>({ method: 'DELETE', path: this.objectPath(name), body, resource: this.gr(), name });
  }

  /** DELETE on the collection (deletecollection) with list selectors. */
  async deleteCollection(listOpts: ListOptions = {}, opts: DeleteOptions = {}): Promise<KList<T> | Status> {
    const body: DeleteOptions = { kind: 'DeleteOptions', apiVersion: 'v1', ...opts };
    return this.rest.request<KList<T> | Status>({
      method: 'DELETE',
      path: this.collectionPath(),
      query: { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector, resourceVersion: listOpts.resourceVersion },
      body,
      resource: this.gr(),
    });
  }

  async getScale(name: string): Promise<Scale> {
    return this.rest.request<Scale>({ method: 'GET', path: this.objectPath(name, this.namespace, 'scale'), resource: this.gr(), name });
  }

  async updateScale(name: string, scale: Scale, opts?: WriteOptions): Promise<Scale> {
    const body: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale, metadata: { ...scale.metadata, name } };
    if (this.info.namespaced && !body.metadata.namespace && this.namespace) body.metadata.namespace = this.namespace;
    return this.rest.request<Scale>({ method: 'PUT', path: this.objectPath(name, this.namespace, 'scale'), query: writeQuery(opts), body, resource: this.gr(), name });
  }

  /** apiVersion and kind filled in when missing, as typed clients send them. */
  private withTypeMeta(obj: T): T {
    if (obj.apiVersion && obj.kind) return obj;
    return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(this.info), kind: obj.kind ?? this.info.kind };
  }
}
