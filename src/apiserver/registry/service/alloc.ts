// Service ClusterIP and NodePort allocation, after pkg/registry/core/service/storage/alloc.go
// (initIPFamilyFields, allocateCreate, allocateUpdate, releaseAllocatedResources). Each begin* returns an
// Allocation: revert() gives back what it took, commit() performs the releases the update implies
// (ports or IPs the Service no longer holds). State is derived: rebuild(existing) recreates the bitmaps
// from the stored Services, so it survives restarts.

import type { KObject } from '../../../api/meta.ts';
import { field, internalError, invalid, StatusError, type FieldError } from '../../../api/status.ts';
import type { IPFamily, ServicePort, ServiceSpec } from '../../../api/types/core-v1-service.ts';
import { parseIP } from '../../../api/validation.ts';
import type { Allocation, RegistryConfig } from '../strategy.ts';
import type { RandomSource } from './bitmap.ts';
import { AllocatorError, IPRangeAllocator } from './ipallocator.ts';
import { PortAllocator } from './portallocator.ts';
import { arr, needsHealthCheck, sameStrings, specOf, validateServiceClusterIPsRelatedFields } from './validation.ts';

/** A reservation: undo steps for what was taken, and releases deferred until commit. */
export class Txn implements Allocation {
  private readonly undo: Array<() => void> = [];
  private readonly onCommit: Array<() => void> = [];
  private done = false;
  took(fn: () => void): void { this.undo.push(fn); }
  deferRelease(fn: () => void): void { this.onCommit.push(fn); }
  commit(): void {
    if (this.done) return;
    this.done = true;
    for (const fn of this.onCommit) fn();
  }
  revert(): void {
    if (this.done) return;
    this.done = true;
    for (const fn of this.undo.reverse()) fn();
  }
}

function nameOf(obj: KObject): string { return obj.metadata?.name ?? ''; }

function serviceInvalid(obj: KObject, errs: FieldError[]): StatusError {
  return invalid('Service', '', nameOf(obj), errs);
}

/** needsClusterIP: everything but ExternalName holds clusterIP/clusterIPs (even "None"). */
export function needsClusterIP(spec: ServiceSpec): boolean { return spec.type !== 'ExternalName'; }
/** needsNodePort: NodePort and LoadBalancer. */
export function needsNodePort(spec: ServiceSpec): boolean { return spec.type === 'NodePort' || spec.type === 'LoadBalancer'; }

function shouldAllocateNodePorts(spec: ServiceSpec): boolean {
  if (spec.type === 'NodePort') return true;
  if (spec.type === 'LoadBalancer') return spec.allocateLoadBalancerNodePorts !== false;
  return false;
}

/** The ports that are objects (a malformed entry is left to validation). */
function ports(spec: ServiceSpec): ServicePort[] {
  return Array.isArray(spec.ports) ? spec.ports.filter((p) => p !== null && typeof p === 'object') : [];
}

/** collectServiceNodePorts: every non-zero nodePort (duplicates kept, as upstream). */
export function collectServiceNodePorts(spec: ServiceSpec): number[] {
  return ports(spec).map((p) => (typeof p?.nodePort === 'number' ? p.nodePort : 0)).filter((n) => n !== 0);
}

/** Go's %v of portallocator's ServiceNodePort{Protocol, NodePort}: `{TCP 30080}`. */
function serviceNodePortString(protocol: string, nodePort: number): string { return `{${protocol} ${nodePort}}`; }

function isMatchingPreferDualStackClusterIPFields(n: ServiceSpec, o: ServiceSpec | undefined): boolean {
  if (!o) return false;
  if (n.ipFamilyPolicy === undefined || n.ipFamilyPolicy === null) return false;
  if (o.type !== n.type) return false;
  if (n.type !== 'ClusterIP' && n.type !== 'NodePort' && n.type !== 'LoadBalancer') return false;
  if (n.ipFamilyPolicy !== 'PreferDualStack') return false;
  if (o.ipFamilyPolicy !== undefined && o.ipFamilyPolicy !== null && o.ipFamilyPolicy !== 'PreferDualStack') return false;
  return sameStrings(o.clusterIPs, n.clusterIPs) && sameStrings(o.ipFamilies, n.ipFamilies);
}

export interface AllocatorOptions { random?: RandomSource }

export class ServiceAllocators {
  readonly ipByFamily = new Map<IPFamily, IPRangeAllocator>();
  readonly defaultFamily: IPFamily;
  readonly nodePorts: PortAllocator;

  constructor(cfg: RegistryConfig, opts: AllocatorOptions = {}) {
    const rand = opts.random ?? Math.random;
    const cidrs = cfg.serviceCIDR.split(',').map((s) => s.trim()).filter(Boolean);
    if (cidrs.length === 0 || cidrs.length > 2) throw new Error(`invalid service CIDR ${JSON.stringify(cfg.serviceCIDR)}`);
    let first: IPFamily | undefined;
    for (const c of cidrs) {
      const a = new IPRangeAllocator(c, rand);
      if (this.ipByFamily.has(a.family)) throw new Error(`service CIDRs ${JSON.stringify(cfg.serviceCIDR)}: at most one per IP family`);
      this.ipByFamily.set(a.family, a);
      first ??= a.family;
    }
    this.defaultFamily = first!;
    this.nodePorts = new PortAllocator(cfg.nodePortRange, rand);
  }

  // ----------------------------------------------------------------------------------------------
  // ipFamilyPolicy / ipFamilies (initIPFamilyFields).

  /** Defaults ipFamilyPolicy and ipFamilies; throws 422 for inconsistent or unsupported requests. */
  initIPFamilyFields(obj: KObject, old?: KObject): void {
    const spec = specOf(obj);
    if (spec.type === 'ExternalName') return;
    const o = old ? specOf(old) : undefined;
    if (isMatchingPreferDualStackClusterIPFields(spec, o)) return;

    if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
      if (o && o.ipFamilyPolicy) spec.ipFamilyPolicy = o.ipFamilyPolicy;
      else if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) spec.ipFamilyPolicy = 'RequireDualStack';
      else spec.ipFamilyPolicy = 'SingleStack';
    }

    const pre = validateServiceClusterIPsRelatedFields(obj);
    if (pre.length) throw serviceInvalid(obj, pre);

    const el: FieldError[] = [];
    if (o) {
      if (spec.ipFamilyPolicy === 'SingleStack') {
        if (sameStrings(o.clusterIPs, spec.clusterIPs) && arr(spec.clusterIPs).length > 1) spec.clusterIPs = spec.clusterIPs!.slice(0, 1);
        if (sameStrings(o.ipFamilies, spec.ipFamilies) && arr(spec.ipFamilies).length > 1) spec.ipFamilies = spec.ipFamilies!.slice(0, 1);
      } else {
        const n1 = spec.clusterIPs?.length ?? 0, o1 = o.clusterIPs?.length ?? 0;
        if (n1 > 0 && n1 < o1) el.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary cluster IP"));
        const n2 = spec.ipFamilies?.length ?? 0, o2 = o.ipFamilies?.length ?? 0;
        if (n2 > 0 && n2 < o2) el.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'SingleStack' to release the secondary IP family"));
      }
    }

    if (spec.ipFamilyPolicy === 'SingleStack') {
      if (arr(spec.clusterIPs).length === 2) el.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
      if (arr(spec.ipFamilies).length === 2) el.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }

    const ips = arr(spec.clusterIPs);
    for (let i = 0; i < ips.length; i++) {
      if (ips[i] === 'None') break;
      const fam = parseIP(ips[i])?.family;
      if (!fam) continue;
      const families = arr(spec.ipFamilies);
      if (i >= families.length) {
        if (!this.ipByFamily.has(fam)) el.push(field.invalid(`spec.clusterIPs[${i}]`, ips, `${fam} is not configured on this cluster`));
        else spec.ipFamilies = [...families, fam];
      }
    }
    if (el.length) throw serviceInvalid(obj, el);

    if (spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0) {
      if (!spec.ipFamilies || spec.ipFamilies.length === 0) spec.ipFamilies = [this.defaultFamily];
      if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
        spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
      }
      return;
    }

    if (spec.ipFamilyPolicy === 'RequireDualStack' && this.ipByFamily.size < 2) {
      el.push(field.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    }
    arr(spec.ipFamilies).forEach((fam, i) => {
      if (!this.ipByFamily.has(fam)) el.push(field.invalid(`spec.ipFamilies[${i}]`, fam, 'not configured on this cluster'));
    });
    if (el.length) throw serviceInvalid(obj, el);

    if (!spec.ipFamilies || spec.ipFamilies.length === 0) spec.ipFamilies = [this.defaultFamily];
    if (spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length === 1 && this.ipByFamily.size === 2) {
      spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
    }
  }

  // ----------------------------------------------------------------------------------------------
  // ClusterIPs.

  /** allocIPs: "" means dynamic. Throws 500 (range full) or 422 (requested IP taken / out of range). */
  private allocIPs(obj: KObject, toAlloc: Array<[IPFamily, string]>, txn: Txn): Map<IPFamily, string> {
    const spec = specOf(obj);
    const out = new Map<IPFamily, string>();
    for (const [family, ip] of toAlloc) {
      const a = this.ipByFamily.get(family)!;
      if (ip === '') {
        let got: string;
        try {
          got = a.allocateNext();
        } catch (e) {
          throw internalError(`failed to allocate a serviceIP: ${(e as Error).message}`);
        }
        txn.took(() => a.release(got));
        out.set(family, got);
      } else {
        try {
          a.allocate(ip);
        } catch (e) {
          if (!(e instanceof AllocatorError)) throw e;
          throw serviceInvalid(obj, [field.invalid('spec.clusterIPs', [...arr(spec.clusterIPs)], `failed to allocate IP ${ip}: ${e.message}`)]);
        }
        txn.took(() => a.release(ip));
        out.set(family, ip);
      }
    }
    return out;
  }

  /** allocClusterIPs: fills clusterIPs (and clusterIP) for each family; headless and ExternalName get none. */
  private allocClusterIPs(obj: KObject, txn: Txn): void {
    const spec = specOf(obj);
    if (spec.type === 'ExternalName') return;
    if (arr(spec.clusterIPs).length > 0 && spec.clusterIPs![0] === 'None') return;
    const ips = [...arr(spec.clusterIPs)];
    const families = arr(spec.ipFamilies);
    const toAlloc: Array<[IPFamily, string]> = [];
    families.forEach((fam, i) => {
      if (i > ips.length - 1) ips.push('');
      toAlloc.push([fam, ips[i]]);
    });
    spec.clusterIPs = ips;
    const got = this.allocIPs(obj, toAlloc, txn);
    families.forEach((fam, i) => {
      const ip = got.get(fam);
      if (ip === undefined) return;
      ips[i] = ip;
      if (i === 0) spec.clusterIP = ip;
    });
  }

  private releaseIPsLater(spec: ServiceSpec, families: IPFamily[], ips: string[], txn: Txn): void {
    families.forEach((fam, i) => {
      const ip = ips[i];
      const a = this.ipByFamily.get(fam);
      if (a && ip && ip !== 'None') txn.deferRelease(() => a.release(ip));
    });
    void spec;
  }

  /** updateClusterIPs: type changes to/from ExternalName, dual-stack upgrade/downgrade. */
  private updateClusterIPs(obj: KObject, old: KObject, txn: Txn): void {
    const n = specOf(obj), o = specOf(old);
    if (isMatchingPreferDualStackClusterIPFields(n, o)) return;
    if (o.type === 'ExternalName' && n.type !== 'ExternalName') { this.allocClusterIPs(obj, txn); return; }
    if (arr(o.clusterIPs).length > 0 && o.clusterIPs![0] === 'None') return;
    if (o.type !== 'ExternalName' && n.type === 'ExternalName') {
      this.releaseIPsLater(o, arr(o.ipFamilies), arr(o.clusterIPs), txn);
      return;
    }
    const of = arr(o.ipFamilies), nf = arr(n.ipFamilies);
    if (of.length === 1 && nf.length === 2) {
      const ips = [...arr(n.clusterIPs)];
      if (ips.length < 2) ips.push('');
      n.clusterIPs = ips;
      const got = this.allocIPs(obj, [[nf[1], ips[1]]], txn);
      ips[1] = got.get(nf[1])!;
      return;
    }
    if (of.length === 2 && nf.length === 1) {
      this.releaseIPsLater(o, [of[1]], [arr(o.clusterIPs)[1]], txn);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // NodePorts.

  private allocPort(port: number, txn: Txn): void {
    this.nodePorts.allocate(port);
    txn.took(() => this.nodePorts.release(port));
  }

  private allocNextPort(txn: Txn): number {
    const p = this.nodePorts.allocateNext();
    txn.took(() => this.nodePorts.release(p));
    return p;
  }

  private portInvalid(obj: KObject, i: number, port: number, e: unknown): StatusError {
    if (!(e instanceof AllocatorError)) throw e;
    return serviceInvalid(obj, [field.invalid(`spec.ports[${i}].nodePort`, port, e.message)]);
  }

  /** initNodePorts: ports sharing a port number (TCP and UDP 53) share one nodePort unless the user chose. */
  private initNodePorts(obj: KObject, txn: Txn): void {
    const spec = specOf(obj);
    const list = ports(spec);
    const byPort = new Map<number, number>();
    for (let i = 0; i < list.length; i++) {
      const sp = list[i];
      const np0 = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
      if (np0 === 0 && !shouldAllocateNodePorts(spec)) continue;
      const allocated = byPort.get(sp.port) ?? 0;
      if (allocated === 0) {
        const requested = list.find((p) => p.port === sp.port && typeof p.nodePort === 'number' && p.nodePort !== 0)?.nodePort ?? 0;
        if (requested !== 0) {
          try { this.allocPort(requested, txn); } catch (e) { throw this.portInvalid(obj, i, requested, e); }
          sp.nodePort = requested;
          byPort.set(sp.port, requested);
        } else {
          let np: number;
          try { np = this.allocNextPort(txn); } catch (e) { throw internalError(`failed to allocate a nodePort: ${(e as Error).message}`); }
          sp.nodePort = np;
          byPort.set(sp.port, np);
        }
      } else if (np0 !== allocated) {
        if (np0 === 0) sp.nodePort = allocated;
        else {
          try { this.allocPort(np0, txn); } catch (e) { throw this.portInvalid(obj, i, np0, e); }
        }
      }
    }
  }

  private allocHealthCheckNodePort(spec: ServiceSpec, txn: Txn): void {
    const hc = typeof spec.healthCheckNodePort === 'number' ? spec.healthCheckNodePort : 0;
    if (hc !== 0) {
      try { this.allocPort(hc, txn); } catch (e) {
        throw internalError(`failed to allocate requested HealthCheck NodePort ${hc}: ${(e as Error).message}`);
      }
    } else {
      let np: number;
      try { np = this.allocNextPort(txn); } catch (e) {
        throw internalError(`failed to allocate a HealthCheck NodePort 0: ${(e as Error).message}`);
      }
      spec.healthCheckNodePort = np;
    }
  }

  /** updateNodePorts: keep what the Service already holds, allocate new values, release dropped ones on commit. */
  private updateNodePorts(obj: KObject, old: KObject, txn: Txn): void {
    const spec = specOf(obj);
    const oldNumbers = collectServiceNodePorts(specOf(old));
    const seen: string[] = [];
    const taken = new Set<number>();
    const list = ports(spec);
    for (let i = 0; i < list.length; i++) {
      const sp = list[i];
      let np = typeof sp.nodePort === 'number' ? sp.nodePort : 0;
      if (np === 0 && !shouldAllocateNodePorts(spec)) continue;
      if (np !== 0) {
        if (!oldNumbers.includes(np) && !taken.has(np)) {
          try { this.allocPort(np, txn); } catch (e) { throw this.portInvalid(obj, i, np, e); }
          taken.add(np);
        }
      } else {
        try { np = this.allocNextPort(txn); } catch (e) { throw internalError(`failed to allocate a nodePort: ${(e as Error).message}`); }
        sp.nodePort = np;
      }
      const key = serviceNodePortString(String(sp.protocol ?? ''), np);
      if (seen.includes(key)) throw internalError(`duplicate nodePort: ${key}`);
      seen.push(key);
    }
    const newNumbers = collectServiceNodePorts(spec);
    for (const p of oldNumbers) if (!newNumbers.includes(p)) txn.deferRelease(() => this.nodePorts.release(p));
  }

  private updateHealthCheckNodePort(obj: KObject, old: KObject, txn: Txn): void {
    const n = specOf(obj), o = specOf(old);
    const needed = needsHealthCheck(o), needs = needsHealthCheck(n);
    if (!needed && needs) this.allocHealthCheckNodePort(n, txn);
    else if (needed && !needs) {
      const hc = typeof o.healthCheckNodePort === 'number' ? o.healthCheckNodePort : 0;
      if (hc) txn.deferRelease(() => this.nodePorts.release(hc));
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Entry points.

  /** allocateCreate: families, then ClusterIPs, then NodePorts (+ health check port). Reverts itself on error. */
  allocateCreate(obj: KObject): Txn {
    const txn = new Txn();
    try {
      this.initIPFamilyFields(obj);
      this.allocClusterIPs(obj, txn);
      const spec = specOf(obj);
      if (needsNodePort(spec)) this.initNodePorts(obj, txn);
      if (needsHealthCheck(spec)) this.allocHealthCheckNodePort(spec, txn);
      return txn;
    } catch (e) {
      txn.revert();
      throw e;
    }
  }

  /** allocateUpdate: families, ClusterIP changes, NodePort changes; releases happen on commit. */
  allocateUpdate(obj: KObject, old: KObject): Txn {
    const txn = new Txn();
    try {
      this.initIPFamilyFields(obj, old);
      this.updateClusterIPs(obj, old, txn);
      const n = specOf(obj), o = specOf(old);
      if (needsNodePort(o) && (n.type === 'ExternalName' || n.type === 'ClusterIP')) {
        for (const p of collectServiceNodePorts(o)) txn.deferRelease(() => this.nodePorts.release(p));
      }
      if (needsNodePort(n)) this.updateNodePorts(obj, old, txn);
      this.updateHealthCheckNodePort(obj, old, txn);
      return txn;
    } catch (e) {
      txn.revert();
      throw e;
    }
  }

  /** releaseAllocatedResources: what a deleted Service held. */
  release(obj: KObject): void {
    const spec = specOf(obj);
    if (spec.type !== 'ExternalName' && !(arr(spec.clusterIPs).length > 0 && spec.clusterIPs![0] === 'None')) {
      // Upstream picks the allocator by each IP's own family (releaseClusterIPs).
      for (const ip of arr(spec.clusterIPs)) {
        const fam = parseIP(ip)?.family;
        if (fam) this.ipByFamily.get(fam)?.release(ip);
      }
    }
    for (const p of collectServiceNodePorts(spec)) this.nodePorts.release(p);
    if (needsHealthCheck(spec) && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) {
      this.nodePorts.release(spec.healthCheckNodePort);
    }
  }

  /**
   * Rebuilds the bitmaps from stored Services (the repair controllers' job upstream). Values outside the
   * configured ranges (e.g. after a range change) or claimed twice are skipped and reported.
   */
  rebuild(existing: KObject[]): string[] {
    for (const a of this.ipByFamily.values()) a.clear();
    this.nodePorts.clear();
    const problems: string[] = [];
    for (const obj of existing) {
      const spec = specOf(obj);
      const key = `${obj.metadata?.namespace ?? ''}/${nameOf(obj)}`;
      if (spec.type !== 'ExternalName') {
        for (const ip of arr(spec.clusterIPs)) {
          if (!ip || ip === 'None') continue;
          const fam = parseIP(ip)?.family;
          const a = fam ? this.ipByFamily.get(fam) : undefined;
          try {
            if (!a) throw new AllocatorError('notInRange', 'family not configured');
            a.allocate(ip);
          } catch (e) {
            problems.push(`service ${key}: clusterIP ${ip}: ${(e as Error).message}`);
          }
        }
      }
      const taken = new Set<number>();
      const nps = collectServiceNodePorts(spec);
      if (needsHealthCheck(spec) && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) nps.push(spec.healthCheckNodePort);
      for (const p of nps) {
        if (taken.has(p)) continue; // TCP and UDP sharing one nodePort
        taken.add(p);
        try { this.nodePorts.allocate(p); } catch (e) { problems.push(`service ${key}: nodePort ${p}: ${(e as Error).message}`); }
      }
    }
    return problems;
  }
}
