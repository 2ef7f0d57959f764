// application/strategic-merge-patch+json: Kubernetes strategic merge patch as kube-apiserver applies it.
//
// A port of k8s.io/apimachinery/pkg/util/strategicpatch/patch.go StrategicMergeMapPatch (MergeParallelList=true,
// IgnoreUnmatchedNulls=true), which k8s.io/apiserver/pkg/endpoints/handlers/patch.go strategicPatchObject calls with
// the versioned Go type as schema (struct tags: see schema.ts). The algorithm, including its ordering rules, is kept
// step for step:
// - maps merge recursively; `null` deletes a key (a null for an absent key is ignored);
// - `$patch: replace` on a map returns the patch map (directive removed); `$patch: delete` returns {};
// - `$retainKeys: [...]` clears original keys not listed (400 if the patch sets a key it does not list);
// - `$setElementOrder/<list>` gives the final order of the items it names; other items keep their relative order,
//   interleaved by their position in the live list (mergeSortedSlice);
// - lists with patchStrategy=merge merge by patchMergeKey: `{"$patch":"delete", key: v}` removes every match,
//   `{"$patch":"replace"}` replaces the list, other items merge into the item with the same key or are added; without
//   $setElementOrder, patch items take the patch's order and new items come before server-only items;
// - primitive lists with patchStrategy=merge are set unions; `$deleteFromPrimitiveList/<list>: [...]` removes values;
// - every other list (and any list not in the schema) is replaced.
//
// Errors are classified as interpretStrategicMergePatchError does: the mergepatch format errors are 400 BadRequest,
// ErrNoListOfLists is 422 (generic text), everything else (`map: map[...] does not contain declared merge key: port`,
// `unknown patch type: merge in map: map[...]`, ...) is a plain Go error: 500 with no reason.
//
// Changes after the 1.2x code that v1.32 includes and this port follows: patch values copied in where the object has
// no such key (or a value of another type) lose their nested nulls (PR #107705, discardNullValuesFromPatch) and every
// map carrying `$patch` (removeDirectives, PR #117568); `$deleteFromPrimitiveList` deletes whatever the field's
// strategy and is ignored for a field the object does not have (PR #110472).
//
// Go slice aliasing is part of the observable behaviour: in the `$setElementOrder` path the live list is used for the
// final ordering *after* `$patch: delete` shifted it in place and new items were appended into the freed room
// (upstream's own vector "add map and delete map from merging list" depends on it). GoSlice below models those views;
// live lists are taken to have capacity == length (upstream's capacity comes from its decoders and cannot be known).
//
// Deliberate difference: patch keys are processed in document order, `$deleteFromPrimitiveList/` keys last (Go map
// order is random upstream, which only matters for patches that are ambiguous anyway).

import { badRequest, internalError } from '../../api/status.ts';
import { clonePatch, cloneTarget, goS, goType, goV, isObject, type JsonObject, type JsonValue } from './json.ts';
import { genericInvalid, goError, panicError } from './errors.ts';
import { jsonKind } from './merge-patch.ts';
import { DEDUCED, SCALAR, type SchemaNode, type SmpSchema } from './schema.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ORDER = 'invalid patch format of setElementOrder list';

type Kind = 'map' | 'slice' | 'scalar';

interface PatchMeta { type: SchemaNode; strategy: string; mergeKey: string }

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** reflect.TypeOf for the type comparisons mergeMap does (int64 and float64 differ, as do nil and anything). */
const goTypeOf = (v: JsonValue): string => (v === null ? 'nil' : goType(v));
const kindOf = (v: JsonValue): Kind => (Array.isArray(v) ? 'slice' : isObject(v) ? 'map' : 'scalar');

const errBadArgType = (expected: 'map' | 'slice', actual: JsonValue | undefined) =>
  goError(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goType(actual)}`);
const errNoMergeKey = (m: JsonValue, key: string) => goError(`map: ${goV(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: JsonValue | undefined, m: JsonValue) => goError(`unknown patch type: ${goS(t)} in map: ${goV(m)}`);

/** Go's == on interface{} values: maps and slices are not comparable (runtime panic). */
function goEq(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null) {
    throw panicError('runtime error: comparing uncomparable type map[string]interface {}');
  }
  return x === y;
}

/** A map key in Go must be hashable: map and slice values panic. */
function hashKey(v: JsonValue): JsonValue {
  if (typeof v === 'object' && v !== null) throw panicError(`runtime error: hash of unhashable type ${goType(v)}`);
  return v;
}

// ---- schema lookups (forkedjson.LookupPatchMetadata) ----------------------------------------------------------------

function lookupPatchMetadata(t: SchemaNode, key: string): PatchMeta {
  if (t.kind === 'map') return { type: t.elem ?? SCALAR, strategy: '', mergeKey: '' };
  if (t.kind === 'struct' || t.kind === 'free') {
    let f = t.fields?.get(key);
    if (!f && t.fields) {
      const lower = key.toLowerCase();
      for (const [name, field] of t.fields) if (name.toLowerCase() === lower) { f = field; break; }
    }
    // Upstream fails with `unable to find api field in struct <T> for the json field "<k>"` here, which a typed object
    // never triggers; a stored object with an unknown field is merged untyped instead of failing every patch.
    if (!f) return { type: DEDUCED, strategy: '', mergeKey: '' };
    return { type: f.type, strategy: f.patchStrategy ?? '', mergeKey: f.patchMergeKey ?? '' };
  }
  return { type: DEDUCED, strategy: '', mergeKey: '' };
}

const elemOf = (t: SchemaNode): SchemaNode => (t.kind === 'list' ? t.elem ?? SCALAR : DEDUCED);

/** reflect.Kind().String() of a list's element type, for `cannot merge lists without merge key for type %s`. */
function goKindName(t: SchemaNode): string {
  switch (t.kind) {
    case 'struct': return 'struct';
    case 'map': return 'map';
    case 'list': return 'slice';
    case 'scalar': return 'string';
    default: return 'interface';
  }
}

// ---- Go's sort.SliceStable (insertion sort in blocks of 20, then SymMerge) ----------------------------------------

function sliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const n = data.length;
  const lessIdx = (i: number, j: number) => less(data[i], data[j]);
  const swap = (i: number, j: number) => { const t = data[i]; data[i] = data[j]; data[j] = t; };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessIdx(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, k: number) => { for (let i = 0; i < k; i++) swap(a + i, b + i); };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) { swapRange(m - i, m, j); i -= j; } else { swapRange(m - i, m + j - i, i); j -= i; }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) { const h = (i + j) >>> 1; if (lessIdx(h, a)) i = h + 1; else j = h; }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) { const h = (i + j) >>> 1; if (!lessIdx(m, h)) i = h + 1; else j = h; }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) { start = nn - b; r = mid; } else { start = a; r = m; }
    const p = nn - 1;
    while (start < r) { const c = (start + r) >>> 1; if (!lessIdx(p - c, c)) start = c + 1; else r = c; }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) { insertionSort(a, b); a = b; b += blockSize; }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) { symMerge(a, a + blockSize, b); a = b; b += 2 * blockSize; }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

// ---- list helpers ----------------------------------------------------------------------------------------------------

/** The element kind shared by the lists' items (sliceElementType). */
function sliceElementKind(...slices: JsonValue[][]): Kind {
  let prev: string | undefined;
  let kind: Kind = 'scalar';
  for (const s of slices) {
    for (const v of s) {
      if (prev === undefined) {
        if (v === null) throw panicError('invalid memory address or nil pointer dereference (sliceElementType of a nil element)');
        prev = goTypeOf(v);
        kind = kindOf(v);
        if (kind === 'slice') throw genericInvalid('lists of lists are not supported');
      } else if (prev !== goTypeOf(v)) {
        throw goError(`list element types are not identical: ${goV(slices)}`);
      }
    }
  }
  if (prev === undefined) throw goError('no elements in any of the given slices');
  return kind;
}

/** findMapInSliceBasedOnKeyValue */
function findMap(list: JsonValue[], key: string, value: JsonValue): number {
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (!isObject(v)) throw goError(`value for key ${k} is not a map.`);
    if (has(v, key) && goEq((v as JsonObject)[key], value)) return k;
  }
  return -1;
}

/** index(): position of an item in an order list, matching maps by merge key and scalars by value. */
function indexIn(list: JsonValue[], item: JsonValue, mergeKey: string, kind: Kind): number {
  const val = (x: JsonValue): JsonValue => (kind === 'map' ? (isObject(x) ? (x as JsonObject)[mergeKey] ?? null : null) : x);
  const want = val(item);
  for (let i = 0; i < list.length; i++) if (goEq(want, val(list[i]))) return i;
  return -1;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: JsonValue[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isObject(item)) throw errBadArgType('map', item);
      if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(l: JsonValue[]): [JsonValue[], JsonValue[]] {
  const nonDelete: JsonValue[] = [];
  const toDelete: JsonValue[] = [];
  for (const v of l) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (has(v, DIRECTIVE) && (v as JsonObject)[DIRECTIVE] === 'delete') toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

function normalizeSliceOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string, kind: Kind): JsonValue[] {
  let toDelete: JsonValue[] = [];
  let items = toSort.slice();
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  sliceStable(items, (x, y) => {
    const ii = indexIn(order, x, mergeKey, kind);
    if (ii >= 0) {
      const ij = indexIn(order, y, mergeKey, kind);
      if (ij >= 0) return ii < ij;
    }
    return true;
  });
  return items.concat(toDelete);
}

/** mergeSortedSlice: interleave server-only items (left) with patch items (right) by their live positions. */
function mergeSortedSlice(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], mergeKey: string, kind: Kind): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function normalizeElementOrder(patch: JsonValue[], serverOnly: JsonValue[], patchOrder: JsonValue[], serverOrder: JsonValue[], mergeKey: string, kind: Kind): JsonValue[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

function partitionPrimitives(original: JsonValue[], partitionBy: JsonValue[]): [JsonValue[], JsonValue[]] {
  const inPatch = new Set(partitionBy.map(hashKey));
  const patch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of original) (inPatch.has(hashKey(v)) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMaps(original: JsonValue[], partitionBy: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const patch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of original) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMap(partitionBy, mergeKey, (v as JsonObject)[mergeKey]) >= 0 ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/** The deduplication loop of deduplicateScalars, order effects included. */
function deduplicateScalars(input: JsonValue[]): JsonValue[] {
  const s = input.slice();
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (goEq(s[i], s[j])) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

// ---- Go slices: views over a shared backing array -------------------------------------------------------------------

/** A Go slice header. Only what the merge code needs: in-place delete (append(s[:k], s[k+1:]...)) and append. */
class GoSlice {
  readonly arr: JsonValue[];
  readonly off: number;
  readonly len: number;
  readonly cap: number;
  constructor(arr: JsonValue[], off: number, len: number, cap: number) {
    this.arr = arr;
    this.off = off;
    this.len = len;
    this.cap = cap;
  }
  /** A fresh backing array with capacity == length. */
  static of(items: readonly JsonValue[]): GoSlice {
    return new GoSlice(items.slice(), 0, items.length, items.length);
  }
  get(i: number): JsonValue { return this.arr[this.off + i]; }
  set(i: number, v: JsonValue): void { this.arr[this.off + i] = v; }
  toArray(): JsonValue[] { return this.arr.slice(this.off, this.off + this.len); }
  /** append(s[:k], s[k+1:]...): shifts the tail left inside the shared array. */
  removeAt(k: number): GoSlice {
    for (let i = k; i < this.len - 1; i++) this.set(i, this.get(i + 1));
    return new GoSlice(this.arr, this.off, this.len - 1, this.cap);
  }
  /** append(s, v): in place while there is capacity, else a new array. */
  append(v: JsonValue): GoSlice {
    if (this.len < this.cap) {
      this.arr[this.off + this.len] = v;
      return new GoSlice(this.arr, this.off, this.len + 1, this.cap);
    }
    const a = this.toArray();
    a.push(v);
    return new GoSlice(a, 0, a.length, a.length);
  }
}

// ---- copy-in cleanup (PR #107705, #117568) ----------------------------------------------------------------------------

/** discardNullValuesFromPatch: drops null members of every map inside the value (null list elements stay). */
function discardNullValues(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const x of v) discardNullValues(x);
  } else if (isObject(v)) {
    const o = v as JsonObject;
    for (const k of Object.keys(o)) {
      if (o[k] === null) delete o[k];
      else discardNullValues(o[k]);
    }
  }
}

/** removeDirectives: a map carrying `$patch` is dropped wherever it appears; returns [value, keep]. */
function removeDirectives(v: JsonValue): [JsonValue, boolean] {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v) {
      const [nv, keep] = removeDirectives(x);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  if (isObject(v)) {
    const o = v as JsonObject;
    if (has(o, DIRECTIVE)) return [null, false];
    for (const k of Object.keys(o)) {
      const [nv, keep] = removeDirectives(o[k]);
      if (keep) o[k] = nv;
      else delete o[k];
    }
  }
  return [v, true];
}

/** Takes a patch value where the object has nothing to merge it with. */
function copyIn(original: JsonObject, k: string, patchV: JsonValue): void {
  discardNullValues(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) original[k] = v;
  else delete original[k];
}

// ---- merging -----------------------------------------------------------------------------------------------------------

function mergeSlice(original: GoSlice, patch: JsonValue[], elemType: SchemaNode, mergeKey: string, isDeleteList: boolean): JsonValue[] {
  if (original.len === 0 && patch.length === 0) return original.toArray();
  const kind = sliceElementKind(original.toArray(), patch);
  let merged: JsonValue[];
  let orig = original;
  let p = patch;
  if (kind !== 'map') {
    if (isDeleteList) {
      const toDelete = new Set(patch.map(hashKey));
      return original.toArray().filter((v) => !toDelete.has(hashKey(v)));
    }
    merged = deduplicateScalars(original.toArray().concat(patch));
  } else {
    if (mergeKey === '') throw goError(`cannot merge lists without merge key for ${goKindName(elemType)}`);
    [orig, p] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(orig, p, mergeKey, elemType).toArray();
  }
  const [patchItems, serverOnly] = mergeKey === '' ? partitionPrimitives(merged, p) : partitionMaps(merged, p, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, p, orig.toArray(), mergeKey, kind);
}

function mergeSliceWithSpecialElements(original: GoSlice, patch: JsonValue[], mergeKey: string): [GoSlice, JsonValue[]] {
  const without: JsonValue[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!has(m, DIRECTIVE)) { without.push(v); continue; }
    const t = m[DIRECTIVE];
    if (t === 'delete') {
      if (!has(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      // deleteMatchingEntries: every entry with that key goes, shifting the shared array in place.
      const value = m[mergeKey];
      for (let k = findMap(orig.toArray(), mergeKey, value); k >= 0; k = findMap(orig.toArray(), mergeKey, value)) orig = orig.removeAt(k);
    } else if (t === 'replace') {
      replace = true;
    } else if (t === 'merge') {
      throw goError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(t, m);
    }
  }
  return replace ? [GoSlice.of(without), []] : [orig, without];
}

function mergeSliceWithoutSpecialElements(original: GoSlice, patch: JsonValue[], mergeKey: string, elemType: SchemaNode): GoSlice {
  let orig = original;
  for (const v of patch) {
    const m = v as JsonObject;
    if (!has(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const k = findMap(orig.toArray(), mergeKey, m[mergeKey]);
    if (k >= 0) orig.set(k, mergeMap(orig.get(k) as JsonObject, m, elemType));
    else orig = orig.append(v);
  }
  return orig;
}

function mergeSliceHandler(original: JsonValue | GoSlice, patch: JsonValue, meta: PatchMeta, isDeleteList: boolean): JsonValue[] {
  if (!(original instanceof GoSlice) && !Array.isArray(original)) throw errBadArgType('slice', original);
  if (!Array.isArray(patch)) throw errBadArgType('slice', patch);
  const view = original instanceof GoSlice ? original : GoSlice.of(original);
  // Delete lists are handled the same way whatever the field's strategy (PR #110472).
  if (meta.strategy === 'merge' || isDeleteList) return mergeSlice(view, patch, elemOf(meta.type), meta.mergeKey, isDeleteList);
  return patch;
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw badRequest(prefix === DELETE_PRIMITIVE ? ERR_BAD_PRIMITIVE_LIST : ERR_BAD_SET_ORDER);
  }
  return s.slice(slash + 1);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  const keep = new Set(list.map(hashKey));
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function validatePatchWithSetOrderList(patchList: JsonValue[], setOrder: JsonValue[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  const equal = (l: JsonValue, r: JsonValue): boolean => {
    if (!mergeKey) return goEq(l, r);
    if (!isObject(l)) throw errBadArgType('map', l);
    if (!isObject(r)) throw errBadArgType('map', r);
    if (!has(l, mergeKey)) throw errNoMergeKey(l, mergeKey);
    if (!has(r, mergeKey)) throw errNoMergeKey(r, mergeKey);
    return goEq((l as JsonObject)[mergeKey], (r as JsonObject)[mergeKey]);
  };
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < setOrder.length) {
    const item = nonDelete[pi];
    if (isObject(item) && has(item, DIRECTIVE)) { pi++; continue; }
    if (equal(item, setOrder[si])) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= setOrder.length) {
    throw goError(`The order in patch list:\n${goV(patchList)}\n doesn't match ${SET_ORDER} list:\n${goV(setOrder)}\n`);
  }
}

function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, t: SchemaNode): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw errBadArgType('slice', setOrder);
    const originalKey = extractKey(key, SET_ORDER);
    const foundOriginal = has(original, originalKey);
    const foundPatch = has(patch, originalKey);
    let originalView = GoSlice.of([]);
    let patchValue: JsonValue[] = [];
    if (foundOriginal) {
      const v = original[originalKey];
      if (!Array.isArray(v)) throw errBadArgType('slice', v);
      originalView = GoSlice.of(v);
    }
    if (foundPatch) {
      const v = patch[originalKey];
      if (!Array.isArray(v)) throw errBadArgType('slice', v);
      patchValue = v;
    }
    const meta = lookupPatchMetadata(t, originalKey);
    validatePatchWithSetOrderList(patchValue, setOrder, meta.mergeKey);
    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) merged = originalView.toArray();
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchValue)[0] as JsonValue[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalView, patchValue, meta, false);
    else continue;
    const [patchItems, serverOnly] = meta.mergeKey === ''
      ? partitionPrimitives(merged, setOrder)
      : partitionMaps(merged, setOrder, meta.mergeKey);
    // originalView is read again now: the merge may have shifted and refilled its backing array (see the header).
    const serverOrder = originalView.toArray();
    const kind = sliceElementKind(serverOrder, patchValue);
    original[originalKey] = normalizeElementOrder(patchItems, serverOnly, setOrder, serverOrder, meta.mergeKey, kind);
    delete patch[originalKey];
  }
}

function handleDirectiveInMergeMap(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

function mergeMap(originalIn: JsonObject | null, patch: JsonObject, t: SchemaNode): JsonObject {
  if (has(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  const original = originalIn ?? {};
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, t);
  const keys = Object.keys(patch);
  const ordered = [...keys.filter((k) => !k.startsWith(DELETE_PRIMITIVE)), ...keys.filter((k) => k.startsWith(DELETE_PRIMITIVE))];
  for (const pk of ordered) {
    const patchV = patch[pk];
    let k = pk;
    let isDeleteList = false;
    if (pk.startsWith(DELETE_PRIMITIVE)) {
      k = extractKey(pk, DELETE_PRIMITIVE);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!has(original, k)) {
      if (!isDeleteList) copyIn(original, k, patchV);
      continue;
    }
    const origV = original[k];
    if (goTypeOf(origV) !== goTypeOf(patchV)) {
      if (!isDeleteList) copyIn(original, k, patchV);
      continue;
    }
    if (isObject(origV)) {
      const meta = lookupPatchMetadata(t, k);
      original[k] = meta.strategy === 'replace' ? patchV : mergeMap(origV as JsonObject, patchV as JsonObject, meta.type);
    } else if (Array.isArray(origV)) {
      original[k] = mergeSliceHandler(origV, patchV, lookupPatchMetadata(t, k), isDeleteList);
    } else {
      original[k] = patchV;
    }
  }
  return original;
}

/**
 * Applies a strategic merge patch (the parsed body) to `original` using `schema`'s struct tags and returns the result.
 * Inputs are not modified. A `null` patch is a no-op (it decodes to a nil map upstream).
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema: SmpSchema): unknown {
  const p = clonePatch(patch);
  const doc = cloneTarget(original);
  if (p === null) return doc;
  if (!isObject(p)) throw badRequest(`json: cannot unmarshal ${jsonKind(p)} into Go value of type map[string]interface {}`);
  if (!isObject(doc)) throw internalError('invalid object to patch: not a JSON object');
  return mergeMap(doc as JsonObject, p as JsonObject, schema.root);
}
