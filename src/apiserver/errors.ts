// The one place where an error becomes an HTTP response (a metav1.Status body). Everything else throws
// StatusError (src/api/status.ts) or lets storage errors bubble up to here.

import type { ServerResponse } from 'node:http';
import { internalError, isStatusError, StatusError } from '../api/status.ts';
import { log } from '../util/log.ts';

/** Converts anything thrown while serving a request into a StatusError. Unknown errors become 500s. */
export function toStatusError(err: unknown): StatusError {
  if (isStatusError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}

export function writeStatus(res: ServerResponse, err: unknown): void {
  const se = toStatusError(err);
  if (se.code >= 500) log('error', 'apiserver', se.message, { stack: err instanceof Error ? err.stack : undefined });
  if (res.headersSent) {
    // Too late for a status line (a watch stream already started): end the stream.
    res.destroy();
    return;
  }
  const body = JSON.stringify(se.toStatus());
  res.writeHead(se.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}
