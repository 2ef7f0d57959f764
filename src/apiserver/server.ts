// The HTTP front of the API server: routing, content negotiation, verbs. Kind-specific behaviour lives
// in registry/, storage semantics in store.ts, and every error leaves through errors.ts.

import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeleteOptions, KObject } from '../api/meta.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import { badRequest, methodNotAllowed, notFound, pageNotFound, StatusError, unsupportedMediaType, field, invalid, GoLiteral } from '../api/status.ts';
import { matchesLabels, parseLabelSelector } from '../api/selectors.ts';
import { convertFieldSelector, fieldsMatch, parseFieldSelector, selectableFields } from '../api/fields.ts';
import { fieldValidationDirective, strictDecodingErrors, strictDecodingErrorText, strictDecodingMessage, unknownFields, warningTexts } from '../api/schema/index.ts';
import { selectorFromLabelSelector, selectorToString } from '../api/selectors.ts';
import { decodeObject, mediaType, parseJson, parseYamlBody, PATCH_TYPES, readBody, responseFormat, sendObject, type PatchType, type ResponseFormat } from './codec.ts';
import { writeStatus } from './errors.ts';
import { parseResourcePath } from './request-info.ts';
import { Store, type WriteResult } from './store.ts';
import { serveWatch, DEFAULT_WATCH_TUNING, type WatchTuning } from './watch.ts';
import { parseIncludeObject, toTable, type IncludeObject } from './tables/index.ts';
import { discoveryResponse } from './discovery.ts';
import { OPENAPI_V2_CONTENT_TYPE, openapiV2Protobuf, openapiV3Document, openapiV3Root } from './openapi.ts';
import { versionInfo } from './version.ts';
import { jsonMergePatch, jsonPatch, serverSideApply, smpSchemaFor, strategicMergePatch } from './patch/index.ts';
import { Metrics } from './metrics.ts';
import { applyBinding } from './registry/pod.ts';

export interface HealthCheck {
  name: string;
  /** Returns '' when healthy, otherwise the reason. */
  check(): string;
}

export interface ApiServerOptions {
  store: Store;
  host: string;
  port: number;
  readyChecks?: HealthCheck[];
  watchTuning?: WatchTuning;
  now?: () => number;
}

export class ApiServer {
  readonly store: Store;
  private readonly server: http.Server;
  private readonly opts: ApiServerOptions;
  private readonly readyChecks: HealthCheck[];
  private readonly metricsSources: Array<() => string> = [];
  readonly metrics = new Metrics();
  private readonly now: () => number;

  constructor(opts: ApiServerOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.readyChecks = [...(opts.readyChecks ?? [])];
    this.now = opts.now ?? Date.now;
    this.server = http.createServer({ keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
      const started = performance.now();
      res.on('error', () => {});
      res.on('finish', () => this.metrics.observeRequest(req.method ?? '', res.statusCode, performance.now() - started));
      this.handle(req, res).catch((e) => writeStatus(res, e));
    });
    this.server.on('clientError', (_err, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'); else socket.destroy(); });
  }

  addReadyCheck(c: HealthCheck): void { this.readyChecks.push(c); }

  /** Adds Prometheus text from another component of the same process to /metrics. */
  addMetricsSource(render: () => string): void { this.metricsSources.push(render); }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => { this.server.off('error', reject); resolve(); });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ----------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const accept = req.headers.accept;

    if (path === '/healthz' || path === '/livez' || path === '/readyz' || path.startsWith('/readyz/') || path.startsWith('/livez/') || path.startsWith('/healthz/')) {
      return this.serveHealth(res, path, url.searchParams.has('verbose'));
    }
    if (method !== 'GET' && !path.startsWith('/api/') && !path.startsWith('/apis/')) throw methodNotAllowed(method, path);
    if (path === '/version' || path === '/version/') return sendObject(res, 200, versionInfo(), { table: false, yaml: false });
    if (path === '/metrics') {
      const text = [this.metrics.render(), ...this.metricsSources.map((f) => f())].join('');
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return;
    }
    if (path === '/openapi/v2' || path === '/swagger-2.0.0.pb-v1') {
      const body = openapiV2Protobuf();
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_CONTENT_TYPE, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private' });
      res.end(body);
      return;
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return sendObject(res, 200, openapiV3Root(), { table: false, yaml: false });
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw pageNotFound();
      res.setHeader('Cache-Control', url.searchParams.has('hash') ? 'public, immutable' : 'no-cache, private');
      return sendObject(res, 200, doc, { table: false, yaml: false });
    }
    const disco = discoveryResponse(path, accept, { serverAddress: req.headers.host });
    if (disco) {
      const text = JSON.stringify(disco.body);
      const headers: Record<string, string | number> = { 'Content-Type': disco.contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' };
      if (disco.etag) headers['ETag'] = disco.etag;
      res.writeHead(200, headers);
      res.end(text);
      return;
    }
    const rr = parseResourcePath(path);
    if (!rr) throw pageNotFound();
    this.metrics.observeResource(rr.info.plural);
    return this.serveResource(req, res, url, rr.info, rr.namespace, rr.name, rr.subresource);
  }

  private serveHealth(res: ServerResponse, path: string, verbose: boolean): void {
    const checks: Array<{ name: string; err: string }> = [{ name: 'ping', err: '' }];
    if (path.startsWith('/readyz')) for (const c of this.readyChecks) checks.push({ name: c.name, err: safeCheck(c) });
    const failed = checks.filter((c) => c.err);
    const ok = failed.length === 0;
    let body: string;
    if (verbose || !ok) {
      body = checks.map((c) => (c.err ? `[-]${c.name} failed: ${c.err}` : `[+]${c.name} ok`)).join('\n') + '\n' + (ok ? `${path.slice(1).split('/')[0]} check passed\n` : `${path.slice(1).split('/')[0]} check failed\n`);
    } else {
      body = 'ok';
    }
    res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private' });
    res.end(body);
  }

  private async serveResource(req: IncomingMessage, res: ServerResponse, url: URL, info: ResourceInfo, namespace: string, name: string, sub: string): Promise<void> {
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    const fmt = responseFormat(req.headers.accept);
    const dryRun = parseDryRun(q);
    const explicitManager = q.get('fieldManager') ?? undefined;
    if (explicitManager !== undefined && (explicitManager.length > 128 || /[^\x20-\x7e]/.test(explicitManager))) {
      throw badRequest('fieldManager must be distinct and non-empty printable ascii of at most 128 characters');
    }
    // Without ?fieldManager kube names the manager after the user agent's first word (prefixFromUserAgent).
    const fieldManager = explicitManager ?? managerFromUserAgent(req.headers['user-agent']);

    if (method === 'GET') {
      if (!name) {
        const watch = q.get('watch');
        if (watch === 'true' || watch === '1') return this.serveWatchRequest(req, res, info, namespace, q, fmt);
        return this.serveList(res, info, namespace, q, fmt);
      }
      if (sub === 'scale') return sendObject(res, 200, toScale(await this.store.get(info, namespace, name)), fmt);
      if (sub && sub !== 'status') throw methodNotAllowed(method, info.plural);
      const obj = (await this.store.getKV(info, namespace, name)).obj;
      return this.sendOne(res, 200, info, obj, fmt, q, []);
    }

    if (method === 'POST') {
      if (info.plural === 'pods' && sub === 'binding') return this.serveBinding(req, res, namespace, name, dryRun);
      if (name) throw methodNotAllowed(method, info.plural);
      const raw = await readBody(req);
      const body = decodeObject(raw, req.headers['content-type']) as KObject;
      const warnings = this.fieldValidation(info, body, q, { raw: isJson(req) ? raw : undefined, verb: 'write' });
      const r = await this.store.create(info, namespace, body, { dryRun, fieldManager });
      return this.sendOne(res, 201, info, r.object, fmt, q, [...warnings, ...r.warnings]);
    }

    if (!name) {
      if (method === 'DELETE') return this.serveDeleteCollection(req, res, info, namespace, q, dryRun, fmt);
      throw methodNotAllowed(method, info.plural);
    }

    if (method === 'PUT') {
      const raw = await readBody(req);
      const body = decodeObject(raw, req.headers['content-type']) as KObject;
      if (sub === 'scale') return this.serveScaleWrite(res, info, namespace, name, () => body, dryRun, fmt);
      const warnings = this.fieldValidation(info, body, q, { raw: isJson(req) ? raw : undefined, verb: 'write' });
      const mode = sub === 'status' ? 'status' : sub === 'finalize' ? 'finalize' : 'main';
      const r = await this.store.update(info, namespace, name, body, mode, { dryRun, fieldManager });
      return this.sendOne(res, r.created ? 201 : 200, info, r.object, fmt, q, [...warnings, ...r.warnings]);
    }

    if (method === 'PATCH') return this.servePatch(req, res, info, namespace, name, sub, q, dryRun, fieldManager, explicitManager, fmt);

    if (method === 'DELETE') {
      const options = await readDeleteOptions(req, q);
      const r = await this.store.delete(info, namespace, name, options, { dryRun });
      return this.sendOne(res, r.deleted ? 200 : 202, info, r.object, fmt, q, []);
    }
    throw methodNotAllowed(method, info.plural);
  }

  private async serveList(res: ServerResponse, info: ResourceInfo, namespace: string, q: URLSearchParams, fmt: ResponseFormat): Promise<void> {
    const predicate = buildPredicate(info, q);
    const limit = q.has('limit') ? Number(q.get('limit')) : 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw badRequest(`invalid value for limit: ${q.get('limit')}`);
    const list = await this.store.list(info, namespace, { predicate, limit, continueToken: q.get('continue') ?? undefined });
    const listMeta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
    if (list.continueToken) listMeta.continue = list.continueToken;
    if (list.remainingItemCount !== undefined) listMeta.remainingItemCount = list.remainingItemCount;
    if (fmt.table) {
      const table = toTable(info, list.items, { now: this.now(), includeObject: includeObjectParam(q), listMeta });
      return sendObject(res, 200, table, { table: true, yaml: false });
    }
    return sendObject(res, 200, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata: listMeta, items: list.items }, fmt);
  }

  private async serveWatchRequest(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, namespace: string, q: URLSearchParams, fmt: ResponseFormat): Promise<void> {
    const predicate = buildPredicate(info, q);
    const timeout = q.get('timeoutSeconds');
    const timeoutSeconds = timeout === null ? undefined : Number(timeout);
    if (timeoutSeconds !== undefined && (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0)) throw badRequest(`invalid value for timeoutSeconds: ${timeout}`);
    const includeObject = includeObjectParam(q);
    const sendInitialEvents = q.get('sendInitialEvents') === 'true';
    if (sendInitialEvents && q.get('allowWatchBookmarks') !== 'true') {
      throw invalid('ListOptions', 'meta.k8s.io', '', [field.forbidden('allowWatchBookmarks', 'allowWatchBookmarks must be set to true when sendInitialEvents is specified')]);
    }
    await serveWatch(req, res, this.store, info, namespace, {
      resourceVersion: q.get('resourceVersion') ?? '',
      predicate,
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      sendInitialEvents,
      timeoutSeconds,
      contentType: fmt.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      render: fmt.table
        ? (o, first) => {
          const t = toTable(info, [o], { now: this.now(), includeObject, listMeta: { resourceVersion: o.metadata.resourceVersion } });
          return first ? t : { ...t, columnDefinitions: [] };
        }
        : (o) => o,
    }, this.opts.watchTuning ?? DEFAULT_WATCH_TUNING);
  }

  private async servePatch(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, namespace: string, name: string, sub: string, q: URLSearchParams, dryRun: boolean, fieldManager: string, explicitManager: string | undefined, fmt: ResponseFormat): Promise<void> {
    const ct = mediaType(req.headers['content-type']);
    if (!(PATCH_TYPES as readonly string[]).includes(ct)) {
      throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
    }
    const type = ct as PatchType;
    const raw = await readBody(req);
    if (raw.length === 0) throw badRequest('the body of the request is empty');
    const patch = type === 'application/apply-patch+yaml' ? parseYamlBody(raw) : parseJson(raw);
    const schema = sub === 'scale' ? smpSchemaFor('autoscaling/v1', 'Scale') : smpSchemaFor(apiVersionOf(info), info.kind);
    const applyPatch = (current: KObject): KObject => {
      switch (type) {
        case 'application/merge-patch+json': return jsonMergePatch(current, patch) as KObject;
        case 'application/json-patch+json': return jsonPatch(current, patch) as KObject;
        case 'application/strategic-merge-patch+json': return strategicMergePatch(current, patch, schema) as KObject;
        default: throw unsupportedMediaType(ct);
      }
    };

    if (sub === 'scale') {
      if (type === 'application/apply-patch+yaml') throw unsupportedMediaType(ct);
      return this.serveScaleWrite(res, info, namespace, name, (scale) => applyPatch(scale), dryRun, fmt);
    }

    const mode = sub === 'status' ? 'status' : 'main';
    if (type === 'application/apply-patch+yaml') {
      if (!explicitManager) throw invalid('PatchOptions', 'meta.k8s.io', '', [field.required('fieldManager', 'is required for apply patch')]);
      const manager = explicitManager;
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw badRequest('error decoding YAML: the apply patch must be an object');
      const applied = patch as KObject;
      const warnings = this.fieldValidation(info, applied, q, { verb: 'apply' });
      const force = q.get('force') === 'true';
      const nowIso = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const existing = await this.store.getKV(info, namespace, name).then((x) => x.obj, (e) => { if (e instanceof StatusError && e.reason === 'NotFound') return undefined; throw e; });
      if (!existing) {
        if (mode !== 'main') throw notFound(info.plural, name, info.group);
        const obj = serverSideApply(undefined, { ...applied, metadata: { ...(applied.metadata ?? {}), name } }, { manager, force, schema, now: nowIso });
        const r = await this.store.create(info, namespace, obj, { dryRun, fieldManager, applied: true });
        return this.sendOne(res, 201, info, r.object, fmt, q, [...warnings, ...r.warnings]);
      }
      const r = await this.store.modify(info, namespace, name, (cur) => serverSideApply(cur, applied, { manager, force, schema, now: nowIso, subresource: sub || undefined }), mode, { dryRun, fieldManager, applied: true });
      return this.sendOne(res, 200, info, r.object, fmt, q, [...warnings, ...r.warnings]);
    }

    let validationWarnings: string[] = [];
    const r = await this.store.modify(info, namespace, name, (cur) => {
      const next = applyPatch(cur);
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw badRequest('the patch produced a value that is not an object');
      validationWarnings = this.fieldValidation(info, next, q, { verb: 'patch' });
      return next;
    }, mode, { dryRun, fieldManager });
    return this.sendOne(res, 200, info, r.object, fmt, q, [...validationWarnings, ...r.warnings]);
  }

  /** GET/PUT/PATCH of autoscaling/v1 Scale: only spec.replicas of the parent object changes. */
  private async serveScaleWrite(res: ServerResponse, info: ResourceInfo, namespace: string, name: string, toNewScale: (scale: KObject) => KObject, dryRun: boolean, fmt: ResponseFormat): Promise<void> {
    const r = await this.store.modify(info, namespace, name, (cur) => {
      const scale = toNewScale(toScale(cur));
      const replicas = scale?.spec?.replicas;
      const rv = scale?.metadata?.resourceVersion;
      if (rv && rv !== cur.metadata.resourceVersion) return { ...cur, metadata: { ...cur.metadata, resourceVersion: rv } };
      if (replicas === undefined || replicas === null) {
        throw invalid('Scale', 'autoscaling', name, [field.required('spec.replicas')]);
      }
      if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
      if (replicas < 0) throw invalid('Scale', 'autoscaling', name, [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
      cur.spec = { ...(cur.spec ?? {}), replicas };
      return cur;
    }, 'main', { dryRun });
    return sendObject(res, 200, toScale(r.object), fmt, r.warnings);
  }

  /** POST pods/{name}/binding (pkg/registry/core/pod/storage/storage.go BindingREST). */
  private async serveBinding(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, dryRun: boolean): Promise<void> {
    const pods = parseResourcePath(`/api/v1/namespaces/${namespace}/pods`)!.info;
    const binding = decodeObject(await readBody(req), req.headers['content-type']) as KObject;
    if (binding === null || typeof binding !== 'object' || Array.isArray(binding)) throw badRequest('the body of the request must be a Binding object');
    const now = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.store.modify(pods, namespace, name, (pod) => applyBinding(pod, binding, name, now), 'binding', { dryRun });
    sendObject(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, { table: false, yaml: false });
  }

  private async serveDeleteCollection(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, namespace: string, q: URLSearchParams, dryRun: boolean, fmt: ResponseFormat): Promise<void> {
    const options = await readDeleteOptions(req, q);
    const predicate = buildPredicate(info, q);
    const list = await this.store.list(info, namespace, { predicate });
    const items: KObject[] = [];
    for (const o of list.items) {
      try {
        const r = await this.store.delete(info, o.metadata.namespace ?? '', o.metadata.name!, options, { dryRun });
        items.push(r.object);
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
      }
    }
    return sendObject(res, 200, { kind: info.listKind, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(this.store.backend.currentRevision()) }, items }, fmt);
  }

  private sendOne(res: ServerResponse, code: number, info: ResourceInfo, obj: KObject, fmt: ResponseFormat, q: URLSearchParams, warnings: string[]): void {
    if (fmt.table) {
      const table = toTable(info, [obj], { now: this.now(), includeObject: includeObjectParam(q), listMeta: { resourceVersion: obj.metadata.resourceVersion } });
      return sendObject(res, code, table, { table: true, yaml: false }, warnings);
    }
    sendObject(res, code, obj, fmt, warnings);
  }

  /**
   * fieldValidation (handlers/create.go, update.go, patch.go): Strict rejects unknown and duplicate fields,
   * Warn (the default, also for an empty value) turns them into Warning headers, Ignore does nothing.
   * Create and update fail with 400 BadRequest; patches fail with 422 on field "patch"; server-side apply
   * fails with structured-merge-diff's "field not declared in schema" (see src/api/schema/README.md).
   */
  private fieldValidation(info: ResourceInfo, body: KObject, q: URLSearchParams, how: { raw?: Buffer; verb: 'write' | 'patch' | 'apply' } = { verb: 'write' }): string[] {
    const value = q.get('fieldValidation');
    const mode = fieldValidationDirective(value);
    if (!mode) {
      throw invalid(how.verb === 'write' ? 'CreateOptions' : 'PatchOptions', 'meta.k8s.io', '', [field.notSupported('fieldValidation', value, ['Ignore', 'Strict', 'Warn'])]);
    }
    if (mode === 'Ignore' || body === null || typeof body !== 'object') return [];
    const apiVersion = apiVersionOf(info);
    const problems = (how.raw ? strictDecodingErrors(apiVersion, info.kind, how.raw) : null) ?? unknownFields(apiVersion, info.kind, body);
    if (!problems.length) return [];
    if (how.verb === 'apply') {
      const first = problems[0];
      const path = typeof first === 'string' ? first : first.path;
      throw badRequest(`failed to create typed patch object (${body.metadata?.namespace ?? q.get('namespace') ?? ''}/${body.metadata?.name ?? ''}; ${apiVersion}, Kind=${info.kind}): .${path}: field not declared in schema`);
    }
    if (mode === 'Warn') return warningTexts(problems);
    if (how.verb === 'patch') {
      throw invalid('', '', '', [field.invalid('patch', new GoLiteral(JSON.stringify(body)), strictDecodingErrorText(problems))]);
    }
    throw badRequest(strictDecodingMessage(info.kind, info.version, problems));
  }

}

/** prefixFromUserAgent: `kubectl/v1.32.4 (linux/amd64) …` → `kubectl`. */
function managerFromUserAgent(ua: string | undefined): string {
  const first = (ua ?? '').split('/')[0].trim();
  return first && first.length <= 128 ? first : 'unknown';
}

function isJson(req: IncomingMessage): boolean {
  const mt = mediaType(req.headers['content-type']);
  return mt === 'application/json' || mt === '';
}

function safeCheck(c: HealthCheck): string {
  try { return c.check(); } catch (e) { return (e as Error).message; }
}

function parseDryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.length === 0) return false;
  for (const x of v) if (x !== 'All') throw badRequest(`dryRun: Unsupported value: ${JSON.stringify(x)}: supported values: "All"`);
  return true;
}

function includeObjectParam(q: URLSearchParams): IncludeObject {
  return parseIncludeObject(q.get('includeObject'));
}

/** labelSelector and fieldSelector → one predicate. Unsupported field labels are a 400, as in kube. */
export function buildPredicate(info: ResourceInfo, q: URLSearchParams): (o: KObject) => boolean {
  const ls = q.get('labelSelector');
  const fs = q.get('fieldSelector');
  const labelSel = ls ? parseOrBadRequest(() => parseLabelSelector(ls)) : undefined;
  // convertFieldSelector checks each label against the kind (kube's exact 400 texts) and maps aliases such as spec.host.
  const fieldSel = fs ? parseOrBadRequest(() => convertFieldSelector(info.kind, parseFieldSelector(fs))) : undefined;
  if (!labelSel && !fieldSel) return () => true;
  return (o) => (!labelSel || matchesLabels(labelSel, o.metadata.labels ?? {})) && (!fieldSel || fieldsMatch(fieldSel, selectableFields(info.kind, o)));
}

function parseOrBadRequest<T>(f: () => T): T {
  try { return f(); } catch (e) { if (e instanceof StatusError) throw e; throw badRequest((e as Error).message); }
}

async function readDeleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  let o: DeleteOptions = {};
  if (raw.length) {
    const parsed = decodeObject(raw, req.headers['content-type'] ?? 'application/json');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('DeleteOptions must be an object');
    o = parsed as DeleteOptions;
  }
  if (q.has('gracePeriodSeconds')) o.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy')) o.propagationPolicy = q.get('propagationPolicy') as DeleteOptions['propagationPolicy'];
  if (q.has('orphanDependents')) o.orphanDependents = q.get('orphanDependents') === 'true';
  return o;
}

/** The autoscaling/v1 Scale view of an object (pkg/registry/apps/statefulset/storage/storage.go). */
export function toScale(obj: KObject): KObject {
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: obj.spec?.selector ? selectorToString(selectorFromLabelSelector(obj.spec.selector)) : '' },
  };
}
