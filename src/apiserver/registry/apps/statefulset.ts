// StatefulSets: pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet, pkg/apis/apps/validation
// ValidateStatefulSetSpec/Update/Status, pkg/registry/apps/statefulset/strategy.go. kube-apiserver v1.32
// (StatefulSetAutoDeletePVC on, MaxUnavailableStatefulSet off). kubernetes-semantics.md §5.
//
// As in 1.32, the pod template of a StatefulSet is NOT validated as a PodSpec (only its labels, annotations,
// restartPolicy and activeDeadlineSeconds): an invalid template is accepted and the controller's pod creates
// fail instead (kubernetes/kubernetes#81147; full template validation arrived in 1.34 with #131790).

import type { KObject } from '../../../api/meta.ts';
import { findResource } from '../../../api/resources.ts';
import { field, GoLiteral, goQuote, type FieldError } from '../../../api/status.ts';
import { validateAnnotations, validateLabels, validateNonnegativeField } from '../../../api/validation.ts';
import type { Strategy } from '../strategy.ts';
import { child, defaultPodTemplateSpec, isObject, notSupported, podTemplateWarnings, semanticEqual } from '../podspec.ts';
import {
  arr, goIntOrString, goLabelSelector, goPointer, int, intOrPercentValue, isNotMoreThan100Percent, labelSelectorAsSelector,
  str, templateLabelsMatch, validateCollisionCount, validatePositiveIntOrPercent, validateSpecSelector, zeroFields, type Obj,
} from './common.ts';

const INFO = findResource('apps', 'v1', 'statefulsets')!;

function specOf(o: KObject): Obj { return isObject(o.spec) ? o.spec : {}; }

/** Status fields apps/v1 StatefulSetStatus serializes even when 0. */
const STATUS_ALWAYS = ['replicas', 'availableReplicas'] as const;

/**
 * SetDefaults_StatefulSet: podManagementPolicy OrderedReady; updateStrategy RollingUpdate with
 * rollingUpdate.partition 0 (the partition only when the type was defaulted or rollingUpdate was given);
 * persistentVolumeClaimRetentionPolicy Retain/Retain; replicas 1; revisionHistoryLimit 10. Plus the pod
 * template defaults and the volumeClaimTemplates as v1 serializes them (apiVersion/kind, volumeMode
 * Filesystem, status.phase Pending, metadata.creationTimestamp null).
 */
export function defaultStatefulSet(obj: KObject): void {
  if (!isObject(obj.spec)) obj.spec = {};
  const s = obj.spec as Obj;
  if (!s.podManagementPolicy) s.podManagementPolicy = 'OrderedReady';
  if (!isObject(s.updateStrategy)) s.updateStrategy = {};
  const us = s.updateStrategy;
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (!isObject(us.rollingUpdate)) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && isObject(us.rollingUpdate)) {
    if (us.rollingUpdate.partition === undefined || us.rollingUpdate.partition === null) us.rollingUpdate.partition = 0;
  }
  if (!isObject(s.persistentVolumeClaimRetentionPolicy)) s.persistentVolumeClaimRetentionPolicy = {};
  const pvc = s.persistentVolumeClaimRetentionPolicy;
  if (!pvc.whenDeleted) pvc.whenDeleted = 'Retain';
  if (!pvc.whenScaled) pvc.whenScaled = 'Retain';
  if (s.replicas === undefined || s.replicas === null) s.replicas = 1;
  if (s.revisionHistoryLimit === undefined || s.revisionHistoryLimit === null) s.revisionHistoryLimit = 10;
  if (!isObject(s.template)) s.template = {};
  defaultPodTemplateSpec(s.template);
  for (const t of arr(s.volumeClaimTemplates)) {
    if (!isObject(t)) continue;
    t.apiVersion = 'v1';
    t.kind = 'PersistentVolumeClaim';
    if (!isObject(t.metadata)) t.metadata = {};
    if (!('creationTimestamp' in t.metadata)) t.metadata.creationTimestamp = null;
    if (!isObject(t.spec)) t.spec = {};
    if (!t.spec.volumeMode) t.spec.volumeMode = 'Filesystem';
    if (!isObject(t.status)) t.status = {};
    if (!t.status.phase) t.status.phase = 'Pending';
  }
}

/** dropStatefulSetDisabledFields: rollingUpdate.maxUnavailable needs the (alpha, off) MaxUnavailableStatefulSet gate. */
function dropDisabledFields(obj: KObject, old?: KObject): void {
  const ru = specOf(obj).updateStrategy?.rollingUpdate;
  const oldRu = old ? specOf(old).updateStrategy?.rollingUpdate : undefined;
  if (isObject(ru) && !(isObject(oldRu) && oldRu.maxUnavailable !== undefined && oldRu.maxUnavailable !== null)) delete ru.maxUnavailable;
}

function goUpdateStrategy(us: Obj): GoLiteral {
  return new GoLiteral(`apps.StatefulSetUpdateStrategy{Type:${goQuote(str(us.type))}, RollingUpdate:${goPointer('apps.RollingUpdateStatefulSetStrategy', us.rollingUpdate)}}`);
}

function goRollingUpdate(ru: Obj): GoLiteral {
  const mu = ru.maxUnavailable;
  return new GoLiteral(`apps.RollingUpdateStatefulSetStrategy{Partition:${int(ru.partition)}, MaxUnavailable:${goPointer('intstr.IntOrString', mu)}}`);
}

/** ValidateStatefulSetSpec, in kube's order. */
export function validateStatefulSetSpec(spec: unknown, fld = 'spec'): FieldError[] {
  const s: Obj = isObject(spec) ? spec : {};
  const errs: FieldError[] = [];
  const pmp = str(s.podManagementPolicy);
  if (!pmp) errs.push(field.required(child(fld, 'podManagementPolicy')));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(field.invalid(child(fld, 'podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));

  const us: Obj = isObject(s.updateStrategy) ? s.updateStrategy : {};
  const ru = us.rollingUpdate;
  switch (str(us.type)) {
    case '':
      errs.push(field.required(child(fld, 'updateStrategy')));
      break;
    case 'OnDelete':
      if (isObject(ru)) errs.push(field.invalid(child(fld, 'updateStrategy', 'rollingUpdate'), goRollingUpdate(ru), "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate':
      if (isObject(ru)) {
        const p = child(fld, 'updateStrategy', 'rollingUpdate');
        errs.push(...validateNonnegativeField(int(ru.partition), child(p, 'partition')));
        if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
          const mp = child(p, 'maxUnavailable');
          errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, mp));
          if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(field.invalid(mp, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
          errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, mp));
        }
      }
      break;
    default:
      errs.push(field.invalid(child(fld, 'updateStrategy'), goUpdateStrategy(us), "must be 'RollingUpdate' or 'OnDelete'"));
  }

  if (isObject(s.persistentVolumeClaimRetentionPolicy)) {
    const pol = s.persistentVolumeClaimRetentionPolicy;
    for (const k of ['whenDeleted', 'whenScaled']) {
      const v = str(pol[k]);
      if (v !== 'Retain' && v !== 'Delete') errs.push(notSupported(child(fld, 'persistentVolumeClaimRetentionPolicy', k), v, ['Retain', 'Delete']));
    }
  }

  errs.push(...validateNonnegativeField(int(s.replicas), child(fld, 'replicas')));
  errs.push(...validateNonnegativeField(int(s.minReadySeconds), child(fld, 'minReadySeconds')));
  if (isObject(s.ordinals)) errs.push(...validateNonnegativeField(int(s.ordinals.start), child(fld, 'ordinals.start')));

  errs.push(...validateSpecSelector(s.selector, child(fld, 'selector'), 'statefulset'));
  const selector = labelSelectorAsSelector(s.selector);
  const tplPath = child(fld, 'template');
  if (!selector) {
    errs.push(field.invalid(child(fld, 'selector'), goLabelSelector(s.selector), ''));
  } else {
    // ValidatePodTemplateSpecForStatefulSet: labels must match; labels/annotations (at `.labels`/`.annotations`).
    errs.push(...templateLabelsMatch(selector, s.template, tplPath));
    const meta: Obj = isObject(s.template) && isObject(s.template.metadata) ? s.template.metadata : {};
    errs.push(...validateLabels(meta.labels, child(tplPath, 'labels')));
    errs.push(...validateAnnotations(meta.annotations, child(tplPath, 'annotations')));
  }

  const podSpec: Obj = isObject(s.template) && isObject(s.template.spec) ? s.template.spec : {};
  const restart = str(podSpec.restartPolicy);
  if (restart !== 'Always') errs.push(notSupported(child(tplPath, 'spec', 'restartPolicy'), restart, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(child(tplPath, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

/** The 1.32 text (1.33 added 'revisionHistoryLimit' to the list). */
export const STATEFULSET_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** ValidateStatefulSetUpdate minus ObjectMeta: the spec rules, then only the mutable fields may differ. */
export function validateStatefulSetUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs = validateStatefulSetSpec(obj.spec);
  const mutable = ['replicas', 'template', 'updateStrategy', 'minReadySeconds', 'ordinals', 'persistentVolumeClaimRetentionPolicy'];
  const clone: Obj = { ...specOf(obj) };
  const oldSpec = specOf(old);
  for (const k of mutable) clone[k] = oldSpec[k];
  if (!semanticEqual(clone, oldSpec)) errs.push(field.forbidden('spec', STATEFULSET_UPDATE_FORBIDDEN));
  return errs;
}

/** ValidateStatefulSetStatus. */
export function validateStatefulSetStatus(status: unknown, fld = 'status'): FieldError[] {
  const st: Obj = isObject(status) ? status : {};
  const errs: FieldError[] = [];
  for (const k of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    errs.push(...validateNonnegativeField(int(st[k]), child(fld, k)));
  }
  if (typeof st.observedGeneration === 'number') errs.push(...validateNonnegativeField(st.observedGeneration, child(fld, 'observedGeneration')));
  if (typeof st.collisionCount === 'number') errs.push(...validateNonnegativeField(st.collisionCount, child(fld, 'collisionCount')));
  const msg = 'cannot be greater than status.replicas';
  const replicas = int(st.replicas);
  for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (int(st[k]) > replicas) errs.push(field.invalid(child(fld, k), int(st[k]), msg));
  }
  if (int(st.availableReplicas) > int(st.readyReplicas)) {
    errs.push(field.invalid(child(fld, 'availableReplicas'), int(st.availableReplicas), 'cannot be greater than status.readyReplicas'));
  }
  return errs;
}

export function statefulSetStrategy(): Strategy {
  return {
    info: INFO,

    defaults: defaultStatefulSet,

    prepareForCreate(obj) {
      obj.status = { replicas: 0, availableReplicas: 0 };
      dropDisabledFields(obj);
    },

    prepareForUpdate(obj, old) {
      obj.status = structuredClone(old.status);
      dropDisabledFields(obj, old);
    },

    validate(obj) {
      return validateStatefulSetSpec(obj.spec);
    },

    validateUpdate: validateStatefulSetUpdate,

    prepareForStatusUpdate(obj, old) {
      // statefulSetStatusStrategy.PrepareForUpdate keeps only the spec; metadata may change.
      obj.spec = structuredClone(old.spec);
      if (!isObject(obj.status)) obj.status = {};
      zeroFields(obj.status, STATUS_ALWAYS);
    },

    validateStatusUpdate(obj, old) {
      return [...validateStatefulSetStatus(obj.status), ...validateCollisionCount(isObject(obj.status) ? obj.status : {}, isObject(old.status) ? old.status : {})];
    },

    warnings(obj, old) {
      // WarningsOnUpdate only when the generation moves (a spec change).
      if (old && semanticEqual(obj.spec, old.spec)) return [];
      return podTemplateWarnings(specOf(obj).template, 'spec.template');
    },

    specChanged(obj, old) {
      return !semanticEqual(obj.spec, old.spec);
    },
  };
}
