// What the namespace controller deletes: the server's namespaced resources, from legacy discovery, as
// client-go's ServerPreferredNamespacedResources returns them (discovery_client.go): every resource of every
// group version, the group's preferred version winning for a resource served in several, subresources
// (`pods/status`) left out. A group version that fails to answer is reported the way ErrGroupDiscoveryFailed
// prints (`unable to retrieve the complete list of server APIs: apps/v1: …`) while the others are still used.

import { findResource, type ResourceInfo } from '../../api/resources.ts';
import type { RestClient } from '../../client/index.ts';

export interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

export interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}

export interface APIGroup {
  name: string;
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion?: { groupVersion: string; version: string };
}

/** One discovered resource, with the verbs it supports. */
export interface DiscoveredResource {
  /** The group version as discovery spelled it (parsed later, as discovery.GroupVersionResources does). */
  groupVersion: string;
  resource: APIResource;
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** ErrGroupDiscoveryFailed (or any other discovery failure); resources holds what could be read. */
  error?: DiscoveryError;
}

export class DiscoveryError extends Error {
  /** Failing group versions and their errors (empty when discovery failed as a whole). */
  readonly groups: ReadonlyMap<string, string>;
  constructor(message: string, groups: ReadonlyMap<string, string> = new Map()) {
    super(message);
    this.groups = groups;
  }
}

/** ErrGroupDiscoveryFailed.Error(). */
export function groupDiscoveryFailed(groups: ReadonlyMap<string, string>): DiscoveryError {
  const parts = [...groups].map(([gv, e]) => `${gv}: ${e}`).sort();
  return new DiscoveryError(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`, groups);
}

/**
 * ServerPreferredResources + FilteredBy(namespaced): groups in discovery order (core first), each resource
 * once, at the group's preferred version when it is served there, else at the first version listing it.
 */
export function preferredNamespacedResources(groups: readonly APIGroup[], lists: ReadonlyMap<string, APIResourceList>): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  for (const g of groups) {
    const chosen = new Map<string, DiscoveredResource>();
    for (const v of g.versions) {
      const list = lists.get(v.groupVersion);
      if (!list) continue;
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        const prior = chosen.get(r.name);
        if (prior && v.version !== g.preferredVersion?.version) continue;
        chosen.set(r.name, { groupVersion: v.groupVersion, resource: r });
      }
    }
    for (const d of chosen.values()) if (d.resource.namespaced) out.push(d);
  }
  return out;
}

/** schema.ParseGroupVersion: "v1" → core, "apps/v1" → apps; anything with more slashes is an error. */
export function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  throw new Error(`unexpected GroupVersion string: ${gv}`);
}

/** A ResourceInfo for a discovered resource (the RESOURCES entry when kubedisco knows it). */
export function resourceInfoFor(group: string, version: string, r: APIResource): ResourceInfo {
  const known = findResource(group, version, r.name);
  if (known) return known;
  return {
    group, version, kind: r.kind, listKind: `${r.kind}List`, plural: r.name, singular: r.singularName || r.kind.toLowerCase(),
    namespaced: r.namespaced, shortNames: [], categories: [], subresources: [], nameRule: 'dns1123subdomain', hasStatus: false,
  };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Reads /api, /api/v1…, /apis and /apis/<group>/<version> (legacy discovery). */
export async function discoverNamespacedResources(rest: RestClient): Promise<DiscoveryResult> {
  let core: { versions?: string[] };
  let apis: { groups?: APIGroup[] };
  try {
    [core, apis] = await Promise.all([
      rest.request<{ versions?: string[] }>({ method: 'GET', path: '/api' }),
      rest.request<{ groups?: APIGroup[] }>({ method: 'GET', path: '/apis' }),
    ]);
  } catch (e) {
    return { resources: [], error: new DiscoveryError(message(e)) };
  }
  const groups: APIGroup[] = [
    { name: '', versions: (core.versions ?? []).map((v) => ({ groupVersion: v, version: v })), preferredVersion: core.versions?.length ? { groupVersion: core.versions[0], version: core.versions[0] } : undefined },
    ...(apis.groups ?? []),
  ];
  const lists = new Map<string, APIResourceList>();
  const failed = new Map<string, string>();
  await Promise.all(groups.flatMap((g) => g.versions.map(async (v) => {
    const path = g.name === '' ? `/api/${v.version}` : `/apis/${v.groupVersion}`;
    try {
      lists.set(v.groupVersion, await rest.request<APIResourceList>({ method: 'GET', path }));
    } catch (e) {
      failed.set(v.groupVersion, message(e));
    }
  })));
  return { resources: preferredNamespacedResources(groups, lists), error: failed.size ? groupDiscoveryFailed(failed) : undefined };
}
