// The cluster DNS component: the resolver (kubernetes/) behind the UDP/TCP servers (server/).
// `kubedisco dns` and `kubedisco server` start it with startDnsServer.

import type { RestClient } from '../client/index.ts';
import { startDnsServers, type RunningDnsServer } from './server/index.ts';
import type { ResolverSpec } from './server/resolver-spec.ts';
import type { ClusterResolverArg } from './server/cluster-resolver.ts';
import type { DnsConfig } from './kubernetes/resolve.ts';
import type { TcpLimits } from './server/serve.ts';
import type { UdpIo } from './server/udp.ts';

export type { UdpIo };

export interface StartDnsOptions {
  /** The API to watch (kubedisco's or any cluster's); the resolver opens its own client from rest.config. */
  rest?: RestClient;
  listen: { host: string; port: number };
  /** Overrides of src/dns/kubernetes's defaultDnsConfig(): zone, ttl, pods mode, ... */
  config: Partial<DnsConfig>;
  /** Relay out-of-zone queries here instead of REFUSED. */
  upstream?: { host: string; port: number; timeoutMs?: number };
  /** UDP serving threads, main included (default: number of cores). */
  workers?: number;
  /** Tests: another resolver (a module URL + factory) instead of the cluster's; rest is then not needed. */
  resolver?: ResolverSpec;
  /** Tests: another codec module. */
  codecModule?: string;
  startupTimeoutMs?: number;
  tcp?: TcpLimits;
  /** UDP I/O: native recvmmsg/sendmmsg batches or node:dgram (default auto: native when built). */
  udpIo?: UdpIo;
}

export type RunningDns = RunningDnsServer;

export async function startDnsServer(opts: StartDnsOptions): Promise<RunningDns> {
  let resolver = opts.resolver;
  if (!resolver) {
    if (!opts.rest) throw new Error('startDnsServer: rest (an API client) or resolver is required');
    // kubeadm's Corefile: `fallthrough in-addr.arpa ip6.arpa`, so PTR names of addresses outside the cluster
    // reach the forwarder (§15.2); only meaningful (and only set) when an upstream is configured.
    const config = opts.upstream && opts.config.fallthrough === undefined ? { ...opts.config, fallthrough: ['in-addr.arpa', 'ip6.arpa'] } : opts.config;
    const arg: ClusterResolverArg = { client: opts.rest.config, config, startupTimeoutMs: opts.startupTimeoutMs };
    resolver = { module: new URL('./server/cluster-resolver.ts', import.meta.url).href, name: 'createClusterResolver', arg };
  }
  return startDnsServers({
    listen: opts.listen, resolver, codecModule: opts.codecModule, upstream: opts.upstream, workers: opts.workers,
    startupTimeoutMs: opts.startupTimeoutMs, tcp: opts.tcp, udpIo: opts.udpIo,
  });
}
