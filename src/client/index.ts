// Our client-go: everything a controller, the node simulator or the DNS server needs to reach the API.
// See README.md. Components import from here (or the individual files); src/client imports only src/api.

export * from './clock.ts';
export * from './errors.ts';
export * from './kubeconfig.ts';
export * from './rest.ts';
export * from './watch.ts';
export * from './informer/store.ts';
export * from './informer/reflector.ts';
export * from './informer/shared-informer.ts';
export * from './informer/factory.ts';
export * from './record/recorder.ts';
export * from './workqueue/queue.ts';
export * from './workqueue/delaying-queue.ts';
export * from './workqueue/rate-limiter.ts';
export * from './workqueue/rate-limiting-queue.ts';

import type { KObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { configForServer, loadKubeConfig, type ClientConfig } from './kubeconfig.ts';
import { RestClient, type RestClientOptions } from './rest.ts';
import { SharedInformer, type SharedInformerOptions } from './informer/shared-informer.ts';

export interface ConnectOptions extends RestClientOptions {
  /** A server URL (no kubeconfig involved), e.g. the all-in-one server on loopback. */
  server?: string;
  /** A kubeconfig path (or list); default $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  /** Overrides the context's namespace. */
  namespace?: string;
}

/** A RestClient from a server URL, or else from a kubeconfig. */
export function connect(opts: ConnectOptions = {}): RestClient {
  let config: ClientConfig = opts.server !== undefined
    ? configForServer(opts.server)
    : loadKubeConfig({ path: opts.kubeconfig, context: opts.context });
  if (opts.namespace !== undefined) config = { ...config, namespace: opts.namespace };
  return new RestClient(config, opts);
}

/** A SharedInformer over one resource ('' namespace = all namespaces). Call run() to start it. */
export function newInformer<T extends KObject = KObject>(rest: RestClient, info: ResourceInfo, namespace = '', opts: SharedInformerOptions<T> = {}): SharedInformer<T> {
  return new SharedInformer<T>(rest.resource<T>(info, namespace), { name: namespace ? `${info.plural}/${namespace}` : info.plural, ...opts });
}
