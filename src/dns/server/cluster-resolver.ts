// The resolver factory every DNS thread calls: its own RestClient from the (plain-data) client config,
// then src/dns/kubernetes's watchCluster (informers → ClusterView) and resolve(). Kept behind a factory
// so worker threads build one too (they cannot receive the main thread's objects).

import { RestClient, type ClientConfig } from '../../client/index.ts';
import { defaultDnsConfig, resolve, resolveChased, type DnsConfig } from '../kubernetes/resolve.ts';
import { watchCluster } from '../kubernetes/watch.ts';
import type { StoppableResolver } from './resolver-spec.ts';

export interface ClusterResolverArg {
  client: ClientConfig;
  /** Overrides of defaultDnsConfig() (plain data: zone, ttl, pods, ...). */
  config: Partial<DnsConfig>;
  /** §1.7 startup_timeout: after this, answers are served as synced even if the watches are not (default 5 s). */
  startupTimeoutMs?: number;
}

export function createClusterResolver(arg: ClusterResolverArg): StoppableResolver {
  const rest = new RestClient(arg.client, { userAgent: 'kubedisco-dns' });
  // Two fixed config objects (the resolver caches answers per config object): before the first sync the
  // resolver turns NXDOMAIN into SERVFAIL (§1.7); the server does too, and honours the startup timeout.
  const synced = defaultDnsConfig({ ...arg.config, synced: true });
  const unsynced: DnsConfig = { ...synced, synced: false };
  const w = watchCluster(rest, synced);
  const deadline = Date.now() + (arg.startupTimeoutMs ?? 5000);
  let serving = false;
  const isServing = (): boolean => serving || (serving = w.hasSynced() || Date.now() > deadline);
  // version() moves with the view, on the first sync and at the startup deadline: tell onChange listeners.
  const listeners: Array<() => void> = [];
  const notify = (): void => { for (const l of listeners) l(); };
  const unsubscribe = w.view.onChange(notify);
  void w.ready().then(notify, () => {});
  const timer = setTimeout(notify, Math.max(0, deadline - Date.now()) + 1);
  timer.unref();
  return {
    resolve: (q) => resolve(q, w.view, isServing() ? synced : unsynced),
    resolveChased: (q, upstream) => resolveChased(q, w.view, isServing() ? synced : unsynced, upstream),
    ready: () => w.hasSynced(),
    version: () => w.view.version * 2 + (isServing() ? 1 : 0),
    /** Names served: one per Service plus one per endpoint address (hostname or dashed IP). */
    names: () => { const s = w.view.stats(); return s.services + s.endpoints; },
    onChange: (l) => { listeners.push(l); },
    async stop() { clearTimeout(timer); unsubscribe(); await w.stop(); rest.close(); },
  };
}
