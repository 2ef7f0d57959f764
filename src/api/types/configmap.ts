// core/v1 ConfigMap (k8s.io/api/core/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';

export interface ConfigMap {
  apiVersion?: 'v1';
  kind?: 'ConfigMap';
  metadata: ObjectMeta;
  immutable?: boolean;
  data?: Record<string, string>;
  /** Values are base64 in JSON. */
  binaryData?: Record<string, string>;
}
