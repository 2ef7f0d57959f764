// The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go): for every Service
// with a selector, EndpointSlices listing its pods (kubernetes-semantics.md §4.1). Informers on Services,
// Pods, Nodes and EndpointSlices; handlers only enqueue Service keys — a pod change only the Services whose
// selector matches its old or new labels, found through an index; a level-based sync(key) reads the caches,
// asks reconcile.ts for the slices to create, update and delete, and writes them.

import { keyOf, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { isNotFound, StatusError } from '../../api/status.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import type { Node } from '../../api/types/node.ts';
import type { Pod } from '../../api/types/pod.ts';
import { LABEL_ENDPOINTSLICE_MANAGED_BY } from '../../api/well-known.ts';
import {
  RateLimitingQueue, type HandlerRegistration, type SharedInformer,
} from '../../client/index.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { ensureSlicesByServiceIndex, PodLabelIndex, ServiceSelectorIndex, slicesOfService } from './indexes.ts';
import { servicePodEventHandlers } from './service-pod-events.ts';
import { asKObject, reconcileEndpointSlices } from './reconcile.ts';
import { EndpointSliceTracker } from './tracker.ts';
import { TriggerTimeTracker } from './trigger-time.ts';
import {
  DEFAULT_MAX_ENDPOINTS_PER_SLICE, ENDPOINTSLICE_CONTROLLER_NAME, hasSelector, serviceKeyOfSlice,
} from './util.ts';
import { sliceEventHandlers, type SliceEventHandlers } from './slice-events.ts';

const SERVICES = findResource('', 'v1', 'services')!;
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const COMPONENT = 'endpoint-slice-controller';
/** endpointSliceChangeMinSyncDelay: a slice changed by someone else is looked at after this delay. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
/** kube's maxRetries for this controller. */
const MAX_RETRIES = 15;

/** apierrors.HasStatusCause(err, v1.NamespaceTerminatingCause). */
function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export interface EndpointSliceControllerOptions {
  /** --max-endpoints-per-slice: default 100 (or the manager's setting, ctx.maxEndpointsPerSlice), at most 1000. */
  maxEndpointsPerSlice?: number;
  /** --endpoint-updates-batch-period: delay before a pod change is synced (default 0). */
  endpointUpdatesBatchPeriodMs?: number;
}

export interface EndpointSliceControllerMetrics {
  /** sync(key) calls. */
  syncs: number;
  syncErrors: number;
  /** Syncs that found the slice cache older than our last write and waited for it. */
  staleCacheWaits: number;
  creates: number;
  updates: number;
  deletes: number;
  /** Syncs that wrote nothing (the slices were already right). */
  noopSyncs: number;
  /** Updates dropped because they would have written exactly what the slice held. */
  skippedNoopWrites: number;
  /** Services enqueued by pod events (after the index narrowed them down). */
  podEventEnqueues: number;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private readonly m: EndpointSliceControllerMetrics = {
    syncs: 0, syncErrors: 0, staleCacheWaits: 0, creates: 0, updates: 0, deletes: 0, noopSyncs: 0, skippedNoopWrites: 0, podEventEnqueues: 0,
  };
  private readonly ctx: ControllerContext;
  private readonly maxEndpointsPerSlice: number;
  private readonly batchMs: number;
  private readonly queue: RateLimitingQueue<string>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly selectors = new ServiceSelectorIndex();
  /** Services whose last sync found the slice cache stale: synced again as soon as a slice event arrives. */
  private readonly waitingForCache = new Set<string>();
  private readonly sliceEvents: SliceEventHandlers = sliceEventHandlers({
    managedBy: ENDPOINTSLICE_CONTROLLER_NAME,
    tracker: this.tracker,
    waitingForCache: this.waitingForCache,
    queueForSlice: (s, onlyIfNotOurs) => this.queueForSlice(s, onlyIfNotOurs),
  });
  /** Services with writes in flight: slice events for them are our own echo (or raced by a 409). */
  private readonly inflight = new Map<string, number>();
  /** Node name → Services that skipped a pod on it because the Node was not in the cache. */
  private readonly waitingForNode = new Map<string, Set<string>>();
  private svcInf?: SharedInformer<KObject>;
  private podInf?: SharedInformer<KObject>;
  private nodeInf?: SharedInformer<KObject>;
  private sliceInf?: SharedInformer<KObject>;
  private pods?: PodLabelIndex;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}) {
    this.ctx = ctx;
    this.maxEndpointsPerSlice = Math.min(1000, Math.max(1, opts.maxEndpointsPerSlice ?? ctx.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE));
    this.batchMs = opts.endpointUpdatesBatchPeriodMs ?? 0;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  }

  /** Counters: syncs, writes by verb, and the writes skipped because nothing changed. */
  metrics(): EndpointSliceControllerMetrics & { queue: ReturnType<RateLimitingQueue<string>['metrics']>; maxEndpointsPerSlice: number } {
    return { ...this.m, queue: this.queue.metrics(), maxEndpointsPerSlice: this.maxEndpointsPerSlice };
  }

  async run(): Promise<void> {
    const inf = this.ctx.informers;
    const svcInf = (this.svcInf = inf.informer(SERVICES));
    const podInf = (this.podInf = inf.informer(PODS));
    const nodeInf = (this.nodeInf = inf.informer(NODES));
    const sliceInf = (this.sliceInf = inf.informer(SLICES));
    this.pods = PodLabelIndex.for(podInf);
    ensureSlicesByServiceIndex(sliceInf);
    const events = servicePodEventHandlers({ selectors: this.selectors, queue: this.queue, batchMs: this.batchMs, onPodEnqueue: () => { this.m.podEventEnqueues++; } });
    this.regs.push(svcInf.addEventHandler(events.service));
    this.regs.push(podInf.addEventHandler(events.pod));
    this.regs.push(nodeInf.addEventHandler({
      onAdd: (o) => this.onNode(o),
      onDelete: () => {},
    }));
    this.regs.push(sliceInf.addEventHandler({
      // The initial list: every Service is queued by the Service handler anyway (at once, not 1 s later).
      onAdd: (o, initial) => { if (!initial) this.sliceEvents.onAdd(o as unknown as EndpointSlice); },
      onUpdate: (a, b) => this.sliceEvents.onUpdate(a as unknown as EndpointSlice, b as unknown as EndpointSlice),
      onDelete: (o) => this.sliceEvents.onDelete(o),
    }));
    await Promise.all([svcInf.waitForSync(), podInf.waitForSync(), nodeInf.waitForSync(), sliceInf.waitForSync()]);
    if (this.stopped) return;
    this.workers = startSyncWorkers({
      component: COMPONENT, queue: this.queue, ctx: this.ctx, sync: (key) => this.sync(key),
      onFailure: () => { this.m.syncErrors++; },
      maxRetries: MAX_RETRIES,
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await stopSyncWorkers(this.regs, this.queue, this.workers);
  }

  // -----------------------------------------------------------------------------------------------
  // Event handlers: they only enqueue Service keys.

  private onNode(o: KObject): void {
    const waiting = this.waitingForNode.get(o.metadata.name ?? '');
    if (!waiting) return;
    this.waitingForNode.delete(o.metadata.name ?? '');
    for (const k of waiting) this.queue.add(k);
  }

  private managedByUs(s: EndpointSlice): boolean {
    return s.metadata.labels?.[LABEL_ENDPOINTSLICE_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME;
  }

  /** A slice event: wake a sync waiting for the cache; otherwise queue the Service unless the event is our own write. */
  private queueForSlice(s: EndpointSlice, onlyIfNotOurs: boolean): void {
    const key = serviceKeyOfSlice(s);
    if (!key) return;
    if (this.waitingForCache.delete(key)) { this.queue.add(key); return; }
    if (onlyIfNotOurs && (this.inflight.get(key) ?? 0) > 0) return;
    this.queue.addAfter(key, Math.max(SLICE_CHANGE_MIN_SYNC_DELAY_MS, this.batchMs));
  }

  // -----------------------------------------------------------------------------------------------
  // sync

  private async sync(key: string): Promise<void> {
    this.m.syncs++;
    const svcObj = this.svcInf!.indexer.getByKey(key);
    if (!svcObj) {
      // Gone: its slices go with it through the garbage collector (ownerReferences).
      this.triggerTimes.deleteService(key);
      this.tracker.deleteService(key);
      this.waitingForCache.delete(key);
      return;
    }
    const svc = svcObj as unknown as Service;
    if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return;
    const namespace = svc.metadata.namespace ?? '';
    const pods = this.pods!.matching(namespace, svc.spec!.selector!);
    const slices = slicesOfService(this.sliceInf!, key).filter((s) => this.managedByUs(s) && !s.metadata.deletionTimestamp);
    if (this.tracker.staleSlices(key, slices)) {
      // Our last write is not in the cache yet: the next slice event for this Service syncs it again.
      this.m.staleCacheWaits++;
      this.waitingForCache.add(key);
      this.queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
      return;
    }
    const triggerTime = this.triggerTimes.compute(key, svc, pods);
    const plan = reconcileEndpointSlices({
      service: svc,
      pods,
      node: (name) => this.nodeInf!.indexer.getByKey(name) as unknown as Node | undefined,
      existingSlices: slices,
      maxEndpointsPerSlice: this.maxEndpointsPerSlice,
      triggerTime,
    });
    this.m.skippedNoopWrites += plan.noopUpdates;
    const errors: string[] = [];
    for (const { pod, node } of plan.missingNodes) {
      errors.push(`skipping Pod ${pod} for Service ${key}: node "${node}" not found`);
      let w = this.waitingForNode.get(node);
      if (!w) this.waitingForNode.set(node, (w = new Set()));
      w.add(key);
    }
    if (plan.create.length + plan.update.length + plan.delete.length === 0) this.m.noopSyncs++;
    else {
      try {
        await this.write(key, namespace, plan);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    if (errors.length > 0) {
      const msg = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
      this.ctx.recorder(COMPONENT).event(asKObjectService(svc), 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${msg}`);
      throw new Error(msg);
    }
  }

  /** finalize's writes: creates, then updates, then deletes; the tracker learns each result. */
  private async write(key: string, namespace: string, plan: ReturnType<typeof reconcileEndpointSlices>): Promise<void> {
    const client = this.ctx.rest.resource<KObject>(SLICES, namespace);
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    try {
      for (const s of plan.create) {
        let created: KObject;
        try {
          created = await client.create(asKObject(s));
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Service ${key}: ${(e as Error).message}`);
        }
        this.m.creates++;
        this.tracker.update(created as unknown as EndpointSlice);
      }
      for (const s of plan.update) {
        let updated: KObject;
        try {
          updated = await client.update(asKObject(s));
        } catch (e) {
          throw new Error(`failed to update ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`);
        }
        this.m.updates++;
        this.tracker.update(updated as unknown as EndpointSlice);
      }
      for (const s of plan.delete) {
        try {
          await client.delete(s.metadata.name ?? '');
        } catch (e) {
          if (!isNotFound(e)) throw new Error(`failed to delete ${s.metadata.name} EndpointSlice for Service ${key}: ${(e as Error).message}`);
        }
        this.m.deletes++;
        this.tracker.expectDeletion(s);
      }
    } finally {
      const n = (this.inflight.get(key) ?? 1) - 1;
      if (n <= 0) this.inflight.delete(key);
      else this.inflight.set(key, n);
    }
  }
}

function asKObjectService(svc: Service): KObject {
  return { ...(svc as unknown as KObject), apiVersion: 'v1', kind: 'Service' };
}

/** A factory with options (kube-controller-manager's flags for this controller). */
export function endpointSliceControllerWith(opts: EndpointSliceControllerOptions): ControllerFactory {
  return (ctx) => new EndpointSliceController(ctx, opts);
}

export const endpointSliceController: ControllerFactory = (ctx) => new EndpointSliceController(ctx);
