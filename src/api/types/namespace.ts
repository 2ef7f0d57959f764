// core/v1 Namespace (k8s.io/api/core/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';

export type NamespacePhase = 'Active' | 'Terminating';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface NamespaceSpec { finalizers?: string[] }
export interface NamespaceStatus { phase?: NamespacePhase; conditions?: NamespaceCondition[] }

export interface Namespace {
  apiVersion?: 'v1';
  kind?: 'Namespace';
  metadata: ObjectMeta;
  spec?: NamespaceSpec;
  status?: NamespaceStatus;
}

/** The label every namespace carries, equal to its name (SetDefaults_Namespace). */
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
