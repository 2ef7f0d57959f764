// watchCluster: feeds a ClusterView from informers over a RestClient (rule book §2.1): Services,
// EndpointSlices (discovery.k8s.io/v1) and Namespaces through one SharedInformerFactory, and Pods only
// for `pods verified`, with CoreDNS's field selector (§2.12). Works against kubedisco or any cluster.

import type { KObject } from '../../api/meta.ts';
import { findResource, type ResourceInfo } from '../../api/resources.ts';
import type { RestClient } from '../../client/rest.ts';
import { SharedInformerFactory } from '../../client/informer/factory.ts';
import type { SharedInformer } from '../../client/informer/shared-informer.ts';
import { unwrapTombstone } from '../../client/informer/store.ts';
import type { SharedInformerOptions } from '../../client/informer/shared-informer.ts';
import { ClusterView, type ViewOptions } from './view.ts';
import { newStrippers, stripperFor } from './strip.ts';

export interface WatchConfig {
  /** Pods are watched only when 'verified'. */
  pods?: 'disabled' | 'insecure' | 'verified';
  /** `noendpoints` (§14.8): no EndpointSlice watch. */
  noEndpoints?: boolean;
  /** `labels SELECTOR` (§14.6): only Services/EndpointSlices/Pods with these labels are watched. */
  labels?: string;
  /** Passed to every informer (clock, backoff, page size...). */
  informerOptions?: SharedInformerOptions;
  now?: ViewOptions['now'];
}

export interface ClusterWatch {
  view: ClusterView;
  /** Waits until every informer has synced (optionally bounded, like CoreDNS's startup_timeout); true if synced. */
  ready(opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<boolean>;
  hasSynced(): boolean;
  stop(): Promise<void>;
}

/** CoreDNS podListFunc: Succeeded, Failed and Unknown pods are not listed. */
export const POD_FIELD_SELECTOR = 'status.phase!=Succeeded,status.phase!=Failed,status.phase!=Unknown';

function must(group: string, version: string, plural: string): ResourceInfo {
  const r = findResource(group, version, plural);
  if (!r) throw new Error(`resource ${plural} unknown`);
  return r;
}

export function watchCluster(rest: RestClient, config: WatchConfig = {}): ClusterWatch {
  const view = new ClusterView({ trackPods: config.pods === 'verified', now: config.now });
  const base = config.informerOptions ?? {};
  const selected = new SharedInformerFactory(rest, { ...base, labelSelector: config.labels });
  const unfiltered = new SharedInformerFactory(rest, base);
  const podsFactory = new SharedInformerFactory(rest, { ...base, labelSelector: config.labels, fieldSelector: POD_FIELD_SELECTOR });
  const factories = [selected, unfiltered, podsFactory];

  // Each informer stores its objects cut down to what the view reads (strip.ts, CoreDNS object.To*).
  const strippers = newStrippers();
  const informer = (f: SharedInformerFactory, info: ResourceInfo, kind: string) => f.informer(info, '', { transform: stripperFor(strippers, kind) });
  const wire = (inf: SharedInformer<KObject>, kind: string) => {
    inf.addEventHandler({
      onAdd: (o) => view.apply('ADDED', o, kind),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion && a.metadata.resourceVersion === b.metadata.resourceVersion) return; // relist survivor
        view.apply('MODIFIED', b, kind);
      },
      onDelete: (o) => view.apply('DELETED', unwrapTombstone(o), kind),
    });
  };
  wire(informer(selected, must('', 'v1', 'services'), 'Service'), 'Service');
  if (!config.noEndpoints) wire(informer(selected, must('discovery.k8s.io', 'v1', 'endpointslices'), 'EndpointSlice'), 'EndpointSlice');
  wire(informer(unfiltered, must('', 'v1', 'namespaces'), 'Namespace'), 'Namespace');
  if (config.pods === 'verified') wire(informer(podsFactory, must('', 'v1', 'pods'), 'Pod'), 'Pod');
  for (const f of factories) f.start();

  return {
    view,
    ready: async (opts = {}) => { await Promise.all(factories.map((f) => f.waitForSync(opts))); return factories.every((f) => f.hasSynced()); },
    hasSynced: () => factories.every((f) => f.hasSynced()),
    stop: async () => { await Promise.all(factories.map((f) => f.stop())); },
  };
}
