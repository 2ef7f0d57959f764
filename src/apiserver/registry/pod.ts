// Pods: pkg/registry/core/pod/strategy.go (podStrategy, podStatusStrategy), the binding subresource
// (pkg/registry/core/pod/storage/storage.go BindingREST), SetDefaults_Pod, QoS classification
// (pkg/apis/core/helper/qos) and ValidatePodCreate/ValidatePodUpdate/ValidatePodStatusUpdate/ValidatePodBinding
// (pkg/apis/core/validation/validation.go). kube-apiserver v1.32. kubernetes-semantics.md §5, §7.1.

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { conflict, field, fieldErrorString, goQuote, GoLiteral, StatusError, badRequest, type FieldError } from '../../api/status.ts';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, parseIP, validateImmutableField } from '../../api/validation.ts';
import type { Strategy } from './strategy.ts';
import {
  child, defaultPodSpec, index, isObject, MAX_INT32, notSupported, parseQuantityNanos, podSpecWarnings, semanticEqual,
  validatePodSpec, validateTolerations,
} from './podspec.ts';
import type { PodQOSClass } from '../../api/types/pod.ts';

type Obj = Record<string, any>;

function arr<T = any>(v: unknown): T[] { return Array.isArray(v) ? (v as T[]) : []; }
function str(v: unknown): string { return typeof v === 'string' ? v : ''; }
function spec(pod: KObject): Obj { return isObject(pod.spec) ? pod.spec : {}; }
function status(pod: KObject): Obj { return isObject(pod.status) ? pod.status : {}; }

const POD_INFO = findResource('', 'v1', 'pods')!;

/** RFC 3339 seconds, as metav1.Time serializes. */
function nowTime(): string { return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'); }

// ---------------------------------------------------------------------------------------------
// Defaulting.

/**
 * SetDefaults_Pod on top of the PodSpec defaults: requests default to limits (per container, for keys
 * without a request), enableServiceLinks true, and with hostNetwork every hostPort 0 becomes containerPort.
 * Also the v1 PodStatus conversion (podIP ⇄ podIPs, hostIP → hostIPs), which runs on every decode.
 */
export function defaultPod(pod: KObject): void {
  if (!isObject(pod.spec)) pod.spec = { containers: null };
  const s = pod.spec as Obj;
  defaultPodSpec(s);
  for (const list of [s.containers, s.initContainers]) {
    for (const c of arr(list)) {
      if (!isObject(c) || !isObject(c.resources) || !isObject(c.resources.limits)) continue;
      if (!isObject(c.resources.requests)) c.resources.requests = {};
      for (const [k, v] of Object.entries(c.resources.limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
    }
  }
  if (s.enableServiceLinks === undefined || s.enableServiceLinks === null) s.enableServiceLinks = true;
  if (s.hostNetwork === true) {
    for (const list of [s.containers, s.initContainers]) {
      for (const c of arr(list)) for (const p of arr(isObject(c) ? c.ports : [])) if (isObject(p) && !p.hostPort) p.hostPort = p.containerPort;
    }
  }
  if (isObject(pod.status)) normalizePodStatusIPs(pod.status);
}

/**
 * Convert_v1_PodStatus_To_core_PodStatus and back: podIP is authoritative when it disagrees with podIPs[0],
 * podIPs is filled from podIP, and podIP is always podIPs[0].ip on output; the same for hostIP/hostIPs on input.
 */
export function normalizePodStatusIPs(st: Obj): void {
  const podIP = str(st.podIP);
  const podIPs = arr(st.podIPs);
  if (podIP && (podIPs.length === 0 || str(isObject(podIPs[0]) ? podIPs[0].ip : '') !== podIP)) st.podIPs = [{ ip: podIP }];
  const ips = arr(st.podIPs);
  if (ips.length > 0 && isObject(ips[0])) st.podIP = str(ips[0].ip);
  const hostIP = str(st.hostIP);
  const hostIPs = arr(st.hostIPs);
  if (hostIP && (hostIPs.length === 0 || str(isObject(hostIPs[0]) ? hostIPs[0].ip : '') !== hostIP)) st.hostIPs = [{ ip: hostIP }];
}

// ---------------------------------------------------------------------------------------------
// QoS (pkg/apis/core/helper/qos ComputePodQOS).

/**
 * BestEffort when no container requests or limits cpu/memory (> 0); Guaranteed when every container has
 * cpu and memory limits and the summed requests equal the summed limits; Burstable otherwise. Init
 * containers count. Run after defaulting, so limits without requests already count as requests.
 */
export function computePodQOS(pod: KObject): PodQOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const s = spec(pod);
  for (const c of [...arr(s.containers), ...arr(s.initContainers)]) {
    const res = isObject(c) && isObject(c.resources) ? c.resources : {};
    for (const [name, q] of Object.entries(isObject(res.requests) ? res.requests : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = parseQuantityNanos(q);
      if (v !== null && v > 0n) requests.set(name, (requests.get(name) ?? 0n) + v);
    }
    const found = new Set<string>();
    for (const [name, q] of Object.entries(isObject(res.limits) ? res.limits : {})) {
      if (name !== 'cpu' && name !== 'memory') continue;
      const v = parseQuantityNanos(q);
      if (v !== null && v > 0n) { found.add(name); limits.set(name, (limits.get(name) ?? 0n) + v); }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) if (limits.get(name) !== req) { guaranteed = false; break; }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

// ---------------------------------------------------------------------------------------------
// Validation.

/** validatePodMetadataAndSpec minus ObjectMeta (the store validates metadata). */
function validatePodMetadataAndSpec(pod: KObject): FieldError[] {
  const s = spec(pod);
  const errs = validatePodSpec(pod.spec, 'spec', { resourceIsPod: true });
  if (!str(s.serviceAccountName)) {
    arr(s.volumes).forEach((v, vi) => {
      if (!isObject(v) || !isObject(v.projected)) return;
      arr(v.projected.sources).forEach((src, si) => {
        if (isObject(src) && isObject(src.serviceAccountToken)) {
          errs.push(field.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  // validateContainersOnlyForPod.
  for (const k of ['containers', 'initContainers']) {
    arr(s[k]).forEach((c, i) => {
      const image = str(isObject(c) ? c.image : '');
      if (image.length !== image.trim().length) errs.push(field.invalid(`spec.${k}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** ValidatePodCreate (without ObjectMeta). */
export function validatePodCreate(pod: KObject): FieldError[] {
  const s = spec(pod);
  const errs = validatePodMetadataAndSpec(pod);
  if (arr(s.ephemeralContainers).length > 0) errs.push(field.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(s.nodeName) && arr(s.schedulingGates).length !== 0) errs.push(field.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

/** The fields ValidatePodUpdate lets change (v1.32, InPlacePodVerticalScaling disabled). */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateContainerUpdates(next: unknown, prev: unknown, fld: string): { errs: FieldError[]; stop: boolean } {
  const n = arr(next), o = arr(prev);
  if (n.length !== o.length) return { errs: [field.forbidden(fld, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = str(isObject(c) ? c.image : '');
    if (!image) errs.push(field.required(`${fld}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(field.invalid(`${fld}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: unknown, prev: unknown, fld: string): FieldError[] {
  const n = arr(next);
  for (const old of arr(prev)) {
    const { tolerationSeconds: _ignored, ...rest } = isObject(old) ? old : {};
    const found = n.some((t) => {
      const { tolerationSeconds: _t, ...other } = isObject(t) ? t : {};
      return semanticEqual(rest, other);
    });
    if (!found) return [field.forbidden(fld, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, fld);
}

function validateOnlyDeletedSchedulingGates(next: unknown, prev: unknown, fld: string): FieldError[] {
  const oldNames = new Set(arr(prev).map((g) => str(isObject(g) ? g.name : '')));
  const errs: FieldError[] = [];
  arr(next).forEach((g, i) => {
    const name = str(isObject(g) ? g.name : '');
    if (!oldNames.has(name)) errs.push(field.forbidden(`${fld}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  });
  return errs;
}

/**
 * A readable stand-in for the go-cmp diff kube appends to the "pod updates may not change fields" error.
 * go-cmp randomizes its whitespace on purpose, so no client can rely on the exact text; this keeps the
 * frame (`  core.PodSpec{`, `- \t`/`+ \t` lines, `  }`) and lists each changed leaf by its JSON path.
 */
export function podSpecDiff(oldSpec: unknown, newSpec: unknown): string {
  const lines: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (semanticEqual(a, b)) return;
    if (isObject(a) && isObject(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`));
      return;
    }
    if (a !== undefined) lines.push(`- \t${path}: ${JSON.stringify(a)},`);
    if (b !== undefined) lines.push(`+ \t${path}: ${JSON.stringify(b)},`);
  };
  walk(oldSpec, newSpec, '');
  return ['  core.PodSpec{', ...lines, '  }', ''].join('\n');
}

/** ValidatePodUpdate (without ObjectMeta): the create rules, then what may change. */
export function validatePodUpdate(pod: KObject, old: KObject): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const ns = spec(pod), os = spec(old);
  for (const k of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(ns[k], os[k], `spec.${k}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const newADS = ns.activeDeadlineSeconds, oldADS = os.activeDeadlineSeconds;
  if (typeof newADS === 'number') {
    if (newADS < 0 || newADS > MAX_INT32) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', newADS, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (typeof oldADS === 'number' && oldADS < newADS) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', newADS, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (typeof oldADS === 'number') {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(ns.tolerations, os.tolerations, 'spec.tolerations'));
  errs.push(...validateOnlyDeletedSchedulingGates(ns.schedulingGates, os.schedulingGates, 'spec.schedulingGates'));
  if (semanticEqual(ns, os)) return errs;

  const munged: Obj = structuredClone(ns);
  for (const k of ['containers', 'initContainers']) {
    munged[k] = arr(munged[k]).map((c, i) => (isObject(c) ? { ...c, image: arr(os[k])[i]?.image } : c));
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  if (typeof os.terminationGracePeriodSeconds === 'number' && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if (!semanticEqual(munged, os)) {
    errs.push(field.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${podSpecDiff(os, munged)}`));
  }
  return errs;
}

function validateContainerStateTransition(next: unknown, prev: unknown, fld: string, restartPolicy: string, restartable: Set<string> = new Set()): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  arr(prev).forEach((o, i) => {
    const term = isObject(o) && isObject(o.state) ? o.state.terminated : undefined;
    if (!isObject(term)) return;
    if ((term.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (restartable.has(str(o.name))) return;
    for (const n of arr(next)) {
      if (isObject(n) && n.name === o.name && !(isObject(n.state) && isObject(n.state.terminated))) {
        errs.push(field.forbidden(`${fld}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function validateIPList(list: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const ips = arr(list).map((x) => str(isObject(x) ? x.ip : ''));
  ips.forEach((ip, i) => { for (const m of isValidIP(ip)) errs.push(field.invalid(`${fld}[${i}]`, ip, m)); });
  return errs;
}

/** `core.PodIP{IP:"…"}` / `[]core.PodIP{…}` as %#v prints the internal types. */
function goIP(type: 'PodIP' | 'HostIP', ip: string): GoLiteral { return new GoLiteral(`core.${type}{IP:${goQuote(ip)}}`); }
function goIPs(type: 'PodIP' | 'HostIP', ips: string[]): GoLiteral {
  return new GoLiteral(`[]core.${type}{${ips.map((ip) => goIP(type, ip).text).join(', ')}}`);
}

function dualStackOk(ips: string[]): boolean {
  const fams = ips.map((ip) => parseIP(ip)?.family);
  return ips.length <= 2 && fams.includes('IPv4') && fams.includes('IPv6');
}

/** ValidatePodStatusUpdate (without ObjectMeta). */
export function validatePodStatusUpdate(pod: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const st = status(pod), ost = status(old);
  // validatePodConditions; kube passes the "metadata" path here, so the field reads metadata.conditions[i].Type.
  arr(st.conditions).forEach((c, i) => {
    const t = str(isObject(c) ? c.type : '');
    if (t === 'PodScheduled' || t === 'Ready' || t === 'Initialized') return;
    for (const m of isQualifiedName(t)) errs.push(field.invalid(`metadata.conditions[${i}].Type`, t, m));
  });
  if (str(spec(pod).nodeName) !== str(spec(old).nodeName)) errs.push(field.forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = str(st.nominatedNodeName);
  if (nominated && nominated !== str(ost.nominatedNodeName)) {
    for (const m of isDNS1123Subdomain(nominated)) errs.push(field.invalid('status.nominatedNodeName', nominated, m));
  }
  errs.push(...validateImmutableField(st.qosClass ?? '', ost.qosClass ?? '', 'status.qosClass'));
  const restartPolicy = str(spec(old).restartPolicy);
  errs.push(...validateContainerStateTransition(st.containerStatuses, ost.containerStatuses, 'status.containerStatuses', restartPolicy));
  const restartableInit = new Set(arr(spec(old).initContainers).filter((c) => isObject(c) && c.restartPolicy === 'Always').map((c) => str(c.name)));
  errs.push(...validateContainerStateTransition(st.initContainerStatuses, ost.initContainerStatuses, 'status.initContainerStatuses', restartPolicy, restartableInit));
  errs.push(...validateContainerStateTransition(st.ephemeralContainerStatuses, ost.ephemeralContainerStatuses, 'status.ephemeralContainerStatuses', 'Never'));

  // validatePodIPs.
  errs.push(...validateIPList(st.podIPs, 'status.podIPs'));
  const podIPs = arr(st.podIPs).map((x) => str(isObject(x) ? x.ip : ''));
  if (podIPs.length > 1) {
    if (!dualStackOk(podIPs)) errs.push(field.invalid('status.podIPs', goIPs('PodIP', podIPs), 'may specify no more than one IP for each IP family'));
    const seen = new Set<string>();
    podIPs.forEach((ip, i) => { if (seen.has(ip)) errs.push(field.duplicate(`status.podIPs[${i}]`, goIP('PodIP', ip))); seen.add(ip); });
  }
  // validateHostIPs.
  const hostIPs = arr(st.hostIPs).map((x) => str(isObject(x) ? x.ip : ''));
  if (hostIPs.length > 0) {
    if (str(st.hostIP) !== hostIPs[0]) errs.push(field.invalid('status.hostIPs[0].ip', hostIPs[0], 'must be equal to `hostIP`'));
    errs.push(...validateIPList(st.hostIPs, 'status.hostIPs'));
    if (hostIPs.length > 1) {
      const seen = new Set<string>();
      hostIPs.forEach((ip, i) => { if (seen.has(ip)) errs.push(field.duplicate(`status.hostIPs[${i}]`, goIP('HostIP', ip))); seen.add(ip); });
      if (!dualStackOk(hostIPs)) errs.push(field.invalid('status.hostIPs', goIPs('HostIP', hostIPs), 'may specify no more than one IP for each IP family'));
    }
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Binding (pods/{name}/binding).

/** ValidatePodBinding: target.kind must be Node or empty, target.name required. */
export function validatePodBinding(binding: KObject): FieldError[] {
  const target = isObject(binding.target) ? binding.target : {};
  const errs: FieldError[] = [];
  const kind = str(target.kind);
  if (kind && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!str(target.name)) errs.push(field.required('target.name'));
  return errs;
}

/**
 * What BindingREST.Create returns for an invalid Binding: `errs.ToAggregate()` is not an API status, so the
 * handler turns it into a 500 with reason "" (StatusReasonUnknown) and the aggregate text as message.
 */
export function bindingValidationError(errs: FieldError[]): StatusError {
  const texts = [...new Set(errs.map(fieldErrorString))];
  return new StatusError(500, '', texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`);
}

/**
 * setPodNodeAndMetadata: binds `pod` (the stored object, mutated in place) to `nodeName`, merging the binding's
 * annotations and setting the PodScheduled condition to True (podutil.UpdatePodCondition). A pod being
 * deleted, already assigned, or with scheduling gates cannot be bound; kube wraps those as
 * `errors.NewConflict(pods/binding, name, err)`, which is what this throws (409, reason Conflict,
 * `Operation cannot be fulfilled on pods/binding "<name>": pod <name> is already assigned to node "<x>"`).
 */
export function bindPod(pod: KObject, nodeName: string, annotations?: Record<string, string>, now: string = nowTime()): void {
  const name = str(pod.metadata?.name);
  const fail = (why: string) => { throw conflict('pods/binding', name, why); };
  if (pod.metadata.deletionTimestamp) fail(`pod ${name} is being deleted, cannot be assigned to a host`);
  const s = isObject(pod.spec) ? pod.spec : (pod.spec = {});
  if (str(s.nodeName)) fail(`pod ${name} is already assigned to node ${goQuote(s.nodeName)}`);
  if (arr(s.schedulingGates).length !== 0) fail(`pod ${name} has non-empty .spec.schedulingGates`);
  s.nodeName = nodeName;
  if (annotations && Object.keys(annotations).length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...annotations };
  const st = isObject(pod.status) ? pod.status : (pod.status = {});
  updatePodCondition(st, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
}

/**
 * The whole of BindingREST.Create for a decoded Binding body: the URL name must match (400), the binding must
 * validate (500, see bindingValidationError), then bindPod. Returns the mutated pod.
 */
export function applyBinding(pod: KObject, binding: KObject, urlName: string, now?: string): KObject {
  if (str(binding.metadata?.name) !== urlName) throw badRequest('name in URL does not match name in Binding object');
  const errs = validatePodBinding(binding);
  if (errs.length) throw bindingValidationError(errs);
  const target = binding.target as { name: string };
  bindPod(pod, target.name, binding.metadata?.annotations, now);
  return pod;
}

/** podutil.UpdatePodCondition: append, or replace in place keeping lastTransitionTime when status is unchanged. */
export function updatePodCondition(st: Obj, cond: Obj): boolean {
  const conditions = arr(st.conditions);
  const i = conditions.findIndex((c) => isObject(c) && c.type === cond.type);
  if (i < 0) { st.conditions = [...conditions, cond]; return true; }
  const old = conditions[i];
  if (cond.status === old.status) cond.lastTransitionTime = old.lastTransitionTime;
  const equal = cond.status === old.status && (cond.reason ?? '') === (old.reason ?? '') && (cond.message ?? '') === (old.message ?? '') &&
    (cond.lastProbeTime ?? null) === (old.lastProbeTime ?? null) && (cond.lastTransitionTime ?? null) === (old.lastTransitionTime ?? null);
  const next = [...conditions];
  next[i] = cond;
  st.conditions = next;
  return !equal;
}

// ---------------------------------------------------------------------------------------------
// The strategy.

/** metadata.name: this is used in the Pod's hostname... (podStrategy.WarningsOnCreate). */
function podNameWarning(pod: KObject): string[] {
  const msgs = isDNS1123Label(str(pod.metadata?.name));
  return msgs.length ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}

export function podStrategy(): Strategy {
  return {
    info: POD_INFO,

    defaults: defaultPod,

    prepareForCreate(pod) {
      // PrepareForCreate: status is reset to phase Pending plus the computed QoS class; the StatefulSet
      // controller relies on phase != "" to count a pod as created (semantics §5).
      pod.status = { phase: 'Pending', qosClass: computePodQOS(pod) };
      // applySchedulingGatedCondition.
      if (arr(spec(pod).schedulingGates).length > 0) {
        pod.status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null, reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
      }
    },

    prepareForUpdate(pod, old) {
      pod.status = structuredClone(old.status);
    },

    validate: validatePodCreate,

    validateUpdate: validatePodUpdate,

    prepareForStatusUpdate(pod, old) {
      // podStatusStrategy.PrepareForUpdate: spec and ownerReferences come from the stored pod; labels and
      // annotations may change here (the kubelet relies on it); the QoS class is backfilled when omitted.
      pod.spec = structuredClone(old.spec);
      if (old.metadata.ownerReferences) pod.metadata.ownerReferences = structuredClone(old.metadata.ownerReferences);
      else delete pod.metadata.ownerReferences;
      if (!isObject(pod.status)) pod.status = {};
      if (!pod.status.qosClass && isObject(old.status) && old.status.qosClass) pod.status.qosClass = old.status.qosClass;
      normalizePodStatusIPs(pod.status);
    },

    validateStatusUpdate: validatePodStatusUpdate,

    warnings(pod, old) {
      // WarningsOnUpdate returns nothing for pods ("humans don't typically interact directly with pods").
      if (old) return [];
      return [...podNameWarning(pod), ...podSpecWarnings(pod.spec, pod.metadata, '')];
    },

    specChanged(pod, old) {
      return !semanticEqual(pod.spec, old.spec);
    },
  };
}

