// coordination.k8s.io/v1 Lease strategy (pkg/registry/coordination/lease/strategy.go,
// pkg/apis/coordination/validation/validation.go ValidateLeaseSpec).

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import type { LeaseSpec } from '../../api/types/lease.ts';
import type { Strategy } from './strategy.ts';
import { isObj } from './util.ts';
import { genericStrategy } from './generic.ts';

const SUPPORTED_STRATEGIES = ['OldestEmulationVersion'];

/** ValidateLeaseSpec. */
export function validateLease(obj: KObject): FieldError[] {
  const spec = (isObj(obj.spec) ? obj.spec : {}) as LeaseSpec;
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.strategy !== undefined && spec.strategy !== null && !SUPPORTED_STRATEGIES.includes(spec.strategy as string)) {
    errs.push(field.notSupported('spec.strategy', spec.strategy, SUPPORTED_STRATEGIES));
  }
  if (spec.preferredHolder && !spec.strategy) {
    errs.push(field.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export function leaseStrategy(): Strategy {
  const info = findResource('coordination.k8s.io', 'v1', 'leases')!;
  return {
    ...genericStrategy(info),
    validate: validateLease,
    validateUpdate: (obj) => validateLease(obj),
  };
}
