// Field paths and field sets as sigs.k8s.io/structured-merge-diff/v4/fieldpath defines them, and their FieldsV1
// encoding (metadata.managedFields[].fieldsV1).
//
// - A path element is a field name (`f:spec`), a list-map key (`k:{"port":80,"protocol":"TCP"}`, fields sorted by
//   name), a set value (`v:"foo"`) or an index (`i:0`). They order as field < key < value < index (element.go Compare).
// - A set is a tree: `members` are the paths it contains, `children` hold deeper paths. Serialized (serialize.go
//   emitContentsV1) each level lists members and children interleaved in that order; a path that is both a member and
//   has children gets a `".": {}` entry, written after its children.
// - Human paths (conflict messages, Status causes) print as `.spec.ports[port=80,protocol="TCP"].targetPort`
//   (PathElement.String with value.ToString: strings %q, numbers %v).

import { goQuote } from '../../api/status.ts';
import { goFloat, goJson, isObject, type JsonObject, type JsonValue } from './json.ts';

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: ReadonlyArray<readonly [string, JsonValue]> }
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'index'; readonly index: number };

export type Path = readonly PathElement[];

export const fieldPE = (name: string): PathElement => ({ kind: 'field', name });

/** Sorted by name, as FieldList.Sort leaves a list-map key. */
export function keyPE(fields: Array<[string, JsonValue]>): PathElement {
  return { kind: 'key', fields: [...fields].sort((a, b) => cmpStr(a[0], b[0])) };
}

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Canonical JSON with sorted object keys (identity of values inside keys). */
function canonical(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort(cmpStr).map((k) => `${goJson(k)}:${canonical((v as JsonObject)[k])}`).join(',')}}`;
  return goJson(v);
}

/** The serialized form (`f:...`, `k:...`, `v:...`, `i:...`), which is also the identity of the element. */
export function peKey(pe: PathElement): string {
  switch (pe.kind) {
    case 'field': return `f:${pe.name}`;
    case 'key': return `k:{${pe.fields.map(([n, v]) => `${goJson(n)}:${canonical(v)}`).join(',')}}`;
    case 'value': return `v:${canonical(pe.value)}`;
    case 'index': return `i:${pe.index}`;
  }
}

/** value.ToString */
export function valueToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  return Object.keys(v).sort(cmpStr).map((k) => `${k}=${valueToString((v as JsonObject)[k])}`).join('');
}

/** PathElement.String */
export function peString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field': return `.${pe.name}`;
    case 'key': return `[${pe.fields.map(([n, v]) => `${n}=${valueToString(v)}`).join(',')}]`;
    case 'value': return `[=${valueToString(pe.value)}]`;
    case 'index': return `[${pe.index}]`;
  }
}

export const pathString = (p: Path): string => p.map(peString).join('');

const typeRank = (v: JsonValue): number => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v === null ? 5 : 4);

/** value.Compare: numbers < strings < booleans < lists < maps < null. */
export function compareValue(a: JsonValue, b: JsonValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
  if (typeof a === 'string') return cmpStr(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const bb = b as JsonValue[];
    for (let i = 0; i < Math.min(a.length, bb.length); i++) {
      const c = compareValue(a[i], bb[i]);
      if (c) return c;
    }
    return a.length - bb.length === 0 ? 0 : a.length < bb.length ? -1 : 1;
  }
  if (a === null) return 0;
  return cmpStr(canonical(a), canonical(b));
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** PathElement.Compare */
export function comparePE(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] < kindRank[b.kind] ? -1 : 1;
  switch (a.kind) {
    case 'field': return cmpStr(a.name, (b as typeof a).name);
    case 'key': {
      const bf = (b as typeof a).fields;
      for (let i = 0; ; i++) {
        if (i >= a.fields.length && i >= bf.length) return 0;
        if (i >= a.fields.length) return -1;
        if (i >= bf.length) return 1;
        const c = cmpStr(a.fields[i][0], bf[i][0]) || compareValue(a.fields[i][1], bf[i][1]);
        if (c) return c;
      }
    }
    case 'value': return compareValue(a.value, (b as typeof a).value);
    case 'index': return a.index < (b as typeof a).index ? -1 : a.index > (b as typeof a).index ? 1 : 0;
  }
}

/** DeserializePathElement; undefined for an unknown type prefix (which upstream skips). */
export function parsePE(s: string): PathElement | undefined {
  if (s.length < 2) throw new Error(`key must be 2 characters long: ${s}`);
  if (s[1] !== ':') return undefined;
  const rest = s.slice(2);
  switch (s[0]) {
    case 'f': return { kind: 'field', name: rest };
    case 'v': return { kind: 'value', value: JSON.parse(rest) as JsonValue };
    case 'k': {
      const o = JSON.parse(rest) as unknown;
      if (!isObject(o)) throw new Error(`key path element ${s} is not an object`);
      return keyPE(Object.entries(o) as Array<[string, JsonValue]>);
    }
    case 'i': {
      if (!/^[+-]?[0-9]+$/.test(rest)) throw new Error(`strconv.Atoi: parsing ${goQuote(rest)}: invalid syntax`);
      return { kind: 'index', index: Number(rest) };
    }
    default: return undefined;
  }
}

interface Child { pe: PathElement; set: FieldSet }

/** fieldpath.Set */
export class FieldSet {
  readonly members = new Map<string, PathElement>();
  readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds the path (parents are not added). The empty path (the whole object) is never owned. */
  insert(p: Path): void {
    if (p.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < p.length - 1; i++) s = s.descend(p[i]);
    s.members.set(peKey(p[p.length - 1]), p[p.length - 1]);
  }

  descend(pe: PathElement): FieldSet {
    const k = peKey(pe);
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  has(p: Path): boolean {
    if (p.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < p.length - 1 && s; i++) s = s.children.get(peKey(p[i]))?.set;
    return !!s && s.members.has(peKey(p[p.length - 1]));
  }

  empty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  /** The subset below `pe` (WithPrefix). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(peKey(pe))?.set ?? new FieldSet();
  }

  union(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of o.members) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      out.children.set(k, { pe: c.pe, set: oc ? c.set.union(oc.set) : c.set.copy() });
    }
    for (const [k, c] of o.children) if (!this.children.has(k)) out.children.set(k, { pe: c.pe, set: c.set.copy() });
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) continue;
      const r = c.set.intersection(oc.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Set.Difference: members minus o's members; children minus o's children (o's members do not remove children). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const oc = o.children.get(k);
      if (!oc) { out.children.set(k, { pe: c.pe, set: c.set.copy() }); continue; }
      const r = c.set.difference(oc.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Set.RecursiveDifference: also drops every child whose path is a member of o. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!o.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (o.members.has(k)) continue;
      const oc = o.children.get(k);
      if (!oc) { out.children.set(k, { pe: c.pe, set: c.set.copy() }); continue; }
      const r = c.set.recursiveDifference(oc.set);
      if (!r.empty()) out.children.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  copy(): FieldSet {
    return this.union(new FieldSet());
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).empty() && o.difference(this).empty();
  }

  sortedMembers(): PathElement[] {
    return [...this.members.values()].sort(comparePE);
  }

  sortedChildren(): Child[] {
    return [...this.children.values()].filter((c) => !c.set.empty()).sort((a, b) => comparePE(a.pe, b.pe));
  }

  /** Set.Iterate: at each level the members (sorted), then each child subtree in order. */
  paths(prefix: Path = []): PathElement[][] {
    const out: PathElement[][] = [];
    for (const pe of this.sortedMembers()) out.push([...prefix, pe]);
    for (const c of this.sortedChildren()) out.push(...c.set.paths([...prefix, c.pe]));
    return out;
  }

  /** The FieldsV1 JSON object (emitContentsV1). */
  toFieldsV1(): JsonObject {
    return emit(this, false);
  }

  /** Parses a FieldsV1 object (readIterV1); throws on a malformed element. */
  static fromFieldsV1(v: unknown): FieldSet {
    if (!isObject(v)) throw new Error(`expected a FieldsV1 object, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`);
    return readV1(v).children ?? new FieldSet();
  }
}

function emit(s: FieldSet, includeSelf: boolean): JsonObject {
  const out: JsonObject = {};
  const members = s.sortedMembers();
  const children = s.sortedChildren();
  let mi = 0;
  let ci = 0;
  while (mi < members.length || ci < children.length) {
    const m = members[mi];
    const c = children[ci];
    const d = !m ? 1 : !c ? -1 : comparePE(m, c.pe);
    if (d < 0) { out[peKey(m)] = {}; mi++; }
    else if (d > 0) { out[peKey(c.pe)] = emit(c.set, false); ci++; }
    else { out[peKey(c.pe)] = emit(c.set, true); mi++; ci++; }
  }
  if (includeSelf && Object.keys(out).length) out['.'] = {};
  return out;
}

function readV1(o: Record<string, unknown>): { children: FieldSet | undefined; isMember: boolean } {
  let children: FieldSet | undefined;
  let isMember = false;
  for (const key of Object.keys(o)) {
    if (key === '.') { isMember = true; continue; }
    const pe = parsePE(key);
    if (!pe) continue;
    const v = o[key];
    if (!isObject(v)) throw new Error(`parsing key as path element: ${key}: expected an object`);
    const sub = readV1(v);
    if (sub.isMember) {
      children ??= new FieldSet();
      children.members.set(peKey(pe), pe);
    }
    if (sub.children) {
      children ??= new FieldSet();
      children.children.set(peKey(pe), { pe, set: sub.children });
    }
  }
  if (!children) isMember = true;
  return { children, isMember };
}
