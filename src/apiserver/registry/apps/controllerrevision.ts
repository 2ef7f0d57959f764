// ControllerRevisions: pkg/registry/apps/controllerrevision/strategy.go and pkg/apis/apps/validation
// ValidateControllerRevision/Update. No status, no generation; data is immutable. kube-apiserver v1.32.

import type { KObject } from '../../../api/meta.ts';
import { findResource } from '../../../api/resources.ts';
import { field, GoLiteral, type FieldError } from '../../../api/status.ts';
import { FIELD_IMMUTABLE_ERROR_MSG, validateNonnegativeField } from '../../../api/validation.ts';
import type { Strategy } from '../strategy.ts';

const INFO = findResource('apps', 'v1', 'controllerrevisions')!;

/** `revision` has no omitempty in apps/v1, so a decoded object always carries it. */
export function defaultControllerRevision(obj: KObject): void {
  if (typeof obj.revision !== 'number') obj.revision = 0;
}

function hasData(obj: KObject): boolean {
  return obj.data !== undefined && obj.data !== null;
}

/**
 * The stored data as the error value kube prints. Internally data is a runtime.Object decoded from the raw
 * JSON (a *runtime.Unknown); %#v of it shows the raw bytes. The original request's whitespace is not kept
 * here, so the bytes are those of the compact JSON.
 */
function goData(v: unknown): GoLiteral {
  if (v === undefined || v === null) return new GoLiteral('runtime.Object(nil)');
  const bytes = [...Buffer.from(JSON.stringify(v), 'utf8')].map((b) => `0x${b.toString(16)}`).join(', ');
  return new GoLiteral(`runtime.Unknown{TypeMeta:runtime.TypeMeta{APIVersion:"", Kind:""}, Raw:[]uint8{${bytes}}, ContentEncoding:"", ContentType:"application/json"}`);
}

/** ValidateControllerRevision (without ObjectMeta). */
export function validateControllerRevision(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!hasData(obj)) errs.push(field.required('data', 'data is mandatory'));
  errs.push(...validateNonnegativeField(typeof obj.revision === 'number' ? obj.revision : 0, 'revision'));
  return errs;
}

export function controllerRevisionStrategy(): Strategy {
  return {
    info: INFO,
    defaults: defaultControllerRevision,
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateControllerRevision,
    validateUpdate(obj, old) {
      const errs = validateControllerRevision(obj);
      if (JSON.stringify(obj.data ?? null) !== JSON.stringify(old.data ?? null)) errs.push(field.invalid('data', goData(obj.data), FIELD_IMMUTABLE_ERROR_MSG));
      return errs;
    },
    specChanged() { return false; },
  };
}
