// Patch library of the API server (pure, no I/O): the PATCH handler picks the function by Content-Type
// (application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json,
// application/apply-patch+yaml) and every write records Update ownership in metadata.managedFields.
// All functions clone their inputs and fail with StatusErrors shaped as kube-apiserver returns them. See README.md.

export { jsonMergePatch } from './merge-patch.ts';
export { jsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.ts';
export { strategicMergePatch } from './strategic.ts';
export {
  smpSchemaFor, customSchema, compileTypes, nodeAt, fieldAt, K8S_TAGS, K8S_ATOMIC_STRUCTS, SCALAR, FREE, DEDUCED,
} from './schema.ts';
export type { SmpSchema, SchemaNode, SchemaField, SchemaTables, FieldTags, NodeKind } from './schema.ts';
export {
  serverSideApply, recordUpdateManagedFields, LAST_APPLIED_ANNOTATION, MAX_UPDATE_MANAGERS,
} from './managed-fields.ts';
export type { ServerSideApplyOptions } from './managed-fields.ts';
export { FieldSet } from './fieldpath.ts';
export type { PathElement, Path } from './fieldpath.ts';
export type { JsonValue, JsonObject } from './json.ts';
