// The only place the client turns an HTTP failure back into a StatusError (design.md §8 habit 3):
// a metav1.Status body is taken as is (errors.FromObject); anything else becomes
// errors.NewGenericServerResponse, as client-go's newUnstructuredResponseError does.

import { StatusError, goQuote, type Status, type StatusDetails, type StatusReason } from '../api/status.ts';

/** errors.FromObject for a decoded metav1.Status; the HTTP code fills in a missing `code`. */
export function statusErrorFromStatus(status: Partial<Status>, httpCode = 0): StatusError {
  const code = typeof status.code === 'number' && status.code !== 0 ? status.code : httpCode;
  const reason = (typeof status.reason === 'string' ? status.reason : '') as StatusReason;
  const message = typeof status.message === 'string' ? status.message : '';
  const details = status.details && typeof status.details === 'object' ? (status.details as StatusDetails) : undefined;
  return new StatusError(code, reason, message, details);
}

/** True when a decoded JSON body is a metav1.Status (kind Status, apiVersion v1 or missing). */
export function isStatusBody(body: unknown): body is Partial<Status> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return b.kind === 'Status' && (b.apiVersion === undefined || b.apiVersion === 'v1');
}

/**
 * errors.NewGenericServerResponse(code, verb, {group, resource}, name, serverMessage, retryAfter, true):
 * the reason and message kube's client derives from a bare status code, with ` (<verb> <resource> <name>)`
 * appended, and an UnexpectedServerResponse cause carrying the server's text.
 */
export function genericServerResponse(
  code: number, method: string, resource: { group?: string; resource?: string }, name: string, serverMessage: string,
  retryAfterSeconds = 0,
): StatusError {
  let reason: StatusReason = '';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      reason = method === 'POST' ? 'AlreadyExists' : 'Conflict';
      message = 'the server reported a conflict';
      break;
    case 404:
      reason = 'NotFound';
      message = 'the server could not find the requested resource';
      break;
    case 400:
      reason = 'BadRequest';
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      reason = 'Unauthorized';
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
      reason = 'Forbidden';
      message = serverMessage;
      break;
    case 406:
      reason = 'NotAcceptable';
      message = !serverMessage || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage;
      break;
    case 415:
      reason = 'UnsupportedMediaType';
      message = serverMessage;
      break;
    case 405:
      reason = 'MethodNotAllowed';
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      reason = 'Invalid';
      message = 'the server rejected our request due to an error in our request';
      break;
    case 503:
      reason = 'ServiceUnavailable';
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      reason = 'Timeout';
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      reason = 'TooManyRequests';
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) {
        reason = 'InternalError';
        message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
      }
  }
  const gr = resource.resource ? (resource.group ? `${resource.resource}.${resource.group}` : resource.resource) : '';
  if (gr && name) message = `${message} (${method.toLowerCase()} ${gr} ${name})`;
  else if (gr) message = `${message} (${method.toLowerCase()} ${gr})`;
  const details: StatusDetails = { causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }] };
  if (resource.group) details.group = resource.group;
  if (resource.resource) details.kind = resource.resource;
  if (name) details.name = name;
  if (retryAfterSeconds) details.retryAfterSeconds = retryAfterSeconds;
  return new StatusError(code, reason, message, details);
}

/** A transport-level failure (connection refused, reset, TLS), kept apart from API errors. */
export class ConnectionError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined, cause?: unknown) {
    super(message, { cause });
    this.name = 'ConnectionError';
    this.code = code;
  }
}
