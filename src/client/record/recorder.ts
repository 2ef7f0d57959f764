// EventRecorder (client-go tools/record): core/v1 Events about an object, which `kubectl describe`
// lists (kubernetes-semantics.md §10). Like client-go's correlator, a repeat of the same event (same
// object, type, reason and message) within ten minutes bumps `count` and `lastTimestamp` on the existing
// Event instead of creating a new one. Recording never blocks or fails the caller: events are sent in the
// background, a bounded backlog drops the newest when the API is unreachable, and errors are only counted.

import type { KObject } from '../../api/meta.ts';
import { findResource } from '../../api/resources.ts';
import { realClock, type Clock } from '../clock.ts';
import type { RestClient } from '../rest.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** source.component, shown as FROM by kubectl describe (e.g. "statefulset-controller"). */
  component: string;
  host?: string;
  clock?: Clock;
  maxBacklog?: number;
}

interface Seen { namespace: string; name: string; count: number; at: number }

const EVENTS = findResource('', 'v1', 'events')!;
const AGGREGATION_WINDOW_MS = 10 * 60_000;

export class EventRecorder {
  private readonly rest: RestClient;
  private readonly opts: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly seen = new Map<string, Seen>();
  private backlog: Array<() => Promise<void>> = [];
  private sending = false;
  private sequence = 0;
  readonly stats = { sent: 0, aggregated: 0, dropped: 0, errors: 0 };

  constructor(rest: RestClient, opts: EventRecorderOptions) {
    this.rest = rest;
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
  }

  /** Records an event about obj; returns at once. */
  event(obj: KObject, type: EventType, reason: string, message: string): void {
    const m = obj.metadata;
    const namespace = m.namespace || 'default';
    const key = [m.uid, m.namespace, m.name, obj.kind, type, reason, message].join('\u0000');
    const nowMs = this.clock.now();
    const now = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const prior = this.seen.get(key);
    if (prior && nowMs - prior.at < AGGREGATION_WINDOW_MS) {
      prior.count++;
      prior.at = nowMs;
      const { name, count } = prior;
      this.stats.aggregated++;
      this.enqueue(() => this.rest.resource(EVENTS, prior.namespace).patch(name, 'merge', { count, lastTimestamp: now }).then(() => undefined));
      return;
    }
    // client-go names events <object>.<unix nanoseconds in hex>.
    const name = `${m.name}.${(BigInt(nowMs) * 1_000_000n + BigInt(this.sequence++ % 1_000_000)).toString(16)}`;
    this.seen.set(key, { namespace, name, count: 1, at: nowMs });
    if (this.seen.size > 4096) for (const [k, v] of this.seen) if (nowMs - v.at >= AGGREGATION_WINDOW_MS) this.seen.delete(k);
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
      reason,
      message,
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    };
    this.enqueue(() => this.rest.resource(EVENTS, namespace).create(event).then(() => undefined));
  }

  /** Resolves once everything recorded so far was sent (or failed). For tests and shutdown. */
  async flush(): Promise<void> {
    while (this.backlog.length || this.sending) await new Promise((r) => setTimeout(r, 5));
  }

  private enqueue(send: () => Promise<void>): void {
    if (this.backlog.length >= (this.opts.maxBacklog ?? 1000)) { this.stats.dropped++; return; }
    this.backlog.push(send);
    if (!this.sending) void this.drain();
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.backlog.length) {
        const send = this.backlog.shift()!;
        try { await send(); this.stats.sent++; } catch { this.stats.errors++; }
      }
    } finally {
      this.sending = false;
    }
  }
}
