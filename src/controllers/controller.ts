// What every controller is (model-codebases.md §2, sample-controller): informers that list and watch
// through kubedisco's client, handlers that only enqueue keys, a rate-limited work queue, and a
// level-based sync(key) that reads the cache, converges, and returns an error to be retried. The
// decision logic of each controller is a pure function in its own folder, tested without a queue.
//
// Controllers reach the API only through src/client, so each one runs against any Kubernetes API.

import type { Clock, EventRecorder, RestClient, SharedInformerFactory } from '../client/index.ts';

export interface ControllerContext {
  rest: RestClient;
  /** Shared informers: every controller asking for the same resource shares one list+watch. */
  informers: SharedInformerFactory;
  /** An event recorder whose source.component is the given name (e.g. "statefulset-controller"). */
  recorder(component: string): EventRecorder;
  clock: Clock;
  /** Workers per controller (kube-controller-manager's --concurrent-*-syncs; default 5). */
  workers?: number;
  /** kube-controller-manager --max-endpoints-per-slice (default 100, at most 1000). */
  maxEndpointsPerSlice?: number;
}

export interface Controller {
  readonly name: string;
  /**
   * Registers informer handlers and starts the workers once the informers it uses have synced. The
   * manager starts the informer factory after every controller has registered.
   */
  run(): Promise<void>;
  /** Stops the workers (drains in-flight syncs). Idempotent. */
  stop(): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;

import { isConflict } from '../api/status.ts';
import { runWorkers, type HandlerRegistration, type RateLimitingQueue } from '../client/index.ts';
import { log } from '../util/log.ts';

export interface SyncWorkerOptions {
  /** The component name in log lines (e.g. "deployment-controller"). */
  component: string;
  queue: RateLimitingQueue<string>;
  ctx: ControllerContext;
  sync: (key: string) => Promise<void>;
  /** Called for every failed sync (the key is requeued with backoff). */
  onFailure: () => void;
  /** Give up on a key after this many retries (kube's maxRetries for the endpoint controllers). */
  maxRetries?: number;
  /** Errors that are routine (logged at debug): by default a 409 Conflict from a stale cache. */
  routine?: (err: unknown) => boolean;
  errorText?: (err: unknown) => string;
}

/** Runs ctx.workers (default 5) workers on the queue, as every controller here does. Resolves when the queue shuts down. */
export function startSyncWorkers(o: SyncWorkerOptions): Promise<void> {
  const routine = o.routine ?? isConflict;
  return runWorkers(o.queue, o.ctx.workers ?? 5, o.sync, {
    ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
    onError: (err, key) => {
      o.onFailure();
      log(routine(err) ? 'debug' : 'warn', o.component, 'sync failed, requeued', { key, error: o.errorText ? o.errorText(err) : (err as Error).message });
    },
  });
}

/** Stops what startSyncWorkers started: handlers removed, queue shut down, in-flight syncs awaited. */
export async function stopSyncWorkers(regs: HandlerRegistration[], queue: RateLimitingQueue<string>, workers: Promise<void> | undefined): Promise<void> {
  for (const r of regs) r.remove();
  queue.shutDown();
  await workers;
}
