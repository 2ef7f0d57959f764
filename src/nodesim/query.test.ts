// The jq subset of the stage selectors and templates (KWOK runs gojq; query.ts lists what is supported).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileQuery, evalQuery, QueryParseError } from './query.ts';

const pod = {
  metadata: { name: 'web-0', annotations: { 'nodesim.kubedisco.io/ready': 'false', 'x/exit-code': '3' } },
  spec: { containers: [{ name: 'a' }, { name: 'b' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }],
    containerStatuses: [{ name: 'a', ready: true, state: { running: { startedAt: 't1' } } }, { name: 'b', ready: false, state: { waiting: {} } }],
  },
};

const cases: Array<[name: string, query: string, want: unknown[]]> = [
  ['identity', '.', [pod]],
  ['a field', '.status.phase', ['Running']],
  ['a missing field is null', '.metadata.deletionTimestamp', [null]],
  ['a field of null is null', '.metadata.deletionTimestamp.seconds', [null]],
  ['a quoted key in brackets', '.metadata.annotations["nodesim.kubedisco.io/ready"]', ['false']],
  ['a quoted key after a dot-bracket (KWOK style)', ".metadata.annotations.['nodesim.kubedisco.io/ready']", ['false']],
  ['iterate with .[]', '.status.containerStatuses.[].ready', [true, false]],
  ['iterate with []', '.status.containerStatuses[].name', ['a', 'b']],
  ['index', '.spec.containers[1].name', ['b']],
  ['index out of range is null', '.spec.containers[5]', [null]],
  ['select by equality (KWOK pod-ready selector)', '.status.conditions.[] | select( .type == "Ready" ) | .status', ['False']],
  ['select by inequality', '.status.conditions[] | select(.type != "Ready") | .type', ['PodScheduled']],
  ['missing nested paths yield nulls per element', '.status.containerStatuses.[].state.running.startedAt', ['t1', null]],
  ['tonumber', '.metadata.annotations["x/exit-code"] | tonumber', [3]],
  ['tonumber drops non-numbers', '.metadata.name | tonumber', []],
  ['tostring', '.status.containerStatuses[0].ready | tostring', ['true']],
  ['iterating a string yields nothing (jq would fail)', '.status.phase[]', []],
];

for (const [name, q, want] of cases) {
  test(`query: ${name}`, () => assert.deepEqual(evalQuery(q, pod), want));
}

test('malformed queries are refused with the offset', () => {
  for (const q of ['status.phase', '.status.', '.a[', '.a["x]', 'select(.a)', '.a | ', '.a b']) {
    assert.throws(() => compileQuery(q), QueryParseError, q);
  }
});
