// The pod-template-hash (pkg/controller/controller_utils.go ComputeHash, k8s.io/apimachinery/pkg/util/rand
// SafeEncodeString) and the semantic template equality the Deployment controller matches ReplicaSets with
// (deploymentutil.EqualIgnoreHash). kubernetes-semantics.md §6.
//
// kube hashes with 32-bit FNV-1a the spew dump (`%#v`) of the Go v1.PodTemplateSpec, then, when
// status.collisionCount is set, its value as 8 little-endian bytes (a uint32 in the first four), and encodes
// the decimal rendering of the sum with SafeEncodeString. We hash the canonical JSON of the template instead of
// a Go struct dump: the spew bytes depend on the Go types of the k8s.io/api release (which is why kube itself
// never compares hashes, only templates), so the same template gets a different, equally stable name here.
// Everything else — the FNV-1a variant, the collision-count bytes, the alphabet and the ≤10-character length —
// is kube's.

/** rand.SafeEncodeString's alphabet: no vowels, no 0/1/3 (no bad words, no look-alikes). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** 32-bit FNV-1a over bytes, continuing from `hash` (hash/fnv New32a + Write). */
export function fnv32a(data: Uint8Array, hash = FNV32_OFFSET): number {
  let h = hash >>> 0;
  for (let i = 0; i < data.length; i++) {
    h ^= data[i];
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character c becomes SAFE_ALPHABET[c % 27] (c is a code point). */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

/**
 * The semantic form of a JSON value, as apiequality.Semantic.DeepEqual sees Go values: null and absent are the
 * same, and so are nil and empty lists and maps. Such values are dropped from objects; inside lists they become
 * null so positions are kept. Returns undefined for an "empty" value.
 */
export function semanticForm(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => {
      const n = semanticForm(x);
      return n === undefined ? null : n;
    });
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const k of Object.keys(v as object).sort()) {
      const n = semanticForm((v as Record<string, unknown>)[k]);
      if (n === undefined) continue;
      out[k] = n;
      any = true;
    }
    return any ? out : undefined;
  }
  return v;
}

/** Canonical JSON: keys sorted at every level, semantic empties removed. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(semanticForm(v) ?? null);
}

/** Semantic deep equality of two JSON values (see semanticForm). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/**
 * ComputeHash(template, collisionCount): FNV-1a over the template's canonical JSON, then (if collisionCount is
 * set) 8 bytes holding it as a little-endian uint32, rendered as decimal and safe-encoded.
 */
export function computeHash(template: unknown, collisionCount?: number | null): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h >>> 0));
}
