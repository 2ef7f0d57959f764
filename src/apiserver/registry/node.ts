// Node strategy (pkg/registry/core/node/strategy.go, ValidateNode / ValidateNodeUpdate in
// pkg/apis/core/validation/validation.go). A Node registers with its status (the kubelet, or
// kubedisco's node simulator), so status is kept on create; a main-resource update keeps the old status.

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, GoLiteral, goQuote, type FieldError } from '../../api/status.ts';
import type { NodeSpec, Taint } from '../../api/types/node.ts';
import { isValidCIDR, isValidLabelValue, parseCIDR, validateLabelName } from '../../api/validation.ts';
import { keepAllButStatus } from './generic.ts';
import type { Strategy } from './strategy.ts';
import { arr, isObj, objs, str } from './util.ts';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** v1 conversion keeps podCIDR and podCIDRs in step; SetDefaults_NodeStatus copies capacity to allocatable. */
export function setDefaultsNode(obj: KObject): void {
  if (isObj(obj.spec)) {
    const spec = obj.spec as NodeSpec;
    if ((spec.podCIDRs === undefined || spec.podCIDRs === null || (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length === 0)) && typeof spec.podCIDR === 'string' && spec.podCIDR) spec.podCIDRs = [spec.podCIDR];
    else if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0 && typeof spec.podCIDRs[0] === 'string') spec.podCIDR = spec.podCIDRs[0];
  }
  const st = obj.status;
  if (isObj(st) && st.capacity && !st.allocatable) st.allocatable = structuredClone(st.capacity);
}

function taintLiteral(t: Partial<Taint>): GoLiteral {
  const added = t.timeAdded ? `(*v1.Time)(${goQuote(t.timeAdded)})` : '(*v1.Time)(nil)';
  return new GoLiteral(`core.Taint{Key:${goQuote(t.key ?? '')}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect ?? '')}, TimeAdded:${added}}`);
}

/** validateNodeTaints; upstream passes `metadata.taints` as the path (kept). */
function validateNodeTaints(raw: unknown, fld: string): FieldError[] {
  const taints = objs<Partial<Taint>>(raw);
  const errs: FieldError[] = [];
  const unique = new Map<string, Set<string>>();
  taints.forEach((t, i) => {
    const p = `${fld}[${i}]`;
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const v = isValidLabelValue(t.value ?? '');
    if (v.length) errs.push(field.invalid(`${p}.value`, t.value ?? '', v.join(';')));
    const effect = str(t.effect);
    if (!effect) errs.push(field.required(`${p}.effect`, ''));
    else if (!TAINT_EFFECTS.includes(effect)) {
      // Upstream passes this list unsorted.
      errs.push(field.notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    }
    const keys = unique.get(effect) ?? new Set<string>();
    if (keys.has(str(t.key))) {
      errs.push({ type: 'FieldValueDuplicate', field: p, value: taintLiteral(t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(str(t.key));
    unique.set(effect, keys);
  });
  return errs;
}

function validatePodCIDRs(spec: NodeSpec): FieldError[] {
  const cidrs = arr<string>(spec.podCIDRs);
  if (cidrs.length === 0) return [];
  const errs: FieldError[] = [];
  cidrs.forEach((c, i) => errs.push(...isValidCIDR(c).map((m) => field.invalid(`spec.podCIDRs[${i}]`, c, m))));
  if (cidrs.length > 1) {
    const fams = cidrs.map((c) => parseCIDR(c)?.family);
    const dual = cidrs.length === 2 && fams[0] && fams[1] && fams[0] !== fams[1];
    if (!dual) errs.push(field.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => { if (seen.has(c)) errs.push(field.duplicate(`spec.podCIDRs[${i}]`, c)); seen.add(c); });
  }
  return errs;
}

/** ValidateNode (spec only; status fields are optional). */
export function validateNode(obj: KObject): FieldError[] {
  const spec = (isObj(obj.spec) ? obj.spec : {}) as NodeSpec;
  const errs: FieldError[] = [];
  if (Array.isArray(spec.taints) && spec.taints.length > 0) errs.push(...validateNodeTaints(spec.taints, 'metadata.taints'));
  errs.push(...validatePodCIDRs(spec));
  return errs;
}

/** ValidateNodeUpdate: duplicate addresses, podCIDRs and providerID set-once, taints. */
export function validateNodeUpdate(obj: KObject, old: KObject): FieldError[] {
  const spec = (isObj(obj.spec) ? obj.spec : {}) as NodeSpec, ospec = (isObj(old.spec) ? old.spec : {}) as NodeSpec;
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objs<{ type?: string; address?: string }>(isObj(obj.status) ? obj.status.addresses : undefined).forEach((a, i) => {
    const k = `${a?.type}/${a?.address}`;
    if (seen.has(k)) errs.push(field.duplicate(`status.addresses[${i}]`, new GoLiteral(`core.NodeAddress{Type:${goQuote(a?.type ?? '')}, Address:${goQuote(a?.address ?? '')}}`)));
    seen.add(k);
  });
  const oldCIDRs = arr<string>(ospec.podCIDRs);
  if (oldCIDRs.length > 0) {
    const newCIDRs = arr<string>(spec.podCIDRs);
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== newCIDRs.length) errs.push(field.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => { if (c !== newCIDRs[i]) errs.push(field.forbidden('spec.podCIDRs', msg)); });
  }
  if (ospec.providerID && ospec.providerID !== (spec.providerID ?? '')) {
    errs.push(field.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  if (Array.isArray(spec.taints) && spec.taints.length > 0) errs.push(...validateNodeTaints(spec.taints, 'metadata.taints'));
  if ((spec.externalID ?? '') !== (ospec.externalID ?? '')) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

export function nodeStrategy(): Strategy {
  const info = findResource('', 'v1', 'nodes')!;
  return {
    info,
    defaults: setDefaultsNode,
    prepareForCreate() {},
    prepareForUpdate(obj, old) {
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    },
    validate: validateNode,
    validateUpdate: validateNodeUpdate,
    prepareForStatusUpdate(obj, old) { keepAllButStatus(obj, old); },
    validateStatusUpdate: validateNodeUpdate,
  };
}
