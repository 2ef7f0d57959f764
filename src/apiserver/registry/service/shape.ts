// JSON type checks for the Service fields the allocator and validation read. Upstream these are decode
// errors (encoding/json via sigs.k8s.io/json) reported as 400 BadRequest:
//   Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct
//   field ServiceSpec.spec.ipFamilies of type []v1.IPFamily
// kubedisco's codec does not type-check bodies, so the Service strategy does it before allocating.

import type { KObject } from '../../../api/meta.ts';
import { badRequest, StatusError } from '../../../api/status.ts';

type Kind = 'string' | 'int32' | 'bool' | 'object' | 'map' | 'intstr';
interface FieldType { kind: Kind; goType: string; list?: boolean }

const SPEC: Record<string, FieldType> = {
  ports: { kind: 'object', goType: 'v1.ServicePort', list: true },
  selector: { kind: 'map', goType: 'map[string]string' },
  clusterIP: { kind: 'string', goType: 'string' },
  clusterIPs: { kind: 'string', goType: 'string', list: true },
  type: { kind: 'string', goType: 'v1.ServiceType' },
  externalIPs: { kind: 'string', goType: 'string', list: true },
  sessionAffinity: { kind: 'string', goType: 'v1.ServiceAffinity' },
  loadBalancerIP: { kind: 'string', goType: 'string' },
  loadBalancerSourceRanges: { kind: 'string', goType: 'string', list: true },
  externalName: { kind: 'string', goType: 'string' },
  externalTrafficPolicy: { kind: 'string', goType: 'v1.ServiceExternalTrafficPolicy' },
  healthCheckNodePort: { kind: 'int32', goType: 'int32' },
  publishNotReadyAddresses: { kind: 'bool', goType: 'bool' },
  sessionAffinityConfig: { kind: 'object', goType: 'v1.SessionAffinityConfig' },
  ipFamilies: { kind: 'string', goType: 'v1.IPFamily', list: true },
  ipFamilyPolicy: { kind: 'string', goType: 'v1.IPFamilyPolicy' },
  allocateLoadBalancerNodePorts: { kind: 'bool', goType: 'bool' },
  loadBalancerClass: { kind: 'string', goType: 'string' },
  internalTrafficPolicy: { kind: 'string', goType: 'v1.ServiceInternalTrafficPolicy' },
  trafficDistribution: { kind: 'string', goType: 'string' },
};

const PORT: Record<string, FieldType> = {
  name: { kind: 'string', goType: 'string' },
  protocol: { kind: 'string', goType: 'v1.Protocol' },
  appProtocol: { kind: 'string', goType: 'string' },
  port: { kind: 'int32', goType: 'int32' },
  targetPort: { kind: 'intstr', goType: 'intstr.IntOrString' },
  nodePort: { kind: 'int32', goType: 'int32' },
};

/** encoding/json's name for a JSON value in "cannot unmarshal X". Numbers carry their text when they do not fit. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

function fits(v: unknown, kind: Kind): boolean | 'badnumber' {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'bool': return typeof v === 'boolean';
    case 'int32':
      if (typeof v !== 'number') return false;
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? true : 'badnumber';
    case 'object': return typeof v === 'object' && !Array.isArray(v);
    case 'map': return typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === 'string' || x === null);
    case 'intstr': return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  }
}

function decodeError(what: string, struct: string, path: string, goType: string): StatusError {
  return badRequest(`Service in version "v1" cannot be handled as a Service: json: cannot unmarshal ${what} into Go struct field ${struct}.${path} of type ${goType}`);
}

function check(v: unknown, t: FieldType, struct: string, path: string): void {
  if (v === null || v === undefined) return;
  if (t.list) {
    if (!Array.isArray(v)) throw decodeError(jsonKind(v), struct, path, `[]${t.goType}`);
    for (const item of v) {
      if (item === null) continue;
      const ok = fits(item, t.kind);
      if (ok !== true) throw decodeError(ok === 'badnumber' ? `number ${item}` : jsonKind(item), struct, path, t.goType);
    }
    return;
  }
  if (t.kind === 'map' && typeof v === 'object' && !Array.isArray(v)) {
    for (const x of Object.values(v as object)) if (typeof x !== 'string' && x !== null) throw decodeError(jsonKind(x), struct, path, 'string');
    return;
  }
  const ok = fits(v, t.kind);
  if (ok !== true) throw decodeError(ok === 'badnumber' ? `number ${v}` : jsonKind(v), struct, path, t.goType);
}

/** Throws the 400 kube-apiserver's decoder would return for a Service field of the wrong JSON type. */
export function checkServiceShape(obj: KObject): void {
  const spec = obj.spec;
  if (spec === undefined || spec === null) return;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw decodeError(jsonKind(spec), 'Service', 'spec', 'v1.ServiceSpec');
  for (const [k, t] of Object.entries(SPEC)) check((spec as Record<string, unknown>)[k], t, 'ServiceSpec', `spec.${k}`);
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (p === null) continue;
    for (const [k, t] of Object.entries(PORT)) check((p as Record<string, unknown>)[k], t, 'ServicePort', `spec.ports.${k}`);
  }
}
