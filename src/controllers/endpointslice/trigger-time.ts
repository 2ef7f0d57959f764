// TriggerTimeTracker (staging/src/k8s.io/endpointslice/util/trigger_time_tracker.go): the value of the
// endpoints.kubernetes.io/last-change-trigger-time annotation (kubernetes-semantics.md §3.10). The first sync
// of a Service in this process → the Service's creationTimestamp; later → the earliest Ready
// lastTransitionTime among the Service's pods whose value changed since the previous sync (or the Service's
// creationTimestamp if that changed); nothing changed → '' (the annotation is removed on the next write).
// Computed on every sync, written only with a slice or Endpoints write.

import type { Service } from '../../api/types/core-v1-service.ts';
import type { Pod } from '../../api/types/pod.ts';
import { formatRFC3339Nano, parseTime, podReadyTransitionTime } from './util.ts';

interface PodTime { raw: string; ms: number }
interface State { pods: Map<string, PodTime>; service: number }

export class TriggerTimeTracker {
  private readonly states = new Map<string, State>();

  /** ComputeEndpointLastChangeTriggerTime, formatted as RFC 3339 (UTC); '' for "no trigger time". */
  compute(serviceKey: string, svc: Service, pods: readonly Pod[]): string {
    const prev = this.states.get(serviceKey);
    let min = NaN;
    const podTimes = new Map<string, PodTime>();
    for (const pod of pods) {
      const raw = podReadyTransitionTime(pod);
      if (!raw) continue;
      const name = pod.metadata.name ?? '';
      const before = prev?.pods.get(name);
      // Unchanged text: unchanged time (no parse). Otherwise a later time counts as a change.
      const t = before && before.raw === raw ? before.ms : parseTime(raw);
      if (Number.isNaN(t)) continue;
      podTimes.set(name, before && before.raw === raw ? before : { raw, ms: t });
      if (before === undefined || t > before.ms) min = Number.isNaN(min) || t < min ? t : min;
    }
    const svcTime = parseTime(svc.metadata.creationTimestamp);
    if (!Number.isNaN(svcTime) && (prev === undefined || svcTime > prev.service)) min = Number.isNaN(min) || svcTime < min ? svcTime : min;
    this.states.set(serviceKey, { pods: podTimes, service: Number.isNaN(svcTime) ? 0 : svcTime });
    if (!prev) return Number.isNaN(svcTime) ? '' : formatRFC3339Nano(svcTime);
    return Number.isNaN(min) ? '' : formatRFC3339Nano(min);
  }

  deleteService(serviceKey: string): void {
    this.states.delete(serviceKey);
  }
}
