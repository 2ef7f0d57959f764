// Table tests of the collector's decisions (garbagecollector.go attemptToDeleteItem, classifyReferences,
// processDeletingDependentsItem; patch.go), named by situation: which dependents are deleted (with which
// propagation policy), which keep their owners, which references are removed.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject, OwnerReference } from '../../api/meta.ts';
import {
  classifyReferences, decideDeletingDependents, decideDeletion, deleteOwnerRefsMergePatch, deleteOwnerRefsStrategicPatch,
  liveStep, removeFinalizerPatch, skipWithoutLookup, unblockOwnerRefsMergePatch, unblockOwnerRefsStrategicPatch,
  type DeletionDecision, type OwnerLookup,
} from './reconcile.ts';

const NOW = '2026-01-01T00:00:00Z';
const ref = (name: string, uid: string, block = true): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, controller: true, blockOwnerDeletion: block });
const ABSENT: OwnerLookup = { state: 'absent' };
const PRESENT: OwnerLookup = { state: 'present' };
const FOREGROUND: OwnerLookup = { state: 'present', deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] };
const ORPHANING: OwnerLookup = { state: 'present', deletionTimestamp: NOW, finalizers: ['orphan'] };

describe('classifyReferences', () => {
  const cases: Array<[string, OwnerLookup[], { solid: string[]; dangling: string[]; waiting: string[] }]> = [
    ['owner exists → solid', [PRESENT], { solid: ['a'], dangling: [], waiting: [] }],
    ['owner 404 or recreated with another uid → dangling', [ABSENT], { solid: [], dangling: ['a'], waiting: [] }],
    ['owner deleting in the foreground → waitingForDependentsDeletion', [FOREGROUND], { solid: [], dangling: [], waiting: ['a'] }],
    ['owner being deleted with orphan → still solid (its dependents are kept)', [ORPHANING], { solid: ['a'], dangling: [], waiting: [] }],
    ['foregroundDeletion finalizer without deletionTimestamp → solid', [{ state: 'present', finalizers: ['foregroundDeletion'] }], { solid: ['a'], dangling: [], waiting: [] }],
    ['three owners, one of each', [PRESENT, ABSENT, FOREGROUND], { solid: ['a'], dangling: ['b'], waiting: ['c'] }],
  ];
  for (const [name, lookups, want] of cases) {
    test(name, () => {
      const refs = lookups.map((_, i) => ref('abc'[i], 'abc'[i]));
      const c = classifyReferences(refs, lookups);
      assert.deepEqual(
        { solid: c.solid.map((r) => r.uid), dangling: c.dangling.map((r) => r.uid), waiting: c.waitingForDependentsDeletion.map((r) => r.uid) },
        want,
      );
    });
  }
});

describe('liveStep / skipWithoutLookup (attemptToDeleteItem before the owner lookups)', () => {
  const obj = (uid: string, owners?: OwnerReference[]): KObject => ({ metadata: { name: 'x', uid, ownerReferences: owners } });
  const cases: Array<[string, { beingDeleted: boolean; deletingDependents: boolean }, KObject | undefined, string]> = [
    ['no live object (404) → virtual delete', { beingDeleted: false, deletingDependents: false }, undefined, 'virtualDelete'],
    ['live object has another uid (recreated) → virtual delete', { beingDeleted: false, deletingDependents: false }, obj('other', [ref('a', 'a')]), 'virtualDelete'],
    ['waiting for its dependents → process deleting dependents', { beingDeleted: true, deletingDependents: true }, obj('me'), 'processDeletingDependents'],
    ['no owner references → nothing to do', { beingDeleted: false, deletingDependents: false }, obj('me', []), 'noOwners'],
    ['owner references → classify', { beingDeleted: false, deletingDependents: false }, obj('me', [ref('a', 'a')]), 'classify'],
  ];
  for (const [name, node, live, want] of cases) test(name, () => assert.equal(liveStep({ uid: 'me', ...node }, live), want));

  test('being deleted without waiting for dependents → skipped without a lookup (one-way trip)', () => {
    assert.equal(skipWithoutLookup({ beingDeleted: true, deletingDependents: false }), true);
    assert.equal(skipWithoutLookup({ beingDeleted: true, deletingDependents: true }), false);
    assert.equal(skipWithoutLookup({ beingDeleted: false, deletingDependents: false }), false);
  });
});

describe('decideDeletion (which dependents are deleted, orphaned or kept)', () => {
  interface Case { name: string; lookups: OwnerLookup[]; finalizers?: string[]; dependents?: boolean[]; want: DeletionDecision }
  const cases: Case[] = [
    { name: 'Background: the only owner is gone → delete Background (cascades to its own dependents)', lookups: [ABSENT], want: { action: 'delete', policy: 'Background', unblockFirst: false } },
    { name: 'all of several owners gone → delete', lookups: [ABSENT, ABSENT], want: { action: 'delete', policy: 'Background', unblockFirst: false } },
    { name: 'one of two owners gone → keep, drop the dangling reference', lookups: [PRESENT, ABSENT], want: { action: 'removeOwnerReferences', uids: ['b'] } },
    { name: 'all owners exist → keep', lookups: [PRESENT, PRESENT], want: { action: 'keep' } },
    { name: 'owner being orphaned is solid → keep (the orphan worker removes the reference)', lookups: [ORPHANING], want: { action: 'keep' } },
    { name: 'Foreground owner, dependent without dependents → delete Background', lookups: [FOREGROUND], want: { action: 'delete', policy: 'Background', unblockFirst: false } },
    { name: 'Foreground owner, dependent with dependents → delete Foreground (the owner waits for the subtree)', lookups: [FOREGROUND], dependents: [false], want: { action: 'delete', policy: 'Foreground', unblockFirst: false } },
    { name: 'Foreground owner, a dependent of the dependent also waits → unblock own references first (cycle guard)', lookups: [FOREGROUND], dependents: [false, true], want: { action: 'delete', policy: 'Foreground', unblockFirst: true } },
    { name: 'Foreground owner plus a solid owner → keep, drop the reference to the waiting owner', lookups: [FOREGROUND, PRESENT], want: { action: 'removeOwnerReferences', uids: ['a'] } },
    { name: 'dangling + waiting + solid → drop both the dangling and the waiting reference', lookups: [ABSENT, FOREGROUND, PRESENT], want: { action: 'removeOwnerReferences', uids: ['a', 'b'] } },
    { name: 'owner gone, dependent already carries orphan → delete Orphan (honour its finalizer)', lookups: [ABSENT], finalizers: ['orphan'], want: { action: 'delete', policy: 'Orphan', unblockFirst: false } },
    { name: 'owner gone, dependent already carries foregroundDeletion → delete Foreground', lookups: [ABSENT], finalizers: ['foregroundDeletion'], want: { action: 'delete', policy: 'Foreground', unblockFirst: false } },
    { name: 'owner gone and another waiting in the foreground, no dependents → delete Background', lookups: [ABSENT, FOREGROUND], want: { action: 'delete', policy: 'Background', unblockFirst: false } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const refs = c.lookups.map((_, i) => ref('abc'[i], 'abc'[i]));
      const cl = classifyReferences(refs, c.lookups);
      const deps = (c.dependents ?? []).map((deletingDependents) => ({ deletingDependents }));
      assert.deepEqual(decideDeletion({ metadata: { finalizers: c.finalizers } }, cl, deps), c.want);
    });
  }
});

describe('decideDeletingDependents (processDeletingDependentsItem)', () => {
  test('no blocking dependent left → remove foregroundDeletion', () => {
    assert.deepEqual(decideDeletingDependents([]), { action: 'removeFinalizer' });
  });
  test('blocking dependents → queue those not themselves waiting', () => {
    assert.deepEqual(decideDeletingDependents([{ uid: 'p1', deletingDependents: false }, { uid: 'rs', deletingDependents: true }]), { action: 'attemptToDelete', uids: ['p1'] });
  });
  test('only waiting dependents → nothing to queue, keep waiting', () => {
    assert.deepEqual(decideDeletingDependents([{ uid: 'rs', deletingDependents: true }]), { action: 'attemptToDelete', uids: [] });
  });
});

describe('patches (patch.go)', () => {
  const live: KObject = { metadata: { name: 'p', uid: 'p', resourceVersion: '42', ownerReferences: [ref('a', 'a'), ref('b', 'b', false)], finalizers: ['orphan', 'example.com/keep'] } };
  test('Orphan: the strategic merge patch deletes the reference by uid, with the dependent uid as precondition', () => {
    assert.deepEqual(deleteOwnerRefsStrategicPatch('p', ['a']), { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'a' }], uid: 'p' } });
  });
  test('the merge-patch fallback keeps the other references at the read resourceVersion', () => {
    assert.deepEqual(deleteOwnerRefsMergePatch(live, ['a']), { metadata: { resourceVersion: '42', ownerReferences: [ref('b', 'b', false)] } });
  });
  test('removing the last reference sends null (field removed)', () => {
    assert.deepEqual(deleteOwnerRefsMergePatch(live, ['a', 'b']), { metadata: { resourceVersion: '42', ownerReferences: null } });
  });
  test('unblock: only blocking references, set to false', () => {
    assert.deepEqual(unblockOwnerRefsStrategicPatch('p', live.metadata.ownerReferences!), { metadata: { ownerReferences: [{ ...ref('a', 'a'), blockOwnerDeletion: false }], uid: 'p' } });
    assert.equal(unblockOwnerRefsStrategicPatch('p', [ref('b', 'b', false)]), undefined);
    assert.deepEqual((unblockOwnerRefsMergePatch(live, live.metadata.ownerReferences!) as KObject).metadata, {
      resourceVersion: '42', ownerReferences: [{ ...ref('a', 'a'), blockOwnerDeletion: false }, { ...ref('b', 'b'), blockOwnerDeletion: false }],
    });
  });
  test('removeFinalizer keeps the others; the last one sends null; an absent finalizer needs no patch', () => {
    assert.deepEqual(removeFinalizerPatch(live, 'orphan'), { metadata: { resourceVersion: '42', finalizers: ['example.com/keep'] } });
    assert.deepEqual(removeFinalizerPatch({ metadata: { resourceVersion: '7', finalizers: ['foregroundDeletion'] } }, 'foregroundDeletion'), { metadata: { resourceVersion: '7', finalizers: null } });
    assert.equal(removeFinalizerPatch(live, 'foregroundDeletion'), undefined);
  });
});
