// Generic ObjectMeta validation, run by the store before every kind's own validation
// (k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor /
// ValidateObjectMetaAccessorUpdate, wrapped by pkg/apis/core/validation ValidateObjectMeta, which adds
// the "standard finalizer name" rule). Messages and their order are upstream's.

import type { KObject, ObjectMeta, OwnerReference } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import { field, GoLiteral, goQuote, type FieldError } from '../../api/status.ts';
import {
  FIELD_IMMUTABLE_ERROR_MSG, isDNS1123Label, isQualifiedName, nameValidator, validateAnnotations,
  validateImmutableField, validateLabels, validateNonnegativeField, deepEqual,
} from '../../api/validation.ts';

/** metav1.FinalizerOrphanDependents / FinalizerDeleteDependents and core's FinalizerKubernetes. */
export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';
export const FINALIZER_KUBERNETES = 'kubernetes';
const STANDARD_FINALIZERS = new Set([FINALIZER_KUBERNETES, FINALIZER_ORPHAN, FINALIZER_FOREGROUND]);

/** Kinds that may never own another object (BannedOwners). */
const BANNED_OWNERS = new Set(['/v1, Kind=Event']);

/** ValidateNamespaceName = NameIsDNSLabel. */
export function validateNamespaceName(name: string, prefix: boolean): string[] {
  return nameValidator('dns1123label')(name, prefix);
}

/** ValidateFinalizerName (apimachinery) + validateKubeFinalizerName (core): qualified, or one of the standard names. */
export function validateFinalizerName(name: string, fld: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(fld, name, m));
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    errs.push(field.invalid(fld, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

/** ValidateFinalizers: names are qualified names; `orphan` and `foregroundDeletion` exclude each other. */
export function validateFinalizers(finalizers: unknown, fld: string): FieldError[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) return [field.invalid(fld, finalizers, 'must be a list of strings')];
  const errs: FieldError[] = [];
  for (const f of finalizers) {
    const s = typeof f === 'string' ? f : String(f);
    errs.push(...isQualifiedName(s).map((m) => field.invalid(fld, s, m)));
  }
  if (finalizers.includes(FINALIZER_ORPHAN) && finalizers.includes(FINALIZER_FOREGROUND)) {
    errs.push(field.invalid(fld, finalizers, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_FOREGROUND} cannot be both set`));
  }
  return errs;
}

/** core ValidateObjectMeta's extra loop: metadata.finalizers[i] must be standard or fully qualified. */
function validateKubeFinalizerNames(finalizers: unknown, fld: string): FieldError[] {
  if (!Array.isArray(finalizers)) return [];
  const errs: FieldError[] = [];
  finalizers.forEach((f, i) => {
    if (typeof f === 'string' && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(field.invalid(`${fld}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/** schema.FromAPIVersionAndKind(...).String(): `apps/v1, Kind=StatefulSet`, `/v1, Kind=Pod`. */
function gvkString(apiVersion: string, kind: string): string {
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  return `${group}/${version}, Kind=${kind}`;
}

function versionOf(apiVersion: string): string {
  if (apiVersion === '') return '';
  const parts = apiVersion.split('/');
  if (parts.length === 1) return parts[0];
  if (parts.length === 2) return parts[1];
  return ''; // schema.ParseGroupVersion fails on more than one '/'; the version is then empty.
}

/** Go's %#v of one metav1.OwnerReference (pointers print as (*bool)(nil) or an opaque address). */
function ownerRefLiteral(r: Partial<OwnerReference>): string {
  const ptr = (v: unknown) => (v === undefined || v === null ? '(*bool)(nil)' : `(*bool)(${v ? 'true' : 'false'})`);
  return `v1.OwnerReference{APIVersion:${goQuote(r.apiVersion ?? '')}, Kind:${goQuote(r.kind ?? '')}, Name:${goQuote(r.name ?? '')}, UID:${goQuote(r.uid ?? '')}, Controller:${ptr(r.controller)}, BlockOwnerDeletion:${ptr(r.blockOwnerDeletion)}}`;
}

/** ValidateOwnerReferences: apiVersion/kind/name/uid must be set; at most one controller. Field path not indexed. */
export function validateOwnerReferences(refs: unknown, fld: string): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [field.invalid(fld, refs, 'must be a list of owner references')];
  const errs: FieldError[] = [];
  let firstController = '';
  for (const raw of refs) {
    const r = (raw ?? {}) as Partial<OwnerReference>;
    const apiVersion = typeof r.apiVersion === 'string' ? r.apiVersion : '';
    const kind = typeof r.kind === 'string' ? r.kind : '';
    if (versionOf(apiVersion) === '') errs.push(field.invalid(`${fld}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(field.invalid(`${fld}.kind`, kind, 'must not be empty'));
    if (!r.name) errs.push(field.invalid(`${fld}.name`, r.name ?? '', 'must not be empty'));
    if (!r.uid) errs.push(field.invalid(`${fld}.uid`, r.uid ?? '', 'must not be empty'));
    const gvk = gvkString(apiVersion, kind);
    if (BANNED_OWNERS.has(gvk)) errs.push(field.invalid(fld, new GoLiteral(ownerRefLiteral(r)), `${gvk} is disallowed from being an owner`));
    if (r.controller === true) {
      const cur = `${kind}/${r.name ?? ''}`;
      if (firstController) {
        errs.push(field.invalid(fld, new GoLiteral(`[]v1.OwnerReference{${refs.map((x) => ownerRefLiteral((x ?? {}) as Partial<OwnerReference>)).join(', ')}}`),
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`));
      } else {
        firstController = cur;
      }
    }
  }
  return errs;
}

/** ValidateNoNewFinalizers: an object being deleted may not gain finalizers. */
function validateNoNewFinalizers(next: unknown, old: unknown, fld: string): FieldError[] {
  const prev = new Set(Array.isArray(old) ? old : []);
  const extra = [...new Set((Array.isArray(next) ? next : []).filter((f) => !prev.has(f)) as string[])].sort();
  if (!extra.length) return [];
  return [field.forbidden(fld, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map(goQuote).join(', ')}}`)];
}

/** The name rule of a resource. */
function nameFn(info: ResourceInfo) {
  return nameValidator(info.nameRule);
}

function metaOf(obj: KObject): ObjectMeta {
  return (obj.metadata ?? {}) as ObjectMeta;
}

/** The part of ValidateObjectMeta shared by create and update (labels, annotations, owners, finalizers). */
function commonMeta(meta: ObjectMeta): FieldError[] {
  return [
    ...validateLabels(meta.labels, 'metadata.labels'),
    ...validateAnnotations(meta.annotations, 'metadata.annotations'),
    ...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'),
  ];
}

/**
 * ValidateObjectMeta for a create (name generation has already happened): generateName (prefix rule),
 * name required / valid, namespace required (namespaced kinds) or forbidden (cluster-scoped), generation
 * non-negative, labels, annotations (256 KiB total), ownerReferences, finalizers (qualified names, not
 * both orphan and foregroundDeletion, then each one standard or fully qualified). `isCreate` is kept for
 * the store's call shape; create and update use separate functions, as upstream does.
 */
export function validateObjectMeta(obj: KObject, info: ResourceInfo, isCreate: boolean): FieldError[] {
  void isCreate;
  const meta = metaOf(obj);
  const fn = nameFn(info);
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of fn(meta.generateName, true)) errs.push(field.invalid('metadata.generateName', meta.generateName, m));
  }
  if (!meta.name) {
    errs.push(field.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const m of fn(meta.name, false)) errs.push(field.invalid('metadata.name', meta.name, m));
  }
  if (info.namespaced) {
    if (!meta.namespace) errs.push(field.required('metadata.namespace', ''));
    else for (const m of validateNamespaceName(meta.namespace, false)) errs.push(field.invalid('metadata.namespace', meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(field.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number') errs.push(...validateNonnegativeField(meta.generation, 'metadata.generation'));
  errs.push(...commonMeta(meta));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  errs.push(...validateKubeFinalizerNames(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/**
 * ValidateObjectMetaUpdate: no new finalizers once deletion started; generation may not go down; name,
 * namespace, uid, creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds are immutable
 * (`field is immutable`, value = the new value); then labels, annotations, ownerReferences.
 * (The `resourceVersion: must be specified for an update` rule is the store's: it fills the stored
 * resourceVersion in before validation, as kube's unconditional update does.)
 */
export function validateObjectMetaUpdate(obj: KObject, old: KObject, info: ResourceInfo): FieldError[] {
  const meta = metaOf(obj);
  const prev = metaOf(old);
  const errs: FieldError[] = [];
  if (prev.deletionTimestamp) errs.push(...validateNoNewFinalizers(meta.finalizers, prev.finalizers, 'metadata.finalizers'));
  if ((meta.generation ?? 0) < (prev.generation ?? 0)) errs.push(field.invalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(meta.name ?? '', prev.name ?? '', 'metadata.name'));
  errs.push(...validateImmutableField(meta.namespace ?? '', prev.namespace ?? '', 'metadata.namespace'));
  errs.push(...validateImmutableField(meta.uid ?? '', prev.uid ?? '', 'metadata.uid'));
  if (!deepEqual(meta.creationTimestamp ?? null, prev.creationTimestamp ?? null)) {
    errs.push(field.invalid('metadata.creationTimestamp', goTime(meta.creationTimestamp), FIELD_IMMUTABLE_ERROR_MSG));
  }
  if (!deepEqual(meta.deletionTimestamp ?? null, prev.deletionTimestamp ?? null)) {
    errs.push(field.invalid('metadata.deletionTimestamp', meta.deletionTimestamp ? goTime(meta.deletionTimestamp) : null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  errs.push(...validateImmutableField(meta.deletionGracePeriodSeconds ?? null, prev.deletionGracePeriodSeconds ?? null, 'metadata.deletionGracePeriodSeconds'));
  errs.push(...commonMeta(meta));
  // Upstream re-checks only the kube finalizer-name rule on update (core ValidateObjectMetaUpdate).
  errs.push(...validateKubeFinalizerNames(meta.finalizers, 'metadata.finalizers'));
  void info;
  return errs;
}

/** metav1.Time's String(): `2026-08-04 13:01:58 +0000 UTC` (what %v prints inside a field error). */
function goTime(t: string | null | undefined): GoLiteral {
  if (!t) return new GoLiteral('0001-01-01 00:00:00 +0000 UTC');
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return new GoLiteral(t);
  const iso = d.toISOString(); // 2026-08-04T13:01:58.000Z
  return new GoLiteral(`${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`);
}

/** Re-exported for kinds whose spec carries DNS-1123 labels (ValidateDNS1123Label). */
export function validateDNS1123Label(value: string, fld: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(fld, value, m));
}
