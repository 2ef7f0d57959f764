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
