// The error shapes kube-apiserver's PATCH handler produces (k8s.io/apiserver/pkg/endpoints/handlers/patch.go,
// k8s.io/apimachinery/pkg/api/errors/errors.go, responsewriters/status.go ErrorToAPIStatus).

import { StatusError } from '../../api/status.ts';

/**
 * errors.NewGenericServerResponse(422, "", GroupResource{}, "", msg, 0, false): reason Invalid, the fixed message
 * below, empty details. patch.go uses it for every failed JSON-patch operation and for SMP's ErrNoListOfLists /
 * ErrPatchContentNotMatchRetainKeys; the underlying text is not sent (isUnexpectedResponse=false drops it), so we
 * keep it as `cause` for logs only. kubectl prints `The request is invalid: <message>`.
 */
export function genericInvalid(underlying: string): StatusError {
  const e = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  (e as { cause?: unknown }).cause = new Error(underlying);
  return e;
}

/**
 * A plain Go error reaching the handler: ErrorToAPIStatus makes it 500 with reason StatusReasonUnknown ("", omitted)
 * and the error text as message. kubectl prints `Error from server: <message>`. SMP's merge-key errors, SSA's
 * "failed to create typed patch object" and friends take this path upstream.
 */
export function goError(message: string): StatusError {
  return new StatusError(500, '', message);
}

/**
 * Where upstream code would panic (e.g. reflect on a nil list element), the apiserver's panic filter answers a
 * text/plain 500 that client-go turns into this Status.
 */
export function panicError(what: string): StatusError {
  const e = new StatusError(500, 'InternalError',
    'an error on the server ("This request caused apiserver to panic. Look in the logs for details.") has prevented the request from succeeding');
  (e as { cause?: unknown }).cause = new Error(what);
  return e;
}
