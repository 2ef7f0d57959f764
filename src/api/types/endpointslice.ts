// discovery.k8s.io/v1 EndpointSlice (k8s.io/api/discovery/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';
import type { ObjectReference, Protocol } from './pod.ts';

export type AddressType = 'IPv4' | 'IPv6' | 'FQDN';

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface ForZone { name: string }
export interface ForNode { name: string }
export interface EndpointHints { forZones?: ForZone[]; forNodes?: ForNode[] }

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  deprecatedTopology?: Record<string, string>;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
}

export interface EndpointPort {
  /** Pointer in Go, defaulted to "" by SetDefaults_EndpointPort; kubectl describe dereferences it. */
  name?: string;
  /** Defaulted to TCP. */
  protocol?: Protocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion?: 'discovery.k8s.io/v1';
  kind?: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: AddressType;
  /** null/absent on the controller's placeholder slice. */
  endpoints?: Endpoint[] | null;
  ports?: EndpointPort[] | null;
}
