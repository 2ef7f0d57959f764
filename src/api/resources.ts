// The one table of every resource kubedisco serves. Discovery, OpenAPI, routing, storage keys and
// messages are all derived from it (kubectl-compatibility.md §1, §2.2).

export type NameRule = 'dns1123subdomain' | 'dns1123label' | 'dns1035label' | 'path';

export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: Array<'status' | 'scale' | 'binding'>;
  /** How metadata.name is validated (ValidateObjectMeta's nameFn for this kind). */
  nameRule: NameRule;
  /** True when spec and status are written through separate endpoints (the status subresource). */
  hasStatus: boolean;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(p: Omit<ResourceInfo, 'listKind' | 'hasStatus' | 'categories' | 'shortNames' | 'subresources'> & Partial<ResourceInfo>): ResourceInfo {
  const subresources = p.subresources ?? [];
  return {
    listKind: `${p.kind}List`,
    categories: [],
    shortNames: [],
    ...p,
    subresources,
    hasStatus: p.hasStatus ?? subresources.includes('status'),
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  r({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'], nameRule: 'dns1123label' }),
  r({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status'], nameRule: 'dns1123subdomain' }),
  r({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding'], nameRule: 'dns1123subdomain' }),
  r({ group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'], nameRule: 'dns1035label' }),
  r({ group: '', version: 'v1', kind: 'Endpoints', listKind: 'EndpointsList', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], nameRule: 'dns1123subdomain' }),
  r({ group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], nameRule: 'dns1123subdomain' }),
  r({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], nameRule: 'dns1123subdomain' }),
  r({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', namespaced: true, nameRule: 'dns1123subdomain' }),
  r({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'], nameRule: 'dns1123label' }),
  r({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], nameRule: 'dns1123subdomain' }),
  r({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], nameRule: 'dns1123subdomain' }),
  r({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision', namespaced: true, nameRule: 'dns1123subdomain' }),
  r({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true, nameRule: 'dns1123subdomain' }),
];

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
}

export function findKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => apiVersionOf(x) === apiVersion && x.kind === kind);
}

/** The Go-style qualified resource used in messages: `services`, `statefulsets.apps`. */
export function groupResource(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/** The qualified kind used in Invalid messages: `Service`, `StatefulSet.apps`. */
export function groupKind(info: ResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}
