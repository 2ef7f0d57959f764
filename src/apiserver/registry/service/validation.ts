// ValidateService / ValidateServiceUpdate / ValidateServiceClusterIPsRelatedFields /
// ValidateServiceStatusUpdate, after pkg/apis/core/validation/validation.go (kube 1.33). Causes come in
// upstream's order (kubernetes-semantics.md §1.8); messages are upstream's, including its quirks (the
// `spec.LoadBalancerSourceRanges` path, the core.ServicePort struct dump on duplicate ports).
// ObjectMeta validation is not here: the store runs it first (registry/meta.ts).

import type { KObject } from '../../../api/meta.ts';
import { field, GoLiteral, goQuote, type FieldError } from '../../../api/status.ts';
import type { ServicePort, ServiceSpec } from '../../../api/types/core-v1-service.ts';
import {
  INVALID_IP_MSG, isDNS1123Subdomain, isQualifiedName, isValidCIDR, isValidPortName, isValidPortNum,
  parseIP, validateLabels, validateNonSpecialIP,
} from '../../../api/validation.ts';
import { validateDNS1123Label } from '../meta.ts';

// field.NotSupported prints values in the order given; upstream passes sets.List(...) (sorted) for
// all of these, so they are kept sorted here.
export const SUPPORTED_SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SUPPORTED_AFFINITY = ['ClientIP', 'None'];
const SUPPORTED_ITP = ['Cluster', 'Local'];
const SUPPORTED_ETP = ['Cluster', 'Local'];
const SUPPORTED_FAMILIES = ['IPv4', 'IPv6'];
const SUPPORTED_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const SUPPORTED_TRAFFIC_DISTRIBUTION = ['PreferClose'];
const SUPPORTED_IP_MODES = ['Proxy', 'VIP'];
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

export const ANNOTATION_TOPOLOGY_AWARE_HINTS = 'service.kubernetes.io/topology-aware-hints';
export const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
export const ANNOTATION_LB_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** A list field, or [] when absent or of the wrong JSON type (never crash on a malformed body). */
export function arr<T>(v: T[] | undefined | null): T[] {
  return Array.isArray(v) ? v : [];
}

export function specOf(obj: KObject): ServiceSpec {
  return (obj.spec ?? {}) as ServiceSpec;
}

/** isHeadlessService: exactly one clusterIPs entry, "None". */
export function isHeadless(obj: KObject): boolean {
  const ips = specOf(obj).clusterIPs;
  return Array.isArray(ips) && ips.length === 1 && ips[0] === 'None';
}

/** apiservice.ExternallyAccessible. */
export function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
}

/** apiservice.NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
}

function num(v: unknown): number { return typeof v === 'number' ? v : 0; }
function str(v: unknown): string { return typeof v === 'string' ? v : ''; }

/** Go's %#v of the internal core.ServicePort used as a map key (only Protocol and Port/NodePort filled). */
export function servicePortKeyLiteral(protocol: string, port: number, nodePort = 0): GoLiteral {
  return new GoLiteral(`core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:${nodePort}}`);
}

/** validation.IsValidIP as a field error list (the legacy, sloppy parser). */
function validIP(fld: string, value: string): FieldError[] {
  return parseIP(value) ? [] : [field.invalid(fld, value, INVALID_IP_MSG)];
}

/** ValidatePortNumOrName: an int is a port number, a string an IANA_SVC_NAME. */
export function validatePortNumOrName(v: unknown, fld: string): FieldError[] {
  if (typeof v === 'number') return isValidPortNum(v).map((m) => field.invalid(fld, v, m));
  if (typeof v === 'string') return isValidPortName(v).map((m) => field.invalid(fld, v, m));
  return [field.internal(fld, `unknown type: ${typeof v}`)];
}

/** ValidateQualifiedName as a field error list. */
export function validateQualifiedName(v: string, fld: string): FieldError[] {
  return isQualifiedName(v).map((m) => field.invalid(fld, v, m));
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (requireName && name.length === 0) {
    errs.push(field.required(`${fld}.name`, ''));
  } else if (name.length !== 0) {
    errs.push(...validateDNS1123Label(name, `${fld}.name`));
    if (names.has(name)) errs.push(field.duplicate(`${fld}.name`, name));
    else names.add(name);
  }
  const port = num(sp.port);
  errs.push(...isValidPortNum(port).map((m) => field.invalid(`${fld}.port`, port, m)));
  const protocol = str(sp.protocol);
  if (!protocol) errs.push(field.required(`${fld}.protocol`, ''));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(field.notSupported(`${fld}.protocol`, protocol, SUPPORTED_PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, `${fld}.targetPort`));
  if (sp.appProtocol !== undefined && sp.appProtocol !== null) errs.push(...validateQualifiedName(str(sp.appProtocol), `${fld}.appProtocol`));
  // v1 tolerated targetPort on headless services; upstream keeps that check commented out.
  return errs;
}

/** validateClientIPAffinityConfig + validateAffinityTimeout. */
function validateClientIPAffinityConfig(cfg: ServiceSpec['sessionAffinityConfig'], fld: string): FieldError[] {
  if (!cfg) return [field.required(fld, 'when session affinity type is ClientIP')];
  if (!cfg.clientIP) return [field.required(`${fld}.clientIP`, 'when session affinity type is ClientIP')];
  const t = cfg.clientIP.timeoutSeconds;
  if (t === undefined || t === null) return [field.required(`${fld}.clientIP.timeoutSeconds`, 'when session affinity type is ClientIP')];
  if (t <= 0 || t > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [field.invalid(`${fld}.clientIP.timeoutSeconds`, t, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/**
 * ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs consistency, ipFamilies and
 * ipFamilyPolicy values, IP syntax, at most two IPs of different families, IPs matching ipFamilies.
 * Also run by the allocator before it touches anything (initIPFamilyFields).
 */
export function validateServiceClusterIPsRelatedFields(obj: KObject): FieldError[] {
  const spec = specOf(obj);
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  const clusterIP = str(spec.clusterIP);
  let hasInvalidIPs = false;

  if (clusterIP.length !== 0) {
    if (ips.length === 0) errs.push(field.required('spec.clusterIPs', ''));
    else if (ips[0] !== clusterIP) errs.push(field.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errs.push(field.invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  families.forEach((fam, i) => {
    if (!SUPPORTED_FAMILIES.includes(fam)) errs.push(field.notSupported(`spec.ipFamilies[${i}]`, fam, SUPPORTED_FAMILIES));
    if (seen.has(fam)) errs.push(field.duplicate(`spec.ipFamilies[${i}]`, fam));
    seen.add(fam);
  });

  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null && !SUPPORTED_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errs.push(field.notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, SUPPORTED_FAMILY_POLICIES));
  }

  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalidIPs = true;
        errs.push(field.invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
      }
      return;
    }
    const e = validIP(`spec.clusterIPs[${i}]`, ip);
    if (e.length) hasInvalidIPs = true;
    errs.push(...e);
  });

  if (ips.length > 2) errs.push(field.invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errs;

  if (ips.length > 1) {
    const fams = ips.map((ip) => parseIP(ip)?.family);
    const dualStack = ips.length === 2 && fams[0] !== fams[1];
    if (!dualStack) errs.push(field.invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'));
  }

  if (!isHeadless(obj) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      const isV6 = parseIP(ip)?.family === 'IPv6';
      if (families[i] === 'IPv4' && isV6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isV6) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateLoadBalancerClassField(old: KObject | undefined, obj: KObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  if (old) {
    const o = specOf(old);
    if (o.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && (o.loadBalancerClass ?? null) !== (spec.loadBalancerClass ?? null)) {
      errs.push(field.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
    }
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) errs.push(...validateQualifiedName(spec.loadBalancerClass, 'spec.loadBalancerClass'));
  } else if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) {
    errs.push(field.forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateServiceExternalTrafficPolicy(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (etp !== '') errs.push(field.invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (etp === '') {
    errs.push(field.required('spec.externalTrafficPolicy', ''));
  } else if (!SUPPORTED_ETP.includes(etp)) {
    errs.push(field.notSupported('spec.externalTrafficPolicy', etp, SUPPORTED_ETP));
  }
  const hc = num(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (hc !== 0) errs.push(field.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc === 0) {
    errs.push(field.required('spec.healthCheckNodePort', ''));
  } else {
    errs.push(...isValidPortNum(hc).map((m) => field.invalid('spec.healthCheckNodePort', hc, m)));
  }
  return errs;
}

/** ValidateService (create rules; also the tail of the update rules). */
export function validateService(obj: KObject): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const annotations = (obj.metadata?.annotations ?? {}) as Record<string, string>;
  const ports: ServicePort[] = Array.isArray(spec.ports) ? spec.ports : [];
  const headless = isHeadless(obj);

  if (ANNOTATION_TOPOLOGY_MODE in annotations && ANNOTATION_TOPOLOGY_AWARE_HINTS in annotations &&
      annotations[ANNOTATION_TOPOLOGY_MODE] !== annotations[ANNOTATION_TOPOLOGY_AWARE_HINTS]) {
    errs.push(field.invalid(`metadata.annotations[${ANNOTATION_TOPOLOGY_MODE}]`, annotations[ANNOTATION_TOPOLOGY_MODE],
      `must match annotations[${ANNOTATION_TOPOLOGY_AWARE_HINTS}] when both are specified`));
  }

  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(field.required('spec.ports', ''));

  switch (spec.type) {
    case 'LoadBalancer':
      if (headless) errs.push(field.invalid('spec.clusterIPs[0]', spec.clusterIPs![0], "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(field.invalid('spec.clusterIPs[0]', spec.clusterIPs![0], "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (arr(spec.clusterIPs).length > 0) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (arr(spec.ipFamilies).length > 0) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const raw = str(spec.externalName);
      const cname = raw.endsWith('.') ? raw.slice(0, -1) : raw;
      if (cname.length > 0) errs.push(...isDNS1123Subdomain(cname).map((m) => field.invalid('spec.externalName', cname, m)));
      else errs.push(field.required('spec.externalName', ''));
      break;
    }
  }

  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p ?? ({} as ServicePort), ports.length > 1, names, `spec.ports[${i}]`)));

  if (spec.selector !== undefined && spec.selector !== null) errs.push(...validateLabels(spec.selector, 'spec.selector'));

  const affinity = str(spec.sessionAffinity);
  if (!affinity) errs.push(field.required('spec.sessionAffinity', ''));
  else if (!SUPPORTED_AFFINITY.includes(affinity)) errs.push(field.notSupported('spec.sessionAffinity', affinity, SUPPORTED_AFFINITY));
  if (affinity === 'ClientIP') errs.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig, 'spec.sessionAffinityConfig'));
  else if (affinity === 'None' && spec.sessionAffinityConfig) errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));

  errs.push(...validateServiceClusterIPsRelatedFields(obj));

  arr(spec.externalIPs).forEach((ip, i) => {
    const fld = `spec.externalIPs[${i}]`;
    const e = validIP(fld, ip);
    errs.push(...(e.length ? e : validateNonSpecialIP(ip, fld)));
  });

  const type = str(spec.type);
  if (!type) errs.push(field.required('spec.type', ''));
  else if (!SUPPORTED_SERVICE_TYPES.includes(type)) errs.push(field.notSupported('spec.type', type, SUPPORTED_SERVICE_TYPES));

  if (type === 'ClusterIP') {
    ports.forEach((p, i) => { if (num(p?.nodePort) !== 0) errs.push(field.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'")); });
  }

  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = num(p?.nodePort);
    if (np === 0) return;
    const key = `${str(p.protocol)}/${np}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(`spec.ports[${i}].nodePort`, np));
    nodePorts.add(key);
  });

  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${str(p?.protocol)}/${num(p?.port)}`;
    if (portKeys.has(key)) errs.push(field.duplicate(`spec.ports[${i}]`, servicePortKeyLiteral(str(p?.protocol), num(p?.port))));
    portKeys.add(key);
  });

  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
  if (ranges.length > 0) {
    const fld = 'spec.LoadBalancerSourceRanges';
    if (type !== 'LoadBalancer') errs.push(field.forbidden(fld, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, idx) => {
      const v = str(r).trim();
      errs.push(...isValidCIDR(v).map((m) => field.invalid(`${fld}[${idx}]`, v, m)));
    });
  } else if (ANNOTATION_LB_SOURCE_RANGES in annotations) {
    const fld = `metadata.annotations[${ANNOTATION_LB_SOURCE_RANGES}]`;
    if (type !== 'LoadBalancer') errs.push(field.forbidden(fld, "may only be used when `type` is 'LoadBalancer'"));
    const val = annotations[ANNOTATION_LB_SOURCE_RANGES].trim();
    if (val !== '') {
      for (const part of val.split(',')) {
        const v = part.trim();
        errs.push(...isValidCIDR(v).map((m) => field.invalid(fld, v, m)));
      }
    }
  }

  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && type !== 'LoadBalancer') {
    errs.push(field.forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    // Upstream builds this path without the `spec.` prefix.
    errs.push(field.required('allocateLoadBalancerNodePorts', ''));
  }

  errs.push(...validateLoadBalancerClassField(undefined, obj));
  errs.push(...validateServiceExternalTrafficPolicy(spec));

  if (spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(field.required('spec.internalTrafficPolicy', ''));
  } else if (!SUPPORTED_ITP.includes(spec.internalTrafficPolicy)) {
    errs.push(field.notSupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, SUPPORTED_ITP));
  }

  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null && !SUPPORTED_TRAFFIC_DISTRIBUTION.includes(spec.trafficDistribution)) {
    errs.push(field.notSupported('spec.trafficDistribution', spec.trafficDistribution, SUPPORTED_TRAFFIC_DISTRIBUTION));
  }
  return errs;
}

function sameStrings(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [], y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** validateUpgradeDowngradeClusterIPs. */
function validateUpgradeDowngradeClusterIPs(old: KObject, obj: KObject): FieldError[] {
  const o = specOf(old), n = specOf(obj);
  if (n.type === 'ExternalName' || o.type === 'ExternalName') return [];
  if (isHeadless(old) && isHeadless(obj)) return [];
  const errs: FieldError[] = [];
  const oldIPs = arr(o.clusterIPs), newIPs = arr(n.clusterIPs);
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => { if (ip !== newIPs[i]) errs.push(field.invalid(`spec.clusterIPs[${i}]`, newIPs, 'may not change once set')); });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(field.invalid('spec.clusterIPs[0]', newIPs, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(field.invalid('spec.clusterIPs[0]', newIPs, 'may not change once set'));
    if (newIPs.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(field.invalid('spec.clusterIPs[0]', newIPs, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies (value quirks kept: some branches print clusterIPs). */
function validateUpgradeDowngradeIPFamilies(old: KObject, obj: KObject): FieldError[] {
  const o = specOf(old), n = specOf(obj);
  if (n.type === 'ExternalName' || o.type === 'ExternalName') return [];
  const oldHeadless = isHeadless(old), newHeadless = isHeadless(obj);
  if (oldHeadless !== newHeadless || newHeadless) return [];
  const errs: FieldError[] = [];
  const of = arr(o.ipFamilies), nf = arr(n.ipFamilies);
  if (of.length === nf.length) {
    of.forEach((f, i) => { if (f !== nf[i]) errs.push(field.invalid('spec.ipFamilies[0]', nf, 'may not change once set')); });
  } else if (of.length > nf.length) {
    if (arr(n.clusterIPs).length === 0) errs.push(field.invalid('spec.ipFamilies[0]', nf, 'primary ipFamily can not be unset'));
    if (nf.length > 0 && nf[0] !== of[0]) errs.push(field.invalid('spec.ipFamilies[0]', arr(n.clusterIPs), 'may not change once set'));
    if (nf.length === 1 && n.ipFamilyPolicy !== 'SingleStack') {
      errs.push(field.invalid('spec.ipFamilyPolicy', n.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (of.length > 0 && nf.length > 0 && nf[0] !== of[0]) {
    errs.push(field.invalid('spec.ipFamilies[0]', arr(n.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/**
 * ValidateServiceUpdate minus the metadata part (the store prepends it): clusterIPs and ipFamilies
 * upgrade/downgrade rules, loadBalancerClass, healthCheckNodePort immutability, then ValidateService.
 */
export function validateServiceUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateUpgradeDowngradeClusterIPs(old, obj));
  errs.push(...validateUpgradeDowngradeIPFamilies(old, obj));
  errs.push(...validateLoadBalancerClassField(old, obj));
  const o = specOf(old), n = specOf(obj);
  if (needsHealthCheck(o) && needsHealthCheck(n) && num(o.healthCheckNodePort) !== num(n.healthCheckNodePort)) {
    errs.push(field.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  errs.push(...validateService(obj));
  return errs;
}

/** ValidateServiceStatusUpdate minus metadata: ValidateLoadBalancerStatus. */
export function validateServiceStatusUpdate(obj: KObject): FieldError[] {
  const spec = specOf(obj);
  const raw = obj.status?.loadBalancer?.ingress;
  const ingress = (Array.isArray(raw) ? raw : []) as Array<{ ip?: string; hostname?: string; ipMode?: string }>;
  const errs: FieldError[] = [];
  if (spec.type !== 'LoadBalancer' && ingress.length !== 0) {
    return [field.forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  }
  ingress.forEach((ing, i) => {
    const p = `status.loadBalancer.ingress[${i}]`;
    const ip = str(ing?.ip);
    if (ip.length > 0) errs.push(...validIP(`${p}.ip`, ip));
    if (ing?.ipMode === undefined || ing?.ipMode === null) {
      if (ip.length > 0) errs.push(field.required(`${p}.ipMode`, 'must be specified when `ip` is set'));
    } else if (ip.length === 0) {
      errs.push(field.forbidden(`${p}.ipMode`, 'may not be specified when `ip` is not set'));
    } else if (!SUPPORTED_IP_MODES.includes(ing.ipMode)) {
      errs.push(field.notSupported(`${p}.ipMode`, ing.ipMode, SUPPORTED_IP_MODES));
    }
    const host = str(ing?.hostname);
    if (host.length > 0) {
      errs.push(...isDNS1123Subdomain(host).map((m) => field.invalid(`${p}.hostname`, host, m)));
      if (parseIP(host)) errs.push(field.invalid(`${p}.hostname`, host, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

export { sameStrings };
