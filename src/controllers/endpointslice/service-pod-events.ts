// How Service and Pod events turn into syncs of Services, for the two controllers that follow pods
// (endpoints and endpointslice; endpoints_controller.go and endpointslice_controller.go onServiceUpdate /
// addPod / updatePod / deletePod): a Service event keeps the selector index and queues the Service (an
// update only when its resourceVersion moved); a Pod event queues every Service whose selector matches it
// (old and new labels on an update, servicesToUpdateOnPodChange), after the batch period when one is set.

import { keyOf, type KObject } from '../../api/meta.ts';
import type { Pod } from '../../api/types/pod.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import { unwrapTombstone, type EventHandler, type RateLimitingQueue } from '../../client/index.ts';
import type { ServiceSelectorIndex } from './indexes.ts';
import { hasSelector, servicesToUpdateOnPodChange } from './util.ts';

export interface ServicePodEventTarget {
  selectors: ServiceSelectorIndex;
  queue: RateLimitingQueue<string>;
  /** --endpoint-updates-batch-period: pod events queue their Services this much later (0: at once). */
  batchMs: number;
  /** Counts each Service queued because of a pod event. */
  onPodEnqueue(): void;
}

export function servicePodEventHandlers(t: ServicePodEventTarget): { service: EventHandler<KObject>; pod: EventHandler<KObject> } {
  const onService = (o: KObject): void => {
    const svc = o as unknown as Service;
    const key = keyOf(o);
    t.selectors.set(key, o.metadata.namespace ?? '', hasSelector(svc) ? svc.spec!.selector : undefined);
    t.queue.add(key);
  };
  const servicesOf = (pod: Pod): string[] => t.selectors.servicesFor(pod.metadata.namespace ?? '', pod.metadata.labels);
  const enqueue = (keys: Iterable<string>): void => {
    for (const k of keys) {
      t.onPodEnqueue();
      if (t.batchMs > 0) t.queue.addAfter(k, t.batchMs);
      else t.queue.add(k);
    }
  };
  return {
    service: {
      onAdd: (o) => onService(o),
      onUpdate: (a, b) => { if (a.metadata.resourceVersion !== b.metadata.resourceVersion) onService(b); },
      onDelete: (o) => {
        const key = keyOf(unwrapTombstone(o));
        t.selectors.delete(key);
        t.queue.add(key);
      },
    },
    pod: {
      onAdd: (o) => enqueue(servicesOf(o as unknown as Pod)),
      onUpdate: (a, b) => enqueue(servicesToUpdateOnPodChange(a as unknown as Pod, b as unknown as Pod, servicesOf)),
      onDelete: (o) => enqueue(servicesOf(unwrapTombstone(o) as unknown as Pod)),
    },
  };
}
