// core/v1 Event (k8s.io/api/core/v1/types.go, v1.32): exact JSON names.

import type { ObjectMeta } from '../meta.ts';
import type { ObjectReference } from './pod.ts';

export interface EventSource { component?: string; host?: string }

export interface EventSeries { count?: number; lastObservedTime?: string }

export interface Event {
  apiVersion?: 'v1';
  kind?: 'Event';
  metadata: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: EventSource;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: 'Normal' | 'Warning' | string;
  /** MicroTime; null/absent for events written by the core/v1 recorder. */
  eventTime?: string | null;
  series?: EventSeries;
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}
