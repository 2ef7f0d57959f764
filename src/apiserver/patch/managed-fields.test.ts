// Server-side apply (kubectl apply --server-side, kubectl-compatibility.md §3.2) and Update ownership records.
// Expected fieldsV1 shapes are those kube-apiserver v1.32 writes (structured-merge-diff ToFieldSet / Compare); conflict
// texts are those of managedfields/internal/conflict.go.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/meta.ts';
import { recordUpdateManagedFields, serverSideApply, LAST_APPLIED_ANNOTATION, MAX_UPDATE_MANAGERS } from './managed-fields.ts';
import { smpSchemaFor } from './schema.ts';
import { assertStatus, deepFreeze } from './testutil.test-data.ts';

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:05:00Z';
const T2 = '2024-05-01T10:10:00Z';
const svcSchema = smpSchemaFor('v1', 'Service');
const depSchema = smpSchemaFor('apps/v1', 'Deployment');
const podSchema = smpSchemaFor('v1', 'Pod');

const webService = (extra: Record<string, unknown> = {}, ports: unknown[] = [{ port: 80, targetPort: 8080 }]): KObject => deepFreeze({
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, ...extra },
  spec: { selector: { app: 'web' }, ports },
}) as KObject;

const deployment = (replicas: number, image = 'nginx:1.27'): KObject => deepFreeze({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] } },
  },
}) as KObject;

const entries = (o: KObject) => o.metadata.managedFields ?? [];
const entry = (o: KObject, manager: string) => entries(o).find((e) => e.manager === manager);
/** A stored object as the registry would keep it (uid etc. filled). */
const stored = (o: KObject): KObject => deepFreeze({ ...structuredClone(o), metadata: { ...structuredClone(o.metadata), uid: 'u-1', resourceVersion: '5' } }) as KObject;

describe('serverSideApply: create and re-apply (§3.2)', () => {
  it('create: the object is the applied one, with one Apply entry in FieldsV1 form', () => {
    const out = serverSideApply(undefined, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T0 });
    assert.deepEqual(out.spec, { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] });
    assert.deepEqual(Object.keys(out).slice(0, 3), ['apiVersion', 'kind', 'metadata']);
    assert.deepEqual(entries(out), [{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, 'f:targetPort': {}, '.': {} } }, 'f:selector': {} },
      },
    }]);
  });

  it('create of a Deployment: container and port keys (name; containerPort+protocol with protocol defaulted to TCP)', () => {
    const out = serverSideApply(undefined, deployment(2), { manager: 'kubectl', force: false, schema: depSchema, now: T0 });
    assert.deepEqual(entry(out, 'kubectl')!.fieldsV1, {
      'f:spec': {
        'f:replicas': {}, 'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': {
            'f:image': {}, 'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { 'f:containerPort': {}, '.': {} } },
            '.': {},
          } } },
        },
      },
    });
  });

  it('re-applying the same manifest is a no-op: same object, same timestamp', () => {
    const first = stored(serverSideApply(undefined, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T0 }));
    const again = serverSideApply(first, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T1 });
    assert.deepEqual(again, first);
  });

  it('a changed value updates the object and the applier\'s timestamp', () => {
    const first = stored(serverSideApply(undefined, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T0 }));
    const out = serverSideApply(first, webService({}, [{ port: 80, targetPort: 9090 }]), { manager: 'kubectl', force: false, schema: svcSchema, now: T1 });
    assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }]);
    assert.equal(entry(out, 'kubectl')!.time, T1);
    assert.equal(out.metadata.uid, 'u-1');
  });

  it('fields the applier owned and now omits are removed (labels, a port)', () => {
    const first = stored(serverSideApply(undefined, webService({ labels: { app: 'web', tier: 'front' } }, [{ port: 80 }, { port: 9090, name: 'metrics' }]),
      { manager: 'kubectl', force: false, schema: svcSchema, now: T0 }));
    const out = serverSideApply(first, webService({}, [{ port: 80 }]), { manager: 'kubectl', force: false, schema: svcSchema, now: T1 });
    assert.deepEqual(out.metadata.labels, { app: 'web' });
    assert.deepEqual(out.spec.ports, [{ port: 80 }]);
    assert.deepEqual(entry(out, 'kubectl')!.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, '.': {} } }, 'f:selector': {} },
    });
  });

  it('a removed field that another manager also owns stays (and stays theirs)', () => {
    let live = stored(serverSideApply(undefined, webService({ labels: { app: 'web', tier: 'front' } }), { manager: 'kubectl', force: false, schema: svcSchema, now: T0 }));
    // kubectl label svc web tier=front --overwrite, env=prod: an Update by kubectl-label that sets tier to the same value
    // (no change: no ownership) and adds env.
    const labelled = structuredClone(live) as KObject;
    labelled.metadata.labels = { app: 'web', tier: 'back', env: 'prod' };
    recordUpdateManagedFields(live, labelled, 'kubectl-label', T1);
    live = stored(labelled);
    assert.deepEqual(entry(live, 'kubectl-label')!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:env': {}, 'f:tier': {} } } });
    assert.deepEqual(entry(live, 'kubectl')!.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, 'f:targetPort': {}, '.': {} } }, 'f:selector': {} },
    });
    const out = serverSideApply(live, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T2 });
    assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'back', env: 'prod' });
  });

  it('an object created without managedFields: the first apply attributes its fields to before-first-apply', () => {
    const legacy = stored({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { app: 'web', old: 'x' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as KObject);
    const out = serverSideApply(legacy, webService(), { manager: 'kubectl', force: false, schema: svcSchema, now: T1 });
    const bfa = entry(out, 'before-first-apply')!;
    assert.equal(bfa.operation, 'Update');
    assert.equal(bfa.time, T1);
    // Fields the apply set to the value they already had stay shared with before-first-apply; targetPort is new.
    assert.deepEqual(bfa.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:app': {}, 'f:old': {}, '.': {} } },
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, '.': {} }, '.': {} }, 'f:selector': {} },
    });
    assert.deepEqual(out.metadata.labels, { app: 'web', old: 'x' });
    assert.deepEqual(entries(out).map((e) => `${e.operation}:${e.manager}`), ['Apply:kubectl', 'Update:before-first-apply']);
  });

  it('status subresource apply: the entry records the subresource and spec is not owned (reset fields)', () => {
    const pod = stored(serverSideApply(undefined, deepFreeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } }) as KObject,
      { manager: 'kubectl', force: false, schema: podSchema, now: T0 }));
    const status = deepFreeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }) as KObject;
    const out = serverSideApply(pod, status, { manager: 'kwok', force: false, schema: podSchema, now: T1, subresource: 'status' });
    const e = entry(out, 'kwok')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { 'f:status': {}, 'f:type': {}, '.': {} } }, 'f:phase': {} } });
  });
});

describe('serverSideApply: conflicts (managedfields/internal/conflict.go)', () => {
  /** A Deployment created by client-side apply: every field is owned by the Update manager kubectl-client-side-apply. */
  function csaDeployment(replicas: number, lastApplied?: string): KObject {
    const obj = structuredClone(deployment(replicas)) as KObject;
    if (lastApplied) obj.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: lastApplied };
    recordUpdateManagedFields(undefined, obj, 'kubectl-client-side-apply', T0);
    return stored(obj);
  }

  it('a different value for a field an Update manager owns is a 409 with kube\'s text and causes', () => {
    const e = assertStatus(() => serverSideApply(csaDeployment(2), deployment(3), { manager: 'helm', force: false, schema: depSchema, now: T1 }), {
      code: 409, reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    });
    assert.deepEqual(e.toStatus(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
    });
  });

  it('the same value is no conflict: ownership is shared', () => {
    const out = serverSideApply(csaDeployment(2), deployment(2), { manager: 'helm', force: false, schema: depSchema, now: T1 });
    assert.ok(JSON.stringify(entry(out, 'helm')!.fieldsV1).includes('"f:replicas"'));
    assert.ok(JSON.stringify(entry(out, 'kubectl-client-side-apply')!.fieldsV1).includes('"f:replicas"'));
  });

  it('force takes the field: the value changes and the other manager loses it', () => {
    const out = serverSideApply(csaDeployment(2), deployment(3), { manager: 'helm', force: true, schema: depSchema, now: T1 });
    assert.equal(out.spec.replicas, 3);
    assert.ok(JSON.stringify(entry(out, 'helm')!.fieldsV1).includes('"f:replicas"'));
    assert.ok(!JSON.stringify(entry(out, 'kubectl-client-side-apply')!.fieldsV1).includes('"f:replicas"'));
  });

  it('several conflicts: grouped by manager, one cause each, list items keyed', () => {
    const live = csaDeployment(2);
    const e = assertStatus(() => serverSideApply(live, deployment(3, 'nginx:1.28'), { manager: 'helm', force: false, schema: depSchema, now: T1 }), {
      code: 409, reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    });
    assert.deepEqual(e.details?.causes?.map((c) => c.field), ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('a conflict with another applier names it without "using"', () => {
    const live = stored(serverSideApply(undefined, deployment(2), { manager: 'argocd', force: false, schema: depSchema, now: T0 }));
    assertStatus(() => serverSideApply(live, deployment(5), { manager: 'helm', force: false, schema: depSchema, now: T1 }), {
      code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "argocd": .spec.replicas',
    });
  });

  it('a conflict on a list-map item field prints its key', () => {
    const live = stored(serverSideApply(undefined, webService(), { manager: 'a', force: false, schema: svcSchema, now: T0 }));
    assertStatus(() => serverSideApply(live, webService({}, [{ port: 80, targetPort: 9090 }]), { manager: 'b', force: false, schema: svcSchema, now: T1 }), {
      code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "a": .spec.ports[port=80,protocol="TCP"].targetPort',
    });
  });

  it('manager "kubectl" upgrading from client-side apply: fields still equal to last-applied do not conflict', () => {
    const lastApplied = `${JSON.stringify(deployment(2))}\n`;
    const out = serverSideApply(csaDeployment(2, lastApplied), deployment(3), { manager: 'kubectl', force: false, schema: depSchema, now: T1 });
    assert.equal(out.spec.replicas, 3);
    // LastAppliedUpdater rewrote the annotation from the applied object (keys sorted, trailing newline).
    const ann = out.metadata.annotations![LAST_APPLIED_ANNOTATION];
    assert.ok(ann.endsWith('\n'));
    assert.equal(JSON.parse(ann).spec.replicas, 3);
    assert.ok(ann.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":'));
  });

  it('manager "kubectl": a field changed since last-applied still conflicts', () => {
    const lastApplied = `${JSON.stringify(deployment(1))}\n`;
    assertStatus(() => serverSideApply(csaDeployment(2, lastApplied), deployment(3), { manager: 'kubectl', force: false, schema: depSchema, now: T1 }), {
      code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    });
  });
});

describe('serverSideApply: rejected requests', () => {
  const opts = { manager: 'kubectl', force: false, schema: svcSchema, now: T0 };
  it('no field manager: 422 on PatchOptions', () => {
    assertStatus(() => serverSideApply(undefined, webService(), { ...opts, manager: '' }), {
      code: 422, reason: 'Invalid', message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    });
  });
  it('another kind than the endpoint serves: 400 invalid object type', () => {
    assertStatus(() => serverSideApply(undefined, deployment(1), opts), { code: 400, reason: 'BadRequest', message: 'invalid object type: apps/v1, Kind=Deployment' });
  });
  it('a body with managedFields: 400', () => {
    assertStatus(() => serverSideApply(undefined, webService({ managedFields: [] }), opts), { code: 400, reason: 'BadRequest', message: 'metadata.managedFields must be nil' });
  });
  it('a body that is not an object: 400', () => {
    assertStatus(() => serverSideApply(undefined, [1] as unknown as KObject, opts), {
      code: 400, reason: 'BadRequest', message: 'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    });
  });
  const schemaErrors: Array<[string, KObject, string]> = [
    ['an unknown field', webService({}, [{ port: 80 }]) && deepFreeze({ ...structuredClone(webService()), spec: { foo: 1, ports: [{ port: 80 }] } }) as KObject,
      'failed to create typed patch object (default/web; /v1, Kind=Service): .spec.foo: field not declared in schema'],
    ['duplicate owner references (uid defaults to "")', deepFreeze({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', ownerReferences: [{ name: 'x' }, { name: 'y', uid: '' }] } }) as unknown as KObject,
      'failed to create typed patch object (/web; /v1, Kind=Service): .metadata.ownerReferences: duplicate entries for key [uid=""]'],
    ['duplicate ports', webService({}, [{ port: 80 }, { port: 80, protocol: 'TCP' }]),
      'failed to create typed patch object (default/web; /v1, Kind=Service): .spec.ports: duplicate entries for key [port=80,protocol="TCP"]'],
    ['two errors', deepFreeze({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', bogus: 1 }, spec: { foo: 1 } }) as unknown as KObject,
      'failed to create typed patch object (/web; /v1, Kind=Service): errors:\n  .metadata.bogus: field not declared in schema\n  .spec.foo: field not declared in schema'],
    ['a list where a map belongs', deepFreeze({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: ['a'] } }) as unknown as KObject,
      'failed to create typed patch object (/web; /v1, Kind=Service): .metadata.labels: expected map, got &{[a]}'],
  ];
  for (const [name, body, message] of schemaErrors) {
    it(`schema violation (500, no reason): ${name}`, () => {
      assertStatus(() => serverSideApply(undefined, body, opts), { code: 500, reason: '', message });
    });
  }
  it('schema violation (500, no reason): a list-map item without a key that has no default (imagePullSecrets name)', () => {
    const pod = deepFreeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { imagePullSecrets: [{}], containers: [{ name: 'c' }] } }) as unknown as KObject;
    assertStatus(() => serverSideApply(undefined, pod, { ...opts, schema: podSchema }), {
      code: 500, reason: '',
      message: 'failed to create typed patch object (ns/p; /v1, Kind=Pod): .spec.imagePullSecrets: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    });
  });
  it('undecodable managedFields on the live object: 500', () => {
    const live = stored(webService({ managedFields: [{ manager: 'x', operation: 'Bogus', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }] }));
    assertStatus(() => serverSideApply(live, webService(), opts), { code: 500, reason: '', message: 'failed to decode managed fields: operation must be `Apply` or `Update`' });
  });
  it('inputs are never modified', () => {
    const live = stored(serverSideApply(undefined, webService(), opts));
    const body = webService({}, [{ port: 81 }]);
    serverSideApply(live, body, { ...opts, force: true });
  });
});

describe('recordUpdateManagedFields (operation Update)', () => {
  it('kubectl create of a Service: f:labels and f:ports get ".", f:spec does not (compared with the zero Service)', () => {
    const svc = structuredClone({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' },
      status: { loadBalancer: {} },
    }) as KObject;
    recordUpdateManagedFields(undefined, svc, 'kubectl-create', T0);
    assert.deepEqual(svc.metadata.managedFields, [{
      manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {}, '.': {} } },
        'f:spec': {
          'f:internalTrafficPolicy': {},
          'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {}, '.': {} }, '.': {} },
          'f:selector': {}, 'f:sessionAffinity': {}, 'f:type': {},
        },
      },
    }]);
  });

  it('kubectl create of a Deployment: f:containers has no "." (zero template spec has containers: null)', () => {
    const d = structuredClone(deployment(1)) as KObject;
    recordUpdateManagedFields(undefined, d, 'kubectl-create', T0);
    const spec = (d.metadata.managedFields![0].fieldsV1 as Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>)['f:spec']['f:template']['f:spec'];
    assert.deepEqual(Object.keys(spec['f:containers']), ['k:{"name":"nginx"}']);
  });

  it('an update moves changed fields to the updater and leaves the rest with the creator', () => {
    const created = structuredClone(deployment(1)) as KObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-create', T0);
    const live = stored(created);
    const scaled = structuredClone(live) as KObject;
    scaled.spec.replicas = 4;
    recordUpdateManagedFields(live, scaled, 'kubectl-scale', T1);
    assert.deepEqual(entry(scaled, 'kubectl-scale')!.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.equal(entry(scaled, 'kubectl-scale')!.time, T1);
    assert.ok(!JSON.stringify(entry(scaled, 'kubectl-create')!.fieldsV1).includes('f:replicas'));
    assert.deepEqual(entries(scaled).map((e) => e.manager), ['kubectl-create', 'kubectl-scale']);
  });

  it('an update that changes nothing adds no entry and keeps timestamps', () => {
    const created = structuredClone(deployment(1)) as KObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-create', T0);
    const live = stored(created);
    const same = structuredClone(live) as KObject;
    recordUpdateManagedFields(live, same, 'other', T1);
    assert.deepEqual(same.metadata.managedFields, live.metadata.managedFields);
  });

  it('removed fields leave every manager', () => {
    const created = structuredClone(webService({ labels: { app: 'web', x: 'y' } })) as KObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-create', T0);
    const live = stored(created);
    const edited = structuredClone(live) as KObject;
    edited.metadata.labels = { app: 'web' };
    recordUpdateManagedFields(live, edited, 'kubectl-edit', T1);
    assert.ok(!JSON.stringify(edited.metadata.managedFields).includes('f:x'));
    assert.equal(entry(edited, 'kubectl-edit'), undefined);
  });

  it('a status update records the subresource', () => {
    const pod = structuredClone({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } }) as KObject;
    recordUpdateManagedFields(undefined, pod, 'kubectl-run', T0);
    const live = stored(pod);
    const withStatus = structuredClone(live) as KObject;
    withStatus.status = { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] };
    recordUpdateManagedFields(live, withStatus, 'kwok', T1, 'status');
    const e = entry(withStatus, 'kwok')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:phase': {}, 'f:podIPs': { 'k:{"ip":"10.244.0.5"}': { 'f:ip': {}, '.': {} }, '.': {} } } });
  });

  it('an existing object without managedFields is not tracked by updates (SkipNonApplied)', () => {
    const legacy = stored(webService());
    const next = structuredClone(legacy) as KObject;
    next.metadata.labels = { app: 'web', b: 'c' };
    recordUpdateManagedFields(legacy, next, 'kubectl-label', T1);
    assert.equal(next.metadata.managedFields, undefined);
  });

  it(`more than ${MAX_UPDATE_MANAGERS} update managers: the oldest merge into ancient-changes`, () => {
    let live: KObject = structuredClone(webService()) as KObject;
    recordUpdateManagedFields(undefined, live, 'm0', '2024-01-01T00:00:00Z');
    live = stored(live);
    for (let i = 1; i <= 11; i++) {
      const next = structuredClone(live) as KObject;
      next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: 'x' };
      recordUpdateManagedFields(live, next, `m${i}`, `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`);
      live = stored(next);
    }
    const names = entries(live).map((e) => e.manager);
    assert.equal(names.length, MAX_UPDATE_MANAGERS);
    assert.ok(names.includes('ancient-changes'));
    assert.ok(!names.includes('m0') && !names.includes('m1') && names.includes('m11'));
  });

  it('undecodable managedFields are cleared, not thrown', () => {
    const bad = structuredClone(webService({ managedFields: [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'Nope' }] })) as KObject;
    const live = stored(bad);
    const next = structuredClone(live) as KObject;
    recordUpdateManagedFields(live, next, 'y', T1);
    assert.equal(next.metadata.managedFields, undefined);
  });

  it('a client may replace managedFields in its update (they are decoded from the new object)', () => {
    const created = structuredClone(webService()) as KObject;
    recordUpdateManagedFields(undefined, created, 'kubectl-create', T0);
    const live = stored(created);
    const next = structuredClone(live) as KObject;
    next.metadata.managedFields = [{ manager: 'someone', operation: 'Update', apiVersion: 'v1', time: T0, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:selector': {} } } }];
    recordUpdateManagedFields(live, next, 'kubectl-edit', T1);
    assert.deepEqual(entries(next).map((e) => e.manager), ['someone']);
  });
});
