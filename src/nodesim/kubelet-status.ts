// The pod conditions a kubelet derives from its container statuses (kubernetes-semantics.md §7.1), ported
// from pkg/kubelet/status/generate.go and generateAPIPodStatus in pkg/kubelet/kubelet_pods.go (v1.32):
// PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled, in that order. Stages say
// what the containers do; these rules say what that means for the pod, so the two can never disagree.
// Readiness-gate conditions belong to whoever the gate names (a load balancer controller, a user): they
// are read here, never written.

import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types/pod.ts';

/** Condition types the kubelet owns (pkg/kubelet/types PodConditionsByKubelet), in generateAPIPodStatus order. */
export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const;

interface Cond { type: string; status: 'True' | 'False'; reason?: string; message?: string }

/** fmt's %s of a []string: `[a b]`. */
function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function isRestartableInit(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function statusOf(statuses: readonly ContainerStatus[] | undefined, name: string): ContainerStatus | undefined {
  return statuses?.find((s) => s.name === name);
}

/** GenerateContainersReadyCondition. `all` is initContainerStatuses + containerStatuses, or undefined. */
function containersReady(pod: Pod, all: ContainerStatus[] | undefined, phase: string): Cond {
  if (all === undefined) return { type: 'ContainersReady', status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Container) => {
    const s = statusOf(all, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of pod.spec?.initContainers ?? []) if (isRestartableInit(c)) check(c);
  for (const c of pod.spec?.containers ?? []) check(c);
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return { type: 'ContainersReady', status: 'False', reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' };
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** GeneratePodReadyCondition: ContainersReady, then every readiness gate condition must be True. */
function ready(pod: Pod, cr: Cond, conditions: readonly PodCondition[]): Cond {
  if (cr.status !== 'True') return { type: 'Ready', status: cr.status, reason: cr.reason, message: cr.message };
  const msgs: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate ${JSON.stringify(g.conditionType)} does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate ${JSON.stringify(g.conditionType)} is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/** GeneratePodInitializedCondition. */
function initialized(pod: Pod, all: ContainerStatus[] | undefined, phase: string): Cond {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return { type: 'Initialized', status: 'True' };
  if (all === undefined) return { type: 'Initialized', status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusOf(all, c.name);
    if (!s) { unknown.push(c.name); continue; }
    if (isRestartableInit(c)) { if (!s.started) incomplete.push(c.name); continue; }
    if (!s.state?.terminated || s.state.terminated.exitCode !== 0) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // HasAnyRegularContainerStarted: once a regular container ran, the pod was initialized.
  const started = (pod.spec?.containers ?? []).some((c) => {
    const st = statusOf(all, c.name)?.state;
    return !!(st?.running || st?.terminated);
  });
  if (started) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/**
 * GeneratePodReadyToStartContainersCondition: True once the sandbox exists with its network, which for a
 * simulated pod means it has an IP; False again once the pod is terminal (its sandbox is torn down).
 */
function readyToStart(status: PodStatus): Cond {
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  return { type: 'PodReadyToStartContainers', status: status.podIP && !terminal ? 'True' : 'False' };
}

/**
 * The kubelet-owned conditions for `pod` whose status is (about to be) `status`, in kubelet order, with
 * lastTransitionTime kept from the current condition of the same type when its status did not change
 * (status manager updateLastTransitionTime) and `now` otherwise.
 */
export function kubeletConditions(pod: Pod, status: PodStatus, now: string): PodCondition[] {
  const phase = status.phase ?? 'Pending';
  const all = status.containerStatuses === undefined && status.initContainerStatuses === undefined
    ? undefined
    : [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const existing = status.conditions ?? [];
  const cr = containersReady(pod, all, phase);
  const derived: Cond[] = [readyToStart(status), initialized(pod, all, phase), ready(pod, cr, existing), cr, { type: 'PodScheduled', status: 'True' }];
  return derived.map((c) => {
    const old = existing.find((x) => x.type === c.type);
    const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

/**
 * The strategic-merge fragment of `status` that writes the kubelet conditions: `conditions` (merged by type
 * on the server) plus `$setElementOrder/conditions` (conditions the kubelet does not own first, in their
 * current order, then the kubelet's), as the kubelet's status manager sends it.
 */
export function conditionsPatch(pod: Pod, status: PodStatus, now: string): Record<string, unknown> {
  const current = status.conditions ?? [];
  // A strategic merge patch merges the fields of a condition: a reason or message that no longer applies
  // must be deleted explicitly (null), as the status manager's two-way patch does.
  const conditions: Array<Record<string, unknown>> = kubeletConditions(pod, status, now).map((c) => {
    const old = current.find((x) => x.type === c.type);
    const out: Record<string, unknown> = { ...c };
    if (old?.reason && !c.reason) out.reason = null;
    if (old?.message && !c.message) out.message = null;
    return out;
  });
  const owned = new Set<string>(KUBELET_CONDITIONS);
  const others = current.filter((c) => !owned.has(c.type)).map((c) => ({ type: c.type }));
  return { '$setElementOrder/conditions': [...others, ...conditions.map((c) => ({ type: c.type }))], conditions };
}

/** True when the pod's kubelet conditions differ (ignoring times and order) from what its status implies. */
export function conditionsOutOfSync(pod: Pod): boolean {
  const status = pod.status ?? {};
  const derived = kubeletConditions(pod, status, '');
  const current = status.conditions ?? [];
  return derived.some((d) => {
    const c = current.find((x) => x.type === d.type);
    return !c || c.status !== d.status || (c.reason ?? '') !== (d.reason ?? '') || (c.message ?? '') !== (d.message ?? '');
  });
}

/**
 * The status manager's repair: the strategic-merge body that rewrites the kubelet conditions of a pod whose
 * conditions no longer follow from its status (a readiness gate changed, someone edited Ready), or undefined
 * when there is nothing to do. Pods without container statuses (not started yet) and terminating pods are
 * left alone.
 */
export function conditionSyncPatch(pod: Pod, now: string): { metadata: { uid?: string }; status: Record<string, unknown> } | undefined {
  if (!pod.status?.containerStatuses || pod.metadata.deletionTimestamp) return undefined;
  if (!conditionsOutOfSync(pod)) return undefined;
  return { metadata: { uid: pod.metadata.uid }, status: conditionsPatch(pod, pod.status, now) };
}
