// String-format validators with apimachinery's exact messages
// (k8s.io/apimachinery/pkg/util/validation/validation.go, now also pkg/api/validate/content/*.go) and the
// metav1 helpers built on them (k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go,
// pkg/api/validation/objectmeta.go). kubernetes-semantics.md §1.3–§1.6.
//
// Each `is*` function returns the list of problems as plain messages (empty = valid), like the Go
// functions; callers wrap them in field errors (`field.invalid(path, value, msg)`).

import type { NameRule } from './resources.ts';
import { field, type FieldError } from './status.ts';

/**
 * Go never hands these functions anything but a string; a JSON body may. Non-strings are validated as
 * their text (null/undefined as ""), so a malformed body gets a field error instead of a crash.
 */
function asString(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

// ---------------------------------------------------------------------------------------------
// Message builders (validation.go).

/** `must be no more than N characters` (MaxLenError). */
export function maxLenError(length: number): string { return `must be no more than ${length} characters`; }
/** `must be non-empty` (EmptyError). */
export function emptyError(): string { return 'must be non-empty'; }
/** `must be between lo and hi, inclusive` (InclusiveRangeError). */
export function inclusiveRangeError(lo: number, hi: number): string { return `must be between ${lo} and ${hi}, inclusive`; }

/**
 * RegexError: `<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')`. The double space after
 * each example's comma is real: every example is followed by `', '` and joined with ` or `.
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = msg + ' (e.g. ';
  examples.forEach((ex, i) => { if (i > 0) s += ' or '; s += `'${ex}', `; });
  return s + `regex used for validation is '${fmt}')`;
}

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';

// ---------------------------------------------------------------------------------------------
// Qualified names and label values.

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
export const QUALIFIED_NAME_FMT = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const QUALIFIED_NAME_MAX_LENGTH = 63;
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

/** IsQualifiedName: `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤63 of `[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]`. */
export function isQualifiedName(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part ' + emptyError());
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return ['a qualified name ' + regexError(qualifiedNameErrMsg, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
      " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part ' + emptyError());
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH) errs.push('name part ' + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
  if (!qualifiedNameRe.test(name)) errs.push('name part ' + regexError(qualifiedNameErrMsg, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'));
  return errs;
}

export const LABEL_VALUE_MAX_LENGTH = 63;
const labelValueFmt = `(${QUALIFIED_NAME_FMT})?`;
const labelValueErrMsg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRe = new RegExp(`^${labelValueFmt}$`);

/** IsValidLabelValue: empty, or ≤63 of the qualified-name charset. */
export function isValidLabelValue(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// DNS names.

export const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX_LENGTH = 63;
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);

export const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const dns1123SubdomainErrMsg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

export const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035_LABEL_MAX_LENGTH = 63;
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** IsDNS1123Label. A value that is a valid subdomain but not a label gets `must not contain dots`. */
export function isDNS1123Label(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain (≤253). */
export function isDNS1123Subdomain(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsDNS1035Label (≤63, starts with a letter). */
export function isDNS1035Label(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  if (value.length > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

// ---------------------------------------------------------------------------------------------
// Ports.

/** IsValidPortNum: 1..65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return [];
  return [inclusiveRangeError(1, 65535)];
}

/** IsInRange for arbitrary bounds. */
export function isInRange(value: number, lo: number, hi: number): string[] {
  return value >= lo && value <= hi ? [] : [inclusiveRangeError(lo, hi)];
}

/** IsValidPortName (IANA_SVC_NAME, RFC 6335 §5.1): each failed rule is reported separately. */
export function isValidPortName(port: string): string[] {
  port = asString(port);
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port[0] === '-' || port[port.length - 1] === '-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

// ---------------------------------------------------------------------------------------------
// IP addresses. Parsing follows Go's net.ParseIP as used through netutils.ParseIPSloppy (IPv4 octets may
// carry leading zeros and are read as decimal; IPv6 with an embedded dotted quad; no zones). An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as IPv4, as Go's To4() does.

export type IPFamily = 'IPv4' | 'IPv6';

export interface ParsedIP {
  family: IPFamily;
  /** The address as an integer: 32 bits for IPv4, 128 for IPv6. */
  value: bigint;
}

function parseIPv4Parts(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Parses an IP as Go's ParseIPSloppy does; null when it is not an IP. */
export function parseIP(s: string): ParsedIP | null {
  if (typeof s !== 'string' || s.length === 0) return null;
  if (!s.includes(':')) {
    const p = parseIPv4Parts(s);
    if (!p) return null;
    return { family: 'IPv4', value: BigInt(((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]) };
  }
  // IPv6.
  let rest = s;
  let tailV4: number[] | null = null;
  const lastColon = rest.lastIndexOf(':');
  if (rest.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIPv4Parts(rest.slice(lastColon + 1));
    if (!tailV4) return null;
    rest = rest.slice(0, lastColon + 1) + '0:0'; // placeholder groups, replaced below
  }
  const dbl = rest.indexOf('::');
  if (dbl >= 0 && rest.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (t: string): number[] | null => {
    if (t === '') return [];
    const gs = t.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const head = parseGroups(rest.slice(0, dbl));
    const tail = parseGroups(rest.slice(dbl + 2));
    if (!head || !tail) return null;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const g = parseGroups(rest);
    if (!g || g.length !== 8) return null;
    groups = g;
  }
  if (tailV4) {
    groups[6] = (tailV4[0] << 8) | tailV4[1];
    groups[7] = (tailV4[2] << 8) | tailV4[3];
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  // IPv4-mapped (::ffff:0:0/96) is IPv4 for Go.
  if (value >> 32n === 0xffffn) return { family: 'IPv4', value: value & 0xffffffffn };
  return { family: 'IPv6', value };
}

/** Formats an address the way Go's net.IP.String() does (RFC 5952 for IPv6). */
export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') {
    const v = Number(ip.value);
    return [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of ≥2 zero groups is compressed (first one wins on ties).
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const INVALID_CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** IsValidIP (legacy form used by Service/Endpoints validation). */
export function isValidIP(s: string): string[] { return parseIP(s) ? [] : [INVALID_IP_MSG]; }
export function isValidIPv4Address(s: string): string[] { return parseIP(s)?.family === 'IPv4' ? [] : ['must be a valid IPv4 address']; }
export function isValidIPv6Address(s: string): string[] { return parseIP(s)?.family === 'IPv6' ? [] : ['must be a valid IPv6 address']; }

export interface ParsedCIDR {
  family: IPFamily;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Address width: 32 or 128. */
  bits: number;
}

/** Parses `addr/prefix` as Go's ParseCIDRSloppy does; null when invalid. */
export function parseCIDR(s: string): ParsedCIDR | null {
  if (typeof s !== 'string') return null;
  const i = s.indexOf('/');
  if (i < 0) return null;
  const addr = s.slice(0, i);
  const pfx = s.slice(i + 1);
  if (!/^[0-9]{1,3}$/.test(pfx)) return null;
  // Go treats an IPv4-mapped address in a CIDR as IPv6 unless written dotted; keep it simple: the written form decides.
  const ip = parseIP(addr);
  if (!ip) return null;
  const bits = addr.includes(':') ? 128 : 32;
  const prefix = Number(pfx);
  if (prefix > bits) return null;
  const value = bits === 128 && ip.family === 'IPv4' ? (0xffffn << 32n) | ip.value : ip.value;
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  return { family: bits === 32 ? 'IPv4' : ip.family === 'IPv4' ? 'IPv4' : 'IPv6', network, prefix, bits };
}

/** IsValidCIDR. */
export function isValidCIDR(s: string): string[] { return parseCIDR(s) ? [] : [INVALID_CIDR_MSG]; }

// ---------------------------------------------------------------------------------------------
// Name validators (apimachinery/pkg/api/validation/generic.go ValidateNameFunc).

/**
 * maskTrailingDash, verbatim in behaviour: when a generateName prefix ends in '-' (and is longer than one
 * character) the last TWO characters are replaced by "a", so that the prefix itself validates.
 */
export function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return name.slice(0, name.length - 2) + 'a';
  return name;
}

export const NAME_MAY_NOT_BE = ['.', '..'];
export const NAME_MAY_NOT_CONTAIN = ['/', '%'];

/** IsValidPathSegmentName: `may not be '.'`, `may not contain '/'`. */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of NAME_MAY_NOT_BE) if (name === bad) return [`may not be '${bad}'`];
  const errs: string[] = [];
  for (const bad of NAME_MAY_NOT_CONTAIN) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** IsValidPathSegmentPrefix: only the "may not contain" rules apply to a prefix. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const bad of NAME_MAY_NOT_CONTAIN) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * ValidateNameFunc for a resource's naming rule: NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label,
 * ValidatePathSegmentName. `prefix` is true when validating a generateName.
 */
export function nameValidator(rule: NameRule): NameValidator {
  switch (rule) {
    case 'dns1123subdomain': return (n, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(n) : n);
    case 'dns1123label': return (n, prefix) => isDNS1123Label(prefix ? maskTrailingDash(n) : n);
    case 'dns1035label': return (n, prefix) => isDNS1035Label(prefix ? maskTrailingDash(n) : n);
    case 'path': return (n, prefix) => (prefix ? isValidPathSegmentPrefix(n) : isValidPathSegmentName(n));
  }
}

// ---------------------------------------------------------------------------------------------
// metav1 validation helpers.

function isStringMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sortedKeys(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** ValidateLabelName: qualified-name errors, value = the key, field not keyed. */
export function validateLabelName(name: string, fld: string): FieldError[] {
  return isQualifiedName(name).map((m) => field.invalid(fld, name, m));
}

/**
 * ValidateLabels: each key must be a qualified name, each value a label value; the field path is the map
 * itself (`metadata.labels`, `spec.selector`), never keyed. Keys are visited in sorted order (Go's map order
 * is random; sorting makes the output stable).
 */
export function validateLabels(labels: unknown, fld: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isStringMap(labels)) return [field.invalid(fld, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const k of sortedKeys(labels)) {
    errs.push(...validateLabelName(k, fld));
    const v = labels[k];
    if (typeof v !== 'string') { errs.push(field.invalid(fld, v, 'label values must be strings')); continue; }
    for (const m of isValidLabelValue(v)) errs.push(field.invalid(fld, v, m));
  }
  return errs;
}

/** TotalAnnotationSizeLimitB: 256 KiB over the sum of key and value lengths (bytes). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);

/**
 * ValidateAnnotations: keys are qualified names compared case-insensitively; total size of keys plus
 * values at most 262144 bytes (`Too long`).
 */
export function validateAnnotations(a: unknown, fld: string): FieldError[] {
  if (a === undefined || a === null) return [];
  if (!isStringMap(a)) return [field.invalid(fld, a, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of sortedKeys(a)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(fld, k, m));
    const v = a[k];
    total += Buffer.byteLength(k, 'utf8') + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(field.tooLong(fld, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

/**
 * ValidateLabelSelector (metav1.LabelSelector): matchLabels as labels, then each matchExpressions[i]:
 * operator In/NotIn need values, Exists/DoesNotExist forbid them, anything else is `not a valid selector
 * operator`; the key is a qualified name and each value a label value.
 */
export function validateLabelSelector(sel: unknown, fld: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  if (!isStringMap(sel)) return [field.invalid(fld, sel, 'must be a label selector object')];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(sel.matchLabels, `${fld}.matchLabels`));
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) return [...errs, field.invalid(`${fld}.matchExpressions`, exprs, 'must be a list')];
    exprs.forEach((raw, i) => {
      const p = `${fld}.matchExpressions[${i}]`;
      const e = (isStringMap(raw) ? raw : {}) as { key?: unknown; operator?: unknown; values?: unknown };
      const values = Array.isArray(e.values) ? e.values : [];
      switch (e.operator) {
        case 'In':
        case 'NotIn':
          if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          break;
        default:
          errs.push(field.invalid(`${p}.operator`, e.operator ?? '', 'not a valid selector operator'));
      }
      errs.push(...validateLabelName(typeof e.key === 'string' ? e.key : '', `${p}.key`));
      values.forEach((v, j) => {
        const s = typeof v === 'string' ? v : String(v);
        for (const m of isValidLabelValue(s)) errs.push(field.invalid(`${p}.values[${j}]`, s, m));
      });
    });
  }
  return errs;
}

/** ValidateNonnegativeField: `must be greater than or equal to 0`. */
export function validateNonnegativeField(v: number, fld: string): FieldError[] {
  return v < 0 ? [field.invalid(fld, v, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** ValidateImmutableField: deep-equal or `field is immutable` with the new value. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, fld: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [field.invalid(fld, newVal, FIELD_IMMUTABLE_ERROR_MSG)];
}

/**
 * Semantic deep equality for JSON values. Like apiequality.Semantic.DeepEqual on decoded objects:
 * an absent field and an explicit null are the same thing.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (typeof a === 'object') {
    if (Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Core (pkg/apis/core/validation) helpers shared by Services, Endpoints and EndpointSlices.

/**
 * ValidateNonSpecialIP (Endpoints, EndpointSlices, externalIPs): no unspecified, loopback, link-local
 * or link-local multicast addresses. `allowLoopback` lifts the loopback rule (kubedisco serves on
 * 127.0.0.0/8, so its own `kubernetes` Endpoints and local pod processes use loopback addresses).
 */
export function validateNonSpecialIP(ip: string, fld: string, opts: { allowLoopback?: boolean } = {}): FieldError[] {
  const p = parseIP(ip);
  if (!p) return [field.invalid(fld, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v = p.value;
  if (p.family === 'IPv4') {
    if (v === 0n) errs.push(field.invalid(fld, ip, `may not be unspecified (${ip})`));
    if (v >> 24n === 127n && !opts.allowLoopback) errs.push(field.invalid(fld, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
    if (v >> 16n === 0xa9fen) errs.push(field.invalid(fld, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
    if (v >> 8n === 0xe00000n) errs.push(field.invalid(fld, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  } else {
    if (v === 0n) errs.push(field.invalid(fld, ip, `may not be unspecified (${ip})`));
    if (v === 1n && !opts.allowLoopback) errs.push(field.invalid(fld, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
    if (v >> 118n === 0x3fan) errs.push(field.invalid(fld, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
    if (((v >> 112n) & 0xff0fn) === 0xff02n) errs.push(field.invalid(fld, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}


const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyRe = new RegExp(`^${configMapKeyFmt}$`);

/** IsConfigMapKey: ≤253 of [-._a-zA-Z0-9], not '.', '..' or starting with '..'. */
export function isConfigMapKey(value: string): string[] {
  value = asString(value);
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKeyRe.test(value)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push(`must not be '.'`);
  else if (value === '..') errs.push(`must not be '..'`);
  else if (value.startsWith('..')) errs.push(`must not start with '..'`);
  return errs;
}

/** IsFullyQualifiedDomainName (field-error form): at least two labels, optional trailing dot. */
export function isFullyQualifiedDomainName(fld: string, name: string): FieldError[] {
  name = asString(name);
  if (name.length === 0) return [field.required(fld, '')];
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const sub = isDNS1123Subdomain(n);
  if (sub.length) return [field.invalid(fld, n, sub.join(','))];
  const labels = n.split('.');
  if (labels.length < 2) return [field.invalid(fld, n, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [field.invalid(fld, l, e.join(','))];
  }
  return [];
}
