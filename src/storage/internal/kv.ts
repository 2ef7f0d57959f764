// Frozen KeyValue and WatchEvent constructors. Values are shared between the keyspace, the event
// ring and every watcher, so they are frozen once instead of copied per reader.

import type { KeyValue, WatchEvent } from '../backend.ts';

export function freezeKv(key: string, value: string, createRevision: number, modRevision: number): KeyValue {
  return Object.freeze({ key, value, createRevision, modRevision });
}

/** A PUT (prevKv absent for a create) or a DELETE (kv: the last value at the delete's revision). */
export function makeEvent(type: 'PUT' | 'DELETE', kv: KeyValue, prevKv: KeyValue | undefined): WatchEvent {
  return Object.freeze(prevKv ? { type, kv, prevKv, revision: kv.modRevision } : { type, kv, revision: kv.modRevision });
}
