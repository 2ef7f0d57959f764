// Server-side apply and managedFields bookkeeping, after k8s.io/apimachinery/pkg/util/managedfields/internal (the
// FieldManager chain kube-apiserver v1.32 builds in NewDefaultFieldManager) and structured-merge-diff's merge.Updater:
//
//   VersionCheck → LastAppliedUpdater → LastAppliedManager → SkipNonApplied → CapManagers → BuildManagerInfo →
//   ManagedFieldsUpdater → StripMeta → StructuredMerge (Updater.Apply / Updater.Update)
//
// - Managers are identified by {manager, operation, apiVersion (Update only), subresource} (BuildManagerIdentifier).
// - Apply: the applied object is validated against the schema (`failed to create typed patch object (ns/name;
//   group/version, Kind=K): <errors>`, a plain error → 500), merged into the live object (the kind's zero value on
//   create), the applier's set becomes ToFieldSet(applied) minus the reset fields, fields it applied last time and no
//   manager owns any more are pruned, and any field another manager owns whose value changes is a conflict (409 unless
//   force, which moves ownership). A no-op apply leaves the object and the applier's timestamp alone.
// - Update (every create/update/patch): the fields added or modified (Compare of old and new) move to the updating
//   manager; removed fields leave every manager. On create the old object is the kind's zero value, so `.` entries
//   appear exactly where upstream's do (e.g. f:labels has one, f:spec does not).
// - Objects without managedFields: an update does not start tracking (SkipNonApplied); the first apply attributes the
//   existing fields to "before-first-apply". Update managers are capped at 10; the oldest merge into "ancient-changes".
// - Manager "kubectl": conflicts with fields whose value still equals the last-applied-configuration annotation are
//   forced (upgrade from client-side apply), and an existing last-applied annotation is rewritten (LastAppliedUpdater).
// - Entries are sorted Apply before Update, then by time (seconds), manager, apiVersion, subresource.

import type { KObject, ManagedFieldsEntry } from '../../api/meta.ts';
import { StatusError, badRequest, field, goQuote, internalError, invalid } from '../../api/status.ts';
import { clonePatch, cloneTarget, deepEqual, goJson, goJsonSorted, isObject, type JsonObject, type JsonValue } from './json.ts';
import { goError } from './errors.ts';
import { jsonKind } from './merge-patch.ts';
import { FieldSet, fieldPE, pathString, type Path, type PathElement } from './fieldpath.ts';
import { smpSchemaFor, type SchemaNode, type SmpSchema } from './schema.ts';
import { compare, ensureNamedFieldsAreMembers, excludeFields, joinErrors, merge, pathSet, removeItems, toFieldSet, validate, type Comparison } from './typed.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const MAX_UPDATE_MANAGERS = 10;
const BEFORE_FIRST_APPLY = 'before-first-apply';
const CURRENT_OPERATION = 'current-operation';
const ANCIENT_CHANGES = 'ancient-changes';
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

type Operation = 'Apply' | 'Update';
interface VersionedSet { set: FieldSet; apiVersion: string; applied: boolean }
interface Managed { fields: Map<string, VersionedSet>; times: Map<string, string | undefined> }

interface Ctx {
  node: SchemaNode;
  version: string;
  subresource: string;
  ignored: FieldSet;
  now: string;
  zero: JsonObject;
}

export interface ServerSideApplyOptions {
  /** fieldManager (required for apply). */
  manager: string;
  force: boolean;
  schema: SmpSchema;
  /** RFC 3339 time recorded in the manager's entry. */
  now: string;
  /** e.g. 'status' for PATCH .../status. */
  subresource?: string;
}

// ---- manager identities and the managedFields encoding ---------------------------------------------------------------

interface ManagerInfo { manager: string; operation: Operation; apiVersion: string; subresource: string }

/** BuildManagerIdentifier: the entry's JSON without fields and time; appliers also without apiVersion. */
function identifier(m: ManagerInfo): string {
  const parts: string[] = [];
  if (m.manager) parts.push(`"manager":${goJson(m.manager)}`);
  parts.push(`"operation":${goJson(m.operation)}`);
  if (m.operation !== 'Apply' && m.apiVersion) parts.push(`"apiVersion":${goJson(m.apiVersion)}`);
  if (m.subresource) parts.push(`"subresource":${goJson(m.subresource)}`);
  return `{${parts.join(',')}}`;
}

function parseIdentifier(id: string): ManagerInfo {
  const o = JSON.parse(id) as Record<string, string>;
  return { manager: o.manager ?? '', operation: o.operation as Operation, apiVersion: o.apiVersion ?? '', subresource: o.subresource ?? '' };
}

/** printManager of the conflict message. */
function printManager(id: string): string {
  const m = parseIdentifier(id);
  let s = goQuote(m.manager);
  if (m.subresource) s += ` with subresource ${goQuote(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** DecodeManagedFields; throws an Error with upstream's text for a malformed entry. */
function decodeManagedFields(entries: unknown): Managed {
  const m: Managed = { fields: new Map(), times: new Map() };
  if (entries === undefined || entries === null) return m;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((e: unknown, i) => {
    if (!isObject(e)) throw new Error(`managed fields entry ${i} is not an object`);
    const op = e.operation;
    if (op !== 'Apply' && op !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (typeof e.apiVersion !== 'string' || !e.apiVersion) throw new Error('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${goQuote(String(e.fieldsType))} in managed fields entry ${i}`);
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new Error(`error decoding versioned set from entry ${i}: error decoding set: ${(err as Error).message}`);
    }
    const id = identifier({
      manager: typeof e.manager === 'string' ? e.manager : '', operation: op, apiVersion: e.apiVersion,
      subresource: typeof e.subresource === 'string' ? e.subresource : '',
    });
    m.fields.set(id, { set, apiVersion: e.apiVersion, applied: op === 'Apply' });
    m.times.set(id, typeof e.time === 'string' ? e.time : undefined);
  });
  return m;
}

const seconds = (t: string | undefined): number => {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** encodeManagedFields + sortEncodedManagedFields. */
function encodeManagedFields(m: Managed): ManagedFieldsEntry[] | undefined {
  if (m.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of m.fields) {
    const info = parseIdentifier(id);
    const time = m.times.get(id);
    const e: ManagedFieldsEntry = {
      manager: info.manager,
      operation: vs.applied ? 'Apply' : info.operation,
      apiVersion: vs.apiVersion,
      ...(time ? { time } : {}),
      fieldsType: 'FieldsV1',
      fieldsV1: vs.set.toFieldsV1(),
      ...(info.subresource ? { subresource: info.subresource } : {}),
    };
    if (!e.manager) delete e.manager;
    out.push(e);
  }
  return out.sort((p, q) => cmp(p.operation!, q.operation!) || seconds(p.time) - seconds(q.time)
    || cmp(p.manager ?? '', q.manager ?? '') || cmp(p.apiVersion ?? '', q.apiVersion ?? '') || cmp(p.subresource ?? '', q.subresource ?? ''));
}

const STRIP_META = FieldSet.of(
  [fieldPE('apiVersion')], [fieldPE('kind')], [fieldPE('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((f): Path => [fieldPE('metadata'), fieldPE(f)]),
);

/** stripMetaManager.strip */
function stripMeta(m: Managed): void {
  for (const [id, vs] of m.fields) {
    const set = vs.set.difference(STRIP_META);
    if (set.empty()) m.fields.delete(id);
    else m.fields.set(id, { ...vs, set });
  }
}

/** capManagersManager.capUpdateManagers */
function capUpdateManagers(m: Managed): void {
  const updaters = [...m.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(m.times.get(a)) - seconds(m.times.get(b)) || cmp(a, b));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i];
    const vs = m.fields.get(id)!;
    const version = vs.apiVersion;
    const bucket = identifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: version, subresource: '' });
    const first = firstOfVersion.get(version);
    if (first === undefined) { firstOfVersion.set(version, id); continue; }
    if (!m.fields.has(bucket)) {
      m.fields.set(bucket, m.fields.get(first)!);
      m.fields.delete(first);
    }
    m.fields.set(bucket, { set: vs.set.union(m.fields.get(bucket)!.set), apiVersion: vs.apiVersion, applied: vs.applied });
    m.fields.delete(id);
    length--;
    m.times.set(bucket, m.times.get(id));
  }
}

// ---- conflicts ---------------------------------------------------------------------------------------------------------

interface Conflict { manager: string; path: PathElement[] }

class ConflictError extends Error {
  readonly conflicts: Conflict[];
  constructor(conflicts: Conflict[]) {
    super('apply conflicts');
    this.conflicts = conflicts;
  }
}

/** ConflictsFromManagers, in a stable order: managers sorted, paths in set order. */
function conflictsFrom(sets: Map<string, FieldSet>): Conflict[] {
  const out: Conflict[] = [];
  for (const id of [...sets.keys()].sort(cmp)) for (const path of sets.get(id)!.paths()) out.push({ manager: id, path });
  return out;
}

/** internal.NewConflictError → errors.NewApplyConflict: 409 Conflict with one FieldManagerConflict cause per field. */
function applyConflictError(conflicts: readonly Conflict[]): StatusError {
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    for (const id of [...new Set(conflicts.map((c) => c.manager))].sort(cmp)) {
      lines.push(`conflicts with ${printManager(id)}:`);
      for (const c of conflicts) if (c.manager === id) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) })),
  });
}

// ---- merge.Updater ---------------------------------------------------------------------------------------------------

/** Updater.update: conflicts and removals against every other manager. */
function smdUpdate(oldV: JsonValue, newV: JsonValue, ctx: Ctx, managers: Map<string, VersionedSet>, workflow: string, force: boolean): Comparison {
  const c = excludeFields(compare(oldV, newV, ctx.node), ctx.ignored);
  const changed = c.modified.union(c.added);
  const conflicts = new Map<string, FieldSet>();
  const removed = new Map<string, FieldSet>();
  for (const [id, vs] of managers) {
    if (id === workflow) continue;
    const cs = vs.set.intersection(changed);
    if (!cs.empty()) conflicts.set(id, cs);
    if (!c.removed.empty()) removed.set(id, c.removed);
  }
  if (!force && conflicts.size) throw new ConflictError(conflictsFrom(conflicts));
  for (const [id, cs] of conflicts) managers.set(id, { ...managers.get(id)!, set: managers.get(id)!.set.difference(cs) });
  for (const [id, rs] of removed) managers.set(id, { ...managers.get(id)!, set: managers.get(id)!.set.difference(rs) });
  for (const [id, vs] of managers) if (vs.set.empty()) managers.delete(id);
  return c;
}

/** Updater.Update */
function updaterUpdate(live: JsonValue, next: JsonValue, ctx: Ctx, managers: Map<string, VersionedSet>, manager: string): void {
  const c = smdUpdate(live, next, ctx, managers, manager, true);
  const prev = managers.get(manager)?.set ?? new FieldSet();
  const set = prev.union(c.modified).union(c.added).difference(c.removed).recursiveDifference(ctx.ignored);
  if (set.empty()) managers.delete(manager);
  else managers.set(manager, { set, apiVersion: ctx.version, applied: false });
}

/** Updater.prune: drop what the applier owned last time, unless someone (the applier included) still owns it. */
function prune(merged: JsonValue, managers: Map<string, VersionedSet>, lastSet: FieldSet | undefined, node: SchemaNode): JsonValue {
  if (!lastSet || lastSet.empty()) return merged;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(s, node);
  let pruned = removeItems(merged, named(lastSet), node) ?? null;
  // addBackOwnedItems
  let managed = new FieldSet();
  for (const vs of managers.values()) managed = managed.union(vs.set);
  const mergedSet = named(toFieldSet(merged, node));
  pruned = removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, node)).union(named(managed))), node) ?? null;
  // addBackDanglingItems
  return removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, node))).intersection(named(lastSet)), node) ?? null;
}

/** Updater.Apply; returns undefined for a no-op. */
function updaterApply(live: JsonValue, config: JsonValue, ctx: Ctx, managers: Map<string, VersionedSet>, manager: string, force: boolean): JsonValue | undefined {
  let merged = merge(live, config, ctx.node) ?? null;
  const lastSet = managers.get(manager)?.set;
  managers.set(manager, { set: toFieldSet(config, ctx.node).recursiveDifference(ctx.ignored), apiVersion: ctx.version, applied: true });
  merged = prune(merged, managers, lastSet, ctx.node);
  smdUpdate(live, merged, ctx, managers, manager, force);
  return deepEqual(live, merged) ? undefined : merged;
}

// ---- the manager chain -----------------------------------------------------------------------------------------------

const copyManaged = (m: Managed): Managed => ({ fields: new Map(m.fields), times: new Map(m.times) });

/** BuildManagerInfo → ManagedFieldsUpdater → StripMeta → StructuredMerge for an Update, then CapManagers. */
function runUpdate(live: JsonValue, next: JsonValue, m: Managed, manager: string, ctx: Ctx): void {
  const id = identifier({ manager: manager || 'unknown', operation: 'Update', apiVersion: ctx.version, subresource: ctx.subresource });
  updaterUpdate(live, next, ctx, m.fields, CURRENT_OPERATION);
  stripMeta(m);
  const vs = m.fields.get(CURRENT_OPERATION);
  if (vs) {
    m.fields.delete(CURRENT_OPERATION);
    const prev = m.fields.get(id);
    m.fields.set(id, { set: prev ? vs.set.union(prev.set) : vs.set, apiVersion: vs.apiVersion, applied: vs.applied });
    m.times.set(id, ctx.now);
  }
  capUpdateManagers(m);
}

/** SkipNonApplied → CapManagers → BuildManagerInfo → ManagedFieldsUpdater → StripMeta → StructuredMerge for an Apply. */
function runApply(live: JsonObject, config: JsonObject, managed: Managed, manager: string, force: boolean, ctx: Ctx): { object: JsonObject; managed: Managed } {
  const m = copyManaged(managed);
  if (m.fields.size === 0) runUpdate(ctx.zero, live, m, BEFORE_FIRST_APPLY, ctx);
  const id = identifier({ manager: manager || 'unknown', operation: 'Apply', apiVersion: ctx.version, subresource: ctx.subresource });
  const result = updaterApply(live, config, ctx, m.fields, id, force);
  stripMeta(m);
  let object: JsonObject;
  if (result !== undefined && isObject(result)) {
    m.times.set(id, ctx.now);
    object = result as JsonObject;
  } else {
    object = structuredClone(live);
  }
  capUpdateManagers(m);
  return { object, managed: m };
}

// ---- last-applied (client-side apply upgrade) --------------------------------------------------------------------------

function lastAppliedOf(o: JsonObject): string | undefined {
  const meta = o.metadata;
  const ann = isObject(meta) ? (meta as JsonObject).annotations : undefined;
  const v = isObject(ann) ? (ann as JsonObject)[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** lastAppliedManager.allowedConflictsFromLastApplied: fields whose live value still equals last-applied. */
function allowedConflictsFromLastApplied(live: JsonObject, ctx: Ctx): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (!text) return undefined;
  let last: unknown;
  try { last = JSON.parse(text); } catch { return undefined; }
  if (!isObject(last) || last.apiVersion !== ctx.version) return undefined;
  if (validate(last as JsonObject, ctx.node, { allowDuplicates: false, unknownFields: 'error' }).length) return undefined;
  const c = compare(last as JsonObject, live, ctx.node);
  return toFieldSet(last as JsonObject, ctx.node).difference(c.modified).difference(c.added).difference(c.removed);
}

/** buildLastApplied: the applied object without the annotation, as json.Marshal of a map writes it, plus "\n". */
function buildLastApplied(applied: JsonObject): string {
  const o = structuredClone(applied);
  const meta = o.metadata;
  if (isObject(meta) && isObject((meta as JsonObject).annotations)) delete ((meta as JsonObject).annotations as JsonObject)[LAST_APPLIED_ANNOTATION];
  return `${goJsonSorted(o)}\n`;
}

/** SetLastApplied, dropping the annotation when the annotations would exceed 256 KiB (ValidateAnnotationsSize). */
function setLastApplied(o: JsonObject, value: string): void {
  if (!isObject(o.metadata)) o.metadata = {};
  const meta = o.metadata as JsonObject;
  const ann: JsonObject = isObject(meta.annotations) ? (meta.annotations as JsonObject) : {};
  ann[LAST_APPLIED_ANNOTATION] = value;
  let size = 0;
  for (const [k, v] of Object.entries(ann)) size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete ann[LAST_APPLIED_ANNOTATION];
  meta.annotations = ann;
}

// ---- helpers -----------------------------------------------------------------------------------------------------------

/** GroupVersionKind.String() of an object's apiVersion/kind ("/v1, Kind=Service"). */
function gvkString(o: JsonObject): string {
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const parts = av.split('/');
  if (parts.length > 2) return '/, Kind=';
  const [group, version] = parts.length === 2 ? parts : ['', parts[0]];
  return `${group}/${version}, Kind=${kind}`;
}

function objectGVKNN(o: JsonObject): string {
  const meta = isObject(o.metadata) ? (o.metadata as JsonObject) : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return `${ns}/${name}; ${gvkString(o)}`;
}

function withoutManagedFields(o: JsonObject): JsonObject {
  return stripManagedFields(structuredClone(o));
}

/** The same, in place, for objects the caller already owns (a private clone). */
function stripManagedFields(o: JsonObject): JsonObject {
  if (isObject(o.metadata)) delete (o.metadata as JsonObject).managedFields;
  return o;
}

/** resetFields path sets are fixed per schema and subresource: build each once. */
const ignoredCache = new WeakMap<SmpSchema, Map<string, FieldSet>>();
function ignoredFields(schema: SmpSchema, subresource: string): FieldSet {
  let bySub = ignoredCache.get(schema);
  if (!bySub) ignoredCache.set(schema, (bySub = new Map()));
  let set = bySub.get(subresource);
  if (!set) bySub.set(subresource, (set = pathSet(schema.resetFields[subresource] ?? [])));
  return set;
}

/** A typed round trip drops null members (they decode to zero values, omitted on output). */
function dropNullMembers(v: JsonValue): void {
  if (Array.isArray(v)) { for (const x of v) dropNullMembers(x); return; }
  if (!isObject(v)) return;
  const o = v as JsonObject;
  for (const k of Object.keys(o)) {
    if (o[k] === null) delete o[k];
    else dropNullMembers(o[k]);
  }
}

function context(schema: SmpSchema, version: string, subresource: string | undefined, now: string): Ctx {
  return {
    node: schema.root, version, subresource: subresource ?? '', now,
    ignored: ignoredFields(schema, subresource ?? ''),
    zero: structuredClone(schema.zero),
  };
}

// ---- public API --------------------------------------------------------------------------------------------------------

/**
 * Server-side apply (application/apply-patch+yaml, already parsed). Creates the object when `live` is undefined,
 * otherwise merges `applied` into it; maintains metadata.managedFields. Never modifies its inputs.
 * Errors: 422 without a manager; 400 for a non-object body, a wrong apiVersion/kind (`invalid object type: ...`) or a
 * body carrying managedFields; 500 (no reason) for schema violations and undecodable managedFields; 409 Conflict.
 */
export function serverSideApply(live: KObject | undefined, applied: KObject, opts: ServerSideApplyOptions): KObject {
  if (!opts.manager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [field.required('fieldManager', 'is required for apply patch')]);
  }
  const config = clonePatch(applied);
  if (!isObject(config)) {
    throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(config)} into Go value of type map[string]interface {}`);
  }
  const cfg = config as JsonObject;
  const schema = opts.schema;
  if (schema.apiVersion && (cfg.apiVersion !== schema.apiVersion || cfg.kind !== schema.kind)) {
    throw badRequest(`invalid object type: ${gvkString(cfg)}`);
  }
  if (isObject(cfg.metadata) && Array.isArray((cfg.metadata as JsonObject).managedFields)) throw badRequest('metadata.managedFields must be nil');
  const version = schema.apiVersion || (typeof cfg.apiVersion === 'string' ? cfg.apiVersion : '');
  const ctx = context(schema, version, opts.subresource, opts.now);

  let liveObj: JsonObject;
  if (live === undefined) liveObj = structuredClone(ctx.zero);
  else {
    const l = cloneTarget(live);
    if (!isObject(l)) throw internalError('invalid object to apply to: not a JSON object');
    liveObj = l as JsonObject;
  }
  let managed: Managed;
  try {
    managed = decodeManagedFields(isObject(liveObj.metadata) ? (liveObj.metadata as JsonObject).managedFields : undefined);
  } catch (e) {
    throw goError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const liveTyped = withoutManagedFields(liveObj);

  const errs = validate(cfg, ctx.node, { allowDuplicates: false, unknownFields: 'error' });
  if (errs.length) throw goError(`failed to create typed patch object (${objectGVKNN(cfg)}): ${joinErrors(errs)}`);
  const liveErrs = validate(liveTyped, ctx.node, { allowDuplicates: true, unknownFields: 'ignore' });
  if (liveErrs.length) throw goError(`failed to create typed live object (${objectGVKNN(liveTyped)}): ${joinErrors(liveErrs)}`);

  let result: { object: JsonObject; managed: Managed };
  try {
    result = runApply(liveTyped, cfg, managed, opts.manager, opts.force, ctx);
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    if (opts.manager !== 'kubectl') throw applyConflictError(e.conflicts);
    const allowed = allowedConflictsFromLastApplied(liveTyped, ctx);
    const remaining = allowed ? e.conflicts.filter((c) => !allowed.has(c.path)) : e.conflicts;
    if (remaining.length) throw applyConflictError(remaining);
    result = runApply(liveTyped, cfg, managed, opts.manager, true, ctx);
  }

  const object = result.object;
  if (opts.manager === 'kubectl' && lastAppliedOf(object)) setLastApplied(object, buildLastApplied(cfg));
  dropNullMembers(object);
  if (!isObject(object.metadata)) object.metadata = {};
  const entries = encodeManagedFields(result.managed);
  if (entries) (object.metadata as JsonObject).managedFields = entries as unknown as JsonValue;
  else delete (object.metadata as JsonObject).managedFields;
  // Typed objects serialize apiVersion, kind and metadata first; keep that order for readability.
  const ordered: JsonObject = {};
  for (const k of ['apiVersion', 'kind', 'metadata']) if (k in object) ordered[k] = object[k];
  for (const k of Object.keys(object)) if (!(k in ordered)) ordered[k] = object[k];
  return ordered as unknown as KObject;
}

/**
 * Records Update ownership on `updated` (metadata.managedFields) for a create (`old` undefined), update or patch by
 * `manager`, as FieldManager.UpdateNoErrors does. Only `updated.metadata.managedFields` is written. The schema defaults
 * to the one of updated's apiVersion/kind. Objects whose managedFields cannot be decoded, or that do not validate
 * structurally, end up without managedFields (upstream logs "[SHOULD NOT HAPPEN]" and clears them).
 */
export function recordUpdateManagedFields(old: KObject | undefined, updated: KObject, manager: string, now: string, subresource?: string, schema?: SmpSchema): void {
  if (!isObject(updated) || !isObject(updated.metadata)) return;
  const next = cloneTarget(updated) as JsonObject;
  const prev = old === undefined ? undefined : (cloneTarget(old) as JsonObject);
  const s = schema ?? smpSchemaFor(typeof next.apiVersion === 'string' ? next.apiVersion : '', typeof next.kind === 'string' ? next.kind : '');
  const version = s.apiVersion || (typeof next.apiVersion === 'string' ? next.apiVersion : '');
  const ctx = context(s, version, subresource, now);
  const metaOf = (o: JsonObject | undefined) => (o && isObject(o.metadata) ? (o.metadata as JsonObject) : undefined);
  const clear = () => { delete updated.metadata.managedFields; };

  let managed: Managed;
  try {
    managed = decodeManagedFields(metaOf(next)!.managedFields);
    if (managed.fields.size === 0 && !subresource) throw new Error('empty');
  } catch {
    try {
      managed = decodeManagedFields(metaOf(prev)?.managedFields);
    } catch {
      clear();
      return;
    }
  }
  // SkipNonApplied: an existing object that is not tracked yet stays untracked until the first apply.
  const oldUid = metaOf(prev)?.uid;
  if (managed.fields.size === 0 && typeof oldUid === 'string' && oldUid !== '') { clear(); return; }

  // next and prev are private clones made above: strip them in place instead of cloning again.
  const liveTyped = prev ? stripManagedFields(prev) : ctx.zero;
  const newTyped = stripManagedFields(next);
  const opts = { allowDuplicates: true, unknownFields: 'ignore' as const };
  if (validate(newTyped, ctx.node, opts).length || validate(liveTyped, ctx.node, opts).length) { clear(); return; }

  runUpdate(liveTyped, newTyped, managed, manager, ctx);
  const entries = encodeManagedFields(managed);
  if (entries) updated.metadata.managedFields = entries;
  else clear();
}
