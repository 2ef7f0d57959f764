// application/json-patch+json: RFC 6902 JSON Patch as kube-apiserver applies it.
//
// Upstream: k8s.io/apiserver/pkg/endpoints/handlers/patch.go applyJSPatch, which
//  1. with fieldValidation=Strict/Warn (kubectl always sends Strict) decodes the body into []jsonPatchOp
//     {op, path, from string; value interface{}}; a decode failure is 400 `error decoding patch: <json error>`;
//  2. refuses more than 10000 operations with 413 `Request entity too large: The allowed maximum operations in a JSON
//     patch is 10000, got N`;
//  3. applies the ops with gopkg.in/evanphx/json-patch.v4 (v4.12, vendored); ANY failing operation becomes
//     errors.NewGenericServerResponse(422, ...): reason Invalid, message `the server rejected our request due to an
//     error in our request`, empty details. The evanphx text (e.g. `add operation does not apply: doc is missing path:
//     "/spec/foo": missing value`) is dropped by kube; we keep it as the error's `cause` for logs.
//
// evanphx v4 semantics reproduced here (they differ from the RFC in places, and kube inherits them):
// - Pointers are split on "/" and the first segment is ignored, so "a/b" means "/b"; "~1" → "/", "~0" → "~".
// - Array indices are parsed with strconv.Atoi ("+1" and "01" are accepted) and may be negative (counted from the end;
//   for add, -1 appends). "-" is accepted only by add (append). An index past the end is an error (add: past length).
// - Intermediate members must exist and be objects or arrays; a null member counts as missing.
// - replace of a missing object member adds it (partialDoc.get never fails); replace/test with path "" act on the root.
// - add without "value" adds null; copy from a missing object member copies null.
// - test treats a missing member and null alike; testing an array containing null panics upstream (500 here too).

import { badRequest, requestEntityTooLarge, type StatusError } from '../../api/status.ts';
import { clonePatch, cloneTarget, deepEqual, isObject, type JsonObject, type JsonValue } from './json.ts';
import { genericInvalid, panicError } from './errors.ts';
import { jsonKind } from './merge-patch.ts';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

interface Op { op: unknown; path: unknown; from: unknown; value: JsonValue | undefined; hasValue: boolean }

class OpFailure extends Error {}

const STRING_FIELDS = ['op', 'path', 'from'] as const;

/** Strict decoding into []handlers.jsonPatchOp, reporting the first error as encoding/json would. */
function decodeOps(ops: JsonValue): Op[] {
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonKind(ops)} into Go value of type []handlers.jsonPatchOp`);
  }
  let firstError: string | undefined;
  const out: Op[] = [];
  for (const raw of ops) {
    if (raw !== null && !isObject(raw)) {
      firstError ??= `json: cannot unmarshal ${jsonKind(raw)} into Go value of type handlers.jsonPatchOp`;
      continue;
    }
    const o = (raw ?? {}) as JsonObject;
    for (const k of Object.keys(o)) {
      if ((STRING_FIELDS as readonly string[]).includes(k) && o[k] !== null && typeof o[k] !== 'string') {
        firstError ??= `json: cannot unmarshal ${jsonKind(o[k])} into Go struct field jsonPatchOp.${k} of type string`;
      }
    }
    out.push({ op: o.op, path: o.path, from: o.from, value: o.value, hasValue: raw !== null && 'value' in o });
  }
  if (firstError) throw badRequest(`error decoding patch: ${firstError}`);
  return out;
}

// ---- the evanphx container model ------------------------------------------------------------------------------------

type Container = { kind: 'doc'; v: JsonObject } | { kind: 'ary'; v: JsonValue[] };

const decodeKey = (k: string): string => k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

/** strconv.Atoi: optional sign, decimal digits, int64 range. */
function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) throw new OpFailure(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const n = BigInt(key);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new OpFailure(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return Number(n);
}

const invalidIndex = (idx: number) => new OpFailure(`Unable to access invalid index: ${idx}: invalid index referenced`);

function asContainer(v: JsonValue | undefined): Container | undefined {
  if (Array.isArray(v)) return { kind: 'ary', v };
  if (isObject(v)) return { kind: 'doc', v: v as JsonObject };
  return undefined;
}

/** get: undefined stands for Go's nil node (missing or JSON null). */
function cGet(c: Container, key: string): JsonValue | undefined {
  if (c.kind === 'doc') {
    const x = Object.prototype.hasOwnProperty.call(c.v, key) ? c.v[key] : undefined;
    return x === null ? undefined : x;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  if (idx >= c.v.length) throw invalidIndex(idx);
  const x = c.v[idx];
  return x === null ? undefined : x;
}

function cSet(c: Container, key: string, val: JsonValue): void {
  if (c.kind === 'doc') { c.v[key] = val; return; }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  c.v[idx] = val;
}

function cAdd(c: Container, key: string, val: JsonValue): void {
  if (c.kind === 'doc') { c.v[key] = val; return; }
  if (key === '-') { c.v.push(val); return; }
  let idx: number;
  try { idx = atoi(key); } catch (e) { throw new OpFailure(`value was not a proper array index: '${key}': ${(e as Error).message}`); }
  const size = c.v.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -size) throw invalidIndex(idx);
    idx += size;
  }
  c.v.splice(idx, 0, val);
}

function cRemove(c: Container, key: string): void {
  if (c.kind === 'doc') {
    if (!Object.prototype.hasOwnProperty.call(c.v, key)) throw new OpFailure(`Unable to remove nonexistent key: ${key}: missing value`);
    delete c.v[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.v.length) throw invalidIndex(idx);
  if (idx < 0) {
    if (idx < -c.v.length) throw invalidIndex(idx);
    idx += c.v.length;
  }
  c.v.splice(idx, 1);
}

/** findObject: the container holding the last path segment, or undefined when the path does not lead anywhere. */
function findObject(root: Container, path: string): { c: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc = root;
  for (const part of split.slice(1, -1)) {
    let next: JsonValue | undefined;
    try { next = cGet(doc, decodeKey(part)); } catch { return undefined; }
    const c = asContainer(next);
    if (!c) return undefined;
    doc = c;
  }
  return { c: doc, key: decodeKey(split[split.length - 1]) };
}

function opPath(o: Op, field: 'path' | 'from', what: string): string {
  const v = o[field];
  if (typeof v !== 'string') throw new OpFailure(`${what}: missing value`);
  return v;
}

/**
 * lazyNode.equal: structural equality, except that comparing arrays element-wise dereferences the (nil) node of a
 * null element, which panics upstream. (Upstream compares scalars by their compacted JSON text, so 1 and 1.0 differ
 * there; after JSON.parse they are the same number here.)
 */
function lazyEqual(a: JsonValue, b: JsonValue): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === null || b[i] === null) throw panicError('invalid memory address or nil pointer dereference (lazyNode.equal)');
      if (!lazyEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ak = Object.keys(a);
    if (ak.length !== Object.keys(b).length) return false;
    for (const k of ak) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
      const x = (a as JsonObject)[k];
      const y = (b as JsonObject)[k];
      if ((x === null) !== (y === null)) return false;
      if (x !== null && !lazyEqual(x, y)) return false;
    }
    return true;
  }
  return deepEqual(a, b);
}

function applyOp(state: { root: Container }, o: Op): void {
  const kind = typeof o.op === 'string' ? o.op : 'unknown';
  const value: JsonValue = o.hasValue && o.value !== undefined ? o.value : null;
  switch (kind) {
    case 'add': {
      const path = opPath(o, 'path', 'add operation failed to decode path');
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`add operation does not apply: doc is missing path: "${path}": missing value`);
      try { cAdd(t.c, t.key, value); } catch (e) { throw new OpFailure(`error in add for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'remove': {
      const path = opPath(o, 'path', 'remove operation failed to decode path');
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      try { cRemove(t.c, t.key); } catch (e) { throw new OpFailure(`error in remove for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'replace': {
      const path = opPath(o, 'path', 'replace operation failed to decode path');
      if (path === '') {
        if (!o.hasValue) throw panicError('invalid memory address or nil pointer dereference (replace of the root without a value)');
        const c = asContainer(value);
        if (!c) throw new OpFailure('replace operation value must be object or array');
        state.root = c;
        return;
      }
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      try { cGet(t.c, t.key); } catch { throw new OpFailure(`replace operation does not apply: doc is missing key: ${path}: missing value`); }
      cSet(t.c, t.key, value);
      return;
    }
    case 'move': {
      const from = opPath(o, 'from', 'move operation failed to decode from');
      const f = findObject(state.root, from);
      if (!f) throw new OpFailure(`move operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: JsonValue | undefined;
      try { val = cGet(f.c, f.key); } catch (e) { throw new OpFailure(`error in move for path: '${f.key}': ${(e as Error).message}`); }
      try { cRemove(f.c, f.key); } catch (e) { throw new OpFailure(`error in move for path: '${f.key}': ${(e as Error).message}`); }
      const path = opPath(o, 'path', 'move operation failed to decode path');
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
      try { cAdd(t.c, t.key, val ?? null); } catch (e) { throw new OpFailure(`error in move for path: '${path}': ${(e as Error).message}`); }
      return;
    }
    case 'copy': {
      const from = opPath(o, 'from', 'copy operation failed to decode from');
      const f = findObject(state.root, from);
      if (!f) throw new OpFailure(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
      let val: JsonValue | undefined;
      try { val = cGet(f.c, f.key); } catch (e) { throw new OpFailure(`error in copy for from: '${from}': ${(e as Error).message}`); }
      const path = opPath(o, 'path', 'copy operation failed to decode path');
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
      try { cAdd(t.c, t.key, val === undefined ? null : structuredClone(val)); } catch (e) { throw new OpFailure(`error while adding value during copy: ${(e as Error).message}`); }
      return;
    }
    case 'test': {
      const path = opPath(o, 'path', 'test operation failed to decode path');
      if (path === '') {
        if (!o.hasValue) throw panicError('invalid memory address or nil pointer dereference (test of the root without a value)');
        if (lazyEqual(state.root.v, value)) return;
        throw new OpFailure(`testing value ${path} failed: test failed`);
      }
      const t = findObject(state.root, path);
      if (!t) throw new OpFailure(`test operation does not apply: is missing path: ${path}: missing value`);
      let val: JsonValue | undefined;
      try { val = cGet(t.c, t.key); } catch (e) { throw new OpFailure(`error in test for path: '${path}': ${(e as Error).message}`); }
      if (val === undefined) {
        if (!o.hasValue || o.value === null) return;
        throw new OpFailure(`testing value ${path} failed: test failed`);
      }
      if (!o.hasValue) throw new OpFailure(`testing value ${path} failed: test failed`);
      if (lazyEqual(val, value)) return;
      throw new OpFailure(`testing value ${path} failed: test failed`);
    }
    default:
      throw new OpFailure(`Unexpected kind: ${kind}`);
  }
}

/**
 * Applies an RFC 6902 patch (the parsed body: an array of operations) to `target` and returns the result.
 * Inputs are not modified. Errors: 400 for a body that does not decode as operations, 413 for more than 10000
 * operations, 422 Invalid (kube's generic text) for any operation that fails.
 */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  const decoded = decodeOps(clonePatch(ops));
  if (decoded.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${decoded.length}`);
  }
  const doc = cloneTarget(target);
  const root = asContainer(doc);
  if (!root) throw genericInvalid('json: cannot unmarshal the document into a JSON patch container');
  const state = { root };
  for (const o of decoded) {
    try {
      applyOp(state, o);
    } catch (e) {
      if (e instanceof OpFailure) throw genericInvalid(e.message);
      throw e as StatusError;
    }
  }
  return state.root.v;
}
