// EndpointSliceTracker (staging/src/k8s.io/endpointslice/util/endpointslice_tracker.go): remembers, per
// Service, the slices this controller last wrote, so that (1) a watch event that only echoes our own write
// does not trigger another sync, and (2) a sync never runs on a cache older than our last write (it would
// create duplicate slices or fight over stale ones).
//
// Upstream compares metadata.generation; kubedisco compares metadata.resourceVersion as an integer (every
// write changes it, and both kubedisco and etcd hand out increasing integers). A resourceVersion that is not
// an integer makes the tracker permissive: every event syncs and no cache counts as stale.

import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import { serviceKeyOfSlice } from './util.ts';

const DELETION_EXPECTED = -1;

function rvOf(s: EndpointSlice): number {
  const n = Number(s.metadata.resourceVersion);
  return Number.isSafeInteger(n) ? n : NaN;
}

export class EndpointSliceTracker {
  /** service key → slice uid → resourceVersion we wrote (or DELETION_EXPECTED). */
  private readonly byService = new Map<string, Map<string, number>>();
  private readonly keyOf: (s: EndpointSlice) => string | undefined;

  /** keyOf: the owner key a slice belongs to (default `<ns>/<kubernetes.io/service-name>`). */
  constructor(keyOf: (s: EndpointSlice) => string | undefined = serviceKeyOfSlice) {
    this.keyOf = keyOf;
  }

  private entry(s: EndpointSlice): Map<string, number> | undefined {
    const k = this.keyOf(s);
    return k === undefined ? undefined : this.byService.get(k);
  }

  has(s: EndpointSlice): boolean {
    return this.entry(s)?.has(s.metadata.uid ?? '') ?? false;
  }

  /** ShouldSync: not tracked, or newer than what we wrote. */
  shouldSync(s: EndpointSlice): boolean {
    const g = this.entry(s)?.get(s.metadata.uid ?? '');
    if (g === undefined) return true;
    const rv = rvOf(s);
    return Number.isNaN(rv) || rv > g;
  }

  /**
   * StaleSlices: the cache is older than our writes — a tracked slice is older than written, expected to be
   * gone but still there, or written by us and not in the cache yet.
   */
  staleSlices(serviceKey: string, slices: readonly EndpointSlice[]): boolean {
    const gens = this.byService.get(serviceKey);
    if (!gens) return false;
    const provided = new Set<string>();
    for (const s of slices) {
      const uid = s.metadata.uid ?? '';
      provided.add(uid);
      const g = gens.get(uid);
      if (g === undefined) continue;
      if (g === DELETION_EXPECTED) return true;
      const rv = rvOf(s);
      if (!Number.isNaN(rv) && g > rv) return true;
    }
    for (const [uid, g] of gens) if (g !== DELETION_EXPECTED && !provided.has(uid)) return true;
    return false;
  }

  /** Update: record a slice as written (the object the API returned). */
  update(s: EndpointSlice): void {
    const k = this.keyOf(s);
    if (k === undefined) return;
    let m = this.byService.get(k);
    if (!m) this.byService.set(k, (m = new Map()));
    const rv = rvOf(s);
    m.set(s.metadata.uid ?? '', Number.isNaN(rv) ? 0 : rv);
  }

  /** ExpectDeletion: we deleted it; its delete event must not trigger a sync. */
  expectDeletion(s: EndpointSlice): void {
    const k = this.keyOf(s);
    if (k === undefined) return;
    let m = this.byService.get(k);
    if (!m) this.byService.set(k, (m = new Map()));
    m.set(s.metadata.uid ?? '', DELETION_EXPECTED);
  }

  /** HandleDeletion: forget the slice; true when its deletion was expected (no sync needed). */
  handleDeletion(s: EndpointSlice): boolean {
    const m = this.entry(s);
    const uid = s.metadata.uid ?? '';
    const g = m?.get(uid);
    if (m && g !== undefined) {
      m.delete(uid);
      if (m.size === 0) this.byService.delete(this.keyOf(s)!);
    }
    return g === DELETION_EXPECTED;
  }

  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }

  get size(): number {
    return this.byService.size;
  }
}
