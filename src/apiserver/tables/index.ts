// Server-side printing: turns objects into a meta.k8s.io Table the way kube-apiserver's handlers do
// (k8s.io/apiserver/pkg/endpoints/handlers/response.go asTable + pkg/printers TableGenerator). Pure: the
// caller passes the clock. kubectl-compatibility.md §2.5.

import type { KObject, ListMeta } from '../../api/meta.ts';
import { apiVersionOf, type ResourceInfo } from '../../api/resources.ts';
import { badRequest } from '../../api/status.ts';
import { COLUMNS, DEFAULT_COLUMNS, type TableColumnDefinition } from './columns.ts';
import { PRINTERS, printDefault, type Cell, type TableRowCondition } from './printers.ts';

export type { TableColumnDefinition } from './columns.ts';
export type { Cell, TableRowCondition } from './printers.ts';
export { humanDuration, translateTimestampSince } from './duration.ts';
export { formatLabels, formatEndpoints } from './printers.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The Table group versions kubectl asks for (`as=Table;v=v1;g=meta.k8s.io`, then v1beta1). */
export type TableGroupVersion = 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: TableGroupVersion;
  metadata: KObject['metadata'];
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata (includeObject=Metadata, the default), the full object (Object), absent (None). */
  object?: PartialObjectMetadata | KObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: TableGroupVersion;
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  /** Epoch milliseconds used for every Age cell. */
  now: number;
  includeObject: IncludeObject;
  /** The list's metadata; for a single object, `{ resourceVersion: obj.metadata.resourceVersion }`. */
  listMeta: ListMeta;
  /** Defaults to meta.k8s.io/v1. */
  groupVersion?: TableGroupVersion;
  /** TableOptions.noHeaders: leave columnDefinitions empty (kube sends them as null). */
  noHeaders?: boolean;
}

/** The column definitions kube serves for a resource (the default convertor's for kinds without a printer). */
export function columnDefinitions(info: ResourceInfo): TableColumnDefinition[] {
  return (COLUMNS[info.kind] ?? DEFAULT_COLUMNS).map((c) => ({ ...c }));
}

/** Parses the includeObject query parameter like metav1.TableOptions: "" → Metadata; unknown values are a 400. */
export function parseIncludeObject(v: string | null | undefined): IncludeObject {
  if (v === null || v === undefined || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`unrecognized includeObject value: "${v}"`);
}

function listMetaOf(m: ListMeta): ListMeta {
  const out: ListMeta = {};
  if (m.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (m.continue) out.continue = m.continue;
  if (m.remainingItemCount !== undefined && m.remainingItemCount !== null) out.remainingItemCount = m.remainingItemCount;
  return out;
}

/**
 * One Table for a list or a single object. Every row carries the wide (priority 1) cells, as kube's table
 * convertor always prints wide; kubectl hides them unless `-o wide`.
 */
export function toTable(info: ResourceInfo, objects: readonly KObject[], opts: TableOptions): Table {
  const gv = opts.groupVersion ?? 'meta.k8s.io/v1';
  const printer = PRINTERS[info.kind];
  const rows: TableRow[] = objects.map((o) => {
    const printed = printer ? printer(o, opts.now) : printDefault(o);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions.map((c) => ({ ...c }));
    switch (opts.includeObject) {
      case 'Object':
        row.object = { ...o, apiVersion: o.apiVersion || apiVersionOf(info), kind: o.kind || info.kind };
        break;
      case 'None':
        break;
      default:
        // meta.AsPartialObjectMetadata copies the whole ObjectMeta (managedFields included).
        row.object = { kind: 'PartialObjectMetadata', apiVersion: gv, metadata: o.metadata };
    }
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: gv,
    metadata: listMetaOf(opts.listMeta),
    columnDefinitions: opts.noHeaders ? [] : columnDefinitions(info),
    rows,
  };
}

/**
 * The object of one watch event when kubectl watches with Table output: a Table with one row whose metadata
 * carries the object's resourceVersion. Column definitions are optional on later events (kubectl prints the
 * header once either way, §2.6); pass `withColumns: false` to leave them out.
 */
export function tableForWatchEvent(info: ResourceInfo, obj: KObject, opts: Omit<TableOptions, 'listMeta' | 'noHeaders'> & { withColumns?: boolean }): Table {
  return toTable(info, [obj], {
    now: opts.now,
    includeObject: opts.includeObject,
    groupVersion: opts.groupVersion,
    listMeta: { resourceVersion: obj.metadata?.resourceVersion },
    noHeaders: opts.withColumns === false,
  });
}
