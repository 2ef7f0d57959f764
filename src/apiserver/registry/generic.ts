// The strategy for kinds with no rules of their own beyond ObjectMeta (which the store validates):
// the shape of k8s.io/apiserver's default REST strategies. Kinds with a status subresource get the
// usual split: status is cleared on create and carried over from the stored object on a main-resource
// update (only …/status may change it).

import type { KObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/resources.ts';
import type { FieldError } from '../../api/status.ts';
import type { Strategy } from './strategy.ts';

/** Status handling shared by every strategy of a kind with a status subresource. */
export function resetStatusOnCreate(info: ResourceInfo, obj: KObject): void {
  if (info.hasStatus) delete obj.status;
}

export function keepOldStatus(info: ResourceInfo, obj: KObject, old: KObject): void {
  if (!info.hasStatus) return;
  if (old.status === undefined) delete obj.status;
  else obj.status = structuredClone(old.status);
}

/** For …/status writes: everything but status (and metadata, which the store owns) comes from old. */
export function keepAllButStatus(obj: KObject, old: KObject): void {
  const status = obj.status;
  const metadata = obj.metadata;
  for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata') delete (obj as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'status' && k !== 'metadata') (obj as Record<string, unknown>)[k] = structuredClone(v);
  obj.metadata = metadata;
  if (status === undefined) delete obj.status;
  else obj.status = status;
}

export function genericStrategy(info: ResourceInfo): Strategy {
  return {
    info,
    defaults() {},
    prepareForCreate(obj) { resetStatusOnCreate(info, obj); },
    prepareForUpdate(obj, old) { keepOldStatus(info, obj, old); },
    validate(): FieldError[] { return []; },
    validateUpdate(): FieldError[] { return []; },
    prepareForStatusUpdate: info.hasStatus ? (obj, old) => keepAllButStatus(obj, old) : undefined,
  };
}
