// ControllerRevisions of a StatefulSet (pkg/controller/history/controller_history.go and the revision parts of
// pkg/controller/statefulset/stateful_set_utils.go): the hash, the name, the stored patch, ordering and
// equality. Pure functions.

import type { ControllerRevision, StatefulSet } from '../../api/types/apps.ts';
import type { PodTemplateSpec } from '../../api/types/pod.ts';
import { LABEL_CONTROLLER_HASH } from '../../api/well-known.ts';
import { controllerRef } from './utils.ts';

/** hash/fnv New32 (FNV-1, not FNV-1a) over the UTF-8 bytes of s. */
export function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h;
}

/** k8s.io/apimachinery/pkg/util/rand alphanums: no vowels, no 0/1/3 (avoids bad words). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each byte b becomes SAFE_ALPHABET[b % 27]. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += SAFE_ALPHABET[b % SAFE_ALPHABET.length];
  return out;
}

/**
 * The bytes Go's encoding/json produces for a value decoded into interface{} (what getPatch re-marshals):
 * object keys sorted, no spaces, and HTML-safe escaping of <, >, & and U+2028/U+2029.
 */
export function goJSON(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(goJSON).join(',')}]`;
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
      return `{${keys.map((k) => `${goJSON(k)}:${goJSON(o[k])}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

/**
 * HashControllerRevision: FNV-1 32 over the revision's raw data, then the decimal collision count (the
 * StatefulSet controller always passes one), printed in decimal and safe-encoded.
 */
export function hashControllerRevision(raw: string, probe?: number): string {
  return safeEncodeString(String(fnv32(probe === undefined ? raw : raw + String(Math.trunc(probe)))));
}

/** ControllerRevisionName: `<prefix>-<hash>`, the prefix cut to 223 bytes so the name fits 253. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** getPatch: the revision's data, a strategic-merge patch that replaces the pod template. */
export function revisionPatch(set: StatefulSet): { spec: { template: Record<string, unknown> } } {
  const template = structuredClone(set.spec?.template ?? {}) as Record<string, unknown>;
  template.$patch = 'replace';
  return { spec: { template } };
}

/**
 * newRevision (stateful_set_utils.go) + history.NewControllerRevision: named `<set>-<hash>`, labelled with the
 * template's labels plus controller.kubernetes.io/hash, annotated with the set's annotations, owned by the set.
 */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const data = revisionPatch(set);
  const hash = hashControllerRevision(goJSON(data), collisionCount);
  const labels: Record<string, string> = { ...(set.spec?.template?.metadata?.labels ?? {}) };
  labels[LABEL_CONTROLLER_HASH] = hash;
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata.name ?? '', hash),
      namespace: set.metadata.namespace,
      labels,
      ownerReferences: [controllerRef(set)],
    },
    data,
    revision,
  };
  if (set.metadata.annotations && Object.keys(set.metadata.annotations).length > 0) cr.metadata.annotations = { ...set.metadata.annotations };
  return cr;
}

/** The pod template a revision records (ApplyRevision: the stored patch replaces spec.template). */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec | undefined {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = data?.spec?.template;
  if (!t || typeof t !== 'object') return undefined;
  const { $patch: _ignored, ...template } = structuredClone(t);
  return template as PodTemplateSpec;
}

/** ApplyRevision: a copy of set whose pod template is the one recorded in rev. */
export function applyRevision(set: StatefulSet, rev: ControllerRevision): StatefulSet {
  const clone = structuredClone(set);
  const template = revisionTemplate(rev);
  if (template && clone.spec) clone.spec.template = template;
  return clone;
}

function creationMs(r: ControllerRevision): number {
  const t = r.metadata.creationTimestamp ? Date.parse(r.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** SortControllerRevisions (stable): by revision, then creation time, then name. */
export function sortRevisions(revs: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = creationMs(a);
    const tb = creationMs(b);
    if (ta !== tb) return ta - tb;
    const na = a.metadata.name ?? '';
    const nb = b.metadata.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

function hashLabelValue(r: ControllerRevision): number | undefined {
  const s = r.metadata.labels?.[LABEL_CONTROLLER_HASH];
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number.parseInt(s, 10);
  return n >= -2147483648 && n <= 2147483647 ? n >>> 0 : undefined;
}

/**
 * EqualRevision: the hash labels (when both parse as int32, as Go's ParseInt does) must not differ, and the
 * data must be the same. Data is compared as Go-marshalled JSON, so key order does not matter.
 */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  const ha = hashLabelValue(a);
  const hb = hashLabelValue(b);
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return goJSON(a.data ?? null) === goJSON(b.data ?? null);
}

/** FindEqualRevisions, in the order given. */
export function findEqualRevisions(revs: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revs.filter((r) => equalRevision(r, needle));
}

/** nextRevision: one more than the highest revision of a sorted list (1 for none). */
export function nextRevision(sorted: readonly ControllerRevision[]): number {
  return sorted.length === 0 ? 1 : sorted[sorted.length - 1].revision + 1;
}
