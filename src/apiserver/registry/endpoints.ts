// Endpoints strategy (pkg/registry/core/endpoint/strategy.go; ValidateEndpoints in
// pkg/apis/core/validation/validation.go; SetDefaults_Endpoints). kubernetes-semantics.md §3.

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../api/types/endpoints.ts';
import { INVALID_IP_MSG, isDNS1123Subdomain, isValidPortNum, parseIP, validateNonSpecialIP } from '../../api/validation.ts';
import { validateDNS1123Label } from './meta.ts';
import { SUPPORTED_PORT_PROTOCOLS, validateQualifiedName } from './service/validation.ts';
import type { Strategy } from './strategy.ts';
import { objs, str } from './util.ts';

/**
 * The warning kube-apiserver 1.33+ attaches to every v1 Endpoints request. The HTTP layer emits it
 * (for reads too), not this strategy.
 */
export const ENDPOINTS_DEPRECATION_WARNING = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

export interface EndpointsOptions {
  /** Reject loopback addresses as upstream does. Off by default: kubedisco's own endpoints are loopback. */
  strictNonSpecialIPs?: boolean;
}

/** SetDefaults_Endpoints: subsets[].ports[].protocol defaults to TCP. */
export function setDefaultsEndpoints(obj: KObject): void {
  for (const ss of objs<EndpointSubset>(obj.subsets)) {
    for (const p of objs<EndpointPort>(ss.ports)) if (!p.protocol) p.protocol = 'TCP';
  }
}

function validateEndpointAddress(a: EndpointAddress, fld: string, allowLoopback: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ip = str(a.ip);
  if (!parseIP(ip)) errs.push(field.invalid(`${fld}.ip`, ip, INVALID_IP_MSG));
  if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, `${fld}.hostname`));
  if (a.nodeName !== undefined && a.nodeName !== null) {
    // ValidateNodeName = NameIsDNSSubdomain (an empty nodeName is rejected too).
    errs.push(...isDNS1123Subdomain(a.nodeName).map((m) => field.invalid(`${fld}.nodeName`, a.nodeName, m)));
  }
  errs.push(...validateNonSpecialIP(ip, `${fld}.ip`, { allowLoopback }));
  return errs;
}

function validateEndpointPort(p: EndpointPort, requireName: boolean, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p.name);
  if (requireName && name.length === 0) errs.push(field.required(`${fld}.name`, ''));
  else if (name.length !== 0) errs.push(...validateDNS1123Label(name, `${fld}.name`));
  const port = typeof p.port === 'number' ? p.port : 0;
  errs.push(...isValidPortNum(port).map((m) => field.invalid(`${fld}.port`, port, m)));
  const protocol = str(p.protocol);
  if (!protocol) errs.push(field.required(`${fld}.protocol`, ''));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(field.notSupported(`${fld}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
  if (p.appProtocol !== undefined && p.appProtocol !== null) errs.push(...validateQualifiedName(p.appProtocol, `${fld}.appProtocol`));
  return errs;
}

/** ValidateEndpoints minus metadata: each subset needs addresses; addresses and ports valid. */
export function validateEndpoints(obj: KObject, opts: EndpointsOptions = {}): FieldError[] {
  const allowLoopback = !opts.strictNonSpecialIPs;
  const errs: FieldError[] = [];
  objs<EndpointSubset>(obj.subsets).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    const addrs = objs<EndpointAddress>(ss.addresses), notReady = objs<EndpointAddress>(ss.notReadyAddresses), ports = objs<EndpointPort>(ss.ports);
    if (addrs.length === 0 && notReady.length === 0) errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    addrs.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.addresses[${j}]`, allowLoopback)));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${p}.notReadyAddresses[${j}]`, allowLoopback)));
    ports.forEach((port, j) => errs.push(...validateEndpointPort(port, ports.length > 1, `${p}.ports[${j}]`)));
  });
  return errs;
}

export function endpointsStrategy(opts: EndpointsOptions = {}): Strategy {
  const info = findResource('', 'v1', 'endpoints')!;
  return {
    info,
    defaults: setDefaultsEndpoints,
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: (obj) => validateEndpoints(obj, opts),
    validateUpdate: (obj) => validateEndpoints(obj, opts),
  };
}
