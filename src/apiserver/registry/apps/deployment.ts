// Deployments: pkg/apis/apps/v1/defaults.go SetDefaults_Deployment, pkg/apis/apps/validation
// ValidateDeploymentSpec/Status, pkg/registry/apps/deployment/strategy.go (selector immutable in apps/v1,
// generation bumped by spec or annotation changes). kube-apiserver v1.32. kubernetes-semantics.md §6.

import type { KObject } from '../../../api/meta.ts';
import { findResource } from '../../../api/resources.ts';
import { field, GoLiteral, goQuote, type FieldError } from '../../../api/status.ts';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../../api/validation.ts';
import type { Strategy } from '../strategy.ts';
import { child, defaultPodTemplateSpec, isObject, notSupported, podTemplateWarnings, semanticEqual } from '../podspec.ts';
import {
  goIntOrString, goLabelSelector, goPointer, int, intOrPercentValue, isNotMoreThan100Percent, labelSelectorAsSelector, str,
  validateCollisionCount, validatePodTemplateSpecForReplicaSet, validatePositiveIntOrPercent, validateSpecSelector, type Obj,
} from './common.ts';

const INFO = findResource('apps', 'v1', 'deployments')!;

function specOf(o: KObject): Obj { return isObject(o.spec) ? o.spec : {}; }

/**
 * SetDefaults_Deployment: replicas 1; strategy RollingUpdate with maxUnavailable and maxSurge "25%";
 * revisionHistoryLimit 10; progressDeadlineSeconds 600. Plus the pod template defaults.
 */
export function defaultDeployment(obj: KObject): void {
  if (!isObject(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  if (!isObject(s.strategy)) s.strategy = {};
  const st = s.strategy;
  if (!st.type) st.type = 'RollingUpdate';
  if (st.type === 'RollingUpdate') {
    if (!isObject(st.rollingUpdate)) st.rollingUpdate = {};
    if (st.rollingUpdate.maxUnavailable === undefined || st.rollingUpdate.maxUnavailable === null) st.rollingUpdate.maxUnavailable = '25%';
    if (st.rollingUpdate.maxSurge === undefined || st.rollingUpdate.maxSurge === null) st.rollingUpdate.maxSurge = '25%';
  }
  if (s.revisionHistoryLimit === undefined || s.revisionHistoryLimit === null) s.revisionHistoryLimit = 10;
  if (s.progressDeadlineSeconds === undefined || s.progressDeadlineSeconds === null) s.progressDeadlineSeconds = 600;
  if (!isObject(s.template)) s.template = {};
  defaultPodTemplateSpec(s.template);
}

function goStrategy(st: Obj): GoLiteral {
  return new GoLiteral(`apps.DeploymentStrategy{Type:${goQuote(str(st.type))}, RollingUpdate:${goPointer('apps.RollingUpdateDeployment', st.rollingUpdate)}}`);
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategy: unknown, fld: string): FieldError[] {
  const st: Obj = isObject(strategy) ? strategy : {};
  const errs: FieldError[] = [];
  switch (str(st.type)) {
    case 'Recreate':
      if (isObject(st.rollingUpdate)) errs.push(field.forbidden(child(fld, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      if (!isObject(st.rollingUpdate)) {
        errs.push(field.required(child(fld, 'rollingUpdate'), 'this should be defaulted and never be nil'));
        break;
      }
      // ValidateRollingUpdateDeployment.
      const ru = st.rollingUpdate;
      const p = child(fld, 'rollingUpdate');
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, child(p, 'maxUnavailable')));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(p, 'maxSurge')));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid(child(p, 'maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, child(p, 'maxUnavailable')));
      break;
    }
    default:
      errs.push(notSupported(fld, goStrategy(st), ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeploymentSpec, in kube's order. */
export function validateDeploymentSpec(spec: unknown, fld = 'spec'): FieldError[] {
  const s: Obj = isObject(spec) ? spec : {};
  const errs: FieldError[] = [];
  errs.push(...validateNonnegativeField(int(s.replicas), child(fld, 'replicas')));
  errs.push(...validateSpecSelector(s.selector, child(fld, 'selector'), 'deployment'));
  const selector = labelSelectorAsSelector(s.selector);
  if (!selector) errs.push(field.invalid(child(fld, 'selector'), goLabelSelector(s.selector), 'invalid label selector'));
  else errs.push(...validatePodTemplateSpecForReplicaSet(s.template, selector, child(fld, 'template')));
  errs.push(...validateStrategy(s.strategy, child(fld, 'strategy')));
  errs.push(...validateNonnegativeField(int(s.minReadySeconds), child(fld, 'minReadySeconds')));
  if (typeof s.revisionHistoryLimit === 'number') errs.push(...validateNonnegativeField(s.revisionHistoryLimit, child(fld, 'revisionHistoryLimit')));
  if (typeof s.progressDeadlineSeconds === 'number') {
    errs.push(...validateNonnegativeField(s.progressDeadlineSeconds, child(fld, 'progressDeadlineSeconds')));
    if (s.progressDeadlineSeconds <= int(s.minReadySeconds)) {
      errs.push(field.invalid(child(fld, 'progressDeadlineSeconds'), s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** ValidateDeploymentStatus. */
export function validateDeploymentStatus(status: unknown, fld = 'status'): FieldError[] {
  const st: Obj = isObject(status) ? status : {};
  const errs: FieldError[] = [];
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) {
    errs.push(...validateNonnegativeField(int(st[k]), child(fld, k)));
  }
  if (typeof st.collisionCount === 'number') errs.push(...validateNonnegativeField(st.collisionCount, child(fld, 'collisionCount')));
  const msg = 'cannot be greater than status.replicas';
  const replicas = int(st.replicas);
  for (const k of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    if (int(st[k]) > replicas) errs.push(field.invalid(child(fld, k), int(st[k]), msg));
  }
  if (int(st.availableReplicas) > int(st.readyReplicas)) {
    errs.push(field.invalid(child(fld, 'availableReplicas'), int(st.availableReplicas), 'cannot be greater than readyReplicas'));
  }
  return errs;
}

/** spec or metadata.annotations changed: both bump a Deployment's generation (annotations are copied to ReplicaSets). */
function changed(obj: KObject, old: KObject): boolean {
  return !semanticEqual(obj.spec, old.spec) || !semanticEqual(obj.metadata.annotations, old.metadata.annotations);
}

export function deploymentStrategy(): Strategy {
  return {
    info: INFO,

    defaults: defaultDeployment,

    prepareForCreate(obj) {
      obj.status = {};
    },

    prepareForUpdate(obj, old) {
      obj.status = structuredClone(old.status);
    },

    validate(obj) {
      return validateDeploymentSpec(obj.spec);
    },

    validateUpdate(obj, old) {
      const errs = validateDeploymentSpec(obj.spec);
      // apps/v1: the selector may not change.
      const sel = specOf(obj).selector, oldSel = specOf(old).selector;
      if (!semanticEqual(sel, oldSel) || (sel == null) !== (oldSel == null)) errs.push(field.invalid('spec.selector', sel == null ? null : goLabelSelector(sel), FIELD_IMMUTABLE_ERROR_MSG));
      return errs;
    },

    prepareForStatusUpdate(obj, old) {
      // deploymentStatusStrategy.PrepareForUpdate keeps spec and labels.
      obj.spec = structuredClone(old.spec);
      if (old.metadata.labels) obj.metadata.labels = structuredClone(old.metadata.labels);
      else delete obj.metadata.labels;
      if (!isObject(obj.status)) obj.status = {};
    },

    validateStatusUpdate(obj, old) {
      return [...validateDeploymentStatus(obj.status), ...validateCollisionCount(isObject(obj.status) ? obj.status : {}, isObject(old.status) ? old.status : {})];
    },

    warnings(obj, old) {
      if (old && !changed(obj, old)) return [];
      return podTemplateWarnings(specOf(obj).template, 'spec.template');
    },

    specChanged: changed,
  };
}
