// Table tests of the dependency graph (pkg/controller/garbagecollector/graph_builder.go processGraphChanges,
// garbagecollector_test.go TestProcessEvent / TestVirtualNodes): given the objects observed so far and one
// more event, which uids must the collector look at (attemptToDelete, attemptToOrphan) and which owner
// identities are known absent.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerReference } from '../../api/meta.ts';
import { DependencyGraph, deletionStartsWithFinalizer, getAlternateOwnerIdentity, referencesDiffs, refString, type GraphNode, type ObjectRef, type ObservedMeta } from './graph.ts';

interface Obj { ref: ObjectRef; meta: ObservedMeta }

const sts = (name: string, uid: string, meta: ObservedMeta = {}, namespace = 'default'): Obj => ({ ref: { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid, namespace }, meta });
const rs = (name: string, uid: string, meta: ObservedMeta = {}, namespace = 'default'): Obj => ({ ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid, namespace }, meta });
const pod = (name: string, uid: string, owners: OwnerReference[] = [], extra: ObservedMeta = {}, namespace = 'default'): Obj => ({
  ref: { apiVersion: 'v1', kind: 'Pod', name, uid, namespace }, meta: { ownerReferences: owners, ...extra },
});
const node = (name: string, uid: string): Obj => ({ ref: { apiVersion: 'v1', kind: 'Node', name, uid, namespace: '' }, meta: {} });
const ownedBy = (o: Obj, extra: Partial<OwnerReference> = {}): OwnerReference => ({ apiVersion: o.ref.apiVersion, kind: o.ref.kind, name: o.ref.name, uid: o.ref.uid, ...extra });

const NOW = '2026-01-01T00:00:00Z';

type Event =
  | { type: 'add'; obj: Obj }
  | { type: 'update'; obj: Obj; old: ObservedMeta }
  | { type: 'delete'; obj: Obj }
  | { type: 'virtualDelete'; ref: ObjectRef };

interface Recorded { attemptToDelete: string[]; rateLimited: string[]; attemptToOrphan: string[]; absent: string[]; invalidNamespace: string[] }

function harness() {
  const rec: Recorded = { attemptToDelete: [], rateLimited: [], attemptToOrphan: [], absent: [], invalidNamespace: [] };
  const g = new DependencyGraph({
    attemptToDelete: (uid, o) => (o?.rateLimited ? rec.rateLimited : rec.attemptToDelete).push(uid),
    attemptToOrphan: (uid) => rec.attemptToOrphan.push(uid),
    absentOwner: (r) => rec.absent.push(`${r.kind}/${r.namespace}/${r.name}/${r.uid}`),
    invalidNamespaceOwnerRef: (dep: GraphNode, ref) => rec.invalidNamespace.push(`${dep.identity.uid}->${ref.uid}`),
  });
  const apply = (e: Event) => {
    if (e.type === 'add') g.observe(e.obj.ref, e.obj.meta);
    else if (e.type === 'update') g.observe(e.obj.ref, e.obj.meta, e.old);
    else if (e.type === 'delete') g.observeDelete(e.obj.ref);
    else g.virtualDelete(e.ref);
  };
  const reset = () => { for (const k of Object.keys(rec) as Array<keyof Recorded>) rec[k] = []; };
  return { g, rec, apply, reset };
}

const web = sts('web', 'sts-1');
const web0 = pod('web-0', 'pod-0', [ownedBy(web, { controller: true, blockOwnerDeletion: true })]);
const web1 = pod('web-1', 'pod-1', [ownedBy(web, { controller: true, blockOwnerDeletion: true })]);
const app = rs('app-5d', 'rs-1');
const shared = pod('shared', 'pod-s', [ownedBy(web), ownedBy(app)]);

interface Case {
  name: string;
  before: Event[];
  event: Event;
  want: Partial<Recorded>;
  /** Checks on the graph afterwards. */
  check?: (g: DependencyGraph) => void;
}

const cases: Case[] = [
  {
    name: 'owner observed first, then its pod: nothing to verify (graph_builder insertNode)',
    before: [{ type: 'add', obj: web }],
    event: { type: 'add', obj: web0 },
    want: {},
    check: (g) => assert.deepEqual([...g.get('sts-1')!.dependents], ['pod-0']),
  },
  {
    name: 'pod observed before its owner: a virtual owner node is queued for a live check (addDependentToOwners)',
    before: [],
    event: { type: 'add', obj: web0 },
    want: { attemptToDelete: ['sts-1'] },
    check: (g) => {
      const v = g.get('sts-1')!;
      assert.equal(v.virtual, true);
      assert.deepEqual(v.identity, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts-1', namespace: 'default' });
    },
  },
  {
    name: 'the owner shows up later: the virtual node becomes observed, nothing queued',
    before: [{ type: 'add', obj: web0 }],
    event: { type: 'add', obj: web },
    want: {},
    check: (g) => assert.equal(g.get('sts-1')!.virtual, false),
  },
  {
    name: 'Background: owner deleted → every dependent queued, owner identity known absent',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }, { type: 'add', obj: web1 }],
    event: { type: 'delete', obj: web },
    want: { attemptToDelete: ['pod-0', 'pod-1'], absent: ['StatefulSet/default/web/sts-1'] },
    check: (g) => assert.equal(g.get('sts-1'), undefined),
  },
  {
    name: 'an owner without dependents deleted: nothing queued, no absent entry',
    before: [{ type: 'add', obj: web }],
    event: { type: 'delete', obj: web },
    want: {},
  },
  {
    name: 'Foreground starts (deletionTimestamp + foregroundDeletion): dependents and the owner queued',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }],
    event: { type: 'update', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }), old: {} },
    want: { attemptToDelete: ['pod-0', 'sts-1'] },
    check: (g) => {
      assert.equal(g.get('sts-1')!.deletingDependents, true);
      assert.equal(g.get('sts-1')!.beingDeleted, true);
      assert.deepEqual(g.blockingDependents(g.get('sts-1')!).map((n) => n.identity.uid), ['pod-0']);
    },
  },
  {
    name: 'Foreground already in progress at the first list (no old state): processed as a start',
    before: [{ type: 'add', obj: web0 }],
    event: { type: 'add', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }) },
    want: { attemptToDelete: ['pod-0', 'sts-1'] },
  },
  {
    name: 'Foreground: an update that keeps the same deletion state starts nothing again',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }, { type: 'update', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }), old: {} }],
    event: { type: 'update', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }), old: { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] } },
    want: {},
  },
  {
    name: 'Foreground: a blocking dependent deleted → the waiting owner is queued to re-check',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }, { type: 'update', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }), old: {} }],
    event: { type: 'delete', obj: web0 },
    want: { attemptToDelete: ['sts-1'] },
  },
  {
    name: 'Foreground: a blocking reference removed from a dependent unblocks its owner (addUnblockedOwnersToDeleteQueue)',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }],
    event: { type: 'update', obj: pod('web-0', 'pod-0', []), old: web0.meta },
    want: { attemptToDelete: ['sts-1'] },
    check: (g) => assert.deepEqual([...g.get('sts-1')!.dependents], []),
  },
  {
    name: 'Foreground: blockOwnerDeletion set to false unblocks the owner',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }],
    event: { type: 'update', obj: pod('web-0', 'pod-0', [ownedBy(web, { controller: true, blockOwnerDeletion: false })]), old: web0.meta },
    want: { attemptToDelete: ['sts-1'] },
  },
  {
    name: 'Orphan starts (deletionTimestamp + orphan): the owner goes to attemptToOrphan only',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }],
    event: { type: 'update', obj: sts('web', 'sts-1', { deletionTimestamp: NOW, finalizers: ['orphan'] }), old: {} },
    want: { attemptToOrphan: ['sts-1'] },
  },
  {
    name: 'a dependent being deleted is only marked (it is collected by its own final delete)',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: web0 }],
    event: { type: 'update', obj: pod('web-0', 'pod-0', web0.meta.ownerReferences, { deletionTimestamp: NOW }), old: web0.meta },
    want: {},
    check: (g) => assert.equal(g.get('pod-0')!.beingDeleted, true),
  },
  {
    name: 'two owners: deleting one queues the shared dependent (it decides with live lookups)',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: app }, { type: 'add', obj: shared }],
    event: { type: 'delete', obj: app },
    want: { attemptToDelete: ['pod-s'], absent: ['ReplicaSet/default/app-5d/rs-1'] },
    check: (g) => assert.deepEqual([...g.get('sts-1')!.dependents], ['pod-s']),
  },
  {
    name: 'virtual delete of a virtual owner (404 on the live GET): node removed, dependents queued',
    before: [{ type: 'add', obj: web0 }, { type: 'add', obj: web1 }],
    event: { type: 'virtualDelete', ref: web.ref },
    want: { attemptToDelete: ['pod-0', 'pod-1'], absent: ['StatefulSet/default/web/sts-1'] },
    check: (g) => assert.equal(g.get('sts-1'), undefined),
  },
  {
    name: 'recreated owner: the pod names uid sts-old, the live web has another uid → virtual delete removes sts-old',
    before: [{ type: 'add', obj: sts('web', 'sts-new') }, { type: 'add', obj: pod('web-0', 'pod-0', [ownedBy(sts('web', 'sts-old'))]) }],
    event: { type: 'virtualDelete', ref: sts('web', 'sts-old').ref },
    want: { attemptToDelete: ['pod-0'], absent: ['StatefulSet/default/web/sts-old'] },
    check: (g) => { assert.equal(g.get('sts-old'), undefined); assert.ok(g.get('sts-new')); },
  },
  {
    name: 'virtual delete with other coordinates never removes an observed node; matching dependents are queued',
    before: [{ type: 'add', obj: web }, { type: 'add', obj: pod('p', 'pod-x', [{ ...ownedBy(web), kind: 'Deployment' }]) }],
    event: { type: 'virtualDelete', ref: { ...web.ref, kind: 'Deployment' } },
    want: { attemptToDelete: ['pod-x'], absent: ['Deployment/default/web/sts-1'] },
    check: (g) => assert.equal(g.get('sts-1')!.virtual, false),
  },
  {
    name: 'virtual owner referenced by two coordinates: the verified one is absent, the node switches to the other',
    before: [
      { type: 'add', obj: pod('a', 'pod-a', [ownedBy(web)]) },
      { type: 'add', obj: pod('b', 'pod-b', [{ ...ownedBy(web), name: 'web2' }]) },
    ],
    event: { type: 'virtualDelete', ref: web.ref },
    want: { attemptToDelete: ['pod-a'], rateLimited: ['sts-1'], absent: ['StatefulSet/default/web/sts-1'] },
    check: (g) => assert.equal(g.get('sts-1')!.identity.name, 'web2'),
  },
  {
    name: 'a dependent in another namespace than its observed owner: reported and queued for verification',
    before: [{ type: 'add', obj: web }],
    event: { type: 'add', obj: pod('p', 'pod-o', [ownedBy(web)], {}, 'other') },
    want: { attemptToDelete: ['pod-o'], invalidNamespace: ['pod-o->sts-1'] },
  },
  {
    name: 'a cluster-scoped owner (Node) referenced from a namespace is fine once observed',
    before: [{ type: 'add', obj: node('n1', 'node-1') }],
    event: { type: 'add', obj: pod('p', 'pod-n', [ownedBy(node('n1', 'node-1'))]) },
    want: {},
  },
  {
    name: 'owner observed under other coordinates than its virtual node: the disagreeing dependents are queued',
    before: [{ type: 'add', obj: pod('p', 'pod-k', [{ ...ownedBy(web), kind: 'Deployment' }]) }],
    event: { type: 'add', obj: web },
    want: { attemptToDelete: ['pod-k'] },
    check: (g) => assert.equal(g.get('sts-1')!.identity.kind, 'StatefulSet'),
  },
  {
    name: 'a delete for an object the graph never saw is ignored',
    before: [],
    event: { type: 'delete', obj: web },
    want: {},
  },
];

describe('DependencyGraph (graph_builder.go processGraphChanges)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const h = harness();
      for (const e of c.before) h.apply(e);
      h.reset();
      h.apply(c.event);
      const want: Recorded = { attemptToDelete: [], rateLimited: [], attemptToOrphan: [], absent: [], invalidNamespace: [], ...c.want };
      assert.deepEqual({ ...h.rec, attemptToDelete: [...h.rec.attemptToDelete].sort() }, { ...want, attemptToDelete: [...want.attemptToDelete].sort() });
      c.check?.(h.g);
    });
  }
});

describe('graph helpers', () => {
  test('referencesDiffs: added, removed and changed by uid (blockOwnerDeletion absent ≠ false, as reflect.DeepEqual)', () => {
    const a: OwnerReference = { apiVersion: 'v1', kind: 'X', name: 'a', uid: '1' };
    const b: OwnerReference = { apiVersion: 'v1', kind: 'X', name: 'b', uid: '2' };
    const c: OwnerReference = { apiVersion: 'v1', kind: 'X', name: 'c', uid: '3' };
    const d = referencesDiffs([a, b], [{ ...b, blockOwnerDeletion: false }, c]);
    assert.deepEqual(d, { added: [c], removed: [a], changed: [{ oldRef: b, newRef: { ...b, blockOwnerDeletion: false } }] });
  });

  const cases: Array<[string, ObservedMeta | undefined, ObservedMeta, boolean]> = [
    ['first observation already deleting with the finalizer', undefined, { deletionTimestamp: NOW, finalizers: ['orphan'] }, true],
    ['deletion starts', {}, { deletionTimestamp: NOW, finalizers: ['orphan'] }, true],
    ['finalizer added while deleting', { deletionTimestamp: NOW }, { deletionTimestamp: NOW, finalizers: ['orphan'] }, true],
    ['already started', { deletionTimestamp: NOW, finalizers: ['orphan'] }, { deletionTimestamp: NOW, finalizers: ['orphan'] }, false],
    ['finalizer without deletionTimestamp', {}, { finalizers: ['orphan'] }, false],
    ['other finalizer', {}, { deletionTimestamp: NOW, finalizers: ['foregroundDeletion'] }, false],
  ];
  for (const [name, old, cur, want] of cases) {
    test(`deletionStartsWithFinalizer: ${name}`, () => assert.equal(deletionStartsWithFinalizer(old, cur, 'orphan'), want));
  }

  test('getAlternateOwnerIdentity: the first identity after the absent one, else the first (referenceLessThan)', () => {
    const absent: ObjectRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'm', uid: 'u', namespace: 'ns' };
    const dep = (name: string): GraphNode => ({
      identity: { apiVersion: 'v1', kind: 'Pod', name: `p-${name}`, uid: `p-${name}`, namespace: 'ns' },
      owners: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: 'u' }], dependents: new Set(), virtual: false, beingDeleted: false, deletingDependents: false,
    });
    assert.equal(getAlternateOwnerIdentity([dep('a'), dep('z'), dep('n')], absent)?.name, 'n');
    assert.equal(getAlternateOwnerIdentity([dep('a'), dep('b')], absent)?.name, 'a');
    assert.equal(getAlternateOwnerIdentity([dep('m')], absent), undefined);
  });

  test('refString is objectReference.String()', () => {
    assert.equal(refString(web.ref), '[apps/v1/StatefulSet, namespace: default, name: web, uid: sts-1]');
  });
});
