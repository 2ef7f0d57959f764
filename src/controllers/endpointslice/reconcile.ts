// The EndpointSlice controller's decision, as a pure function: one Service, its selected pods, the Nodes and
// the slices the controller already manages for it → the slices to create, update and delete. A port of
// staging/src/k8s.io/endpointslice/reconciler.go (Reconcile, reconcileByAddressType, reconcileByPortMapping,
// finalize) without the API calls; kubernetes-semantics.md §4.1.

import type { KObject } from '../../api/meta.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import type { AddressType, Endpoint, EndpointPort, EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Node } from '../../api/types/node.ts';
import type { Pod } from '../../api/types/pod.ts';
import { ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME } from '../../api/well-known.ts';
import {
  addressTypesForService, controllerRef, DEFAULT_MAX_ENDPOINTS_PER_SLICE, ENDPOINTSLICE_CONTROLLER_NAME, endpointPortsFor, EndpointSet,
  endpointSliceLabels, endpointSlicePrefix, endpointsEqualBeyondHash, hasSelector, ownedBy, podToEndpoint, portMapKey, publishNotReadyAddresses,
  semanticJSON, shouldPodBeInEndpoints,
} from './util.ts';

export interface EndpointSliceReconcileInput {
  service: Service;
  /** The pods the Service's selector matches (any order; they are taken in name order). */
  pods: readonly Pod[];
  /** The Node cache. */
  node: (name: string) => Node | undefined;
  /** Slices labelled with the Service's name and managed by this controller, not being deleted. */
  existingSlices: readonly EndpointSlice[];
  /** --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
  /** endpoints.kubernetes.io/last-change-trigger-time for the slices written; '' removes it. */
  triggerTime?: string;
  controllerName?: string;
}

export interface EndpointSliceReconcileResult {
  /** Why nothing is managed for this Service (§4.1: ExternalName, no selector); undefined when reconciled. */
  skipped?: 'ExternalName' | 'NoSelector';
  /** New slices (generateName `<service>-`). */
  create: EndpointSlice[];
  /** Whole slices to PUT (name and resourceVersion of the slice they replace). */
  update: EndpointSlice[];
  /** Existing slices to delete. */
  delete: EndpointSlice[];
  /** Pods left out because their Node is not in the cache (the sync fails and is retried, §4.1). */
  missingNodes: Array<{ pod: string; node: string }>;
  /** Updates dropped because they would write exactly what the slice already holds. */
  noopUpdates: number;
  added: number;
  removed: number;
}

interface EndpointMeta { addressType: AddressType; ports: EndpointPort[] }

/** The slices this controller wants for a Service (upstream Reconciler.Reconcile + finalize, without the writes). */
export function reconcileEndpointSlices(input: EndpointSliceReconcileInput): EndpointSliceReconcileResult {
  const res: EndpointSliceReconcileResult = { create: [], update: [], delete: [], missingNodes: [], noopUpdates: 0, added: 0, removed: 0 };
  const svc = input.service;
  if (svc.spec?.type === 'ExternalName') return { ...res, skipped: 'ExternalName' };
  if (!hasSelector(svc)) return { ...res, skipped: 'NoSelector' };
  const ctx: Ctx = {
    svc,
    max: Math.max(1, input.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE),
    controllerName: input.controllerName ?? ENDPOINTSLICE_CONTROLLER_NAME,
  };
  const pods = [...input.pods].sort((a, b) => cmp(a.metadata.name ?? '', b.metadata.name ?? ''));

  const types = addressTypesForService(svc);
  const byType = new Map<AddressType, EndpointSlice[]>();
  const deletesOfRemovedTypes: EndpointSlice[] = [];
  for (const s of input.existingSlices) {
    if (!types.includes(s.addressType)) { deletesOfRemovedTypes.push(s); continue; }
    let l = byType.get(s.addressType);
    if (!l) byType.set(s.addressType, (l = []));
    l.push(s);
  }
  for (const t of types) {
    const plan = reconcileByAddressType(ctx, pods, input.node, byType.get(t) ?? [], t, res);
    finalize(ctx, plan, input.triggerTime ?? '', res);
  }
  res.delete.push(...deletesOfRemovedTypes);
  return res;
}

interface Ctx { svc: Service; max: number; controllerName: string }
interface Plan { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[]; existing: Map<string, EndpointSlice> }

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function reconcileByAddressType(ctx: Ctx, pods: Pod[], nodeOf: (name: string) => Node | undefined, existingSlices: EndpointSlice[], addressType: AddressType, res: EndpointSliceReconcileResult): Plan {
  const plan: Plan = { create: [], update: [], delete: [], existing: new Map(existingSlices.map((s) => [s.metadata.name ?? '', s])) };
  const existingByPortMap = new Map<string, EndpointSlice[]>();
  for (const s of existingSlices) {
    if (!ownedBy(s, ctx.svc)) { plan.delete.push(s); continue; }
    const k = portMapKey(s.ports);
    let l = existingByPortMap.get(k);
    if (!l) existingByPortMap.set(k, (l = []));
    l.push(s);
  }

  const desiredMeta = new Map<string, EndpointMeta>();
  const desiredEndpoints = new Map<string, EndpointSet>();
  const publishNotReady = publishNotReadyAddresses(ctx.svc);
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPortsFor(ctx.svc, pod);
    const k = portMapKey(ports);
    let set = desiredEndpoints.get(k);
    if (!set) {
      desiredEndpoints.set(k, (set = new EndpointSet()));
      desiredMeta.set(k, { addressType, ports });
    }
    const nodeName = pod.spec?.nodeName ?? '';
    const node = nodeOf(nodeName);
    if (!node && !publishNotReady) {
      res.missingNodes.push({ pod: pod.metadata.name ?? '', node: nodeName });
      continue;
    }
    const ep = podToEndpoint(pod, node, ctx.svc, addressType);
    if (ep.addresses.length > 0) set.insert(ep);
  }

  for (const [k, desired] of desiredEndpoints) {
    const r = reconcileByPortMapping(ctx, existingByPortMap.get(k) ?? [], desired, desiredMeta.get(k)!);
    plan.create.push(...r.create);
    plan.update.push(...r.update);
    plan.delete.push(...r.delete);
    res.added += r.added;
    res.removed += r.removed;
  }
  for (const [k, slices] of existingByPortMap) {
    if (!desiredEndpoints.has(k)) plan.delete.push(...slices);
  }

  // No slice would remain: keep (or create) the placeholder.
  if (existingSlices.length === plan.delete.length && plan.create.length < 1) {
    const placeholder = newEndpointSlice(ctx, { addressType, ports: [] });
    if (plan.delete.length === 1 && isSamePlaceholder(plan.delete[0], placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }
  return plan;
}

/** placeholderSliceCompare: same namespace, labels and addressType, and no endpoints nor ports. */
function isSamePlaceholder(existing: EndpointSlice, placeholder: EndpointSlice): boolean {
  if ((existing.metadata.namespace ?? '') !== (placeholder.metadata.namespace ?? '')) return false;
  if (existing.addressType !== placeholder.addressType) return false;
  if ((existing.endpoints?.length ?? 0) !== 0 || (existing.ports?.length ?? 0) !== 0) return false;
  const a = existing.metadata.labels ?? {};
  const b = placeholder.metadata.labels ?? {};
  for (const k of Object.keys(a)) if (b[k] !== a[k]) return false;
  for (const k of Object.keys(b)) if (a[k] !== b[k]) return false;
  return true;
}

/** newEndpointSlice: generateName `<service>-`, the controller ownerReference, labels from the Service. */
function newEndpointSlice(ctx: Ctx, meta: EndpointMeta): EndpointSlice {
  const { labels } = endpointSliceLabels(undefined, ctx.svc, ctx.controllerName);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: endpointSlicePrefix(ctx.svc.metadata.name ?? ''),
      namespace: ctx.svc.metadata.namespace,
      labels,
      ownerReferences: [controllerRef(ctx.svc, 'v1', 'Service')],
    },
    addressType: meta.addressType,
    endpoints: [],
    ports: meta.ports,
  };
}

/** A copy of a cached slice that may be changed (the cache's object is never modified). */
function copySlice(s: EndpointSlice): EndpointSlice {
  return { ...s, metadata: { ...s.metadata }, endpoints: [...(s.endpoints ?? [])] };
}

interface PortMapResult { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[]; added: number; removed: number }

/** reconcileByPortMapping: update in place, fill the fullest updated slices, then one untouched slice that fits, then new ones. */
function reconcileByPortMapping(ctx: Ctx, existingSlices: EndpointSlice[], desired: EndpointSet, meta: EndpointMeta): PortMapResult {
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  let removed = 0;

  // 1. Drop endpoints no longer desired, replace the ones that changed.
  for (const existing of existingSlices) {
    const name = existing.metadata.name ?? '';
    byName.set(name, existing);
    const eps = existing.endpoints ?? [];
    const kept: Endpoint[] = [];
    let endpointUpdated = false;
    for (const ep of eps) {
      const got = desired.get(ep);
      if (!got) continue;
      kept.push(got);
      if (!endpointsEqualBeyondHash(got, ep)) endpointUpdated = true;
      desired.delete(ep);
    }
    const { labels, updated: labelsChanged } = endpointSliceLabels(existing.metadata.labels, ctx.svc, ctx.controllerName);
    if (endpointUpdated || eps.length !== kept.length) {
      if (eps.length > kept.length) removed += eps.length - kept.length;
      if (kept.length === 0) {
        toDelete.add(name);
      } else {
        const s = copySlice(existing);
        s.endpoints = kept;
        s.metadata.labels = labels;
        byName.set(name, s);
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      const s = copySlice(existing);
      s.metadata.labels = labels;
      byName.set(name, s);
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }

  const added = desired.size;

  // 2. Fill the slices already being updated, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of slices) {
      while (desired.size > 0 && s.endpoints!.length < ctx.max) s.endpoints!.push(desired.popAny()!);
    }
  }

  // 3. The rest: one untouched slice they all fit in (closest fit), else new slices.
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let fill: EndpointSlice | undefined;
    if (desired.size < ctx.max && unchanged.size > 0) {
      const found = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, ctx.max);
      if (found) {
        fill = copySlice(found);
        byName.set(found.metadata.name ?? '', fill);
      }
    }
    if (!fill) fill = newEndpointSlice(ctx, meta);
    while (desired.size > 0 && fill.endpoints!.length < ctx.max) fill.endpoints!.push(desired.popAny()!);
    if (fill.metadata.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else {
      create.push(fill);
    }
  }
  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: [...toDelete].map((n) => byName.get(n)!),
    added,
    removed,
  };
}

/** getSliceToFill: the untouched slice with the least room left that still fits numEndpoints. */
function sliceToFill(slices: EndpointSlice[], numEndpoints: number, max: number): EndpointSlice | undefined {
  let closestDiff = max;
  let closest: EndpointSlice | undefined;
  for (const s of slices) {
    const diff = max - (numEndpoints + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (closestDiff === 0) return closest;
    }
  }
  return closest;
}

/**
 * finalize: creates become updates of slices about to be deleted (same addressType, owned by this Service);
 * no creates while the Service is being deleted; the trigger-time annotation on every slice written; and
 * (kubedisco) an update that would write exactly what the slice holds is dropped.
 */
function finalize(ctx: Ctx, plan: Plan, triggerTime: string, res: EndpointSliceReconcileResult): void {
  const create = plan.create;
  const del = plan.delete;
  const update = plan.update;
  // Updates from reconcileByPortMapping change endpoints or labels by construction; only a create recycled
  // into an update of a slice about to be deleted can turn out to write what that slice already holds.
  const recycled = new Set<EndpointSlice>();
  for (let i = 0; i < del.length;) {
    if (create.length === 0) break;
    const gone = del[i];
    const s = create[create.length - 1];
    if (gone.addressType === s.addressType && ownedBy(gone, ctx.svc)) {
      s.metadata.name = gone.metadata.name;
      delete s.metadata.generateName;
      s.metadata.resourceVersion = gone.metadata.resourceVersion;
      s.metadata.uid = gone.metadata.uid;
      create.pop();
      update.push(s);
      recycled.add(s);
      del.splice(i, 1);
    } else {
      i++;
    }
  }
  if (!ctx.svc.metadata.deletionTimestamp) {
    for (const s of create) res.create.push(toWire(withTriggerTime(s, triggerTime)));
  }
  for (const s of update) {
    const before = recycled.has(s) ? plan.existing.get(s.metadata.name ?? '') : undefined;
    if (before && sameContent(before, s)) { res.noopUpdates++; continue; }
    res.update.push(toWire(withTriggerTime(s, triggerTime)));
  }
  res.delete.push(...del);
}

/** addTriggerTimeAnnotation: set it, or remove it when there is no trigger time. */
function withTriggerTime(s: EndpointSlice, t: string): EndpointSlice {
  const annotations = { ...(s.metadata.annotations ?? {}) };
  if (t) annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME] = t;
  else delete annotations[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
  const metadata = { ...s.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...s, metadata };
}

/** The JSON a real API server returns for an empty list here: null (no endpoints, no ports). */
function toWire(s: EndpointSlice): EndpointSlice {
  return { ...s, endpoints: s.endpoints && s.endpoints.length > 0 ? s.endpoints : null, ports: s.ports && s.ports.length > 0 ? s.ports : null };
}

/** Whether writing `next` over `prev` would change nothing but the trigger-time annotation. */
export function sameContent(prev: EndpointSlice, next: EndpointSlice): boolean {
  if (prev.addressType !== next.addressType) return false;
  if (semanticJSON(prev.endpoints) !== semanticJSON(next.endpoints)) return false;
  if (semanticJSON(prev.ports) !== semanticJSON(next.ports)) return false;
  if (!sameMap(prev.metadata.labels, next.metadata.labels)) return false;
  const strip = (m: Record<string, string> | undefined) => {
    const c = { ...(m ?? {}) };
    delete c[ANNOTATION_ENDPOINTS_LAST_CHANGE_TRIGGER_TIME];
    return c;
  };
  if (!sameMap(strip(prev.metadata.annotations), strip(next.metadata.annotations))) return false;
  return semanticJSON(prev.metadata.ownerReferences) === semanticJSON(next.metadata.ownerReferences);
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (y[k] !== x[k] || !(k in y)) return false;
  return true;
}

/** The object handed to the REST client (EndpointSlice is a KObject on the wire). */
export function asKObject(s: EndpointSlice): KObject {
  return s as unknown as KObject;
}
