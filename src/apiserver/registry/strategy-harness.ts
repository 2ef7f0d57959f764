// Test support: drives a Strategy through the same steps, in the same order, as the generic store
// (apiserver/store.ts; kubernetes-semantics.md §1.1), without storage. Used by the registry tests.

import type { KObject } from '../../api/meta.ts';
import { invalid, StatusError, type FieldError } from '../../api/status.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { NO_ALLOCATION, type Strategy } from './strategy.ts';

export interface HarnessResult {
  obj: KObject;
  err?: StatusError;
  warnings: string[];
}

function fail(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  throw e;
}

/** decode → defaults → beginCreate → prepareForCreate → meta + kind validation → commit (or revert). */
export function runCreate(s: Strategy, input: KObject, namespace = 'default'): HarnessResult {
  const obj = structuredClone(input);
  obj.metadata ??= {};
  if (s.info.namespaced) obj.metadata.namespace ??= namespace;
  obj.metadata.uid ??= 'uid-' + (obj.metadata.name ?? 'generated');
  obj.metadata.creationTimestamp ??= '2026-01-01T00:00:00Z';
  s.defaults(obj);
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + 'x2b4c';
  let allocation = NO_ALLOCATION;
  try {
    allocation = s.beginCreate?.(obj) ?? NO_ALLOCATION;
  } catch (e) {
    return { obj, err: fail(e), warnings: [] };
  }
  s.prepareForCreate(obj);
  const errs: FieldError[] = [...validateObjectMeta(obj, s.info, true), ...s.validate(obj)];
  if (errs.length) {
    allocation.revert();
    return { obj, err: invalid(s.info.kind, s.info.group, obj.metadata.name ?? '', errs), warnings: [] };
  }
  allocation.commit();
  obj.metadata.resourceVersion = '1';
  return { obj, warnings: s.warnings?.(obj) ?? [] };
}

/** PUT/PATCH of the main resource: defaults → beginUpdate → prepareForUpdate → validation → commit. */
export function runUpdate(s: Strategy, input: KObject, old: KObject): HarnessResult {
  const obj = structuredClone(input);
  obj.metadata ??= {};
  for (const k of ['name', 'namespace', 'uid', 'creationTimestamp', 'resourceVersion'] as const) {
    if (obj.metadata[k] === undefined && old.metadata[k] !== undefined) (obj.metadata as Record<string, unknown>)[k] = old.metadata[k];
  }
  s.defaults(obj);
  let allocation = NO_ALLOCATION;
  try {
    allocation = s.beginUpdate?.(obj, old) ?? NO_ALLOCATION;
  } catch (e) {
    return { obj, err: fail(e), warnings: [] };
  }
  s.prepareForUpdate(obj, old);
  const errs: FieldError[] = [...validateObjectMetaUpdate(obj, old, s.info), ...s.validateUpdate(obj, old)];
  if (errs.length) {
    allocation.revert();
    return { obj, err: invalid(s.info.kind, s.info.group, obj.metadata.name ?? '', errs), warnings: [] };
  }
  allocation.commit();
  return { obj, warnings: s.warnings?.(obj, old) ?? [] };
}

/** …/status writes. */
export function runStatusUpdate(s: Strategy, input: KObject, old: KObject): HarnessResult {
  const obj = structuredClone(input);
  obj.metadata = { ...old.metadata, ...(obj.metadata ?? {}) };
  s.prepareForStatusUpdate?.(obj, old);
  const errs: FieldError[] = [...validateObjectMetaUpdate(obj, old, s.info), ...(s.validateStatusUpdate?.(obj, old) ?? [])];
  if (errs.length) return { obj, err: invalid(s.info.kind, s.info.group, obj.metadata.name ?? '', errs), warnings: [] };
  return { obj, warnings: [] };
}

/** The message a failed write carries (what kubectl's `error when creating` line shows). */
export function messageOf(r: HarnessResult): string {
  return r.err ? r.err.message : '';
}
