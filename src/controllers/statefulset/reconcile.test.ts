// Table tests of the StatefulSet decisions (kubernetes-semantics.md §5; upstream
// pkg/controller/statefulset/stateful_set_control.go). Each case: a set, its pods, its revisions → the writes,
// in order, and the status.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, StatefulSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { selectorFromLabelSelector } from '../../api/selectors.ts';
import { LABEL_CONTROLLER_REVISION_HASH, LABEL_POD_INDEX, LABEL_STATEFULSET_POD_NAME } from '../../api/well-known.ts';
import { claimPods, claimRevisions, completeRollingUpdate, describeActions, inconsistentStatus, reconcile } from './reconcile.ts';
import { compatibilitySet, NOW, pod, rev, sts, World, type PodState } from './testing.ts';

interface Case {
  name: string;
  set: StatefulSet;
  /** [ordinal, state] with the set's own revision, or a full pod. */
  pods: Array<[number, PodState] | Pod>;
  revisions?: ControllerRevision[];
  want: string[];
  waiting?: RegExp;
  burst?: boolean;
}

function podsOf(set: StatefulSet, specs: Case['pods'], r: ControllerRevision): Pod[] {
  return specs.map((s) => (Array.isArray(s) ? pod(set, s[0], s[1], r) : s));
}

const ordered3 = sts({ replicas: 3 });
const parallel3 = sts({ replicas: 3, policy: 'Parallel' });
const ordered2 = sts({ replicas: 2 });
const parallel2 = sts({ replicas: 2, policy: 'Parallel' });

const cases: Case[] = [
  // §5 Reconcile: missing → create; OrderedReady stops after a create.
  { name: 'OrderedReady: no pods → create web-0 only (§5, monotonic: one at a time)', set: ordered3, pods: [], want: ['create web-0'], waiting: /web-0 is being created/ },
  { name: 'OrderedReady: web-0 Pending → nothing, waits for Running and Ready (§5)', set: ordered3, pods: [[0, 'pending']], want: [], waiting: /web-0 is not Running and Ready/ },
  { name: 'OrderedReady: web-0 Running but not Ready → nothing (§5, §7.1: Ready condition)', set: ordered3, pods: [[0, 'running']], want: [], waiting: /web-0 is not Running and Ready/ },
  { name: 'OrderedReady: web-0 Ready → create web-1 (§5 ascending order)', set: ordered3, pods: [[0, 'ready']], want: ['create web-1'] },
  { name: 'OrderedReady: web-0, web-1 Ready → create web-2', set: ordered3, pods: [[0, 'ready'], [1, 'ready']], want: ['create web-2'] },
  { name: 'OrderedReady: a gap is filled before anything else (web-1 missing, web-2 Ready)', set: ordered3, pods: [[0, 'ready'], [2, 'ready']], want: ['create web-1'] },
  { name: 'OrderedReady: all Ready → nothing to do', set: ordered3, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready']], want: [] },
  { name: 'OrderedReady: a terminating replica blocks every later ordinal (§5)', set: ordered3, pods: [[0, 'terminating']], want: [], waiting: /web-0 is terminating/ },
  // §5 Parallel: all creates at once, no waiting on readiness.
  { name: 'Parallel: no pods → create web-0, web-1, web-2 in one burst (§5 Parallel)', set: parallel3, pods: [], want: ['create web-0', 'create web-1', 'create web-2'], burst: true },
  { name: 'Parallel: web-0 Pending does not hold back web-1 and web-2', set: parallel3, pods: [[0, 'pending']], want: ['create web-1', 'create web-2'], burst: true },
  { name: 'Parallel: a terminating replica does not block the others', set: parallel3, pods: [[0, 'terminating']], want: ['create web-1', 'create web-2'], burst: true },
  // §5 Scale down: highest ordinal first, one at a time, a terminating pod blocks.
  { name: 'OrderedReady scale 5→2: delete web-4 first, only it (§5 scale down)', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'ready']], want: ['delete web-4'] },
  { name: 'OrderedReady scale down: terminating web-4 blocks deleting web-3 (§5 "a terminating pod blocks")', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'terminating']], want: [], waiting: /web-4 is terminating/ },
  { name: 'OrderedReady scale down: web-4 gone → delete web-3', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready']], want: ['delete web-3'] },
  { name: 'OrderedReady scale down waits while a replica is unhealthy (web-1 not Ready)', set: ordered2, pods: [[0, 'ready'], [1, 'running'], [2, 'ready']], want: [], waiting: /web-1 is not Running and Ready/ },
  { name: 'OrderedReady scale down: the first unhealthy condemned pod may go (web-3 not Ready)', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'running']], want: ['delete web-3'] },
  { name: 'OrderedReady scale down: a Ready higher condemned pod goes even if a lower one is unhealthy (processCondemned)', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'running'], [3, 'ready']], want: ['delete web-3'] },
  { name: 'OrderedReady scale down: an unhealthy condemned pod that is not the first unhealthy one waits (processCondemned)', set: ordered2, pods: [[0, 'ready'], [1, 'ready'], [2, 'running'], [3, 'running']], want: [], waiting: /web-2 is not Running and Ready \(scale down\)/ },
  { name: 'Parallel scale 5→2: delete web-4, web-3, web-2 at once (§5 Parallel)', set: parallel2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'ready'], [4, 'ready']], want: ['delete web-4', 'delete web-3', 'delete web-2'], burst: true },
  { name: 'Parallel scale down skips pods already terminating', set: parallel2, pods: [[0, 'ready'], [1, 'ready'], [2, 'ready'], [3, 'terminating'], [4, 'ready']], want: ['delete web-4', 'delete web-2'], burst: true },
  // §5 Failed/Succeeded replicas are deleted and recreated on a later sync.
  { name: 'Failed web-1 is deleted (recreated after its deletion completes) (§5)', set: ordered3, pods: [[0, 'ready'], [1, 'failed'], [2, 'ready']], want: ['delete web-1'], waiting: /web-1 is Failed/ },
  { name: 'Succeeded web-0 is deleted too (§5)', set: ordered3, pods: [[0, 'succeeded']], want: ['delete web-0'] },
  { name: 'Failed pod already being deleted → wait, do not delete twice', set: ordered3, pods: [[0, 'ready'], { ...pod(ordered3, 1, 'failed'), metadata: { ...pod(ordered3, 1, 'failed').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }], want: [] },
  { name: 'Parallel: a Failed pod is deleted and the missing ones created in the same burst', set: parallel3, pods: [[0, 'failed']], want: ['delete web-0', 'create web-1', 'create web-2'], burst: true },
  // §5 isCreated: a pod without a phase counts as not created (the controller re-creates, the API says AlreadyExists).
  { name: 'a pod without status.phase is treated as not created (§5 isCreated)', set: ordered3, pods: [[0, 'none']], want: ['create web-0'] },
  // Set being deleted: status only.
  { name: 'a StatefulSet being deleted gets no pod writes', set: sts({ replicas: 3, deleting: true }), pods: [[0, 'ready']], want: [], waiting: /being deleted/ },
  // spec.ordinals.start.
  { name: 'ordinals.start 5: the first pod is web-5; web-0 is condemned', set: sts({ replicas: 2, start: 5 }), pods: [[0, 'ready']], want: ['create web-5'] },
  { name: 'ordinals.start 5 with web-5, web-6 Ready: web-0 is deleted', set: sts({ replicas: 2, start: 5 }), pods: [[0, 'ready'], [5, 'ready'], [6, 'ready']], want: ['delete web-0'] },
];

for (const c of cases) {
  test(c.name, () => {
    const r = rev(c.set);
    const res = reconcile({ set: c.set, pods: podsOf(c.set, c.pods, r), revisions: [r], now: NOW });
    assert.equal(res.revisions.action, undefined, 'the revision exists already');
    assert.deepEqual(describeActions(res.plan), c.want);
    if (c.waiting) assert.match(res.plan.waiting ?? '', c.waiting);
    if (c.want.length > 0) assert.equal(res.plan.phases.every((p) => p.burst === !!c.burst), true, 'burst only for Parallel');
  });
}

test('created pods carry the identity of §5: name, hostname, subdomain, labels, owner, revision, no nodeName', () => {
  const set = ordered3;
  const r = rev(set);
  const res = reconcile({ set, pods: [], revisions: [r], now: NOW });
  const a = res.plan.phases[0].actions[0];
  assert.equal(a.type, 'create');
  const p = a.pod;
  assert.equal(p.metadata.name, 'web-0');
  assert.equal(p.metadata.generateName, 'web-');
  assert.equal(p.metadata.namespace, 'default');
  assert.equal(p.spec?.hostname, 'web-0');
  assert.equal(p.spec?.subdomain, 'web');
  assert.equal(p.spec?.nodeName, undefined);
  assert.deepEqual(p.metadata.labels, { app: 'web', [LABEL_STATEFULSET_POD_NAME]: 'web-0', [LABEL_POD_INDEX]: '0', [LABEL_CONTROLLER_REVISION_HASH]: r.metadata.name });
  assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(p.spec?.containers.map((x) => x.image), ['nginx:1.27']);
});

test('no serviceName → no subdomain; volumeClaimTemplates → a volume per claim named <claim>-<set>-<ordinal> (§5)', () => {
  const set = sts({ replicas: 1 });
  delete set.spec!.serviceName;
  set.spec!.volumeClaimTemplates = [{ metadata: { name: 'www' }, spec: {} } as never];
  const res = reconcile({ set, pods: [], revisions: [rev(set)], now: NOW });
  const p = res.plan.phases[0].actions[0].pod;
  assert.equal(p.spec?.subdomain, undefined);
  assert.deepEqual(p.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
});

test('identity drift (pod-name label removed) → update web-0 with the label restored (§10 SuccessfulUpdate)', () => {
  const set = sts({ replicas: 1 });
  const p = pod(set, 0, 'ready');
  delete p.metadata.labels![LABEL_STATEFULSET_POD_NAME];
  const res = reconcile({ set, pods: [p], revisions: [rev(set)], now: NOW });
  assert.deepEqual(describeActions(res.plan), ['update web-0']);
  assert.equal(res.plan.phases[0].actions[0].pod.metadata.labels?.[LABEL_STATEFULSET_POD_NAME], 'web-0');
  assert.equal(p.metadata.labels![LABEL_STATEFULSET_POD_NAME], undefined, 'the input is not mutated');
});

// §5 Status.
test('status: replicas counts pods with a phase incl. terminating; ready = Running+Ready; current/updated skip terminating (§5 Status)', () => {
  const set = sts({ replicas: 4, policy: 'Parallel', generation: 7 });
  const r = rev(set);
  const res = reconcile({ set, pods: [pod(set, 0, 'ready', r), pod(set, 1, 'pending', r), pod(set, 2, 'terminating', r), pod(set, 3, 'running', r)], revisions: [r], now: NOW });
  assert.deepEqual(res.plan.status, {
    observedGeneration: 7, replicas: 4, readyReplicas: 2, availableReplicas: 2, currentReplicas: 3, updatedReplicas: 3,
    currentRevision: r.metadata.name, updateRevision: r.metadata.name, collisionCount: 0,
  });
});

test('status: no pods → replicas 0, zero counters omitted as Go omits them, collisionCount 0', () => {
  const set = sts({ replicas: 3 });
  const r = rev(set);
  const res = reconcile({ set, pods: [], revisions: [r], now: NOW });
  assert.deepEqual(res.plan.status, { observedGeneration: 1, replicas: 0, availableReplicas: 0, currentRevision: r.metadata.name, updateRevision: r.metadata.name, collisionCount: 0 });
});

test('minReadySeconds: a pod Ready for less than minReadySeconds is ready but not available, blocks OrderedReady, and asks for a resync (§5)', () => {
  const set = sts({ replicas: 2, minReadySeconds: 10 });
  const r = rev(set);
  const fresh = pod(set, 0, 'ready', r, { readySince: NOW - 5_000 });
  const res = reconcile({ set, pods: [fresh], revisions: [r], now: NOW });
  assert.deepEqual(describeActions(res.plan), []);
  assert.match(res.plan.waiting!, /web-0 is not available/);
  assert.equal(res.plan.status.readyReplicas, 1);
  assert.equal(res.plan.status.availableReplicas, 0);
  assert.equal(res.plan.requeueAfterMs, 10_000);
  const old = pod(set, 0, 'ready', r, { readySince: NOW - 11_000 });
  const res2 = reconcile({ set, pods: [old], revisions: [r], now: NOW });
  assert.deepEqual(describeActions(res2.plan), ['create web-1']);
  assert.equal(res2.plan.status.availableReplicas, 1);
});

test('inconsistentStatus: only a newer generation or a changed counter/revision triggers a status write', () => {
  const set = sts({ replicas: 1 });
  const r = rev(set);
  const st = reconcile({ set, pods: [pod(set, 0, 'ready', r)], revisions: [r], now: NOW }).plan.status;
  assert.equal(inconsistentStatus(set, st), true);
  const written = { ...set, status: st };
  assert.equal(inconsistentStatus(written, reconcile({ set: written, pods: [pod(set, 0, 'ready', r)], revisions: [r], now: NOW }).plan.status), false);
});

// §5 Rolling update.
function rolled(partition = 0, onDelete = false): { v1: StatefulSet; v2: StatefulSet; r1: ControllerRevision; r2: ControllerRevision } {
  const v1 = sts({ replicas: 3, partition, onDelete });
  const r1 = rev(v1, 1);
  const v2 = sts({ replicas: 3, partition, onDelete, image: 'nginx:1.28', generation: 2, status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: r1.metadata.name, updateRevision: r1.metadata.name, observedGeneration: 1, collisionCount: 0 } });
  const r2 = rev(v2, 2);
  return { v1, v2, r1, r2 };
}

test('template change: a new revision <set>-<hash> (revision 2) is created; the current revision stays (§5)', () => {
  const { v1, v2, r1 } = rolled();
  const res = reconcile({ set: v2, pods: [0, 1, 2].map((i) => pod(v1, i, 'ready', r1)), revisions: [r1], now: NOW });
  assert.equal(res.revisions.action?.type, 'create');
  const created = res.revisions.action!.revision;
  assert.equal(created.revision, 2);
  assert.match(created.metadata.name!, /^web-[bcdf4-9]+$/);
  assert.notEqual(created.metadata.name, r1.metadata.name);
  assert.equal(res.revisions.current.metadata.name, r1.metadata.name);
  assert.equal(res.plan.status.updateRevision, created.metadata.name);
});

test('RollingUpdate partition 0: delete the highest ordinal at the old revision first, web-2 (§5 rolling update)', () => {
  const { v1, v2, r1, r2 } = rolled();
  const res = reconcile({ set: v2, pods: [0, 1, 2].map((i) => pod(v1, i, 'ready', r1)), revisions: [r1, r2], now: NOW });
  assert.deepEqual(describeActions(res.plan), ['delete web-2']);
  assert.equal(res.plan.status.currentReplicas, 2, 'currentReplicas counts the deletion (status.CurrentReplicas--)');
  assert.equal(res.plan.statusOnError.currentReplicas, 3);
  assert.equal(res.plan.status.updatedReplicas, undefined);
});

test('RollingUpdate: the replaced pod must come back healthy before the next one goes (§5)', () => {
  const { v1, v2, r1, r2 } = rolled();
  const pods = [pod(v1, 0, 'ready', r1), pod(v1, 1, 'ready', r1), pod(v2, 2, 'pending', r2)];
  assert.deepEqual(describeActions(reconcile({ set: v2, pods, revisions: [r1, r2], now: NOW }).plan), []);
  pods[2] = pod(v2, 2, 'ready', r2);
  assert.deepEqual(describeActions(reconcile({ set: v2, pods, revisions: [r1, r2], now: NOW }).plan), ['delete web-1']);
});

test('RollingUpdate: the missing web-2 is recreated from the update revision (§5)', () => {
  const { v1, v2, r1, r2 } = rolled();
  const res = reconcile({ set: v2, pods: [pod(v1, 0, 'ready', r1), pod(v1, 1, 'ready', r1)], revisions: [r1, r2], now: NOW });
  const a = res.plan.phases[0].actions[0];
  assert.equal(a.type, 'create');
  assert.equal(a.pod.metadata.labels?.[LABEL_CONTROLLER_REVISION_HASH], r2.metadata.name);
  assert.equal(a.pod.spec?.containers[0].image, 'nginx:1.28');
});

test('RollingUpdate partition 2: only web-2 is updated; web-0/web-1 stay, and a recreated web-0 keeps the current revision (§5 partition)', () => {
  const { v1, v2, r1, r2 } = rolled(2);
  const done = [pod(v1, 0, 'ready', r1), pod(v1, 1, 'ready', r1), pod(v2, 2, 'ready', r2)];
  const res = reconcile({ set: v2, pods: done, revisions: [r1, r2], now: NOW });
  assert.deepEqual(describeActions(res.plan), []);
  assert.equal(res.plan.status.updatedReplicas, 1);
  assert.equal(res.plan.status.currentRevision, r1.metadata.name, 'not complete: currentRevision stays');
  const res2 = reconcile({ set: v2, pods: [done[1], done[2]], revisions: [r1, r2], now: NOW });
  const a = res2.plan.phases[0].actions[0];
  assert.equal(a.pod.metadata.name, 'web-0');
  assert.equal(a.pod.metadata.labels?.[LABEL_CONTROLLER_REVISION_HASH], r1.metadata.name);
  assert.equal(a.pod.spec?.containers[0].image, 'nginx:1.27');
});

test('OnDelete: a template change deletes nothing; a deleted pod comes back at the update revision (§5)', () => {
  const { v1, v2, r1, r2 } = rolled(0, true);
  assert.deepEqual(describeActions(reconcile({ set: v2, pods: [0, 1, 2].map((i) => pod(v1, i, 'ready', r1)), revisions: [r1, r2], now: NOW }).plan), []);
  const res = reconcile({ set: v2, pods: [pod(v1, 0, 'ready', r1), pod(v1, 1, 'ready', r1)], revisions: [r1, r2], now: NOW });
  assert.equal(res.plan.phases[0].actions[0].pod.metadata.labels?.[LABEL_CONTROLLER_REVISION_HASH], r2.metadata.name);
});

test('rollout complete: all replicas updated and ready → currentRevision = updateRevision, currentReplicas = updatedReplicas (§5)', () => {
  const { v2, r1, r2 } = rolled();
  const res = reconcile({ set: v2, pods: [0, 1, 2].map((i) => pod(v2, i, 'ready', r2)), revisions: [r1, r2], now: NOW });
  assert.equal(res.plan.status.currentRevision, r2.metadata.name);
  assert.equal(res.plan.status.currentReplicas, 3);
  assert.equal(res.plan.status.updatedReplicas, 3);
  assert.deepEqual(completeRollingUpdate(v2, { replicas: 2, availableReplicas: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b' }).currentRevision, 'a', 'not while scaled below spec.replicas');
});

test('rollback to an earlier template renumbers the equal old revision instead of creating one (getStatefulSetRevisions)', () => {
  const { v1, r1, r2 } = rolled();
  const back = { ...v1, metadata: { ...v1.metadata, generation: 3 }, status: { replicas: 3, availableReplicas: 3, currentRevision: r2.metadata.name, updateRevision: r2.metadata.name } };
  const res = reconcile({ set: back, pods: [], revisions: [r1, r2], now: NOW });
  assert.deepEqual(res.revisions.action && { type: res.revisions.action.type, name: res.revisions.action.revision.metadata.name, to: (res.revisions.action as { to: number }).to }, { type: 'renumber', name: r1.metadata.name, to: 3 });
  assert.equal(res.revisions.update.metadata.name, r1.metadata.name);
  assert.equal(res.revisions.current.metadata.name, r2.metadata.name);
});

test('revisionHistoryLimit: non-live revisions beyond the limit are deleted oldest first (truncateHistory)', () => {
  const sets = [1, 2, 3, 4].map((i) => sts({ replicas: 1, image: `nginx:${i}`, revisionHistoryLimit: 1 }));
  const revs = sets.map((s, i) => rev(s, i + 1));
  const set = { ...sets[3], status: { replicas: 1, availableReplicas: 1, currentRevision: revs[2].metadata.name, updateRevision: revs[3].metadata.name } };
  const res = reconcile({ set, pods: [pod(sets[1], 0, 'ready', revs[1])], revisions: revs, now: NOW });
  // live: r3 (current), r4 (update), r2 (web-0's revision); history: r1 only → within the limit of 1.
  assert.deepEqual(res.truncate.map((r) => r.revision), []);
  const res0 = reconcile({ set: { ...set, spec: { ...set.spec!, revisionHistoryLimit: 0 } }, pods: [pod(sets[1], 0, 'ready', revs[1])], revisions: revs, now: NOW });
  assert.deepEqual(res0.truncate.map((r) => r.revision), [1]);
  const res2 = reconcile({ set: { ...set, spec: { ...set.spec!, revisionHistoryLimit: 0 } }, pods: [], revisions: revs, now: NOW });
  assert.deepEqual(res2.truncate.map((r) => r.revision), [1, 2]);
});

// Claiming (ControllerRefManager.ClaimPods).
test('claimPods: owned+matching kept, matching orphans adopted, non-matching owned released, foreign and non-member pods ignored', () => {
  const set = sts({ replicas: 3 });
  const sel = selectorFromLabelSelector(set.spec!.selector);
  const owned = pod(set, 0, 'ready');
  const orphan = { ...pod(set, 1, 'ready'), metadata: { ...pod(set, 1, 'ready').metadata, ownerReferences: undefined } };
  const relabelled = { ...pod(set, 2, 'ready'), metadata: { ...pod(set, 2, 'ready').metadata, labels: { app: 'other' } } };
  const foreign = { ...pod(set, 3, 'ready'), metadata: { ...pod(set, 3, 'ready').metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'uid-x', controller: true }] } };
  const notMember = { ...orphan, metadata: { ...orphan.metadata, name: 'db-0' } };
  const terminatingOrphan = { ...orphan, metadata: { ...orphan.metadata, name: 'web-7', deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const c = claimPods(set, [owned, orphan, relabelled, foreign, notMember, terminatingOrphan], sel);
  assert.deepEqual(c.owned.map((p) => p.metadata.name), ['web-0']);
  assert.deepEqual(c.adopt.map((p) => p.metadata.name), ['web-1']);
  assert.deepEqual(c.release.map((p) => p.metadata.name), ['web-2']);
  const deleting = claimPods({ ...set, metadata: { ...set.metadata, deletionTimestamp: 'x' } }, [owned, orphan, relabelled], sel);
  assert.deepEqual([deleting.owned.length, deleting.adopt.length, deleting.release.length], [1, 0, 0], 'a set being deleted neither adopts nor releases');
});

test('claimRevisions: revisions matching the selector owned by the set or by nobody', () => {
  const set = sts();
  const sel = selectorFromLabelSelector(set.spec!.selector);
  const mine = rev(set);
  const orphan = { ...rev(set, 2), metadata: { ...rev(set, 2).metadata, name: 'web-orphan', ownerReferences: [] } };
  const foreign = { ...rev(set, 3), metadata: { ...rev(set, 3).metadata, name: 'web-foreign', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'old-uid', controller: true }] } };
  const c = claimRevisions(set, [mine, orphan, foreign], sel);
  assert.deepEqual(c.owned.map((r) => r.metadata.name), [mine.metadata.name]);
  assert.deepEqual(c.orphans.map((r) => r.metadata.name), ['web-orphan']);
});

// Scenarios: the decisions applied step by step with a kubelet in between.
test('scenario OrderedReady scale 3→5→2: created web-0..web-4 in order, deleted web-4, web-3, web-2 in order (§5)', () => {
  const w = new World(sts({ replicas: 3 }));
  w.settle();
  assert.deepEqual(w.log, ['create web-0', 'create web-1', 'create web-2']);
  assert.deepEqual([w.set.status?.replicas, w.set.status?.readyReplicas, w.set.status?.updatedReplicas], [3, 3, 3]);
  w.log = [];
  w.set = { ...w.set, metadata: { ...w.set.metadata, generation: 2 }, spec: { ...w.set.spec!, replicas: 5 } };
  w.settle();
  assert.deepEqual(w.log, ['create web-3', 'create web-4']);
  w.log = [];
  w.set = { ...w.set, metadata: { ...w.set.metadata, generation: 3 }, spec: { ...w.set.spec!, replicas: 2 } };
  w.settle();
  assert.deepEqual(w.log, ['delete web-4', 'delete web-3', 'delete web-2']);
  assert.deepEqual(w.names(), ['web-0', 'web-1']);
  assert.deepEqual([w.set.status?.observedGeneration, w.set.status?.replicas, w.set.status?.readyReplicas], [3, 2, 2]);
});

test('scenario OrderedReady: while web-0 stays Pending nothing else is created (§5 monotonic)', () => {
  const w = new World(sts({ replicas: 3 }));
  for (let i = 0; i < 5; i++) w.step();
  assert.deepEqual(w.log, ['create web-0']);
});

test('scenario Parallel scale 3→5→2: creates and deletes issued together (§5 Parallel)', () => {
  const w = new World(sts({ replicas: 3, policy: 'Parallel' }));
  w.step();
  assert.deepEqual(w.log, ['create web-0', 'create web-1', 'create web-2']);
  w.settle();
  w.log = [];
  w.set = { ...w.set, spec: { ...w.set.spec!, replicas: 5 } };
  w.step();
  assert.deepEqual(w.log, ['create web-3', 'create web-4']);
  w.settle();
  w.log = [];
  w.set = { ...w.set, spec: { ...w.set.spec!, replicas: 2 } };
  w.step();
  assert.deepEqual(w.log, ['delete web-4', 'delete web-3', 'delete web-2']);
});

test('scenario: a deleted pod comes back under the same name once its deletion completed', () => {
  const w = new World(sts({ replicas: 3 }));
  w.settle();
  w.log = [];
  const p = w.pods.get('web-1')!;
  w.pods.set('web-1', { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
  w.step();
  assert.deepEqual(w.log, [], 'terminating web-1 blocks (OrderedReady)');
  w.finishTerminating();
  w.settle();
  assert.deepEqual(w.log, ['create web-1']);
  assert.notEqual(w.pods.get('web-1')!.metadata.uid, p.metadata.uid);
});

test('scenario: a failed pod is deleted, then recreated (§5)', () => {
  const w = new World(sts({ replicas: 2 }));
  w.settle();
  w.log = [];
  const p = w.pods.get('web-0')!;
  w.pods.set('web-0', { ...p, status: { phase: 'Failed' } });
  w.settle();
  assert.deepEqual(w.log, ['delete web-0', 'create web-0']);
});

test('scenario rolling update partition 1 of 3: web-2 then web-1 replaced, web-0 kept; then partition 0 finishes and currentRevision moves (§5)', () => {
  const w = new World(sts({ replicas: 3, partition: 1 }));
  w.settle();
  const r1 = w.set.status!.updateRevision;
  w.log = [];
  w.set = { ...w.set, metadata: { ...w.set.metadata, generation: 2 }, spec: { ...w.set.spec!, template: { ...w.set.spec!.template, spec: { ...w.set.spec!.template.spec!, containers: [{ name: 'nginx', image: 'nginx:2' }] } } } };
  w.settle();
  assert.deepEqual(w.log, ['delete web-2', 'create web-2', 'delete web-1', 'create web-1']);
  const st = w.set.status!;
  assert.equal(st.currentRevision, r1);
  assert.notEqual(st.updateRevision, r1);
  assert.deepEqual([st.replicas, st.readyReplicas, st.currentReplicas, st.updatedReplicas], [3, 3, 1, 2]);
  assert.equal(w.revisions.length, 2);
  w.log = [];
  w.set = { ...w.set, metadata: { ...w.set.metadata, generation: 3 }, spec: { ...w.set.spec!, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } } };
  w.settle();
  assert.deepEqual(w.log, ['delete web-0', 'create web-0']);
  assert.equal(w.set.status!.currentRevision, w.set.status!.updateRevision);
  assert.equal(w.set.status!.currentReplicas, 3);
  assert.equal(w.set.status!.updatedReplicas, 3);
});

test('objects written by Kubernetes 1.33 cause no write at all (upstream TestStatefulSetCompatibility)', () => {
  const set = compatibilitySet();
  const revision = { ...rev(set), metadata: { ...rev(set).metadata, uid: 'revuid', resourceVersion: '234' } };
  assert.equal(revision.metadata.name, 'test-c77f6d978');
  const p: Pod = {
    metadata: {
      name: 'test-0', namespace: 'test', uid: 'poduid', generateName: 'test-', annotations: { test: 'value' },
      labels: { app: 'foo', [LABEL_POD_INDEX]: '0', [LABEL_CONTROLLER_REVISION_HASH]: 'test-c77f6d978', [LABEL_STATEFULSET_POD_NAME]: 'test-0' },
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'StatefulSet', name: 'test', uid: 'ssuid' }],
    },
    spec: { containers: [{ image: 'test', name: 'test' }], nodeName: 'mynode', hostname: 'test-0', restartPolicy: 'Always', volumes: [{ name: 'test', persistentVolumeClaim: { claimName: 'test-test-0' } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2025-10-31T17:19:02Z' }] },
  };
  const res = reconcile({ set, pods: [p], revisions: [revision], now: NOW });
  assert.equal(res.revisions.action, undefined, 'no new revision');
  assert.deepEqual(describeActions(res.plan), []);
  assert.equal(inconsistentStatus(set, res.plan.status), false, 'no status write');
  assert.deepEqual(res.truncate, []);
});

test('rolling update after a rollback deletes a pod at neither revision without driving currentReplicas below 0', () => {
  const { v1, v2, r1, r2 } = rolled();
  // Rolled forward to r2 (web-0 replaced, not yet complete), then back to v1's template: update = r1 (renumbered 3), current = r1.
  const back = { ...v1, metadata: { ...v1.metadata, generation: 3 }, spec: { ...v1.spec!, replicas: 1 }, status: { replicas: 1, availableReplicas: 0, updatedReplicas: 1, currentRevision: r1.metadata.name, updateRevision: r2.metadata.name } };
  const res = reconcile({ set: back, pods: [pod(v2, 0, 'ready', r2)], revisions: [r1, r2], now: NOW });
  assert.equal(res.revisions.action?.type, 'renumber');
  assert.deepEqual(describeActions(res.plan), ['delete web-0']);
  assert.equal(res.plan.status.currentReplicas, undefined, 'currentReplicas stays 0');
});
