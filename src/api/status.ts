// One error type for the whole API: StatusError carries a metav1.Status. Only apiserver/errors.ts turns it
// into an HTTP response, and only the client parses it back.
//
// Field errors render exactly as k8s.io/apimachinery/pkg/util/validation/field/errors.go does
// (kubernetes-semantics.md §1.9), because kubectl prints `cause.field + ": " + cause.message` verbatim.

export type StatusReason =
  | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Gone' | 'Expired' | 'BadRequest'
  | 'MethodNotAllowed' | 'NotAcceptable' | 'UnsupportedMediaType' | 'RequestEntityTooLarge'
  | 'Forbidden' | 'Unauthorized' | 'TooManyRequests' | 'InternalError' | 'Timeout' | 'ServiceUnavailable' | '';

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;
  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, code: this.code };
    if (this.reason) s.reason = this.reason;
    if (this.details) s.details = this.details;
    return s;
  }
}

export function isStatusError(e: unknown): e is StatusError { return e instanceof StatusError; }
export function isNotFound(e: unknown): boolean { return e instanceof StatusError && (e.reason === 'NotFound' || (!e.reason && e.code === 404)); }
export function isAlreadyExists(e: unknown): boolean { return e instanceof StatusError && e.reason === 'AlreadyExists'; }
export function isConflict(e: unknown): boolean { return e instanceof StatusError && (e.reason === 'Conflict' || (!e.reason && e.code === 409)); }
export function isGone(e: unknown): boolean { return e instanceof StatusError && (e.reason === 'Gone' || e.reason === 'Expired' || e.code === 410); }
export function isInvalid(e: unknown): boolean { return e instanceof StatusError && e.reason === 'Invalid'; }

/** A group-qualified resource such as `services` or `statefulsets.apps`, used in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

function gr(resource: string, group = '') { return { kind: resource, ...(group ? { group } : {}) }; }

export function notFound(resource: string, name: string, group = ''): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, ...gr(resource, group) });
}

export function alreadyExists(resource: string, name: string, group = ''): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, ...gr(resource, group) });
}

/** errors.NewConflict: `Operation cannot be fulfilled on <gr> "<name>": <why>`. */
export function conflict(resource: string, name: string, why: string, group = ''): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, { name, ...gr(resource, group) });
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function forbidden(resource: string, name: string, why: string, group = '', causes?: StatusCause[]): StatusError {
  const subject = name ? `${qualifiedResource(resource, group)} "${name}"` : qualifiedResource(resource, group);
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, { name, ...gr(resource, group), ...(causes ? { causes } : {}) });
}

export function badRequest(message: string): StatusError { return new StatusError(400, 'BadRequest', message); }
export function methodNotAllowed(verb: string, resource: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, { kind: resource, causes: [{ message: verb }] });
}
export function notAcceptable(message: string): StatusError { return new StatusError(406, 'NotAcceptable', message); }
export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, { causes: [{ message: contentType }] });
}
export function requestEntityTooLarge(message = 'limit is 3145728'): StatusError { return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`); }
/** Watch or list from a compacted revision (storage ErrCompacted → 410 Expired). */
export function expired(message: string): StatusError { return new StatusError(410, 'Expired', message); }
export function gone(message: string): StatusError { return new StatusError(410, 'Gone', message); }
export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}
export function serviceUnavailable(message: string): StatusError { return new StatusError(503, 'ServiceUnavailable', message); }
export function pageNotFound(): StatusError { return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}); }

// ---------------------------------------------------------------------------------------------
// Field errors.

export type FieldErrorType =
  | 'FieldValueNotFound' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid'
  | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeString: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A value already rendered the way Go's fmt would print it (for struct dumps such as core.ServicePort{...}). */
export class GoLiteral { readonly text: string; constructor(text: string) { this.text = text; } }

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: unknown;
  detail: string;
}

/**
 * Renders a value as field.Error.Error() does: strings with %q, numbers and bools plainly,
 * []string and map[string]string with %#v, nil as `null`.
 */
export function goValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => goQuote(x as string)).join(', ')}}`;
    if (v.every((x) => typeof x === 'number')) return `[]int32{${v.join(', ')}}`;
    return `[]interface {}{${v.map(goValue).join(', ')}}`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.every(([, x]) => typeof x === 'string')) {
      return `map[string]string{${entries.map(([k, x]) => `${goQuote(k)}:${goQuote(x as string)}`).join(', ')}}`;
    }
    return `map[string]interface {}{${entries.map(([k, x]) => `${goQuote(k)}:${goValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** Go's strconv.Quote for the printable ASCII and common escapes we meet in object fields. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** The body of a field error without its field path: what a Status cause carries as `message`. */
export function fieldErrorBody(e: FieldError): string {
  let s = typeString[e.type];
  const omitValue = e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong' || e.type === 'InternalError';
  if (!omitValue) s += `: ${goValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string { return `${e.field}: ${fieldErrorBody(e)}`; }

export const field = {
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, detail }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, detail }),
  invalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, value, detail }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, value, detail: '' }),
  notFound: (f: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: f, value, detail: '' }),
  notSupported: (f: string, value: unknown, supported: string[]): FieldError => ({
    type: 'FieldValueNotSupported', field: f, value,
    // Go's field.NotSupported quotes the values in the order given (callers pass kube's order).
    detail: supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : '',
  }),
  tooLong: (f: string, maxLength: number): FieldError => ({ type: 'FieldValueTooLong', field: f, detail: `may not be more than ${maxLength} bytes` }),
  tooMany: (f: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field: f, value: actual, detail: `must have at most ${max} items` }),
  internal: (f: string, detail: string): FieldError => ({ type: 'InternalError', field: f, detail }),
};

/**
 * errors.NewInvalid: 422 with `<Kind[.group]> "<name>" is invalid: <aggregate>`, details.kind = Kind,
 * one cause per field error. ErrorList.ToAggregate() drops duplicate messages from the aggregate text
 * only; the causes keep every error. kubectl rebuilds its text from details, so they must be exact.
 */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const texts = [...new Set(errs.map(fieldErrorString))];
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const message = texts.length ? `${qualifiedKind} "${name}" is invalid: ${aggregate}` : `${qualifiedKind} "${name}" is invalid`;
  return new StatusError(422, 'Invalid', message, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}
