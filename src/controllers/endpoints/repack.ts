// RepackSubsets and SortSubsets (pkg/api/v1/endpoints/util.go), kubernetes-semantics.md §3.9: addresses that
// share an identical port set are grouped into one subset, de-duplicated by (IP, targetRef.uid) with "not
// ready" winning over "ready"; addresses sorted by IP as a byte string, then UID; ports and subsets sorted by
// the md5 of their Go `%#v` rendering through go-spew (hashutil.DeepHashObject). That rendering is
// reproduced here for the three Go types involved, so kubedisco orders them exactly as kube does.

import { createHash } from 'node:crypto';
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../../api/types/endpoints.ts';

// -------------------------------------------------------------------------------------------------
// go-spew `%#v` (ConfigState{Indent: " ", SortKeys, DisableMethods, SpewKeys}) of core/v1 values. A struct
// prints `(<type>){Field:(<type>)value ...}`; inside a slice the element type is not repeated; a nil pointer
// prints `(*T)<nil>`, a set one `(*T)value`; a nil slice `([]T)<nil>`; strings are written raw.

const str = (v: string | undefined) => `(string)${v ?? ''}`;
const strPtr = (v: string | undefined | null) => (v === undefined || v === null ? '(*string)<nil>' : `(*string)${v}`);

/** The fields of a v1.EndpointPort: Name, Port, Protocol, AppProtocol. */
function spewPortFields(p: EndpointPort): string {
  return `{Name:${str(p.name)} Port:(int32)${p.port ?? 0} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:${strPtr(p.appProtocol)}}`;
}

/** `%#v` of a v1.EndpointPort value. */
export function spewEndpointPort(p: EndpointPort): string {
  return `(v1.EndpointPort)${spewPortFields(p)}`;
}

/** The fields of a v1.EndpointAddress: IP, Hostname, NodeName *string, TargetRef *v1.ObjectReference. */
function spewAddressFields(a: EndpointAddress): string {
  const r = a.targetRef;
  const ref = r
    ? `(*v1.ObjectReference){Kind:${str(r.kind)} Namespace:${str(r.namespace)} Name:${str(r.name)} UID:(types.UID)${r.uid ?? ''} APIVersion:${str(r.apiVersion)} ResourceVersion:${str(r.resourceVersion)} FieldPath:${str(r.fieldPath)}}`
    : '(*v1.ObjectReference)<nil>';
  return `{IP:${str(a.ip)} Hostname:${str(a.hostname)} NodeName:${strPtr(a.nodeName)} TargetRef:${ref}}`;
}

function spewList<T>(type: string, list: readonly T[] | undefined, fields: (x: T) => string): string {
  if (list === undefined) return `([]${type})<nil>`;
  return `([]${type})[${list.map(fields).join(' ')}]`;
}

/** `%#v` of a v1.EndpointSubset value (Addresses, NotReadyAddresses, Ports; an absent list is a nil slice). */
export function spewEndpointSubset(s: EndpointSubset): string {
  return `(v1.EndpointSubset){Addresses:${spewList('v1.EndpointAddress', s.addresses, spewAddressFields)} ` +
    `NotReadyAddresses:${spewList('v1.EndpointAddress', s.notReadyAddresses, spewAddressFields)} ` +
    `Ports:${spewList('v1.EndpointPort', s.ports, spewPortFields)}}`;
}

function md5(s: string): Buffer {
  return createHash('md5').update(s, 'utf8').digest();
}

// -------------------------------------------------------------------------------------------------
// Sorting

/** bytes.Compare of two strings' UTF-8 bytes. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** LessEndpointAddress: IP as a byte string, then targetRef UID (no targetRef sorts first). */
export function lessEndpointAddress(a: EndpointAddress, b: EndpointAddress): boolean {
  const c = compareBytes(a.ip, b.ip);
  if (c !== 0) return c < 0;
  if (!b.targetRef) return false;
  if (!a.targetRef) return true;
  return compareBytes(a.targetRef.uid ?? '', b.targetRef.uid ?? '') < 0;
}

const byAddress = (a: EndpointAddress, b: EndpointAddress) => (lessEndpointAddress(a, b) ? -1 : lessEndpointAddress(b, a) ? 1 : 0);

function sortByHash<T>(list: T[], render: (x: T) => string): T[] {
  const keyed = list.map((x) => ({ x, h: md5(render(x)) }));
  keyed.sort((p, q) => Buffer.compare(p.h, q.h));
  return keyed.map((k) => k.x);
}

/** SortSubsets: addresses and notReadyAddresses by IP then UID, ports by hash, subsets by hash. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    if (s.addresses) s.addresses.sort(byAddress);
    if (s.notReadyAddresses) s.notReadyAddresses.sort(byAddress);
    if (s.ports) s.ports = sortByHash(s.ports, spewEndpointPort);
  }
  return sortByHash(subsets, spewEndpointSubset);
}

// -------------------------------------------------------------------------------------------------
// RepackSubsets

const SENTINEL: EndpointPort = { port: -1 };

function portMapKey(p: EndpointPort): string {
  return `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}\u0000${p.appProtocol ?? '\u0001'}`;
}

/**
 * RepackSubsets: expands subsets to (address, port) pairs and packs them back, one subset per distinct set of
 * addresses (with their readiness) sharing ports. Subsets without ports keep their addresses (a sentinel port).
 * Inputs are not modified; the result is sorted (sortSubsets).
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const allAddrs = new Map<string, EndpointAddress>();
  const portToAddrs = new Map<string, { port: EndpointPort; addrs: Map<EndpointAddress, boolean> }>();
  const mapAddress = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const key = `${addr.ip}\u0000${addr.targetRef ? addr.targetRef.uid ?? '' : ''}`;
    let existing = allAddrs.get(key);
    if (!existing) allAddrs.set(key, (existing = { ...addr }));
    const pk = portMapKey(port);
    let entry = portToAddrs.get(pk);
    if (!entry) portToAddrs.set(pk, (entry = { port, addrs: new Map() }));
    const was = entry.addrs.get(existing);
    if (was === undefined || was) entry.addrs.set(existing, ready);
  };
  for (const s of subsets) {
    const ports = s.ports && s.ports.length > 0 ? s.ports : [SENTINEL];
    for (const port of ports) {
      for (const a of s.addresses ?? []) mapAddress(a, port, true);
      for (const a of s.notReadyAddresses ?? []) mapAddress(a, port, false);
    }
  }
  // Group ports by the identical set of (address, ready).
  const groups = new Map<string, { addrs: Map<EndpointAddress, boolean>; ports: EndpointPort[] | undefined }>();
  for (const { port, addrs } of portToAddrs.values()) {
    const sorted = [...addrs.entries()].sort(([a], [b]) => byAddress(a, b));
    const gk = sorted.map(([a, r]) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}\u0000${r ? 1 : 0}`).join('\u0001');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { addrs, ports: undefined }));
    if (port.port > 0) (g.ports ??= []).push(port);
  }
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [a, r] of g.addrs) (r ? ready : notReady).push(a);
    const s: EndpointSubset = {};
    if (ready.length) s.addresses = ready;
    if (notReady.length) s.notReadyAddresses = notReady;
    if (g.ports) s.ports = g.ports;
    out.push(s);
  }
  return sortSubsets(out);
}
