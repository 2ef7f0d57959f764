// The patch schemas: every served kind is covered, the overlay tables name real fields, and the merge keys / list
// types are those of the k8s.io/api v0.32 struct tags and client-go's SSA schema (kubectl-compatibility.md §8).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, apiVersionOf } from '../../api/resources.ts';
import { TYPES } from '../../api/schema/types.ts';
import { K8S_ATOMIC_STRUCTS, K8S_TAGS, fieldAt, nodeAt, smpSchemaFor, DEDUCED } from './schema.ts';

describe('smpSchemaFor: coverage', () => {
  for (const r of RESOURCES) {
    it(`${apiVersionOf(r)} ${r.kind} has a typed schema`, () => {
      const s = smpSchemaFor(apiVersionOf(r), r.kind);
      assert.equal(s.root.kind, 'struct');
      assert.equal(s.root.name, r.kind);
      assert.ok(nodeAt(s, 'metadata')?.kind === 'struct');
      assert.deepEqual(s.resetFields[''], r.hasStatus ? [['status']] : []);
    });
  }
  it('an unknown kind gets a deduced schema (maps merge, lists are atomic)', () => {
    const s = smpSchemaFor('example.com/v1', 'Widget');
    assert.equal(s.root, DEDUCED);
  });
  it('schemas are cached per kind', () => {
    assert.equal(smpSchemaFor('v1', 'Pod'), smpSchemaFor('v1', 'Pod'));
  });
  it('every overlay key names a declared Type.field, every atomic struct exists', () => {
    for (const key of Object.keys(K8S_TAGS)) {
      const [type, field] = key.split('.');
      assert.ok(TYPES[type], `${key}: no type ${type}`);
      assert.ok(TYPES[type].split(' ').some((tok) => tok === field || tok.startsWith(`${field}:`)), `${key}: ${type} has no field ${field}`);
    }
    for (const t of K8S_ATOMIC_STRUCTS) assert.ok(TYPES[t], `atomic struct ${t} is not in the table`);
  });
});

describe('smpSchemaFor: merge keys and list types (§8, internal.go)', () => {
  type Row = [kind: string, apiVersion: string, path: string, smp: string, ssa: string];
  // smp: "merge:<key>", "merge" (primitive set), "retainKeys", "merge,retainKeys:<key>" or "-" (replace); ssa: map[k1,k2] | set | atomic.
  const rows: Row[] = [
    ['Pod', 'v1', 'metadata.ownerReferences', 'merge:uid', 'map[uid]'],
    ['Pod', 'v1', 'metadata.finalizers', 'merge', 'set'],
    ['Pod', 'v1', 'metadata.managedFields', '-', 'atomic'],
    ['Pod', 'v1', 'spec.containers', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.initContainers', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.ephemeralContainers', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.volumes', 'merge,retainKeys:name', 'map[name]'],
    ['Pod', 'v1', 'spec.imagePullSecrets', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.hostAliases', 'merge:ip', 'map[ip]'],
    ['Pod', 'v1', 'spec.topologySpreadConstraints', 'merge:topologyKey', 'map[topologyKey,whenUnsatisfiable]'],
    ['Pod', 'v1', 'spec.schedulingGates', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.resourceClaims', 'merge,retainKeys:name', 'map[name]'],
    ['Pod', 'v1', 'spec.tolerations', '-', 'atomic'],
    ['Pod', 'v1', 'spec.readinessGates', '-', 'atomic'],
    ['Pod', 'v1', 'spec.containers.ports', 'merge:containerPort', 'map[containerPort,protocol]'],
    ['Pod', 'v1', 'spec.containers.env', 'merge:name', 'map[name]'],
    ['Pod', 'v1', 'spec.containers.volumeMounts', 'merge:mountPath', 'map[mountPath]'],
    ['Pod', 'v1', 'spec.containers.volumeDevices', 'merge:devicePath', 'map[devicePath]'],
    ['Pod', 'v1', 'spec.containers.args', '-', 'atomic'],
    ['Pod', 'v1', 'spec.containers.envFrom', '-', 'atomic'],
    ['Pod', 'v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['Pod', 'v1', 'status.podIPs', 'merge:ip', 'map[ip]'],
    ['Pod', 'v1', 'status.hostIPs', 'merge:ip', 'atomic'],
    ['Pod', 'v1', 'status.containerStatuses', '-', 'atomic'],
    ['Pod', 'v1', 'status.initContainerStatuses', '-', 'atomic'],
    ['Service', 'v1', 'spec.ports', 'merge:port', 'map[port,protocol]'],
    ['Service', 'v1', 'spec.clusterIPs', '-', 'atomic'],
    ['Service', 'v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['Namespace', 'v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['Namespace', 'v1', 'spec.finalizers', '-', 'atomic'],
    ['Node', 'v1', 'spec.podCIDRs', 'merge', 'set'],
    ['Node', 'v1', 'status.addresses', 'merge:type', 'map[type]'],
    ['Node', 'v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['Node', 'v1', 'spec.taints', '-', 'atomic'],
    ['Endpoints', 'v1', 'subsets', '-', 'atomic'],
    ['EndpointSlice', 'discovery.k8s.io/v1', 'endpoints', '-', 'atomic'],
    ['EndpointSlice', 'discovery.k8s.io/v1', 'ports', '-', 'atomic'],
    ['Deployment', 'apps/v1', 'spec.strategy', 'retainKeys', '-'],
    ['Deployment', 'apps/v1', 'spec.template.spec.containers', 'merge:name', 'map[name]'],
    ['Deployment', 'apps/v1', 'spec.template.spec.containers.ports', 'merge:containerPort', 'map[containerPort,protocol]'],
    ['Deployment', 'apps/v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['StatefulSet', 'apps/v1', 'spec.template.spec.volumes', 'merge,retainKeys:name', 'map[name]'],
    ['StatefulSet', 'apps/v1', 'spec.volumeClaimTemplates', '-', 'atomic'],
    ['StatefulSet', 'apps/v1', 'status.conditions', 'merge:type', 'map[type]'],
    ['ReplicaSet', 'apps/v1', 'spec.template.spec.containers.env', 'merge:name', 'map[name]'],
    ['ReplicaSet', 'apps/v1', 'status.conditions', 'merge:type', 'map[type]'],
  ];
  for (const [kind, apiVersion, path, smp, ssa] of rows) {
    it(`${kind} ${path}: SMP ${smp}, SSA ${ssa}`, () => {
      const f = fieldAt(smpSchemaFor(apiVersion, kind), path);
      assert.ok(f, `no field ${path}`);
      const strategy = [f.patchStrategy, f.retainKeys ? 'retainKeys' : ''].filter(Boolean).join(',');
      assert.equal(strategy ? `${strategy}${f.patchMergeKey ? `:${f.patchMergeKey}` : ''}` : '-', smp);
      const t = f.type;
      const got = t.kind !== 'list' ? '-' : t.listType === 'map' ? `map[${(t.listMapKeys ?? []).join(',')}]` : t.listType;
      assert.equal(got, ssa);
    });
  }

  it('atomic structs and maps (LabelSelector, ObjectReference, OwnerReference, Service selector, nodeSelector)', () => {
    const dep = smpSchemaFor('apps/v1', 'Deployment');
    assert.equal(nodeAt(dep, 'spec.selector')?.atomic, true);
    assert.equal(nodeAt(dep, 'spec.template.spec.nodeSelector')?.atomic, true);
    assert.equal(nodeAt(dep, 'metadata.ownerReferences')?.elem?.atomic, true);
    assert.equal(nodeAt(dep, 'spec.template.spec.containers')?.elem?.atomic, undefined);
    assert.equal(nodeAt(smpSchemaFor('v1', 'Service'), 'spec.selector')?.atomic, true);
    assert.equal(nodeAt(smpSchemaFor('v1', 'Event'), 'involvedObject')?.atomic, true);
    assert.equal(nodeAt(smpSchemaFor('v1', 'ConfigMap'), 'data')?.kind, 'map');
    assert.equal(nodeAt(smpSchemaFor('apps/v1', 'ControllerRevision'), 'data')?.kind, 'free');
  });

  it('list-map key defaults (protocol TCP for ports, "" for names)', () => {
    const svc = smpSchemaFor('v1', 'Service');
    assert.equal(fieldAt(svc, 'spec.ports.protocol')?.default, 'TCP');
    assert.equal(fieldAt(svc, 'spec.ports.port')?.default, 0);
    const pod = smpSchemaFor('v1', 'Pod');
    assert.equal(fieldAt(pod, 'spec.containers.ports.protocol')?.default, 'TCP');
    assert.equal(fieldAt(pod, 'spec.containers.name')?.default, '');
    assert.equal(fieldAt(pod, 'status.podIPs.ip')?.default, undefined);
  });

  it('reset fields of the status subresources (registry GetResetFields)', () => {
    assert.deepEqual(smpSchemaFor('v1', 'Pod').resetFields.status, [['spec'], ['metadata', 'deletionTimestamp'], ['metadata', 'ownerReferences']]);
    assert.deepEqual(smpSchemaFor('apps/v1', 'Deployment').resetFields.status, [['spec'], ['metadata', 'labels']]);
    assert.deepEqual(smpSchemaFor('apps/v1', 'StatefulSet').resetFields.status, [['spec']]);
    assert.deepEqual(smpSchemaFor('v1', 'ConfigMap').resetFields, { '': [] });
  });
});
