// What kube-apiserver keeps in place by itself (pkg/controlplane/controller/systemnamespaces and the
// kubernetes Service controller): the system namespaces, and the `kubernetes` Service in `default`
// with the first IP of the service CIDR, plus its Endpoints and EndpointSlice pointing at the API.

import type { KObject } from '../api/meta.ts';
import { findResource, type ResourceInfo } from '../api/resources.ts';
import { StatusError } from '../api/status.ts';
import { type Store, SYSTEM_NAMESPACES } from './store.ts';

function res(group: string, plural: string): ResourceInfo {
  const info = findResource(group, 'v1', plural);
  if (!info) throw new Error(`unknown resource ${plural}`);
  return info;
}

async function ensure(store: Store, info: ResourceInfo, namespace: string, obj: KObject, reconcile = false): Promise<void> {
  try {
    const cur = await store.get(info, namespace, obj.metadata.name!);
    if (reconcile) {
      await store.modify(info, namespace, obj.metadata.name!, (c) => ({ ...c, ...obj, metadata: { ...c.metadata, labels: obj.metadata.labels } }), 'main');
    }
    void cur;
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'NotFound')) throw e;
    await store.create(info, namespace, obj);
  }
}

/** First usable address of an IPv4 CIDR: 10.96.0.0/12 → 10.96.0.1. */
export function firstServiceIP(cidr: string): string {
  const [ip] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  const n = ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3] + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export async function bootstrap(store: Store, opts: { serviceCIDR: string; apiHost: string; apiPort: number }): Promise<void> {
  const namespaces = res('', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) await ensure(store, namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(store, res('', 'services'), 'default', {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: {
      type: 'ClusterIP', clusterIP: firstServiceIP(opts.serviceCIDR), sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.apiPort }],
    },
  });
  const endpoints: KObject = {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: opts.apiHost }], ports: [{ name: 'https', port: opts.apiPort, protocol: 'TCP' }] }],
  };
  await ensure(store, res('', 'endpoints'), 'default', endpoints, true);
  await ensure(store, res('discovery.k8s.io', 'endpointslices'), 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [opts.apiHost], conditions: { ready: true } }],
    ports: [{ name: 'https', port: opts.apiPort, protocol: 'TCP' }],
  }, true);
}
