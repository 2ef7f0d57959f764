// Table tests for the ReplicaSet controller's decisions (kubernetes-semantics.md §6, §7.1; upstream
// pkg/controller/replicaset/replica_set.go, replica_set_utils.go, pkg/controller/controller_utils.go).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { selectorFromLabelSelector } from '../../api/selectors.ts';
import type { ReplicaSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { FakeClock } from '../../client/index.ts';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.ts';
import {
  adoptPatch, calculateStatus, deleteBefore, filterActivePods, isPodAvailable, isPodReady, planClaims, planReplicas, podDeletionCost,
  podFromTemplate, podNamePrefix, podsToDelete, releasePatch, slowStartBatches, statusToWrite,
} from './reconcile.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');

function rs(over: { replicas?: number; minReadySeconds?: number; generation?: number; status?: ReplicaSet['status']; labels?: Record<string, string> } = {}): ReplicaSet {
  const labels = over.labels ?? { app: 'web', 'pod-template-hash': 'abc' };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'app-abc', namespace: 'moon', uid: 'rs-uid', generation: over.generation ?? 1, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'd-uid', controller: true, blockOwnerDeletion: true }] },
    spec: {
      replicas: over.replicas ?? 3,
      minReadySeconds: over.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels, annotations: { note: 'x' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:alpine' }] } },
    },
    status: over.status ?? { replicas: 0 },
  };
}

interface PodOpts {
  name?: string; uid?: string; node?: string; phase?: string; ready?: boolean; readyAgoMs?: number; createdAgoMs?: number;
  owner?: string | null; labels?: Record<string, string>; deleting?: boolean; restarts?: number; cost?: string;
}
function pod(o: PodOpts = {}): Pod {
  const p: Pod = {
    metadata: {
      name: o.name ?? 'p', namespace: 'moon', uid: o.uid ?? o.name ?? 'p',
      labels: o.labels ?? { app: 'web', 'pod-template-hash': 'abc' },
      creationTimestamp: o.createdAgoMs === undefined ? iso(3_600_000) : iso(o.createdAgoMs),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: (o.phase ?? 'Running') as NonNullable<Pod['status']>['phase'],
      conditions: o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: iso(o.readyAgoMs ?? 60_000) }],
      containerStatuses: [{ name: 'c', ready: !!o.ready, restartCount: o.restarts ?? 0, image: 'i', imageID: '' }],
    },
  };
  if (o.owner !== null) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-abc', uid: o.owner ?? 'rs-uid', controller: true }];
  if (o.deleting) p.metadata.deletionTimestamp = iso(0);
  if (o.cost !== undefined) p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': o.cost };
  return p;
}

describe('pod predicates (semantics §7.1: readiness is the Ready condition; podutil.IsPodAvailable)', () => {
  const cases: Array<[string, Pod, number, boolean, boolean]> = [
    // name, pod, minReadySeconds, ready, available
    ['Ready=True, minReadySeconds 0 → available', pod({ ready: true, readyAgoMs: 0 }), 0, true, true],
    ['Ready=False → neither', pod({ ready: false }), 0, false, false],
    ['no Ready condition → neither', pod({}), 0, false, false],
    ['ready 5s ago, minReadySeconds 10 → not yet available', pod({ ready: true, readyAgoMs: 5_000 }), 10, true, false],
    ['ready 11s ago, minReadySeconds 10 → available', pod({ ready: true, readyAgoMs: 11_000 }), 10, true, true],
    ['ready exactly 10s ago, minReadySeconds 10 → not available (strictly before now)', pod({ ready: true, readyAgoMs: 10_000 }), 10, true, false],
  ];
  for (const [name, p, minReady, ready, available] of cases) {
    test(name, () => {
      assert.equal(isPodReady(p), ready);
      assert.equal(isPodAvailable(p, minReady, NOW), available);
    });
  }
  test('FilterActivePods drops Succeeded, Failed and terminating pods', () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b', phase: 'Succeeded' }), pod({ name: 'c', phase: 'Failed' }), pod({ name: 'd', deleting: true }), pod({ name: 'e', phase: 'Pending' })];
    assert.deepEqual(filterActivePods(pods).map((p) => p.metadata.name), ['a', 'e']);
  });
});

describe('planReplicas (manageReplicas, semantics §6): scale up creates the difference, scale down deletes it', () => {
  const three = [pod({ name: 'a', ready: true }), pod({ name: 'b', ready: true }), pod({ name: 'c', ready: true })];
  const cases: Array<[string, number, Pod[], string, number]> = [
    ['0 of 3 → create 3', 3, [], 'create', 3],
    ['2 of 3 → create 1', 3, three.slice(0, 2), 'create', 1],
    ['3 of 3 → nothing', 3, three, 'none', 0],
    ['3 of 1 → delete 2', 1, three, 'delete', 2],
    ['3 of 0 → delete all 3', 0, three, 'delete', 3],
  ];
  for (const [name, replicas, active, action, n] of cases) {
    test(name, () => {
      const plan = planReplicas(rs({ replicas }), active, active, NOW);
      assert.equal(plan.action, action);
      if (plan.action === 'create') assert.equal(plan.count, n);
      if (plan.action === 'delete') assert.equal(plan.pods.length, n);
    });
  }
  test('burst: at most 500 creates per sync (replicaset.BurstReplicas)', () => {
    const plan = planReplicas(rs({ replicas: 1200 }), [], [], NOW);
    assert.deepEqual(plan, { action: 'create', count: 500 });
  });
  test('slow start batches 1, 2, 4, 8... (controller.SlowStartInitialBatchSize)', () => {
    assert.deepEqual(slowStartBatches(0), []);
    assert.deepEqual(slowStartBatches(1), [1]);
    assert.deepEqual(slowStartBatches(3), [1, 2]);
    assert.deepEqual(slowStartBatches(10), [1, 2, 4, 3]);
  });
});

describe('scale-down choice (ActivePodsWithRanks.Less: unscheduled, pending, not ready, cost, doubled up, newest first)', () => {
  const cases: Array<[string, Pod, Pod, [number, number]?]> = [
    // name, pod deleted first, the other (ranks)
    ['unassigned before assigned', pod({ name: 'x', ready: true }), pod({ name: 'y', node: 'n1', ready: true })],
    ['Pending before Running', pod({ name: 'x', node: 'n1', phase: 'Pending' }), pod({ name: 'y', node: 'n1', phase: 'Running' })],
    ['Unknown before Running', pod({ name: 'x', node: 'n1', phase: 'Unknown' }), pod({ name: 'y', node: 'n1', phase: 'Running' })],
    ['not ready before ready', pod({ name: 'x', node: 'n1', ready: false }), pod({ name: 'y', node: 'n1', ready: true })],
    ['lower pod-deletion-cost first', pod({ name: 'x', node: 'n1', ready: true, cost: '-5' }), pod({ name: 'y', node: 'n1', ready: true, cost: '10' })],
    ['more co-located related pods first', pod({ name: 'x', node: 'n1', ready: true }), pod({ name: 'y', node: 'n2', ready: true }), [3, 1]],
    ['ready for less time first (different log2 buckets)', pod({ name: 'x', node: 'n1', ready: true, readyAgoMs: 1_000 }), pod({ name: 'y', node: 'n1', ready: true, readyAgoMs: 3_600_000 })],
    ['more restarts first', pod({ name: 'x', node: 'n1', ready: true, readyAgoMs: 60_000, restarts: 4 }), pod({ name: 'y', node: 'n1', ready: true, readyAgoMs: 60_000, restarts: 0 })],
    ['newer before older', pod({ name: 'x', node: 'n1', ready: true, createdAgoMs: 1_000 }), pod({ name: 'y', node: 'n1', ready: true, createdAgoMs: 86_400_000 })],
    ['same log2 bucket: lower UID first', pod({ name: 'x', uid: 'a', node: 'n1', ready: true, createdAgoMs: 1_000_100 }), pod({ name: 'y', uid: 'b', node: 'n1', ready: true, createdAgoMs: 1_000_000 })],
  ];
  for (const [name, first, second, ranks] of cases) {
    test(name, () => {
      const [ra, rb] = ranks ?? [0, 0];
      assert.equal(deleteBefore(first, second, ra, rb, NOW), true);
      assert.equal(deleteBefore(second, first, rb, ra, NOW), false);
    });
  }
  test('pod-deletion-cost parsing: int32, no plus sign, no leading zeros (GetDeletionCostFromPodAnnotations)', () => {
    for (const [v, want] of [['10', 10], ['-3', -3], ['0', 0], ['+10', 0], ['008', 0], ['x', 0], ['3000000000', 0]] as const) {
      assert.equal(podDeletionCost(pod({ cost: v })), want, v);
    }
  });
  test('podsToDelete picks the unscheduled, the not-ready and then the newest', () => {
    const pods = [
      pod({ name: 'old-ready', node: 'n1', ready: true, readyAgoMs: 86_400_000, createdAgoMs: 86_400_000 }),
      pod({ name: 'unscheduled', phase: 'Pending' }),
      pod({ name: 'not-ready', node: 'n2', ready: false }),
      pod({ name: 'new-ready', node: 'n3', ready: true, readyAgoMs: 2_000, createdAgoMs: 5_000 }),
    ];
    assert.deepEqual(podsToDelete(pods, pods, 3, NOW).map((p) => p.metadata.name), ['unscheduled', 'not-ready', 'new-ready']);
  });
  test('deleting every pod needs no ranking', () => {
    const pods = [pod({ name: 'a' }), pod({ name: 'b' })];
    assert.deepEqual(podsToDelete(pods, pods, 2, NOW).map((p) => p.metadata.name), ['a', 'b']);
  });
});

describe('the pod made from the template (GetPodFromTemplate, semantics §6)', () => {
  test('generateName <rs>-, template labels and annotations, controller ref with blockOwnerDeletion, no nodeName', () => {
    const p = podFromTemplate(rs());
    assert.equal(p.metadata.generateName, 'app-abc-');
    assert.equal(p.metadata.name, undefined);
    assert.equal(p.metadata.namespace, 'moon');
    assert.deepEqual(p.metadata.labels, { app: 'web', 'pod-template-hash': 'abc' });
    assert.deepEqual(p.metadata.annotations, { note: 'x' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'app-abc', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    assert.equal(p.spec?.nodeName, undefined);
    assert.deepEqual(p.spec?.containers, [{ name: 'nginx', image: 'nginx:alpine' }]);
  });
  test('getPodsPrefix: the bare name when "<name>-" is not a valid prefix', () => {
    assert.equal(podNamePrefix('app-abc'), 'app-abc-');
    assert.equal(podNamePrefix('x'.repeat(253)), 'x'.repeat(253) + '-');
    assert.equal(podNamePrefix('x'.repeat(254)), 'x'.repeat(254));
    assert.equal(podNamePrefix('Bad_Name'), 'Bad_Name');
  });
});

describe('claims (ClaimObject): adopt matching orphans, release owned pods that stopped matching', () => {
  const owner = { uid: 'rs-uid', namespace: 'moon', deleting: false, selector: selectorFromLabelSelector({ matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }) };
  const objs = [
    pod({ name: 'mine' }),
    pod({ name: 'mine-relabelled', labels: { app: 'other' } }),
    pod({ name: 'orphan', owner: null }),
    pod({ name: 'orphan-terminating', owner: null, deleting: true }),
    pod({ name: 'orphan-nomatch', owner: null, labels: { app: 'other' } }),
    pod({ name: 'someone-elses', owner: 'other-uid' }),
  ] as unknown as KObject[];
  const names = (l: KObject[]) => l.map((o) => o.metadata.name);
  test('owned / adopt / release', () => {
    const plan = planClaims(owner, objs);
    assert.deepEqual(names(plan.owned), ['mine']);
    assert.deepEqual(names(plan.adopt), ['orphan']);
    assert.deepEqual(names(plan.release), ['mine-relabelled']);
  });
  test('an owner being deleted neither adopts nor releases', () => {
    const plan = planClaims({ ...owner, deleting: true }, objs);
    assert.deepEqual(names(plan.owned), ['mine']);
    assert.deepEqual(plan.adopt, []);
    assert.deepEqual(plan.release, []);
  });
  test('adopt and release patches (strategic merge on ownerReferences by uid, with the object uid as precondition)', () => {
    assert.deepEqual(adoptPatch({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true, blockOwnerDeletion: true }, 'pod-uid'),
      { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true, blockOwnerDeletion: true }], uid: 'pod-uid' } });
    assert.deepEqual(releasePatch('u', 'pod-uid'), { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u' }], uid: 'pod-uid' } });
  });
});

describe('status (calculateStatus / updateReplicaSetStatus)', () => {
  test('replicas, fullyLabeledReplicas, readyReplicas, availableReplicas with minReadySeconds', () => {
    const r = rs({ replicas: 4, minReadySeconds: 10 });
    const pods = [
      pod({ name: 'a', ready: true, readyAgoMs: 60_000 }),
      pod({ name: 'b', ready: true, readyAgoMs: 1_000 }),
      pod({ name: 'c', ready: false }),
      pod({ name: 'd', ready: true, readyAgoMs: 60_000, labels: { app: 'web' } }),
    ];
    const s = calculateStatus(r, pods, undefined, NOW);
    assert.deepEqual([s.replicas, s.fullyLabeledReplicas, s.readyReplicas, s.availableReplicas], [4, 3, 3, 2]);
  });
  test('a failed create sets ReplicaFailure/FailedCreate; a good sync removes it', () => {
    const r = rs({ replicas: 2 });
    const s = calculateStatus(r, [], new Error('pods "app-abc-" is forbidden: exceeded quota'), NOW);
    assert.deepEqual(s.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: iso(0), reason: 'FailedCreate', message: 'pods "app-abc-" is forbidden: exceeded quota' }]);
    const again = calculateStatus({ ...r, status: s }, [], undefined, NOW);
    assert.equal(again.conditions, undefined);
  });
  test('written only when something changed, with observedGeneration = generation and Go omitempty shape', () => {
    const r = rs({ replicas: 1, generation: 2, status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 } });
    const pods = [pod({ name: 'a', ready: true })];
    assert.equal(statusToWrite(r, calculateStatus(r, pods, undefined, NOW)), undefined);
    const r3 = { ...r, metadata: { ...r.metadata, generation: 3 } };
    assert.deepEqual(statusToWrite(r3, calculateStatus(r3, pods, undefined, NOW)), { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 3 });
    const r0 = rs({ replicas: 0, generation: 1 });
    assert.deepEqual(statusToWrite(r0, calculateStatus(r0, [], undefined, NOW)), { replicas: 0, observedGeneration: 1 });
  });
});

describe('expectations (ControllerExpectations / UIDTrackingControllerExpectations)', () => {
  test('creates: unsatisfied until every create is observed', () => {
    const e = new Expectations(new FakeClock(NOW));
    assert.equal(e.satisfied('moon/app-abc'), true, 'no record: a new controller syncs');
    e.expectCreations('moon/app-abc', 2);
    assert.equal(e.satisfied('moon/app-abc'), false);
    e.creationObserved('moon/app-abc');
    assert.equal(e.satisfied('moon/app-abc'), false);
    e.creationObserved('moon/app-abc');
    assert.equal(e.satisfied('moon/app-abc'), true);
  });
  test('deletes: each pod counts once, unknown pods not at all', () => {
    const e = new Expectations(new FakeClock(NOW));
    e.expectDeletions('k', ['moon/a', 'moon/b']);
    e.deletionObserved('k', 'moon/a');
    e.deletionObserved('k', 'moon/a'); // the terminating update and then the final delete
    e.deletionObserved('k', 'moon/zzz');
    assert.equal(e.satisfied('k'), false);
    e.deletionObserved('k', 'moon/b');
    assert.equal(e.satisfied('k'), true);
  });
  test('an expectation older than five minutes counts as satisfied', () => {
    const clock = new FakeClock(NOW);
    const e = new Expectations(clock);
    e.expectCreations('k', 1);
    clock.advance(EXPECTATIONS_TIMEOUT_MS);
    assert.equal(e.satisfied('k'), false);
    clock.advance(1);
    assert.equal(e.satisfied('k'), true);
  });
});
