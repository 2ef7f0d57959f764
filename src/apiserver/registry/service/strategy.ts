// The Service strategy: SetDefaults_Service (pkg/apis/core/v1/defaults.go), the service REST's
// beginCreate/beginUpdate (pkg/registry/core/service/storage/storage.go: patchAllocatedValues,
// normalizeClusterIPs, allocation), PrepareForCreate/PrepareForUpdate (pkg/registry/core/service/
// strategy.go: status handling, dropTypeDependentFields), validation and warnings
// (pkg/api/service/warnings.go). kubernetes-semantics.md §1 and §2.

import type { KObject } from '../../../api/meta.ts';
import { findResource } from '../../../api/resources.ts';
import type { FieldError } from '../../../api/status.ts';
import type { ServicePort, ServiceSpec } from '../../../api/types/core-v1-service.ts';
import { formatIP, parseIP } from '../../../api/validation.ts';
import { keepAllButStatus } from '../generic.ts';
import type { Allocation, RegistryConfig, Strategy } from '../strategy.ts';
import { needsClusterIP, needsNodePort, ServiceAllocators, type AllocatorOptions } from './alloc.ts';
import { checkServiceShape } from './shape.ts';
import {
  arr, externallyAccessible, needsHealthCheck, sameStrings, specOf, validateService, validateServiceStatusUpdate,
  validateServiceUpdate, ANNOTATION_TOPOLOGY_AWARE_HINTS, ANNOTATION_TOPOLOGY_MODE,
} from './validation.ts';

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** The pre-1.9 alpha annotation that publishNotReadyAddresses replaced. */
export const TOLERATE_UNREADY_ANNOTATION = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';
/** Warning returned on writes of a Service that carries the annotation. */
export const TOLERATE_UNREADY_WARNING =
  `${TOLERATE_UNREADY_ANNOTATION} is deprecated; use spec.publishNotReadyAddresses (kubedisco still honours the annotation as an alias for it)`;

function ensureSpec(obj: KObject): ServiceSpec {
  if (!obj.spec || typeof obj.spec !== 'object') obj.spec = {};
  return obj.spec as ServiceSpec;
}

/** SetDefaults_Service. */
export function setDefaultsService(obj: KObject): void {
  const spec = ensureSpec(obj);
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (t === undefined || t === null) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const sp of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!sp || typeof sp !== 'object') continue;
    if (!sp.protocol) sp.protocol = 'TCP';
    if (sp.targetPort === undefined || sp.targetPort === null || sp.targetPort === 0 || sp.targetPort === '') sp.targetPort = sp.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) &&
      (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    spec.allocateLoadBalancerNodePorts = true;
  }
  if (spec.type === 'LoadBalancer') {
    const ingress = obj.status?.loadBalancer?.ingress;
    for (const ing of Array.isArray(ingress) ? ingress : []) if (ing && typeof ing === 'object' && ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
}

/**
 * normalizeClusterIPs. Create: a lone clusterIP becomes clusterIPs=[clusterIP] (never the reverse).
 * Update: an omitted clusterIPs follows an unchanged clusterIP; clearing or changing clusterIP while
 * clusterIPs is untouched rewrites clusterIPs to follow it.
 */
export function normalizeClusterIPs(obj: KObject, old?: KObject): void {
  const n = specOf(obj);
  if (!old) {
    if (n.clusterIP && (!n.clusterIPs || n.clusterIPs.length === 0)) n.clusterIPs = [n.clusterIP];
    return;
  }
  const o = specOf(old);
  if (arr(o.clusterIPs).length > 0 && arr(n.clusterIPs).length === 0) {
    if ((o.clusterIP ?? '') === (n.clusterIP ?? '')) n.clusterIPs = [...o.clusterIPs!];
  }
  if ((o.clusterIP ?? '') !== (n.clusterIP ?? '')) {
    if (o.clusterIP && !n.clusterIP && sameStrings(o.clusterIPs, n.clusterIPs)) delete n.clusterIPs;
    if (n.clusterIP && sameStrings(o.clusterIPs, n.clusterIPs)) n.clusterIPs = [n.clusterIP];
  }
}

/**
 * patchAllocatedValues: values allocated before and omitted now are carried over (clusterIP(s), each
 * port's nodePort matched by port name unless another port already uses it, healthCheckNodePort), so
 * re-applying a manifest without them keeps them.
 */
export function patchAllocatedValues(obj: KObject, old: KObject): void {
  const n = specOf(obj), o = specOf(old);
  if (needsClusterIP(o) && needsClusterIP(n)) {
    if (!n.clusterIP && o.clusterIP) n.clusterIP = o.clusterIP;
    if (arr(n.clusterIPs).length === 0 && arr(o.clusterIPs).length > 0) n.clusterIPs = [...o.clusterIPs!];
  }
  if (needsNodePort(o) && needsNodePort(n)) {
    const used = (spec: ServiceSpec) => new Set(arr(spec.ports).map((p) => p?.nodePort ?? 0).filter((x) => x !== 0));
    const oldUsed = used(o), newUsed = used(n);
    const both = new Set([...oldUsed].filter((x) => newUsed.has(x)));
    const byName = new Map<string, number>();
    for (const p of arr(o.ports)) byName.set(p?.name ?? '', p?.nodePort ?? 0);
    for (const p of arr(n.ports)) {
      if (!p || (p.nodePort ?? 0) !== 0) continue;
      const v = byName.get(p.name ?? '') ?? 0;
      if (v !== 0 && !both.has(v)) p.nodePort = v;
    }
  }
  if (needsHealthCheck(o) && needsHealthCheck(n) && !n.healthCheckNodePort && o.healthCheckNodePort) {
    n.healthCheckNodePort = o.healthCheckNodePort;
  }
}

function nodePortSet(spec: ServiceSpec): Set<number> {
  return new Set(arr(spec.ports).map((p: ServicePort) => p?.nodePort ?? 0).filter((x) => x !== 0));
}

/**
 * dropTypeDependentFields (update only): fields that no longer apply after a type change are wiped
 * when the user left them unchanged (clusterIP(s)/ipFamilies/ipFamilyPolicy when switching to
 * ExternalName, nodePorts when leaving NodePort/LoadBalancer, healthCheckNodePort,
 * allocateLoadBalancerNodePorts, loadBalancerClass, externalTrafficPolicy); load-balancer status is
 * cleared for non-LoadBalancer types.
 */
export function dropTypeDependentFields(obj: KObject, old: KObject): void {
  const n = specOf(obj), o = specOf(old);
  if (needsClusterIP(o) && !needsClusterIP(n)) {
    if ((o.clusterIP ?? '') === (n.clusterIP ?? '') && sameStrings(o.clusterIPs, n.clusterIPs)) { delete n.clusterIP; delete n.clusterIPs; }
    if (sameStrings(o.ipFamilies, n.ipFamilies)) delete n.ipFamilies;
    if ((o.ipFamilyPolicy ?? null) === (n.ipFamilyPolicy ?? null)) delete n.ipFamilyPolicy;
  }
  if (needsNodePort(o) && !needsNodePort(n)) {
    const oldPorts = nodePortSet(o);
    if ([...nodePortSet(n)].every((p) => oldPorts.has(p))) for (const p of arr(n.ports)) if (p) delete p.nodePort;
  }
  if (needsHealthCheck(o) && !needsHealthCheck(n) && (o.healthCheckNodePort ?? 0) === (n.healthCheckNodePort ?? 0)) delete n.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && n.type !== 'LoadBalancer') {
    if (typeof n.allocateLoadBalancerNodePorts === 'boolean' && typeof o.allocateLoadBalancerNodePorts === 'boolean' &&
        n.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete n.allocateLoadBalancerNodePorts;
    if ((o.loadBalancerClass ?? null) === (n.loadBalancerClass ?? null)) delete n.loadBalancerClass;
  }
  if (externallyAccessible(o) && !externallyAccessible(n) && (o.externalTrafficPolicy ?? '') === (n.externalTrafficPolicy ?? '')) delete n.externalTrafficPolicy;
  if (n.type !== 'LoadBalancer') {
    obj.status = { ...(obj.status ?? {}), loadBalancer: {} };
  }
}

/** utilvalidation.GetWarningsForIP: leading zeros or IPv4-mapped form; non-canonical IPv6. */
export function ipWarnings(fld: string, value: string): string[] {
  const p = parseIP(value);
  if (!p) return [];
  const canonical = formatIP(p);
  const leadingZero = !value.includes(':') && value.split('.').some((o) => o.length > 1 && o.startsWith('0'));
  const mapped = value.includes(':') && p.family === 'IPv4';
  if (leadingZero || mapped) {
    return [`${fld}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`];
  }
  if (p.family === 'IPv6' && canonical !== value) {
    return [`${fld}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return [];
}

/** GetWarningsForService plus kubedisco's note on the tolerate-unready-endpoints annotation. */
export function serviceWarnings(obj: KObject): string[] {
  const spec = specOf(obj);
  const annotations = (obj.metadata?.annotations ?? {}) as Record<string, string>;
  const out: string[] = [];
  if (ANNOTATION_TOPOLOGY_AWARE_HINTS in annotations) {
    out.push(`annotation ${ANNOTATION_TOPOLOGY_AWARE_HINTS} is deprecated, please use ${ANNOTATION_TOPOLOGY_MODE} instead`);
  }
  if (spec.clusterIP && spec.clusterIP !== 'None') {
    arr(spec.clusterIPs).forEach((ip, i) => out.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  }
  arr(spec.externalIPs).forEach((ip, i) => out.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) out.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  if (spec.type === 'ExternalName' && (spec.externalIPs?.length ?? 0) > 0) out.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) out.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  if (TOLERATE_UNREADY_ANNOTATION in annotations) out.push(TOLERATE_UNREADY_WARNING);
  return out;
}

export interface ServiceStrategy extends Strategy {
  readonly allocators: ServiceAllocators;
  /** Problems found by the last init() (values out of range or claimed twice). */
  readonly repairProblems: string[];
}

export function serviceStrategy(cfg: RegistryConfig, opts: AllocatorOptions = {}): ServiceStrategy {
  const info = findResource('', 'v1', 'services')!;
  const allocators = new ServiceAllocators(cfg, opts);
  const repairProblems: string[] = [];
  return {
    info,
    allocators,
    repairProblems,
    defaults(obj: KObject): void {
      checkServiceShape(obj); // what kube's decoder rejects with 400 before anything else runs
      setDefaultsService(obj);
    },
    beginCreate(obj: KObject): Allocation {
      normalizeClusterIPs(obj);
      return allocators.allocateCreate(obj);
    },
    beginUpdate(obj: KObject, old: KObject): Allocation {
      patchAllocatedValues(obj, old);
      normalizeClusterIPs(obj, old);
      return allocators.allocateUpdate(obj, old);
    },
    prepareForCreate(obj: KObject): void {
      obj.status = { loadBalancer: {} };
    },
    prepareForUpdate(obj: KObject, old: KObject): void {
      obj.status = structuredClone(old.status ?? { loadBalancer: {} });
      dropTypeDependentFields(obj, old);
    },
    validate(obj: KObject): FieldError[] { return validateService(obj); },
    validateUpdate(obj: KObject, old: KObject): FieldError[] { return validateServiceUpdate(obj, old); },
    prepareForStatusUpdate(obj: KObject, old: KObject): void { keepAllButStatus(obj, old); },
    validateStatusUpdate(obj: KObject): FieldError[] { return validateServiceStatusUpdate(obj); },
    afterDelete(obj: KObject): void { allocators.release(obj); },
    init(existing: KObject[]): void {
      repairProblems.splice(0, repairProblems.length, ...allocators.rebuild(existing));
    },
    warnings(obj: KObject): string[] { return serviceWarnings(obj); },
  };
}
