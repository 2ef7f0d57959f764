// Helpers shared by the patch tests (not a test file itself).

import assert from 'node:assert/strict';
import { StatusError } from '../../api/status.ts';

/** Freezes a value recursively so that any mutation by the code under test throws (ES modules are strict). */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v as object)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

export interface ExpectedStatus { code: number; reason: string; message?: string | RegExp; details?: unknown }

/** Asserts that `fn` throws a StatusError with the given code/reason (and message/details when given). */
export function assertStatus(fn: () => unknown, want: ExpectedStatus): StatusError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof StatusError, `expected a StatusError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  const se = err as StatusError;
  assert.equal(se.code, want.code, `code (message: ${se.message})`);
  assert.equal(se.reason, want.reason, `reason (message: ${se.message})`);
  if (typeof want.message === 'string') assert.equal(se.message, want.message);
  else if (want.message) assert.match(se.message, want.message);
  if (want.details !== undefined) assert.deepEqual(se.details, want.details);
  return se;
}
