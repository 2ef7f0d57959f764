// One Strategy per served resource, keyed by group-resource (`services`, `statefulsets.apps`), for
// every entry of RESOURCES. Kinds without rules of their own get genericStrategy.

import { groupResource, RESOURCES } from '../../api/resources.ts';
import { controllerRevisionStrategy } from './apps/controllerrevision.ts';
import { deploymentStrategy } from './apps/deployment.ts';
import { replicaSetStrategy } from './apps/replicaset.ts';
import { statefulSetStrategy } from './apps/statefulset.ts';
import { configMapStrategy } from './configmap.ts';
import { endpointsStrategy } from './endpoints.ts';
import { endpointSliceStrategy } from './endpointslice.ts';
import { eventStrategy } from './event.ts';
import { genericStrategy } from './generic.ts';
import { leaseStrategy } from './lease.ts';
import { namespaceStrategy } from './namespace.ts';
import { nodeStrategy } from './node.ts';
import { podStrategy } from './pod.ts';
import type { RandomSource } from './service/bitmap.ts';
import { serviceStrategy } from './service/strategy.ts';
import type { RegistryConfig, Strategy } from './strategy.ts';

export { genericStrategy } from './generic.ts';
export { validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
export { ENDPOINTS_DEPRECATION_WARNING } from './endpoints.ts';
export { TOLERATE_UNREADY_ANNOTATION, TOLERATE_UNREADY_WARNING } from './service/strategy.ts';

export interface RegistryOptions {
  /** Random source for ClusterIP/NodePort allocation (tests inject a deterministic one). */
  random?: RandomSource;
  /**
   * Reject loopback addresses in Endpoints/EndpointSlices as kube-apiserver does. Off by default:
   * kubedisco serves on 127.0.0.0/8, so its own `kubernetes` endpoints are loopback addresses.
   */
  strictNonSpecialIPs?: boolean;
}

export function createStrategies(cfg: RegistryConfig, opts: RegistryOptions = {}): Map<string, Strategy> {
  const own: Strategy[] = [
    namespaceStrategy(),
    nodeStrategy(),
    podStrategy(),
    serviceStrategy(cfg, { random: opts.random }),
    endpointsStrategy({ strictNonSpecialIPs: opts.strictNonSpecialIPs }),
    endpointSliceStrategy({ strictNonSpecialIPs: opts.strictNonSpecialIPs }),
    eventStrategy(),
    configMapStrategy(),
    leaseStrategy(),
    statefulSetStrategy(),
    deploymentStrategy(),
    replicaSetStrategy(),
    controllerRevisionStrategy(),
  ];
  const byKey = new Map(own.map((s) => [groupResource(s.info), s]));
  const out = new Map<string, Strategy>();
  for (const info of RESOURCES) out.set(groupResource(info), byKey.get(groupResource(info)) ?? genericStrategy(info));
  return out;
}
