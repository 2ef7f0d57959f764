// ReplicaSets: SetDefaults_ReplicaSet, pkg/apis/apps/validation ValidateReplicaSetSpec/Status,
// pkg/registry/apps/replicaset/strategy.go (selector immutable in apps/v1). kube-apiserver v1.32.
// kubernetes-semantics.md §6.

import type { KObject } from '../../../api/meta.ts';
import { findResource } from '../../../api/resources.ts';
import { field, type FieldError } from '../../../api/status.ts';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../../api/validation.ts';
import type { Strategy } from '../strategy.ts';
import { child, defaultPodTemplateSpec, isObject, podTemplateWarnings, semanticEqual } from '../podspec.ts';
import {
  goLabelSelector, int, labelSelectorAsSelector, validatePodTemplateSpecForReplicaSet, validateSpecSelector, zeroFields, type Obj,
} from './common.ts';

const INFO = findResource('apps', 'v1', 'replicasets')!;

function specOf(o: KObject): Obj { return isObject(o.spec) ? o.spec : {}; }

/** SetDefaults_ReplicaSet: replicas 1. Plus the pod template defaults. */
export function defaultReplicaSet(obj: KObject): void {
  if (!isObject(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  if (!isObject(s.template)) s.template = {};
  defaultPodTemplateSpec(s.template);
}

/** ValidateReplicaSetSpec. Its empty-selector message says "deployment", as kube's does. */
export function validateReplicaSetSpec(spec: unknown, fld = 'spec'): FieldError[] {
  const s: Obj = isObject(spec) ? spec : {};
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(int(s.replicas), child(fld, 'replicas')));
  errs.push(...validateNonnegativeField(int(s.minReadySeconds), child(fld, 'minReadySeconds')));
  errs.push(...validateSpecSelector(s.selector, child(fld, 'selector'), 'deployment'));
  const selector = labelSelectorAsSelector(s.selector);
  if (!selector) errs.push(field.invalid(child(fld, 'selector'), goLabelSelector(s.selector), 'invalid label selector'));
  else errs.push(...validatePodTemplateSpecForReplicaSet(s.template, selector, child(fld, 'template')));
  return errs;
}

/** ValidateReplicaSetStatus. */
export function validateReplicaSetStatus(status: unknown, fld = 'status'): FieldError[] {
  const st: Obj = isObject(status) ? status : {};
  const errs: FieldError[] = [];
  for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
    errs.push(...validateNonnegativeField(int(st[k]), child(fld, k)));
  }
  const msg = 'cannot be greater than status.replicas';
  const replicas = int(st.replicas);
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if (int(st[k]) > replicas) errs.push(field.invalid(child(fld, k), int(st[k]), msg));
  }
  if (int(st.availableReplicas) > int(st.readyReplicas)) {
    errs.push(field.invalid(child(fld, 'availableReplicas'), int(st.availableReplicas), 'cannot be greater than readyReplicas'));
  }
  return errs;
}

export function replicaSetStrategy(): Strategy {
  return {
    info: INFO,

    defaults: defaultReplicaSet,

    prepareForCreate(obj) {
      obj.status = { replicas: 0 };
    },

    prepareForUpdate(obj, old) {
      obj.status = structuredClone(old.status);
    },

    validate(obj) {
      return validateReplicaSetSpec(obj.spec);
    },

    validateUpdate(obj, old) {
      const errs = validateReplicaSetSpec(obj.spec);
      const sel = specOf(obj).selector, oldSel = specOf(old).selector;
      if (!semanticEqual(sel, oldSel) || (sel == null) !== (oldSel == null)) errs.push(field.invalid('spec.selector', sel == null ? null : goLabelSelector(sel), FIELD_IMMUTABLE_ERROR_MSG));
      return errs;
    },

    prepareForStatusUpdate(obj, old) {
      // rsStatusStrategy.PrepareForUpdate keeps only the spec.
      obj.spec = structuredClone(old.spec);
      if (!isObject(obj.status)) obj.status = {};
      zeroFields(obj.status, ['replicas']);
    },

    validateStatusUpdate(obj) {
      return validateReplicaSetStatus(obj.status);
    },

    warnings(obj, old) {
      if (old && semanticEqual(obj.spec, old.spec)) return [];
      return podTemplateWarnings(specOf(obj).template, 'spec.template');
    },

    specChanged(obj, old) {
      return !semanticEqual(obj.spec, old.spec);
    },
  };
}
