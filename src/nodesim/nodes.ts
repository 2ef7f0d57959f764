// Simulated nodes: registration (kubelet registerWithAPIServer), the node Lease heartbeat
// (pkg/kubelet/nodelease, renewed every leaseDuration/4 = 10 s) and the less frequent node status report
// (nodeStatusReportFrequency, 5 min by default). A node is ours when it carries ANNOTATION_NODESIM_NODE:
// names already taken by a node without it are skipped, never touched.

import { findResource } from '../api/resources.ts';
import type { Lease } from '../api/types/lease.ts';
import type { Node, NodeCondition } from '../api/types/node.ts';
import {
  ANNOTATION_NODESIM_NODE, LABEL_ARCH, LABEL_ARCH_BETA, LABEL_HOSTNAME, LABEL_INSTANCE_TYPE, LABEL_OS, LABEL_OS_BETA,
  LABEL_TOPOLOGY_ZONE, NODESIM_INSTANCE_TYPE, NODESIM_NODE_SIMULATED,
} from '../api/well-known.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../api/status.ts';
import { unwrapTombstone, type Clock, type RestClient, type SharedInformer } from '../client/index.ts';
import { log } from '../util/log.ts';
import { formatCIDR, hostAddress, nodeSubnet, parseCIDRv4, type CIDR } from './cidr.ts';
import { IpPool } from './ip-pool.ts';

interface KNode extends Node { [field: string]: unknown }
interface KLease extends Lease { [field: string]: unknown }

export const NODES = findResource('', 'v1', 'nodes')!;
export const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const KUBELET_VERSION = 'v1.32.4';
export const CONTAINER_RUNTIME = 'kubedisco-sim';
export const CONTAINER_RUNTIME_VERSION = `${CONTAINER_RUNTIME}://0.1.0`;
export const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** metav1.Time: RFC 3339 with whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime: RFC 3339 with microseconds (Lease renewTime/acquireTime). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface NodeIdentity {
  index: number;
  name: string;
  podCIDR: string;
  internalIP: string;
  zone: string;
}

export interface NodeLayout {
  count: number;
  namePrefix: string;
  podCIDR: CIDR;
  nodeCIDRMaskSize: number;
  nodeIPRange: CIDR;
}

/** Node i: its name, its /24 (node-cidr-mask-size) of the pod CIDR, its InternalIP and zone. */
export function nodeIdentity(layout: NodeLayout, index: number): NodeIdentity {
  return {
    index,
    name: `${layout.namePrefix}${index}`,
    podCIDR: formatCIDR(nodeSubnet(layout.podCIDR, layout.nodeCIDRMaskSize, index)),
    internalIP: hostAddress(layout.nodeIPRange, index),
    zone: ZONES[index % ZONES.length],
  };
}

export interface NodeCapacity { cpu: string; memory: string; pods: string; 'ephemeral-storage': string }

export function defaultCapacity(maxPods: number): NodeCapacity {
  return { cpu: '32', memory: '256Gi', pods: String(maxPods), 'ephemeral-storage': '100Gi' };
}

/** The kubelet's four node conditions (pkg/kubelet/nodestatus/setters.go), all healthy. */
export function nodeConditions(now: string, current: readonly NodeCondition[] = []): NodeCondition[] {
  const want: Array<Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>> = [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
  return want.map((c) => {
    const old = current.find((x) => x.type === c.type);
    return { ...c, lastHeartbeatTime: now, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
  });
}

/** The status a simulated node reports (addresses, capacity, conditions, nodeInfo). */
export function nodeStatus(id: NodeIdentity, capacity: NodeCapacity, now: string, current: readonly NodeCondition[] = []): NonNullable<Node['status']> {
  return {
    capacity: { ...capacity },
    allocatable: { ...capacity },
    conditions: nodeConditions(now, current),
    addresses: [{ type: 'InternalIP', address: id.internalIP }, { type: 'Hostname', address: id.name }],
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: '',
      osImage: 'kubedisco simulated node',
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

export function nodeLabels(id: NodeIdentity): Record<string, string> {
  return {
    [LABEL_ARCH_BETA]: 'amd64',
    [LABEL_OS_BETA]: 'linux',
    [LABEL_ARCH]: 'amd64',
    [LABEL_HOSTNAME]: id.name,
    [LABEL_OS]: 'linux',
    [LABEL_INSTANCE_TYPE]: NODESIM_INSTANCE_TYPE,
    [LABEL_TOPOLOGY_ZONE]: id.zone,
  };
}

/** The Node object a simulated node registers with. */
export function buildNode(id: NodeIdentity, capacity: NodeCapacity, now: string): KNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.name, labels: nodeLabels(id), annotations: { [ANNOTATION_NODESIM_NODE]: NODESIM_NODE_SIMULATED } },
    spec: { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] },
    status: nodeStatus(id, capacity, now),
  };
}

/** The node's Lease in kube-node-lease, owned by the Node (pkg/kubelet/nodelease/controller.go newLease). */
export function buildLease(node: { name: string; uid?: string }, durationSeconds: number, nowMs: number): KLease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.name,
      namespace: NODE_LEASE_NAMESPACE,
      ...(node.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }] } : {}),
    },
    spec: { holderIdentity: node.name, leaseDurationSeconds: durationSeconds, renewTime: microTime(nowMs) },
  };
}

export function isSimulated(node: Node | undefined): boolean {
  return node?.metadata.annotations?.[ANNOTATION_NODESIM_NODE] === NODESIM_NODE_SIMULATED;
}

export function internalIPOf(node: Node | undefined): string | undefined {
  return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** A node this simulator runs: its identity, its pod IP pool and the latest Node object seen. */
export interface ManagedNode {
  id: NodeIdentity;
  pool: IpPool;
  node: Node;
  lease?: Lease;
  /** The node was deleted from the API; heartbeats stop (as a kubelet's would fail), its pods are still served. */
  gone: boolean;
}

export interface NodeManagerOptions {
  rest: RestClient;
  nodes: SharedInformer<KNode>;
  clock: Clock;
  layout: NodeLayout;
  capacity: NodeCapacity;
  leaseDurationSeconds: number;
  leaseRenewIntervalMs: number;
  nodeStatusReportMs: number;
  /** Concurrent API writes while registering or renewing (bounded). */
  concurrency: number;
}

export interface NodeManagerStats {
  registered: number;
  adopted: number;
  skipped: number;
  leaseRenewals: number;
  leaseErrors: number;
  statusReports: number;
  statusErrors: number;
}

/** Runs up to `limit` of the tasks at a time. */
export async function boundedAll<T>(items: readonly T[], limit: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export class NodeManager {
  readonly stats: NodeManagerStats = { registered: 0, adopted: 0, skipped: 0, leaseRenewals: 0, leaseErrors: 0, statusReports: 0, statusErrors: 0 };
  private readonly opts: NodeManagerOptions;
  private readonly managed = new Map<string, ManagedNode>();
  private timers: Array<{ cancel(): void }> = [];
  private stopped = false;
  private busy: Promise<void> = Promise.resolve();
  private lastReport = 0;
  private readonly onChange: Array<(name: string) => void> = [];

  constructor(opts: NodeManagerOptions) {
    this.opts = opts;
    // Keep the latest copy of each managed node (labels, taints, cordon) for the scheduler and hostIPs.
    opts.nodes.addEventHandler({
      onAdd: (n) => this.observe(n),
      onUpdate: (o, n) => { if (o.metadata.resourceVersion !== n.metadata.resourceVersion) this.observe(n); },
      onDelete: (n) => {
        const node = unwrapTombstone(n);
        const m = this.managed.get(node.metadata.name!);
        if (m) { m.gone = true; log('warn', 'nodesim', 'simulated node deleted from the API; its heartbeats stop', { node: node.metadata.name }); }
        for (const f of this.onChange) f(node.metadata.name!);
      },
    });
  }

  /** Called with a node name whenever a managed node changes (for the scheduler's retry of unschedulable pods). */
  onNodeChange(f: (name: string) => void): void {
    this.onChange.push(f);
  }

  private observe(n: Node): void {
    const m = this.managed.get(n.metadata.name!);
    if (m && isSimulated(n)) { m.node = n; m.gone = false; }
    if (m) for (const f of this.onChange) f(n.metadata.name!);
  }

  get(name: string | undefined): ManagedNode | undefined {
    return name ? this.managed.get(name) : undefined;
  }

  list(): ManagedNode[] {
    return [...this.managed.values()];
  }

  /**
   * Registers nodes 0..count-1 (after the node informer synced): creates missing ones, re-adopts existing
   * simulated ones (reporting a fresh status, adding any missing label), and skips names held by nodes that
   * are not simulated. Simulated nodes beyond `count` from an earlier run are left alone.
   */
  async register(): Promise<void> {
    const { layout, nodes, rest, clock } = this.opts;
    const ids = Array.from({ length: layout.count }, (_, i) => nodeIdentity(layout, i));
    const client = rest.resource<KNode>(NODES);
    await boundedAll(ids, this.opts.concurrency, async (id) => {
      let existing = nodes.indexer.getByKey(id.name);
      if (!existing) {
        try {
          const created = await client.create(buildNode(id, this.opts.capacity, rfc3339(clock.now())));
          this.stats.registered++;
          this.adopt(id, created);
          return;
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          existing = await client.get(id.name);
        }
      }
      if (!isSimulated(existing)) {
        this.stats.skipped++;
        log('warn', 'nodesim', 'a node with this name exists and is not simulated; leaving it alone', { node: id.name, annotation: ANNOTATION_NODESIM_NODE });
        return;
      }
      // Re-adoption after a restart: the node keeps its podCIDR (immutable) and InternalIP.
      const adoptedId: NodeIdentity = { ...id, podCIDR: existing.spec?.podCIDR || id.podCIDR, internalIP: internalIPOf(existing) ?? id.internalIP, zone: existing.metadata.labels?.[LABEL_TOPOLOGY_ZONE] ?? id.zone };
      const missing = Object.fromEntries(Object.entries(nodeLabels(adoptedId)).filter(([k]) => existing!.metadata.labels?.[k] === undefined));
      let node = existing;
      if (Object.keys(missing).length) node = await client.patch(id.name, 'strategic', { metadata: { labels: missing } });
      node = await client.patch(id.name, 'strategic', { status: nodeStatus(adoptedId, this.opts.capacity, rfc3339(clock.now()), node.status?.conditions) }, { subresource: 'status' });
      this.stats.adopted++;
      this.adopt(adoptedId, node);
    });
    const extra = nodes.indexer.list().filter((n) => isSimulated(n) && !this.managed.has(n.metadata.name!));
    if (extra.length) log('warn', 'nodesim', 'simulated nodes from an earlier run are not managed by this one (more than --nodes)', { nodes: extra.map((n) => n.metadata.name) });
    await boundedAll(this.list(), this.opts.concurrency, (m) => this.renewLease(m));
    this.lastReport = clock.now();
  }

  private adopt(id: NodeIdentity, node: Node): void {
    this.managed.set(id.name, { id, pool: new IpPool(id.podCIDR), node, gone: false });
  }

  /** Starts the heartbeat loop: leases every leaseRenewIntervalMs, node status every nodeStatusReportMs. */
  startHeartbeats(): void {
    const tick = () => {
      if (this.stopped) return;
      this.busy = (async () => {
        const reportDue = this.opts.clock.now() - this.lastReport >= this.opts.nodeStatusReportMs;
        const live = this.list().filter((m) => !m.gone);
        await boundedAll(live, this.opts.concurrency, (m) => this.renewLease(m));
        if (reportDue) {
          this.lastReport = this.opts.clock.now();
          await boundedAll(live, this.opts.concurrency, (m) => this.reportStatus(m));
        }
      })().catch((e) => log('warn', 'nodesim', 'heartbeat failed', { err: (e as Error).message })).finally(() => {
        if (!this.stopped) this.timers = [this.opts.clock.setTimer(tick, this.opts.leaseRenewIntervalMs)];
      });
    };
    this.timers = [this.opts.clock.setTimer(tick, this.opts.leaseRenewIntervalMs)];
  }

  /** Renews (or creates) the node's Lease; never throws. Kubelet: update the cached lease, GET it again on failure. */
  async renewLease(m: ManagedNode): Promise<void> {
    const { rest, clock, leaseDurationSeconds } = this.opts;
    const client = rest.resource<KLease>(LEASES, NODE_LEASE_NAMESPACE);
    const now = clock.now();
    try {
      if (m.lease) {
        try {
          m.lease = await client.update({ ...m.lease, spec: { ...m.lease.spec, holderIdentity: m.id.name, leaseDurationSeconds, renewTime: microTime(now) } });
          this.stats.leaseRenewals++;
          return;
        } catch (e) {
          if (!isConflict(e) && !isNotFound(e)) throw e;
          m.lease = undefined;
        }
      }
      let current: KLease | undefined;
      try { current = await client.get(m.id.name); } catch (e) { if (!isNotFound(e)) throw e; }
      const fresh = buildLease({ name: m.id.name, uid: m.node.metadata.uid }, leaseDurationSeconds, now);
      m.lease = current
        ? await client.update({ ...current, metadata: { ...current.metadata, ownerReferences: fresh.metadata.ownerReferences ?? current.metadata.ownerReferences }, spec: { ...current.spec, ...fresh.spec } })
        : await client.create(fresh);
      this.stats.leaseRenewals++;
    } catch (e) {
      this.stats.leaseErrors++;
      log('warn', 'nodesim', 'lease renewal failed', { node: m.id.name, err: (e as Error).message });
    }
  }

  /** Reports the node status (conditions' lastHeartbeatTime); never throws. */
  async reportStatus(m: ManagedNode): Promise<void> {
    const client = this.opts.rest.resource<KNode>(NODES);
    try {
      const conditions = nodeConditions(rfc3339(this.opts.clock.now()), m.node.status?.conditions);
      m.node = await client.patch(m.id.name, 'strategic', { status: { conditions } }, { subresource: 'status' });
      this.stats.statusReports++;
    } catch (e) {
      if (isNotFound(e)) m.gone = true;
      this.stats.statusErrors++;
      log('warn', 'nodesim', 'node status report failed', { node: m.id.name, err: (e as Error).message });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    await this.busy;
  }
}

/** Parses and checks the layout options; throws RangeError/TypeError with a readable message. */
export function nodeLayout(o: { nodes: number; podCIDR: string; nodeCIDRMaskSize: number; nodeIPCIDR: string; namePrefix: string }): NodeLayout {
  const podCIDR = parseCIDRv4(o.podCIDR);
  if (!podCIDR) throw new TypeError(`pod CIDR: expected an IPv4 CIDR such as 10.244.0.0/16, got ${JSON.stringify(o.podCIDR)}`);
  const nodeIPRange = parseCIDRv4(o.nodeIPCIDR);
  if (!nodeIPRange) throw new TypeError(`node IP CIDR: expected an IPv4 CIDR such as 10.240.0.0/16, got ${JSON.stringify(o.nodeIPCIDR)}`);
  const layout: NodeLayout = { count: o.nodes, namePrefix: o.namePrefix, podCIDR, nodeCIDRMaskSize: o.nodeCIDRMaskSize, nodeIPRange };
  if (o.nodes > 0) nodeIdentity(layout, o.nodes - 1); // throws when the last node does not fit
  return layout;
}
