// OpenAPI v3 documents, derived from RESOURCES (kubectl-compatibility.md §1 item 3, §2.3).
//
// What kubectl needs, and only that is load-bearing:
// - `GET /openapi/v3` → `{paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=H"}, ...}}`, one entry per
//   group version. Without it `apply -f`, `create -f` and `replace -f` fail with "failed to download openapi".
// - In each group-version document, for every kind, a `patch` operation with `x-kubernetes-group-version-kind`
//   (an object) and a `fieldValidation` query parameter. kubectl (cli-runtime query_param_verifier_v3) then
//   sends `fieldValidation=Strict` and leaves validation to the server. It stops at the *first* patch operation
//   it finds for a GVK, in map order, so every patch operation here (status and scale too) carries the parameter.
// - No `application/strategic-merge-patch+json` in any requestBody and no component schemas: with SMP advertised,
//   client-side apply would take merge keys from our schemas instead of its compiled-in Go types.
// The documents are otherwise real OpenAPI 3.0 (openapi, info, path parameters, operationIds and actions in
// kube's naming) so generic tools can read them.
//
// The hash in serverRelativeURL is kube-openapi's ETag: uppercase hex SHA-512 of the document bytes, so it changes
// whenever the document does (kubectl caches `?hash=` documents as immutable).
//
// /openapi/v2 is served as kube serves it, in protobuf only (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`;
// JSON is rejected by kubectl with "proto: cannot parse invalid wire-format data"), but as a minimal document
// with no definitions. kubectl 1.27 and 1.28 fetch it for every client-side `apply` and fail on a 404; finding
// no model for a kind, their patcher falls back to its compiled-in Go struct tags, which are exact for every
// built-in type. Newer kubectl only reads v3. What the empty document costs: `kubectl explain` and client-side
// validation of `kind: List` manifests (use --validate=false).

import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceInfo } from '../api/resources.ts';
import { KUBE_GIT_VERSION } from './version.ts';

/** kube-openapi's response type: the Accept form has an '@', which is not legal in a media type. */
export const OPENAPI_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * The minimal gnostic openapi_v2.Document: `swagger: "2.0"` (field 1), `info` {title, version} (field 2) and
 * empty `paths` (field 8), protobuf-encoded.
 */
export function openapiV2Protobuf(): Uint8Array {
  const str = (fieldNo: number, v: string) => { const b = Buffer.from(v, 'utf8'); return Buffer.concat([Buffer.from([(fieldNo << 3) | 2, b.length]), b]); };
  const msg = (fieldNo: number, body: Buffer) => Buffer.concat([Buffer.from([(fieldNo << 3) | 2, body.length]), body]);
  return Buffer.concat([str(1, '2.0'), msg(2, Buffer.concat([str(1, 'Kubernetes'), str(2, KUBE_GIT_VERSION)])), msg(8, Buffer.alloc(0))]);
}

type Json = Record<string, unknown>;

/** The root document's key for a group version: `api/v1`, `apis/apps/v1`. */
export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(gvPath(r.group, r.version), { group: r.group, version: r.version });
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Parameters, in kube's wording.

function queryParam(name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): Json {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const P = {
  dryRun: queryParam('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: queryParam('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean'),
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  labelSelector: queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: queryParam('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: queryParam('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  allowWatchBookmarks: queryParam('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: queryParam('propagationPolicy', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
  name: (kind: string): Json => ({ name: 'name', in: 'path', description: `name of the ${kind}`, required: true, schema: { type: 'string', uniqueItems: true } }),
  namespace: { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string', uniqueItems: true } } as Json,
};

const OBJECT_BODY = (types: string[]): Json => ({
  content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'object' } }])),
  required: true,
});
const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
/** Deliberately without application/strategic-merge-patch+json (see the header comment). */
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

function responses(codes: Array<[string, string]>): Json {
  const out: Json = {};
  for (const [code, description] of codes) {
    out[code] = { description, content: Object.fromEntries(JSON_TYPES.map((t) => [t, { schema: { type: 'object' } }])) };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

// ---------------------------------------------------------------------------------------------
// Operations.

function groupWord(group: string): string {
  if (group === '') return 'Core';
  const base = group.replace(/\.k8s\.io$/, '');
  return base.split(/[.-]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('');
}

function tag(info: ResourceInfo): string {
  return `${info.group === '' ? 'core' : info.group.replace(/\.k8s\.io$/, '').replace(/[.-]/g, '_')}_${info.version}`;
}

interface OpSpec {
  action: string;
  verb: string;
  description: string;
  parameters: Json[];
  body?: Json;
  responses: Json;
  gvk: { group: string; version: string; kind: string };
}

function op(info: ResourceInfo, operationId: string, s: OpSpec): Json {
  const o: Json = { tags: [tag(info)], description: s.description, operationId, parameters: s.parameters };
  if (s.body) o.requestBody = s.body;
  o.responses = s.responses;
  o['x-kubernetes-action'] = s.action;
  o['x-kubernetes-group-version-kind'] = s.gvk;
  return o;
}

function resourcePaths(info: ResourceInfo, paths: Json): void {
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const gv = `${groupWord(info.group)}${info.version.charAt(0).toUpperCase()}${info.version.slice(1)}`;
  // kube's operation ids: listCoreV1NamespacedPod, deleteAppsV1CollectionNamespacedDeployment, patchCoreV1NodeStatus.
  const id = (verb: string, suffix = '', collection = false) => `${verb}${gv}${collection ? 'Collection' : ''}${info.namespaced ? 'Namespaced' : ''}${info.kind}${suffix}`;
  const prefix = `/${gvPath(info.group, info.version)}${info.namespaced ? '/namespaces/{namespace}' : ''}/${info.plural}`;
  const scope = info.namespaced ? [P.namespace] : [];
  const listParams = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.timeoutSeconds, P.watch];
  const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
  const patchParams = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];

  paths[prefix] = {
    get: op(info, id('list'), { action: 'list', verb: 'list', description: `list or watch objects of kind ${info.kind}`, parameters: listParams, responses: responses([['200', 'OK']]), gvk }),
    post: op(info, id('create'), { action: 'post', verb: 'create', description: `create a ${info.kind}`, parameters: writeParams, body: OBJECT_BODY(JSON_TYPES), responses: responses([['200', 'OK'], ['201', 'Created'], ['202', 'Accepted']]), gvk }),
    delete: op(info, id('delete', '', true), { action: 'deletecollection', verb: 'deletecollection', description: `delete collection of ${info.kind}`, parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy, ...listParams.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks)], responses: responses([['200', 'OK']]), gvk }),
    parameters: [...scope, P.pretty],
  };
  paths[`${prefix}/{name}`] = {
    get: op(info, id('read'), { action: 'get', verb: 'get', description: `read the specified ${info.kind}`, parameters: [], responses: responses([['200', 'OK']]), gvk }),
    put: op(info, id('replace'), { action: 'put', verb: 'update', description: `replace the specified ${info.kind}`, parameters: writeParams, body: OBJECT_BODY(JSON_TYPES), responses: responses([['200', 'OK'], ['201', 'Created']]), gvk }),
    delete: op(info, id('delete'), { action: 'delete', verb: 'delete', description: `delete a ${info.kind}`, parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy], responses: responses([['200', 'OK'], ['202', 'Accepted']]), gvk }),
    patch: op(info, id('patch'), { action: 'patch', verb: 'patch', description: `partially update the specified ${info.kind}`, parameters: patchParams, body: OBJECT_BODY(PATCH_TYPES), responses: responses([['200', 'OK'], ['201', 'Created']]), gvk }),
    parameters: [P.name(info.kind), ...scope, P.pretty],
  };
  for (const sub of info.subresources) {
    const Sub = sub.charAt(0).toUpperCase() + sub.slice(1);
    const subPath = `${prefix}/{name}/${sub}`;
    if (sub === 'binding') {
      const bgvk = { group: '', version: 'v1', kind: 'Binding' };
      paths[subPath] = {
        post: op(info, id('create', Sub), { action: 'post', verb: 'create', description: `create binding of a ${info.kind}`, parameters: writeParams, body: OBJECT_BODY(JSON_TYPES), responses: responses([['200', 'OK'], ['201', 'Created'], ['202', 'Accepted']]), gvk: bgvk }),
        parameters: [{ ...P.name('Binding') }, ...scope, P.pretty],
      };
      continue;
    }
    const sgvk = sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
    paths[subPath] = {
      get: op(info, id('read', Sub), { action: 'get', verb: 'get', description: `read ${sub} of the specified ${info.kind}`, parameters: [], responses: responses([['200', 'OK']]), gvk: sgvk }),
      put: op(info, id('replace', Sub), { action: 'put', verb: 'update', description: `replace ${sub} of the specified ${info.kind}`, parameters: writeParams, body: OBJECT_BODY(JSON_TYPES), responses: responses([['200', 'OK'], ['201', 'Created']]), gvk: sgvk }),
      patch: op(info, id('patch', Sub), { action: 'patch', verb: 'patch', description: `partially update ${sub} of the specified ${info.kind}`, parameters: patchParams, body: OBJECT_BODY(PATCH_TYPES), responses: responses([['200', 'OK'], ['201', 'Created']]), gvk: sgvk }),
      parameters: [{ ...P.name(sub === 'scale' ? 'Scale' : info.kind) }, ...scope, P.pretty],
    };
  }
  if (info.namespaced) {
    paths[`/${gvPath(info.group, info.version)}/${info.plural}`] = {
      get: op(info, `list${gv}${info.kind}ForAllNamespaces`, { action: 'list', verb: 'list', description: `list or watch objects of kind ${info.kind}`, parameters: [], responses: responses([['200', 'OK']]), gvk }),
      parameters: [...listParams, P.pretty],
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Documents (built once: they depend only on RESOURCES and the version).

interface Built { doc: Json; json: string; hash: string }
let cache: Map<string, Built> | undefined;

function build(): Map<string, Built> {
  if (cache) return cache;
  const m = new Map<string, Built>();
  for (const { group, version } of groupVersions()) {
    const paths: Json = {};
    for (const info of RESOURCES.filter((r) => r.group === group && r.version === version)) resourcePaths(info, paths);
    const doc: Json = { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBE_GIT_VERSION }, paths };
    const json = JSON.stringify(doc);
    m.set(gvPath(group, version), { doc, json, hash: openapiHash(json) });
  }
  cache = m;
  return m;
}

/** kube-openapi's ETag for a document: uppercase hex SHA-512 of its bytes. */
export function openapiHash(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

/** `GET /openapi/v3`: one entry per served group version with its content-hashed URL. */
export function openapiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [key, b] of build()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${b.hash}` };
  return { paths };
}

/** `GET /openapi/v3/<key>` (key like `api/v1`, `apis/apps/v1`, no leading slash); undefined when not served. */
export function openapiV3Document(key: string): Json | undefined {
  return build().get(key.replace(/^\/+|\/+$/g, ''))?.doc;
}

/** The current hash of a group-version document, e.g. to redirect a stale `?hash=` as kube-openapi does. */
export function openapiV3Hash(key: string): string | undefined {
  return build().get(key.replace(/^\/+|\/+$/g, ''))?.hash;
}

/** The group version kinds a document declares patch operations for (used by tests and diagnostics). */
export function patchKinds(key: string): Array<{ group: string; version: string; kind: string }> {
  const doc = openapiV3Document(key);
  if (!doc) return [];
  const out: Array<{ group: string; version: string; kind: string }> = [];
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    const patch = item.patch as Json | undefined;
    if (patch) out.push(patch['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string });
  }
  return out;
}

