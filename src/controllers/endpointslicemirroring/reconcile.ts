// The EndpointSlice mirroring controller's decision as a pure function (pkg/controller/endpointslicemirroring/
// {endpointslicemirroring_controller.go syncEndpoints, reconciler.go, desired_calc.go, utils.go} without the
// API calls), kubernetes-semantics.md §4.2: hand-written Endpoints of a selectorless Service → EndpointSlices.

import { isIP } from 'node:net';
import type { Service } from '../../api/types/core-v1-service.ts';
import type { Endpoints, EndpointAddress, EndpointPort as CoreEndpointPort } from '../../api/types/endpoints.ts';
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpointslice.ts';
import {
  ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_LAST_APPLIED_CONFIG, ANNOTATION_LEADER_ELECTION, LABEL_ENDPOINTSLICE_MANAGED_BY,
  LABEL_SERVICE_NAME, LABEL_SKIP_MIRROR,
} from '../../api/well-known.ts';
import { repackSubsets } from '../endpoints/repack.ts';
import {
  controllerRef, endpointSlicePrefix, EndpointSet, endpointsEqualBeyondHash, hasSelector, MIRRORING_CONTROLLER_NAME, portMapKey,
} from '../endpointslice/util.ts';

/** --mirroring-max-endpoints-per-subset default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SUBSET = 1000;

export interface MirroringReconcileInput {
  /** The Service of the same name; undefined when it does not exist. */
  service?: Service;
  /** The Endpoints; undefined when it does not exist. */
  endpoints?: Endpoints;
  /** Slices labelled kubernetes.io/service-name=<name> and managed by the mirroring controller. */
  existingSlices: readonly EndpointSlice[];
  maxEndpointsPerSubset?: number;
}

export interface MirrorEvent { type: 'Warning'; reason: 'InvalidIPAddress' | 'TooManyAddressesToMirror'; message: string }

export interface MirroringReconcileResult {
  /** Why every mirrored slice goes (nothing to mirror); undefined when mirroring. */
  notMirrored?: 'ServiceMissing' | 'ServiceHasSelector' | 'EndpointsMissing' | 'SkipMirror' | 'LeaderElection';
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Events on the Endpoints object. */
  events: MirrorEvent[];
  /** Addresses not mirrored (invalid, or over the per-subset maximum). */
  addressesSkipped: number;
}

/** skipMirror / hasLeaderElection → shouldMirror. */
export function shouldMirror(ep: Endpoints | undefined): ep is Endpoints {
  if (!ep) return false;
  if (ep.metadata.labels?.[LABEL_SKIP_MIRROR] === 'true') return false;
  return ep.metadata.annotations?.[ANNOTATION_LEADER_ELECTION] === undefined;
}

/** getAddressType: IPv4 (also an IPv4-mapped IPv6 address, as Go's To4 sees it), IPv6, or undefined when invalid. */
export function addressTypeOf(ip: string): AddressType | undefined {
  const v = isIP(ip);
  if (v === 4) return 'IPv4';
  if (v === 6) return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? 'IPv4' : 'IPv6';
  return undefined;
}

/** addressToEndpoint: the address, ready from which list it came, targetRef, nodeName and hostname copied. */
function addressToEndpoint(a: EndpointAddress, ready: boolean): Endpoint {
  const ep: Endpoint = { addresses: [a.ip], conditions: { ready } };
  if (a.hostname) ep.hostname = a.hostname;
  if (a.targetRef) ep.targetRef = a.targetRef;
  if (a.nodeName !== undefined && a.nodeName !== null) ep.nodeName = a.nodeName;
  return ep;
}

/** epPortsToEpsPorts: every field copied, name always set. */
function toSlicePorts(ports: readonly CoreEndpointPort[] | undefined): EndpointPort[] {
  return (ports ?? []).map((p) => {
    const out: EndpointPort = { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' };
    if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
    return out;
  });
}

function withoutKeys(m: Record<string, string> | undefined, ...keys: string[]): Record<string, string> {
  const out = { ...(m ?? {}) };
  for (const k of keys) delete out[k];
  return out;
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (!(k in y) || x[k] !== y[k]) return false;
  return true;
}

/** newEndpointSlice (mirroring): labels and annotations from the Endpoints, ownerReference to the Endpoints. */
function newMirroredSlice(ep: Endpoints, ports: EndpointPort[], addressType: AddressType, existing?: EndpointSlice): EndpointSlice {
  const name = ep.metadata.name ?? '';
  const labels: Record<string, string> = { ...(ep.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: name, [LABEL_ENDPOINTSLICE_MANAGED_BY]: MIRRORING_CONTROLLER_NAME };
  const annotations = withoutKeys(ep.metadata.annotations, ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_LAST_APPLIED_CONFIG);
  const metadata: EndpointSlice['metadata'] = {
    namespace: ep.metadata.namespace,
    labels,
    ownerReferences: [{ ...controllerRef(ep, 'v1', 'Endpoints') }],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (existing) {
    metadata.name = existing.metadata.name;
    metadata.resourceVersion = existing.metadata.resourceVersion;
    metadata.uid = existing.metadata.uid;
  } else {
    metadata.generateName = endpointSlicePrefix(name);
  }
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType, endpoints: [], ports };
}

const keyOf = (t: AddressType, ports: readonly EndpointPort[] | null | undefined) => `${t}\u0003${portMapKey(ports)}`;

/** The mirroring decision for one Endpoints key. */
export function reconcileMirroring(input: MirroringReconcileInput): MirroringReconcileResult {
  const res: MirroringReconcileResult = { create: [], update: [], delete: [], events: [], addressesSkipped: 0 };
  const deleteAll = (why: NonNullable<MirroringReconcileResult['notMirrored']>): MirroringReconcileResult =>
    ({ ...res, notMirrored: why, delete: [...input.existingSlices] });
  if (!input.service) return deleteAll('ServiceMissing');
  if (hasSelector(input.service)) return deleteAll('ServiceHasSelector');
  const ep = input.endpoints;
  if (!ep) return deleteAll('EndpointsMissing');
  if (ep.metadata.labels?.[LABEL_SKIP_MIRROR] === 'true') return deleteAll('SkipMirror');
  if (!shouldMirror(ep)) return deleteAll('LeaderElection');
  const max = Math.max(1, input.maxEndpointsPerSubset ?? DEFAULT_MAX_ENDPOINTS_PER_SUBSET);

  // desiredCalc: per (address type, port list) the endpoints to mirror; both address types get a key.
  const desired = new Map<string, { set: EndpointSet; ports: EndpointPort[]; type: AddressType }>();
  let invalid = 0;
  let skipped = 0;
  for (const subset of repackSubsets(ep.subsets ?? [])) {
    const ports = toSlicePorts(subset.ports);
    const keys: Record<AddressType, string> = { IPv4: keyOf('IPv4', ports), IPv6: keyOf('IPv6', ports), FQDN: '' };
    for (const t of ['IPv4', 'IPv6'] as const) if (!desired.has(keys[t])) desired.set(keys[t], { set: new EndpointSet(), ports, type: t });
    const total = (subset.addresses?.length ?? 0) + (subset.notReadyAddresses?.length ?? 0);
    let added = 0;
    const take = (list: readonly EndpointAddress[] | undefined, ready: boolean) => {
      for (const a of list ?? []) {
        if (added >= max) break;
        const t = addressTypeOf(a.ip);
        if (!t) { invalid++; continue; }
        desired.get(keys[t])!.set.insert(addressToEndpoint(a, ready));
        added++;
      }
    };
    take(subset.addresses, true);
    take(subset.notReadyAddresses, false);
    skipped += total - added;
  }
  res.addressesSkipped = skipped;
  if (invalid > 0) res.events.push({ type: 'Warning', reason: 'InvalidIPAddress', message: `Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices` });
  if (skipped > invalid) {
    res.events.push({ type: 'Warning', reason: 'TooManyAddressesToMirror', message: `A max of ${max} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped` });
  }

  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const s of [...input.existingSlices].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
    const k = keyOf(s.addressType, s.ports);
    let l = existingByKey.get(k);
    if (!l) existingByKey.set(k, (l = []));
    l.push(s);
  }

  const compareAnnotations = withoutKeys(ep.metadata.annotations, ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME, ANNOTATION_LAST_APPLIED_CONFIG);
  for (const [k, { set, ports, type }] of desired) {
    const existing = existingByKey.get(k) ?? [];
    if (set.size === 0) { res.delete.push(...existing); continue; }
    if (existing.length > 0) {
      res.delete.push(...existing.slice(1));
      const first = existing[0];
      let changed = false;
      let matches = 0;
      for (const e of first.endpoints ?? []) {
        const got = set.get(e);
        if (!got) { changed = true; continue; }
        matches++;
        if (!endpointsEqualBeyondHash(got, e)) changed = true;
      }
      if (set.size !== matches) changed = true;
      const compareLabels = withoutKeys(first.metadata.labels, LABEL_ENDPOINTSLICE_MANAGED_BY, LABEL_SERVICE_NAME);
      if (!changed && sameMap(ep.metadata.labels, compareLabels) && sameMap(compareAnnotations, first.metadata.annotations)) continue;
    }
    const s = newMirroredSlice(ep, ports, type, existing[0]);
    while (set.size > 0 && s.endpoints!.length < max) s.endpoints!.push(set.popAny()!);
    if (s.metadata.name) res.update.push(s);
    else res.create.push(s);
  }
  for (const [k, slices] of existingByKey) if (!desired.has(k)) res.delete.push(...slices);

  // recycleSlices: creates become updates of slices about to be deleted (same address type).
  for (let i = 0; i < res.create.length;) {
    const c = res.create[i];
    const j = res.delete.findIndex((d) => d.addressType === c.addressType);
    if (j < 0) { i++; continue; }
    const gone = res.delete[j];
    res.delete.splice(j, 1);
    res.create.splice(i, 1);
    delete c.metadata.generateName;
    c.metadata.name = gone.metadata.name;
    c.metadata.resourceVersion = gone.metadata.resourceVersion;
    c.metadata.uid = gone.metadata.uid;
    res.update.push(c);
  }
  if (ep.metadata.deletionTimestamp) res.create = [];
  res.create = res.create.map(toWire);
  res.update = res.update.map(toWire);
  return res;
}

/** What a real API server returns for an empty ports list: null. */
function toWire(s: EndpointSlice): EndpointSlice {
  return { ...s, ports: s.ports && s.ports.length > 0 ? s.ports : null };
}
