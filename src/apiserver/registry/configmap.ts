// ConfigMap strategy (pkg/registry/core/configmap/strategy.go; ValidateConfigMap /
// ValidateConfigMapUpdate in pkg/apis/core/validation/validation.go).

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { field, type FieldError } from '../../api/status.ts';
import { deepEqual, isConfigMapKey } from '../../api/validation.ts';
import type { Strategy } from './strategy.ts';
import { isObj } from './util.ts';
import { genericStrategy } from './generic.ts';

/** core.MaxSecretSize, also the ConfigMap limit: 1 MiB of data plus binaryData. */
export const MAX_CONFIGMAP_SIZE = 1024 * 1024;

function sortedKeys(m: unknown): string[] {
  return m && typeof m === 'object' && !Array.isArray(m) ? Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
}

/** ValidateConfigMap minus metadata: keys are config keys, no key in both maps, total ≤ 1 MiB. */
export function validateConfigMap(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = (isObj(obj.data) ? obj.data : {}) as Record<string, unknown>;
  const binary = (isObj(obj.binaryData) ? obj.binaryData : {}) as Record<string, unknown>;
  let total = 0;
  for (const k of sortedKeys(data)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`data[${k}]`, k, m));
    if (Object.hasOwn(binary, k)) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    total += typeof data[k] === 'string' ? Buffer.byteLength(data[k] as string, 'utf8') : 0;
  }
  for (const k of sortedKeys(binary)) {
    for (const m of isConfigMapKey(k)) errs.push(field.invalid(`binaryData[${k}]`, k, m));
    total += typeof binary[k] === 'string' ? Buffer.from(binary[k] as string, 'base64').length : 0;
  }
  // Upstream reports the whole object (empty field path).
  if (total > MAX_CONFIGMAP_SIZE) errs.push(field.tooLong('', MAX_CONFIGMAP_SIZE));
  return errs;
}

/** ValidateConfigMapUpdate minus metadata: an immutable ConfigMap keeps its data. */
export function validateConfigMapUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(obj.data, old.data)) errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(obj.binaryData, old.binaryData)) errs.push(field.forbidden('binaryData', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateConfigMap(obj)];
}

export function configMapStrategy(): Strategy {
  const info = findResource('', 'v1', 'configmaps')!;
  return {
    ...genericStrategy(info),
    validate: validateConfigMap,
    validateUpdate: validateConfigMapUpdate,
  };
}
