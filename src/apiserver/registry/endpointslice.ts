// EndpointSlice strategy (pkg/registry/discovery/endpointslice/strategy.go,
// pkg/apis/discovery/validation/validation.go, pkg/apis/discovery/v1/defaults.go). §4 of
// kubernetes-semantics.md; kubectl-compatibility.md §1: ports[].name must always be present, which
// SetDefaults_EndpointPort guarantees by defaulting it to "" (and protocol to TCP).

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import type { Endpoint, EndpointPort } from '../../api/types/endpointslice.ts';
import {
  deepEqual, isDNS1123Subdomain, isFullyQualifiedDomainName, isQualifiedName, isValidLabelValue, parseIP,
  validateImmutableField, validateLabels, validateNonSpecialIP,
} from '../../api/validation.ts';
import { validateDNS1123Label } from './meta.ts';
import { SUPPORTED_PORT_PROTOCOLS } from './service/validation.ts';
import type { Strategy } from './strategy.ts';
import { arr, obj as asObj, objs, str } from './util.ts';

/** Sorted, as upstream's sets.String.List() passes them to field.NotSupported. */
export const SUPPORTED_ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
/** The deprecated v1beta1 type still accepted on update of old objects. */
const DEPRECATED_ADDRESS_TYPES = ['IP'];
export const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;

export interface EndpointSliceOptions { strictNonSpecialIPs?: boolean }

/** SetDefaults_EndpointPort: name "" and protocol TCP when absent. */
export function setDefaultsEndpointSlice(obj: KObject): void {
  for (const p of arr<EndpointPort>(obj.ports)) {
    if (!p || typeof p !== 'object' || Array.isArray(p)) continue;
    if (p.name === undefined || p.name === null) p.name = '';
    if (p.protocol === undefined || p.protocol === null) p.protocol = 'TCP';
  }
}

/** dropTopologyOnV1: v1 writes may not set deprecatedTopology (unless the endpoints are unchanged). */
function dropDeprecatedTopology(obj: KObject, old?: KObject): void {
  if (old && deepEqual(old.endpoints, obj.endpoints)) return;
  const prevNodeNames = new Set<string>();
  for (const ep of objs<Endpoint>(old?.endpoints)) {
    const n = asObj<Record<string, string>>(ep.deprecatedTopology)['kubernetes.io/hostname'];
    if (n) prevNodeNames.add(n);
  }
  for (const ep of arr<Endpoint>(obj.endpoints)) {
    if (!ep || typeof ep !== 'object' || Array.isArray(ep)) continue;
    const n = asObj<Record<string, string>>(ep.deprecatedTopology)['kubernetes.io/hostname'];
    if (ep.nodeName === undefined && n && prevNodeNames.has(n) && isDNS1123Subdomain(n).length === 0) ep.nodeName = n;
    delete ep.deprecatedTopology;
  }
}

function validateAddressType(t: unknown, valid: string[]): FieldError[] {
  if (t === undefined || t === null || t === '') return [field.required('addressType', '')];
  if (typeof t !== 'string' || !valid.includes(t)) return [field.notSupported('addressType', t, valid)];
  return [];
}

function validateHintList(raw: unknown, fld: string, isNode: boolean): FieldError[] {
  if (raw === undefined || raw === null) return [];
  const list = objs<{ name?: string }>(raw);
  if (list.length > MAX_HINTS) return [field.tooMany(fld, list.length, MAX_HINTS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list.forEach((h, i) => {
    const p = `${fld}[${i}].name`;
    const name = str(h.name);
    if (seen.has(name)) errs.push(field.duplicate(p, name));
    else seen.add(name);
    const msgs = isNode ? isDNS1123Subdomain(name) : isValidLabelValue(name);
    errs.push(...msgs.map((m) => field.invalid(p, name, m)));
  });
  return errs;
}

function validateEndpoints(endpoints: Endpoint[], addressType: unknown, allowLoopback: boolean): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [field.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const p = `endpoints[${i}]`;
    const ap = `${p}.addresses`;
    const addrs = arr<string>(ep.addresses);
    if (addrs.length === 0) errs.push(field.required(ap, 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(field.tooMany(ap, addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => {
      const f = `${ap}[${j}]`;
      switch (addressType) {
        case 'IP':
          if (!parseIP(a)) errs.push(field.invalid(f, a, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
          break;
        case 'IPv4':
          if (parseIP(a)?.family !== 'IPv4') errs.push(field.invalid(f, a, 'must be a valid IPv4 address'));
          errs.push(...validateNonSpecialIP(a, f, { allowLoopback }));
          break;
        case 'IPv6':
          if (parseIP(a)?.family !== 'IPv6') errs.push(field.invalid(f, a, 'must be a valid IPv6 address'));
          errs.push(...validateNonSpecialIP(a, f, { allowLoopback }));
          break;
        case 'FQDN':
          errs.push(...isFullyQualifiedDomainName(f, a));
          break;
      }
    });
    const topo = ep.deprecatedTopology;
    if (topo && Object.keys(topo).length > MAX_TOPOLOGY_LABELS) errs.push(field.tooMany(`${p}.deprecatedTopology`, Object.keys(topo).length, MAX_TOPOLOGY_LABELS));
    errs.push(...validateLabels(topo, `${p}.deprecatedTopology`));
    if (ep.hostname !== undefined && ep.hostname !== null) errs.push(...validateDNS1123Label(ep.hostname, `${p}.hostname`));
    if (ep.nodeName !== undefined && ep.nodeName !== null) {
      errs.push(...isDNS1123Subdomain(ep.nodeName).map((m) => field.invalid(`${p}.nodeName`, ep.nodeName, m)));
    }
    if (ep.hints) {
      const hints = asObj<{ forZones?: unknown; forNodes?: unknown }>(ep.hints);
      errs.push(...validateHintList(hints.forZones, `${p}.hints.forZones`, false));
      errs.push(...validateHintList(hints.forNodes, `${p}.hints.forNodes`, true));
    }
  });
  return errs;
}

function validatePorts(ports: EndpointPort[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [field.tooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((pt, i) => {
    const p = `ports[${i}]`;
    const name = str(pt.name);
    if (name.length > 0) errs.push(...validateDNS1123Label(name, `${p}.name`));
    if (names.has(name)) errs.push(field.duplicate(`${p}.name`, name));
    else names.add(name);
    if (pt.protocol === undefined || pt.protocol === null) errs.push(field.required(`${p}.protocol`, ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(pt.protocol as string)) errs.push(field.notSupported(`${p}.protocol`, pt.protocol, SUPPORTED_PORT_PROTOCOLS));
    if (pt.appProtocol !== undefined && pt.appProtocol !== null) {
      errs.push(...isQualifiedName(pt.appProtocol).map((m) => field.invalid(`${p}.appProtocol`, pt.appProtocol, m)));
    }
  });
  return errs;
}

/** ValidateEndpointSlice minus metadata. */
export function validateEndpointSlice(obj: KObject, validTypes: string[], opts: EndpointSliceOptions = {}): FieldError[] {
  const eps = objs<Endpoint>(obj.endpoints);
  const ports = objs<EndpointPort>(obj.ports);
  return [
    ...validateAddressType(obj.addressType, validTypes),
    ...validateEndpoints(eps, obj.addressType, !opts.strictNonSpecialIPs),
    ...validatePorts(ports),
  ];
}

function withoutMeta(o: KObject): unknown {
  const { metadata: _m, ...rest } = o;
  return rest;
}

export function endpointSliceStrategy(opts: EndpointSliceOptions = {}): Strategy {
  const info = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
  return {
    info,
    defaults: setDefaultsEndpointSlice,
    prepareForCreate(obj) { dropDeprecatedTopology(obj); },
    prepareForUpdate(obj, old) { dropDeprecatedTopology(obj, old); },
    validate: (obj) => validateEndpointSlice(obj, SUPPORTED_ADDRESS_TYPES, opts),
    validateUpdate: (obj, old) => [
      ...validateEndpointSlice(obj, [...SUPPORTED_ADDRESS_TYPES, ...DEPRECATED_ADDRESS_TYPES].sort(), opts),
      ...validateImmutableField(obj.addressType ?? '', old.addressType ?? '', 'addressType'),
    ],
    // pkg/registry/discovery/endpointslice/strategy.go: generation goes up when anything but
    // ObjectMeta changed, or the labels did (an EndpointSlice has no spec).
    specChanged: (obj, old) =>
      !deepEqual(withoutMeta(obj), withoutMeta(old)) || !deepEqual(obj.metadata.labels ?? {}, old.metadata.labels ?? {}),
  };
}
