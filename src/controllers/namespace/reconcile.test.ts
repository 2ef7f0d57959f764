// Table tests of one namespace deletion pass (pkg/controller/namespace/deletion/namespaced_resources_deleter.go,
// status_condition_utils.go; namespaced_resources_deleter_test.go and status_condition_utils_test.go): given
// the content a pass found, which conditions it writes and what it does next.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import type { NamespaceCondition } from '../../api/types/namespace.ts';
import {
  CONDITION_TYPES, estimateGracefulTermination, finalizersWithout, gvrString, namespaceStep, passOutcome, remainingContent, summarizePass,
  updateConditions, type GroupVersionResource, type PassFailures, type PassOutcome, type ResourceOutcome,
} from './reconcile.ts';

const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
const CMS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
const DEPLOYS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
const item = (name: string, finalizers?: string[]): KObject => ({ metadata: { name, finalizers } });
const none = { finalizerEstimateSeconds: 0, numRemaining: 0, finalizersToNumRemaining: {} };

describe('namespaceStep (namespacedResourcesDeleter.Delete, before any content is touched)', () => {
  const cases: Array<[string, KObject | undefined, string]> = [
    ['namespace gone → nothing', undefined, 'nothing'],
    ['not being deleted → nothing', { metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, 'nothing'],
    ['deletionTimestamp but phase Active → write Terminating first', { metadata: { name: 'x', deletionTimestamp: 'T' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }, 'markTerminating'],
    ['Terminating with the kubernetes finalizer → delete content', { metadata: { name: 'x', deletionTimestamp: 'T' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } }, 'deleteContent'],
    ['Terminating with no spec.finalizers → already finalized', { metadata: { name: 'x', deletionTimestamp: 'T' }, spec: {}, status: { phase: 'Terminating' } }, 'finalized'],
  ];
  for (const [name, ns, want] of cases) test(name, () => assert.equal(namespaceStep(ns), want));
});

describe('estimateGracefulTermination (pods only)', () => {
  const pod = (grace: number | undefined, phase = 'Running'): KObject => ({ metadata: { name: 'p' }, spec: { terminationGracePeriodSeconds: grace }, status: { phase } });
  const cases: Array<[string, KObject[], number, number]> = [
    ['no pods → 0', [], 0, 0],
    ['longest grace period of running pods', [pod(30), pod(10)], 0, 30],
    ['elapsed whole seconds since the namespace deletion are subtracted', [pod(30)], 12_900, 18],
    ['never below 0', [pod(30)], 45_000, 0],
    ['terminal pods (Succeeded/Failed) do not count', [pod(60, 'Succeeded'), pod(90, 'Failed'), pod(5)], 0, 5],
    ['a pod without terminationGracePeriodSeconds adds nothing', [pod(undefined)], 0, 0],
  ];
  for (const [name, pods, elapsedMs, want] of cases) test(name, () => assert.equal(estimateGracefulTermination(pods, 1_000_000, 1_000_000 + elapsedMs), want));
});

describe('remainingContent (what the verification list after the delete means)', () => {
  const cases: Array<[string, KObject[] | undefined, number, { finalizerEstimateSeconds: number; numRemaining: number; finalizersToNumRemaining: Record<string, number> }, string | undefined]> = [
    ['nothing left → done, estimate 0 even if pods had one', [], 25, none, undefined],
    ['resource cannot be listed → nothing to verify, the estimate stands', undefined, 7, { ...none, finalizerEstimateSeconds: 7 }, undefined],
    ['terminating pods left within their grace period → wait for the estimate', [item('a'), item('b')], 20, { finalizerEstimateSeconds: 20, numRemaining: 2, finalizersToNumRemaining: {} }, undefined],
    ['items with finalizers → wait the default 15 s, counted by finalizer', [item('a', ['example.com/x']), item('b', ['example.com/x', 'foregroundDeletion'])], 0,
      { finalizerEstimateSeconds: 15, numRemaining: 2, finalizersToNumRemaining: { 'example.com/x': 2, foregroundDeletion: 1 } }, undefined],
    ['items left with no finalizer and no estimate → error (they should have been deleted)', [item('a')], 0,
      { finalizerEstimateSeconds: 0, numRemaining: 1, finalizersToNumRemaining: {} }, 'unexpected items still remain in namespace: x for gvr: /v1, Resource=pods'],
  ];
  for (const [name, items, estimate, want, wantErr] of cases) {
    test(name, () => {
      const r = remainingContent(PODS, 'x', items, estimate);
      assert.deepEqual(r.metadata, want);
      assert.equal(r.error, wantErr);
    });
  }
  test('gvrString is GroupVersionResource.String()', () => {
    assert.equal(gvrString(PODS), '/v1, Resource=pods');
    assert.equal(gvrString(DEPLOYS), 'apps/v1, Resource=deployments');
  });
});

describe('a deletion pass: conditions and next step (deleteAllContent + Delete + the worker)', () => {
  interface Case {
    name: string;
    outcomes: ResourceOutcome[];
    failures?: PassFailures;
    wantConditions: Record<string, [string, string, string]>; // type → [status, reason, message] for the True ones
    want: PassOutcome;
  }
  const cases: Case[] = [
    {
      name: 'empty namespace → all five conditions False (ok variants), finalize',
      outcomes: [{ gvr: PODS, metadata: none }, { gvr: CMS, metadata: none }],
      wantConditions: {},
      want: { action: 'finalize' },
    },
    {
      name: 'terminating pods remain → ContentRemaining True, wait estimate/2+1 s',
      outcomes: [{ gvr: PODS, metadata: { finalizerEstimateSeconds: 30, numRemaining: 3, finalizersToNumRemaining: {} } }, { gvr: CMS, metadata: none }],
      wantConditions: { NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 3 resource instances'] },
      want: { action: 'wait', estimateSeconds: 30, afterMs: 16_000 },
    },
    {
      name: 'objects held by finalizers in two resources → ContentRemaining and FinalizersRemaining True (sorted), wait 8 s',
      outcomes: [
        { gvr: DEPLOYS, metadata: { finalizerEstimateSeconds: 15, numRemaining: 1, finalizersToNumRemaining: { foregroundDeletion: 1 } } },
        { gvr: CMS, metadata: { finalizerEstimateSeconds: 15, numRemaining: 2, finalizersToNumRemaining: { 'example.com/hold': 2, foregroundDeletion: 1 } } },
      ],
      wantConditions: {
        NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 2 resource instances, deployments.apps has 1 resource instances'],
        NamespaceFinalizersRemaining: ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances, foregroundDeletion in 2 resource instances'],
      },
      want: { action: 'wait', estimateSeconds: 15, afterMs: 8_000 },
    },
    {
      name: 'a resource failed to delete → ContentFailure True, retry (never finalize with errors)',
      outcomes: [{ gvr: PODS, metadata: none }, { gvr: CMS, metadata: none, error: 'configmaps is forbidden: nope' }],
      wantConditions: { NamespaceDeletionContentFailure: ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 1 remaining: configmaps is forbidden: nope'] },
      want: { action: 'retry', error: 'configmaps is forbidden: nope' },
    },
    {
      name: 'discovery failed for a group → DiscoveryFailure True with the group count, retry even if the rest is empty',
      outcomes: [{ gvr: PODS, metadata: none }],
      failures: { discovery: { message: 'unable to retrieve the complete list of server APIs: apps/v1: boom', groupCount: 1 } },
      wantConditions: { NamespaceDeletionDiscoveryFailure: ['True', 'DiscoveryFailed', 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: apps/v1: boom'] },
      want: { action: 'retry', error: 'unable to retrieve the complete list of server APIs: apps/v1: boom' },
    },
    {
      name: 'a group version that does not parse → GroupVersionParsingFailure True, retry',
      outcomes: [],
      failures: { groupVersionParsing: 'unexpected GroupVersion string: a/b/c' },
      wantConditions: { NamespaceDeletionGroupVersionParsingFailure: ['True', 'GroupVersionParsingFailed', 'unexpected GroupVersion string: a/b/c'] },
      want: { action: 'retry', error: 'unexpected GroupVersion string: a/b/c' },
    },
    {
      name: 'errors and remaining content together → errors win (retry), both conditions written',
      outcomes: [{ gvr: PODS, metadata: { finalizerEstimateSeconds: 0, numRemaining: 1, finalizersToNumRemaining: {} }, error: 'unexpected items still remain in namespace: x for gvr: /v1, Resource=pods' }],
      wantConditions: {
        NamespaceContentRemaining: ['True', 'SomeResourcesRemain', 'Some resources are remaining: pods. has 1 resource instances'],
        NamespaceDeletionContentFailure: ['True', 'ContentDeletionFailed', 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: x for gvr: /v1, Resource=pods'],
      },
      want: { action: 'retry', error: 'unexpected items still remain in namespace: x for gvr: /v1, Resource=pods' },
    },
  ];
  const OK: Record<string, [string, string, string]> = {
    NamespaceDeletionDiscoveryFailure: ['False', 'ResourcesDiscovered', 'All resources successfully discovered'],
    NamespaceDeletionGroupVersionParsingFailure: ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    NamespaceDeletionContentFailure: ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    NamespaceContentRemaining: ['False', 'ContentRemoved', 'All content successfully removed'],
    NamespaceFinalizersRemaining: ['False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
  };
  for (const c of cases) {
    test(c.name, () => {
      const s = summarizePass(c.outcomes, c.failures);
      const { conditions, changed } = updateConditions(undefined, s.conditions, 'T1');
      assert.equal(changed, true);
      assert.deepEqual(conditions.map((x) => x.type), [...CONDITION_TYPES]);
      for (const x of conditions) {
        assert.deepEqual([x.status, x.reason, x.message], c.wantConditions[x.type] ?? OK[x.type], x.type);
        assert.equal(x.lastTransitionTime, 'T1');
      }
      assert.deepEqual(passOutcome(s), c.want);
    });
  }
});

describe('updateConditions', () => {
  const remaining = summarizePass([{ gvr: PODS, metadata: { finalizerEstimateSeconds: 5, numRemaining: 1, finalizersToNumRemaining: {} } }]).conditions;
  const empty = summarizePass([]).conditions;
  test('same pass twice → unchanged (no status write)', () => {
    const first = updateConditions(undefined, remaining, 'T1').conditions;
    assert.deepEqual(updateConditions(first, remaining, 'T2'), { conditions: first, changed: false });
  });
  test('status flips → lastTransitionTime moves; a message-only change keeps it', () => {
    const first = updateConditions(undefined, remaining, 'T1').conditions;
    const second = updateConditions(first, empty, 'T2').conditions;
    const cr = second.find((c) => c.type === 'NamespaceContentRemaining')!;
    assert.deepEqual([cr.status, cr.lastTransitionTime], ['False', 'T2']);
    const more = summarizePass([{ gvr: PODS, metadata: { finalizerEstimateSeconds: 5, numRemaining: 2, finalizersToNumRemaining: {} } }]).conditions;
    const third = updateConditions(first, more, 'T3');
    const cr3 = third.conditions.find((c) => c.type === 'NamespaceContentRemaining')!;
    assert.equal(third.changed, true);
    assert.deepEqual([cr3.message, cr3.lastTransitionTime], ['Some resources are remaining: pods. has 2 resource instances', 'T1']);
  });
  test('conditions of other types are kept as they are', () => {
    const other: NamespaceCondition = { type: 'example.com/Custom', status: 'True', reason: 'R', message: 'm' };
    const r = updateConditions([other], empty, 'T1');
    assert.deepEqual(r.conditions[0], other);
    assert.equal(r.conditions.length, 6);
  });
});

describe('finalizersWithout (finalizeNamespace)', () => {
  const cases: Array<[string, string[] | undefined, string[]]> = [
    ['only kubernetes → empty (the API server then deletes the namespace)', ['kubernetes'], []],
    ['other finalizers stay, sorted and deduplicated', ['z.io/b', 'kubernetes', 'a.io/a', 'z.io/b'], ['a.io/a', 'z.io/b']],
    ['none → empty', undefined, []],
  ];
  for (const [name, input, want] of cases) test(name, () => assert.deepEqual(finalizersWithout(input, 'kubernetes'), want));
});
