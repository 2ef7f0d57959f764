// Builders for the StatefulSet table tests: a defaulted set (as the API server stores it, semantics §5
// Defaults), its pods in a given state, and a tiny in-memory world that applies a plan and plays kubelet.
// Test support only; the controller does not import it.

import type { ControllerRevision, StatefulSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { newRevision } from './history.ts';
import { reconcile, type ReconcileResult } from './reconcile.ts';
import { newStatefulSetPod, setPodRevision } from './utils.ts';

export const NOW = Date.parse('2026-01-01T00:00:00Z');

export interface SetOptions {
  replicas?: number;
  policy?: 'OrderedReady' | 'Parallel';
  image?: string;
  partition?: number;
  onDelete?: boolean;
  minReadySeconds?: number;
  start?: number;
  revisionHistoryLimit?: number;
  generation?: number;
  status?: StatefulSet['status'];
  deleting?: boolean;
}

export function sts(o: SetOptions = {}): StatefulSet {
  const set: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: o.generation ?? 1, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'web',
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: o.image ?? 'nginx:1.27', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler' },
      },
      podManagementPolicy: o.policy ?? 'OrderedReady',
      updateStrategy: o.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: o.status ?? { replicas: 0, availableReplicas: 0 },
  };
  if (o.minReadySeconds !== undefined) set.spec!.minReadySeconds = o.minReadySeconds;
  if (o.start !== undefined) set.spec!.ordinals = { start: o.start };
  if (o.deleting) set.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return set;
}

/**
 * The StatefulSet of upstream's TestStatefulSetCompatibility (pkg/controller/statefulset/
 * stateful_set_compatibility_test.go) as a 1.33 API server stores it (defaults applied); its revision is
 * `test-c77f6d978`.
 */
export function compatibilitySet(): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'test', namespace: 'test', uid: 'ssuid', generation: 1, labels: { sslabel: 'value' }, resourceVersion: '123' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'foo' } },
      template: {
        metadata: { annotations: { test: 'value' }, creationTimestamp: null, labels: { app: 'foo' } },
        spec: {
          containers: [{ image: 'test', imagePullPolicy: 'Always', name: 'test', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'test', annotations: { key: 'value' }, labels: { key: 'value' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } as never],
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: { availableReplicas: 1, collisionCount: 0, currentReplicas: 1, currentRevision: 'test-c77f6d978', observedGeneration: 1, replicas: 1, updateRevision: 'test-c77f6d978', updatedReplicas: 1, readyReplicas: 1 },
  };
}

/** The revision a set's template makes (revision number n, no collisions), as the API would return it. */
export function rev(set: StatefulSet, n = 1): ControllerRevision {
  const r = newRevision(set, n, set.status?.collisionCount ?? 0);
  r.metadata.uid = `uid-${r.metadata.name}`;
  r.metadata.creationTimestamp = new Date(NOW + n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return r;
}

export type PodState = 'pending' | 'running' | 'ready' | 'failed' | 'succeeded' | 'terminating' | 'none';

/** A pod of `set` at `ordinal` made from revision `r`, as the API shows it in the given state. */
export function pod(set: StatefulSet, ordinal: number, state: PodState, r: ControllerRevision = rev(set), opts: { readySince?: number; nodeName?: string } = {}): Pod {
  const p = newStatefulSetPod(set, ordinal);
  setPodRevision(p, r.metadata.name!);
  p.metadata.uid = `uid-${p.metadata.name}`;
  p.metadata.resourceVersion = '1';
  if (opts.nodeName) p.spec!.nodeName = opts.nodeName;
  const since = new Date(opts.readySince ?? NOW - 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ready = (s: 'True' | 'False') => [{ type: 'Ready', status: s, lastTransitionTime: since }];
  switch (state) {
    case 'none': p.status = {}; break;
    case 'pending': p.status = { phase: 'Pending' }; break;
    case 'running': p.status = { phase: 'Running', conditions: ready('False') }; break;
    case 'ready': p.status = { phase: 'Running', conditions: ready('True') }; break;
    case 'failed': p.status = { phase: 'Failed', conditions: ready('False') }; break;
    case 'succeeded': p.status = { phase: 'Succeeded', conditions: ready('False') }; break;
    case 'terminating': p.status = { phase: 'Running', conditions: ready('True') }; p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'; break;
  }
  return p;
}

/**
 * An in-memory cluster for scenario tests: `step()` runs reconcile, applies its writes as the API server
 * would (created pods are Pending; deleted pods become terminating), records them, then plays kubelet for
 * the pods it was told to (Pending → Running+Ready, terminating → gone).
 */
export class World {
  set: StatefulSet;
  pods = new Map<string, Pod>();
  revisions: ControllerRevision[] = [];
  log: string[] = [];
  private seq = 0;

  constructor(set: StatefulSet) {
    this.set = set;
  }

  step(): ReconcileResult {
    const res = reconcile({ set: this.set, pods: [...this.pods.values()], revisions: this.revisions, now: NOW });
    const a = res.revisions.action;
    if (a?.type === 'create') this.revisions.push({ ...a.revision, metadata: { ...a.revision.metadata, uid: `uid-r${++this.seq}`, creationTimestamp: new Date(NOW + this.seq).toISOString() } });
    if (a?.type === 'renumber') this.revisions = this.revisions.map((r) => (r.metadata.name === a.revision.metadata.name ? { ...r, revision: a.to } : r));
    for (const ph of res.plan.phases) {
      for (const act of ph.actions) {
        const name = act.pod.metadata.name!;
        this.log.push(`${act.type} ${name}`);
        if (act.type === 'create') this.pods.set(name, { ...structuredClone(act.pod), status: { phase: 'Pending' }, metadata: { ...act.pod.metadata, uid: `uid-${name}-${++this.seq}` } });
        else if (act.type === 'delete') {
          const p = this.pods.get(name)!;
          if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') this.pods.delete(name);
          else this.pods.set(name, { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
        } else this.pods.set(name, structuredClone(act.pod));
      }
    }
    this.set = { ...this.set, status: res.plan.status };
    this.revisions = this.revisions.filter((r) => !res.truncate.some((t) => t.metadata.name === r.metadata.name));
    return res;
  }

  /** Kubelet: pending pods become Running and Ready. */
  startAll(): void {
    for (const [n, p] of this.pods) {
      if (p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp) {
        this.pods.set(n, { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }] } });
      }
    }
  }

  /** Kubelet: terminating pods finish (deleted with grace 0). */
  finishTerminating(): void {
    for (const [n, p] of this.pods) if (p.metadata.deletionTimestamp) this.pods.delete(n);
  }

  /** Steps (kubelet acting between steps) until a step makes no write; bounded. */
  settle(maxSteps = 100): void {
    for (let i = 0; i < maxSteps; i++) {
      const res = this.step();
      this.startAll();
      this.finishTerminating();
      if (res.plan.phases.length === 0 && !res.revisions.action) {
        const again = this.step();
        if (again.plan.phases.length === 0 && !again.revisions.action) return;
      }
    }
    throw new Error(`world did not settle in ${maxSteps} steps; log: ${this.log.join(', ')}`);
  }

  names(): string[] {
    return [...this.pods.keys()].sort();
  }
}
