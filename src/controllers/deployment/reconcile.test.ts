// Table tests for the Deployment controller's decisions (kubernetes-semantics.md §6; upstream
// pkg/controller/deployment/util/deployment_util.go, sync.go, rolling.go, recreate.go, progress.go).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/types/apps.ts';
import type { Pod } from '../../api/types/pod.ts';
import { canonicalJSON, computeHash, fnv32a, SAFE_ALPHABET, safeEncodeString, semanticEqual } from './hash.ts';
import {
  applyScaleStep, buildNewReplicaSet, deploymentComplete, deploymentTimedOut, equalIgnoreHash, findActiveOrLatest, findNewReplicaSet,
  findOldReplicaSets, isSaturated, isScalingEvent, maxSurge, maxUnavailable, newRSNewReplicas, oldPodsRunning, pausedConditionsStatus,
  planCleanup, planRecreate, planRolling, planScale, progressCheckAfterMs, resolveFenceposts, rolloutStatus, setNewReplicaSetAnnotations,
  specReplicaCount, availableReplicaCount, type ScaleStep,
} from './reconcile.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');
const enc = (s: string) => new TextEncoder().encode(s);

const TEMPLATE = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:alpine', ports: [{ containerPort: 80 }] }] } };

function deploy(o: { replicas?: number; surge?: number | string; unavailable?: number | string; type?: string; image?: string; generation?: number;
  status?: Deployment['status']; annotations?: Record<string, string>; history?: number; paused?: boolean; deadline?: number } = {}): Deployment {
  const template = structuredClone(TEMPLATE);
  if (o.image) template.spec.containers[0].image = o.image;
  const type = o.type ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'app', namespace: 'moon', uid: 'd-uid', generation: o.generation ?? 1, annotations: o.annotations },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template,
      strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: o.surge ?? '25%', maxUnavailable: o.unavailable ?? '25%' } } : { type },
      revisionHistoryLimit: o.history ?? 10,
      progressDeadlineSeconds: o.deadline ?? 600,
      paused: o.paused,
    },
    status: o.status ?? {},
  };
}

let seq = 0;
function rsOf(d: Deployment, o: { name?: string; replicas: number; available?: number; statusReplicas?: number; revision?: string; image?: string; createdAgoMs?: number;
  desired?: number; max?: number; generation?: number; observed?: number; uid?: string }): ReplicaSet {
  const template = structuredClone(d.spec!.template!);
  if (o.image) template.spec!.containers[0].image = o.image;
  const hash = computeHash(template);
  template.metadata!.labels = { ...template.metadata!.labels, 'pod-template-hash': hash };
  const annotations: Record<string, string> = {};
  if (o.revision !== undefined) annotations['deployment.kubernetes.io/revision'] = o.revision;
  if (o.desired !== undefined) annotations['deployment.kubernetes.io/desired-replicas'] = String(o.desired);
  if (o.max !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(o.max);
  const name = o.name ?? `app-${hash}`;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name, namespace: 'moon', uid: o.uid ?? `${name}-uid-${seq++}`, generation: o.generation ?? 1, annotations,
      creationTimestamp: iso(o.createdAgoMs ?? 60_000), labels: template.metadata!.labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template },
    status: { replicas: o.statusReplicas ?? o.replicas, readyReplicas: o.available ?? o.replicas, availableReplicas: o.available ?? o.replicas, observedGeneration: o.observed ?? 1 },
  };
}

// ---------------------------------------------------------------------------------------------

describe('pod-template-hash (ComputeHash: FNV-1a, collisionCount bytes, SafeEncodeString; semantics §6)', () => {
  test('FNV-1a 32 reference vectors', () => {
    assert.equal(fnv32a(enc('')), 0x811c9dc5);
    assert.equal(fnv32a(enc('a')), 0xe40c292c);
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
    assert.equal(fnv32a(enc('bar'), fnv32a(enc('foo'))), 0xbf9cf968, 'Write in two parts continues the sum');
  });
  test('SafeEncodeString maps each character into bcdfghjklmnpqrstvwxz2456789', () => {
    assert.equal(safeEncodeString('1234567890'), '56789bcdf4');
    assert.equal(safeEncodeString(''), '');
  });
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ['same template → same hash (deterministic)', TEMPLATE, structuredClone(TEMPLATE), true],
    ['key order does not matter', TEMPLATE, { spec: TEMPLATE.spec, metadata: TEMPLATE.metadata }, true],
    ['creationTimestamp: null and empty maps do not matter', TEMPLATE, { ...TEMPLATE, metadata: { ...TEMPLATE.metadata, creationTimestamp: null, annotations: {} } }, true],
    ['an image change changes the hash', TEMPLATE, { ...TEMPLATE, spec: { containers: [{ ...TEMPLATE.spec.containers[0], image: 'nginx:1.27' }] } }, false],
    ['a label change changes the hash', TEMPLATE, { ...TEMPLATE, metadata: { labels: { app: 'web', tier: 'fe' } } }, false],
  ];
  for (const [name, a, b, same] of cases) {
    test(name, () => {
      assert.equal(computeHash(a) === computeHash(b), same);
      assert.equal(semanticEqual(a, b), same);
    });
  }
  test('collisionCount: nil adds nothing, 0 adds 8 zero bytes, each value differs', () => {
    const hashes = new Set([computeHash(TEMPLATE), computeHash(TEMPLATE, 0), computeHash(TEMPLATE, 1), computeHash(TEMPLATE, 2)]);
    assert.equal(hashes.size, 4);
    const expected = safeEncodeString(String(fnv32a(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]), fnv32a(enc(canonicalJSON(TEMPLATE))))));
    assert.equal(computeHash(TEMPLATE, 1), expected);
  });
  test('at most 10 characters of the safe alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const h = computeHash({ ...TEMPLATE, metadata: { labels: { app: `web-${i}` } } });
      assert.ok(h.length >= 1 && h.length <= 10, h);
      assert.ok([...h].every((c) => SAFE_ALPHABET.includes(c)), h);
    }
  });
});

describe('fenceposts (ResolveFenceposts, MaxSurge, MaxUnavailable)', () => {
  const cases: Array<[string, number | string, number | string, number, [number, number]]> = [
    ['25%/25% of 3: surge rounds up, unavailable down', '25%', '25%', 3, [1, 0]],
    ['25%/25% of 4', '25%', '25%', 4, [1, 1]],
    ['39%/39% of 10', '39%', '39%', 10, [4, 3]],
    ['absolute 2/1', 2, 1, 10, [2, 1]],
    ['both zero resolve to maxUnavailable 1', '0%', '1%', 2, [0, 1]],
    ['0/0 of 0 replicas → 0/1', 0, 0, 0, [0, 1]],
  ];
  for (const [name, s, u, desired, want] of cases) test(name, () => assert.deepEqual(resolveFenceposts(s, u, desired), want));
  test('not a percentage → error', () => assert.throws(() => resolveFenceposts('oops', '39%', 10), /is not a percentage/));
  test('MaxUnavailable is capped at replicas; Recreate has neither', () => {
    assert.equal(maxUnavailable(deploy({ replicas: 2, unavailable: 5 })), 2);
    assert.equal(maxUnavailable(deploy({ replicas: 0 })), 0);
    assert.equal(maxSurge(deploy({ type: 'Recreate' })), 0);
    assert.equal(maxUnavailable(deploy({ type: 'Recreate' })), 0);
  });
});

describe('new ReplicaSet creation (getNewReplicaSet, semantics §6)', () => {
  test('a fresh deployment of 3: <name>-<hash>, hash label on selector/labels/template, owner, annotations, all 3 replicas', () => {
    const d = deploy();
    const rs = buildNewReplicaSet(d, [], '1');
    const hash = computeHash(d.spec!.template);
    assert.equal(rs.metadata.name, `app-${hash}`);
    assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.spec?.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec?.template?.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    assert.equal(rs.spec?.replicas, 3);
    assert.equal(d.spec?.template?.metadata?.labels?.['pod-template-hash'], undefined, 'the deployment is not modified');
  });
  test('the collision count changes the name', () => {
    const d = deploy({ status: { collisionCount: 1 } });
    assert.equal(buildNewReplicaSet(d, [], '1').metadata.name, `app-${computeHash(d.spec!.template, 1)}`);
  });
  test('a rollout starts the new ReplicaSet at maxSurge (3 old, 25% → 1)', () => {
    const d = deploy({ image: 'nginx:1.27' });
    const old = rsOf(deploy(), { replicas: 3, revision: '1' });
    const rs = buildNewReplicaSet(d, [old], '2');
    assert.equal(rs.spec?.replicas, 1);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });
  test('Recreate creates it at full size', () => {
    const d = deploy({ type: 'Recreate', image: 'nginx:1.27' });
    assert.equal(buildNewReplicaSet(d, [rsOf(deploy(), { replicas: 0 })], '2').spec?.replicas, 3);
  });
  test('annotations copied except last-applied, revision and replica bookkeeping', () => {
    const d = deploy({ annotations: { team: 'moon', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '7' } });
    const rs = buildNewReplicaSet(d, [], '1');
    assert.equal(rs.metadata.annotations?.team, 'moon');
    assert.equal(rs.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  });
  test('NewRSNewReplicas: bounded by replicas + maxSurge and by replicas', () => {
    const d = deploy({ replicas: 10, surge: 3, unavailable: 2 });
    const cases: Array<[number, number, number]> = [[0, 10, 3], [3, 8, 5], [5, 8, 5], [9, 2, 10], [10, 0, 10]];
    for (const [nw, old, want] of cases) {
      const n = rsOf(d, { replicas: nw });
      assert.equal(newRSNewReplicas(d, [rsOf(d, { replicas: old, image: 'x' }), n], n), want, `new ${nw} old ${old}`);
    }
  });
});

describe('finding the new and old ReplicaSets (FindNewReplicaSet, EqualIgnoreHash)', () => {
  test('the template match ignores the hash label; the oldest match wins', () => {
    const d = deploy();
    const newer = rsOf(d, { name: 'app-newer', replicas: 0, createdAgoMs: 1_000 });
    const older = rsOf(d, { name: 'app-older', replicas: 3, createdAgoMs: 9_000 });
    const other = rsOf(d, { name: 'app-other', replicas: 1, image: 'nginx:1.0' });
    assert.equal(findNewReplicaSet(d, [newer, other, older])?.metadata.name, 'app-older');
    const { all, withReplicas } = findOldReplicaSets(d, [newer, other, older]);
    assert.deepEqual(all.map((r) => r.metadata.name).sort(), ['app-newer', 'app-other']);
    assert.deepEqual(withReplicas.map((r) => r.metadata.name), ['app-other']);
    assert.equal(equalIgnoreHash(older.spec?.template, d.spec?.template), true);
    assert.equal(equalIgnoreHash(other.spec?.template, d.spec?.template), false);
  });
  test('FindActiveOrLatest: the only active RS, the newest when none is active, none when several are', () => {
    const d = deploy();
    const a = rsOf(d, { name: 'a', replicas: 0, createdAgoMs: 9_000 }), b = rsOf(d, { name: 'b', replicas: 0, createdAgoMs: 1_000 });
    assert.equal(findActiveOrLatest(undefined, [a, b])?.metadata.name, 'b');
    assert.equal(findActiveOrLatest(undefined, [a, { ...b, spec: { ...b.spec, replicas: 2 } }])?.metadata.name, 'b');
    assert.equal(findActiveOrLatest({ ...a, spec: { ...a.spec, replicas: 1 } }, [{ ...b, spec: { ...b.spec, replicas: 2 } }]), undefined);
  });
  test('revision: raised to max(old)+1, the previous one kept in revision-history (a rollback)', () => {
    const d = deploy();
    const rs = rsOf(d, { replicas: 1, revision: '1' });
    assert.equal(setNewReplicaSetAnnotations(d, rs, '3', true), true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(setNewReplicaSetAnnotations(d, rs, '3', true), false, 'already up to date');
    assert.equal(setNewReplicaSetAnnotations(d, rs, '5', true), true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1,3');
  });
});

describe('scale propagation (sync.go scale, isScalingEvent; `kubectl scale deploy`)', () => {
  const sizes = (steps: ScaleStep[]) => steps.map((s) => [s.rs.metadata.name, s.to, s.operation]);
  test('a scaling event is a desired-replicas annotation that differs from spec.replicas', () => {
    const d = deploy({ replicas: 5 });
    assert.equal(isScalingEvent(d, rsOf(d, { replicas: 3, desired: 3 }), []), true);
    assert.equal(isScalingEvent(d, rsOf(d, { replicas: 3, desired: 5 }), []), false);
    assert.equal(isScalingEvent(d, rsOf(d, { replicas: 3 }), []), false, 'no annotation: not a scaling event');
  });
  const cases: Array<[string, Deployment, () => [ReplicaSet | undefined, ReplicaSet[]], Array<[string, number, string]>]> = [
    ['one active RS takes the new size (3 → 5)', deploy({ replicas: 5 }), () => [rsOf(deploy(), { name: 'new', replicas: 3, desired: 3, max: 4 }), []], [['new', 5, 'up']]],
    ['and back (5 → 3)', deploy({ replicas: 3 }), () => [rsOf(deploy(), { name: 'new', replicas: 5, desired: 5, max: 7 }), []], [['new', 3, 'down']]],
    ['to zero', deploy({ replicas: 0 }), () => [rsOf(deploy(), { name: 'new', replicas: 3, desired: 3, max: 4 }), []], [['new', 0, 'down']]],
    ['saturated new RS: old ones go to 0', deploy({ replicas: 3 }), () => [rsOf(deploy(), { name: 'new', replicas: 3, desired: 3, max: 4 }), [rsOf(deploy(), { name: 'old', replicas: 1, image: 'x' })]], [['old', 0, 'down']]],
    // Mid-rollout scale 10 → 20 (surge 3): new 5/13, old 8/13 of 13 → 23 (upstream TestScale "proportional scaling: 5 -> 10").
    ['mid-rollout 10 → 20: proportional, larger RS first, leftovers to the first',
      deploy({ replicas: 20, surge: 3, unavailable: 2 }),
      () => [rsOf(deploy(), { name: 'new', replicas: 5, desired: 10, max: 13, createdAgoMs: 1_000 }), [rsOf(deploy(), { name: 'old', replicas: 8, desired: 10, max: 13, image: 'x', createdAgoMs: 9_000 })]],
      [['old', 14, 'up'], ['new', 9, 'up']]],
    ['mid-rollout 10 → 5: proportional scale down, older first on ties',
      deploy({ replicas: 5, surge: 3, unavailable: 2 }),
      () => [rsOf(deploy(), { name: 'new', replicas: 6, desired: 10, max: 13, createdAgoMs: 1_000 }), [rsOf(deploy(), { name: 'old', replicas: 6, desired: 10, max: 13, image: 'x', createdAgoMs: 9_000 })]],
      [['old', 4, 'down'], ['new', 4, 'down']]],
  ];
  for (const [name, d, make, want] of cases) {
    test(name, () => {
      const [newRS, olds] = make();
      assert.deepEqual(sizes(planScale(d, newRS, olds)), want);
    });
  }
  test('the write: size and replicas annotations, with kube\'s event text', () => {
    const d = deploy({ replicas: 5 });
    const out = applyScaleStep(d, { rs: rsOf(deploy(), { name: 'app-x', replicas: 3, desired: 3, max: 4 }), to: 5, operation: 'up', always: false })!;
    assert.equal(out.rs.spec?.replicas, 5);
    assert.equal(out.rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
    assert.equal(out.rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '7');
    assert.equal(out.event, 'Scaled up replica set app-x to 5 from 3');
    const down = applyScaleStep(d, { rs: rsOf(deploy(), { name: 'app-y', replicas: 1 }), to: 0, operation: 'down', always: false })!;
    assert.equal(down.event, 'Scaled down replica set app-y to 0 from 1');
    assert.equal(applyScaleStep(d, { rs: out.rs, to: 5, operation: '', always: true }), undefined, 'nothing to write');
    const annOnly = applyScaleStep(deploy({ replicas: 3 }), { rs: out.rs, to: 5, operation: '', always: true })!;
    assert.equal(annOnly.event, undefined, 'annotation-only update: no event');
  });
});

describe('rolling step computation with maxSurge / maxUnavailable (rolling.go, semantics §6)', () => {
  const d0 = deploy({ replicas: 10, surge: 3, unavailable: 2 });
  const cases: Array<[string, Deployment, { n: number; na: number; o: number; oa: number }, string, Array<[string, number]>]> = [
    ['start: new RS scales up to the surge limit', d0, { n: 0, na: 0, o: 10, oa: 10 }, 'scaleUp', [['new', 3]]],
    ['surge used up, new pods unavailable: old RS drops maxUnavailable', d0, { n: 3, na: 0, o: 10, oa: 10 }, 'scaleDown', [['old', 8]]],
    ['new pods available: old RS drops what availability allows', d0, { n: 3, na: 3, o: 10, oa: 10 }, 'scaleDown', [['old', 5]]],
    ['below the surge limit after a scale-down: new RS grows first', d0, { n: 3, na: 3, o: 8, oa: 8 }, 'scaleUp', [['new', 5]]],
    ['room below the surge limit: new RS grows again', d0, { n: 3, na: 3, o: 5, oa: 5 }, 'scaleUp', [['new', 8]]],
    ['unhealthy old replicas are removed first (kubernetes#16737)', d0, { n: 3, na: 3, o: 10, oa: 7 }, 'scaleDown', [['old', 7], ['old', 5]]],
    ['nothing available to spare: wait', d0, { n: 5, na: 0, o: 8, oa: 8 }, 'idle', []],
    ['25%/25% of 3 (seed 002): new RS to 1 first', deploy({ replicas: 3 }), { n: 0, na: 0, o: 3, oa: 3 }, 'scaleUp', [['new', 1]]],
    ['25%/25% of 3: old RS waits for the new pod to be available', deploy({ replicas: 3 }), { n: 1, na: 0, o: 3, oa: 3 }, 'idle', []],
    ['25%/25% of 3: then drops one', deploy({ replicas: 3 }), { n: 1, na: 1, o: 3, oa: 3 }, 'scaleDown', [['old', 2]]],
    ['maxSurge 0 / maxUnavailable 1: old first, then new', deploy({ replicas: 2, surge: 0, unavailable: 1 }), { n: 0, na: 0, o: 2, oa: 2 }, 'scaleDown', [['old', 1]]],
    ['complete: idle', deploy({ replicas: 3 }), { n: 3, na: 3, o: 0, oa: 0 }, 'idle', []],
    ['new RS above spec.replicas is scaled down', deploy({ replicas: 3 }), { n: 5, na: 5, o: 0, oa: 0 }, 'scaleUp', [['new', 3]]],
  ];
  for (const [name, d, s, phase, want] of cases) {
    test(name, () => {
      const newRS = rsOf(d, { name: 'new', replicas: s.n, available: s.na, createdAgoMs: 1_000 });
      const old = rsOf(deploy(), { name: 'old', replicas: s.o, available: s.oa, image: 'nginx:old', createdAgoMs: 9_000 });
      const plan = planRolling(d, newRS, [old]);
      assert.equal(plan.phase, phase);
      assert.deepEqual(plan.steps.map((st) => [st.rs.metadata.name, st.to]), want);
    });
  }

  // A whole rollout, one sync at a time, pods becoming available between syncs: the invariants of a
  // RollingUpdate hold at every step (never more than replicas + maxSurge pods wanted, never fewer than
  // replicas − maxUnavailable available), and it ends with every replica on the new template.
  const rollouts: Array<[number, number | string, number | string]> = [[3, '25%', '25%'], [10, 3, 2], [10, '0%', 1], [5, 1, '0%'], [4, '50%', '50%'], [1, 1, 0]];
  for (const [replicas, surge, unavailable] of rollouts) {
    test(`a full rollout of ${replicas} with maxSurge ${surge} / maxUnavailable ${unavailable} keeps the bounds and completes`, () => {
      const d = deploy({ replicas, surge, unavailable, image: 'nginx:new' });
      const maxTotal = replicas + maxSurge(d), minAvailable = replicas - maxUnavailable(d);
      let old = rsOf(deploy(), { name: 'old', replicas, image: 'nginx:old', createdAgoMs: 9_000 });
      let nw = buildNewReplicaSet(d, [old], '2');
      nw = { ...nw, metadata: { ...nw.metadata, uid: 'new-uid', creationTimestamp: iso(1_000) }, status: { replicas: 0 } };
      const avail = (rs: ReplicaSet, n: number): ReplicaSet => ({ ...rs, status: { replicas: rs.spec!.replicas!, availableReplicas: n, readyReplicas: n } });
      let idle = 0;
      for (let round = 0; round < 100 && idle < 2; round++) {
        assert.ok(specReplicaCount([old, nw]) <= maxTotal, `round ${round}: ${specReplicaCount([old, nw])} > ${maxTotal}`);
        const plan = planRolling(d, nw, [old]);
        idle = plan.phase === 'idle' ? idle + 1 : 0;
        for (const st of plan.steps) {
          const out = applyScaleStep(d, { ...st, rs: st.rs.metadata.uid === nw.metadata.uid ? nw : old })!;
          if (out.rs.metadata.uid === nw.metadata.uid) nw = avail(out.rs, Math.min(nw.status?.availableReplicas ?? 0, out.rs.spec!.replicas!));
          else old = avail(out.rs, Math.min(old.status?.availableReplicas ?? 0, out.rs.spec!.replicas!));
        }
        assert.ok(specReplicaCount([old, nw]) <= maxTotal, `round ${round}: over the surge limit`);
        assert.ok(availableReplicaCount([old, nw]) >= minAvailable, `round ${round}: availability ${availableReplicaCount([old, nw])} < ${minAvailable}`);
        // Between syncs the new pods become available.
        nw = avail(nw, nw.spec!.replicas!);
        old = avail(old, old.spec!.replicas!);
      }
      assert.equal(nw.spec?.replicas, replicas);
      assert.equal(old.spec?.replicas, 0);
      assert.equal(deploymentComplete(d, rolloutStatus([old, nw], nw, d, NOW)), true);
    });
  }
});

describe('Recreate (recreate.go)', () => {
  const d = deploy({ type: 'Recreate', image: 'nginx:new' });
  const old = rsOf(deploy(), { name: 'old', replicas: 3, image: 'nginx:old', uid: 'old-uid' });
  const pod = (phase: string, owner = 'old-uid'): Pod => ({ metadata: { name: 'p', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: owner, controller: true }] }, status: { phase } } as Pod);
  test('old ReplicaSets are scaled to zero first', () => {
    const plan = planRecreate(d, undefined, [old], new Map());
    assert.equal(plan.phase, 'scaleDownOld');
    assert.deepEqual(plan.phase === 'scaleDownOld' && plan.steps.map((s) => [s.rs.metadata.name, s.to]), [['old', 0]]);
  });
  test('then the controller waits while old pods exist (terminating ones included)', () => {
    const scaled = { ...old, spec: { ...old.spec, replicas: 0 }, status: { replicas: 0 } };
    assert.equal(planRecreate(d, undefined, [scaled], new Map([['old-uid', [pod('Running')]]])).phase, 'waitForOldPods');
    assert.equal(oldPodsRunning(undefined, [scaled], new Map([['old-uid', [pod('Succeeded'), pod('Failed')]]])), false, 'terminal pods do not count');
    assert.equal(planRecreate(d, undefined, [scaled], new Map([['old-uid', []]])).phase, 'createNew');
    const nw = rsOf(d, { name: 'new', replicas: 0, uid: 'new-uid' });
    const up = planRecreate(d, nw, [scaled], new Map([['new-uid', [pod('Running', 'new-uid')]]]));
    assert.deepEqual(up.phase === 'scaleUpNew' && up.steps.map((s) => [s.rs.metadata.name, s.to]), [['new', 3]]);
  });
});

describe('revisionHistoryLimit cleanup (cleanupDeployment)', () => {
  test('the oldest revisions beyond the limit go, if they have no replicas and were observed', () => {
    const d = deploy({ history: 1 });
    const r1 = rsOf(d, { name: 'r1', replicas: 0, revision: '1', image: 'a' });
    const r2 = rsOf(d, { name: 'r2', replicas: 0, revision: '2', image: 'b' });
    const r3 = rsOf(d, { name: 'r3', replicas: 0, revision: '3', image: 'c', statusReplicas: 1 });
    const r4 = rsOf(d, { name: 'r4', replicas: 0, revision: '4', image: 'd', generation: 2, observed: 1 });
    const r5 = rsOf(d, { name: 'r5', replicas: 0, revision: '5', image: 'e' });
    assert.deepEqual(planCleanup(d, [r5, r4, r3, r2, r1]).map((r) => r.metadata.name), ['r1', 'r2']);
    assert.deepEqual(planCleanup(deploy({ history: 10 }), [r1, r2]), []);
    assert.deepEqual(planCleanup(deploy({ history: 0 }), [r5]).map((r) => r.metadata.name), ['r5']);
  });
});

describe('status and conditions (calculateStatus, syncRolloutStatus; kubectl rollout status)', () => {
  test('a finished rollout: counts, Available/MinimumReplicasAvailable, Progressing/NewReplicaSetAvailable', () => {
    const d = deploy({ generation: 2, status: { conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "app-x" is progressing.', lastUpdateTime: iso(5_000), lastTransitionTime: iso(9_000) }] } });
    const nw = rsOf(d, { name: 'app-x', replicas: 3 });
    const s = rolloutStatus([nw], nw, d, NOW);
    assert.deepEqual({ ...s, conditions: undefined }, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', 'ReplicaSet "app-x" has successfully progressed.'],
    ]);
    assert.equal(s.conditions?.[1].lastTransitionTime, iso(9_000), 'status unchanged: lastTransitionTime kept');
    assert.equal(s.conditions?.[1].lastUpdateTime, iso(0));
  });
  test('mid-rollout: unavailableReplicas, Available False below minimum, Progressing ReplicaSetUpdated on progress', () => {
    const d = deploy({ replicas: 3, unavailable: 0, surge: 1, status: { replicas: 3, updatedReplicas: 0, availableReplicas: 3, readyReplicas: 3 } });
    const old = rsOf(deploy(), { name: 'old', replicas: 2, image: 'o', available: 2 });
    const nw = rsOf(d, { name: 'app-y', replicas: 2, available: 0, statusReplicas: 2 });
    const s = rolloutStatus([old, nw], nw, d, NOW);
    assert.equal(s.unavailableReplicas, 2);
    assert.equal(s.updatedReplicas, 2);
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason]), [['Available', 'False', 'MinimumReplicasUnavailable'], ['Progressing', 'True', 'ReplicaSetUpdated']]);
    assert.equal(s.conditions?.[1].message, 'ReplicaSet "app-y" is progressing.');
  });
  test('no progress for progressDeadlineSeconds: ProgressDeadlineExceeded', () => {
    const cond = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: '', lastUpdateTime: iso(601_000), lastTransitionTime: iso(601_000) };
    const d = deploy({ status: { replicas: 3, updatedReplicas: 1, conditions: [cond] } });
    assert.equal(deploymentTimedOut(d, { conditions: [cond] }, NOW), true);
    const nw = rsOf(d, { name: 'app-z', replicas: 1, available: 0 });
    const old = rsOf(deploy(), { name: 'old', replicas: 2, image: 'o' });
    const s = rolloutStatus([old, nw], nw, { ...d, status: { ...d.status, readyReplicas: 2, availableReplicas: 2 } }, NOW);
    const p = s.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([p?.status, p?.reason, p?.message], ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "app-z" has timed out progressing.']);
  });
  test('a stuck rollout is re-checked when its deadline passes (requeueStuckDeployment)', () => {
    const cond = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: '', lastUpdateTime: iso(100_000), lastTransitionTime: iso(100_000) };
    const d = deploy({ status: { conditions: [cond] } });
    assert.equal(progressCheckAfterMs(d, { replicas: 3, updatedReplicas: 1 }, NOW), 501_000);
    assert.equal(progressCheckAfterMs(d, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, NOW), undefined, 'complete');
  });
  test('paused / resumed conditions', () => {
    const paused = pausedConditionsStatus(deploy({ paused: true }), NOW);
    assert.deepEqual(paused?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]), [['Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused']]);
    const resumed = pausedConditionsStatus(deploy({ status: paused }), NOW);
    assert.deepEqual(resumed?.conditions?.map((c) => [c.reason, c.message]), [['DeploymentResumed', 'Deployment is resumed']]);
    assert.equal(pausedConditionsStatus(deploy(), NOW), undefined);
  });
  test('IsSaturated needs the desired-replicas annotation and every replica available', () => {
    const d = deploy();
    assert.equal(isSaturated(d, rsOf(d, { replicas: 3, desired: 3 })), true);
    assert.equal(isSaturated(d, rsOf(d, { replicas: 3 })), false);
    assert.equal(isSaturated(d, rsOf(d, { replicas: 3, desired: 3, available: 2 })), false);
  });
});
