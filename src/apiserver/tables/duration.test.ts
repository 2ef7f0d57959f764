import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

// Cases follow k8s.io/apimachinery/pkg/util/duration/duration_test.go (TestHumanDuration) plus the edges of
// every branch of HumanDuration.
const cases: Array<[string, number, string]> = [
  ['2 seconds in the future is invalid', -2 * S, '<invalid>'],
  ['1.9 seconds in the future is clock skew', -1.9 * S, '0s'],
  ['just under a second in the future', -999, '0s'],
  ['zero', 0, '0s'],
  ['sub-second rounds down', 999, '0s'],
  ['1s', 1 * S, '1s'],
  ['4s', 4 * S, '4s'],
  ['seconds up to 2 minutes', 119 * S, '119s'],
  ['2m exactly', 2 * M, '2m'],
  ['2m3s', 2 * M + 3 * S, '2m3s'],
  ['9m59s', 9 * M + 59 * S, '9m59s'],
  ['10m drops seconds', 10 * M + 30 * S, '10m'],
  ['15m', 15 * M + 59 * S, '15m'],
  ['minutes up to 3 hours', 3 * H - 1, '179m'],
  ['3h exactly', 3 * H, '3h'],
  ['3h4m', 3 * H + 4 * M + 5 * S, '3h4m'],
  ['7h59m', 8 * H - 1, '7h59m'],
  ['8h drops minutes', 8 * H + 30 * M, '8h'],
  ['47h', 48 * H - 1, '47h'],
  ['2d exactly', 2 * D, '2d'],
  ['2d5h', 2 * D + 5 * H + 59 * M, '2d5h'],
  ['7d23h', 8 * D - 1, '7d23h'],
  ['8d drops hours', 8 * D + 5 * H, '8d'],
  ['729d', 2 * 365 * D - 1, '729d'],
  ['2y exactly', 2 * 365 * D, '2y'],
  ['3y2d', 3 * 365 * D + 2 * D + 3 * H, '3y2d'],
  ['7y364d', 8 * 365 * D - 1, '7y364d'],
  ['8y and beyond are whole years', 10 * 365 * D + 100 * D, '10y'],
];

for (const [name, ms, want] of cases) {
  test(`humanDuration: ${name} (duration.HumanDuration)`, () => {
    assert.equal(humanDuration(ms), want);
  });
}

test('translateTimestampSince: zero, null and unparsable timestamps print <unknown> (printers.go)', () => {
  const now = Date.parse('2025-01-01T00:00:10Z');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince(null, now), '<unknown>');
  assert.equal(translateTimestampSince('', now), '<unknown>');
  assert.equal(translateTimestampSince('not a time', now), '<unknown>');
  assert.equal(translateTimestampSince('2025-01-01T00:00:06Z', now), '4s');
  assert.equal(translateTimestampSince('2025-01-01T00:00:06.500000Z', now), '3s');
});
