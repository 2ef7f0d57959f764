// The resolver factory every DNS thread calls: its own RestClient from the (plain-data) client config,
// then src/dns/kubernetes's watchCluster + resolve. Kept behind a factory so worker threads can build
// one too (they cannot receive the main thread's objects).

import { RestClient, type ClientConfig } from '../../client/index.ts';
import type { Answer, Question } from '../message.ts';
import type { StoppableResolver } from './resolver-spec.ts';

export interface ClusterResolverArg {
  client: ClientConfig;
  /** Overrides of src/dns/kubernetes's defaultDnsConfig() (plain data: zone, ttl, pods, ...). */
  config: Record<string, unknown>;
}

/** The resolver module (loaded by URL so the servers build and test on their own). */
export const KUBERNETES_MODULE = new URL('../kubernetes/index.ts', import.meta.url).href;

interface Watched { view: unknown; ready(): boolean | Promise<unknown>; stop(): void | Promise<void> }
interface KubernetesModule {
  defaultDnsConfig(overrides: Record<string, unknown>): Record<string, unknown>;
  watchCluster(rest: RestClient, config: unknown): Watched;
  resolve(q: Question, view: unknown, config: unknown): Answer | undefined;
}

export async function createClusterResolver(arg: ClusterResolverArg): Promise<StoppableResolver> {
  const k = (await import(KUBERNETES_MODULE)) as KubernetesModule;
  const rest = new RestClient(arg.client, { userAgent: 'kubedisco-dns' });
  // Two fixed config objects (the resolver caches per config): §1.7 is applied by the resolver (and
  // again by the server, which also honours the startup timeout).
  const synced = k.defaultDnsConfig({ ...arg.config, synced: true });
  const unsynced = { ...synced, synced: false };
  const w = k.watchCluster(rest, synced);
  let isSynced = false;
  let pending: Promise<unknown> | undefined;
  const ready = (): boolean => {
    if (isSynced) return true;
    const r = w.ready();
    if (typeof r === 'boolean') return (isSynced = r);
    pending ??= Promise.resolve(r).then(() => { isSynced = true; }, () => {});
    return isSynced;
  };
  ready();
  const view = w.view as { namesServed?(): number };
  return {
    resolve: (q) => k.resolve(q, w.view, isSynced || ready() ? synced : unsynced),
    ready,
    names: () => (typeof view.namesServed === 'function' ? view.namesServed() : 0),
    async stop() { await w.stop(); rest.close(); },
  };
}
