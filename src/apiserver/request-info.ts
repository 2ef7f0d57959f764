// URL → what is being asked (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go, simplified to the
// resources we serve). Paths:
//   /api/v1/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
//   /apis/{group}/{version}/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]
// `namespaces/{name}` is itself the namespace resource; `namespaces/{name}/status|finalize` its subresources.

import { findResource, type ResourceInfo } from '../api/resources.ts';
import { pageNotFound } from '../api/status.ts';

export interface ResourceRequest {
  info: ResourceInfo;
  namespace: string; // '' for cluster-scoped resources and for all-namespaces lists
  name: string; // '' for collections
  subresource: string; // '' | 'status' | 'scale' | 'binding' | 'finalize'
}

/**
 * Parses a resource path. Returns undefined when the path is not a resource path at all (the caller
 * then tries discovery and other endpoints); throws NotFound for unknown resources under /api or /apis.
 */
export function parseResourcePath(pathname: string): ResourceRequest | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  rest = rest.map(decodeURIComponent);
  let namespace = '';
  // namespaces/{ns}/{resource}... addresses a namespaced collection; namespaces[/{name}[/sub]] is the Namespace resource itself.
  const namespaceSubresource = rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name = '', subresource = '', ...extra] = rest;
  const info = findResource(group, version, plural);
  if (!info || extra.length > 0) throw pageNotFound();
  if (namespace && !info.namespaced) throw pageNotFound();
  if (subresource) {
    const allowed: string[] = info.plural === 'namespaces' ? ['status', 'finalize'] : info.subresources;
    if (!allowed.includes(subresource)) throw pageNotFound();
  }
  return { info, namespace, name, subresource };
}
