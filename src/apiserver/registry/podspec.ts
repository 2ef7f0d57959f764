// Everything kube-apiserver does to a PodSpec wherever it appears (Pod, and the pod template of
// StatefulSet/Deployment/ReplicaSet): defaulting (pkg/apis/core/v1/defaults.go SetDefaults_PodSpec,
// SetDefaults_Container, SetDefaults_Probe, SetDefaults_Volume, ...), validation
// (pkg/apis/core/validation/validation.go ValidatePodSpec, ValidatePodTemplateSpec) and the warnings of
// pkg/api/pod/warnings.go. Reproduces v1.32 with its default feature gates (RelaxedEnvironmentVariableValidation
// on, InPlacePodVerticalScaling off). kubernetes-semantics.md §5–§7, kubectl-compatibility.md §4.
//
// Validation walks the JSON object defensively: a field of the wrong JSON type is treated like Go's zero
// value would be after a (hypothetical) successful decode, because the codec rejects wrong types first.

import type { ObjectMeta } from '../../api/meta.ts';
import { field, goQuote, GoLiteral, type FieldError } from '../../api/status.ts';
import {
  inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidLabelValue,
  isValidPortName, isValidPortNum, maxLenError, regexError, validateAnnotations, validateLabels,
  validateNonnegativeField,
} from '../../api/validation.ts';
import type { Container, PodSpec, PodTemplateSpec, Probe } from '../../api/types/pod.ts';

// ---------------------------------------------------------------------------------------------
// Small shared helpers (also used by pod.ts and apps/).

type Obj = Record<string, any>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr<T = any>(v: unknown): T[] { return Array.isArray(v) ? (v as T[]) : []; }
function str(v: unknown): string { return typeof v === 'string' ? v : ''; }

/** field.Path.Child. */
export function child(p: string, ...names: string[]): string {
  let out = p;
  for (const n of names) out = out ? `${out}.${n}` : n;
  return out;
}
/** field.Path.Index / Key. */
export function index(p: string, i: number | string): string { return `${p}[${i}]`; }

/**
 * field.NotSupported exactly as Go builds it: the supported values in the order the caller gives them
 * (kube passes literal slices in declaration order, or sets.List(...) which is sorted).
 */
export function notSupported(fld: string, value: unknown, supported: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field: fld, value, detail: supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '' };
}

/** int64 max used by activeDeadlineSeconds checks (math.MaxInt32 in Go). */
export const MAX_INT32 = 2147483647;

/** Whether a JSON value equals Go's zero value of its field once decoded (absent, null, "", 0, false, [], {}). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).every((k) => isZero(v[k]));
  return false;
}

/**
 * apiequality.Semantic.DeepEqual on the decoded internal structs, approximated on JSON: an absent field,
 * null, and Go's zero value compare equal, and so do nil and empty slices/maps (the forked reflect.DeepEqual
 * kube uses treats them alike). Pointer-vs-zero distinctions (`*bool false` vs nil) are not visible in JSON
 * and are treated as equal.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = arr(a), y = arr(b);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!semanticEqual(x[i], y[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return false;
}

/** Renders a map[string]string the way Go's %#v does, including the nil map. */
export function goStringMap(m: unknown): GoLiteral {
  if (!isObject(m)) return new GoLiteral('map[string]string(nil)');
  const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new GoLiteral(`map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`);
}

// ---------------------------------------------------------------------------------------------
// Quantities (k8s.io/apimachinery/pkg/api/resource): parsed exactly into nano-units for comparisons.

const QUANTITY_RE = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))((?:[eE][+-]?[0-9]+)|(?:[KMGTPE]i)|[numkMGTPE]?)$/;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };

/**
 * Parses a resource quantity into an integer number of nano-units (rounded up past 9 decimal places, as
 * Quantity does when it cannot keep more precision). null when the string is not a quantity.
 */
export function parseQuantityNanos(q: unknown): bigint | null {
  if (typeof q === 'number') q = String(q);
  if (typeof q !== 'string') return null;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return null;
  let num = m[1];
  const suffix = m[2];
  let sign = 1n;
  if (num.startsWith('-')) { sign = -1n; num = num.slice(1); } else if (num.startsWith('+')) num = num.slice(1);
  const [ip, fp = ''] = num.split('.');
  let digits = BigInt((ip || '0') + fp); // value = digits * 10^-fp.length
  let exp10 = -fp.length;
  let mult = 1n;
  if (suffix in BINARY_SUFFIX) mult = BINARY_SUFFIX[suffix];
  else if (/^[eE]/.test(suffix)) exp10 += Number(suffix.slice(1));
  else exp10 += DECIMAL_SUFFIX[suffix];
  digits *= mult;
  // nanos = digits * 10^(exp10 + 9), rounded up (away from zero) when fractional.
  const shift = exp10 + 9;
  let nanos: bigint;
  if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
  else {
    const d = 10n ** BigInt(-shift);
    nanos = digits / d + (digits % d === 0n ? 0n : 1n);
  }
  return sign * nanos;
}

// ---------------------------------------------------------------------------------------------
// Images (k8s.io/kubernetes/pkg/util/parsers ParseImageName over the docker reference grammar).

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REFERENCE_RE = new RegExp(
  `^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}))?$`,
);

/**
 * The tag ParseImageName reports: the explicit tag, "latest" when there is neither tag nor digest, "" for a
 * digest-only reference; null when the reference does not parse (defaulting then treats it as not-latest).
 */
export function imageTag(image: string): string | null {
  const m = REFERENCE_RE.exec(image);
  if (!m || m[1].length > 255 || /^[a-f0-9]{64}$/.test(image)) return null;
  if (m[2]) return m[2];
  return m[3] ? '' : 'latest';
}

// ---------------------------------------------------------------------------------------------
// Defaulting.

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const TERMINATION_MESSAGE_PATH_DEFAULT = '/dev/termination-log';
/** 0644: SecretVolumeSourceDefaultMode, ConfigMapVolumeSourceDefaultMode, DownwardAPIVolumeSourceDefaultMode, ProjectedVolumeSourceDefaultMode. */
export const VOLUME_DEFAULT_MODE = 0o644;

function defaultObjectFieldSelector(fs: unknown): void {
  if (isObject(fs) && !fs.apiVersion) fs.apiVersion = 'v1';
}

function defaultHTTPGet(h: unknown): void {
  if (!isObject(h)) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: unknown): void {
  if (!isObject(p)) return;
  // SetDefaults_Probe.
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHTTPGet(p.httpGet);
  // SetDefaults_GRPCAction: service defaults to "".
  if (isObject(p.grpc) && p.grpc.service === undefined) p.grpc.service = '';
}

/** SetDefaults_Container plus the defaults of the structs a container embeds. */
export function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  if (!c.imagePullPolicy) {
    c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (!c.terminationMessagePath) c.terminationMessagePath = TERMINATION_MESSAGE_PATH_DEFAULT;
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  // ResourceRequirements is a non-pointer struct: Go always serializes `resources: {}`.
  if (!isObject(c.resources)) c.resources = {};
  for (const p of arr(c.ports)) if (isObject(p) && !p.protocol) p.protocol = 'TCP'; // SetDefaults_ContainerPort
  for (const e of arr(c.env)) if (isObject(e) && isObject(e.valueFrom)) defaultObjectFieldSelector(e.valueFrom.fieldRef);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObject(c.lifecycle)) {
    for (const h of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObject(h)) defaultHTTPGet(h.httpGet);
  }
}

/** Volume source keys of core/v1 VolumeSource (exactly one may be set). */
export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
] as const;

function defaultVolume(v: unknown): void {
  if (!isObject(v)) return;
  // SetDefaults_Volume: a volume with no source is an emptyDir.
  if (!VOLUME_SOURCES.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  for (const k of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (isObject(v[k]) && (v[k].defaultMode === undefined || v[k].defaultMode === null)) v[k].defaultMode = VOLUME_DEFAULT_MODE;
  }
  if (isObject(v.hostPath) && v.hostPath.type === undefined) v.hostPath.type = ''; // SetDefaults_HostPathVolumeSource
  if (isObject(v.downwardAPI)) for (const it of arr(v.downwardAPI.items)) if (isObject(it)) defaultObjectFieldSelector(it.fieldRef);
  if (isObject(v.projected)) {
    for (const src of arr(v.projected.sources)) {
      if (!isObject(src)) continue;
      if (isObject(src.serviceAccountToken) && !src.serviceAccountToken.expirationSeconds) src.serviceAccountToken.expirationSeconds = 3600;
      if (isObject(src.downwardAPI)) for (const it of arr(src.downwardAPI.items)) if (isObject(it)) defaultObjectFieldSelector(it.fieldRef);
    }
  }
}

/**
 * SetDefaults_PodSpec (and the generated defaulters for everything inside a PodSpec): restartPolicy Always,
 * dnsPolicy ClusterFirst, securityContext {}, terminationGracePeriodSeconds 30, schedulerName
 * default-scheduler; per container imagePullPolicy, terminationMessagePath/Policy, ports[].protocol TCP,
 * probe and volume defaults. Pod-only defaults (enableServiceLinks, requests from limits) are in pod.ts.
 * serviceAccountName/automount are filled by the ServiceAccount admission plugin, which kubedisco does not run.
 */
export function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!isObject(spec.securityContext)) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (!spec.schedulerName) spec.schedulerName = DEFAULT_SCHEDULER_NAME;
  // v1 conversion: serviceAccountName falls back to the deprecated serviceAccount, which mirrors it on output.
  const sa = str(spec.serviceAccountName) || str(spec.serviceAccount);
  if (sa) { spec.serviceAccountName = sa; spec.serviceAccount = sa; }
  for (const c of arr(spec.initContainers)) defaultContainer(c);
  for (const c of arr(spec.containers)) defaultContainer(c);
  for (const c of arr(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of arr(spec.volumes)) defaultVolume(v);
}

/**
 * Defaults of a PodTemplateSpec: the PodSpec defaults, plus `metadata.creationTimestamp: null`, which Go
 * always writes for an embedded ObjectMeta (kubectl shows it in every workload's template).
 */
export function defaultPodTemplateSpec(t: unknown): void {
  if (!isObject(t)) return;
  if (!isObject(t.metadata)) t.metadata = {};
  if (!('creationTimestamp' in t.metadata)) t.metadata.creationTimestamp = null;
  if (!isObject(t.spec)) t.spec = { containers: null };
  defaultPodSpec(t.spec);
}

// ---------------------------------------------------------------------------------------------
// Validation.

export interface PodValidationOptions {
  /** The PodSpec belongs to a Pod (not a template): hostPort must equal containerPort with hostNetwork. */
  resourceIsPod?: boolean;
}

function dns1123Label(value: string, fld: string): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(fld, value, m));
}
function dns1123Subdomain(value: string, fld: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => field.invalid(fld, value, m));
}
function qualifiedName(value: string, fld: string): FieldError[] {
  return isQualifiedName(value).map((m) => field.invalid(fld, value, m));
}

const RELAXED_ENV_VAR_NAME_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, beta and on by default in 1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7f || c < 0x20 || c === 0x7f || ch === '=') { errs.push(RELAXED_ENV_VAR_NAME_MSG); break; }
  }
  return errs;
}

const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

/** IsConfigMapKey. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${CONFIG_MAP_KEY_FMT}$`).test(value)) errs.push(regexError(CONFIG_MAP_KEY_ERR, CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const VALID_ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** Labels podshelper.ConvertDownwardAPIFieldLabel accepts for v1. */
const CONVERTIBLE_FIELD_LABELS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];

/** validateObjectFieldSelector for env valueFrom.fieldRef. */
function validateObjectFieldSelector(fs: Obj, fld: string): FieldError[] {
  const version = str(fs.apiVersion);
  if (!version) return [field.required(child(fld, 'apiVersion'))];
  let path = str(fs.fieldPath);
  if (!path) return [field.required(child(fld, 'fieldPath'))];
  const convErr = (why: string) => [field.invalid(child(fld, 'fieldPath'), path, `error converting fieldPath: ${why}`)];
  if (version !== 'v1') return convErr(`unsupported pod version: ${version}`);
  const sub = /^(.*)\['(.*)'\]$/.exec(path);
  if (sub) {
    if (sub[1] === 'metadata.annotations') return qualifiedName(sub[2].toLowerCase(), fld);
    if (sub[1] === 'metadata.labels') return qualifiedName(sub[2], fld);
    return convErr(`field label does not support subscript: ${path}`);
  }
  if (path === 'spec.host') path = 'spec.nodeName';
  else if (!CONVERTIBLE_FIELD_LABELS.includes(path)) return convErr(`field label not supported: ${path}`);
  if (!VALID_ENV_FIELD_PATHS.includes(path)) return [notSupported(child(fld, 'fieldPath'), path, [...VALID_ENV_FIELD_PATHS].sort())];
  return [];
}

function validateKeySelector(s: Obj, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  for (const m of isDNS1123Subdomain(name)) errs.push(field.invalid(child(fld, 'name'), name, m));
  const key = str(s.key);
  if (!key) errs.push(field.required(child(fld, 'key')));
  else for (const m of isConfigMapKey(key)) errs.push(field.invalid(child(fld, 'key'), key, m));
  return errs;
}

/** ValidateEnv. */
function validateEnv(vars: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(vars).forEach((raw, i) => {
    const ev = isObject(raw) ? raw : {};
    const p = index(fld, i);
    const name = str(ev.name);
    if (!name) errs.push(field.required(child(p, 'name')));
    else for (const m of isRelaxedEnvVarName(name)) errs.push(field.invalid(child(p, 'name'), name, m));
    if (!isObject(ev.valueFrom)) return;
    const vf = ev.valueFrom;
    const vp = child(p, 'valueFrom');
    let sources = 0;
    if (isObject(vf.fieldRef)) { sources++; errs.push(...validateObjectFieldSelector(vf.fieldRef, child(vp, 'fieldRef'))); }
    if (isObject(vf.resourceFieldRef)) {
      sources++;
      if (!str(vf.resourceFieldRef.resource)) errs.push(field.required(child(vp, 'resourceFieldRef', 'resource')));
    }
    if (isObject(vf.configMapKeyRef)) { sources++; errs.push(...validateKeySelector(vf.configMapKeyRef, child(vp, 'configMapKeyRef'))); }
    if (isObject(vf.secretKeyRef)) { sources++; errs.push(...validateKeySelector(vf.secretKeyRef, child(vp, 'secretKeyRef'))); }
    if (sources === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** validateContainerPorts. */
function validateContainerPorts(ports: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((raw, i) => {
    const port = isObject(raw) ? raw : {};
    const p = index(fld, i);
    const name = str(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) for (const m of msgs) errs.push(field.invalid(child(p, 'name'), name, m));
      else if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const cp = typeof port.containerPort === 'number' ? port.containerPort : 0;
    if (cp === 0) errs.push(field.required(child(p, 'containerPort')));
    else for (const m of isValidPortNum(cp)) errs.push(field.invalid(child(p, 'containerPort'), cp, m));
    const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
    if (hp !== 0) for (const m of isValidPortNum(hp)) errs.push(field.invalid(child(p, 'hostPort'), hp, m));
    const proto = str(port.protocol);
    if (!proto) errs.push(field.required(child(p, 'protocol')));
    else if (!['TCP', 'UDP', 'SCTP'].includes(proto)) errs.push(notSupported(child(p, 'protocol'), proto, ['SCTP', 'TCP', 'UDP']));
  });
  return errs;
}

/** ValidateVolumes: returns the names of the volumes that validated, and the errors. */
function validateVolumes(volumes: unknown, fld: string): { names: Set<string>; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((raw, i) => {
    const vol = isObject(raw) ? raw : {};
    const p = index(fld, i);
    const el: FieldError[] = [];
    const sources = VOLUME_SOURCES.filter((k) => vol[k] !== undefined && vol[k] !== null);
    if (sources.length === 0) el.push(field.required(p, 'must specify a volume type'));
    for (const extra of sources.slice(1)) el.push(field.forbidden(child(p, extra), 'may not specify more than 1 volume type'));
    if (isObject(vol.persistentVolumeClaim) && !str(vol.persistentVolumeClaim.claimName)) {
      el.push(field.required(child(p, 'persistentVolumeClaim', 'claimName')));
    }
    const name = str(vol.name);
    if (!name) el.push(field.required(child(p, 'name')));
    else el.push(...dns1123Label(name, child(p, 'name')));
    if (names.has(name)) el.push(field.duplicate(child(p, 'name'), name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { names, errs };
}

/** ValidateVolumeMounts (the name/mountPath rules). */
function validateVolumeMounts(mounts: unknown, volumes: Set<string>, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const points = new Set<string>();
  arr(mounts).forEach((raw, i) => {
    const m = isObject(raw) ? raw : {};
    const p = index(fld, i);
    const name = str(m.name);
    if (!name) errs.push(field.required(child(p, 'name')));
    if (!volumes.has(name)) errs.push(field.notFound(child(p, 'name'), name));
    const mountPath = str(m.mountPath);
    if (!mountPath) errs.push(field.required(child(p, 'mountPath')));
    if (points.has(mountPath)) errs.push(field.invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    points.add(mountPath);
  });
  return errs;
}

function validatePortNumOrName(port: unknown, fld: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(fld, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(fld, port, m));
  return isValidPortNum(0).map((m) => field.invalid(fld, 0, m));
}

/** validateHandler over a probe or lifecycle handler. */
function validateHandler(h: Obj, fld: string, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const v = h[kind];
    if (!isObject(v)) continue;
    if (n > 0) { errs.push(field.forbidden(child(fld, kind), 'may not specify more than 1 handler type')); continue; }
    n++;
    const p = child(fld, kind);
    switch (kind) {
      case 'exec':
        if (arr(v.command).length === 0) errs.push(field.required(child(p, 'command')));
        break;
      case 'httpGet':
        if (!str(v.path)) errs.push(field.required(child(p, 'path')));
        errs.push(...validatePortNumOrName(v.port, child(p, 'port')));
        if (!['HTTP', 'HTTPS'].includes(str(v.scheme))) errs.push(notSupported(child(p, 'scheme'), str(v.scheme), ['HTTP', 'HTTPS']));
        break;
      case 'tcpSocket':
        errs.push(...validatePortNumOrName(v.port, child(p, 'port')));
        break;
      case 'grpc':
        errs.push(...validatePortNumOrName(typeof v.port === 'number' ? v.port : 0, child(p, 'port')));
        break;
      case 'sleep':
        break;
    }
  }
  if (n === 0) errs.push(field.required(fld, 'must specify a handler type'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

function num(v: unknown): number { return typeof v === 'number' ? v : 0; }

function validateProbe(probe: unknown, fld: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, fld, PROBE_HANDLERS);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegativeField(num(probe[f]), child(fld, f)));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) errs.push(field.invalid(child(fld, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind === 'readiness') {
    if (typeof tgps === 'number') errs.push(field.invalid(child(fld, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  } else if (num(probe.successThreshold) !== 1) {
    errs.push(field.invalid(child(fld, 'successThreshold'), num(probe.successThreshold), 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lc: unknown, fld: string): FieldError[] {
  if (!isObject(lc)) return [];
  const errs: FieldError[] = [];
  for (const k of ['postStart', 'preStop']) if (isObject(lc[k])) errs.push(...validateHandler(lc[k], child(fld, k), LIFECYCLE_HANDLERS));
  return errs;
}

/** validateContainerCommon: name, image, terminationMessagePolicy, ports, env, volumeMounts, imagePullPolicy. */
function validateContainerCommon(c: Obj, volumes: Set<string>, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (!name) errs.push(field.required(child(fld, 'name')));
  else errs.push(...dns1123Label(name, child(fld, 'name')));
  if (!str(c.image)) errs.push(field.required(child(fld, 'image')));
  const tmp = str(c.terminationMessagePolicy);
  if (!tmp) errs.push(field.required(child(fld, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(notSupported(child(fld, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, child(fld, 'ports')));
  errs.push(...validateEnv(c.env, child(fld, 'env')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, child(fld, 'volumeMounts')));
  const pull = str(c.imagePullPolicy);
  if (!pull) errs.push(field.required(child(fld, 'imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull)) errs.push(notSupported(child(fld, 'imagePullPolicy'), pull, ['Always', 'IfNotPresent', 'Never']));
  return errs;
}

/** AccumulateUniqueHostPorts: `<protocol>/<hostIP>/<hostPort>` must be unique. */
function checkHostPortConflicts(containers: Obj[], fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    arr(c.ports).forEach((raw, pi) => {
      const port = isObject(raw) ? raw : {};
      const hp = num(port.hostPort);
      if (hp === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hp}`;
      if (seen.has(key)) errs.push(field.duplicate(child(index(child(index(fld, ci), 'ports'), pi), 'hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateContainers(containers: unknown, volumes: Set<string>, fld: string): FieldError[] {
  const list = arr(containers);
  if (list.length === 0) return [field.required(fld)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const objs = list.map((c) => (isObject(c) ? c : {}));
  objs.forEach((c, i) => {
    const p = index(fld, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    const name = str(c.name);
    if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...validateLifecycle(c.lifecycle, child(p, 'lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c.startupProbe, child(p, 'startupProbe'), 'startup'));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(field.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(objs, fld));
  return errs;
}

function validateInitContainers(containers: unknown, regular: unknown, volumes: Set<string>, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>(arr(regular).map((c) => str(isObject(c) ? c.name : '')));
  arr(containers).forEach((raw, i) => {
    const c = isObject(raw) ? raw : {};
    const p = index(fld, i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let restartAlways = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy === 'Always') restartAlways = true;
      else errs.push(notSupported(child(p, 'restartPolicy'), str(c.restartPolicy), ['Always']));
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(field.duplicate(child(p, 'name'), name));
    else if (name) names.add(name);
    errs.push(...checkHostPortConflicts([c], fld));
    if (restartAlways) {
      errs.push(...validateLifecycle(c.lifecycle, child(p, 'lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(c.startupProbe, child(p, 'startupProbe'), 'startup'));
    } else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[k] !== undefined && c[k] !== null) errs.push(field.forbidden(child(p, k), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((raw, i) => {
    const t = isObject(raw) ? raw : {};
    const p = index(fld, i);
    const key = str(t.key);
    const op = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key) errs.push(...qualifiedName(key, child(p, 'key')));
    if (!key && op !== 'Exists') {
      errs.push(field.invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(field.invalid(child(p, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (op) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length) errs.push(field.invalid(child(p, 'operator'), value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value) errs.push(field.invalid(child(p, 'operator'), value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    }
    if (effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
      errs.push(notSupported(child(p, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

function validatePodDNSConfig(dnsConfig: unknown, dnsPolicy: string, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None') {
    if (!isObject(dnsConfig)) return [field.required(fld, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (arr(dnsConfig.nameservers).length === 0) return [field.required(child(fld, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObject(dnsConfig)) return errs;
  const ns = arr<string>(dnsConfig.nameservers);
  if (ns.length > 3) errs.push(field.invalid(child(fld, 'nameservers'), ns, 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => { for (const m of isValidIP(str(ip))) errs.push(field.invalid(index(child(fld, 'nameservers'), i), str(ip), m)); });
  const searches = arr<string>(dnsConfig.searches);
  if (searches.length > 32) errs.push(field.invalid(child(fld, 'searches'), searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(field.invalid(child(fld, 'searches'), searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => {
    const v = str(s).replace(/\.$/, '');
    errs.push(...dns1123Subdomain(v, index(child(fld, 'searches'), i)));
  });
  arr(dnsConfig.options).forEach((o, i) => {
    if (!str(isObject(o) ? o.name : '')) errs.push(field.required(index(child(fld, 'options'), i), 'must not be empty'));
  });
  return errs;
}

/**
 * ValidatePodSpec, in kube's order: terminationGracePeriodSeconds, volumes, containers, initContainers,
 * hostNetwork ports, restartPolicy, dnsPolicy, nodeSelector, imagePullSecrets, dnsConfig, readinessGates,
 * schedulingGates, serviceAccountName, nodeName, activeDeadlineSeconds, hostname, subdomain, tolerations,
 * hostAliases, priorityClassName, runtimeClassName, preemptionPolicy. `fld` is the path of the spec.
 * Not reproduced: affinity, topologySpreadConstraints, security contexts, resources, overhead, os.
 */
export function validatePodSpec(spec: unknown, fld: string, opts: PodValidationOptions = {}): FieldError[] {
  const s: Obj = isObject(spec) ? spec : {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined || s.terminationGracePeriodSeconds === null) {
    errs.push(field.required(child(fld, 'terminationGracePeriodSeconds')));
  }
  const vols = validateVolumes(s.volumes, child(fld, 'volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainers(s.containers, vols.names, child(fld, 'containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, vols.names, child(fld, 'initContainers')));

  // validatePodHostNetworkDeps.
  if (s.hostNetwork === true) {
    arr(s.containers).forEach((c, ci) => {
      arr(isObject(c) ? c.ports : []).forEach((port, pi) => {
        const hp = num(isObject(port) ? port.hostPort : 0);
        const cp = num(isObject(port) ? port.containerPort : 0);
        if ((opts.resourceIsPod || hp !== 0) && hp !== cp) {
          errs.push(field.invalid(child(index(child(index(child(fld, 'containers'), ci), 'ports'), pi), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }

  const restart = str(s.restartPolicy);
  if (!restart) errs.push(field.required(child(fld, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(restart)) errs.push(notSupported(child(fld, 'restartPolicy'), restart, ['Always', 'OnFailure', 'Never']));

  const dns = str(s.dnsPolicy);
  if (!dns) errs.push(field.required(child(fld, 'dnsPolicy')));
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dns)) {
    errs.push(notSupported(child(fld, 'dnsPolicy'), dns, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  }
  errs.push(...validateLabels(s.nodeSelector, child(fld, 'nodeSelector')));

  arr(s.imagePullSecrets).forEach((ref, i) => {
    if (isObject(ref) && Object.keys(ref).some((k) => k !== 'name')) {
      errs.push(field.invalid(index(child(fld, 'imagePullSecrets'), i), new GoLiteral(`core.LocalObjectReference{Name:${goQuote(str(ref.name))}}`), 'only name may be set'));
    }
  });
  errs.push(...validatePodDNSConfig(s.dnsConfig, dns, child(fld, 'dnsConfig')));
  arr(s.readinessGates).forEach((g, i) => {
    errs.push(...qualifiedName(str(isObject(g) ? g.conditionType : ''), child(index(child(fld, 'readinessGates'), i), 'conditionType')));
  });
  const gates = new Set<string>();
  arr(s.schedulingGates).forEach((g, i) => {
    const name = str(isObject(g) ? g.name : '');
    const p = index(child(fld, 'schedulingGates'), i);
    errs.push(...qualifiedName(name, p));
    if (gates.has(name)) errs.push(field.duplicate(p, name));
    gates.add(name);
  });
  const sa = str(s.serviceAccountName);
  if (sa) errs.push(...dns1123Subdomain(sa, child(fld, 'serviceAccountName')));
  const nodeName = str(s.nodeName);
  if (nodeName) errs.push(...dns1123Subdomain(nodeName, child(fld, 'nodeName')));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = num(s.activeDeadlineSeconds);
    if (v < 1 || v > MAX_INT32) errs.push(field.invalid(child(fld, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
  }
  const hostname = str(s.hostname);
  if (hostname) errs.push(...dns1123Label(hostname, child(fld, 'hostname')));
  const subdomain = str(s.subdomain);
  if (subdomain) errs.push(...dns1123Label(subdomain, child(fld, 'subdomain')));
  if (arr(s.tolerations).length) errs.push(...validateTolerations(s.tolerations, child(fld, 'tolerations')));
  arr(s.hostAliases).forEach((raw, i) => {
    const ha = isObject(raw) ? raw : {};
    const p = index(child(fld, 'hostAliases'), i);
    for (const m of isValidIP(str(ha.ip))) errs.push(field.invalid(child(p, 'ip'), str(ha.ip), m));
    arr(ha.hostnames).forEach((h, j) => errs.push(...dns1123Subdomain(str(h), index(child(p, 'hostnames'), j))));
  });
  const pcn = str(s.priorityClassName);
  if (pcn) errs.push(...dns1123Subdomain(pcn, child(fld, 'priorityClassName')));
  if (typeof s.runtimeClassName === 'string') errs.push(...dns1123Subdomain(s.runtimeClassName, child(fld, 'runtimeClassName')));
  if (s.preemptionPolicy !== undefined && s.preemptionPolicy !== null) {
    const pp = str(s.preemptionPolicy);
    if (!pp) errs.push(field.required(child(fld, 'preemptionPolicy')));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(notSupported(child(fld, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/**
 * ValidatePodTemplateSpec: template labels and annotations (paths `<fld>.labels` / `<fld>.annotations`,
 * not `.metadata.labels`: kube's own quirk), the PodSpec, and no ephemeral containers.
 */
export function validatePodTemplateSpec(t: unknown, fld: string): FieldError[] {
  const tpl: Obj = isObject(t) ? t : {};
  const meta: Obj = isObject(tpl.metadata) ? tpl.metadata : {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(meta.labels, child(fld, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(fld, 'annotations')));
  errs.push(...validatePodSpec(tpl.spec, child(fld, 'spec')));
  if (isObject(tpl.spec) && arr(tpl.spec.ephemeralContainers).length > 0) {
    errs.push(field.forbidden(child(fld, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Warnings (pkg/api/pod/warnings.go warningsForPodSpecAndMeta, the parts that apply here).

function allContainersWithPath(spec: Obj, specPath: string): Array<{ c: Obj; p: string }> {
  const out: Array<{ c: Obj; p: string }> = [];
  for (const k of ['initContainers', 'containers', 'ephemeralContainers']) {
    arr(spec[k]).forEach((c, i) => { if (isObject(c)) out.push({ c, p: index(child(specPath, k), i) }); });
  }
  return out;
}

/**
 * Warnings for a PodSpec with its metadata. `prefix` is '' for a Pod and e.g. `spec.template` for a workload
 * template. Reproduces: duplicate imagePullSecrets/hostAliases, duplicate env names, duplicate/overlapping
 * container ports, negative terminationGracePeriodSeconds, fractional memory quantities.
 */
export function podSpecWarnings(spec: unknown, _meta: ObjectMeta | undefined, prefix: string): string[] {
  if (!isObject(spec)) return [];
  const warnings: string[] = [];
  const specPath = child(prefix, 'spec');
  const aliases = arr(spec.hostAliases);
  if (aliases.length > 1) {
    const seen = new Set<string>();
    aliases.forEach((a, i) => {
      const ip = str(isObject(a) ? a.ip : '');
      if (seen.has(ip)) warnings.push(`${child(index(child(specPath, 'hostAliases'), i), 'ip')}: duplicate ip ${goQuote(ip)}`);
      else seen.add(ip);
    });
  }
  const secrets = arr(spec.imagePullSecrets);
  if (secrets.length > 1) {
    const seen = new Set<string>();
    secrets.forEach((s, i) => {
      const n = str(isObject(s) ? s.name : '');
      if (seen.has(n)) warnings.push(`${child(index(child(specPath, 'imagePullSecrets'), i), 'name')}: duplicate name ${goQuote(n)}`);
      else seen.add(n);
    });
  }
  secrets.forEach((s, i) => {
    const n = str(isObject(s) ? s.name : '');
    if (!n) warnings.push(`${child(index(child(specPath, 'imagePullSecrets'), i), 'name')}: invalid empty name ${goQuote(n)}`);
  });
  const containers = allContainersWithPath(spec, specPath);
  for (const { c, p } of containers) {
    for (const kind of ['limits', 'requests']) {
      const rl = isObject(c.resources) && isObject(c.resources[kind]) ? c.resources[kind] : {};
      for (const res of ['memory', 'ephemeral-storage']) {
        if (!(res in rl)) continue;
        const nanos = parseQuantityNanos(rl[res]);
        if (nanos !== null && nanos % 1000000000n !== 0n) {
          warnings.push(`${index(child(p, 'resources', kind), res)}: fractional byte value ${goQuote(String(rl[res]))} is invalid, must be an integer`);
        }
      }
    }
    const env = arr(c.env);
    if (env.length > 1) {
      const seen = new Set<string>();
      env.forEach((raw, i) => {
        const e = isObject(raw) ? raw : {};
        const name = str(e.name);
        if (!seen.has(name)) { seen.add(name); return; }
        const ref = `$(${name})`;
        const value = str(e.value);
        if (isObject(e.valueFrom) || value === ref || !value.includes(ref)) {
          warnings.push(`${index(child(p, 'env'), i)}: hides previous definition of ${goQuote(name)}, which may be dropped when using apply`);
        }
      });
    }
  }
  const all = new Map<string, Array<{ p: string; hostIP: string; hostPort: number }>>();
  for (const { c, p } of containers) {
    arr(c.ports).forEach((raw, i) => {
      const port = isObject(raw) ? raw : {};
      const pp = index(child(p, 'ports'), i);
      const hostIP = str(port.hostIP);
      const hostPort = num(port.hostPort);
      if (hostIP && hostPort === 0) {
        warnings.push(`${pp}: hostIP set without hostPort: {Name:${str(port.name)} HostPort:${hostPort} ContainerPort:${num(port.containerPort)} Protocol:${str(port.protocol)} HostIP:${hostIP}}`);
      }
      const k = `${num(port.containerPort)}/${str(port.protocol)}`;
      const others = all.get(k);
      if (others) {
        for (const o of others) {
          if (hostIP === o.hostIP && hostPort === o.hostPort) warnings.push(`${pp}: duplicate port definition with ${o.p}`);
          else if (hostPort === 0 || o.hostPort === 0) warnings.push(`${pp}: overlapping port definition with ${o.p}`);
          else if (hostPort === o.hostPort && (hostIP === '') !== (o.hostIP === '')) warnings.push(`${pp}: dangerously ambiguous port definition with ${o.p}`);
        }
        others.push({ p: pp, hostIP, hostPort });
      } else all.set(k, [{ p: pp, hostIP, hostPort }]);
    });
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    warnings.push(`${child(specPath, 'terminationGracePeriodSeconds')}: must be >= 0; negative values are invalid and will be treated as 1`);
  }
  return warnings;
}

/** Warnings for a workload's pod template (GetWarningsForPodTemplate), `fld` e.g. `spec.template`. */
export function podTemplateWarnings(t: unknown, fld: string): string[] {
  if (!isObject(t)) return [];
  return podSpecWarnings(t.spec, isObject(t.metadata) ? (t.metadata as ObjectMeta) : undefined, fld);
}

// Re-exported so callers can type their inputs.
export type { Container, PodSpec, PodTemplateSpec, Probe };
