// core/v1 Event strategy (pkg/registry/core/event/strategy.go; legacyValidateEvent in
// pkg/apis/core/validation/events.go, the only validation core/v1 writes get). Note: upstream skips
// ObjectMeta validation for core/v1 Events; kubedisco's store runs it for every kind (event names
// from client-go recorders, `<object>.<hex>`, pass it).

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import { isDNS1123Subdomain } from '../../api/validation.ts';
import { validateQualifiedName } from './service/validation.ts';
import type { Strategy } from './strategy.ts';
import { isObj } from './util.ts';
import { genericStrategy } from './generic.ts';

export const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
export const ACTION_LENGTH_LIMIT = 128;
export const REASON_LENGTH_LIMIT = 128;
export const NOTE_LENGTH_LIMIT = 1024;

function str(v: unknown): string { return typeof v === 'string' ? v : ''; }

/** legacyValidateEvent for a core/v1 request. */
export function validateEvent(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = str(obj.metadata?.namespace);
  const involved = (isObj(obj.involvedObject) ? obj.involvedObject : {}) as { namespace?: string };
  const involvedNs = str(involved.namespace);
  const eventTime = obj.eventTime;
  if (eventTime === undefined || eventTime === null || eventTime === '') {
    // Old-style events: the namespaces must agree (or the event lives in "" / default).
    if (involvedNs.length === 0) {
      if (ns !== '' && ns !== 'default') errs.push(field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) {
      errs.push(field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (involvedNs.length === 0 && ns !== 'default' && ns !== 'kube-system') {
      errs.push(field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    const rc = str(obj.reportingComponent);
    if (rc.length === 0) errs.push(field.required('reportingComponent', ''));
    errs.push(...validateQualifiedName(rc, 'reportingComponent'));
    const ri = str(obj.reportingInstance);
    if (ri.length === 0) errs.push(field.required('reportingInstance', ''));
    if (ri.length > REPORTING_INSTANCE_LENGTH_LIMIT) errs.push(field.invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`));
    const action = str(obj.action);
    if (action.length === 0) errs.push(field.required('action', ''));
    if (action.length > ACTION_LENGTH_LIMIT) errs.push(field.invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`));
    const reason = str(obj.reason);
    if (reason.length === 0) errs.push(field.required('reason', ''));
    if (reason.length > REASON_LENGTH_LIMIT) errs.push(field.invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`));
    if (str(obj.message).length > NOTE_LENGTH_LIMIT) errs.push(field.invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  errs.push(...isDNS1123Subdomain(ns).map((m) => field.invalid('namespace', ns, m)));
  return errs;
}

export function eventStrategy(): Strategy {
  const info = findResource('', 'v1', 'events')!;
  return {
    ...genericStrategy(info),
    validate: validateEvent,
    validateUpdate: (obj) => validateEvent(obj),
  };
}
