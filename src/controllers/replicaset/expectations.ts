// Controller expectations (pkg/controller/controller_utils.go ControllerExpectations and
// UIDTrackingControllerExpectations): after issuing creates or deletes, a ReplicaSet is not resized again until
// the informer has shown those changes, so a sync reading a cache that lags its own writes does not create
// duplicate pods or delete extra ones. An expectation older than five minutes counts as satisfied (a lost
// watch event must not wedge the ReplicaSet forever).

import type { Clock } from '../../client/index.ts';

/** controller.ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Record_ { add: number; del: number; at: number; deleteKeys: Set<string> }

export class Expectations {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly records = new Map<string, Record_>();

  constructor(clock: Pick<Clock, 'now'>) {
    this.clock = clock;
  }

  /**
   * SatisfiedExpectations: true when there is no record (a new controller), when every expected create and delete
   * was observed, or when the record expired.
   */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** ExpectCreations: replaces the record with `count` pending creates. */
  expectCreations(key: string, count: number): void {
    this.records.set(key, { add: count, del: 0, at: this.clock.now(), deleteKeys: new Set() });
  }

  /** UIDTrackingControllerExpectations.ExpectDeletions: replaces the record with these pending pod deletions. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    const keys = new Set(podKeys);
    this.records.set(key, { add: 0, del: keys.size, at: this.clock.now(), deleteKeys: keys });
  }

  /** CreationObserved: one expected create was seen (or will never happen). */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  /** DeletionObserved: counts a pod's deletion once, and only for a pod we deleted. */
  deletionObserved(key: string, podKey: string): void {
    const r = this.records.get(key);
    if (r && r.deleteKeys.delete(podKey)) r.del--;
  }

  /** DeleteExpectations: forget the controller (its object is gone). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** Pending [creates, deletes] for a key (tests and metrics). */
  pending(key: string): [number, number] | undefined {
    const r = this.records.get(key);
    return r ? [r.add, r.del] : undefined;
  }
}
