// How an EndpointSlice event turns into a sync of its Service, for the two controllers that own slices
// (endpointslice and endpointslicemirroring): our own writes coming back through the watch are not
// synced again (the tracker knows them), a sync waiting for the cache to catch up is woken, and a slice
// that changed managers or Services syncs both sides.

import type { KObject } from '../../api/meta.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import { LABEL_ENDPOINTSLICE_MANAGED_BY, LABEL_SERVICE_NAME } from '../../api/well-known.ts';
import { unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/index.ts';
import type { EndpointSliceTracker } from './tracker.ts';
import { serviceKeyOfSlice } from './util.ts';

export interface SliceEventTarget {
  /** The endpointslice.kubernetes.io/managed-by value of the controller's own slices. */
  managedBy: string;
  tracker: EndpointSliceTracker;
  /** Services whose last sync found the slice cache stale. */
  waitingForCache: Set<string>;
  /** Queues the slice's Service; with onlyIfNotOurs, not while our own write for it is in flight. */
  queueForSlice(s: EndpointSlice, onlyIfNotOurs: boolean): void;
}

export interface SliceEventHandlers {
  onAdd(s: EndpointSlice): void;
  onUpdate(prev: EndpointSlice, s: EndpointSlice): void;
  onDelete(o: KObject | DeletedFinalStateUnknown<KObject>): void;
}

export function sliceEventHandlers(t: SliceEventTarget): SliceEventHandlers {
  const ours = (s: EndpointSlice) => s.metadata.labels?.[LABEL_ENDPOINTSLICE_MANAGED_BY] === t.managedBy;
  const waiting = (s: EndpointSlice) => { const key = serviceKeyOfSlice(s); return !!key && t.waitingForCache.has(key); };
  return {
    onAdd(s) {
      if (waiting(s)) { t.queueForSlice(s, true); return; }
      if (ours(s) && t.tracker.shouldSync(s)) t.queueForSlice(s, true);
    },
    onUpdate(prev, s) {
      if (waiting(s)) { t.queueForSlice(s, true); return; }
      // The generation does not change when labels do; a changed service-name label moves the slice.
      if (prev.metadata.labels?.[LABEL_SERVICE_NAME] !== s.metadata.labels?.[LABEL_SERVICE_NAME]) {
        t.queueForSlice(s, false);
        t.queueForSlice(prev, false);
        return;
      }
      const managedByChanged = ours(prev) !== ours(s);
      if (managedByChanged || (ours(s) && t.tracker.shouldSync(s))) t.queueForSlice(s, !managedByChanged);
    },
    onDelete(o) {
      const s = unwrapTombstone(o) as unknown as EndpointSlice;
      if (waiting(s)) { t.queueForSlice(s, true); return; }
      // handleDeletion is false for a deletion we did not make: look again.
      if (ours(s) && t.tracker.has(s) && !t.tracker.handleDeletion(s)) t.queueForSlice(s, false);
    },
  };
}
