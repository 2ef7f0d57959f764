// The structured-merge-diff walkers server-side apply needs (sigs.k8s.io/structured-merge-diff/v4/typed):
// validation of an applied object, ToFieldSet, Compare, Merge (live ← applied), RemoveItems and
// Set.EnsureNamedFieldsAreMembers, over the schema nodes of schema.ts.
//
// Representation: `undefined` is an absent value (Go nil), `null` is an explicit JSON null (a null Value).
// Atoms: scalars and atomic lists/maps/structs are leaves; `set`/`map` lists and granular maps/structs are descended.
// Struct fields count as declared (no member of their own unless null or {}), map[string]T keys do not (every key is
// a member), as in tofieldset.go. A field missing from our tables is treated as declared and untyped when it comes
// from a stored object; in an applied object it is `field not declared in schema`, as upstream.

import { goQuote } from '../../api/status.ts';
import { deepEqual, goV, isObject, type JsonObject, type JsonValue } from './json.ts';
import { FieldSet, fieldPE, keyPE, peKey, peString, type Path, type PathElement } from './fieldpath.ts';
import { DEDUCED, SCALAR, type SchemaNode } from './schema.ts';

type Atom = 'scalar' | 'leaf' | 'list' | 'map';
type V = JsonValue | undefined;

const present = (v: V): v is JsonValue => v !== undefined;

function atomOf(node: SchemaNode, ...vs: V[]): Atom {
  switch (node.kind) {
    case 'scalar': return 'scalar';
    case 'free': return 'leaf';
    case 'struct':
    case 'map': return node.atomic ? 'leaf' : 'map';
    case 'list': return node.listType === 'set' || node.listType === 'map' ? 'list' : 'leaf';
    default: {
      const vals = vs.filter((v) => v !== undefined && v !== null);
      if (vals.length && vals.every(isObject)) return 'map';
      if (vals.some((v) => Array.isArray(v) || isObject(v))) return 'leaf';
      return 'scalar';
    }
  }
}

function childNode(node: SchemaNode, key: string): SchemaNode {
  if (node.kind === 'struct') return node.fields?.get(key)?.type ?? DEDUCED;
  if (node.kind === 'map') return node.elem ?? SCALAR;
  return DEDUCED;
}

/** Whether a map key is a declared field (structs) rather than a map entry (map[string]T, deduced maps). */
const declared = (node: SchemaNode): boolean => node.kind === 'struct';

/** The list path element of an item (listItemToPathElement), or the upstream error text. */
export function listItemPE(node: SchemaNode, item: JsonValue, index: number): PathElement | string {
  if (node.listType === 'map') {
    if (item === null) return 'associative list with keys may not have a null element';
    if (!isObject(item)) return 'associative list with keys may not have non-map elements';
    const elem = node.elem;
    const fields: Array<[string, JsonValue]> = [];
    for (const key of node.listMapKeys ?? []) {
      if (Object.prototype.hasOwnProperty.call(item, key)) fields.push([key, (item as JsonObject)[key]]);
      else {
        const def = elem?.kind === 'struct' ? elem.fields?.get(key)?.default : undefined;
        if (def === undefined) return `associative list with keys has an element that omits key field ${goQuote(key)} (and doesn't have default value)`;
        fields.push([key, def]);
      }
    }
    return keyPE(fields);
  }
  if (node.listType === 'set') {
    if (isObject(item)) return "associative list without keys has an element that's a map type";
    if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
    if (item === null) return "associative list without keys has an element that's an explicit null";
    return { kind: 'value', value: item };
  }
  return { kind: 'index', index };
}

// ---- validation (ObjectToTyped) ------------------------------------------------------------------------------------

export interface ValidateOptions {
  /** Live objects may repeat a key (typed.AllowDuplicates); applied ones may not. */
  allowDuplicates: boolean;
  /** Fields missing from the schema: an error for applied objects, tolerated (untyped) for stored ones. */
  unknownFields: 'error' | 'ignore';
}

const at = (path: string, msg: string): string => (path ? `${path}: ${msg}` : msg);

/** ValidationErrors in upstream's text: one error as is, several as `errors:\n  a\n  b`. */
export function joinErrors(errs: string[]): string {
  return errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
}

export function validate(v: V, node: SchemaNode, opts: ValidateOptions, path = '', errs: string[] = []): string[] {
  if (v === undefined || v === null) return errs;
  switch (node.kind) {
    case 'free':
      return errs;
    case 'scalar':
      if (isObject(v) || Array.isArray(v)) errs.push(at(path, `expected any scalar, got &{${goV(v)}}`));
      return errs;
    case 'deduced':
      if (isObject(v)) for (const k of Object.keys(v)) validate((v as JsonObject)[k], DEDUCED, opts, `${path}.${k}`, errs);
      return errs;
    case 'struct':
    case 'map': {
      if (!isObject(v)) { errs.push(at(path, `expected map, got &{${goV(v)}}`)); return errs; }
      for (const k of Object.keys(v)) {
        const p = `${path}.${k}`;
        if (node.kind === 'struct' && !node.fields?.has(k)) {
          if (opts.unknownFields === 'error') errs.push(at(p, 'field not declared in schema'));
          continue;
        }
        validate((v as JsonObject)[k], childNode(node, k), opts, p, errs);
      }
      return errs;
    }
    case 'list': {
      if (!Array.isArray(v)) { errs.push(at(path, `expected list, got &{${goV(v)}}`)); return errs; }
      const elem = node.elem ?? SCALAR;
      if (node.listType !== 'map' && node.listType !== 'set') {
        v.forEach((item, i) => validate(item, elem, opts, `${path}[${i}]`, errs));
        return errs;
      }
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const pe = listItemPE(node, v[i], i);
        if (typeof pe === 'string') { errs.push(at(path, `element ${i}: ${pe}`)); return errs; }
        const k = peKey(pe);
        if (seen.has(k) && !opts.allowDuplicates) errs.push(at(path, `duplicate entries for key ${peString(pe)}`));
        seen.add(k);
        validate(v[i], elem, opts, `${path}${peString(pe)}`, errs);
      }
      return errs;
    }
  }
}

// ---- list indexing ---------------------------------------------------------------------------------------------------

interface Indexed { pes: PathElement[]; items: Map<string, JsonValue> }

/** indexListPathElements: PEs in list order; duplicates keep their slot but map to null (merge.go allowDuplicates). */
function indexList(node: SchemaNode, list: JsonValue[] | null): Indexed {
  const pes: PathElement[] = [];
  const items = new Map<string, JsonValue>();
  (list ?? []).forEach((item, i) => {
    const pe = listItemPE(node, item, i);
    if (typeof pe === 'string') return;
    const k = peKey(pe);
    if (items.has(k)) items.set(k, null);
    else items.set(k, item);
    pes.push(pe);
  });
  return { pes, items };
}

// ---- ToFieldSet ------------------------------------------------------------------------------------------------------

/** TypedValue.ToFieldSet: every leaf, list item, null or empty map and map[string] entry the value mentions. */
export function toFieldSet(v: V, node: SchemaNode): FieldSet {
  const set = new FieldSet();
  walkSet(v, node, [], set);
  return set;
}

function walkSet(v: V, node: SchemaNode, path: PathElement[], set: FieldSet): void {
  const a = atomOf(node, v);
  if (a === 'scalar' || a === 'leaf') { set.insert(path); return; }
  if (a === 'list') {
    if (!Array.isArray(v)) return;
    v.forEach((item, i) => {
      const pe = listItemPE(node, item, i);
      if (typeof pe === 'string') return;
      const p = [...path, pe];
      walkSet(item, node.elem ?? SCALAR, p, set);
      set.insert(p);
    });
    return;
  }
  if (!isObject(v)) return;
  for (const k of Object.keys(v)) {
    const val = (v as JsonObject)[k];
    const p = [...path, fieldPE(k)];
    walkSet(val, childNode(node, k), p, set);
    if (val === null || (isObject(val) && Object.keys(val).length === 0) || !declared(node)) set.insert(p);
  }
}

// ---- Compare ---------------------------------------------------------------------------------------------------------

export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/** TypedValue.Compare (compare.go): leaves are added/removed/modified; containers only added/removed. */
export function compare(lhs: V, rhs: V, node: SchemaNode): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, node, [], c);
  return c;
}

function walkCompare(l: V, r: V, node: SchemaNode, path: PathElement[], c: Comparison): void {
  const a = atomOf(node, l, r);
  let leaf = a === 'scalar' || a === 'leaf';
  if (a === 'list') {
    const bad = (x: V) => present(x) && x !== null && !Array.isArray(x);
    const L = Array.isArray(l) ? l : null;
    const R = Array.isArray(r) ? r : null;
    if (bad(l) || bad(r) || ((!L || !L.length) && (!R || !R.length))) leaf = true;
    else {
      const elem = node.elem ?? SCALAR;
      const li = indexList(node, L);
      const ri = indexList(node, R);
      const seen = new Set<string>();
      for (const pe of [...ri.pes, ...li.pes]) {
        const k = peKey(pe);
        if (seen.has(k)) continue;
        seen.add(k);
        walkCompare(li.items.get(k), ri.items.get(k), elem, [...path, pe], c);
      }
    }
  } else if (a === 'map') {
    const bad = (x: V) => present(x) && x !== null && !isObject(x);
    const L = isObject(l) ? (l as JsonObject) : null;
    const R = isObject(r) ? (r as JsonObject) : null;
    if (bad(l) || bad(r) || ((!L || !Object.keys(L).length) && (!R || !Object.keys(R).length))) leaf = true;
    else {
      const keys = new Set([...Object.keys(L ?? {}), ...Object.keys(R ?? {})]);
      for (const k of keys) walkCompare(L?.[k], R?.[k], childNode(node, k), [...path, fieldPE(k)], c);
    }
  }
  if (leaf) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
    else if (!deepEqual(l, r)) c.modified.insert(path);
  } else if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

/** Comparison.ExcludeFields */
export function excludeFields(c: Comparison, ignored: FieldSet): Comparison {
  if (ignored.empty()) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

// ---- Merge -----------------------------------------------------------------------------------------------------------

/** TypedValue.Merge with ruleKeepRHS: the applied value wins at every leaf; list items merge in merge.go's order. */
export function merge(lhs: V, rhs: V, node: SchemaNode): V {
  const a = atomOf(node, lhs, rhs);
  const keepRHS = rhs !== undefined ? rhs : lhs;
  if (a === 'scalar' || a === 'leaf') return keepRHS;
  if (a === 'list') {
    if ((present(lhs) && lhs !== null && !Array.isArray(lhs)) || (present(rhs) && rhs !== null && !Array.isArray(rhs))) return keepRHS;
    const L = Array.isArray(lhs) ? lhs : null;
    const R = Array.isArray(rhs) ? rhs : null;
    if ((!L || !L.length) && (!R || !R.length)) return keepRHS;
    const out = mergeListItems(node, L, R);
    return out.length ? out : undefined;
  }
  if ((present(lhs) && lhs !== null && !isObject(lhs)) || (present(rhs) && rhs !== null && !isObject(rhs))) return keepRHS;
  const L = isObject(lhs) ? (lhs as JsonObject) : null;
  const R = isObject(rhs) ? (rhs as JsonObject) : null;
  if ((!L || !Object.keys(L).length) && (!R || !Object.keys(R).length)) return keepRHS;
  const out: JsonObject = {};
  for (const k of Object.keys(L ?? {})) {
    const m = merge(L![k], R?.[k], childNode(node, k));
    if (m !== undefined) out[k] = m;
  }
  for (const k of Object.keys(R ?? {})) {
    if (L && Object.prototype.hasOwnProperty.call(L, k)) continue;
    const m = merge(undefined, R![k], childNode(node, k));
    if (m !== undefined) out[k] = m;
  }
  return Object.keys(out).length ? out : undefined;
}

/** mergingWalker.visitListItems: shared items follow the applied order, live-only items keep their place. */
function mergeListItems(node: SchemaNode, lhs: JsonValue[] | null, rhs: JsonValue[] | null): JsonValue[] {
  const elem = node.elem ?? SCALAR;
  const r = indexList(node, rhs);
  const l = indexList(node, lhs);
  const shared = r.pes.filter((pe) => l.items.has(peKey(pe)));
  let next: PathElement | undefined = shared.shift();
  const mergedRHS = new Set<string>();
  const out: JsonValue[] = [];
  const push = (v: V) => { if (v !== undefined) out.push(v); };
  let lI = 0;
  let rI = 0;
  while (lI < l.pes.length || rI < r.pes.length) {
    if (lI < l.pes.length && rI < r.pes.length) {
      const pe = l.pes[lI];
      const k = peKey(pe);
      if (k === peKey(r.pes[rI])) {
        mergedRHS.add(k);
        push(merge(l.items.get(k), r.items.get(k), elem));
        lI++;
        rI++;
        next = shared.shift();
        continue;
      }
      if (r.items.has(k) && next && peKey(next) !== k) { lI++; continue; }
    }
    if (lI < l.pes.length) {
      const k = peKey(l.pes[lI]);
      if (!r.items.has(k)) {
        push(merge((lhs ?? [])[lI], undefined, elem));
        lI++;
        continue;
      } else if (mergedRHS.has(k)) {
        lI++;
        continue;
      }
    }
    if (rI < r.pes.length) {
      const pe = r.pes[rI];
      const k = peKey(pe);
      mergedRHS.add(k);
      push(merge(l.items.get(k), r.items.get(k), elem));
      rI++;
      if (next && peKey(next) === k) next = shared.shift();
    }
  }
  return out;
}

// ---- RemoveItems -----------------------------------------------------------------------------------------------------

/**
 * TypedValue.RemoveItems (remove.go): drops every member of `set`, descending where `set` has children. A map or list
 * left empty becomes null, as upstream (null members are dropped from the final object by the caller).
 */
export function removeItems(v: V, set: FieldSet, node: SchemaNode): V {
  const a = atomOf(node, v);
  if (a === 'scalar') return v;
  if (a === 'leaf') return isObject(v) || Array.isArray(v) ? undefined : v;
  if (a === 'list') {
    if (!Array.isArray(v) || !v.length) return undefined;
    const out: JsonValue[] = [];
    v.forEach((item, i) => {
      const pe = listItemPE(node, item, i);
      if (typeof pe === 'string') { out.push(item); return; }
      if (set.has([pe])) return;
      const sub = set.withPrefix(pe);
      out.push(sub.empty() ? item : removeItems(item, sub, node.elem ?? SCALAR) ?? null);
    });
    return out.length ? out : undefined;
  }
  if (!isObject(v) || !Object.keys(v).length) return undefined;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) {
    const pe = fieldPE(k);
    if (set.has([pe])) continue;
    const sub = set.withPrefix(pe);
    const val = (v as JsonObject)[k];
    out[k] = sub.empty() ? val : removeItems(val, sub, childNode(node, k)) ?? null;
  }
  return Object.keys(out).length ? out : undefined;
}

// ---- EnsureNamedFieldsAreMembers -------------------------------------------------------------------------------------

/** Set.EnsureNamedFieldsAreMembers: struct fields with owned children become members themselves. */
export function ensureNamedFieldsAreMembers(s: FieldSet, node: SchemaNode): FieldSet {
  const out = new FieldSet();
  for (const [k, pe] of s.members) out.members.set(k, pe);
  for (const [k, c] of s.children) {
    let child: SchemaNode = DEDUCED;
    if (c.pe.kind === 'field' && (node.kind === 'struct' || node.kind === 'map' || node.kind === 'deduced')) {
      if (declared(node)) out.members.set(k, c.pe);
      child = childNode(node, c.pe.name);
    } else if (c.pe.kind === 'key' && node.kind === 'list') {
      child = node.elem ?? SCALAR;
    }
    out.children.set(k, { pe: c.pe, set: ensureNamedFieldsAreMembers(c.set, child) });
  }
  return out;
}

/** The paths of a reset-field list as a set. */
export function pathSet(paths: readonly (readonly string[])[]): FieldSet {
  return FieldSet.of(...paths.map((p): Path => p.map(fieldPE)));
}
