// JSON value helpers shared by the patch mechanisms: validation plus deep copy (the functions never touch their
// inputs), structural equality, and the Go `fmt` renderings that kube-apiserver puts into its patch error messages
// (a decoded JSON document is a Go map[string]interface{} whose numbers are int64 or float64).

import { StatusError, badRequest, internalError } from '../../api/status.ts';

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** Deeper documents are refused rather than risking the stack (real objects nest ~30 levels). */
export const MAX_DEPTH = 1000;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Validates that `v` is a JSON document (plain objects, arrays, strings, finite numbers, booleans, null) and returns
 * a deep copy. Anything else (undefined members, functions, NaN, Dates, class instances, cycles) is refused with the
 * error `fail` builds, so garbage never surfaces as a TypeError.
 */
export function cloneJson(v: unknown, fail: (what: string) => StatusError, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) throw fail(`nesting deeper than ${MAX_DEPTH} levels`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw fail(`the number ${String(v)} is not valid JSON`);
    return v;
  }
  if (Array.isArray(v)) {
    const out: JsonValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw fail('a sparse array is not valid JSON');
      out[i] = cloneJson(v[i], fail, depth + 1);
    }
    return out;
  }
  if (typeof v === 'object' && isPlainObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) throw fail(`the value of ${JSON.stringify(k)} is undefined, which is not valid JSON`);
      out[k] = cloneJson(x, fail, depth + 1);
    }
    return out;
  }
  throw fail(`a value of type ${v === undefined ? 'undefined' : typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v} is not valid JSON`);
}

/** The patch body is the client's: garbage is a 400. */
export function clonePatch(v: unknown): JsonValue {
  return cloneJson(v, (what) => badRequest(`invalid patch: ${what}`));
}

/** The stored object is ours: garbage there is a server fault. */
export function cloneTarget(v: unknown): JsonValue {
  return cloneJson(v, (what) => internalError(`invalid object to patch: ${what}`));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

// ---- Go fmt renderings ---------------------------------------------------------------------------------------------

/** Go's %v of a float64: strconv 'g' with the shortest digits, %e when the exponent is < -4 or >= 6. */
export function goFloat(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  return String(f);
}

/** %v of a number decoded from JSON: integers are int64 (PreserveInts), the rest float64. */
function goNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63 ? BigInt(n).toString() : goFloat(n);
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fmt's %v of a decoded JSON value: `map[a:1 b:[x y]]`, strings bare, null as `<nil>`. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (isObject(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goV(v[k])}`).join(' ')}]`;
  return String(v);
}

/** The Go dynamic type of a decoded JSON value, as reflect.Type prints it. */
export function goType(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** fmt's %s of a decoded JSON value (non-strings print as `%!s(int64=5)`). */
export function goS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'number') return `%!s(${goType(v)}=${goNumber(v)})`;
  if (typeof v === 'boolean') return `%!s(bool=${v})`;
  if (Array.isArray(v)) return `[${v.map(goS).join(' ')}]`;
  if (isObject(v)) return `map[${sortedKeys(v).map((k) => `${k}:${goS(v[k])}`).join(' ')}]`;
  return String(v);
}

/** JSON text the way Go's encoding/json (and json-iterator's compatible config) writes it: HTML characters escaped. */
export function goJson(v: unknown): string {
  return (JSON.stringify(v) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.Marshal of a Go map: keys sorted at every level (used for the last-applied annotation kube writes). */
export function goJsonSorted(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJsonSorted).join(',')}]`;
  if (isObject(v)) return `{${sortedKeys(v).map((k) => `${goJson(k)}:${goJsonSorted(v[k])}`).join(',')}}`;
  return goJson(v);
}
