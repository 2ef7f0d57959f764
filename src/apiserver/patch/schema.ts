// The type information both merge mechanisms need, for every kind kubedisco serves:
// - strategic merge patch reads the Go struct tags `patchStrategy` / `patchMergeKey` (k8s.io/api v0.32 types.go,
//   looked up by strategicpatch through forkedjson.LookupPatchMetadata);
// - server-side apply reads the structured-merge-diff schema (list types map/set/atomic with their keys and key
//   defaults, atomic structs and maps), the one client-go ships in applyconfigurations/internal/internal.go.
//
// The field lists themselves come from src/api/schema/types.ts (the k8s.io/api v1.32 json tags, also used for strict
// field validation); this file overlays the tags. Lists without an overlay are atomic for SSA and replaced by SMP, as
// upstream. Sources checked: kubernetes staging/src/k8s.io/client-go/applyconfigurations/internal/internal.go
// (io.k8s.api.core.v1.*, apps.v1.*, discovery.v1.*, meta.v1.*) and core/v1 types.go struct tags (e.g. PodStatus:
// conditions patchMergeKey=type, podIPs/hostIPs patchMergeKey=ip, containerStatuses without a patch strategy).

import { TYPES, ROOTS } from '../../api/schema/types.ts';
import { findKind } from '../../api/resources.ts';
import type { JsonObject, JsonValue } from './json.ts';

export type NodeKind = 'struct' | 'map' | 'list' | 'scalar' | 'free' | 'deduced';

/**
 * A type in the schema graph. `struct`: a Go struct (declared fields); `map`: map[string]T; `list`: []T;
 * `scalar`: any JSON scalar; `free`: an opaque value (runtime.RawExtension, FieldsV1), atomic for SSA;
 * `deduced`: no schema (objects are maps of deduced values, lists are atomic).
 */
export interface SchemaNode {
  readonly kind: NodeKind;
  /** Go type name of a struct (used in upstream messages). */
  readonly name?: string;
  readonly fields?: ReadonlyMap<string, SchemaField>;
  /** List item or map value type. */
  readonly elem?: SchemaNode;
  /** SSA: `+structType=atomic` / `+mapType=atomic`: the whole value is one leaf. */
  readonly atomic?: boolean;
  /** SSA list relationship (`+listType`); absent on a list means atomic. */
  readonly listType?: 'atomic' | 'set' | 'map';
  /** SSA `+listMapKey`s of a `map` list. */
  readonly listMapKeys?: readonly string[];
}

export interface SchemaField {
  readonly type: SchemaNode;
  /** SMP `patchStrategy`: merge (lists by key, primitive lists as sets) or replace. */
  readonly patchStrategy?: 'merge' | 'replace';
  /** SMP `patchStrategy:"...,retainKeys"`. */
  readonly retainKeys?: boolean;
  /** SMP `patchMergeKey`. */
  readonly patchMergeKey?: string;
  /** OpenAPI default of the field; SSA uses it for a list-map key an item omits (ports' protocol: TCP). */
  readonly default?: JsonValue;
}

/** Everything the patch functions need to know about one kind. */
export interface SmpSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly root: SchemaNode;
  /**
   * Fields the registry strategy resets (GetResetFields) and that no manager ever owns, keyed by subresource
   * ('' = the main resource).
   */
  readonly resetFields: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * The kind's Go zero value as runtime.DefaultUnstructuredConverter renders it: the "live" object of a create, against
   * which the creator's managed fields are computed (non-pointer structs are {}, non-omitempty slices are null).
   */
  readonly zero: JsonObject;
}

export const SCALAR: SchemaNode = Object.freeze({ kind: 'scalar' as const });
export const FREE: SchemaNode = Object.freeze({ kind: 'free' as const, name: 'RawExtension' });
export const DEDUCED: SchemaNode = Object.freeze({ kind: 'deduced' as const });

/** Tags overlaid on one `Type.field`. */
export interface FieldTags {
  patchStrategy?: 'merge' | 'replace';
  retainKeys?: boolean;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  /** `+mapType=atomic` on a map field. */
  mapAtomic?: boolean;
  default?: JsonValue;
}

export interface SchemaTables {
  /** DSL of src/api/schema/types.ts: `name`, `name:T`, `name:[T]`, `name:[]`, `name:{}`, `name:{T}`, `name:*`. */
  types: Readonly<Record<string, string>>;
  tags?: Readonly<Record<string, FieldTags>>;
  /** Struct types that are `+structType=atomic`. */
  atomicStructs?: readonly string[];
}

/** Compiles a DSL type table into schema nodes (cycles are fine: a struct may contain itself). */
export function compileTypes(tables: SchemaTables): ReadonlyMap<string, SchemaNode> {
  const atomic = new Set(tables.atomicStructs ?? []);
  const nodes = new Map<string, { kind: 'struct'; name: string; fields: Map<string, SchemaField>; atomic?: boolean }>();
  for (const name of Object.keys(tables.types)) {
    nodes.set(name, { kind: 'struct', name, fields: new Map(), ...(atomic.has(name) ? { atomic: true } : {}) });
  }
  const ref = (t: string, owner: string): SchemaNode => {
    const n = nodes.get(t);
    if (!n) throw new Error(`patch schema: ${owner} refers to unknown type ${t}`);
    return n;
  };
  for (const [name, spec] of Object.entries(tables.types)) {
    const node = nodes.get(name)!;
    for (const tok of spec.split(' ')) {
      if (!tok) continue;
      const colon = tok.indexOf(':');
      const field = colon < 0 ? tok : tok.slice(0, colon);
      const t = colon < 0 ? '' : tok.slice(colon + 1);
      const tags = tables.tags?.[`${name}.${field}`] ?? {};
      let type: SchemaNode;
      if (t === '') type = SCALAR;
      else if (t === '*') type = FREE;
      else if (t.startsWith('[') && t.endsWith(']')) {
        const elem = t === '[]' ? SCALAR : ref(t.slice(1, -1), name);
        type = {
          kind: 'list', elem, listType: tags.listType ?? 'atomic',
          ...(tags.listMapKeys ? { listMapKeys: tags.listMapKeys } : {}),
        };
      } else if (t.startsWith('{') && t.endsWith('}')) {
        const elem = t === '{}' ? SCALAR : ref(t.slice(1, -1), name);
        type = { kind: 'map', elem, ...(tags.mapAtomic ? { atomic: true } : {}) };
      } else type = ref(t, name);
      node.fields.set(field, {
        type,
        ...(tags.patchStrategy ? { patchStrategy: tags.patchStrategy } : {}),
        ...(tags.retainKeys ? { retainKeys: true } : {}),
        ...(tags.patchMergeKey ? { patchMergeKey: tags.patchMergeKey } : {}),
        ...(tags.default !== undefined ? { default: tags.default } : {}),
      });
    }
  }
  return nodes;
}

// ---- Kubernetes v1.32 tags ------------------------------------------------------------------------------------------

/** SMP merge by `key`, SSA list-map with `ssaKeys` (the +listMapKey set, which can be wider than patchMergeKey). */
const merged = (key: string, ssaKeys: readonly string[] = [key], retainKeys = false): FieldTags =>
  ({ patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: ssaKeys, ...(retainKeys ? { retainKeys } : {}) });
/** SMP merge of a primitive list (set union), SSA set. */
const primitiveSet: FieldTags = { patchStrategy: 'merge', listType: 'set' };

const CONTAINER_TAGS = (t: string): Record<string, FieldTags> => ({
  [`${t}.ports`]: merged('containerPort', ['containerPort', 'protocol']),
  [`${t}.env`]: merged('name'),
  [`${t}.volumeMounts`]: merged('mountPath'),
  [`${t}.volumeDevices`]: merged('devicePath'),
  [`${t}.name`]: { default: '' },
});

/** Overlays keyed `GoType.jsonField`. Field defaults only matter where the field is a list-map key. */
export const K8S_TAGS: Readonly<Record<string, FieldTags>> = {
  // meta/v1 ObjectMeta
  'ObjectMeta.finalizers': primitiveSet,
  'ObjectMeta.ownerReferences': merged('uid'),
  'OwnerReference.uid': { default: '' },
  // core/v1 PodSpec and containers
  'PodSpec.volumes': merged('name', ['name'], true),
  'PodSpec.initContainers': merged('name'),
  'PodSpec.containers': merged('name'),
  'PodSpec.ephemeralContainers': merged('name'),
  'PodSpec.imagePullSecrets': merged('name'),
  'PodSpec.hostAliases': merged('ip'),
  'PodSpec.topologySpreadConstraints': merged('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  'PodSpec.schedulingGates': merged('name'),
  'PodSpec.resourceClaims': merged('name', ['name'], true),
  'PodSpec.nodeSelector': { mapAtomic: true },
  ...CONTAINER_TAGS('Container'),
  ...CONTAINER_TAGS('EphemeralContainer'),
  'ContainerPort.containerPort': { default: 0 },
  'ContainerPort.protocol': { default: 'TCP' },
  'EnvVar.name': { default: '' },
  'VolumeMount.mountPath': { default: '' },
  'VolumeDevice.devicePath': { default: '' },
  'Volume.name': { default: '' },
  'TopologySpreadConstraint.topologyKey': { default: '' },
  'TopologySpreadConstraint.whenUnsatisfiable': { default: '' },
  'PodSchedulingGate.name': { default: '' },
  'PodResourceClaim.name': { default: '' },
  'ResourceRequirements.claims': { listType: 'map', listMapKeys: ['name'] },
  'ResourceClaim.name': { default: '' },
  // core/v1 PodStatus: containerStatuses has no patch strategy (replaced whole) and is atomic for SSA; hostIPs merges
  // by ip for SMP but is +listType=atomic.
  'PodStatus.conditions': merged('type'),
  'PodCondition.type': { default: '' },
  'PodStatus.podIPs': merged('ip'),
  'PodStatus.hostIPs': { patchStrategy: 'merge', patchMergeKey: 'ip' },
  'PodStatus.resourceClaimStatuses': merged('name', ['name'], true),
  'PodResourceClaimStatus.name': { default: '' },
  'ContainerStatus.volumeMounts': merged('mountPath'),
  'VolumeMountStatus.mountPath': { default: '' },
  'ContainerStatus.allocatedResourcesStatus': merged('name'),
  'ResourceStatus.name': { default: '' },
  // core/v1 Service
  'ServiceSpec.ports': merged('port', ['port', 'protocol']),
  'ServicePort.port': { default: 0 },
  'ServicePort.protocol': { default: 'TCP' },
  'ServiceSpec.selector': { mapAtomic: true },
  'ServiceStatus.conditions': merged('type'),
  'Condition.type': { default: '' },
  // core/v1 Namespace, Node
  'NamespaceStatus.conditions': merged('type'),
  'NamespaceCondition.type': { default: '' },
  'NodeSpec.podCIDRs': primitiveSet,
  'NodeStatus.addresses': merged('type'),
  'NodeAddress.type': { default: '' },
  'NodeStatus.conditions': merged('type'),
  'NodeCondition.type': { default: '' },
  // apps/v1
  'DeploymentSpec.strategy': { retainKeys: true },
  'DeploymentStatus.conditions': merged('type'),
  'DeploymentCondition.type': { default: '' },
  'StatefulSetStatus.conditions': merged('type'),
  'StatefulSetCondition.type': { default: '' },
  'ReplicaSetStatus.conditions': merged('type'),
  'ReplicaSetCondition.type': { default: '' },
  'PersistentVolumeClaimStatus.conditions': merged('type'),
  'PersistentVolumeClaimCondition.type': { default: '' },
  // discovery/v1
  'Endpoint.addresses': { listType: 'set' },
};

/** `+structType=atomic` structs reachable from our kinds (internal.go `elementRelationship: atomic` on a map type). */
export const K8S_ATOMIC_STRUCTS: readonly string[] = [
  'LabelSelector', 'ObjectReference', 'LocalObjectReference', 'OwnerReference', 'NodeSelector', 'NodeSelectorTerm',
  'ConfigMapKeySelector', 'SecretKeySelector', 'ObjectFieldSelector', 'ResourceFieldSelector',
  'TypedLocalObjectReference', 'EndpointAddress', 'EndpointPort',
];

// ---- per kind: zero values and reset fields -----------------------------------------------------------------------

const META_ZERO = (): JsonObject => ({ creationTimestamp: null });
const TEMPLATE_ZERO = (): JsonObject => ({ metadata: META_ZERO(), spec: { containers: null } });

/** Map- and list-valued members of each kind's Go zero value (scalars do not affect ownership, so they are left out). */
const ZERO: Readonly<Record<string, () => JsonObject>> = {
  Namespace: () => ({ metadata: META_ZERO(), spec: {}, status: {} }),
  Node: () => ({ metadata: META_ZERO(), spec: {}, status: { daemonEndpoints: { kubeletEndpoint: { Port: 0 } }, nodeInfo: {} } }),
  Pod: () => ({ metadata: META_ZERO(), spec: { containers: null }, status: {} }),
  Service: () => ({ metadata: META_ZERO(), spec: {}, status: { loadBalancer: {} } }),
  Endpoints: () => ({ metadata: META_ZERO() }),
  Event: () => ({ metadata: META_ZERO(), involvedObject: {}, source: {} }),
  ConfigMap: () => ({ metadata: META_ZERO() }),
  EndpointSlice: () => ({ metadata: META_ZERO(), endpoints: null, ports: null }),
  StatefulSet: () => ({ metadata: META_ZERO(), spec: { selector: null, template: TEMPLATE_ZERO(), updateStrategy: {} }, status: {} }),
  Deployment: () => ({ metadata: META_ZERO(), spec: { selector: null, template: TEMPLATE_ZERO(), strategy: {} }, status: {} }),
  ReplicaSet: () => ({ metadata: META_ZERO(), spec: { selector: null, template: TEMPLATE_ZERO() }, status: {} }),
  ControllerRevision: () => ({ metadata: META_ZERO() }),
  Lease: () => ({ metadata: META_ZERO(), spec: {} }),
  Scale: () => ({ metadata: META_ZERO(), spec: {}, status: {} }),
};

/** GetResetFields of the registry strategies (pkg/registry/*: main strategy resets status; status strategy resets spec). */
const RESET: Readonly<Record<string, Record<string, string[][]>>> = {
  Pod: { '': [['status']], status: [['spec'], ['metadata', 'deletionTimestamp'], ['metadata', 'ownerReferences']] },
  Deployment: { '': [['status']], status: [['spec'], ['metadata', 'labels']] },
};

let k8sNodes: ReadonlyMap<string, SchemaNode> | undefined;
const cache = new Map<string, SmpSchema>();

function k8s(): ReadonlyMap<string, SchemaNode> {
  k8sNodes ??= compileTypes({ types: TYPES, tags: K8S_TAGS, atomicStructs: K8S_ATOMIC_STRUCTS });
  return k8sNodes;
}

/**
 * The schema of `apiVersion`/`kind`. Every kind in src/api/resources.ts (and autoscaling/v1 Scale) has one; any other
 * kind gets a deduced schema (maps merge, lists are atomic / replaced), like structured-merge-diff's DeducedParseableType.
 */
export function smpSchemaFor(apiVersion: string, kind: string): SmpSchema {
  const id = `${apiVersion}/${kind}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const typeName = ROOTS[id];
  const root = typeName ? k8s().get(typeName) : undefined;
  const info = findKind(apiVersion, kind);
  const reset = RESET[kind] && root ? RESET[kind] : info?.hasStatus ? { '': [['status']], status: [['spec']] } : { '': [] };
  const schema: SmpSchema = Object.freeze({
    apiVersion, kind,
    root: root ?? DEDUCED,
    resetFields: reset,
    zero: root && ZERO[kind] ? ZERO[kind]() : { metadata: META_ZERO() },
  });
  cache.set(id, schema);
  return schema;
}

/** A schema for ad-hoc types (tests, future kinds): `root` names a struct of `tables.types`. */
export function customSchema(tables: SchemaTables, root: string, opts: Partial<Pick<SmpSchema, 'apiVersion' | 'kind' | 'resetFields' | 'zero'>> = {}): SmpSchema {
  const node = compileTypes(tables).get(root);
  if (!node) throw new Error(`patch schema: unknown root type ${root}`);
  return Object.freeze({
    apiVersion: opts.apiVersion ?? '', kind: opts.kind ?? root, root: node,
    resetFields: opts.resetFields ?? { '': [] }, zero: opts.zero ?? {},
  });
}

/** The schema node of a dotted path below the root, stepping through lists and maps (for tests and diagnostics). */
export function nodeAt(schema: SmpSchema, path: string): SchemaNode | undefined {
  let n: SchemaNode | undefined = schema.root;
  for (const part of path ? path.split('.') : []) {
    while (n && (n.kind === 'list' || n.kind === 'map')) n = n.elem;
    n = n?.kind === 'struct' ? n.fields?.get(part)?.type : undefined;
  }
  return n;
}

/** The field metadata of a dotted path (its last segment), e.g. `spec.template.spec.containers`. */
export function fieldAt(schema: SmpSchema, path: string): SchemaField | undefined {
  const parts = path.split('.');
  const last = parts.pop()!;
  let n = nodeAt(schema, parts.join('.'));
  while (n && (n.kind === 'list' || n.kind === 'map')) n = n.elem;
  return n?.kind === 'struct' ? n.fields?.get(last) : undefined;
}
