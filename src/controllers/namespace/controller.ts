// The namespace controller (pkg/controller/namespace): finishes the deletion of a namespace the API server
// has marked (deletionTimestamp, status.phase Terminating, spec.finalizers ["kubernetes"]). Each pass deletes
// every namespaced resource discovery lists (deletecollection, else one delete per item, propagationPolicy
// Background), lists what is left, writes the deleter's five status conditions, and once nothing is left
// removes "kubernetes" from spec.finalizers through PUT namespaces/{name}/finalize, after which the API
// server deletes the namespace. Content that lingers (terminating pods, finalizers) is looked at again after
// estimate/2+1 s as in kube, and sooner when a watched object in a terminating namespace is deleted.

import type { KObject } from '../../api/meta.ts';
import { findResource, RESOURCES, type ResourceInfo } from '../../api/resources.ts';
import { isConflict, isNotFound, StatusError } from '../../api/status.ts';
import type { NamespaceCondition } from '../../api/types/namespace.ts';
import { FINALIZER_KUBERNETES } from '../../api/well-known.ts';
import {
  BucketRateLimiter, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, RateLimitingQueue, unwrapTombstone,
  type DeletedFinalStateUnknown, type HandlerRegistration, type SharedInformer,
} from '../../client/index.ts';
import { log } from '../../util/log.ts';
import type { Controller, ControllerContext, ControllerFactory } from '../controller.ts';
import { discoverNamespacedResources, parseGroupVersion, resourceInfoFor, type DiscoveryResult } from './discovery.ts';
import {
  estimateGracefulTermination, finalizersWithout, namespaceStep, passOutcome, remainingContent, summarizePass, updateConditions,
  type GroupVersionResource, type PassFailures, type ResourceOutcome,
} from './reconcile.ts';

const NAMESPACES = findResource('', 'v1', 'namespaces')!;
const RETRY_ON_CONFLICT_STEPS = 5;

export interface NamespaceControllerOptions {
  /** The spec.finalizers token this controller removes (kube: "kubernetes"). */
  finalizerToken?: string;
  /**
   * Wait after a namespace event before the first pass (kube's namespaceDeletionGracePeriod is 5 s, for HA
   * API servers and etcd followers; one kubedisco server needs far less, but a create that read the namespace
   * just before it was marked may still be landing).
   */
  deletionGracePeriodMs?: number;
  /** Wait after an object in a terminating namespace is deleted before looking again (batches many deletes). */
  contentDeletedDelayMs?: number;
  /** Watch the namespaced RESOURCES (shared informers) to notice lingering content going away (default true). */
  watchContent?: boolean;
  /** Discovery (default: legacy discovery against ctx.rest). */
  discover?: () => Promise<DiscoveryResult>;
}

/** A pass left content that needs time (ResourcesRemainingError). */
export class ResourcesRemainingError extends Error {
  readonly estimate: number;
  readonly afterMs: number;
  constructor(estimate: number, afterMs: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    this.estimate = estimate;
    this.afterMs = afterMs;
  }
}

/** nsControllerRateLimiter: per item 5 ms → 60 s (a namespace is retried at least every minute), 10 qps / 100. */
function nsControllerRateLimiter(ctx: ControllerContext) {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 60_000), new BucketRateLimiter<string>(10, 100, ctx.clock));
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface NamespaceControllerStats {
  queue: ReturnType<RateLimitingQueue<string>['metrics']>;
  passes: number;
  finalized: number;
  remaining: number;
  errors: number;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly ctx: ControllerContext;
  private readonly token: string;
  private readonly graceMs: number;
  private readonly contentDelayMs: number;
  private readonly watchContent: boolean;
  private readonly discover: () => Promise<DiscoveryResult>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly registrations: HandlerRegistration[] = [];
  private namespaces: SharedInformer | undefined;
  private workers: Promise<unknown> | undefined;
  private stopped = false;
  /** Resources whose deletecollection answered 405/404 (opCache): deleted item by item from then on. */
  private readonly noDeleteCollection = new Set<string>();
  private readonly counters = { passes: 0, finalized: 0, remaining: 0, errors: 0 };

  constructor(ctx: ControllerContext, opts: NamespaceControllerOptions = {}) {
    this.ctx = ctx;
    this.token = opts.finalizerToken ?? FINALIZER_KUBERNETES;
    this.graceMs = opts.deletionGracePeriodMs ?? 500;
    this.contentDelayMs = opts.contentDeletedDelayMs ?? 200;
    this.watchContent = opts.watchContent ?? true;
    this.discover = opts.discover ?? (() => discoverNamespacedResources(ctx.rest));
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, rateLimiter: nsControllerRateLimiter(ctx) });
  }

  async run(): Promise<void> {
    const namespaces = this.ctx.informers.informer(NAMESPACES);
    this.namespaces = namespaces;
    const enqueue = (ns: KObject) => {
      // enqueueNamespace: only namespaces being deleted, after the grace period.
      if (ns.metadata.deletionTimestamp) this.queue.addAfter(ns.metadata.name!, this.graceMs);
    };
    this.registrations.push(namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur) }));
    const informers: SharedInformer[] = [namespaces];
    if (this.watchContent) {
      for (const info of RESOURCES) {
        if (!info.namespaced || (info.group === '' && info.plural === 'events')) continue;
        const inf = this.ctx.informers.informer(info);
        informers.push(inf);
        this.registrations.push(inf.addEventHandler({
          onDelete: (x: KObject | DeletedFinalStateUnknown<KObject>) => {
            const ns = unwrapTombstone(x).metadata.namespace;
            if (ns && namespaces.indexer.getByKey(ns)?.metadata.deletionTimestamp) this.queue.addAfter(ns, this.contentDelayMs);
          },
        }));
      }
    }
    await Promise.all(informers.map((i) => i.waitForSync()));
    if (this.stopped) return;
    const n = this.ctx.workers ?? 5;
    this.workers = Promise.all(Array.from({ length: Math.max(1, n) }, () => this.worker()));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const r of this.registrations) r.remove();
    this.queue.shutDown();
    await this.workers;
  }

  stats(): NamespaceControllerStats {
    return { queue: this.queue.metrics(), ...this.counters };
  }

  /** The namespace controller's worker: ResourcesRemaining waits estimate/2+1 s; other errors back off. */
  private async worker(): Promise<void> {
    for (;;) {
      const r = await this.queue.get();
      if (r.shutdown) return;
      const key = r.item;
      try {
        if (!this.stopped) await this.sync(key);
        this.queue.forget(key);
      } catch (e) {
        if (e instanceof ResourcesRemainingError) {
          this.counters.remaining++;
          log('debug', 'namespace', 'content remaining in namespace', { namespace: key, waitSeconds: e.afterMs / 1000 });
          this.queue.addAfter(key, e.afterMs);
        } else {
          this.counters.errors++;
          log(this.queue.numRequeues(key) > 3 ? 'warn' : 'info', 'namespace', 'deletion of namespace failed; retrying', { namespace: key, error: errorMessage(e) });
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** namespacedResourcesDeleter.Delete for one namespace name. */
  async sync(name: string): Promise<void> {
    const client = this.ctx.rest.resource(NAMESPACES);
    let ns = await this.getNamespace(name);
    let step = namespaceStep(ns);
    if (step === 'markTerminating') {
      const next = structuredClone(ns!);
      next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      ns = await this.retryOnConflict(next, (o) => client.updateStatus(o));
      if (!ns) return;
      step = namespaceStep(ns);
    }
    if (step !== 'deleteContent') return;
    this.counters.passes++;
    const deletedAtMs = Date.parse(ns!.metadata.deletionTimestamp!);
    const { outcomes, failures } = await this.deleteAllContent(name, Number.isFinite(deletedAtMs) ? deletedAtMs : this.ctx.clock.now());
    const summary = summarizePass(outcomes, failures);
    // The conditions are written on every pass where they changed, whatever the outcome.
    const conds = updateConditions(ns!.status?.conditions as NamespaceCondition[] | undefined, summary.conditions, rfc3339(this.ctx.clock.now()));
    if (conds.changed) {
      const next = structuredClone(ns!);
      next.status = { ...(next.status ?? {}), conditions: conds.conditions };
      try {
        ns = await client.updateStatus(next);
      } catch (e) {
        if (isNotFound(e)) return;
        log('info', 'namespace', `couldn't update status condition for namespace ${JSON.stringify(name)}`, { error: errorMessage(e) });
      }
    }
    const outcome = passOutcome(summary);
    if (outcome.action === 'retry') throw new Error(outcome.error);
    if (outcome.action === 'wait') throw new ResourcesRemainingError(outcome.estimateSeconds, outcome.afterMs);
    const finalized = await this.retryOnConflict(ns!, (o) => this.finalize(o));
    if (finalized !== undefined) this.counters.finalized++;
  }

  private async getNamespace(name: string): Promise<KObject | undefined> {
    try {
      return await this.ctx.rest.resource(NAMESPACES).get(name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** retryOnConflictError: on 409, read again (same uid) and retry; NotFound means the namespace is gone. */
  private async retryOnConflict(ns: KObject, fn: (ns: KObject) => Promise<KObject>): Promise<KObject | undefined> {
    let latest = ns;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(latest);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e) || attempt >= RETRY_ON_CONFLICT_STEPS) throw e;
      }
      const again = await this.getNamespace(latest.metadata.name!);
      if (!again) return undefined;
      if (again.metadata.uid !== latest.metadata.uid) throw new Error('namespace uid has changed across retries');
      latest = again;
    }
  }

  /** finalizeNamespace: PUT namespaces/{name}/finalize with spec.finalizers minus the token. */
  private async finalize(ns: KObject): Promise<KObject> {
    const client = this.ctx.rest.resource(NAMESPACES);
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata, spec: { ...(ns.spec ?? {}), finalizers: finalizersWithout(ns.spec?.finalizers, this.token) } };
    const name = ns.metadata.name!;
    return this.ctx.rest.request<KObject>({ method: 'PUT', path: client.objectPath(name, '', 'finalize'), body, resource: { resource: 'namespaces' }, name });
  }

  /** deleteAllContent: every discovered namespaced resource that supports delete. */
  private async deleteAllContent(namespace: string, deletedAtMs: number): Promise<{ outcomes: ResourceOutcome[]; failures: PassFailures }> {
    const failures: PassFailures = {};
    const discovered = await this.discover();
    if (discovered.error) {
      failures.discovery = { message: discovered.error.message, groupCount: discovered.error.groups.size > 0 ? discovered.error.groups.size : undefined };
    }
    const targets: Array<{ gvr: GroupVersionResource; info: ResourceInfo; verbs: Set<string> }> = [];
    const parseErrors: string[] = [];
    for (const d of discovered.resources) {
      if (!d.resource.verbs.includes('delete')) continue;
      let gv: { group: string; version: string };
      try {
        gv = parseGroupVersion(d.groupVersion);
      } catch (e) {
        parseErrors.push(errorMessage(e));
        continue;
      }
      targets.push({ gvr: { ...gv, resource: d.resource.name }, info: resourceInfoFor(gv.group, gv.version, d.resource), verbs: new Set(d.resource.verbs) });
    }
    if (parseErrors.length) failures.groupVersionParsing = parseErrors.length === 1 ? parseErrors[0] : `[${parseErrors.join(', ')}]`;
    const outcomes = await Promise.all(targets.map((t) => this.deleteAllContentForResource(t.gvr, t.info, t.verbs, namespace, deletedAtMs)));
    return { outcomes, failures };
  }

  /** deleteAllContentForGroupVersionResource. */
  private async deleteAllContentForResource(gvr: GroupVersionResource, info: ResourceInfo, verbs: Set<string>, namespace: string, deletedAtMs: number): Promise<ResourceOutcome> {
    const client = this.ctx.rest.resource(info, namespace);
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    const canList = verbs.has('list');
    let estimate = 0;
    try {
      if (gvr.group === '' && gvr.resource === 'pods') {
        const pods = await client.list();
        estimate = estimateGracefulTermination(pods.items, deletedAtMs, this.ctx.clock.now());
      }
    } catch (e) {
      return { gvr, metadata: { finalizerEstimateSeconds: 0, numRemaining: 0, finalizersToNumRemaining: {} }, error: errorMessage(e) };
    }
    const failed = (e: unknown): ResourceOutcome => ({ gvr, metadata: { finalizerEstimateSeconds: estimate, numRemaining: 0, finalizersToNumRemaining: {} }, error: errorMessage(e) });
    // Background: the namespace controller never wants an orphan finalizer put on what it deletes.
    let collectionDeleted = false;
    if (verbs.has('deletecollection') && !this.noDeleteCollection.has(key)) {
      try {
        await client.deleteCollection({}, { propagationPolicy: 'Background' });
        collectionDeleted = true;
      } catch (e) {
        if (!(isNotFound(e) || isMethodNotSupported(e))) return failed(e);
        this.noDeleteCollection.add(key);
      }
    }
    if (!collectionDeleted && canList) {
      try {
        const list = await client.list();
        for (const item of list.items) {
          try {
            await client.delete(item.metadata.name!, { propagationPolicy: 'Background' });
          } catch (e) {
            if (!(isNotFound(e) || isMethodNotSupported(e))) throw e;
          }
        }
      } catch (e) {
        return failed(e);
      }
    }
    let items: KObject[] | undefined;
    if (canList) {
      try {
        items = (await client.list()).items;
      } catch (e) {
        if (!(isNotFound(e) || isMethodNotSupported(e))) return failed(e);
      }
    }
    const r = remainingContent(gvr, namespace, items, estimate);
    return { gvr, metadata: r.metadata, error: r.error };
  }
}

function isMethodNotSupported(e: unknown): boolean {
  return e instanceof StatusError && (e.reason === 'MethodNotAllowed' || e.code === 405);
}

export function newNamespaceController(ctx: ControllerContext, opts: NamespaceControllerOptions = {}): NamespaceController {
  return new NamespaceController(ctx, opts);
}

export const namespaceController: ControllerFactory = (ctx) => new NamespaceController(ctx);
