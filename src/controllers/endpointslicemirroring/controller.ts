// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring/endpointslicemirroring_controller.go):
// hand-written Endpoints of a Service without a selector are mirrored into EndpointSlices, so that slice
// readers (kube-proxy, CoreDNS, kubectl describe svc) see them (kubernetes-semantics.md §4.2). Informers on
// Services, Endpoints and EndpointSlices; handlers enqueue Endpoints keys; sync(key) asks reconcile.ts.

import { keyOf, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { isNotFound, StatusError } from '../../api/status.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import type { Endpoints } from '../../api/types/endpoints.ts';
import type { EndpointSlice } from '../../api/types/endpointslice.ts';
import { LABEL_ENDPOINTSLICE_MANAGED_BY } from '../../api/well-known.ts';
import { RateLimitingQueue, unwrapTombstone, type HandlerRegistration, type SharedInformer } from '../../client/index.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { ensureSlicesByServiceIndex, slicesOfService } from '../endpointslice/indexes.ts';
import { EndpointSliceTracker } from '../endpointslice/tracker.ts';
import { hasSelector, MIRRORING_CONTROLLER_NAME, serviceKeyOfSlice } from '../endpointslice/util.ts';
import { DEFAULT_MAX_ENDPOINTS_PER_SUBSET, reconcileMirroring, shouldMirror } from './reconcile.ts';
import { sliceEventHandlers, type SliceEventHandlers } from '../endpointslice/slice-events.ts';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const COMPONENT = 'endpoint-slice-mirroring-controller';
const MAX_RETRIES = 15;
const STALE_CACHE_RECHECK_MS = 1000;

function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export interface EndpointSliceMirroringControllerOptions {
  /** --mirroring-max-endpoints-per-subset (default 1000). */
  maxEndpointsPerSubset?: number;
}

export interface EndpointSliceMirroringControllerMetrics {
  syncs: number;
  syncErrors: number;
  creates: number;
  updates: number;
  deletes: number;
  /** Syncs whose slices were already right (nothing written). */
  skippedNoopWrites: number;
  staleCacheWaits: number;
  addressesSkipped: number;
}

export class EndpointSliceMirroringController implements Controller {
  readonly name = 'endpointslicemirroring';
  private readonly m: EndpointSliceMirroringControllerMetrics = {
    syncs: 0, syncErrors: 0, creates: 0, updates: 0, deletes: 0, skippedNoopWrites: 0, staleCacheWaits: 0, addressesSkipped: 0,
  };
  private readonly ctx: ControllerContext;
  private readonly maxPerSubset: number;
  private readonly queue: RateLimitingQueue<string>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly waitingForCache = new Set<string>();
  private readonly sliceEvents: SliceEventHandlers = sliceEventHandlers({
    managedBy: MIRRORING_CONTROLLER_NAME,
    tracker: this.tracker,
    waitingForCache: this.waitingForCache,
    queueForSlice: (s, onlyIfNotOurs) => this.queueForSlice(s, onlyIfNotOurs),
  });
  private readonly inflight = new Map<string, number>();
  private svcInf?: SharedInformer<KObject>;
  private epInf?: SharedInformer<KObject>;
  private sliceInf?: SharedInformer<KObject>;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext, opts: EndpointSliceMirroringControllerOptions = {}) {
    this.ctx = ctx;
    this.maxPerSubset = Math.min(1000, Math.max(1, opts.maxEndpointsPerSubset ?? DEFAULT_MAX_ENDPOINTS_PER_SUBSET));
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  }

  metrics(): EndpointSliceMirroringControllerMetrics & { queue: ReturnType<RateLimitingQueue<string>['metrics']> } {
    return { ...this.m, queue: this.queue.metrics() };
  }

  async run(): Promise<void> {
    const inf = this.ctx.informers;
    const svcInf = (this.svcInf = inf.informer(SERVICES));
    const epInf = (this.epInf = inf.informer(ENDPOINTS));
    const sliceInf = (this.sliceInf = inf.informer(SLICES));
    ensureSlicesByServiceIndex(sliceInf);
    const selectorless = (o: KObject) => !hasSelector(o as unknown as Service);
    this.regs.push(svcInf.addEventHandler({
      onAdd: (o) => { if (selectorless(o)) this.queue.add(keyOf(o)); },
      onUpdate: (a, b) => { if (selectorless(a) !== selectorless(b)) this.queue.add(keyOf(b)); },
      onDelete: (o) => { const s = unwrapTombstone(o); if (selectorless(s)) this.queue.add(keyOf(s)); },
    }));
    const mirrored = (o: KObject) => shouldMirror(o as unknown as Endpoints);
    this.regs.push(epInf.addEventHandler({
      onAdd: (o) => { if (mirrored(o)) this.queue.add(keyOf(o)); },
      onUpdate: (a, b) => { if (mirrored(a) || mirrored(b)) this.queue.add(keyOf(b)); },
      onDelete: (o) => { const e = unwrapTombstone(o); if (mirrored(e)) this.queue.add(keyOf(e)); },
    }));
    this.regs.push(sliceInf.addEventHandler({
      onAdd: (o) => this.sliceEvents.onAdd(o as unknown as EndpointSlice),
      onUpdate: (a, b) => this.sliceEvents.onUpdate(a as unknown as EndpointSlice, b as unknown as EndpointSlice),
      onDelete: (o) => this.sliceEvents.onDelete(o),
    }));
    await Promise.all([svcInf.waitForSync(), epInf.waitForSync(), sliceInf.waitForSync()]);
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

  private managedByUs(s: EndpointSlice): boolean {
    return s.metadata.labels?.[LABEL_ENDPOINTSLICE_MANAGED_BY] === MIRRORING_CONTROLLER_NAME;
  }

  private queueForSlice(s: EndpointSlice, skipIfOurs: boolean): void {
    const key = serviceKeyOfSlice(s);
    if (!key) return;
    if (this.waitingForCache.delete(key)) { this.queue.add(key); return; }
    if (skipIfOurs && (this.inflight.get(key) ?? 0) > 0) return;
    this.queue.add(key);
  }

  private async sync(key: string): Promise<void> {
    this.m.syncs++;
    const namespace = key.slice(0, key.indexOf('/'));
    const svc = this.svcInf!.indexer.getByKey(key) as unknown as Service | undefined;
    const ep = this.epInf!.indexer.getByKey(key) as unknown as Endpoints | undefined;
    const slices = slicesOfService(this.sliceInf!, key).filter((s) => this.managedByUs(s));
    const willMirror = !!svc && !hasSelector(svc) && shouldMirror(ep);
    if (!willMirror) {
      this.tracker.deleteService(key);
    } else if (this.tracker.staleSlices(key, slices)) {
      this.m.staleCacheWaits++;
      this.waitingForCache.add(key);
      this.queue.addAfter(key, STALE_CACHE_RECHECK_MS);
      return;
    }
    const r = reconcileMirroring({ service: svc, endpoints: ep, existingSlices: slices, maxEndpointsPerSubset: this.maxPerSubset });
    this.m.addressesSkipped += r.addressesSkipped;
    if (ep) for (const e of r.events) this.ctx.recorder(COMPONENT).event({ ...(ep as unknown as KObject), apiVersion: 'v1', kind: 'Endpoints' }, e.type, e.reason, e.message);
    if (r.create.length + r.update.length + r.delete.length === 0) { this.m.skippedNoopWrites++; return; }
    const client = this.ctx.rest.resource<KObject>(SLICES, namespace);
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    try {
      for (const s of r.create) {
        let created: KObject;
        try {
          created = await client.create(s as unknown as KObject);
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Endpoints ${key}: ${(e as Error).message}`);
        }
        this.m.creates++;
        this.tracker.update(created as unknown as EndpointSlice);
      }
      for (const s of r.update) {
        let updated: KObject;
        try {
          updated = await client.update(s as unknown as KObject);
        } catch (e) {
          throw new Error(`failed to update ${s.metadata.name} EndpointSlice for Endpoints ${key}: ${(e as Error).message}`);
        }
        this.m.updates++;
        this.tracker.update(updated as unknown as EndpointSlice);
      }
      for (const s of r.delete) {
        try {
          await client.delete(s.metadata.name ?? '');
        } catch (e) {
          if (!isNotFound(e)) throw new Error(`failed to delete ${s.metadata.name} EndpointSlice for Endpoints ${key}: ${(e as Error).message}`);
        }
        this.m.deletes++;
        if (willMirror) this.tracker.expectDeletion(s);
      }
    } finally {
      const n = (this.inflight.get(key) ?? 1) - 1;
      if (n <= 0) this.inflight.delete(key);
      else this.inflight.set(key, n);
    }
  }
}

export function endpointSliceMirroringControllerWith(opts: EndpointSliceMirroringControllerOptions): ControllerFactory {
  return (ctx) => new EndpointSliceMirroringController(ctx, opts);
}

export const endpointSliceMirroringController: ControllerFactory = (ctx) => new EndpointSliceMirroringController(ctx);
