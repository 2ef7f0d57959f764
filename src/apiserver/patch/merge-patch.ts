// application/merge-patch+json: RFC 7386 JSON Merge Patch as kube-apiserver applies it
// (k8s.io/apiserver/pkg/endpoints/handlers/patch.go applyJSPatch → gopkg.in/evanphx/json-patch.v4 MergePatch, v4.12).
//
// Differences from the RFC text that kube inherits from evanphx/json-patch v4:
// - The patch must be a JSON object. With fieldValidation=Strict (what kubectl sends) the body is first decoded into
//   map[string]interface{}, so an array/string/number/bool is 400 `error decoding patch: json: cannot unmarshal ...`;
//   `null` decodes fine and then fails with 400 `Invalid JSON Patch` (ErrBadJSONPatch).
// - Where a patch value is copied in (absent or non-object target member), nulls are pruned from it recursively,
//   including null elements of arrays (pruneAryNulls). An array patch value replacing an object member is copied as is.

import { badRequest } from '../../api/status.ts';
import { clonePatch, cloneTarget, isObject, type JsonObject, type JsonValue } from './json.ts';
import { goError } from './errors.ts';

/** encoding/json's name for a JSON value in UnmarshalTypeError (`cannot unmarshal <kind> into ...`). */
export function jsonKind(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // 'string' | 'number'
}

function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return pruneArrayNulls(v);
  if (isObject(v)) return pruneDocNulls(v as JsonObject);
  return v;
}

function pruneDocNulls(doc: JsonObject): JsonObject {
  for (const k of Object.keys(doc)) {
    if (doc[k] === null) delete doc[k];
    else doc[k] = pruneNulls(doc[k]);
  }
  return doc;
}

function pruneArrayNulls(a: JsonValue[]): JsonValue[] {
  const out: JsonValue[] = [];
  for (const v of a) if (v !== null) out.push(pruneNulls(v));
  return out;
}

function merge(cur: JsonValue, patch: JsonValue): JsonValue {
  if (!isObject(cur)) return pruneNulls(patch);
  if (!isObject(patch)) return patch;
  mergeDocs(cur as JsonObject, patch as JsonObject);
  return cur;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = Object.prototype.hasOwnProperty.call(doc, k) ? doc[k] : null;
    doc[k] = cur === null ? pruneNulls(v) : merge(cur, v);
  }
}

/**
 * Applies an RFC 7386 merge patch to `target` and returns the result. Inputs are not modified.
 * Errors: 400 for a patch that is not a JSON object (messages as above); 500 `Invalid JSON Document` for a null target.
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  const p = clonePatch(patch);
  if (p === null) throw badRequest('Invalid JSON Patch');
  if (!isObject(p)) throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKind(p)} into Go value of type map[string]interface {}`);
  const doc = cloneTarget(target);
  if (doc === null) throw goError('Invalid JSON Document');
  if (!isObject(doc)) return pruneDocNulls(p as JsonObject); // evanphx: a non-object document is replaced by the patch
  mergeDocs(doc as JsonObject, p as JsonObject);
  return doc;
}
