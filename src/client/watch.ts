// The watch protocol on the client side (kubectl-compatibility.md §2.6): a chunked 200 response carrying one
// JSON event per line. WatchDecoder splits lines across chunk boundaries (including inside a multi-byte
// UTF-8 character) and validates each event; a line that is not a valid event is a WatchDecodeError, never
// skipped. WatchStream is the async iterable consumers use; an ERROR event ends it with the StatusError the
// event carries (410 Expired/Gone → isGone(err) is true, which informers answer with a relist).

import type { KObject, WatchEvent, WatchEventType } from '../api/meta.ts';
import type { StatusError } from '../api/status.ts';
import { isStatusBody, statusErrorFromStatus } from './errors.ts';

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** A watch line that is not a valid event, or a stream that ended in the middle of one (`truncated`). */
export class WatchDecodeError extends Error {
  /** The offending text (at most 512 characters of it). */
  readonly text: string;
  readonly truncated: boolean;
  constructor(message: string, text: string, truncated: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'WatchDecodeError';
    this.text = text.length > 512 ? text.slice(0, 512) : text;
    this.truncated = truncated;
  }
}

/** Parses and validates one event line. */
export function decodeWatchEvent<T = KObject>(line: string): WatchEvent<T> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new WatchDecodeError(`unable to decode an event from the watch stream: ${(e as Error).message}`, line, false, e);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new WatchDecodeError('unable to decode an event from the watch stream: event is not an object', line, false);
  }
  const ev = v as { type?: unknown; object?: unknown };
  if (typeof ev.type !== 'string' || !EVENT_TYPES.has(ev.type)) {
    throw new WatchDecodeError(`unable to decode an event from the watch stream: unknown event type ${JSON.stringify(ev.type)}`, line, false);
  }
  if (!ev.object || typeof ev.object !== 'object' || Array.isArray(ev.object)) {
    throw new WatchDecodeError('unable to decode an event from the watch stream: event has no object', line, false);
  }
  return { type: ev.type as WatchEventType, object: ev.object as T };
}

/**
 * Incremental newline-delimited JSON decoder. Blank lines are ignored. push() buffers a chunk; next() returns
 * the next complete event (undefined when none is complete yet) and throws WatchDecodeError at a bad line,
 * after every event before it has been returned.
 */
export class WatchDecoder<T = KObject> {
  private readonly utf8 = new TextDecoder('utf-8');
  private buf = '';
  private pos = 0;

  push(chunk: Uint8Array | string): void {
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += typeof chunk === 'string' ? chunk : this.utf8.decode(chunk, { stream: true });
  }

  next(): WatchEvent<T> | undefined {
    for (;;) {
      const nl = this.buf.indexOf('\n', this.pos);
      if (nl < 0) return undefined;
      const line = this.buf.slice(this.pos, nl);
      this.pos = nl + 1;
      if (line.trim() === '') continue;
      return decodeWatchEvent<T>(line);
    }
  }

  /** push() then every complete event. Throws WatchDecodeError on a bad line. */
  write(chunk: Uint8Array | string): Array<WatchEvent<T>> {
    this.push(chunk);
    const out: Array<WatchEvent<T>> = [];
    for (let ev = this.next(); ev; ev = this.next()) out.push(ev);
    return out;
  }

  /**
   * Signals the end of the stream (call after next() returned undefined). A complete final event without
   * its newline is returned; leftover text that is not a complete event throws WatchDecodeError with
   * truncated = true.
   */
  end(): Array<WatchEvent<T>> {
    const rest = this.buf.slice(this.pos) + this.utf8.decode();
    this.buf = '';
    this.pos = 0;
    if (rest.trim() === '') return [];
    try {
      return [decodeWatchEvent<T>(rest)];
    } catch (e) {
      throw new WatchDecodeError('watch stream ended in the middle of an event', rest, true, e);
    }
  }
}

/** The ERROR event's Status as a StatusError (a 410 one is what informers relist on). */
export function watchErrorEventToError(object: unknown): StatusError {
  if (isStatusBody(object)) return statusErrorFromStatus(object, 500);
  return statusErrorFromStatus({ code: 500, reason: 'InternalError', message: 'watch ERROR event without a Status object' }, 500);
}

/**
 * One watch: iterate it once with `for await`. Yields ADDED/MODIFIED/DELETED/BOOKMARK events; ends normally
 * when the server closes the stream or stop() is called; throws
 *  - StatusError for an ERROR event (after which the stream is closed),
 *  - WatchDecodeError for a malformed line or a truncated final event,
 *  - the transport error if the connection fails (not after stop()).
 */
export class WatchStream<T = KObject> implements AsyncIterable<WatchEvent<T>> {
  private readonly source: AsyncIterable<Uint8Array | string>;
  private readonly abort: () => void;
  private isStopped = false;
  private iterated = false;

  constructor(source: AsyncIterable<Uint8Array | string>, abort: () => void) {
    this.source = source;
    this.abort = abort;
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  /** Closes the connection; a running iteration ends without error. Idempotent. */
  stop(): void {
    if (this.isStopped) return;
    this.isStopped = true;
    this.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a WatchStream can be iterated only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchEvent<T>> {
    const decoder = new WatchDecoder<T>();
    try {
      try {
        for await (const chunk of this.source) {
          if (this.isStopped) return;
          decoder.push(chunk);
          for (let ev = decoder.next(); ev; ev = decoder.next()) {
            if (ev.type === 'ERROR') throw watchErrorEventToError(ev.object);
            yield ev;
            if (this.isStopped) return;
          }
        }
      } catch (e) {
        if (this.isStopped) return;
        throw e;
      }
      if (this.isStopped) return;
      for (const ev of decoder.end()) {
        if (ev.type === 'ERROR') throw watchErrorEventToError(ev.object);
        yield ev;
      }
    } finally {
      this.stop();
    }
  }
}
