// Defensive accessors for decoded bodies. kubedisco's codec does not type-check JSON against the Go
// types, so a list may arrive as a string or an entry as null; strategies read through these helpers
// and report field errors instead of crashing.

/** A list field, or [] when absent or not a list. */
export function arr<T = unknown>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** A list of objects: non-object entries are replaced by {} (Go decodes null entries as zero values). */
export function objs<T extends object = Record<string, unknown>>(v: unknown): T[] {
  return arr(v).map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? x : {}) as T);
}

/** An object field, or {} when absent or not an object. */
export function obj<T extends object = Record<string, unknown>>(v: unknown): T {
  return (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {}) as T;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A string field, or "" when absent or not a string. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A number field, or 0 when absent or not a number. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
