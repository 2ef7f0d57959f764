// API discovery documents, all derived from RESOURCES (kubectl-compatibility.md §1 item 2, §2.2).
//
// - Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1) on /api and /apis, chosen by the Accept header.
//   The response Content-Type must be exactly `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`:
//   the same body sent as plain application/json makes kubectl report `the server doesn't have a resource type "svc"`.
// - Legacy discovery: /api (APIVersions), /apis (APIGroupList), /apis/<g> (APIGroup), /api/v1 and
//   /apis/<g>/<v> (APIResourceList, subresources flat as `statefulsets/scale`).
//
// Shapes follow k8s.io/apiserver/pkg/endpoints (installer.go, groupversion.go ConvertGroupVersionIntoToDiscovery):
// resources and subresources sorted by path, responseKind group/version empty unless the storage names another
// GVK (scale → autoscaling/v1 Scale), groups ordered by kube-aggregator's group priority.

import { createHash } from 'node:crypto';
import { RESOURCES, VERBS, apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import { notAcceptable } from '../api/status.ts';

export const AGGREGATED_V2_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
export const LEGACY_CONTENT_TYPE = 'application/json';

export type AggregatedVersion = 'v2' | 'v2beta1';

// ---------------------------------------------------------------------------------------------
// Types (k8s.io/api/apidiscovery/v2, k8s.io/apimachinery/pkg/apis/meta/v1 APIResource & co).

export interface GroupVersionKind { group: string; version: string; kind: string }

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionForDiscovery { groupVersion: string; version: string }

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList { kind: 'APIGroupList'; apiVersion: 'v1'; groups: APIGroup[] }

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: Array<{ clientCIDR: string; serverAddress: string }>;
}

// ---------------------------------------------------------------------------------------------
// What each resource advertises.

const SUBRESOURCE_VERBS: Record<string, string[]> = { status: ['get', 'patch', 'update'], scale: ['get', 'patch', 'update'], binding: ['create'] };

/** The verbs discovery lists for a resource: kube's sorted set; namespaces have no deletecollection in kube. */
export function resourceVerbs(info: ResourceInfo): string[] {
  return info.group === '' && info.plural === 'namespaces' ? VERBS.filter((v) => v !== 'deletecollection') : [...VERBS];
}

/** The GVK a subresource responds with; group and version empty mean "the resource's own". */
function subresourceKind(info: ResourceInfo, sub: string): GroupVersionKind {
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'binding') return { group: '', version: '', kind: 'Binding' };
  return { group: '', version: '', kind: info.kind };
}

/** discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>"). */
export function storageVersionHash(info: ResourceInfo): string {
  return createHash('sha256').update(`${info.group}/${info.version}/${info.kind}`).digest().subarray(0, 8).toString('base64');
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version).sort((a, b) => byString(a.plural, b.plural));
}

/**
 * kube-aggregator's group priorities (controlplane apiVersionPriorities); higher first, then by name. Only groups
 * we serve matter; unknown ones sort after them by name.
 */
const GROUP_PRIORITY: Record<string, number> = {
  'apps': 17800, 'events.k8s.io': 17750, 'autoscaling': 17500, 'batch': 17400, 'networking.k8s.io': 17200, 'policy': 17100,
  'coordination.k8s.io': 16500, 'discovery.k8s.io': 16200,
};

/** The API groups (not core) we serve, in discovery order, each with its versions (one per group today). */
export function servedGroups(): Array<{ name: string; versions: string[] }> {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCES) {
    if (r.group === '') continue;
    const vs = groups.get(r.group) ?? [];
    if (!vs.includes(r.version)) vs.push(r.version);
    groups.set(r.group, vs);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (GROUP_PRIORITY[b] ?? 0) - (GROUP_PRIORITY[a] ?? 0) || byString(a, b))
    .map(([name, versions]) => ({ name, versions }));
}

// ---------------------------------------------------------------------------------------------
// Aggregated discovery.

function resourceDiscovery(info: ResourceInfo): APIResourceDiscovery {
  const d: APIResourceDiscovery = {
    resource: info.plural,
    responseKind: { group: '', version: '', kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: resourceVerbs(info),
  };
  if (info.shortNames.length) d.shortNames = [...info.shortNames];
  if (info.categories.length) d.categories = [...info.categories];
  const subs = [...info.subresources].sort(byString);
  if (subs.length) d.subresources = subs.map((s) => ({ subresource: s, responseKind: subresourceKind(info, s), verbs: [...SUBRESOURCE_VERBS[s]] }));
  return d;
}

function versionDiscovery(group: string, version: string): APIVersionDiscovery {
  return { version, resources: resourcesOf(group, version).map(resourceDiscovery), freshness: 'Current' };
}

/** The APIGroupDiscoveryList for `/api` (the core group, an item with no name) or `/apis` (every other group). */
export function aggregatedDiscovery(which: 'api' | 'apis', version: AggregatedVersion = 'v2'): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = which === 'api'
    ? [{ metadata: { creationTimestamp: null }, versions: [versionDiscovery('', 'v1')] }]
    : servedGroups().map((g) => ({ metadata: { name: g.name, creationTimestamp: null }, versions: g.versions.map((v) => versionDiscovery(g.name, v)) }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

// ---------------------------------------------------------------------------------------------
// Legacy discovery.

/** `/api`. serverAddress is the address clients reached us at (kube: its advertise address and port). */
export function apiVersions(serverAddress?: string): APIVersions {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: serverAddress ? [{ clientCIDR: '0.0.0.0/0', serverAddress }] : [],
  };
}

function apiGroup(name: string, versions: string[]): APIGroup {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

/** `/apis`. */
export function apiGroupList(): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups().map((g) => apiGroup(g.name, g.versions)) };
}

/** `/apis/<group>`, or undefined for a group we do not serve. */
export function apiGroupDocument(group: string): APIGroup | undefined {
  const g = servedGroups().find((x) => x.name === group);
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) } : undefined;
}

/**
 * `/api/v1` or `/apis/<group>/<version>`: resources and their subresources as flat entries, sorted by name. Like
 * kube, the core list carries no apiVersion. Undefined for a group version we do not serve.
 */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const infos = resourcesOf(group, version);
  if (infos.length === 0) return undefined;
  const entries: APIResource[] = [];
  for (const info of infos) {
    const main: APIResource = { name: info.plural, singularName: info.singular, namespaced: info.namespaced, kind: info.kind, verbs: resourceVerbs(info) };
    if (info.shortNames.length) main.shortNames = [...info.shortNames];
    if (info.categories.length) main.categories = [...info.categories];
    main.storageVersionHash = storageVersionHash(info);
    entries.push(main);
    for (const sub of info.subresources) {
      const k = subresourceKind(info, sub);
      const name = `${info.plural}/${sub}`;
      const verbs = [...SUBRESOURCE_VERBS[sub]];
      entries.push(k.group || k.version
        ? { name, singularName: '', namespaced: info.namespaced, group: k.group, version: k.version, kind: k.kind, verbs }
        : { name, singularName: '', namespaced: info.namespaced, kind: k.kind, verbs });
    }
  }
  entries.sort((a, b) => byString(a.name, b.name));
  const list: APIResourceList = { kind: 'APIResourceList', groupVersion: apiVersionOf({ group, version }), resources: entries };
  return group === '' ? list : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: list.groupVersion, resources: entries };
}

// ---------------------------------------------------------------------------------------------
// Negotiation and routing.

interface MediaRange { type: string; subtype: string; params: Record<string, string>; q: number; index: number }

function parseAccept(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  accept.split(',').forEach((part, index) => {
    const [mt, ...rawParams] = part.split(';').map((s) => s.trim());
    if (!mt) return;
    const slash = mt.indexOf('/');
    if (slash <= 0) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      let v = p.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      if (k === 'q') {
        const n = Number(v);
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
      } else {
        params[k] = v;
      }
    }
    out.push({ type: mt.slice(0, slash).toLowerCase(), subtype: mt.slice(slash + 1).toLowerCase(), params, q, index });
  });
  return out.filter((m) => m.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * Picks the discovery format for an Accept header, in the client's order of preference: aggregated v2 or
 * v2beta1 when asked for (`application/json;g=apidiscovery.k8s.io;v=...;as=APIGroupDiscoveryList`), legacy
 * for plain JSON, wildcards or no header. Throws 406 NotAcceptable when nothing offered is something we
 * serve (for example protobuf only).
 */
export function negotiateDiscovery(accept: string | undefined): { contentType: string; version: AggregatedVersion } | 'legacy' {
  if (accept === undefined || accept.trim() === '') return 'legacy';
  for (const m of parseAccept(accept)) {
    const jsonish = (m.type === 'application' && m.subtype === 'json') || (m.type === 'application' && m.subtype === '*') || (m.type === '*' && m.subtype === '*');
    if (!jsonish) continue;
    if (m.params.g === 'apidiscovery.k8s.io' && m.params.as === 'APIGroupDiscoveryList') {
      if (m.params.v === 'v2') return { contentType: AGGREGATED_V2_CONTENT_TYPE, version: 'v2' };
      if (m.params.v === 'v2beta1') return { contentType: AGGREGATED_V2BETA1_CONTENT_TYPE, version: 'v2beta1' };
      continue;
    }
    if (m.params.as === undefined && m.params.g === undefined && m.params.v === undefined) return 'legacy';
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList, application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
}

export interface DiscoveryResponse {
  contentType: string;
  body: APIGroupDiscoveryList | APIVersions | APIGroupList | APIGroup | APIResourceList;
  /** Quoted strong ETag (uppercase hex sha512 of the JSON body), as kube sets on aggregated discovery. */
  etag?: string;
}

/** kube's discovery ETag: `"<HEX sha512 of the serialized document>"`. */
export function discoveryETag(json: string): string {
  return `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`;
}

/**
 * The discovery document for a request path, or undefined when the path is not a discovery path we serve
 * (`/apis/<unknown group>` and resource paths fall through to the caller). Aggregated documents only exist
 * for /api and /apis; the other paths are always legacy, as in kube.
 */
export function discoveryResponse(path: string, accept: string | undefined, opts: { serverAddress?: string } = {}): DiscoveryResponse | undefined {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (p === '/api' || p === '/apis') {
    const which = p === '/api' ? 'api' : 'apis';
    const neg = negotiateDiscovery(accept);
    if (neg !== 'legacy') {
      const body = aggregatedDiscovery(which, neg.version);
      return { contentType: neg.contentType, body, etag: discoveryETag(JSON.stringify(body)) };
    }
    return { contentType: LEGACY_CONTENT_TYPE, body: which === 'api' ? apiVersions(opts.serverAddress) : apiGroupList() };
  }
  if (p === '/api/v1') {
    const body = apiResourceList('', 'v1');
    return body && { contentType: LEGACY_CONTENT_TYPE, body };
  }
  const parts = p.split('/');
  if (parts[0] !== '' || parts[1] !== 'apis') return undefined;
  if (parts.length === 3) {
    const body = apiGroupDocument(parts[2]);
    return body && { contentType: LEGACY_CONTENT_TYPE, body };
  }
  if (parts.length === 4) {
    const body = apiResourceList(parts[2], parts[3]);
    return body && { contentType: LEGACY_CONTENT_TYPE, body };
  }
  return undefined;
}
