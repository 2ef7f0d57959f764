// Strict field validation as kube-apiserver does it (fieldValidation=Strict|Warn|Ignore).
//
// Upstream behaviour reproduced here (kubernetes v1.32):
// - sigs.k8s.io/json internal/golang/encoding/json (decode.go, kubernetes_patch.go): UnmarshalStrict decodes into the
//   versioned Go struct case-sensitively and records, in document order, `unknown field "<path>"` for a key with no
//   struct field (its value is skipped, nothing inside it is reported) and `duplicate field "<path>"` for a struct field
//   or map key seen twice in the same object. The path joins keys with "." and list items as "[i]"
//   (spec.ports[0].tragetPort); strictError.Error() is errType + " " + strconv.Quote(path). Errors are de-duplicated and
//   capped at 100.
// - k8s.io/apimachinery/pkg/runtime/error.go: strictDecodingError.Error() = "strict decoding error: " + errors joined ", ".
// - k8s.io/apiserver/pkg/endpoints/handlers/rest.go: transformDecodeError wraps it as BadRequest
//   `%s in version %q cannot be handled as a %s: %v`; fieldValidation("") is Warn; addStrictDecodingWarnings adds one
//   warning per strict error, the text being the error itself (`unknown field "spec.foo"`).

import { TYPES, ROOTS } from './types.ts';

export type StrictErrorType = 'unknown field' | 'duplicate field';
export interface StrictError { type: StrictErrorType; path: string }
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The values ValidateFieldValidation accepts, in the order its NotSupported message lists them (sets.String.List()). */
export const FIELD_VALIDATION_VALUES: readonly string[] = ['', 'Ignore', 'Strict', 'Warn'];

/** sigs.k8s.io/json stops recording strict errors after this many. */
export const MAX_STRICT_ERRORS = 100;

/** encoding/json's scanner rejects documents nested deeper than this ("exceeded max depth"). */
const MAX_DEPTH = 10000;

// ---- schema graph -------------------------------------------------------------------------------------------------

type Node =
  | { t: 'struct'; name: string; fields: Map<string, Node> }
  | { t: 'list'; of: Node }
  | { t: 'map'; of: Node }
  | { t: 'leaf' }
  | { t: 'free' };

const LEAF: Node = { t: 'leaf' };
const FREE: Node = { t: 'free' };
let compiled: Map<string, Node> | undefined;

function compile(): Map<string, Node> {
  if (compiled) return compiled;
  const out = new Map<string, Node>();
  for (const name of Object.keys(TYPES)) out.set(name, { t: 'struct', name, fields: new Map() });
  const ref = (type: string, owner: string): Node => {
    const n = out.get(type);
    if (!n) throw new Error(`schema: ${owner} refers to unknown type ${type}`);
    return n;
  };
  for (const [name, spec] of Object.entries(TYPES)) {
    const node = out.get(name) as Extract<Node, { t: 'struct' }>;
    for (const tok of spec.split(' ')) {
      if (!tok) continue;
      const colon = tok.indexOf(':');
      const field = colon < 0 ? tok : tok.slice(0, colon);
      const t = colon < 0 ? '' : tok.slice(colon + 1);
      let child: Node;
      if (t === '') child = LEAF;
      else if (t === '*') child = FREE;
      else if (t === '[]') child = { t: 'list', of: LEAF };
      else if (t === '{}') child = { t: 'map', of: LEAF };
      else if (t.startsWith('[') && t.endsWith(']')) child = { t: 'list', of: ref(t.slice(1, -1), name) };
      else if (t.startsWith('{') && t.endsWith('}')) child = { t: 'map', of: ref(t.slice(1, -1), name) };
      else child = ref(t, name);
      if (node.fields.has(field)) throw new Error(`schema: ${name}.${field} declared twice`);
      node.fields.set(field, child);
    }
  }
  compiled = out;
  return out;
}

function rootFor(apiVersion: string, kind: string): Node | undefined {
  const g = compile();
  if (kind === 'DeleteOptions') return g.get('DeleteOptions');
  const name = ROOTS[`${apiVersion}/${kind}`];
  return name ? g.get(name) : undefined;
}

/** True when the table describes `apiVersion`/`kind`, so unknownFields can judge its bodies. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  return rootFor(apiVersion, kind) !== undefined;
}

/**
 * The names of the struct's JSON fields at a dotted path below the kind (`spec.template.spec`), or undefined when the
 * path does not lead to a struct. List and map levels are stepped through transparently (`spec.ports` names ServicePort).
 */
export function knownFields(apiVersion: string, kind: string, path = ''): string[] | undefined {
  let n = rootFor(apiVersion, kind);
  for (const part of path ? path.split('.') : []) {
    while (n && (n.t === 'list' || n.t === 'map')) n = n.of;
    n = n && n.t === 'struct' ? n.fields.get(part) : undefined;
  }
  while (n && (n.t === 'list' || n.t === 'map')) n = n.of;
  return n && n.t === 'struct' ? [...n.fields.keys()] : undefined;
}

// ---- error collection -----------------------------------------------------------------------------------------------

class Collector {
  readonly errors: StrictError[] = [];
  private readonly seen = new Set<string>();
  add(type: StrictErrorType, parent: string, key: string): void {
    if (this.errors.length >= MAX_STRICT_ERRORS) return;
    const path = parent ? `${parent}.${key}` : key;
    const id = `${type}\u0000${path}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.errors.push({ type, path });
  }
}

const join = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

// ---- parsed-object walk ---------------------------------------------------------------------------------------------

function walkValue(node: Node, v: unknown, path: string, out: Collector): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    if (node.t !== 'list') return; // type mismatch: a decode error upstream, never a strict error
    for (let i = 0; i < v.length; i++) walkValue(node.of, v[i], `${path}[${i}]`, out);
    return;
  }
  if (node.t === 'struct') {
    for (const key of Object.keys(v)) {
      const child = node.fields.get(key);
      if (!child) out.add('unknown field', path, key);
      else walkValue(child, (v as Record<string, unknown>)[key], join(path, key), out);
    }
  } else if (node.t === 'map') {
    for (const key of Object.keys(v)) walkValue(node.of, (v as Record<string, unknown>)[key], join(path, key), out);
  }
}

/**
 * Unknown-field paths of an already parsed body, in kube's format (`spec.ports[0].tragetPort`) and in the order the
 * strict decoder meets them (object key order). `apiVersion`, `kind`, `metadata` and (where the kind has one) `status`
 * are known at the top level. A kind without a schema yields []. Duplicate keys cannot be seen in a parsed object:
 * use strictDecodingErrors on the raw body for those.
 */
export function unknownFields(apiVersion: string, kind: string, obj: unknown): string[] {
  const root = rootFor(apiVersion, kind);
  if (!root) return [];
  const out = new Collector();
  walkValue(root, obj, '', out);
  return out.errors.map((e) => e.path);
}

// ---- raw JSON scan --------------------------------------------------------------------------------------------------

interface Frame {
  obj: boolean;
  node: Node; // the node of this container (struct/map for objects, list for arrays), or FREE to skip
  path: string;
  keys?: Set<string>; // for duplicate detection in structs and maps
  idx: number;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Strict decoding errors (unknown and duplicate fields) of a raw JSON body, in the exact order and form
 * sigs.k8s.io/json UnmarshalStrict reports them. Returns null when the body is not valid JSON (the caller reports the
 * syntax error; strict errors are only meaningful for a well-formed body). A kind without a schema yields [].
 * Never throws; bounded by the body length.
 */
export function strictDecodingErrors(apiVersion: string, kind: string, body: string | Uint8Array): StrictError[] | null {
  const root = rootFor(apiVersion, kind) ?? FREE;
  const s = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
  const out = new Collector();
  const n = s.length;
  let pos = 0;
  const stack: Frame[] = [];
  const skipWs = (): void => { while (pos < n && WS.has(s.charCodeAt(pos))) pos++; };

  // Scans a string token starting at s[pos] === '"'; returns its decoded text or null if malformed.
  const scanString = (decode: boolean): string | null => {
    const start = pos;
    pos++;
    let escaped = false;
    for (;;) {
      if (pos >= n) return null;
      const c = s.charCodeAt(pos);
      if (c === 0x22) { pos++; break; }
      if (c < 0x20) return null;
      if (c !== 0x5c) { pos++; continue; }
      escaped = true;
      const e = s.charCodeAt(pos + 1);
      if (e === 0x75) { // \uXXXX
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(pos + 2, pos + 6))) return null;
        pos += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        pos += 2;
      } else {
        return null;
      }
    }
    if (!decode) return '';
    const raw = s.slice(start, pos);
    if (!escaped) return raw.slice(1, -1);
    try { return JSON.parse(raw) as string; } catch { return null; }
  };
  const scanNumber = (): boolean => {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = pos;
    if (!m.exec(s) || m.lastIndex === pos) return false;
    pos = m.lastIndex;
    return true;
  };

  // Begins a value of schema `node` at `path`. Returns false on a syntax error.
  const beginValue = (node: Node, path: string): boolean => {
    skipWs();
    if (pos >= n) return false;
    const c = s.charCodeAt(pos);
    if (c === 0x7b) { // {
      if (stack.length >= MAX_DEPTH) return false;
      pos++;
      const objNode = node.t === 'struct' || node.t === 'map' ? node : FREE;
      stack.push({ obj: true, node: objNode, path, keys: objNode === FREE ? undefined : new Set(), idx: -1 });
      return true;
    }
    if (c === 0x5b) { // [
      if (stack.length >= MAX_DEPTH) return false;
      pos++;
      stack.push({ obj: false, node: node.t === 'list' ? node : FREE, path, idx: -1 });
      return true;
    }
    if (c === 0x22) return scanString(false) !== null;
    if (s.startsWith('true', pos)) { pos += 4; return true; }
    if (s.startsWith('false', pos)) { pos += 5; return true; }
    if (s.startsWith('null', pos)) { pos += 4; return true; }
    return scanNumber();
  };

  if (!beginValue(root, '')) return null;
  // Each iteration handles the position right after a value or container start.
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top) {
      skipWs();
      return pos === n ? out.errors : null;
    }
    skipWs();
    if (pos >= n) return null;
    const c = s.charCodeAt(pos);
    if (top.idx >= 0 || c === 0x7d || c === 0x5d) {
      // after an element (or at an empty container's end): expect ',' or the closing bracket
      if (c === (top.obj ? 0x7d : 0x5d)) { pos++; stack.pop(); continue; }
      if (top.idx < 0 || c !== 0x2c) return null;
      pos++;
      skipWs();
    }
    top.idx++;
    if (!top.obj) {
      const child = top.node.t === 'list' ? top.node.of : FREE;
      if (!beginValue(child, child === FREE ? '' : `${top.path}[${top.idx}]`)) return null;
      continue;
    }
    if (pos >= n || s.charCodeAt(pos) !== 0x22) return null;
    const key = scanString(top.node !== FREE);
    if (key === null) return null;
    skipWs();
    if (s.charCodeAt(pos) !== 0x3a) return null;
    pos++;
    let child: Node = FREE;
    let childPath = '';
    if (top.node.t === 'struct') {
      const f = top.node.fields.get(key);
      if (f) {
        if (top.keys!.has(key)) out.add('duplicate field', top.path, key);
        else top.keys!.add(key);
        child = f;
        childPath = join(top.path, key);
      } else {
        out.add('unknown field', top.path, key);
      }
    } else if (top.node.t === 'map') {
      if (top.keys!.has(key)) out.add('duplicate field', top.path, key);
      else top.keys!.add(key);
      child = top.node.of;
      childPath = join(top.path, key);
    }
    if (!beginValue(child, childPath)) return null;
  }
}

// ---- message text ---------------------------------------------------------------------------------------------------

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's strconv.Quote: backslash escapes for `"` `\` and control characters, printable runes kept as they are. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'; // a lone surrogate: Go decoded it to U+FFFD
    else if (PRINTABLE.test(ch)) out += ch;
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 10) out += '\\n';
    else if (cp === 13) out += '\\r';
    else if (cp === 9) out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** Plain strings are unknown-field paths (what unknownFields returns). */
export type StrictField = string | StrictError;

/** One strict error as kube prints it: `unknown field "spec.foo"`, `duplicate field "metadata.name"`. */
export function strictErrorText(f: StrictField): string {
  const e = typeof f === 'string' ? { type: 'unknown field' as const, path: f } : f;
  return `${e.type} ${goQuote(e.path)}`;
}

/** runtime.NewStrictDecodingError(...).Error(): `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingErrorText(fields: readonly StrictField[]): string {
  return 'strict decoding error: ' + fields.map(strictErrorText).join(', ');
}

/**
 * The BadRequest message of a create/update whose body fails strict decoding (rest.go transformDecodeError):
 * `Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.foo"`.
 * `kind`/`version` are the body's (defaulted from the URL when absent). kube prints gvk.Version, the bare version, so
 * "v1" also for apps/v1: an apiVersion with a group ("apps/v1") is accepted and reduced to its version.
 * `targetKind` is the kind the handler decodes into, the same as `kind` for a well-formed request.
 */
export function strictDecodingMessage(kind: string, version: string, fields: readonly StrictField[], targetKind: string = kind): string {
  const bare = version.slice(version.lastIndexOf('/') + 1);
  return `${kind} in version ${goQuote(bare)} cannot be handled as a ${targetKind}: ${strictDecodingErrorText(fields)}`;
}

/** The Warning header texts for fieldValidation=Warn: one per strict error, in order. */
export function warningTexts(fields: readonly StrictField[]): string[] {
  return fields.map(strictErrorText);
}

/**
 * The directive for a request's `fieldValidation` query value (rest.go fieldValidation): absent or "" means Warn.
 * Returns undefined for a value ValidateFieldValidation rejects (it is not one of FIELD_VALIDATION_VALUES).
 */
export function fieldValidationDirective(value: string | null | undefined): FieldValidation | undefined {
  if (value === null || value === undefined || value === '') return 'Warn';
  return value === 'Strict' || value === 'Warn' || value === 'Ignore' ? value : undefined;
}
