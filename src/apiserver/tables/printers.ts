// Row cells for each kind, ported from kube-apiserver 1.32's pkg/printers/internalversion/printers.go. The
// apiserver's TableConvertor always generates with `Wide: true` (pkg/printers/storage/storage.go), so every row
// carries the priority-1 cells too and kubectl drops them unless `-o wide`.
//
// Objects arrive as v1 JSON, not as the internal types the Go printers see; where v1→internal conversion or
// defaulting changes what the printer reads, the code says so. Printers never throw on malformed content: a
// missing field reads as Go's zero value.

import type { KObject } from '../../api/meta.ts';
import { labelSelectorToString, selectorFromLabelSelector, selectorToString, type MetaLabelSelector } from '../../api/selectors.ts';
import { internalError } from '../../api/status.ts';
import { humanDuration, parseTime, translateTimestampSince } from './duration.ts';

export type Cell = string | number | boolean;

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

export type Printer = (obj: KObject, now: number) => PrintedRow;

// ---------------------------------------------------------------------------------------------
// Loose accessors: v1 JSON read the way a Go struct would be (absent → zero value).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objs = (v: unknown): Obj[] => arr(v).map(obj);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
/** A `*int32` replicas field that the apps/v1 defaulting sets to 1 when absent. */
const replicasOf = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 1);
const strMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) out[k] = str(x);
  return out;
};

/** Go's byte-wise string ordering (sort.Strings), not locale order. */
export function goLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: `k=v` sorted by key, comma-joined; `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const labels = strMap(m);
  const keys = Object.keys(labels).sort(goLess);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels[k]}`).join(',');
}

/** net.JoinHostPort: brackets around hosts that contain a colon (IPv6). */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** layoutContainerCells: container names and images, comma-joined. */
function layoutContainerCells(containers: unknown): [string, string] {
  const cs = objs(containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

function templateContainers(o: KObject): unknown {
  return obj(obj(obj(o.spec).template).spec).containers;
}

function age(o: KObject, now: number): string {
  return translateTimestampSince(o.metadata?.creationTimestamp, now);
}

function name(o: KObject): string {
  return str(o.metadata?.name);
}

// ---------------------------------------------------------------------------------------------
// Pods.

const podSuccessConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailedConditions: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

/** podutil.IsRestartableInitContainer: a sidecar (`restartPolicy: Always`). */
function isRestartableInitContainer(c: Obj | undefined): boolean {
  return c !== undefined && c.restartPolicy === 'Always';
}

const ZERO_TIME = Number.NEGATIVE_INFINITY;
const timeOrZero = (v: unknown): number => parseTime(v) ?? ZERO_TIME;

function printPod(pod: KObject, now: number): PrintedRow {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const conditions = objs(status.conditions);
  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = arr(spec.containers).length;
  let readyContainers = 0;
  let lastRestartDate = ZERO_TIME;
  let lastRestartableInitContainerRestartDate = ZERO_TIME;

  const podPhase = str(status.phase);
  let reason = podPhase;
  if (str(status.reason) !== '') reason = str(status.reason);

  // If the Pod carries {type:PodScheduled, reason:SchedulingGated}, set reason to 'SchedulingGated'.
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const row: PrintedRow = { cells: [] };
  if (podPhase === 'Succeeded') row.conditions = podSuccessConditions;
  else if (podPhase === 'Failed') row.conditions = podFailedConditions;

  const initSpecs = objs(spec.initContainers);
  const initContainers = new Map<string, Obj>();
  for (const c of initSpecs) {
    initContainers.set(str(c.name), c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = objs(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const state = obj(container.state);
    const lastTerminated = obj(container.lastState).terminated;
    const restartable = isRestartableInitContainer(initContainers.get(str(container.name)));
    restarts += int(container.restartCount);
    if (isObj(lastTerminated)) {
      const terminatedDate = timeOrZero(lastTerminated.finishedAt);
      if (lastRestartDate < terminatedDate) lastRestartDate = terminatedDate;
    }
    if (restartable) {
      restartableInitContainerRestarts += int(container.restartCount);
      if (isObj(lastTerminated)) {
        const terminatedDate = timeOrZero(lastTerminated.finishedAt);
        if (lastRestartableInitContainerRestartDate < terminatedDate) lastRestartableInitContainerRestartDate = terminatedDate;
      }
    }
    const terminated = isObj(state.terminated) ? state.terminated : undefined;
    const waiting = isObj(state.waiting) ? state.waiting : undefined;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization is failed
      if (str(terminated.reason) === '') {
        reason = int(terminated.signal) !== 0 ? `Init:Signal:${int(terminated.signal)}` : `Init:ExitCode:${int(terminated.exitCode)}`;
      } else {
        reason = `Init:${str(terminated.reason)}`;
      }
      initializing = true;
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
      initializing = true;
    }
    break;
  }

  const initializedTrue = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitContainerRestarts;
    lastRestartDate = lastRestartableInitContainerRestartDate;
    let hasRunning = false;
    const statuses = objs(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      const state = obj(container.state);
      const lastTerminated = obj(container.lastState).terminated;
      restarts += int(container.restartCount);
      if (isObj(lastTerminated)) {
        const terminatedDate = timeOrZero(lastTerminated.finishedAt);
        if (lastRestartDate < terminatedDate) lastRestartDate = terminatedDate;
      }
      const terminated = isObj(state.terminated) ? state.terminated : undefined;
      const waiting = isObj(state.waiting) ? state.waiting : undefined;
      if (waiting && str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason = int(terminated.signal) !== 0 ? `Signal:${int(terminated.signal)}` : `ExitCode:${int(terminated.exitCode)}`;
      } else if (container.ready === true && isObj(state.running)) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // change pod status back to "Running" if there is at least one container still reporting as "Running" status
    if (reason === 'Completed' && hasRunning) {
      reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = parseTime(pod.metadata?.deletionTimestamp) !== undefined;
  if (deleting && status.reason === 'NodeLost') {
    reason = 'Unknown';
  } else if (deleting && podPhase !== 'Succeeded' && podPhase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestartDate !== ZERO_TIME) {
    restartsStr = `${restarts} (${humanDuration(now - lastRestartDate)} ago)`;
  }

  // v1→internal conversion: status.podIP is authoritative; podIPs is used when podIP is empty.
  const podIP = str(status.podIP) || str(objs(status.podIPs)[0]?.ip) || '<none>';
  const nodeName = str(spec.nodeName) || '<none>';
  const nominatedNodeName = str(status.nominatedNodeName) || '<none>';
  let readinessGates = '<none>';
  const gates = objs(spec.readinessGates);
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      const c = conditions.find((x) => x.type === gate.conditionType);
      if (c && c.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  row.cells = [name(pod), `${readyContainers}/${totalContainers}`, reason, restartsStr, age(pod, now), podIP, nodeName, nominatedNodeName, readinessGates];
  return row;
}

// ---------------------------------------------------------------------------------------------
// Services, Endpoints, EndpointSlices.

function loadBalancerStatusStringer(lb: unknown): string {
  const result = new Set<string>();
  for (const ing of objs(obj(lb).ingress)) {
    if (str(ing.ip) !== '') result.add(str(ing.ip));
    else if (str(ing.hostname) !== '') result.add(str(ing.hostname));
  }
  // sets.String.List() is sorted; the server prints wide, so nothing is clipped to 16 characters.
  return [...result].sort(goLess).join(',');
}

function serviceExternalIP(spec: Obj, status: Obj): string {
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbIps = loadBalancerStatusStringer(status.loadBalancer);
      if (externalIPs.length > 0) {
        const results = lbIps.length > 0 ? lbIps.split(',') : [];
        return [...results, ...externalIPs].join(',');
      }
      return lbIps.length > 0 ? lbIps : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
  }
  return '<unknown>';
}

function makePortString(ports: unknown): string {
  return objs(ports).map((p) => {
    const nodePort = int(p.nodePort);
    return nodePort > 0 ? `${int(p.port)}:${nodePort}/${str(p.protocol)}` : `${int(p.port)}/${str(p.protocol)}`;
  }).join(',');
}

function printService(svc: KObject, now: number): PrintedRow {
  const spec = obj(svc.spec);
  const clusterIPs = arr(spec.clusterIPs).map(str);
  // A stored v1 Service always has clusterIPs once clusterIP is set; fall back to clusterIP for older objects.
  const internalIP = clusterIPs.length > 0 ? clusterIPs[0] : (str(spec.clusterIP) || '<none>');
  const ports = makePortString(spec.ports) || '<none>';
  return { cells: [name(svc), str(spec.type), internalIP, serviceExternalIP(spec, obj(svc.status)), ports, age(svc, now), formatLabels(spec.selector)] };
}

/** formatEndpoints with ports=nil: `ip:port` for each address and port, the first 3, then ` + N more...`. */
export function formatEndpoints(subsets: unknown): string {
  const ss = objs(subsets);
  if (ss.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const subset of ss) {
    const addresses = objs(subset.addresses);
    const ports = objs(subset.ports);
    if (ports.length === 0) {
      // It's possible to have headless services with no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(str(a.ip));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) { more = true; break; }
        list.push(joinHostPort(str(a.ip), int(port.port)));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function listWithMoreString(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

function formatDiscoveryPorts(ports: unknown): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const p of objs(ports)) {
    if (list.length < max) {
      let portNum = '*';
      if (typeof p.port === 'number') portNum = String(int(p.port));
      else if (typeof p.name === 'string') portNum = p.name;
      list.push(portNum);
    } else if (list.length === max) {
      more = true;
    }
    count++;
  }
  return listWithMoreString(list, more, count, max);
}

function formatDiscoveryEndpoints(endpoints: unknown): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ep of objs(endpoints)) {
    for (const address of arr(ep.addresses)) {
      if (list.length < max) list.push(str(address));
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMoreString(list, more, count, max);
}

// ---------------------------------------------------------------------------------------------
// Nodes, namespaces, events.

function printNode(node: KObject, now: number): PrintedRow {
  const status = obj(node.status);
  const info = obj(status.nodeInfo);
  const st: string[] = [];
  const ready = objs(status.conditions).filter((c) => c.type === 'Ready').pop(); // the map keeps the last one
  if (ready) st.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (st.length === 0) st.push('Unknown');
  if (obj(node.spec).unschedulable === true) st.push('SchedulingDisabled');

  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(node.metadata?.labels))) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role.length > 0) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  const rolesStr = [...roles].sort(goLess).join(',') || '<none>';
  const addresses = objs(status.addresses);
  const addr = (type: string) => str(addresses.find((a) => a.type === type)?.address) || '<none>';
  return {
    cells: [
      name(node), st.join(','), rolesStr, age(node, now), str(info.kubeletVersion),
      addr('InternalIP'), addr('ExternalIP'),
      str(info.osImage) || '<unknown>', str(info.kernelVersion) || '<unknown>', str(info.containerRuntimeVersion) || '<unknown>',
    ],
  };
}

function printNamespace(ns: KObject, now: number): PrintedRow {
  return { cells: [name(ns), str(obj(ns.status).phase), age(ns, now)] };
}

function printEvent(ev: KObject, now: number): PrintedRow {
  let firstTimestamp = translateTimestampSince(ev.firstTimestamp, now);
  if (parseTime(ev.firstTimestamp) === undefined) firstTimestamp = translateTimestampSince(ev.eventTime, now);
  let lastTimestamp = translateTimestampSince(ev.lastTimestamp, now);
  if (parseTime(ev.lastTimestamp) === undefined) lastTimestamp = firstTimestamp;
  let count = int(ev.count);
  if (isObj(ev.series)) {
    lastTimestamp = translateTimestampSince(ev.series.lastObservedTime, now);
    count = int(ev.series.count);
  } else if (count === 0) {
    // Singleton events don't have a count set in the new API.
    count = 1;
  }
  const involved = obj(ev.involvedObject);
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) !== '' ? `${kind}/${str(involved.name)}` : kind;
  const source = obj(ev.source);
  const component = str(source.component) || str(ev.reportingComponent);
  const host = str(source.host) || str(ev.reportingInstance);
  const sourceStr = host === '' ? component : `${component}, ${host}`;
  return {
    cells: [lastTimestamp, str(ev.type), str(ev.reason), target, str(involved.fieldPath), sourceStr, str(ev.message).trim(), firstTimestamp, count, name(ev)],
  };
}

// ---------------------------------------------------------------------------------------------
// apps/v1.

function printStatefulSet(sts: KObject, now: number): PrintedRow {
  const [names, images] = layoutContainerCells(templateContainers(sts));
  const ready = int(obj(sts.status).readyReplicas);
  return { cells: [name(sts), `${ready}/${replicasOf(obj(sts.spec).replicas)}`, age(sts, now), names, images] };
}

function printDeployment(d: KObject, now: number): PrintedRow {
  const spec = obj(d.spec);
  const status = obj(d.status);
  let selectorString: string;
  try {
    // LabelSelectorAsSelector(...).String(): "" for a nil or empty selector (not "<none>").
    selectorString = selectorToString(selectorFromLabelSelector(isObj(spec.selector) ? spec.selector as unknown as MetaLabelSelector : undefined));
  } catch {
    selectorString = '<invalid>';
  }
  const [names, images] = layoutContainerCells(templateContainers(d));
  return {
    cells: [
      name(d), `${int(status.readyReplicas)}/${replicasOf(spec.replicas)}`, int(status.updatedReplicas), int(status.availableReplicas), age(d, now),
      names, images, selectorString,
    ],
  };
}

function printReplicaSet(rs: KObject, now: number): PrintedRow {
  const spec = obj(rs.spec);
  const status = obj(rs.status);
  const [names, images] = layoutContainerCells(templateContainers(rs));
  return {
    cells: [
      name(rs), replicasOf(spec.replicas), int(status.replicas), int(status.readyReplicas), age(rs, now),
      names, images, labelSelectorToString(isObj(spec.selector) ? spec.selector as unknown as MetaLabelSelector : undefined),
    ],
  };
}

/** schema.ParseGroupVersion's group: "" for "v1", the part before "/" for "apps/v1". */
function groupOf(apiVersion: string): string {
  if (apiVersion === '' || apiVersion === '/') return '';
  const parts = apiVersion.split('/');
  if (parts.length === 1) return '';
  if (parts.length === 2) return parts[0];
  // printControllerRevision returns this error, which fails the whole request in kube.
  throw internalError(`unexpected GroupVersion string: ${apiVersion}`);
}

function printControllerRevision(cr: KObject, now: number): PrintedRow {
  const ref = objs(cr.metadata?.ownerReferences).find((r) => r.controller === true);
  let controller = '<none>';
  if (ref) {
    const group = groupOf(str(ref.apiVersion));
    const kind = str(ref.kind);
    // formatResourceName(GroupKind, name, true): lower(Kind[.group]) + "/" + name; an empty GroupKind gives the name.
    controller = group === '' && kind === '' ? str(ref.name) : `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${str(ref.name)}`;
  }
  return { cells: [name(cr), controller, int(cr.revision), age(cr, now)] };
}

// ---------------------------------------------------------------------------------------------
// The rest.

function printLease(l: KObject, now: number): PrintedRow {
  return { cells: [name(l), str(obj(l.spec).holderIdentity), age(l, now)] };
}

function printConfigMap(cm: KObject, now: number): PrintedRow {
  return { cells: [name(cm), Object.keys(obj(cm.data)).length + Object.keys(obj(cm.binaryData)).length, age(cm, now)] };
}

function printEndpoints(ep: KObject, now: number): PrintedRow {
  return { cells: [name(ep), formatEndpoints(ep.subsets), age(ep, now)] };
}

function printEndpointSlice(es: KObject, now: number): PrintedRow {
  return { cells: [name(es), str(es.addressType), formatDiscoveryPorts(es.ports), formatDiscoveryEndpoints(es.endpoints), age(es, now)] };
}

/** rest.DefaultTableConvertor's cells: name and creationTimestamp in RFC3339 (UTC, whole seconds). */
export function printDefault(o: KObject): PrintedRow {
  const t = parseTime(o.metadata?.creationTimestamp);
  // metav1.Time zero value prints as Go's zero time in RFC3339.
  const created = t === undefined ? '0001-01-01T00:00:00Z' : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { cells: [name(o), created] };
}

/** Printers by Kind (the kinds in RESOURCES). */
export const PRINTERS: Readonly<Record<string, Printer>> = {
  Pod: printPod,
  Service: printService,
  Endpoints: printEndpoints,
  EndpointSlice: printEndpointSlice,
  Node: printNode,
  Namespace: printNamespace,
  Event: printEvent,
  StatefulSet: printStatefulSet,
  Deployment: printDeployment,
  ReplicaSet: printReplicaSet,
  ControllerRevision: printControllerRevision,
  Lease: printLease,
  ConfigMap: printConfigMap,
};
