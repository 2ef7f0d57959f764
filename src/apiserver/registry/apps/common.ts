// Pieces shared by the apps/v1 strategies: Go %#v renderings of the values kube puts in field errors,
// the selector/template checks of pkg/apis/apps/validation, and status helpers.

import { field, goQuote, GoLiteral, type FieldError } from '../../../api/status.ts';
import { isEverything, matches, selectorFromLabelSelector, type LabelSelector as ParsedSelector } from '../../../api/selectors.ts';
import { validateLabelSelector } from '../../../api/validation.ts';
import { child, goStringMap, isObject, notSupported, validatePodTemplateSpec } from '../podspec.ts';

export type Obj = Record<string, any>;

export function arr<T = any>(v: unknown): T[] { return Array.isArray(v) ? (v as T[]) : []; }
export function str(v: unknown): string { return typeof v === 'string' ? v : ''; }
/** An int32 field after decoding: absent or non-numeric is 0. */
export function int(v: unknown): number { return typeof v === 'number' ? v : 0; }

/** An arbitrary (non-reproducible) Go pointer address for struct dumps that contain a non-nil pointer. */
const FAKE_POINTER = '0xc000a1c000';

function goStringSlice(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((x) => goQuote(String(x))).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:map[string]string{...}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`. */
export function goLabelSelector(sel: unknown): GoLiteral {
  const s: Obj = isObject(sel) ? sel : {};
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e: unknown) => {
      const r: Obj = isObject(e) ? e : {};
      return `v1.LabelSelectorRequirement{Key:${goQuote(str(r.key))}, Operator:${goQuote(str(r.operator))}, Values:${goStringSlice(r.values)}}`;
    }).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels).text}, MatchExpressions:${exprs}}`);
}

/** intstr.IntOrString as %#v prints it (a value, not a pointer, so its String() method is not used). */
export function goIntOrString(v: unknown): GoLiteral {
  if (typeof v === 'string') return new GoLiteral(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  return new GoLiteral(`intstr.IntOrString{Type:0, IntVal:${int(v)}, StrVal:""}`);
}

/** `(*pkg.Type)(nil)` or a pointer for a present struct. */
export function goPointer(type: string, v: unknown): string {
  return `(*${type})(${v === undefined || v === null ? 'nil' : FAKE_POINTER})`;
}

// ---------------------------------------------------------------------------------------------
// Int-or-percent (pkg/apis/apps/validation ValidatePositiveIntOrPercent and friends).

const PERCENT_RE = /^[0-9]+%$/;
export const PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

export function validatePositiveIntOrPercent(v: unknown, fld: string): FieldError[] {
  if (typeof v === 'string') return PERCENT_RE.test(v) ? [] : [field.invalid(fld, goIntOrString(v), PERCENT_ERR)];
  return int(v) < 0 ? [field.invalid(fld, int(v), 'must be greater than or equal to 0')] : [];
}

/** getIntOrPercentValue: the percentage number, or the integer (a non-percent string is Atoi'd, 0 on error). */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') {
    if (PERCENT_RE.test(v)) return Number(v.slice(0, -1));
    return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
  }
  return int(v);
}

export function isNotMoreThan100Percent(v: unknown, fld: string): FieldError[] {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return [];
  return Number(v.slice(0, -1)) <= 100 ? [] : [field.invalid(fld, goIntOrString(v), 'must not be greater than 100%')];
}

// ---------------------------------------------------------------------------------------------
// Selector and template.

/** metav1.LabelSelectorAsSelector: the parsed selector, or null when it does not convert. */
export function labelSelectorAsSelector(sel: unknown): ParsedSelector | null {
  try {
    return selectorFromLabelSelector(sel === undefined || sel === null ? null : (sel as Obj));
  } catch {
    return null;
  }
}

/**
 * The selector block every apps/v1 spec validation starts with: Required when nil, ValidateLabelSelector,
 * and `empty selector is invalid for <kind>` when it has neither matchLabels nor matchExpressions.
 */
export function validateSpecSelector(sel: unknown, fld: string, emptyKind: string): FieldError[] {
  if (sel === undefined || sel === null) return [field.required(fld)];
  const errs = validateLabelSelector(sel, fld);
  const s: Obj = isObject(sel) ? sel : {};
  const n = (isObject(s.matchLabels) ? Object.keys(s.matchLabels).length : 0) + arr(s.matchExpressions).length;
  if (n === 0) errs.push(field.invalid(fld, goLabelSelector(sel), `empty selector is invalid for ${emptyKind}`));
  return errs;
}

/** `<fld>.metadata.labels: Invalid value: map[...]: \`selector\` does not match template \`labels\`` unless the selector is empty. */
export function templateLabelsMatch(selector: ParsedSelector, template: unknown, fld: string): FieldError[] {
  if (isEverything(selector)) return [];
  const labels = isObject(template) && isObject(template.metadata) ? template.metadata.labels : undefined;
  if (matches(selector, isObject(labels) ? labels : {})) return [];
  return [field.invalid(child(fld, 'metadata', 'labels'), goStringMap(labels), '`selector` does not match template `labels`')];
}

/**
 * ValidatePodTemplateSpecForReplicaSet (Deployments and ReplicaSets): labels must match the selector, the
 * full pod template is validated, restartPolicy must be Always and activeDeadlineSeconds is forbidden.
 */
export function validatePodTemplateSpecForReplicaSet(template: unknown, selector: ParsedSelector, fld: string): FieldError[] {
  const errs = templateLabelsMatch(selector, template, fld);
  errs.push(...validatePodTemplateSpec(template, fld));
  const s: Obj = isObject(template) && isObject(template.spec) ? template.spec : {};
  const restart = str(s.restartPolicy);
  if (restart !== 'Always') errs.push(notSupported(child(fld, 'spec', 'restartPolicy'), restart, ['Always']));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(child(fld, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Status.

/** apivalidation.IsDecremented for *int32 collisionCount: new < old, with nil new counting as decremented. */
export function collisionCountDecremented(next: unknown, prev: unknown): boolean {
  if (typeof prev !== 'number') return false;
  if (typeof next !== 'number') return true;
  return next < prev;
}

/** The status block of an update through …/status: `cannot be decremented` for collisionCount. */
export function validateCollisionCount(next: Obj, prev: Obj): FieldError[] {
  if (!collisionCountDecremented(next.collisionCount, prev.collisionCount)) return [];
  return [field.invalid('status.collisionCount', int(next.collisionCount), 'cannot be decremented')];
}

/** Sets the fields Go always serializes (no omitempty) to 0 when absent. */
export function zeroFields(o: Obj, fields: readonly string[]): void {
  for (const f of fields) if (typeof o[f] !== 'number') o[f] = 0;
}
