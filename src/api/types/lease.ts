// coordination.k8s.io/v1 Lease (k8s.io/api/coordination/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime, e.g. 2026-08-04T13:01:58.123456Z. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  strategy?: string;
  preferredHolder?: string;
}

export interface Lease {
  apiVersion?: 'coordination.k8s.io/v1';
  kind?: 'Lease';
  metadata: ObjectMeta;
  spec?: LeaseSpec;
}
