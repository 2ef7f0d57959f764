// The Endpoints controller (pkg/controller/endpoint/endpoints_controller.go): one v1 Endpoints per Service
// with a selector, which `kubectl get endpoints` shows (kubernetes-semantics.md §3). Informers on Services,
// Pods and Endpoints; handlers only enqueue Service keys (a pod change: only the Services whose selector
// matches its old or new labels); a level-based sync(key) asks reconcile.ts what to write.

import { keyOf, type KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { isNotFound, StatusError } from '../../api/status.ts';
import type { Service } from '../../api/types/core-v1-service.ts';
import type { Endpoints } from '../../api/types/endpoints.ts';
import { ANNOTATION_LEADER_ELECTION } from '../../api/well-known.ts';
import { RateLimitingQueue, unwrapTombstone, type HandlerRegistration, type SharedInformer } from '../../client/index.ts';
import { startSyncWorkers, stopSyncWorkers, type Controller, type ControllerContext, type ControllerFactory } from '../controller.ts';
import { PodLabelIndex, ServiceSelectorIndex } from '../endpointslice/indexes.ts';
import { TriggerTimeTracker } from '../endpointslice/trigger-time.ts';
import { hasSelector } from '../endpointslice/util.ts';
import { servicePodEventHandlers } from '../endpointslice/service-pod-events.ts';
import { reconcileEndpoints } from './reconcile.ts';

const SERVICES = findResource('', 'v1', 'services')!;
const PODS = findResource('', 'v1', 'pods')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
const COMPONENT = 'endpoint-controller';
const MAX_RETRIES = 15;
/** How long a sync waits for the Endpoints cache to catch up with our own write before looking again anyway. */
const STALE_CACHE_RECHECK_MS = 1000;

function isNamespaceTerminating(e: unknown): boolean {
  return e instanceof StatusError && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

function isForbidden(e: unknown): boolean {
  return e instanceof StatusError && (e.reason === 'Forbidden' || e.code === 403);
}

function rvNum(o: KObject | undefined): number {
  const n = Number(o?.metadata.resourceVersion);
  return Number.isSafeInteger(n) ? n : NaN;
}

export interface EndpointsControllerOptions {
  /** --endpoint-updates-batch-period: delay before a pod change is synced (default 0). */
  endpointUpdatesBatchPeriodMs?: number;
}

export interface EndpointsControllerMetrics {
  syncs: number;
  syncErrors: number;
  creates: number;
  updates: number;
  deletes: number;
  /** Syncs that found the Endpoints already right and wrote nothing. */
  skippedNoopWrites: number;
  /** Syncs that found the Endpoints cache older than our last write and waited for it. */
  staleCacheWaits: number;
  /** Writes of an Endpoints cut to 1,000 addresses. */
  truncatedWrites: number;
  podEventEnqueues: number;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private readonly m: EndpointsControllerMetrics = {
    syncs: 0, syncErrors: 0, creates: 0, updates: 0, deletes: 0, skippedNoopWrites: 0, staleCacheWaits: 0, truncatedWrites: 0, podEventEnqueues: 0,
  };
  private readonly ctx: ControllerContext;
  private readonly batchMs: number;
  private readonly queue: RateLimitingQueue<string>;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly selectors = new ServiceSelectorIndex();
  /** Service key → resourceVersion of the Endpoints we last wrote (staleEndpointsTracker, by version). */
  private readonly written = new Map<string, number>();
  private readonly waitingForCache = new Set<string>();
  private svcInf?: SharedInformer<KObject>;
  private podInf?: SharedInformer<KObject>;
  private epInf?: SharedInformer<KObject>;
  private pods?: PodLabelIndex;
  private regs: HandlerRegistration[] = [];
  private workers?: Promise<void>;
  private stopped = false;

  constructor(ctx: ControllerContext, opts: EndpointsControllerOptions = {}) {
    this.ctx = ctx;
    this.batchMs = opts.endpointUpdatesBatchPeriodMs ?? 0;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock });
  }

  metrics(): EndpointsControllerMetrics & { queue: ReturnType<RateLimitingQueue<string>['metrics']> } {
    return { ...this.m, queue: this.queue.metrics() };
  }

  async run(): Promise<void> {
    const inf = this.ctx.informers;
    const svcInf = (this.svcInf = inf.informer(SERVICES));
    const podInf = (this.podInf = inf.informer(PODS));
    const epInf = (this.epInf = inf.informer(ENDPOINTS));
    this.pods = PodLabelIndex.for(podInf);
    const events = servicePodEventHandlers({ selectors: this.selectors, queue: this.queue, batchMs: this.batchMs, onPodEnqueue: () => { this.m.podEventEnqueues++; } });
    this.regs.push(svcInf.addEventHandler(events.service));
    this.regs.push(podInf.addEventHandler(events.pod));
    this.regs.push(epInf.addEventHandler({
      onAdd: (o) => this.wake(keyOf(o)),
      onUpdate: (_a, b) => this.wake(keyOf(b)),
      // onEndpointsDelete: an Endpoints deleted under a live Service is written again.
      onDelete: (o) => this.queue.add(keyOf(unwrapTombstone(o))),
    }));
    await Promise.all([svcInf.waitForSync(), podInf.waitForSync(), epInf.waitForSync()]);
    if (this.stopped) return;
    this.checkLeftoverEndpoints();
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

  /** checkLeftoverEndpoints: at start, every Endpoints is looked at once, so one whose Service is gone is deleted. */
  private checkLeftoverEndpoints(): void {
    for (const e of this.epInf!.indexer.list()) {
      if (e.metadata.annotations?.[ANNOTATION_LEADER_ELECTION] !== undefined) continue;
      this.queue.add(keyOf(e));
    }
  }

  private wake(key: string): void {
    if (this.waitingForCache.delete(key)) this.queue.add(key);
  }

  private async sync(key: string): Promise<void> {
    this.m.syncs++;
    const svcObj = this.svcInf!.indexer.getByKey(key);
    const cur = this.epInf!.indexer.getByKey(key);
    const wrote = this.written.get(key);
    if (svcObj && cur && wrote !== undefined && rvNum(cur) < wrote) {
      // Our last write is not in the cache yet (staleEndpointsTracker): look again once it is.
      this.m.staleCacheWaits++;
      this.waitingForCache.add(key);
      this.queue.addAfter(key, STALE_CACHE_RECHECK_MS);
      return;
    }
    const svc = svcObj as unknown as Service | undefined;
    const { namespace, name } = { namespace: key.slice(0, key.indexOf('/')), name: key.slice(key.indexOf('/') + 1) };
    const pods = svc && hasSelector(svc) && svc.spec?.type !== 'ExternalName' ? this.pods!.matching(namespace, svc.spec!.selector!) : [];
    let triggerTime = '';
    if (!svc) this.triggerTimes.deleteService(key);
    else if (hasSelector(svc) && svc.spec?.type !== 'ExternalName') triggerTime = this.triggerTimes.compute(key, svc, pods);
    const d = reconcileEndpoints({ service: svc, pods, current: cur as unknown as Endpoints | undefined, triggerTime });
    const client = this.ctx.rest.resource<KObject>(ENDPOINTS, namespace);
    switch (d.action) {
      case 'none':
        if (d.reason === 'Unchanged') this.m.skippedNoopWrites++;
        return;
      case 'delete':
        this.written.delete(key);
        this.waitingForCache.delete(key);
        try {
          await client.delete(name);
          this.m.deletes++;
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        return;
      case 'create':
      case 'update': {
        const obj = d.endpoints as unknown as KObject;
        try {
          const out = d.action === 'create' ? await client.create(obj) : await client.update(obj);
          if (d.action === 'create') this.m.creates++;
          else this.m.updates++;
          if (d.truncated) this.m.truncatedWrites++;
          const rv = rvNum(out);
          if (!Number.isNaN(rv)) this.written.set(key, rv);
        } catch (e) {
          if (d.action === 'create' && isForbidden(e) && isNamespaceTerminating(e)) return;
          const msg = (e as Error).message;
          if (d.action === 'create') this.ctx.recorder(COMPONENT).event(obj, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${msg}`);
          else this.ctx.recorder(COMPONENT).event(obj, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${msg}`);
          throw e;
        }
      }
    }
  }
}

export function endpointsControllerWith(opts: EndpointsControllerOptions): ControllerFactory {
  return (ctx) => new EndpointsController(ctx, opts);
}

export const endpointsController: ControllerFactory = (ctx) => new EndpointsController(ctx);
