// core/v1 Endpoints (k8s.io/api/core/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';
import type { ObjectReference, Protocol } from './pod.ts';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  /** Pointer in Go: the endpoints controller always writes it (possibly ""). */
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: Protocol;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface Endpoints {
  apiVersion?: 'v1';
  kind?: 'Endpoints';
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}
