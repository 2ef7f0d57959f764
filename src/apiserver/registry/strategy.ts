// A Strategy is everything kind-specific about writing one resource, as the kube-apiserver's
// RESTCreateStrategy/RESTUpdateStrategy are (pkg/registry/<group>/<kind>/strategy.go). The generic
// store (apiserver/store.ts) does the rest: metadata (uid, timestamps, resourceVersion, generation,
// generateName), generic ObjectMeta validation, namespace lifecycle, optimistic concurrency, storage,
// watch, and mapping errors to metav1.Status.
//
// Order on create (kubernetes-semantics.md §1.1):
//   decode → defaults → beginCreate (allocation; may throw a StatusError) → prepareForCreate →
//   generic ObjectMeta validation + validate → store; on any failure after beginCreate, revert.
// Order on update (PUT, PATCH, apply):
//   decode/patch → defaults → beginUpdate → prepareForUpdate → meta validation + validateUpdate → store.
// Order on a status update (…/status):
//   decode/patch → prepareForStatusUpdate → validateStatusUpdate → store.
// Strategies mutate the object they are given in place and never perform I/O.

import type { KObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import type { FieldError } from '../../api/status.ts';

/** A reservation made before an object is stored. Exactly one of commit or revert is called. */
export interface Allocation {
  commit(): void;
  revert(): void;
}

export const NO_ALLOCATION: Allocation = { commit() {}, revert() {} };

export interface Strategy {
  readonly info: ResourceInfo;

  /** SetDefaults_<Kind> (pkg/apis/<group>/v1/defaults.go). Runs on every object decoded from a body. */
  defaults(obj: KObject): void;

  /** PrepareForCreate: clear status, set server-owned fields (e.g. pod status.phase = Pending). */
  prepareForCreate(obj: KObject): void;

  /** PrepareForUpdate on the main resource: status changes are dropped (copied from old) for kinds with a status subresource. */
  prepareForUpdate(obj: KObject, old: KObject): void;

  /** Kind-specific validation on create. Generic ObjectMeta errors are computed by the store and come first. */
  validate(obj: KObject): FieldError[];

  /** Kind-specific validation on update (immutability rules and then the create rules). */
  validateUpdate(obj: KObject, old: KObject): FieldError[];

  /** For `…/status` writes: keep everything but status from old. */
  prepareForStatusUpdate?(obj: KObject, old: KObject): void;
  validateStatusUpdate?(obj: KObject, old: KObject): FieldError[];

  /**
   * Allocation hooks (Service ClusterIPs and NodePorts). beginCreate/beginUpdate run before
   * validation and may throw a StatusError (e.g. 422 "provided IP is already allocated").
   * beginUpdate also copies allocated values that the new object omits (patchAllocatedValues).
   */
  beginCreate?(obj: KObject): Allocation;
  beginUpdate?(obj: KObject, old: KObject): Allocation;
  /** Releases whatever the object held, once its deletion is stored. */
  afterDelete?(obj: KObject): void;
  /** Rebuilds in-memory state (allocator bitmaps) from the stored objects at startup. */
  init?(existing: KObject[]): void;

  /** Warning headers for a write (`299 - "<text>"`), e.g. deprecated fields. */
  warnings?(obj: KObject, old?: KObject): string[];

  /** Whether a change from old to obj counts as a spec change (bumps metadata.generation). Default: `spec` differs. */
  specChanged?(obj: KObject, old: KObject): boolean;

  /** Default propagation policy when a delete request names none. Default 'Background'. */
  defaultPropagation?: 'Background' | 'Orphan' | 'Foreground';
}

export interface RegistryConfig {
  /** Service CIDR for ClusterIPs, e.g. "10.96.0.0/12". */
  serviceCIDR: string;
  /** NodePort range, inclusive: default 30000–32767. */
  nodePortRange: { min: number; max: number };
}
