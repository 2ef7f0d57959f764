// Namespace strategy (pkg/registry/core/namespace/strategy.go, pkg/apis/core/v1/defaults.go,
// ValidateNamespace*). kubernetes-semantics.md §9. Deletion (Terminating, finalize) is the store's.

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import { LABEL_METADATA_NAME } from '../../api/types/namespace.ts';
import { keepAllButStatus } from './generic.ts';
import { FINALIZER_KUBERNETES, validateFinalizerName } from './meta.ts';
import type { Strategy } from './strategy.ts';
import { isObj } from './util.ts';

/** SetDefaults_Namespace / the strategy's Canonicalize: label kubernetes.io/metadata.name = name. */
function canonicalizeLabel(obj: KObject): void {
  const name = obj.metadata?.name;
  if (!name || typeof name !== 'string') return;
  obj.metadata.labels = { ...(isObj(obj.metadata.labels) ? obj.metadata.labels : {}), [LABEL_METADATA_NAME]: name };
}

/** SetDefaults_Namespace + SetDefaults_NamespaceStatus (phase Active when unset). */
export function setDefaultsNamespace(obj: KObject): void {
  canonicalizeLabel(obj);
  if (isObj(obj.status) && !obj.status.phase) obj.status.phase = 'Active';
}

/** spec.finalizers entries: qualified names, and standard unless fully qualified. */
export function validateNamespaceFinalizers(obj: KObject): FieldError[] {
  const fins = isObj(obj.spec) ? obj.spec.finalizers : undefined;
  if (fins === undefined || fins === null) return [];
  if (!Array.isArray(fins)) return [field.invalid('spec.finalizers', fins, 'must be a list of strings')];
  return fins.flatMap((f: unknown) => validateFinalizerName(String(f), 'spec.finalizers'));
}

/** ValidateNamespaceStatusUpdate: the phase must follow deletionTimestamp. */
export function validateNamespaceStatusUpdate(obj: KObject): FieldError[] {
  const phase = isObj(obj.status) ? obj.status.phase ?? '' : '';
  if (!obj.metadata?.deletionTimestamp) {
    if (phase !== 'Active') return [field.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  } else if (phase !== 'Terminating') {
    return [field.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  }
  return [];
}

export function namespaceStrategy(): Strategy {
  const info = findResource('', 'v1', 'namespaces')!;
  return {
    info,
    defaults: setDefaultsNamespace,
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      const spec = isObj(obj.spec) ? obj.spec : {};
      const fins: string[] = Array.isArray(spec.finalizers) ? spec.finalizers as string[] : [];
      obj.spec = { ...spec, finalizers: fins.includes(FINALIZER_KUBERNETES) ? fins : [...fins, FINALIZER_KUBERNETES] };
      canonicalizeLabel(obj);
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers changes only through …/finalize; status only through …/status.
      obj.spec = { ...(isObj(obj.spec) ? obj.spec : {}) };
      if (old.spec?.finalizers === undefined) delete obj.spec.finalizers;
      else obj.spec.finalizers = structuredClone(old.spec.finalizers);
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
      canonicalizeLabel(obj);
    },
    validate: validateNamespaceFinalizers,
    validateUpdate(): FieldError[] { return []; },
    prepareForStatusUpdate(obj, old) {
      keepAllButStatus(obj, old);
      canonicalizeLabel(obj);
    },
    validateStatusUpdate: validateNamespaceStatusUpdate,
  };
}
