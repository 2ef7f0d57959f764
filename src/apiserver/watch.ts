// Watch over HTTP (kubectl-compatibility.md §2.6): a chunked stream of newline-terminated JSON events.
//
// - resourceVersion "" or "0": synthetic ADDED events for the current objects, then live events.
// - resourceVersion N: every change after N. N older than the compacted revision: a 200 stream holding
//   one ERROR event with a 410 Expired Status (what kube-apiserver's watch cache sends).
// - sendInitialEvents=true (watch-list): synthetic ADDED events, then a BOOKMARK carrying the
//   annotation k8s.io/initial-events-end: "true".
// - Selectors: an object that stops matching is sent as DELETED, one that starts matching as ADDED.
// - allowWatchBookmarks: a BOOKMARK with the latest revision every bookmarkIntervalMs.
// - timeoutSeconds ends the stream (default: 30-60 minutes, like --min-request-timeout 1800 × [1,2)).
// - A client that stops reading is disconnected once its unsent backlog passes maxBacklogBytes, and a
//   client that disconnects releases its storage watcher at once.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KObject, WatchEvent } from '../api/meta.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import { badRequest, StatusError, type Status } from '../api/status.ts';
import type { Watcher } from '../storage/backend.ts';
import type { Store, StoreEvent } from './store.ts';

export interface WatchParams {
  resourceVersion: string;
  predicate: (o: KObject) => boolean;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  /** Renders an object for the wire (a Table for `kubectl get -w`, else the object). */
  render: (o: KObject, first: boolean) => unknown;
  contentType: string;
}

export interface WatchTuning {
  bookmarkIntervalMs: number;
  maxBacklogBytes: number;
}

export const DEFAULT_WATCH_TUNING: WatchTuning = { bookmarkIntervalMs: 5_000, maxBacklogBytes: 16 * 1024 * 1024 };

let openWatches = 0;
export function openWatchCount(): number { return openWatches; }

export async function serveWatch(
  req: IncomingMessage, res: ServerResponse, store: Store, info: ResourceInfo, namespace: string,
  p: WatchParams, tuning: WatchTuning = DEFAULT_WATCH_TUNING,
): Promise<void> {
  const rvParam = p.resourceVersion;
  const fromCurrent = rvParam === '' || rvParam === '0' || p.sendInitialEvents;
  let startRev = 0;
  let initial: KObject[] = [];
  if (fromCurrent) {
    const list = await store.list(info, namespace, { predicate: p.predicate });
    initial = list.items;
    startRev = Number(list.resourceVersion);
  } else {
    startRev = Number(rvParam);
    if (!Number.isSafeInteger(startRev) || startRev < 0) throw badRequest(`invalid resource version: ${JSON.stringify(rvParam)}`);
  }

  res.writeHead(200, {
    'Content-Type': p.contentType,
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
    'X-Content-Type-Options': 'nosniff',
  });
  res.flushHeaders();

  let closed = false;
  let first = true;
  let lastRev = startRev;
  let watcher: Watcher | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let timeoutTimer: NodeJS.Timeout | undefined;
  openWatches++;

  const finish = () => {
    if (closed) return;
    closed = true;
    openWatches--;
    watcher?.close();
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (timeoutTimer) clearTimeout(timeoutTimer);
    if (!res.destroyed && !res.writableEnded) res.end();
  };
  /** Returns false when the socket's buffer is full: the storage watcher then pauses until 'drain'. */
  const write = (ev: WatchEvent<unknown>): boolean => {
    if (closed) return true;
    const flushed = res.write(JSON.stringify(ev) + '\n');
    if (res.writableLength > tuning.maxBacklogBytes) { finish(); res.destroy(); return true; }
    return flushed;
  };
  const send = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): boolean => {
    const ok = write({ type, object: p.render(obj, first) });
    first = false;
    return ok;
  };
  const bookmark = (annotations?: Record<string, string>) => {
    write({ type: 'BOOKMARK', object: { kind: info.kind, apiVersion: apiVersionOf(info), metadata: { resourceVersion: String(lastRev), ...(annotations ? { annotations } : {}) } } });
  };

  res.on('close', finish);
  res.on('error', finish);
  res.on('drain', () => watcher?.resume?.());

  for (const obj of initial) send('ADDED', obj);
  if (p.sendInitialEvents && p.allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });

  try {
    watcher = store.watchRaw(info, namespace, startRev, (ev) => {
      try {
        const rev = Number(ev.object.metadata.resourceVersion);
        if (rev > lastRev) lastRev = rev;
        const t = transition(ev, p.predicate);
        return t ? send(t, ev.object) : true;
      } catch {
        // Never let one watcher's failure escape into the storage commit path.
        finish();
        return true;
      }
    }, () => finish());
  } catch (e) {
    if (e instanceof StatusError) {
      const status: Status = e.toStatus();
      write({ type: 'ERROR', object: status });
      finish();
      return;
    }
    finish();
    throw e;
  }
  if (closed) { watcher.close(); return; }

  if (p.allowBookmarks) {
    bookmarkTimer = setInterval(() => {
      // Events are delivered synchronously when they commit, so everything up to the backend's current
      // revision has already been seen by this watcher.
      const cur = store.backend.currentRevision();
      if (cur > lastRev) lastRev = cur;
      bookmark();
    }, tuning.bookmarkIntervalMs);
    bookmarkTimer.unref();
  }
  const timeoutMs = (p.timeoutSeconds ?? 1800 * (1 + Math.random())) * 1000;
  timeoutTimer = setTimeout(finish, timeoutMs);
  timeoutTimer.unref();
}

/** What a watcher with this predicate sees of a storage event (kube's cacheWatcher.convertToWatchEvent). */
export function transition(ev: StoreEvent, predicate: (o: KObject) => boolean): 'ADDED' | 'MODIFIED' | 'DELETED' | undefined {
  const cur = predicate(ev.object);
  if (ev.type === 'ADDED') return cur ? 'ADDED' : undefined;
  const prev = ev.previous ? predicate(ev.previous) : false;
  if (ev.type === 'DELETED') return cur || prev ? 'DELETED' : undefined;
  if (cur && prev) return 'MODIFIED';
  if (cur) return 'ADDED';
  if (prev) return 'DELETED';
  return undefined;
}
