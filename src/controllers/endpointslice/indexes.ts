// Indexes that keep the endpoint controllers' work per change independent of the cluster's size:
//  - ServiceSelectorIndex: a pod's Services without scanning every Service (kube's GetPodServiceMemberships
//    lists the namespace's Services; we look at the Services one of whose selector pairs the pod carries).
//  - PodLabelIndex: a Service's pods without scanning the namespace (kube lists the namespace's pods through
//    the lister and filters): pods by (namespace, label, value), the smallest bucket of the selector is read.
//  - slicesByService: EndpointSlices by (namespace, kubernetes.io/service-name), an Indexer index.

import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Pod } from '../../api/types/pod.ts';
import { LABEL_SERVICE_NAME } from '../../api/well-known.ts';
import { unwrapTombstone, type SharedInformer } from '../../client/index.ts';
import { selectorMatches } from './util.ts';

const pairKey = (namespace: string, k: string, v: string) => `${namespace}\u0000${k}\u0000${v}`;

/** Services by the first (sorted) pair of their selector; a pod's candidates are the buckets of its labels. */
export class ServiceSelectorIndex {
  private readonly buckets = new Map<string, Set<string>>();
  private readonly entries = new Map<string, { namespace: string; selector: Record<string, string>; bucket: string }>();

  /** Records (or, with no selector, forgets) a Service's selector. */
  set(key: string, namespace: string, selector: Record<string, string> | undefined | null): void {
    const prev = this.entries.get(key);
    const keys = selector ? Object.keys(selector).sort() : [];
    if (keys.length === 0) { if (prev) this.delete(key); return; }
    const bucket = pairKey(namespace, keys[0], selector![keys[0]]);
    if (prev && prev.bucket !== bucket) this.removeFromBucket(prev.bucket, key);
    this.entries.set(key, { namespace, selector: { ...selector! }, bucket });
    let b = this.buckets.get(bucket);
    if (!b) this.buckets.set(bucket, (b = new Set()));
    b.add(key);
  }

  delete(key: string): void {
    const prev = this.entries.get(key);
    if (!prev) return;
    this.entries.delete(key);
    this.removeFromBucket(prev.bucket, key);
  }

  private removeFromBucket(bucket: string, key: string): void {
    const b = this.buckets.get(bucket);
    if (!b) return;
    b.delete(key);
    if (b.size === 0) this.buckets.delete(bucket);
  }

  /** Keys of the Services (with a selector) in the pod's namespace whose selector matches these labels. */
  servicesFor(namespace: string, labels: Readonly<Record<string, string>> | undefined): string[] {
    const out: string[] = [];
    if (!labels) return out;
    for (const k in labels) {
      const b = this.buckets.get(pairKey(namespace, k, labels[k]));
      if (!b) continue;
      for (const key of b) {
        const e = this.entries.get(key)!;
        if (selectorMatches(e.selector, labels)) out.push(key);
      }
    }
    return out;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Pods by (namespace, label, value), maintained by a handler on the shared pod informer (one per informer). */
export class PodLabelIndex {
  private static readonly shared = new WeakMap<object, PodLabelIndex>();
  private readonly buckets = new Map<string, Set<string>>();
  private readonly informer: SharedInformer<KObject>;

  /** The index of this pod informer (created, and its handler registered, on first use). */
  static for(informer: SharedInformer<KObject>): PodLabelIndex {
    let idx = PodLabelIndex.shared.get(informer);
    if (!idx) {
      idx = new PodLabelIndex(informer);
      PodLabelIndex.shared.set(informer, idx);
    }
    return idx;
  }

  private constructor(informer: SharedInformer<KObject>) {
    this.informer = informer;
    informer.addEventHandler({
      onAdd: (o) => this.add(o),
      onUpdate: (a, b) => {
        if (sameLabels(a.metadata.labels, b.metadata.labels)) return;
        this.remove(a);
        this.add(b);
      },
      onDelete: (o) => this.remove(unwrapTombstone(o)),
    });
  }

  private add(o: KObject): void {
    const ns = o.metadata.namespace ?? '';
    const key = `${ns}/${o.metadata.name}`;
    for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
      const bk = pairKey(ns, k, v);
      let b = this.buckets.get(bk);
      if (!b) this.buckets.set(bk, (b = new Set()));
      b.add(key);
    }
  }

  private remove(o: KObject): void {
    const ns = o.metadata.namespace ?? '';
    const key = `${ns}/${o.metadata.name}`;
    for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
      const bk = pairKey(ns, k, v);
      const b = this.buckets.get(bk);
      if (!b) continue;
      b.delete(key);
      if (b.size === 0) this.buckets.delete(bk);
    }
  }

  /** The cached pods of a namespace that a (non-empty) Service selector matches. */
  matching(namespace: string, selector: Readonly<Record<string, string>>): Pod[] {
    let smallest: Set<string> | undefined;
    for (const k in selector) {
      const b = this.buckets.get(pairKey(namespace, k, selector[k]));
      if (!b) return [];
      if (!smallest || b.size < smallest.size) smallest = b;
    }
    if (!smallest) return [];
    const out: Pod[] = [];
    for (const key of smallest) {
      const p = this.informer.indexer.getByKey(key);
      if (p && selectorMatches(selector, p.metadata.labels)) out.push(p as unknown as Pod);
    }
    return out;
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  const x = a ?? {};
  const y = b ?? {};
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  for (const k of kx) if (x[k] !== y[k]) return false;
  return true;
}

export const SLICES_BY_SERVICE = 'kubedisco.io/endpointslices-by-service';

/** Adds (once per informer) the index of EndpointSlices by `<namespace>/<kubernetes.io/service-name>`. */
export function ensureSlicesByServiceIndex(informer: SharedInformer<KObject>): void {
  try {
    informer.indexer.listIndexFuncValues(SLICES_BY_SERVICE);
    return;
  } catch {
    // not there yet
  }
  informer.indexer.addIndexers({
    [SLICES_BY_SERVICE]: (o: KObject) => {
      const name = o.metadata.labels?.[LABEL_SERVICE_NAME];
      return name ? [`${o.metadata.namespace ?? ''}/${name}`] : [];
    },
  });
}

/** The cached EndpointSlices labelled kubernetes.io/service-name=<name> in a namespace. */
export function slicesOfService(informer: SharedInformer<KObject>, serviceKey: string): EndpointSlice[] {
  return informer.indexer.byIndex(SLICES_BY_SERVICE, serviceKey) as unknown as EndpointSlice[];
}
