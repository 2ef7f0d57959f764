// Field selectors exactly as k8s.io/apimachinery/pkg/fields/selector.go (splitTerms, splitTerm, escaping,
// hasTerm/notHasTerm/andTerm), plus the per-kind part the API server needs:
//  - which field labels a kind accepts (the scheme's field label conversion funcs,
//    pkg/apis/core/v1/conversion.go, or runtime.DefaultMetaV1FieldSelectorConversion for every other kind),
//  - the values an object exposes (each registry's GetAttrs / ToSelectableFields).
// kubectl-compatibility.md §4, kubernetes-semantics.md §10-§11.

import type { KObject } from './meta.ts';
import { RESOURCES } from './resources.ts';
import { badRequest, type StatusError } from './status.ts';
import { compareGoStrings } from './selectors.ts';

export interface FieldRequirement {
  readonly field: string;
  /** `=` and `==` are the same term (hasTerm); `!=` is notHasTerm. */
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed field selector: the AND of its requirements. No requirements = Everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

export const EVERYTHING_FIELDS: FieldSelector = Object.freeze({ requirements: Object.freeze([]) as readonly FieldRequirement[] });

/** Thrown by parseFieldSelector; `message` is apimachinery's text. */
export class FieldSelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldSelectorParseError';
  }
}

/** fields.EscapeValue: `\` → `\\`, `,` → `\,`, `=` → `\=`. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

/**
 * fields.UnescapeValue. Errors as Go formats them: `invalid field selector: invalid escape sequence: \x`,
 * and `invalid field selector: unescaped character in value: 61` (the rune printed with %v, i.e. its number).
 */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new FieldSelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** splitTerms: split on commas not preceded by a backslash escape; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

const termOperators = ['!=', '==', '='] as const;

/** splitTerm: the first position where `!=`, `==` or `=` starts splits lhs and rhs (no escaping in the lhs). */
function splitTerm(term: string): { lhs: string; op: (typeof termOperators)[number]; rhs: string } | null {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return null;
}

/**
 * fields.ParseSelector. Terms are sorted (as raw strings) before parsing, empty terms are skipped, and a term
 * whose field and value are both empty (`=`) is dropped, as the identity Transform does.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort(compareGoStrings);
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorParseError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeFieldValue(t.rhs);
    reqs.push({ field: t.lhs, operator: t.op === '!=' ? '!=' : '=', value });
  }
  return { requirements: reqs.filter((r) => !(r.field === '' && r.value === '')) };
}

/** Selector.Matches against a fields.Set: a field missing from the set reads as "". */
export function fieldsMatch(sel: FieldSelector, set: Readonly<Record<string, string>>): boolean {
  for (const r of sel.requirements) {
    const v = Object.hasOwn(set, r.field) ? set[r.field] : '';
    if (r.operator === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}

/** Selector.Empty(). */
export function isEmptyFieldSelector(sel: FieldSelector): boolean { return sel.requirements.length === 0; }

/** Selector.RequiresExactMatch: the value an `=` term demands for `field` (e.g. metadata.name), if any. */
export function fieldRequiresExactMatch(sel: FieldSelector, field: string): string | undefined {
  for (const r of sel.requirements) if (r.field === field && r.operator === '=') return r.value;
  return undefined;
}

/** Selector.String(): `field=value` / `field!=value` joined by `,`, values escaped. */
export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

// ---------------------------------------------------------------------------------------------
// Per-kind field labels (scheme field label conversions). Only core/v1 registers any among the kinds we know;
// every other kind (apps/v1, discovery.k8s.io/v1, coordination.k8s.io/v1, and core Endpoints/ConfigMap) falls
// back to DefaultMetaV1FieldSelectorConversion.

const conversions: Record<string, { labels: readonly string[]; renames?: Record<string, string> }> = {
  Pod: {
    labels: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
    // "for backwards compatibility with old v1 clients which send spec.host"
    renames: { 'spec.host': 'spec.nodeName' },
  },
  Node: { labels: ['metadata.name', 'spec.unschedulable'] },
  ReplicationController: { labels: ['metadata.name', 'metadata.namespace', 'status.replicas'] },
  Event: {
    labels: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
      'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name'],
  },
  Namespace: { labels: ['status.phase', 'metadata.name'] },
  Secret: { labels: ['type', 'metadata.namespace', 'metadata.name'] },
  Service: { labels: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'] },
};

/** The field labels a kind accepts in `fieldSelector` (before any error). */
export function supportedFieldLabels(kind: string): readonly string[] {
  const c = Object.hasOwn(conversions, kind) ? conversions[kind] : undefined;
  return c ? [...c.labels, ...Object.keys(c.renames ?? {})] : ['metadata.name', 'metadata.namespace'];
}

/**
 * The 400 BadRequest kube answers for an unsupported field label. Kinds with a conversion func say
 * `field label not supported: <field>`; the rest get DefaultMetaV1FieldSelectorConversion's
 * `"<field>" is not a known field selector: only "metadata.name", "metadata.namespace"`.
 */
export function unsupportedFieldError(kind: string, fieldLabel: string): StatusError {
  if (Object.hasOwn(conversions, kind)) return badRequest(`field label not supported: ${fieldLabel}`);
  return badRequest(`${JSON.stringify(fieldLabel)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
}

/**
 * Selector.Transform(scheme.ConvertFieldLabel) as ListResource/WatchResource apply it: checks every label
 * against the kind (throwing unsupportedFieldError's StatusError for the first bad one, in sorted term order)
 * and applies renames (Pod `spec.host` → `spec.nodeName`).
 */
export function convertFieldSelector(kind: string, sel: FieldSelector): FieldSelector {
  const c = Object.hasOwn(conversions, kind) ? conversions[kind] : undefined;
  const reqs = sel.requirements.map((r) => {
    if (c) {
      if (c.renames && Object.hasOwn(c.renames, r.field)) return { ...r, field: c.renames[r.field] };
      if (c.labels.includes(r.field)) return r;
    } else if (r.field === 'metadata.name' || r.field === 'metadata.namespace') {
      return r;
    }
    throw unsupportedFieldError(kind, r.field);
  });
  return { requirements: reqs };
}

// ---------------------------------------------------------------------------------------------
// Per-kind selectable field values (registry GetAttrs).

function str(v: unknown): string { return typeof v === 'string' ? v : ''; }

function isNamespaced(kind: string): boolean {
  const info = RESOURCES.find((r) => r.kind === kind);
  return info ? info.namespaced : true;
}

/**
 * The fields.Set an object exposes to field selectors. Every kind has `metadata.name`; namespaced kinds also
 * `metadata.namespace` (generic.ObjectMetaFieldsSet; for cluster-scoped kinds a missing field reads as "",
 * so matching is the same either way). Kind-specific additions follow each registry's ToSelectableFields.
 */
export function selectableFields(kind: string, obj: KObject): Record<string, string> {
  const m = obj.metadata ?? {};
  const set: Record<string, string> = { 'metadata.name': str(m.name) };
  if (isNamespaced(kind)) set['metadata.namespace'] = str(m.namespace);
  const spec = (obj.spec ?? {}) as Record<string, any>;
  const status = (obj.status ?? {}) as Record<string, any>;
  switch (kind) {
    case 'Pod': {
      set['spec.nodeName'] = str(spec.nodeName);
      set['spec.restartPolicy'] = str(spec.restartPolicy);
      set['spec.schedulerName'] = str(spec.schedulerName);
      set['spec.serviceAccountName'] = str(spec.serviceAccountName);
      set['spec.hostNetwork'] = spec.hostNetwork === true ? 'true' : 'false';
      set['status.phase'] = str(status.phase);
      // The internal type keeps only podIPs; v1's podIP is podIPs[0] after conversion.
      const ips = Array.isArray(status.podIPs) ? status.podIPs : [];
      set['status.podIP'] = ips.length > 0 ? str(ips[0]?.ip) : str(status.podIP);
      set['status.nominatedNodeName'] = str(status.nominatedNodeName);
      break;
    }
    case 'Node':
      set['spec.unschedulable'] = spec.unschedulable === true ? 'true' : 'false';
      break;
    case 'Namespace':
      set['status.phase'] = str(status.phase);
      // "This is a bug, but we need to support it for backward compatibility." (NamespaceToSelectableFields)
      set['name'] = str(m.name);
      break;
    case 'Service':
      set['spec.clusterIP'] = str(spec.clusterIP);
      set['spec.type'] = str(spec.type);
      break;
    case 'Secret':
      set['type'] = str(obj.type);
      break;
    case 'ReplicationController':
    case 'ReplicaSet':
      set['status.replicas'] = String(typeof status.replicas === 'number' ? status.replicas : 0);
      break;
    case 'Event': {
      const io = (obj.involvedObject ?? {}) as Record<string, unknown>;
      const source = (obj.source ?? {}) as Record<string, unknown>;
      set['involvedObject.kind'] = str(io.kind);
      set['involvedObject.namespace'] = str(io.namespace);
      set['involvedObject.name'] = str(io.name);
      set['involvedObject.uid'] = str(io.uid);
      set['involvedObject.apiVersion'] = str(io.apiVersion);
      set['involvedObject.resourceVersion'] = str(io.resourceVersion);
      set['involvedObject.fieldPath'] = str(io.fieldPath);
      set['reason'] = str(obj.reason);
      set['reportingComponent'] = str(obj.reportingComponent);
      set['source'] = str(source.component) || str(obj.reportingComponent);
      set['type'] = str(obj.type);
      break;
    }
  }
  return set;
}
